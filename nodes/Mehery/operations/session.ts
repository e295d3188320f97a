import type { Operation, PageScheme } from '../../shared/operation';
import { envelopeResults, MEHERY_SUCCESS } from '../api';

/** Mehery returns a session's messages whole, in `results`: Limit only trims them. */
const sessionMessages: PageScheme<number> = {
	first: () => 1,
	maxPageSize: Number.MAX_SAFE_INTEGER,
	request: (spec) => spec,
	read: (answer) => ({ records: envelopeResults(answer) }),
};

export const sessionOperations: Operation[] = [
	{
		resource: 'session',
		value: 'getMessages',
		success: MEHERY_SUCCESS.results,
		name: 'Get Messages',
		action: 'Get the messages of a session',
		description: 'Every message of one conversation session, one item each',
		fields: [
			{
				displayName: 'Session ID',
				name: 'sessionId',
				type: 'string',
				default: '',
				required: true,
				description: 'The session\'s ID, e.g. "session.sessionId" of a message from the Mehery Trigger',
			},
		],
		idempotent: true,
		pages: sessionMessages,
		request: (item) => ({ method: 'GET', path: 'api/v1/session/messages', query: { sessionId: item.string('sessionId') } }),
	},
];

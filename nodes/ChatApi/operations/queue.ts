import type { Operation } from '../../shared/operation';

export const queueOperations: Operation[] = [
	{
		resource: 'queue',
		value: 'get',
		name: 'Get',
		action: 'Get the outbound message queue',
		description: 'How many messages wait to be sent, and the first 100 of them',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'showMessagesQueue' }),
	},
	{
		resource: 'queue',
		value: 'clear',
		name: 'Clear',
		action: 'Clear the outbound message queue',
		description: 'Drop every message still waiting to be sent, e.g. after sending thousands by mistake',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'clearMessagesQueue' }),
	},
];

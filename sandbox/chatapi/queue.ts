/** The outbound queue: show it, clear it. */
import { route, tokenOnly, type ApiPath } from './common';
import { clearQueue, filesUrlOf, messageJson, queuedMessages, queueEntryJson } from './state';

export const queueRoutes = (api: ApiPath) => [
	route({
		method: 'GET',
		path: api('/showMessagesQueue'),
		query: tokenOnly,
		handle: ({ state, server }) => {
			const queue = queuedMessages(state);
			const filesUrl = filesUrlOf(server);
			return { json: { totalMessages: queue.length, first100: queue.slice(0, 100).map((message) => queueEntryJson(message, filesUrl)) } };
		},
	}),

	route({
		method: 'GET',
		path: api('/clearMessagesQueue'),
		query: tokenOnly,
		handle: ({ state, server }) => {
			const filesUrl = filesUrlOf(server);
			const cleared = clearQueue(state);
			return {
				json: {
					message: `Cleared ${cleared.length} messages`,
					messageTextsExample: cleared.slice(0, 10).map((message) => messageJson(message, filesUrl).body),
				},
			};
		},
	}),
];

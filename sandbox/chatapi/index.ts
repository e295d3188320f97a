/**
 * Chat API (https://chat-api.com) as its API document describes it (shared/seeds/004_3b9df85bb9686da8.txt;
 * the page says "messengers" where the product says WhatsApp): one instance under a base path
 * (`https://eu1.chat-api.com/instance12345` → here `http://127.0.0.1:PORT/instance12345`), the token in
 * the query string of every call (`?token=`), JSON bodies, errors as `{ error }`, and outbound webhooks
 * that batch new messages and acks: `{ messages: [...] }` and/or `{ ack: [...] }`.
 *
 * Sent messages wait in the outbound queue until a control route flushes it or acks them, so tests
 * can see the queue; acks reach the webhook only while ack notifications are on.
 *
 * One file per resource, as the node is laid out: instance, message, group, queue, webhook; the
 * state and its operations in state.ts; control routes in control.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { unauthorized, type Simulator } from '../framework';
import { chatApiProblems } from './common';
import { controlRoutes } from './control';
import { groupRoutes } from './group';
import { instanceRoutes } from './instance';
import { messageRoutes } from './message';
import { queueRoutes } from './queue';
import { CHAT_API_DEMO, CHAT_API_WRONG_TOKEN, seedState, type ChatApiOptions, type ChatApiState } from './state';
import { webhookRoutes } from './webhook';

export * from './state';

function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

export function chatApiSimulator(options: ChatApiOptions = {}): Simulator<ChatApiState> {
	const settings: Required<ChatApiOptions> = {
		instanceId: options.instanceId ?? CHAT_API_DEMO.instanceId,
		token: options.token ?? CHAT_API_DEMO.token,
		accountStatus: options.accountStatus ?? 'got qr code',
		ackNotificationsOn: options.ackNotificationsOn ?? false,
	};
	if (!/^[A-Za-z0-9_-]+$/.test(settings.instanceId)) throw new Error(`Invalid Chat API instance id: ${settings.instanceId}`);
	const basePath = `/${settings.instanceId}`;
	const api = (path: string) => basePath + path;

	return {
		name: 'chatapi',
		basePath,
		initialState: () => seedState(settings),
		accepts: ['json'],
		secretQuery: ['token'],
		problemsOf: chatApiProblems,
		errorBody: ({ problems }) => ({ error: problems.map((problem) => problem.message).join(' ') }),
		snapshot: ({ files, ...state }) => ({
			...state,
			files: Object.fromEntries(
				Object.entries(files).map(([name, file]) => [
					name,
					{ filename: file.filename, contentType: file.contentType, ...(file.buffer ? { size: file.buffer.length } : { url: file.url }) },
				]),
			),
		}),

		authenticate: ({ query }) => {
			const token = typeof query.token === 'string' ? query.token : '';
			if (token === '' || !sameSecret(token, settings.token)) throw unauthorized(CHAT_API_WRONG_TOKEN);
		},

		routes: [...instanceRoutes(api), ...messageRoutes(api), ...groupRoutes(api), ...queueRoutes(api), ...webhookRoutes(api)],
		controlRoutes,
	};
}

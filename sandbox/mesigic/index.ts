/**
 * Mesigic (https://mesigic.com/external-api) as its API document describes it: a Laravel API taking
 * form data, authenticated by `client-id` + `client-secret` headers and an IP whitelist, answering
 * `{status, remark, message[], data}`. See shared/seeds/000_3103d8f7f7c5ea62.txt.
 *
 * One file per resource, as the node is laid out: contacts, conversations, messages, templates;
 * the state and its operations in state.ts; control routes in control.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { unauthorized, type Simulator } from '../framework';
import { laravelProblems } from '../laravel';
import { REMARKS } from './common';
import { contactRoutes } from './contacts';
import { controlRoutes } from './control';
import { conversationRoutes } from './conversations';
import { messageRoutes } from './messages';
import { MESIGIC_BASE_PATH, MESIGIC_DEMO_CREDENTIALS, seedState, type MesigicOptions, type MesigicState } from './state';
import { templateRoutes } from './templates';

export { changeConversationStatus, ConversationStatus, createContact, MESIGIC_BASE_PATH, MESIGIC_DEMO_CREDENTIALS, receiveInbound } from './state';
export { MESIGIC_FILE_RULES } from './common';
export type { ConversationStatusValue, MesigicContact, MesigicConversation, MesigicMessage, MesigicOptions, MesigicState, MesigicTemplate, MessageType } from './state';

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined || first === '' ? undefined : first;
}

function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

export function mesigicSimulator(options: MesigicOptions = {}): Simulator<MesigicState> {
	const clientId = options.clientId ?? MESIGIC_DEMO_CREDENTIALS.clientId;
	const clientSecret = options.clientSecret ?? MESIGIC_DEMO_CREDENTIALS.clientSecret;

	return {
		name: 'mesigic',
		basePath: MESIGIC_BASE_PATH,
		initialState: seedState,
		accepts: ['form', 'multipart'],
		validationStatus: 422,
		secretHeaders: ['client-secret'],
		problemsOf: laravelProblems,
		errorBody: ({ kind, code, problems }) => ({
			remark: code ?? REMARKS[kind],
			status: 'error',
			message: problems.map((problem) => problem.message),
		}),
		snapshot: ({ profileImages, ...state }) => ({
			...state,
			profileImages: Object.fromEntries(
				Object.entries(profileImages).map(([name, image]) => [name, { contentType: image.contentType, size: image.buffer.length }]),
			),
		}),

		authenticate: ({ headers, ip, state }) => {
			const id = headerValue(headers, 'client-id');
			const secret = headerValue(headers, 'client-secret');
			const missing = [
				...(id ? [] : ['The client id is required']),
				...(secret ? [] : ['The client secret is required']),
			];
			if (missing.length) throw unauthorized(missing);
			if (!sameSecret(id!, clientId) || !sameSecret(secret!, clientSecret)) {
				throw unauthorized('Invalid client credentials');
			}
			if (state.ipWhitelist && !state.ipWhitelist.includes(ip)) {
				throw unauthorized([
					'Access to this API endpoint is restricted to IP addresses that have been explicitly whitelisted.',
					`In order to access this API endpoint, please add your IP address (${ip}) to the white list from the user dashboard.`,
				]);
			}
		},

		routes: [...contactRoutes, ...conversationRoutes, ...messageRoutes, ...templateRoutes],
		controlRoutes,
	};
}

/**
 * Messlo (https://api.messlo.com) as its API reference and its own client describe it
 * (shared/seeds/002_31d78e51fdf881e9.txt, shared/MESSLO-CONTRACT.md): JSON under `/api/...`,
 * authenticated by `X-API-Key: <key>` or `Authorization: ApiKey <key>`, answered in the envelope
 * `{ success: true, message?, data, pagination? }`; errors `{ success: false, message, error,
 * errors? }` with a 4xx.
 *
 * One file per resource group, as the document groups the 81 rows and the node is laid out: config
 * (WABAs and numbers), login (Login with WhatsApp), contacts, messaging, templates, campaigns,
 * automation, crm, bots, forms, packs, ops, commerce; the state and its rules in state.ts, the
 * workspace it starts with in seed.ts; the routes that play the customer's, Meta's and a store's
 * part in control.ts (and login.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { SandboxError, type Simulator } from '../framework';
import { automationRoutes } from './automation';
import { botRoutes } from './bots';
import { campaignRoutes } from './campaigns';
import { commerceRoutes } from './commerce';
import { errorBody, messloProblems } from './common';
import { configRoutes } from './config';
import { contactRoutes } from './contacts';
import { controlRoutes } from './control';
import { crmRoutes } from './crm';
import { formRoutes } from './forms';
import { loginControlRoutes, loginRoutes } from './login';
import { messagingRoutes } from './messaging';
import { opsRoutes } from './ops';
import { packRoutes } from './packs';
import { MESSLO_DEMO, seedState } from './seed';
import type { MessloState } from './state';
import { templateRoutes } from './templates';

export * from './seed';
export * from './state';
export { checkVariables, localDeviceBody, sendBody, SEND_TYPES } from './messaging';
export { campaignBody, runCampaign } from './campaigns';
export { templateBody } from './templates';
export { LOGIN_APP, loginStatus } from './login';
export { INDUSTRY_PACKS } from './packs';
export { PLAN_LIMITS } from './ops';
export { MEDIA_RULES, urlReachable } from './common';

export interface MessloOptions {
	apiKey?: string;
}

function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function messloSimulator(options: MessloOptions = {}): Simulator<MessloState> {
	const apiKey = options.apiKey ?? MESSLO_DEMO.apiKey;
	const refuse = (message: string) => new SandboxError(401, 'unauthorized', [{ message }], 'UNAUTHORIZED');
	return {
		name: 'messlo',
		initialState: seedState,
		accepts: ['json'],
		repeatedFiles: 'list',
		problemsOf: messloProblems,
		errorBody,

		authenticate: ({ headers }) => {
			const header = single(headers['x-api-key']);
			const authorization = single(headers.authorization)?.trim();
			let key = header?.trim();
			if (!key && authorization) {
				const [scheme, ...rest] = authorization.split(/\s+/);
				if (scheme?.toLowerCase() === 'bearer') {
					throw refuse('A Bearer token is for dashboard sessions: send the API key as X-API-Key or Authorization: ApiKey <key>.');
				}
				if (scheme?.toLowerCase() !== 'apikey' || rest.length !== 1) {
					throw refuse('Authorization must be "ApiKey <key>" (or send the key as X-API-Key).');
				}
				key = rest[0];
			}
			if (!key) throw refuse('API key is required: send it as X-API-Key or Authorization: ApiKey <key>.');
			if (!sameSecret(key, apiKey)) throw refuse('Invalid API key');
		},

		routes: [
			...configRoutes,
			...loginRoutes,
			...contactRoutes,
			...messagingRoutes,
			...templateRoutes,
			...campaignRoutes,
			...automationRoutes,
			...crmRoutes,
			...botRoutes,
			...formRoutes,
			...packRoutes,
			...opsRoutes,
			...commerceRoutes,
		],
		controlRoutes: [...controlRoutes, ...loginControlRoutes],
	};
}

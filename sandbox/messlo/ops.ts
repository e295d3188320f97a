/** Ops & integrations (rows 71, 72, 74–76): plan usage, agents, Google connect, sequences, kanban funnels. */
import { z } from 'zod';

import { matches, newestFirst, nonEmpty, ok, page, pageQuery, requireConnection, route } from './common';
import type { MessloState } from './state';
import { agentJson, recordJson } from './views';

/** The plan's limits; 0 is unlimited. */
export const PLAN_LIMITS = {
	contacts: 10_000,
	templates: 100,
	campaigns_monthly: 50,
	tags: 100,
	bot_flows: 20,
	conversations_monthly: 5_000,
	google_accounts: 2,
	chatbot_tokens_monthly: 0,
	chatbot_knowledge_sources: 10,
	whatsapp_login_apps: 2,
	whatsapp_login_sessions_monthly: 1_000,
} as const;

function usageOf(state: MessloState) {
	const month = new Date().toISOString().slice(0, 7);
	return {
		plan: 'Growth',
		limits: PLAN_LIMITS,
		usage: {
			contacts: state.contacts.length,
			templates: state.templates.length,
			campaigns_monthly: state.campaigns.filter((campaign) => campaign.created_at.startsWith(month)).length,
			tags: state.tags.length,
			bot_flows: state.flows.length,
			conversations_monthly: state.chats.filter((chat) => (chat.last_message_at ?? '').startsWith(month)).length,
			google_accounts: 0,
			chatbot_tokens_monthly: 0,
			chatbot_knowledge_sources: state.chatbots.reduce((sum, chatbot) => sum + chatbot.trained.texts, 0),
			whatsapp_login_apps: 1,
			whatsapp_login_sessions_monthly: state.loginSessions.filter((session) => session.created_at.startsWith(month)).length,
		},
	};
}

const usageRoute = (path: string) =>
	route({
		method: 'GET',
		path,
		query: z.object({}).strict(),
		handle: ({ state }) => ({ json: ok(usageOf(state)) }),
	});

export const opsRoutes = [
	// Row 71, at both paths the sources name (plural in the document, singular in Messlo's latest client)
	usageRoute('/api/subscriptions/usage'),
	usageRoute('/api/subscription/usage'),

	// Row 72
	route({
		method: 'GET',
		path: '/api/agent/all',
		query: z.object({ ...pageQuery(20, 100), search: z.string().optional() }).strict(),
		handle: ({ query, state }) => {
			const found = state.agents.filter((agent) => matches(query.search, agent.name, agent.email));
			return { json: page(newestFirst(found, (agent) => agent.created_at), query, agentJson) };
		},
	}),

	// Row 74: the URL to open in a browser
	route({
		method: 'GET',
		path: '/api/google/connect',
		query: z.object({ return_to: z.string().startsWith('/', 'return_to must be a path of the Messlo dashboard, e.g. /google_account.').default('/google_account') }).strict(),
		handle: ({ query, server }) => {
			const redirect = `${server.apiUrl}/api/google/callback`;
			const url = `https://accounts.google.com/o/oauth2/v2/auth?${new URLSearchParams({
				client_id: 'messlo-sandbox.apps.googleusercontent.com',
				redirect_uri: redirect,
				response_type: 'code',
				access_type: 'offline',
				scope: 'https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/calendar',
				state: Buffer.from(JSON.stringify({ return_to: query.return_to })).toString('base64url'),
			})}`;
			return { json: ok({ url, return_to: query.return_to }) };
		},
	}),

	// Row 75
	route({
		method: 'GET',
		path: '/api/sequences',
		query: z.object({ waba_id: nonEmpty('waba_id') }).strict(),
		handle: ({ query, state }) => {
			const connection = requireConnection(state, query.waba_id);
			return { json: ok(newestFirst(state.sequences.filter((sequence) => sequence.connection_id === connection._id), (sequence) => sequence.created_at).map(recordJson)) };
		},
	}),

	// Row 76
	route({
		method: 'GET',
		path: '/api/kanban-funnels',
		query: z.object({ ...pageQuery(20, 100), search: z.string().optional(), funnelType: z.string().optional() }).strict(),
		handle: ({ query, state }) => {
			const found = state.funnels.filter((funnel) => matches(query.search, funnel.name) && (!query.funnelType || funnel.funnelType === query.funnelType));
			return { json: page(newestFirst(found, (funnel) => funnel.created_at), query, recordJson) };
		},
	}),
];

/**
 * Messingin (https://api.messingin.com) as its API document describes it (shared/seeds/001_ec91072f4c18e207.txt):
 * `Authorization: Bearer <key>`, paths under /api/whatsapp, JSON bodies, answers `{ success, data }`
 * and errors `{ success: false, error }`, the plan table's limits (API calls per rolling minute with
 * 429 + Retry-After, messages per day, sessions), and webhooks `{ event, data }` for the five
 * documented events, sent to a session's `webhook` or else to the account's dashboard webhook.
 *
 * A session starts waiting for its QR code to be scanned; control routes play the phone (scan,
 * disconnect), the customers (inbound messages) and the network (delivery receipts). Tests can
 * compress the clock (`minuteMs`, `dayMs`) so a plan's minute passes in a second.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

import {
	notFound,
	retryAfterSeconds,
	routeFor,
	SandboxError,
	takeFromWindow,
	tooManyRequests,
	unauthorized,
	type Problem,
	type SandboxServer,
	type Simulator,
	type WebhookDelivery,
} from './framework';
import { qrLikePng } from './png';

export const MESSINGIN_DEMO = { apiKey: 'demo-messingin-api-key' } as const;

export const MESSINGIN_UNAUTHORIZED = 'Invalid or missing API key';
export const MESSINGIN_DAILY_LIMIT = 'Daily message limit reached';

export const MESSINGIN_PLANS = {
	free: { messagesPerDay: 100, callsPerMinute: 100, sessions: 1 },
	basic: { messagesPerDay: 10_000, callsPerMinute: 1_000, sessions: 5 },
	pro: { messagesPerDay: 100_000, callsPerMinute: 10_000, sessions: 25 },
	enterprise: { messagesPerDay: Infinity, callsPerMinute: 20_000, sessions: Infinity },
} as const;
export type MessinginPlan = keyof typeof MESSINGIN_PLANS;
export const PLAN_NAMES = Object.keys(MESSINGIN_PLANS) as MessinginPlan[];

export interface PlanLimits {
	messagesPerDay: number;
	callsPerMinute: number;
	sessions: number;
}

export const MESSINGIN_EVENTS = ['message.received', 'message.sent', 'message.delivered', 'session.connected', 'session.disconnected'] as const;
export type MessinginEvent = (typeof MESSINGIN_EVENTS)[number];

export interface MessinginAccount {
	plan: MessinginPlan;
	/** The plan's limits, unless a test changed one. */
	limits: PlanLimits;
	/** How long a minute of the rate limit lasts (60 000 ms; tests compress it). */
	minuteMs: number;
	/** How long a day of the message quota lasts; days start at multiples of it since the epoch (midnight UTC). */
	dayMs: number;
	/** Set in the dashboard: where events of sessions without their own webhook go ('' for none). */
	dashboardWebhook: string;
}

export type SessionStatus = 'qr' | 'connected' | 'disconnected';

export interface MessinginSession {
	sessionId: string;
	name: string;
	webhook: string | null;
	status: SessionStatus;
	/** The phone's number once its QR code was scanned. */
	phone: string | null;
	/** Bumped when the session needs a new scan. */
	qrGeneration: number;
	createdAt: string;
}

export interface MessinginMessage {
	id: string;
	sessionId: string;
	direction: 'outgoing' | 'incoming';
	from: string | null;
	to: string | null;
	message: string;
	status: 'sent' | 'delivered' | 'received';
	timestamp: string;
}

export interface MessinginState {
	account: MessinginAccount;
	sessions: MessinginSession[];
	messages: MessinginMessage[];
	/** Arrival times (ms) of the API calls in the current rolling minute, oldest first. */
	recentCalls: number[];
	/** Messages sent in the current day (`day` = its number since the epoch). */
	today: { day: number; sent: number };
	/** Calls refused: over the calls per minute, and over the messages per day. */
	refused: { rateLimit: number; dailyQuota: number };
	lastSession: number;
	lastMessage: number;
}

export interface MessinginOptions {
	apiKey?: string;
	/** The account's plan (default free, the credential's default). */
	plan?: MessinginPlan;
	limits?: Partial<PlanLimits>;
	minuteMs?: number;
	dayMs?: number;
}

export interface EventBody {
	event: MessinginEvent;
	data: Record<string, unknown>;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const E164 = /^\+[1-9]\d{6,14}$/;
const planLabel = (plan: MessinginPlan) => plan[0]!.toUpperCase() + plan.slice(1);
const plural = (count: number, noun: string) => `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
/** ISO 8601 to the second, as the document's samples write it. */
export const isoSeconds = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

function account(options: MessinginOptions): MessinginAccount {
	const plan = options.plan ?? 'free';
	return {
		plan,
		limits: { ...MESSINGIN_PLANS[plan], ...options.limits },
		minuteMs: options.minuteMs ?? MINUTE_MS,
		dayMs: options.dayMs ?? DAY_MS,
		dashboardWebhook: '',
	};
}

function initialState(options: MessinginOptions): MessinginState {
	return {
		account: account(options),
		sessions: [],
		messages: [],
		recentCalls: [],
		today: { day: 0, sent: 0 },
		refused: { rateLimit: 0, dailyQuota: 0 },
		lastSession: 0,
		lastMessage: 0,
	};
}

/** Switches the account to a plan (its limits, overridden by `limits`), optionally with a compressed clock. */
export function setPlan(state: MessinginState, plan: MessinginPlan, changes: { limits?: Partial<PlanLimits>; minuteMs?: number; dayMs?: number } = {}): MessinginAccount {
	state.account = { ...account({ plan, ...changes }), dashboardWebhook: state.account.dashboardWebhook };
	return state.account;
}

// ---------------------------------------------------------------------------------------------
// The plan's limits.

/** Counts an API call in the rolling minute, or refuses it with 429 and the seconds until one leaves it. */
export function meterCall(state: MessinginState, now = Date.now()): void {
	const { limits, minuteMs, plan } = state.account;
	const waitMs = takeFromWindow(state.recentCalls, limits.callsPerMinute, minuteMs, now);
	if (waitMs !== undefined) {
		state.refused.rateLimit += 1;
		throw tooManyRequests(
			waitMs,
			`Rate limit exceeded: the ${planLabel(plan)} plan allows ${plural(limits.callsPerMinute, 'API call')} per minute. Retry after ${retryAfterSeconds(waitMs)} seconds.`,
		);
	}
}

/** Counts a message in the day, or refuses it with 429 and the seconds until the next day. */
export function meterMessage(state: MessinginState, now = Date.now()): void {
	const { limits, dayMs, plan } = state.account;
	const day = Math.floor(now / dayMs);
	if (state.today.day !== day) state.today = { day, sent: 0 };
	if (state.today.sent >= limits.messagesPerDay) {
		state.refused.dailyQuota += 1;
		const retryAfter = Math.max(1, Math.ceil(((day + 1) * dayMs - now) / 1000));
		throw new SandboxError(
			429,
			'rate_limited',
			[{ message: `${MESSINGIN_DAILY_LIMIT}: the ${planLabel(plan)} plan allows ${plural(limits.messagesPerDay, 'message')} per day.` }],
			undefined,
			{ 'retry-after': String(retryAfter) },
		);
	}
	state.today.sent += 1;
}

// ---------------------------------------------------------------------------------------------
// State operations, shared by the API routes, the control routes and tests.

/** The session's QR code as a data URL of a PNG (a new one after each disconnect). */
export function qrCodeDataUrl(session: MessinginSession): string {
	return `data:image/png;base64,${qrLikePng(`${session.sessionId}:${session.qrGeneration}`).toString('base64')}`;
}

export function createSession(state: MessinginState, fields: { name: string; webhook?: string }): MessinginSession {
	const { limits, plan } = state.account;
	if (state.sessions.length >= limits.sessions) {
		throw new SandboxError(403, 'forbidden', [{ message: `Session limit reached: the ${planLabel(plan)} plan allows ${plural(limits.sessions, 'session')}.` }]);
	}
	const session: MessinginSession = {
		sessionId: `session_${++state.lastSession}`,
		name: fields.name,
		webhook: fields.webhook ?? null,
		status: 'qr',
		phone: null,
		qrGeneration: 1,
		createdAt: isoSeconds(),
	};
	state.sessions.push(session);
	return session;
}

export function findSession(state: MessinginState, sessionId: string): MessinginSession {
	const session = state.sessions.find((candidate) => candidate.sessionId === sessionId);
	if (!session) throw notFound('Session not found');
	return session;
}

function addMessage(state: MessinginState, message: Omit<MessinginMessage, 'id' | 'timestamp'>): MessinginMessage {
	const stored = { id: `msg_${String(++state.lastMessage).padStart(3, '0')}`, ...message, timestamp: isoSeconds() };
	state.messages.push(stored);
	return stored;
}

export function sendMessage(state: MessinginState, sessionId: string, fields: { to: string; message: string }): MessinginMessage {
	const session = findSession(state, sessionId);
	if (session.status !== 'connected') {
		throw new SandboxError(400, 'bad_request', [{ message: `Session ${sessionId} is not connected: scan its QR code first.` }]);
	}
	meterMessage(state);
	return addMessage(state, { sessionId, direction: 'outgoing', from: session.phone, to: fields.to, message: fields.message, status: 'sent' });
}

/** A customer writes to a connected session. */
export function receiveMessage(state: MessinginState, sessionId: string, fields: { from: string; message: string }): MessinginMessage {
	const session = findSession(state, sessionId);
	if (session.status !== 'connected') throw new SandboxError(409, 'conflict', [{ message: `Session ${sessionId} is not connected, so it receives nothing.` }]);
	return addMessage(state, { sessionId, direction: 'incoming', from: fields.from, to: session.phone, message: fields.message, status: 'received' });
}

/** What the API answers for a sent message. */
export function sentMessageJson({ id, sessionId, to, message, status, timestamp }: MessinginMessage) {
	return { id, sessionId, to, message, status, timestamp };
}

/** The body Messingin posts for a message event. */
export function messageEvent(event: 'message.received' | 'message.sent' | 'message.delivered', message: MessinginMessage): EventBody {
	const { id, sessionId, from, to, message: text, timestamp } = message;
	const data = event === 'message.received' ? { id, sessionId, from, to, message: text, timestamp } : { id, sessionId, to, message: text, timestamp };
	return { event, data };
}

/** The body Messingin posts for a session event. */
export function sessionEvent(event: 'session.connected' | 'session.disconnected', session: MessinginSession, extra: Record<string, unknown> = {}): EventBody {
	return { event, data: { sessionId: session.sessionId, ...extra, timestamp: isoSeconds() } };
}

/** Where a session's events go: its own webhook, else the dashboard's; undefined when neither is set. */
export function webhookOf(state: MessinginState, session: MessinginSession): string | undefined {
	return session.webhook ?? (state.account.dashboardWebhook || undefined);
}

/** Posts an event of a session to its webhook; says why not when there is none. */
export async function deliverEvent(
	server: SandboxServer<MessinginState>,
	session: MessinginSession,
	body: EventBody,
): Promise<{ delivery: WebhookDelivery | null; notDelivered: string | null }> {
	const url = webhookOf(server.state, session);
	if (!url) return { delivery: null, notDelivered: `Session ${session.sessionId} has no webhook and none is set in the dashboard.` };
	return { delivery: await server.deliverWebhook(url, body), notDelivered: null };
}

// ---------------------------------------------------------------------------------------------
// Request rules: one sentence per problem, joined into `{ success: false, error }`.

function messinginProblems(issue: z.ZodIssue): Problem[] {
	const field = issue.path.join('.') || undefined;
	if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key, message: `Unknown field ${key}.` }));
	if (issue.code === 'invalid_type') {
		if (!field) return [{ message: 'The request body must be a JSON object.' }];
		if (issue.received === 'undefined') return [{ field, message: `${field} is required.` }];
		return [{ field, message: `${field} must be a ${issue.expected}.` }];
	}
	return [{ field, message: issue.message }];
}

const httpUrl = (name: string) =>
	z.string().refine((value) => {
		try {
			return /^https?:$/.test(new URL(value).protocol);
		} catch {
			return false;
		}
	}, `${name} must be an http or https URL.`);

const nonEmpty = (name: string) => z.string().trim().min(1, `${name} must not be empty.`);
const phone = (name: string) => z.string().regex(E164, `${name} must be a phone number in E.164 form: + and the country code, e.g. +1234567890.`);

const limitsSchema = z
	.object({
		messagesPerDay: z.number().positive().optional(),
		callsPerMinute: z.number().int().positive().optional(),
		sessions: z.number().int().positive().optional(),
	})
	.strict();

// ---------------------------------------------------------------------------------------------
// The simulator.

export function messinginSimulator(options: MessinginOptions = {}): Simulator<MessinginState> {
	const apiKey = options.apiKey ?? MESSINGIN_DEMO.apiKey;
	const route = routeFor<MessinginState>();
	const api = (path: string) => `/api/whatsapp${path}`;

	return {
		name: 'messingin',
		initialState: () => initialState(options),
		accepts: ['json'],
		problemsOf: messinginProblems,
		errorBody: ({ problems }) => ({ success: false, error: problems.map((problem) => problem.message).join(' ') }),
		snapshot: ({ recentCalls, ...state }) => ({ ...state, callsInCurrentMinute: recentCalls.length }),

		// Every authenticated call counts towards the plan's calls per minute, whatever it asks.
		authenticate: ({ headers, state }) => {
			const match = /^Bearer\s+(\S+)\s*$/i.exec(String(headers.authorization ?? ''));
			if (!match || !sameSecret(match[1]!, apiKey)) throw unauthorized(MESSINGIN_UNAUTHORIZED);
			meterCall(state);
		},

		routes: [
			route({
				method: 'POST',
				path: api('/sessions'),
				body: z.object({ name: nonEmpty('name'), webhook: httpUrl('webhook').optional() }).strict(),
				handle: ({ body, state }) => {
					const session = createSession(state, body);
					return { status: 201, json: { success: true, data: { sessionId: session.sessionId, qrCode: qrCodeDataUrl(session) } } };
				},
			}),

			route({
				method: 'POST',
				path: api('/sessions/:sessionId/messages'),
				body: z.object({ to: phone('to'), message: nonEmpty('message') }).strict(),
				validate: (input, state) => {
					findSession(state, input.params.sessionId!);
					return [];
				},
				handle: ({ params, body, state, server }) => {
					const message = sendMessage(state, params.sessionId!, body);
					void deliverEvent(server, findSession(state, message.sessionId), messageEvent('message.sent', message));
					return { json: { success: true, data: sentMessageJson(message) } };
				},
			}),
		],

		controlRoutes: [
			route({
				method: 'PUT',
				path: '/account',
				body: z
					.object({
						plan: z.enum(PLAN_NAMES as [MessinginPlan, ...MessinginPlan[]]).optional(),
						limits: limitsSchema.optional(),
						minuteMs: z.number().int().positive().optional(),
						dayMs: z.number().int().positive().optional(),
						dashboardWebhook: z.union([z.literal(''), httpUrl('dashboardWebhook')]).optional(),
					})
					.strict(),
				handle: ({ body, state }) => {
					const { dashboardWebhook, plan, ...changes } = body;
					if (plan || changes.limits || changes.minuteMs || changes.dayMs) {
						setPlan(state, plan ?? state.account.plan, {
							limits: { ...state.account.limits, ...(plan ? MESSINGIN_PLANS[plan] : {}), ...changes.limits },
							minuteMs: changes.minuteMs ?? state.account.minuteMs,
							dayMs: changes.dayMs ?? state.account.dayMs,
						});
					}
					if (dashboardWebhook !== undefined) state.account.dashboardWebhook = dashboardWebhook;
					return { json: { account: state.account } };
				},
			}),

			route({
				method: 'POST',
				path: '/sessions/:sessionId/connect',
				body: z.object({ phone: phone('phone').optional() }).strict(),
				handle: async ({ params, body, state, server }) => {
					const session = findSession(state, params.sessionId!);
					session.status = 'connected';
					session.phone = body.phone ?? session.phone ?? `+1555010${String(state.sessions.indexOf(session)).padStart(4, '0')}`;
					return { json: { session, ...(await deliverEvent(server, session, sessionEvent('session.connected', session, { phone: session.phone }))) } };
				},
			}),

			route({
				method: 'POST',
				path: '/sessions/:sessionId/disconnect',
				body: z.object({ reason: nonEmpty('reason').optional() }).strict(),
				handle: async ({ params, body, state, server }) => {
					const session = findSession(state, params.sessionId!);
					session.status = 'disconnected';
					session.qrGeneration += 1;
					const reason = body.reason ?? 'logged out';
					return { json: { session, ...(await deliverEvent(server, session, sessionEvent('session.disconnected', session, { reason }))) } };
				},
			}),

			route({
				method: 'POST',
				path: '/inbound',
				body: z.object({ sessionId: nonEmpty('sessionId'), from: phone('from'), message: nonEmpty('message') }).strict(),
				handle: async ({ body, state, server }) => {
					const message = receiveMessage(state, body.sessionId, body);
					const event = messageEvent('message.received', message);
					return { status: 201, json: { message, ...(await deliverEvent(server, findSession(state, body.sessionId), event)) } };
				},
			}),

			route({
				method: 'POST',
				path: '/messages/:messageId/delivered',
				body: z.object({}).strict(),
				handle: async ({ params, state, server }) => {
					const message = state.messages.find((candidate) => candidate.id === params.messageId);
					if (!message) throw notFound(`No message with id ${params.messageId}.`);
					if (message.direction !== 'outgoing') throw new SandboxError(400, 'bad_request', [{ message: `Message ${message.id} is incoming: only sent messages are delivered.` }]);
					message.status = 'delivered';
					return { json: { message, ...(await deliverEvent(server, findSession(state, message.sessionId), messageEvent('message.delivered', message))) } };
				},
			}),
		],
	};
}

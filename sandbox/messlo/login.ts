/**
 * Login with WhatsApp (rows 6–9): start a session, wait for the user's `LOGIN <code>` message over
 * Server-Sent Events or by polling the status, then verify the single-use token it gives.
 *
 * The user's message is played by the control routes: `/__sandbox/messlo/login/verify`, or an
 * inbound `LOGIN <code>` text to the session's number. Sessions expire after 10 minutes
 * (`/__sandbox/messlo/login/expire` makes it now); an expired session's status is a 410.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

import { SandboxError } from '../framework';
import { invalidField, missing, nonEmpty, route } from './common';
import { MESSLO_SEED } from './seed';
import { newId, nowIso, primaryPhone, receiveInbound, type LoginSession, type LoginStatus, type MessloState } from './state';

export const LOGIN_APP = { id: '5eed1f000000000000000001', name: 'Acme Login' } as const;
const SESSION_MS = 10 * 60 * 1000;
const TOKEN_SECRET = 'messlo-sandbox-login-signing-key';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A Messlo-signed JWT (HS256) naming the verified user. */
function signToken(session: LoginSession): string {
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64url(
		JSON.stringify({ sub: session.user!.phone, name: session.user!.name, sid: session.sessionId, app: LOGIN_APP.id, iat: Math.floor(Date.now() / 1000) }),
	);
	const signature = createHmac('sha256', TOKEN_SECRET).update(`${header}.${payload}`).digest('base64url');
	return `${header}.${payload}.${signature}`;
}

function signatureValid(token: string): boolean {
	const parts = token.split('.');
	if (parts.length !== 3) return false;
	const expected = createHmac('sha256', TOKEN_SECRET).update(`${parts[0]}.${parts[1]}`).digest();
	const given = Buffer.from(parts[2]!, 'base64url');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The session's status now (a pending session past its expiry has expired). */
export function loginStatus(session: LoginSession, now = Date.now()): LoginStatus {
	if (session.status === 'pending' && now >= Date.parse(session.expires_at)) session.status = 'expired';
	return session.status;
}

/** The user's `LOGIN <code>` reaches the session's number: the session is verified. */
export function verifyLogin(session: LoginSession, user: { phone: string; name: string }): void {
	if (loginStatus(session) !== 'pending') throw new SandboxError(409, 'conflict', [{ message: `The session is ${session.status}.` }]);
	session.status = 'success';
	session.user = user;
	session.verificationToken = signToken(session);
}

/** A pending session whose code an inbound `LOGIN <code>` text names, on the number it was sent to. */
export function sessionOfLoginText(state: MessloState, text: string, toNumber: string): LoginSession | undefined {
	const code = /^\s*LOGIN\s+([A-Z0-9]+)\s*$/i.exec(text)?.[1]?.toUpperCase();
	return code ? state.loginSessions.find((session) => session.code === code && session.loginNumber === toNumber && loginStatus(session) === 'pending') : undefined;
}

function requireSession(state: MessloState, sessionId: string): LoginSession {
	const session = state.loginSessions.find((entry) => entry.sessionId === sessionId);
	if (!session) throw missing(`No login session ${sessionId}.`, 'SESSION_NOT_FOUND');
	return session;
}

const pause = (ms: number, signal: AbortSignal) =>
	new Promise<void>((resolve) => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener('abort', () => {
			clearTimeout(timer);
			resolve();
		}, { once: true });
	});

const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const loginRoutes = [
	// Row 6
	route({
		method: 'POST',
		path: '/v1/auth/whatsapp/start',
		body: z
			.object({
				use_messlo_phone: z.boolean().optional(),
				phone_number_id: z.string().regex(/^\d{6,20}$/, 'phone_number_id must be a Meta phone-number id (digits), e.g. 123456789012345.').optional(),
				device_hash: nonEmpty('device_hash', 256).optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			if (body.use_messlo_phone && body.phone_number_id !== undefined) {
				throw invalidField('phone_number_id', 'phone_number_id and use_messlo_phone: true exclude each other: give one.');
			}
			let loginNumber: string;
			if (body.use_messlo_phone) loginNumber = MESSLO_SEED.messloLoginNumber;
			else if (body.phone_number_id !== undefined) {
				const phone = state.phoneNumbers.find((entry) => entry.phone_number_id === body.phone_number_id && entry.status === 'CONNECTED');
				if (!phone) throw missing(`phone_number_id: no connected Cloud API number ${body.phone_number_id} (GET /api/whatsapp/phone-numbers lists them).`, 'PHONE_NUMBER_NOT_FOUND');
				loginNumber = phone.phone_number;
			} else loginNumber = primaryPhone(state)!.phone_number;

			const created = Date.now();
			const session: LoginSession = {
				sessionId: newId(state),
				code: randomBytes(4).toString('hex').toUpperCase().slice(0, 6),
				subscribeToken: randomBytes(24).toString('base64url'),
				loginNumber,
				device_hash: body.device_hash ?? null,
				status: 'pending',
				created_at: new Date(created).toISOString(),
				expires_at: new Date(created + SESSION_MS).toISOString(),
				user: null,
				verificationToken: null,
				tokenUsed: false,
			};
			state.loginSessions.push(session);
			return {
				status: 201,
				json: {
					success: true,
					sessionId: session.sessionId,
					waLink: `https://wa.me/${loginNumber}?text=${encodeURIComponent(`LOGIN ${session.code}`)}`,
					subscribeToken: session.subscribeToken,
					authAppId: LOGIN_APP.id,
					authAppName: LOGIN_APP.name,
					expires_at: session.expires_at,
				},
			};
		},
	}),

	// Row 7: an SSE stream, opened with the subscribe token (no API key): `verified` when the user wrote
	route({
		method: 'GET',
		path: '/v1/auth/whatsapp/events/:sessionId',
		auth: false,
		query: z.object({ token: nonEmpty('token') }).strict(),
		handle: ({ params, query, state }) => {
			const session = requireSession(state, params.sessionId!);
			const given = Buffer.from(query.token);
			const expected = Buffer.from(session.subscribeToken);
			if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
				throw new SandboxError(401, 'unauthorized', [{ message: 'The subscribe token does not belong to this session.' }], 'INVALID_SUBSCRIBE_TOKEN');
			}
			return {
				contentType: 'text/event-stream; charset=utf-8',
				headers: { connection: 'keep-alive' },
				stream: async (write, closed) => {
					write(': connected\n\n');
					let lastWrite = Date.now();
					while (!closed.aborted) {
						const status = loginStatus(session);
						if (status === 'success') return write(sseEvent('verified', { sessionId: session.sessionId, status }));
						if (status === 'expired') return write(sseEvent('expired', { sessionId: session.sessionId, status }));
						if (Date.now() - lastWrite >= 15_000) {
							write(': keep-alive\n\n');
							lastWrite = Date.now();
						}
						await pause(25, closed);
					}
				},
			};
		},
	}),

	// Row 8
	route({
		method: 'GET',
		path: '/v1/auth/whatsapp/status/:sessionId',
		query: z.object({}).strict(),
		handle: ({ params, state }) => {
			const session = requireSession(state, params.sessionId!);
			const status = loginStatus(session);
			if (status === 'expired') {
				return { status: 410, json: { success: false, status, message: 'The login session has expired: start a new one.', error: 'SESSION_EXPIRED' } };
			}
			if (status === 'pending') return { json: { success: true, status, sessionId: session.sessionId, expires_at: session.expires_at } };
			return { json: { success: true, status, sessionId: session.sessionId, verificationToken: session.verificationToken } };
		},
	}),

	// Row 9: single use
	route({
		method: 'POST',
		path: '/v1/auth/verify-token',
		body: z.object({ token: nonEmpty('token') }).strict(),
		handle: ({ body, state }) => {
			const refuse = (message: string) => ({ status: 401, json: { success: false, valid: false, message, error: 'INVALID_TOKEN' } });
			if (!signatureValid(body.token)) return refuse('The token is not a verification token Messlo signed.');
			const session = state.loginSessions.find((entry) => entry.verificationToken === body.token);
			if (!session) return refuse('The token is not a verification token Messlo signed.');
			if (session.tokenUsed) return refuse('The token was already used: each verification token is good once.');
			session.tokenUsed = true;
			return { json: { success: true, valid: true, user: { ...session.user! } } };
		},
	}),
];

/** Control routes of the login flow. */
export const loginControlRoutes = [
	// The user sends the pre-filled LOGIN message (to a tenant number it is also a chat message).
	route({
		method: 'POST',
		path: '/login/verify',
		body: z
			.object({ sessionId: nonEmpty('sessionId'), phone: z.string().regex(/^\+?\d{7,15}$/, 'phone must be digits with the country code.'), name: z.string().default('') })
			.strict(),
		handle: ({ body, state }) => {
			const session = requireSession(state, body.sessionId);
			const phone = body.phone.replace(/^\+/, '');
			const status = loginStatus(session);
			if (status !== 'pending') throw new SandboxError(409, 'conflict', [{ message: `The session is ${status}.` }]);
			if (state.phoneNumbers.some((entry) => entry.phone_number === session.loginNumber)) {
				receiveInbound(state, { from: phone, name: body.name || undefined, to: session.loginNumber, text: `LOGIN ${session.code}` });
			}
			verifyLogin(session, { phone, name: body.name });
			return { json: { sessionId: session.sessionId, status: session.status, user: session.user } };
		},
	}),

	route({
		method: 'POST',
		path: '/login/expire',
		body: z.object({ sessionId: nonEmpty('sessionId') }).strict(),
		handle: ({ body, state }) => {
			const session = requireSession(state, body.sessionId);
			session.expires_at = nowIso();
			return { json: { sessionId: session.sessionId, status: loginStatus(session) } };
		},
	}),
];

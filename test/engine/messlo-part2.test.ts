/**
 * The Messlo node's second half through the real n8n-core engine against the Messlo simulator:
 * Login with WhatsApp (rows 6–9), automation flows, CRM, bots, forms, industry packs, operations
 * and commerce (rows 47–80). Each test asserts the exact body (or query) Messlo received; the
 * login wait is driven by the simulator's customer (the LOGIN message), its event stream, its
 * faults and its expiry.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import { startMesslo } from '../support/messlo';
import { until } from '../support/until';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesslo);

interface RunOptions {
	inputJson?: IDataObject[];
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	timeoutMs?: number;
}

const run = (parameters: INodeParameters, options: RunOptions = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Messlo', type: 'messlo', parameters, ...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}) }],
		credentials: { messloApi: options.credentials ?? env.sandbox.credentials },
		inputJson: options.inputJson,
		timeoutMs: options.timeoutMs,
	});

const received = (route: string) => env.sandbox.server.received(route);
const bodies = (route: string) => env.sandbox.server.accepted(route).map((request) => request.body);
const queries = (route: string) => received(route).map((request) => request.query);

async function control(path: string, json: unknown): Promise<IDataObject> {
	const response = await fetch(`${env.sandbox.server.controlUrl}/messlo${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
	return (await response.json()) as IDataObject;
}

/** The error of a run as n8n keeps and shows it, without the node's own parameters (the user's input). */
const errorShown = (result: { error?: { raw: unknown } }) => JSON.stringify(result.error?.raw ?? null, (key, value: unknown) => (key === 'node' ? undefined : value));

/** Everything written to stdout, stderr and the console while `act` runs. */
async function capturedOutput<T>(act: () => Promise<T>): Promise<{ result: T; output: string }> {
	const written: string[] = [];
	const capture = (chunk: unknown) => {
		written.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
		return true;
	};
	const spies = [
		jest.spyOn(process.stdout, 'write').mockImplementation(capture),
		jest.spyOn(process.stderr, 'write').mockImplementation(capture),
		...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void capture(args.map(String).join(' ')))),
	];
	try {
		const result = await act();
		return { result, output: written.join('\n') };
	} finally {
		for (const spy of spies) spy.mockRestore();
	}
}

const START = 'POST /v1/auth/whatsapp/start';
const EVENTS = 'GET /v1/auth/whatsapp/events/:sessionId';
const STATUS = 'GET /v1/auth/whatsapp/status/:sessionId';
const VERIFY = 'POST /v1/auth/verify-token';

interface Session {
	sessionId: string;
	subscribeToken: string;
	waLink: string;
}

/** A login session started on the simulator directly (the test's own set-up, not the node's). */
async function startSession(): Promise<Session> {
	const response = await fetch(`${env.sandbox.server.apiUrl}/v1/auth/whatsapp/start`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': MESSLO_DEMO.apiKey },
		body: '{}',
	});
	return (await response.json()) as Session;
}

const waitParameters = (session: Session, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'login',
	operation: 'waitForVerification',
	sessionId: session.sessionId,
	subscribeToken: session.subscribeToken,
	timeoutSeconds: 30,
	...extra,
});

/** The customer sends the LOGIN message once `ready()` says the node is listening. */
async function customerLogsInWhen(ready: () => boolean, session: Session, user = { phone: '447700900123', name: 'Tom Baker' }): Promise<void> {
	await until(() => (ready() ? true : undefined), { timeoutMs: 20_000, intervalMs: 20 });
	await control('/login/verify', { sessionId: session.sessionId, ...user });
}

const gapsMs = (route: string) => {
	const times = received(route).map((request) => Date.parse(request.at));
	return times.slice(1).map((time, index) => time - times[index]);
};

describe('Messlo Login with WhatsApp (rows 6–9)', () => {
	it('starts a session on the primary number: the session, the wa.me link, the subscribe token and when it expires', async () => {
		const result = await run({ resource: 'login', operation: 'start' });
		expect(result.error).toBeUndefined();
		expect(bodies(START)).toEqual([{}]);
		expect(result.json()).toEqual([
			{
				sessionId: expect.stringMatching(/^[0-9a-f]{24}$/),
				waLink: expect.stringMatching(new RegExp(`^https://wa\\.me/${MESSLO_DEMO.senderNumber}\\?text=LOGIN%20[0-9A-F]{6}$`)),
				subscribeToken: expect.any(String),
				authAppId: expect.any(String),
				authAppName: 'Acme Login',
				expires_at: expect.any(String),
			},
		]);
	});

	it('starts on a chosen number by its Meta ID, or on Messlo\'s shared number with a device hash', async () => {
		const chosen = await run({ resource: 'login', operation: 'start', options: { phoneNumberId: '109876543210987' } });
		expect(chosen.json()[0].waLink).toContain(`wa.me/${MESSLO_DEMO.secondSenderNumber}?`);
		const shared = await run({ resource: 'login', operation: 'start', options: { useMessloPhone: true, deviceHash: 'dev-7f3a' } });
		expect(shared.json()[0].waLink).toContain(`wa.me/${MESSLO_SEED.messloLoginNumber}?`);
		expect(bodies(START)).toEqual([{ phone_number_id: '109876543210987' }, { use_messlo_phone: true, device_hash: 'dev-7f3a' }]);
	});

	it('refuses a chosen number together with Messlo\'s shared number, before any request', async () => {
		const result = await run({ resource: 'login', operation: 'start', options: { phoneNumberId: MESSLO_DEMO.metaPhoneNumberId, useMessloPhone: true } });
		expect(result.error?.message).toBe('Phone Number and "Use Messlo\'s Shared Number" exclude each other');
		expect(received(START)).toHaveLength(0);
	});

	it('gets the status once: pending, then verified with the token; an expired session is a clear error', async () => {
		const session = await startSession();
		const pending = await run({ resource: 'login', operation: 'getStatus', sessionId: session.sessionId });
		expect(pending.json()).toEqual([{ status: 'pending', sessionId: session.sessionId, expires_at: expect.any(String) }]);
		await control('/login/verify', { sessionId: session.sessionId, phone: '447700900123', name: 'Tom Baker' });
		const verified = await run({ resource: 'login', operation: 'getStatus', sessionId: session.sessionId });
		expect(verified.json()).toEqual([{ status: 'success', sessionId: session.sessionId, verificationToken: expect.stringMatching(/^eyJ/) }]);

		const other = await startSession();
		await control('/login/expire', { sessionId: other.sessionId });
		const expired = await run({ resource: 'login', operation: 'getStatus', sessionId: other.sessionId });
		expect(expired.error?.message).toBe(`The login session ${other.sessionId} has expired`);
		expect(expired.error?.description).toMatch(/^Messlo answered 410: .*Start a new login/);
	});

	it('waits on the event stream until the customer sends LOGIN, then takes the token from one status call', async () => {
		const session = await startSession();
		const waiting = run(waitParameters(session));
		await customerLogsInWhen(() => received(EVENTS).length > 0, session);
		const result = await waiting;
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([{ status: 'success', sessionId: session.sessionId, verificationToken: expect.stringMatching(/^eyJ/), verified: true, heardBy: 'stream' }]);
		expect(queries(EVENTS)).toEqual([{ token: session.subscribeToken }]);
		expect(received(STATUS)).toHaveLength(1);
	});

	it('ends with a clear error when the stream says the session expired', async () => {
		const session = await startSession();
		const waiting = run(waitParameters(session));
		await until(() => (received(EVENTS).length ? true : undefined), { intervalMs: 20 });
		await control('/login/expire', { sessionId: session.sessionId });
		const result = await waiting;
		expect(result.error?.message).toBe(`The login session ${session.sessionId} has expired`);
		expect(received(STATUS)).toHaveLength(0);
	});

	it.each<[string, Parameters<typeof env.sandbox.server.injectFault>[1]]>([
		['answers 503', { kind: 'server-error', status: 503 }],
		['answers with an HTML page', { kind: 'answer', status: 200, contentType: 'text/html', body: '<html><body>Proxy</body></html>' }],
		['resets the connection', { kind: 'reset-before' }],
	])('polls the status every 2 s when the stream %s', async (_, fault) => {
		env.sandbox.server.injectFault(EVENTS, fault);
		const session = await startSession();
		const waiting = run(waitParameters(session));
		await customerLogsInWhen(() => received(STATUS).length >= 2, session);
		const result = await waiting;
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([expect.objectContaining({ status: 'success', verificationToken: expect.stringMatching(/^eyJ/), verified: true, heardBy: 'polling' })]);
		expect(received(EVENTS)).toHaveLength(1);
		for (const gap of gapsMs(STATUS)) expect(gap).toBeGreaterThanOrEqual(1900);
	});

	it('falls back to polling when the stream drops mid-way', async () => {
		const session = await startSession();
		const waiting = run(waitParameters(session));
		await until(() => (received(EVENTS).length ? true : undefined), { intervalMs: 20 });
		// The server ends every open stream (and comes back on the same port, its state kept).
		const { port } = env.sandbox.server;
		await env.sandbox.server.stop();
		await env.sandbox.server.start(port);
		await customerLogsInWhen(() => received(STATUS).length >= 1, session);
		const result = await waiting;
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([expect.objectContaining({ status: 'success', verified: true, heardBy: 'polling' })]);
	});

	it('polls without a subscribe token, and waits as long as Retry-After asks', async () => {
		env.sandbox.server.injectFault(STATUS, { kind: 'rate-limit', retryAfter: 3 });
		const session = await startSession();
		const waiting = run(waitParameters(session, { subscribeToken: '' }));
		await customerLogsInWhen(() => received(STATUS).length >= 3, session);
		const result = await waiting;
		expect(result.json()).toEqual([expect.objectContaining({ verified: true, heardBy: 'polling' })]);
		expect(received(EVENTS)).toHaveLength(0);
		const [afterRateLimit, ...rest] = gapsMs(STATUS);
		expect(afterRateLimit).toBeGreaterThanOrEqual(2900);
		for (const gap of rest) expect(gap).toBeGreaterThanOrEqual(1900);
	});

	it('ends with a clear error on a 410 while polling', async () => {
		const session = await startSession();
		await control('/login/expire', { sessionId: session.sessionId });
		const result = await run(waitParameters(session, { subscribeToken: '' }));
		expect(result.error?.message).toBe(`The login session ${session.sessionId} has expired`);
		expect(received(STATUS).map((request) => request.status)).toEqual([410]);
	});

	it.each([
		['on the stream', {}],
		['while polling', { subscribeToken: '' }],
	])('gives up after the timeout %s', async (_, extra) => {
		const session = await startSession();
		const started = Date.now();
		const result = await run(waitParameters(session, { timeoutSeconds: 3, ...extra }));
		const took = Date.now() - started;
		expect(result.error?.message).toMatch(new RegExp(`^No verification within 3 s: the customer has not sent the LOGIN message of session ${session.sessionId}`));
		expect(took).toBeLessThan(6000);
		expect(took).toBeGreaterThanOrEqual(1900);
	});

	it('verifies a token once: the phone and the name, then a clear refusal of the used token', async () => {
		const session = await startSession();
		await control('/login/verify', { sessionId: session.sessionId, phone: '447700900123', name: 'Tom Baker' });
		const { verificationToken } = (await run({ resource: 'login', operation: 'getStatus', sessionId: session.sessionId })).json()[0] as { verificationToken: string };
		const verified = await run({ resource: 'login', operation: 'verifyToken', token: verificationToken });
		expect(verified.json()).toEqual([{ valid: true, user: { phone: '447700900123', name: 'Tom Baker' } }]);
		expect(bodies(VERIFY)).toEqual([{ token: verificationToken }]);
		const again = await run({ resource: 'login', operation: 'verifyToken', token: verificationToken });
		expect(again.error?.message).toBe('Messlo: The token was already used: each verification token is good once.');
		expect(again.error?.description).toMatch(/good for one Verify Token call/);
	});

	it('never shows the verification token in an error or a log, even when Messlo echoes it', async () => {
		const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0NDc3MDA5MDAxMjMifQ.c2lnbmF0dXJlLXNlY3JldA';
		env.sandbox.server.injectFault(VERIFY, { kind: 'answer', status: 401, contentType: 'application/json', body: JSON.stringify({ success: false, message: `Token ${token} is not valid`, token }) });
		const { result: refused, output } = await capturedOutput(() =>
			env.pkg.runWorkflow({
				nodes: [{ name: 'Messlo', type: 'messlo', parameters: { resource: 'login', operation: 'verifyToken', token: '={{ $json.verificationToken }}' } }],
				credentials: { messloApi: env.sandbox.credentials },
				inputJson: [{ verificationToken: token }],
			}),
		);
		expect(refused.error?.message).toBe('Messlo: Token [redacted] is not valid');
		expect(errorShown(refused)).toContain('Token [redacted] is not valid');
		expect(errorShown(refused)).not.toContain(token);
		expect(output).not.toContain(token);

		const session = await startSession();
		env.sandbox.server.injectFault(STATUS, { kind: 'answer', status: 400, contentType: 'application/json', body: JSON.stringify({ success: false, message: 'Bad session', verificationToken: token }) });
		const { result: failed, output: failedOutput } = await capturedOutput(() => run({ resource: 'login', operation: 'getStatus', sessionId: session.sessionId }));
		expect(failed.error?.message).toBe('Messlo: Bad session');
		expect(errorShown(failed)).toContain('"verificationToken":"[redacted]"');
		expect(errorShown(failed)).not.toContain(token);
		expect(failedOutput).not.toContain(token);
	});

	it('uses the Login App API Key instead of the credential\'s, and never shows it', async () => {
		const wrongAccountKey = { ...env.sandbox.credentials, apiKey: 'wrong-account-key-1234' };
		const started = await run({ resource: 'login', operation: 'start', options: { loginApiKey: MESSLO_DEMO.apiKey } }, { credentials: wrongAccountKey });
		expect(started.error).toBeUndefined();
		expect(started.json()[0].sessionId).toEqual(expect.any(String));

		const loginKey = 'login-app-key-5678';
		env.sandbox.server.injectFault(STATUS, { kind: 'answer', status: 401, contentType: 'application/json', body: JSON.stringify({ success: false, message: `Invalid API key ${loginKey}` }) });
		const refused = await run({ resource: 'login', operation: 'getStatus', sessionId: started.json()[0].sessionId as string, options: { loginApiKey: loginKey } });
		expect(refused.error?.message).toBe('Messlo: Invalid API key [redacted]');
		expect(errorShown(refused)).not.toContain(loginKey);
		const wrong = await run({ resource: 'login', operation: 'start', options: { loginApiKey: loginKey } });
		expect(wrong.error?.message).toBe('Messlo: Invalid API key');
	});

	it('runs the whole login in one workflow: Start, the customer\'s LOGIN message, Wait for Verification, Verify Token', async () => {
		const running = env.pkg.runWorkflow({
			nodes: [
				{ name: 'Start', type: 'messlo', parameters: { resource: 'login', operation: 'start' } },
				{
					name: 'Wait',
					type: 'messlo',
					parameters: { resource: 'login', operation: 'waitForVerification', sessionId: '={{ $json.sessionId }}', subscribeToken: '={{ $json.subscribeToken }}', timeoutSeconds: 30 },
				},
				{ name: 'Verify', type: 'messlo', parameters: { resource: 'login', operation: 'verifyToken', token: '={{ $json.verificationToken }}' } },
			],
			credentials: { messloApi: env.sandbox.credentials },
		});
		await until(() => (received(EVENTS).length ? true : undefined), { intervalMs: 20 });
		const session = env.sandbox.server.state.loginSessions[0]!;
		const inbound = await control('/inbound', { from: '+49 151 1234 5678', name: 'Lena Vogel', to: MESSLO_DEMO.senderNumber, text: `LOGIN ${session.code}` });
		expect(inbound.login).toEqual({ sessionId: session.sessionId, status: 'success' });
		const result = await running;
		expect(result.error).toBeUndefined();
		expect(result.json('Wait')).toEqual([expect.objectContaining({ verified: true, heardBy: 'stream' })]);
		expect(result.json('Verify')).toEqual([{ valid: true, user: { phone: '4915112345678', name: 'Lena Vogel' } }]);
		expect(result.unpairedItems('Wait')).toEqual([]);
	});
});

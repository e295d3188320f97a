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

	it('ends with a clear error when the status says the login failed', async () => {
		const session = await startSession();
		env.sandbox.server.injectFault(STATUS, { kind: 'answer', status: 200, contentType: 'application/json', body: JSON.stringify({ success: true, status: 'failed', message: 'The number is blocked' }) });
		const result = await run(waitParameters(session, { subscribeToken: '' }));
		expect(result.error?.message).toBe(`The login of session ${session.sessionId} failed: The number is blocked`);
		expect(received(STATUS)).toHaveLength(1);
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
		expect(took).toBeLessThan(10_000);
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

const FLOWS = 'GET /api/automation';
const NODES = [
	{ id: 'trigger_1', type: 'trigger', position: { x: 0, y: 0 }, parameters: { event_type: 'message_received' } },
	{ id: 'reply_1', type: 'send_message', position: { x: 240, y: 0 }, parameters: { recipient: '{{senderNumber}}', message_body: 'Hi!' } },
];
const CONNECTIONS = [{ id: 'c1', source: 'trigger_1', target: 'reply_1', sourceHandle: 'src', targetHandle: 'tgt' }];

describe('Messlo automation flows (rows 47–52)', () => {
	it('lists flows over pages, with the search and active filters', async () => {
		const all = await run({ resource: 'automation', operation: 'getAll', returnAll: true });
		expect(all.json().map((flow) => [flow.id, flow.name, flow.is_active])).toEqual([[MESSLO_SEED.flow.id, MESSLO_SEED.flow.name, true]]);
		const inactive = await run({ resource: 'automation', operation: 'getAll', returnAll: false, limit: 5, filters: { search: 'welcome', isActive: 'false' } });
		expect(inactive.json()).toEqual([]);
		expect(queries(FLOWS)).toEqual([
			{ page: '1', limit: '100' },
			{ search: 'welcome', is_active: 'false', page: '1', limit: '5' },
		]);
	});

	it('lists the node types, one item each', async () => {
		const result = await run({ resource: 'automation', operation: 'getNodeTypes' });
		expect(result.json()).toEqual(expect.arrayContaining([{ type: 'send_message', description: 'Sends a WhatsApp message', parameters: expect.arrayContaining(['message_body']) }]));
		expect(result.json().length).toBeGreaterThan(20);
		expect(received('GET /api/automation/node-types')[0].query).toEqual({});
	});

	it('creates a flow from JSON text or from lists an expression gives, with triggers, settings and a description', async () => {
		const result = await run({
			resource: 'automation',
			operation: 'create',
			name: 'Order bot',
			active: true,
			nodes: JSON.stringify(NODES),
			connections: JSON.stringify(CONNECTIONS),
			options: { description: 'Answers order questions', triggers: '[{"event_type": "message_received", "conditions": {"keyword": "order"}}]', settings: '{"projects": []}' },
		});
		expect(result.error).toBeUndefined();
		expect(bodies('POST /api/automation')).toEqual([
			{
				name: 'Order bot',
				is_active: true,
				nodes: NODES,
				connections: CONNECTIONS,
				description: 'Answers order questions',
				triggers: [{ event_type: 'message_received', conditions: { keyword: 'order' } }],
				settings: { projects: [] },
			},
		]);
		expect(result.json()).toEqual([expect.objectContaining({ name: 'Order bot', is_active: true, _id: expect.any(String) })]);
		const fromExpression = await run({ resource: 'automation', operation: 'create', name: 'Plain', nodes: '={{ $json.nodes }}', connections: '={{ $json.connections }}' }, { inputJson: [{ nodes: NODES, connections: [] }] });
		expect(fromExpression.error).toBeUndefined();
		expect(bodies('POST /api/automation')[1]).toEqual({ name: 'Plain', is_active: false, nodes: NODES, connections: [] });
	});

	it.each<[string, INodeParameters, RegExp]>([
		['nodes that are not JSON', { nodes: '[{"id": "a",}]' }, /^Nodes \(JSON\) is not valid JSON$/],
		['nodes that are an object', { nodes: '{"id": "a"}' }, /^Nodes \(JSON\) must be a JSON list/],
		['no nodes', { nodes: '[]' }, /^Nodes \(JSON\) is empty$/],
		['a node that is not an object', { nodes: '["trigger"]' }, /^Nodes \(JSON\): entry 1 must be an object/],
		['a node without a type', { nodes: '[{"id": "a", "position": {"x": 0, "y": 0}}]' }, /^Nodes \(JSON\): node 1 \("a"\) has no "type"$/],
		['a node without a position', { nodes: '[{"id": "a", "type": "trigger"}]' }, /^Nodes \(JSON\): node 1 \("a"\) needs a "position" with numbers x and y$/],
		['two nodes of one id', { nodes: JSON.stringify([NODES[0], { ...NODES[1], id: 'trigger_1' }]) }, /^Nodes \(JSON\): the id "trigger_1" is used by two nodes$/],
		['a connection to a node the flow lacks', { connections: '[{"id": "c1", "source": "trigger_1", "target": "reply_9"}]' }, /^Connections \(JSON\): connection 1: the target "reply_9" is not a node of the flow$/],
		['a connection without an id', { connections: '[{"source": "trigger_1", "target": "reply_1"}]' }, /^Connections \(JSON\): connection 1 has no "id"$/],
		['a trigger without an event type', { options: { triggers: '[{"conditions": {}}]' } }, /^Options → Triggers \(JSON\): trigger 1 has no "event_type"$/],
		['settings that are a list', { options: { settings: '[1]' } }, /^Options → Settings \(JSON\) must be a JSON object/],
	])('refuses %s before sending', async (_, parameters, message) => {
		const result = await run({ resource: 'automation', operation: 'create', name: 'Broken', nodes: JSON.stringify(NODES), connections: JSON.stringify(CONNECTIONS), ...parameters });
		expect(result.error?.message).toMatch(message);
		expect(received('POST /api/automation')).toHaveLength(0);
	});

	it('deactivates and activates a flow, and tests it only while it is active', async () => {
		const id = MESSLO_SEED.flow.id;
		await run({ resource: 'automation', operation: 'setActive', flowId: id, active: false });
		const inactive = await run({ resource: 'automation', operation: 'test', flowId: id });
		expect(inactive.error?.message).toMatch(/^Messlo: Automation flow Welcome menu is inactive/);
		const activated = await run({ resource: 'automation', operation: 'setActive', flowId: id, active: true });
		expect(activated.json()).toEqual([expect.objectContaining({ id, is_active: true })]);
		expect(bodies('PATCH /api/automation/:flowId/toggle')).toEqual([{ is_active: false }, { is_active: true }]);

		const tested = await run({ resource: 'automation', operation: 'test', flowId: id, testData: { senderNumber: '+44 7700 900123', messageBody: 'order status', contactId: MESSLO_SEED.tom.contactId, userId: 'u-1' } });
		expect(tested.json()).toEqual([expect.objectContaining({ flow_id: id, status: 'success', test: true })]);
		const plain = await run({ resource: 'automation', operation: 'test', flowId: id });
		expect(plain.error).toBeUndefined();
		expect(env.sandbox.server.received('POST /api/automation/:flowId/test').map((request) => request.body)).toEqual([
			{},
			{ test_data: { senderNumber: '447700900123', contactId: MESSLO_SEED.tom.contactId, message: { body: 'order status' }, userId: 'u-1' } },
			{},
		]);
	});

	it('lists a flow\'s executions with a status filter', async () => {
		const id = MESSLO_SEED.flow.id;
		await run({ resource: 'automation', operation: 'test', flowId: id }, { inputJson: [{}, {}] });
		const all = await run({ resource: 'automation', operation: 'getExecutions', flowId: id, returnAll: true });
		expect(all.json()).toHaveLength(2);
		const failed = await run({ resource: 'automation', operation: 'getExecutions', flowId: id, returnAll: false, limit: 10, filters: { status: 'failed' } });
		expect(failed.json()).toEqual([]);
		expect(queries('GET /api/automation/:flowId/executions')).toEqual([
			{ page: '1', limit: '100' },
			{ status: 'failed', page: '1', limit: '10' },
		]);
	});
});

describe('Messlo CRM (rows 53–57)', () => {
	it('lists and creates segments', async () => {
		const created = await run({ resource: 'segment', operation: 'create', name: 'Repeat buyers', options: { description: 'Two orders or more' } });
		expect(created.json()).toEqual([expect.objectContaining({ name: 'Repeat buyers', description: 'Two orders or more' })]);
		expect(bodies('POST /api/segments')).toEqual([{ name: 'Repeat buyers', description: 'Two orders or more' }]);
		const found = await run({ resource: 'segment', operation: 'getAll', returnAll: true, search: 'repeat' });
		expect(found.json().map((segment) => segment.name)).toEqual(['Repeat buyers']);
		expect(queries('GET /api/segments')).toEqual([{ search: 'repeat', page: '1', limit: '100' }]);
	});

	it('lists and creates tags (the name is the label), and refuses a colour that is not #rrggbb', async () => {
		await run({ resource: 'tag', operation: 'create', label: 'Wholesale', options: { color: '#0EA5E9' } });
		await run({ resource: 'tag', operation: 'create', label: 'Retail' });
		expect(bodies('POST /api/tags')).toEqual([{ label: 'Wholesale', color: '#0EA5E9' }, { label: 'Retail' }]);
		const bad = await run({ resource: 'tag', operation: 'create', label: 'Odd', options: { color: 'blue' } });
		expect(bad.error?.message).toBe('Color "blue" is not a colour like #e11d48');
		const two = await run({ resource: 'tag', operation: 'getAll', returnAll: false, limit: 2 });
		expect(two.json().map((tag) => tag.label)).toEqual(['Retail', 'Wholesale']);
		expect(queries('GET /api/tags')).toEqual([{ page: '1', limit: '2' }]);
	});

	it('lists the custom fields, whose names are the keys of a contact\'s custom fields', async () => {
		const result = await run({ resource: 'customField', operation: 'getAll', returnAll: true });
		expect(result.json().map((field) => field.name)).toContain(MESSLO_SEED.customField.name);
		expect(queries('GET /api/custom-fields')).toEqual([{ page: '1', limit: '100' }]);
	});
});

describe('Messlo AI chatbots and keyword bots (rows 59–64)', () => {
	it('lists a WABA\'s chatbots and creates one', async () => {
		const list = await run({ resource: 'chatbot', operation: 'getAll', wabaId: MESSLO_DEMO.wabaId, returnAll: true, search: 'support' });
		expect(list.json().map((bot) => bot.id)).toEqual([MESSLO_SEED.chatbot.id]);
		expect(queries('GET /api/chatbots')).toEqual([{ waba_id: MESSLO_DEMO.wabaId, search: 'support' }]);
		const created = await run({
			resource: 'chatbot',
			operation: 'create',
			wabaId: MESSLO_DEMO.secondWabaId,
			name: 'Sales bot',
			options: { businessName: 'Acme US', businessDescription: 'We sell shoes', systemPrompt: 'Be brief.' },
		});
		expect(created.json()).toEqual([expect.objectContaining({ name: 'Sales bot', status: 'draft' })]);
		expect(bodies('POST /api/chatbots')).toEqual([{ waba_id: MESSLO_DEMO.secondWabaId, name: 'Sales bot', business_name: 'Acme US', business_description: 'We sell shoes', system_prompt: 'Be brief.' }]);
	});

	it('trains a chatbot with question–answer pairs and a text, and refuses to train on nothing', async () => {
		const result = await run({
			resource: 'chatbot',
			operation: 'train',
			chatbotId: MESSLO_SEED.chatbot.id,
			trainingData: { pair: [{ question: 'Opening hours?', answer: '9 to 7' }, { question: 'Do you ship abroad?', answer: 'Yes' }] },
			options: { rawTrainingText: 'We are closed on Sundays.', knowledgeType: 'q&a', businessName: 'Acme' },
		});
		expect(result.json()).toEqual([expect.objectContaining({ trained: { qna_pairs: 14, texts: 2 } })]);
		expect(bodies('POST /api/chatbots/:id/train')).toEqual([
			{
				business_name: 'Acme',
				training_data: [
					{ question: 'Opening hours?', answer: '9 to 7' },
					{ question: 'Do you ship abroad?', answer: 'Yes' },
				],
				raw_training_text: 'We are closed on Sundays.',
				knowledgeType: 'q&a',
			},
		]);
		const half = await run({ resource: 'chatbot', operation: 'train', chatbotId: MESSLO_SEED.chatbot.id, trainingData: { pair: [{ question: 'Price?', answer: '' }] } });
		expect(half.error?.message).toBe('Questions and Answers: pair 1 has no answer');
		const nothing = await run({ resource: 'chatbot', operation: 'train', chatbotId: MESSLO_SEED.chatbot.id });
		expect(nothing.error?.message).toBe('Nothing to train on');
		expect(received('POST /api/chatbots/:id/train')).toHaveLength(1);
	});

	it('lists keyword bots with filters, and creates one: keywords, matching, similarity, reply', async () => {
		const list = await run({ resource: 'messageBot', operation: 'getAll', wabaId: MESSLO_DEMO.wabaId, returnAll: true, filters: { search: 'price', status: 'active' } });
		expect(list.json().map((bot) => bot.id)).toEqual([MESSLO_SEED.messageBot.id]);
		expect(queries('GET /api/message-bots')).toEqual([{ waba_id: MESSLO_DEMO.wabaId, search: 'price', status: 'active', page: '1', limit: '100' }]);
		await run({
			resource: 'messageBot',
			operation: 'create',
			wabaId: MESSLO_DEMO.wabaId,
			keywords: 'hours, opening\nopen, hours',
			matchingMethod: 'partial',
			partialPercentage: 75,
			replyType: 'template',
			replyId: MESSLO_SEED.templates.hello_world,
			options: { status: 'inactive' },
		});
		await run({ resource: 'messageBot', operation: 'create', wabaId: MESSLO_DEMO.wabaId, keywords: '={{ ["agent", "human"] }}', replyType: 'agent' });
		expect(bodies('POST /api/message-bots')).toEqual([
			{ waba_id: MESSLO_DEMO.wabaId, keywords: ['hours', 'opening', 'open'], matching_method: 'partial', partial_percentage: 75, reply_type: 'template', reply_id: MESSLO_SEED.templates.hello_world, status: 'inactive' },
			{ waba_id: MESSLO_DEMO.wabaId, keywords: ['agent', 'human'], matching_method: 'contains', reply_type: 'agent' },
		]);
		const noReply = await run({ resource: 'messageBot', operation: 'create', wabaId: MESSLO_DEMO.wabaId, keywords: 'x', replyType: 'text' });
		expect(noReply.error?.message).toBe('Reply Name or ID is empty');
		const noKeywords = await run({ resource: 'messageBot', operation: 'create', wabaId: MESSLO_DEMO.wabaId, keywords: ' , ', replyType: 'agent' });
		expect(noKeywords.error?.message).toBe('Keywords is empty');
		expect(received('POST /api/message-bots')).toHaveLength(2);
	});

	it('lists quick replies', async () => {
		const result = await run({ resource: 'quickReply', operation: 'getAll', returnAll: true, search: 'thanks' });
		expect(result.json().map((reply) => reply.id)).toEqual([MESSLO_SEED.quickReply.id]);
		expect(queries('GET /api/quick-replies')).toEqual([{ search: 'thanks', page: '1', limit: '100' }]);
	});
});

const FORM_FIELDS = [
	{ type: 'text', label: 'Full name', required: true },
	{ type: 'email', label: 'Email' },
];

describe('Messlo WhatsApp Flow forms (rows 65–67)', () => {
	it('lists a WABA\'s forms with filters', async () => {
		const result = await run({ resource: 'form', operation: 'getAll', wabaId: MESSLO_DEMO.wabaId, returnAll: true, filters: { search: 'demo', metaStatus: 'PUBLISHED', category: 'CUSTOM' } });
		expect(result.json()).toEqual([expect.objectContaining({ id: MESSLO_SEED.form.id, flow: { flow_id: MESSLO_SEED.form.flowId, status: 'PUBLISHED' } })]);
		expect(queries('GET /api/forms')).toEqual([{ waba_id: MESSLO_DEMO.wabaId, search: 'demo', meta_status: 'PUBLISHED', category: 'CUSTOM', page: '1', limit: '100' }]);
	});

	it('creates a form, then publishes it with no body', async () => {
		const created = await run({
			resource: 'form',
			operation: 'create',
			wabaId: MESSLO_DEMO.wabaId,
			name: 'Callback request',
			fields: JSON.stringify(FORM_FIELDS),
			options: { category: 'LEAD', description: 'Call me back', isActive: false, submitSettings: '{"message": "Thanks!"}' },
		});
		expect(bodies('POST /api/forms')).toEqual([
			{ waba_id: MESSLO_DEMO.wabaId, name: 'Callback request', fields: FORM_FIELDS, category: 'LEAD', description: 'Call me back', is_active: false, submit_settings: { message: 'Thanks!' } },
		]);
		const form = created.json()[0];
		expect(form.meta_status).toBe('DRAFT');
		const published = await run({ resource: 'form', operation: 'publish', formId: form.id as string });
		expect(published.json()).toEqual([expect.objectContaining({ id: form.id, meta_status: 'PUBLISHED' })]);
		const [request] = received('PATCH /api/forms/:id/publish');
		expect(request.headers['content-type']).toBeUndefined();
		expect(request.body ?? {}).toEqual({});
	});

	it.each<[string, string, RegExp]>([
		['fields that are not JSON', '[{"type": }]', /^Fields \(JSON\) is not valid JSON$/],
		['no fields', '[]', /^Fields \(JSON\) is empty$/],
		['a field without a label', '[{"type": "text"}]', /^Fields \(JSON\): field 1 has no "label"$/],
		['options that are not a list of objects', '[{"type": "select", "label": "Size", "options": ["S", "M"]}]', /^Fields \(JSON\): field 1 \("Size"\): "options" must be a list of objects$/],
	])('refuses %s before sending', async (_, fields, message) => {
		const result = await run({ resource: 'form', operation: 'create', wabaId: MESSLO_DEMO.wabaId, name: 'Broken', fields });
		expect(result.error?.message).toMatch(message);
		expect(received('POST /api/forms')).toHaveLength(0);
	});
});

describe('Messlo industry packs (rows 68–70)', () => {
	it('lists the public packs, one item each', async () => {
		const result = await run({ resource: 'industryPack', operation: 'getAll' });
		expect(result.json().map((pack) => pack.slug)).toEqual(['real_estate_builder', 'school', 'ngo']);
	});

	it('previews a pack with personalization values as query parameters', async () => {
		const result = await run({
			resource: 'industryPack',
			operation: 'preview',
			packSlug: 'real_estate_builder',
			personalization: { variable: [{ key: 'company_name', value: 'Skyline Homes' }, { key: 'city', value: 'Pune' }] },
		});
		expect(result.json()).toEqual([expect.objectContaining({ slug: 'real_estate_builder', description: 'Site visits, project brochures and lead qualification for Skyline Homes in Pune.' })]);
		expect(queries('GET /api/industry-packs/public/:slug/preview')).toEqual([{ company_name: 'Skyline Homes', city: 'Pune' }]);
	});

	it('applies a pack with personalization and setup overrides', async () => {
		const result = await run({
			resource: 'industryPack',
			operation: 'apply',
			packSlug: 'school',
			personalization: { variable: [{ key: 'company_name', value: 'Acme School' }] },
			options: { setupOverrides: '{"integrations": {"google_sheets": false}}' },
		});
		expect(result.json()).toEqual([{ pack_slug: 'school', created: { tags: 2, segments: 1, custom_fields: 1, flows: 1 }, setup_overrides: { integrations: { google_sheets: false } } }]);
		expect(bodies('POST /api/industry-packs/apply')).toEqual([{ pack_slug: 'school', personalization: { company_name: 'Acme School' }, setup_overrides: { integrations: { google_sheets: false } } }]);
		await run({ resource: 'industryPack', operation: 'apply', packSlug: 'ngo' });
		expect(bodies('POST /api/industry-packs/apply')[1]).toEqual({ pack_slug: 'ngo' });
	});
});

describe('Messlo operations (rows 71–76)', () => {
	it('gets the plan usage at the documented path, and at the singular one when that is missing', async () => {
		const result = await run({ resource: 'workspace', operation: 'getUsage' });
		expect(result.json()).toEqual([expect.objectContaining({ plan: 'Growth', limits: expect.objectContaining({ contacts: 10_000 }), usage: expect.objectContaining({ contacts: 3 }) })]);
		expect(received('GET /api/subscription/usage')).toHaveLength(0);
		env.sandbox.server.injectFault('GET /api/subscriptions/usage', { kind: 'answer', status: 404, contentType: 'application/json', body: '{"success": false, "message": "Route not found"}' });
		const moved = await run({ resource: 'workspace', operation: 'getUsage' });
		expect(moved.json()).toEqual([expect.objectContaining({ plan: 'Growth' })]);
		expect(received('GET /api/subscriptions/usage')).toHaveLength(2);
		expect(received('GET /api/subscription/usage')).toHaveLength(1);
	});

	it('lists agents', async () => {
		const result = await run({ resource: 'agent', operation: 'getAll', returnAll: true, search: 'priya' });
		expect(result.json().map((agent) => agent.id)).toEqual([MESSLO_SEED.agents.priya.id]);
		expect(queries('GET /api/agent/all')).toEqual([{ search: 'priya', page: '1', limit: '100' }]);
	});

	it('gets the Google connect URL for a dashboard page', async () => {
		const result = await run({ resource: 'workspace', operation: 'getGoogleConnectUrl', returnTo: '/settings/integrations' });
		expect(result.json()).toEqual([{ url: expect.stringMatching(/^https:\/\/accounts\.google\.com\/o\/oauth2\/v2\/auth\?/), return_to: '/settings/integrations' }]);
		await run({ resource: 'workspace', operation: 'getGoogleConnectUrl' });
		expect(queries('GET /api/google/connect')).toEqual([{ return_to: '/settings/integrations' }, { return_to: '/google_account' }]);
	});

	it('lists a WABA\'s sequences, and the kanban funnels with filters', async () => {
		const sequences = await run({ resource: 'sequence', operation: 'getAll', wabaId: MESSLO_DEMO.wabaId, returnAll: true });
		expect(sequences.json().map((sequence) => sequence.name)).toEqual([MESSLO_SEED.sequence.name]);
		expect(queries('GET /api/sequences')).toEqual([{ waba_id: MESSLO_DEMO.wabaId }]);
		const funnels = await run({ resource: 'kanbanFunnel', operation: 'getAll', returnAll: true, filters: { search: 'sales', funnelType: 'contact' } });
		expect(funnels.json().map((funnel) => funnel.id)).toEqual([MESSLO_SEED.funnel.id]);
		expect(queries('GET /api/kanban-funnels')).toEqual([{ search: 'sales', funnelType: 'contact', page: '1', limit: '100' }]);
	});
});

describe('Messlo commerce (rows 77–80)', () => {
	it('syncs a WABA\'s catalogs with an empty body', async () => {
		const result = await run({ resource: 'catalog', operation: 'sync', wabaId: MESSLO_DEMO.wabaId });
		expect(result.json()).toEqual([expect.objectContaining({ synced: 1 })]);
		expect(bodies('POST /api/ecommerce-catalog/waba/:waba_id/sync-catalogs')).toEqual([{}]);
	});

	it('lists a catalog\'s products over pages, or up to a limit, with a search', async () => {
		const two = await run({ resource: 'catalog', operation: 'getProducts', catalogId: MESSLO_SEED.catalog.id, returnAll: false, limit: 2 });
		expect(two.json().map((product) => product.product_retailer_id)).toEqual(['prod_1', 'prod_2']);
		const shoes = await run({ resource: 'catalog', operation: 'getProducts', catalogId: MESSLO_SEED.catalog.id, returnAll: true, search: 'shoes' });
		expect(shoes.json().map((product) => product.name)).toEqual(['Canvas shoes']);
		expect(queries('GET /api/ecommerce-catalog/catalog/:catalog_id/products')).toEqual([
			{ page: '1', limit: '2' },
			{ search: 'shoes', page: '1', limit: '100' },
		]);
		const meta = await run({ resource: 'catalog', operation: 'getProducts', catalogId: MESSLO_SEED.catalog.metaCatalogId, returnAll: true });
		expect(meta.error?.message).toBe(`Messlo: ${MESSLO_SEED.catalog.metaCatalogId} is Meta's catalog id: use Messlo's catalog id ${MESSLO_SEED.catalog.id}.`);
	});

	it('creates an order webhook whose secret key comes out once, and maps a template once an order came in', async () => {
		const created = await run({ resource: 'orderWebhook', operation: 'create', webhookName: 'Shopify orders', requireAuth: true, method: 'POST' });
		expect(bodies('POST /api/ecommerce-webhook/create')).toEqual([{ webhook_name: 'Shopify orders', require_auth: true, method: 'POST' }]);
		const clash = await run({ resource: 'orderWebhook', operation: 'create', webhookName: 'Other', options: { additionalBodyFields: '{"method": "GET"}' } });
		expect(clash.error?.message).toBe('Options → Additional Body Fields (JSON) sets "method", which the node already sends');
		const webhook = created.json()[0] as { id: string; webhook_url: string; secret_key: string };
		expect(webhook).toEqual(expect.objectContaining({ webhook_url: expect.stringContaining('/api/ecommerce-webhook/receive/'), secret_key: expect.stringMatching(/^[0-9a-f]{48}$/) }));

		const mapping = {
			resource: 'orderWebhook',
			operation: 'mapTemplate',
			webhookId: webhook.id,
			templateId: MESSLO_SEED.templates.checkout_invoice,
			phoneNumberField: 'customer.phone',
			variables: { variable: [{ key: '1', value: 'customer.first_name' }, { key: '2', value: 'order.name' }, { key: 'header', value: 'invoice.pdf_url' }] },
		};
		const early = await run(mapping);
		expect(early.error?.message).toMatch(/^Messlo: No order has reached this webhook yet/);

		const order = { customer: { phone: '+44 7700 900123', first_name: 'Tom' }, order: { name: '#1042' }, invoice: { pdf_url: 'https://cdn.example.com/invoices/1042.pdf' } };
		const store = await fetch(webhook.webhook_url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': webhook.secret_key }, body: JSON.stringify(order) });
		expect(store.status).toBe(200);
		const mapped = await run(mapping);
		expect(mapped.error).toBeUndefined();
		expect(mapped.json()).toEqual([expect.objectContaining({ template_mapping: { template_id: MESSLO_SEED.templates.checkout_invoice, phone_number_field: 'customer.phone', variables: { 1: 'customer.first_name', 2: 'order.name', header: 'invoice.pdf_url' } } })]);
		expect(mapped.json()[0]).not.toHaveProperty('secret_key');
		expect(bodies('POST /api/ecommerce-webhook/:id/map-template')).toEqual([
			{ template_id: MESSLO_SEED.templates.checkout_invoice, phone_number_field: 'customer.phone', variables: { 1: 'customer.first_name', 2: 'order.name', header: 'invoice.pdf_url' } },
		]);
	});

	it('refuses a phone field or a variable that is not a dot path, before sending', async () => {
		const phone = await run({ resource: 'orderWebhook', operation: 'mapTemplate', webhookId: '5eed1f000000000000000009', templateId: MESSLO_SEED.templates.order_update, phoneNumberField: 'customer phone' });
		expect(phone.error?.message).toBe('Phone Number Field "customer phone" is not a dot path');
		const variable = await run({
			resource: 'orderWebhook',
			operation: 'mapTemplate',
			webhookId: '5eed1f000000000000000009',
			templateId: MESSLO_SEED.templates.order_update,
			variables: { variable: [{ key: '1', value: 'order..name' }] },
		});
		expect(variable.error?.message).toBe('Variables: the field for "1" is not a dot path: "order..name"');
		expect(received('POST /api/ecommerce-webhook/:id/map-template')).toHaveLength(0);
	});

	it('never shows the webhook\'s secret key in an error or a log', async () => {
		const secret = 'sk_live_7d1e0c9b2a4f6e8d';
		env.sandbox.server.injectFault('POST /api/ecommerce-webhook/create', { kind: 'answer', status: 200, contentType: 'application/json', body: JSON.stringify({ webhook_url: 'https://api.messlo.com/hook/1', secret_key: secret }) });
		const { result, output } = await capturedOutput(() => run({ resource: 'orderWebhook', operation: 'create', webhookName: 'Woo orders' }));
		expect(result.error?.message).toBe('Messlo: the answer is not Messlo\'s success answer, so the request does not count as done');
		expect(result.error?.description).toContain('"secret_key":"[redacted]"');
		expect(errorShown(result)).not.toContain(secret);
		expect(output).not.toContain(secret);
	});
});

describe('Messlo part 2 dropdowns', () => {
	const load = (method: string, parameters: INodeParameters = {}) =>
		env.pkg.loadOptions({ nodeType: 'messlo', method, credentials: { messloApi: env.sandbox.credentials }, parameters });

	it('lists the numbers a login can use, valued by their Meta phone number ID', async () => {
		expect(await load('getLoginPhoneNumbers', { resource: 'login', operation: 'start' })).toEqual([
			{ name: '+1 415-555-0100 (Acme US)', value: '109876543210987' },
			{ name: '+91 12345 67890 (Acme India)', value: MESSLO_DEMO.metaPhoneNumberId, description: 'Primary number' },
		]);
	});

	it('lists the automation flows, the industry packs by slug, and the forms of every WABA', async () => {
		expect(await load('getFlows', { resource: 'automation', operation: 'test' })).toEqual([{ name: MESSLO_SEED.flow.name, value: MESSLO_SEED.flow.id, description: 'Active' }]);
		expect((await load('getIndustryPacks', { resource: 'industryPack', operation: 'apply' })).map((option) => [option.name, option.value])).toEqual([
			['NGO', 'ngo'],
			['Real estate builder', 'real_estate_builder'],
			['School', 'school'],
		]);
		expect(await load('getForms', { resource: 'form', operation: 'publish' })).toEqual([{ name: MESSLO_SEED.form.name, value: MESSLO_SEED.form.id, description: 'Meta status: PUBLISHED' }]);
		expect(queries('GET /api/forms')).toEqual([
			{ waba_id: MESSLO_DEMO.wabaId, page: '1', limit: '100' },
			{ waba_id: MESSLO_DEMO.secondWabaId, page: '1', limit: '100' },
		]);
	});

	it('lists the chatbots of every WABA, naming the WABA when there are several, or of the chosen WABA', async () => {
		await run({ resource: 'chatbot', operation: 'create', wabaId: MESSLO_DEMO.secondWabaId, name: 'Sales bot' });
		const every = await load('getChatbots', { resource: 'chatbot', operation: 'train' });
		expect(every.map((option) => option.name)).toEqual(['Sales bot (Acme US)', 'Support bot (Acme India)']);
		const chosen = await load('getChatbots', { resource: 'messageBot', operation: 'create', wabaId: MESSLO_DEMO.wabaId, replyType: 'chatbot' });
		expect(chosen).toEqual([{ name: 'Support bot', value: MESSLO_SEED.chatbot.id, description: 'active' }]);
	});

	it('lists what a keyword bot can reply with, for the chosen reply type', async () => {
		const targets = async (replyType: string) =>
			(await load('getReplyTargets', { resource: 'messageBot', operation: 'create', wabaId: MESSLO_DEMO.wabaId, replyType })).map((option) => option.value);
		expect(await targets('template')).toEqual(expect.arrayContaining([MESSLO_SEED.templates.hello_world, MESSLO_SEED.templates.order_update]));
		expect(await targets('chatbot')).toEqual([MESSLO_SEED.chatbot.id]);
		expect(await targets('sequence')).toEqual([MESSLO_SEED.sequence.id]);
		expect(await targets('flow')).toEqual([MESSLO_SEED.form.id]);
		expect((await targets('agent')).sort()).toEqual([MESSLO_SEED.agents.omar.id, MESSLO_SEED.agents.priya.id].sort());
		expect(await targets('catalog')).toEqual([]);
	});

	it('lists templates by ID for an order webhook\'s mapping, approved ones first', async () => {
		const options = await load('getTemplateIds', { resource: 'orderWebhook', operation: 'mapTemplate' });
		expect(options.map((option) => option.value)).toEqual(expect.arrayContaining([MESSLO_SEED.templates.checkout_invoice, MESSLO_SEED.secondWabaTemplate.id]));
		expect(options.find((option) => option.value === MESSLO_SEED.templates.checkout_invoice)?.description).toMatch(/^Status: APPROVED/);
	});
});

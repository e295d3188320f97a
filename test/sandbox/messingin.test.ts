import { SandboxServer } from '../../sandbox/framework';
import { portsFrom } from '../../sandbox/main';
import {
	createSession,
	meterCall,
	meterMessage,
	MESSINGIN_DEMO,
	MESSINGIN_PLANS,
	messinginSimulator,
	PLAN_NAMES,
	setPlan,
} from '../../sandbox/messingin';
import { inspectPng, PNG_SIGNATURE } from '../../sandbox/png';
import { until } from '../support/until';
import { call, caller, useReceiver, useStarted } from './helpers';

const server = new SandboxServer(messinginSimulator());
useStarted(() => server.start(), () => server.reset());
const receiver = useReceiver({ record: ({ url, body }) => ({ url, body }) });
const { hooks } = receiver;

const api = caller(() => `${server.apiUrl}/api/whatsapp`, { authorization: `Bearer ${MESSINGIN_DEMO.apiKey}` });
const control = (method: string, path: string, json: unknown = {}) => call(method, `${server.controlUrl}/messingin${path}`, { json });
const newSession = (json: unknown = { name: 'Support' }) => api('POST', '/sessions', { json });
const send = (sessionId: string, json: unknown) => api('POST', `/sessions/${sessionId}/messages`, { json });

async function connectedSession(webhook?: string): Promise<string> {
	const { json } = await newSession({ name: 'Support', ...(webhook ? { webhook } : {}) });
	await control('POST', `/sessions/${json.data.sessionId}/connect`, { phone: '+15550100001' });
	return json.data.sessionId;
}

describe('authentication', () => {
	it.each([
		['no header', {}],
		['a wrong key', { authorization: 'Bearer wrong-key' }],
		['another scheme', { authorization: `Basic ${MESSINGIN_DEMO.apiKey}` }],
	])('answers 401 to %s, and counts no call', async (_, headers) => {
		const response = await call('POST', `${server.apiUrl}/api/whatsapp/sessions`, { headers, json: { name: 'x' } });
		expect(response.status).toBe(401);
		expect(response.json).toEqual({ success: false, error: 'Invalid or missing API key' });
		expect(server.state.sessions).toHaveLength(0);
		expect(server.state.recentCalls).toHaveLength(0);
	});

	it('keeps the key out of its recordings', async () => {
		await newSession();
		expect(server.received()[0].headers.authorization).toBe('[redacted]');
	});
});

describe('sessions', () => {
	it('creates a session with its QR code as a PNG in a data URL', async () => {
		const response = await newSession({ name: 'My Session', webhook: 'https://your-site.com/webhook' });
		expect(response.status).toBe(201);
		expect(response.json).toEqual({ success: true, data: { sessionId: 'session_1', qrCode: expect.stringMatching(/^data:image\/png;base64,/) } });
		const png = Buffer.from(response.json.data.qrCode.split(',')[1], 'base64');
		expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
		expect(inspectPng(png)).toMatchObject({ width: 264, height: 264, bitDepth: 8, colourType: 0 });
		expect(server.state.sessions[0]).toMatchObject({ name: 'My Session', webhook: 'https://your-site.com/webhook', status: 'qr' });
	});

	it('takes the name alone, as the cURL sample sends it', async () => {
		expect((await newSession({ name: 'My Session' })).status).toBe(201);
	});

	it.each([
		[{}, 'name is required.'],
		[{ name: ' ' }, 'name must not be empty.'],
		[{ name: 'x', webhook: 'not a url' }, 'webhook must be an http or https URL.'],
		[{ name: 'x', callback: 'https://x.test' }, 'Unknown field callback.'],
	])('refuses %j with 400', async (json, error) => {
		const response = await newSession(json);
		expect(response.status).toBe(400);
		expect(response.json).toEqual({ success: false, error });
	});

	it.each([
		['free', 1],
		['basic', 5],
	] as const)('allows the %s plan %i session(s), then answers 403', async (plan, sessions) => {
		setPlan(server.state, plan);
		for (let i = 0; i < sessions; i++) expect((await newSession()).status).toBe(201);
		const refused = await newSession();
		expect(refused.status).toBe(403);
		expect(refused.json.error).toMatch(/^Session limit reached: the (Free|Basic) plan allows \d session/);
	});

	it('gives a new QR code after a disconnect', async () => {
		const session = createSession(server.state, { name: 'x' });
		const before = session.qrGeneration;
		await control('POST', `/sessions/${session.sessionId}/disconnect`, { reason: 'phone logged out' });
		expect(session).toMatchObject({ status: 'disconnected', qrGeneration: before + 1 });
	});
});

describe('messages', () => {
	it('sends from a connected session and answers with the message', async () => {
		const sessionId = await connectedSession();
		const response = await send(sessionId, { to: '+1234567890', message: 'Hello from WhatsApp API!' });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			success: true,
			data: { id: 'msg_001', sessionId, to: '+1234567890', message: 'Hello from WhatsApp API!', status: 'sent', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
		});
	});

	it('refuses a session still waiting for its scan, an unknown one, and a number that is not +E.164', async () => {
		const { json } = await newSession();
		expect((await send(json.data.sessionId, { to: '+1234567890', message: 'x' })).json).toEqual({ success: false, error: 'Session session_1 is not connected: scan its QR code first.' });
		const missing = await send('session_9', { to: '+1234567890', message: 'x' });
		expect([missing.status, missing.json]).toEqual([404, { success: false, error: 'Session not found' }]);
		await control('POST', `/sessions/${json.data.sessionId}/connect`);
		for (const to of ['1234567890', '+0123456789', '+1 234 567 890']) {
			const response = await send(json.data.sessionId, { to, message: 'x' });
			expect([response.status, response.json.error]).toEqual([400, 'to must be a phone number in E.164 form: + and the country code, e.g. +1234567890.']);
		}
		expect(server.state.messages).toHaveLength(0);
	});
});

describe('plan limits', () => {
	it.each(PLAN_NAMES)('%s: as many API calls per rolling minute as the plan table says, then 429 with Retry-After', (plan) => {
		const state = server.state;
		setPlan(state, plan);
		const { callsPerMinute } = MESSINGIN_PLANS[plan];
		for (let i = 0; i < callsPerMinute; i++) meterCall(state, 1_000 + (i * 30_000) / callsPerMinute);
		let refused: any;
		try {
			meterCall(state, 31_000);
		} catch (error) {
			refused = error;
		}
		expect(refused).toMatchObject({ status: 429, headers: { 'retry-after': '30' } });
		expect(refused.message).toBe(`Rate limit exceeded: the ${plan[0]!.toUpperCase()}${plan.slice(1)} plan allows ${callsPerMinute.toLocaleString('en-US')} API calls per minute. Retry after 30 seconds.`);
		expect(state.refused.rateLimit).toBe(1);
		// A minute after the first call, it has left the window and one more fits.
		expect(() => meterCall(state, 61_000)).not.toThrow();
	});

	it.each(PLAN_NAMES)('%s: as many messages per day as the plan table says, then 429 until the next day', (plan) => {
		const state = server.state;
		setPlan(state, plan);
		const { messagesPerDay } = MESSINGIN_PLANS[plan];
		const noon = Date.parse('2026-11-21T12:00:00Z');
		const allowed = Number.isFinite(messagesPerDay) ? messagesPerDay : 250_000;
		for (let i = 0; i < allowed; i++) meterMessage(state, noon);
		if (!Number.isFinite(messagesPerDay)) return;
		expect(() => meterMessage(state, noon)).toThrow(expect.objectContaining({ status: 429, headers: { 'retry-after': String(12 * 3600) } }));
		expect(() => meterMessage(state, Date.parse('2026-11-22T00:00:00Z'))).not.toThrow();
	});

	it('over HTTP: 429 with Retry-After once the compressed minute is full, and a distinct error for the daily quota', async () => {
		setPlan(server.state, 'free', { minuteMs: 2_000, limits: { callsPerMinute: 4, messagesPerDay: 2 } });
		const sessionId = await connectedSession();
		expect((await send(sessionId, { to: '+1234567890', message: '1' })).status).toBe(200);
		expect((await send(sessionId, { to: '+1234567890', message: '2' })).status).toBe(200);
		const daily = await send(sessionId, { to: '+1234567890', message: '3' });
		expect([daily.status, daily.json]).toEqual([429, { success: false, error: 'Daily message limit reached: the Free plan allows 2 messages per day.' }]);
		expect(Number(daily.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(Number(daily.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
		const limited = await send(sessionId, { to: '+1234567890', message: '4' });
		expect([limited.status, limited.headers.get('retry-after'), limited.json]).toEqual([
			429,
			'2',
			{ success: false, error: 'Rate limit exceeded: the Free plan allows 4 API calls per minute. Retry after 2 seconds.' },
		]);
		expect(server.state.refused).toEqual({ rateLimit: 1, dailyQuota: 1 });
		const account = await control('PUT', '/account', { plan: 'basic' });
		expect(account.json.account).toMatchObject({ plan: 'basic', limits: MESSINGIN_PLANS.basic, minuteMs: 2_000 });
	});
});

describe('webhooks', () => {
	it('delivers the five documented events to the session\'s webhook URL', async () => {
		const { json } = await newSession({ name: 'Support', webhook: `${receiver.url}/hook?secret=s3cret` });
		const { sessionId } = json.data;
		await control('POST', `/sessions/${sessionId}/connect`, { phone: '+15550100001' });
		const inbound = await control('POST', '/inbound', { sessionId, from: '+17472822486', message: 'Is my order ready?' });
		expect(inbound.json.delivery).toMatchObject({ status: 200, url: `${receiver.url}/hook?secret=s3cret` });
		const sent = await send(sessionId, { to: '+17472822486', message: 'Hello World!' });
		await until(() => (hooks.length >= 3 ? true : undefined), { timeoutMs: 5_000, intervalMs: 20 });
		await control('POST', `/messages/${sent.json.data.id}/delivered`);
		await control('POST', `/sessions/${sessionId}/disconnect`, { reason: 'logged out' });

		const timestamp = expect.stringMatching(/Z$/);
		expect(hooks.map((hook) => hook.url)).toEqual(Array(5).fill('/hook?secret=s3cret'));
		expect(hooks.map((hook) => hook.body)).toEqual([
			{ event: 'session.connected', data: { sessionId, phone: '+15550100001', timestamp } },
			{ event: 'message.received', data: { id: 'msg_001', sessionId, from: '+17472822486', to: '+15550100001', message: 'Is my order ready?', timestamp } },
			{ event: 'message.sent', data: { id: 'msg_002', sessionId, to: '+17472822486', message: 'Hello World!', timestamp } },
			{ event: 'message.delivered', data: { id: 'msg_002', sessionId, to: '+17472822486', message: 'Hello World!', timestamp } },
			{ event: 'session.disconnected', data: { sessionId, reason: 'logged out', timestamp } },
		]);
	});

	it('sends the events of a session without its own webhook to the dashboard\'s, or says why it could not', async () => {
		const sessionId = await connectedSession();
		const nowhere = await control('POST', '/inbound', { sessionId, from: '+17472822486', message: 'hi' });
		expect(nowhere.json).toMatchObject({ delivery: null, notDelivered: 'Session session_1 has no webhook and none is set in the dashboard.' });
		await control('PUT', '/account', { dashboardWebhook: `${receiver.url}/dashboard` });
		await control('POST', '/inbound', { sessionId, from: '+17472822486', message: 'hi again' });
		expect(hooks).toEqual([{ url: '/dashboard', body: { event: 'message.received', data: expect.objectContaining({ message: 'hi again' }) } }]);
	});
});

it('runs beside the others in the sandbox on port 5702 by default', () => {
	expect(portsFrom([], {}).messingin).toBe(5702);
});

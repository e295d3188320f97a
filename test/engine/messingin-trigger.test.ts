import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { messageEvent, MESSINGIN_EVENTS, receiveMessage, sendMessage, sessionEvent, type EventBody, type MessinginEvent } from '../../sandbox/messingin';
import { startMessingin, WEBHOOK_SECRET } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMessingin);

const node = (parameters: INodeParameters = {}) => ({ name: 'Messingin Trigger', type: 'messinginTrigger', webhookId: '7e1f0c2a-0000-4000-8000-00000000beef', parameters });
const credentials = (changes: IDataObject = {}) => ({ messinginApi: { ...env.sandbox.credentials, ...changes } });

async function activate(parameters?: INodeParameters) {
	const active = await env.pkg.activateWebhooks({ node: node(parameters), credentials: credentials() });
	expect(active.error).toBeUndefined();
	return active;
}

const NO_SECRET = Symbol('no secret');

async function deliver(parameters: INodeParameters, body: unknown, staticData: IDataObject = {}, secret: string | string[] | typeof NO_SECRET = WEBHOOK_SECRET) {
	return await env.pkg.callWebhook({ node: node(parameters), credentials: credentials(), staticData, request: { method: 'POST', query: secret === NO_SECRET ? {} : { secret }, body } });
}

/** One body of each documented event, made by the simulator as it would post them. */
function everyEvent(): Record<MessinginEvent, EventBody> {
	const state = env.sandbox.server.state;
	const session = env.sandbox.connectedSession();
	const received = receiveMessage(state, session.sessionId, { from: '+17472822486', message: 'Is my order ready?' });
	const sent = sendMessage(state, session.sessionId, { to: '+17472822486', message: 'Yes, it left today.' });
	return {
		'message.received': messageEvent('message.received', received),
		'message.sent': messageEvent('message.sent', sent),
		'message.delivered': messageEvent('message.delivered', sent),
		'session.connected': sessionEvent('session.connected', session, { phone: session.phone }),
		'session.disconnected': sessionEvent('session.disconnected', session, { reason: 'logged out' }),
	};
}

describe('publishing', () => {
	it('needs nothing registered, only the credential\'s webhook secret', async () => {
		const active = await activate();
		expect(active.created).toBe(true);
		expect(active.webhookUrl).toBe('http://127.0.0.1:5678/webhook/7e1f0c2a-0000-4000-8000-00000000beef/messingin');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('is refused with a clear message when the credential has no webhook secret', async () => {
		const active = await env.pkg.activateWebhooks({ node: node(), credentials: credentials({ webhookSecret: '' }) });
		expect(active.error?.message).toBe('The Messingin credential has no Webhook Secret');
		expect(active.error?.description).toMatch(/followed by \?secret= and that text/);
	});
});

describe('deliveries', () => {
	it('refuses a call without the secret, or with a wrong one: 401 and no run', async () => {
		const { 'message.received': body } = everyEvent();
		const secrets: Array<string | string[] | typeof NO_SECRET> = [NO_SECRET, '', 'forged', `${WEBHOOK_SECRET}x`, [WEBHOOK_SECRET, WEBHOOK_SECRET]];
		for (const secret of secrets) {
			const call = await deliver({}, body, {}, secret);
			expect(call.response?.status).toBe(401);
			expect(call.response?.body).toEqual({ error: 'This webhook only accepts calls that carry the Webhook Secret of its Messingin credential.' });
			expect(call.workflowData).toBeUndefined();
			expect(JSON.stringify(call.response)).not.toContain(WEBHOOK_SECRET);
		}
	});

	it('starts a run with the event for a call that carries the secret', async () => {
		const { 'message.received': body } = everyEvent();
		const call = await env.pkg.triggerWebhookWorkflow({ node: node(), credentials: credentials(), request: { method: 'POST', query: { secret: WEBHOOK_SECRET }, body } });
		expect(call.run?.status).toBe('success');
		expect(call.run?.json('Messingin Trigger')).toEqual([{ event: 'message.received', ...body.data }]);
	});

	it.each(MESSINGIN_EVENTS.map((event) => [event]))('emits only the selected events: %s', async (selected) => {
		const bodies = everyEvent();
		const emitted: IDataObject[] = [];
		for (const body of Object.values(bodies)) {
			const call = await deliver({ events: [selected] }, body);
			if (call.workflowData) emitted.push(...call.workflowData[0].map((item) => item.json));
			else expect(call.webhookResponse).toEqual({ received: true, ignored: 'no selected event in this delivery' });
		}
		expect(emitted).toEqual([{ event: selected, ...bodies[selected].data }]);
	});

	it('takes several events in one call, filtered to the selected ones', async () => {
		const bodies = everyEvent();
		const call = await deliver({ events: ['message.received', 'session.connected'] }, Object.values(bodies));
		expect(call.workflowData?.[0].map((item) => item.json.event)).toEqual(['message.received', 'session.connected']);
	});

	it('outputs message events in the normalized shape on request; session events as they came', async () => {
		const bodies = everyEvent();
		const call = await deliver({ events: [...MESSINGIN_EVENTS], options: { normalized: true } }, Object.values(bodies));
		const [received, sent, delivered, connected] = call.workflowData![0].map((item) => item.json);
		expect(received).toEqual({
			provider: 'messingin',
			event: 'message.received',
			messageId: 'msg_001',
			chatId: '+17472822486',
			from: '+17472822486',
			to: '+15550100001',
			fromMe: false,
			type: 'text',
			text: 'Is my order ready?',
			media: null,
			location: null,
			timestamp: new Date(bodies['message.received'].data.timestamp as string).toISOString(),
			raw: bodies['message.received'].data,
		});
		expect(sent).toMatchObject({ event: 'message.sent', messageId: 'msg_002', chatId: '+17472822486', to: '+17472822486', from: null, fromMe: true, text: 'Yes, it left today.' });
		expect(delivered).toMatchObject({ event: 'message.delivered', messageId: 'msg_002', fromMe: true });
		expect(connected).toEqual({ event: 'session.connected', ...bodies['session.connected'].data });
	});

	it('keeps only the events of one session when asked', async () => {
		const { 'message.received': body } = everyEvent();
		expect((await deliver({ options: { sessionId: 'session_1' } }, body)).workflowData?.[0]).toHaveLength(1);
		expect((await deliver({ options: { sessionId: 'session_9' } }, body)).workflowData).toBeUndefined();
	});

	it('drops an event Messingin delivers again, unless told not to', async () => {
		const active = await activate();
		const { 'message.received': body } = everyEvent();
		const first = await deliver({}, body, active.staticData);
		expect(first.workflowData?.[0]).toHaveLength(1);
		const again = await deliver({}, body, first.staticData);
		expect(again.workflowData).toBeUndefined();
		const withoutDedupe = await deliver({ options: { dedupe: false } }, body, first.staticData);
		expect(withoutDedupe.workflowData?.[0]).toHaveLength(1);
	});

	it('passes a body that breaks the contract on, with what broke', async () => {
		const call = await deliver({}, { event: 'message.received', data: { id: 42 } });
		expect(call.workflowData?.[0][0].json).toEqual({ validationError: expect.stringContaining('data.id'), raw: { event: 'message.received', data: { id: 42 } } });
	});
});

describe('re-deliveries', () => {
	/** A session event as Messingin sends it: neither an id nor a time of its own. */
	const connected = { event: 'session.connected', data: { sessionId: 'session_1', phone: '+15550100001' } };
	const disconnected = { event: 'session.disconnected', data: { sessionId: 'session_1', reason: 'logged out' } };
	const sessionEvents = { events: ['session.connected', 'session.disconnected'] };
	const items = (call: { workflowData?: Array<Array<{ json: IDataObject }>> }) => call.workflowData?.[0].map((item) => item.json);

	/** Only Date is faked: the sandbox, n8n-core and the harness keep their real timers. */
	function clockAt(now: number) {
		jest.useFakeTimers({
			now,
			doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
		});
	}

	afterEach(() => jest.useRealTimers());

	it('passes the valid events of a list on beside one item per invalid one, and drops all of it when delivered again', async () => {
		const bodies = everyEvent();
		const broken = { event: 'message.received', data: { id: 42 } };
		const body = [bodies['message.received'], broken, bodies['message.sent']];
		const parameters = { events: ['message.received', 'message.sent'] };
		const first = await deliver(parameters, body);
		expect(items(first)).toEqual([
			{ event: 'message.received', ...bodies['message.received'].data },
			{ validationError: '1.data.id: Expected string, received number', raw: broken },
			{ event: 'message.sent', ...bodies['message.sent'].data },
		]);
		const again = await deliver(parameters, body, first.staticData);
		expect(again.workflowData).toBeUndefined();
	});

	it('drops a session event without id or time that comes twice', async () => {
		const first = await env.pkg.triggerWebhookWorkflow({ node: node(sessionEvents), credentials: credentials(), request: { method: 'POST', query: { secret: WEBHOOK_SECRET }, body: connected } });
		expect(first.run?.json('Messingin Trigger')).toEqual([{ event: 'session.connected', ...connected.data }]);
		const again = await env.pkg.triggerWebhookWorkflow({ node: node(sessionEvents), credentials: credentials(), staticData: first.staticData, request: { method: 'POST', query: { secret: WEBHOOK_SECRET }, body: connected } });
		expect(again.run).toBeUndefined();
		expect(again.webhookResponse).toEqual({ received: true, ignored: 'every event in this delivery was delivered before' });
	});

	it('takes the same session event as new ten minutes later', async () => {
		const start = Date.UTC(2026, 0, 1, 12);
		clockAt(start);
		const first = await deliver(sessionEvents, connected);
		expect(items(first)).toHaveLength(1);
		jest.setSystemTime(start + 9 * 60_000);
		const retried = await deliver(sessionEvents, connected, first.staticData);
		expect(retried.workflowData).toBeUndefined();
		jest.setSystemTime(start + 10 * 60_000);
		const later = await deliver(sessionEvents, connected, retried.staticData);
		expect(items(later)).toEqual([{ event: 'session.connected', ...connected.data }]);
	});

	it('takes a reconnect as new once the session disconnected in between, even within minutes, and even when only connects are selected', async () => {
		for (const parameters of [sessionEvents, { events: ['session.connected'] }]) {
			let staticData: IDataObject = {};
			const emitted: IDataObject[] = [];
			for (const body of [connected, connected, disconnected, disconnected, connected]) {
				const call = await deliver(parameters, body, staticData);
				staticData = call.staticData;
				emitted.push(...(items(call) ?? []));
			}
			const expected = parameters.events.length === 2 ? ['session.connected', 'session.disconnected', 'session.connected'] : ['session.connected', 'session.connected'];
			expect(emitted.map((item) => item.event)).toEqual(expected);
		}
	});
});

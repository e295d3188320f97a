import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { messageEvent, MESSINGIN_EVENTS, receiveMessage, sendMessage, sessionEvent, type EventBody, type MessinginEvent } from '../../sandbox/messingin';
import type { ProcessedDataStore } from '../support/engine';
import { startMessingin, WEBHOOK_SECRET } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMessingin);

const node = (parameters: INodeParameters = {}) => ({ id: '7e1f0c2a-0000-4000-8000-0000000000c1', name: 'Messingin Trigger', type: 'messinginTrigger', webhookId: '7e1f0c2a-0000-4000-8000-00000000beef', parameters });
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

/**
 * A delivery and the execution it starts, with n8n's store of processed items as an earlier run
 * left it: the trigger's output (undefined: no run) and the store after the run.
 */
async function deliverAndRun(parameters: INodeParameters, body: unknown, processedData?: ProcessedDataStore) {
	const call = await env.pkg.triggerWebhookWorkflow({ node: node(parameters), credentials: credentials(), processedData, request: { method: 'POST', query: { secret: WEBHOOK_SECRET }, body } });
	expect(call.run?.error).toBeUndefined();
	return { items: call.run?.json('Messingin Trigger'), processedData: call.processedData, webhookResponse: call.webhookResponse };
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

	it('drops an event Messingin delivers again in its execution, unless told not to', async () => {
		const { 'message.received': body } = everyEvent();
		const first = await deliverAndRun({}, body);
		expect(first.items).toHaveLength(1);
		const again = await deliverAndRun({}, body, first.processedData);
		expect(again.items).toEqual([]);
		const withoutDedupe = await deliverAndRun({ options: { dedupe: false } }, body, first.processedData);
		expect(withoutDedupe.items).toHaveLength(1);
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
		const first = await deliverAndRun(parameters, body);
		expect(first.items).toEqual([
			{ event: 'message.received', ...bodies['message.received'].data },
			{ validationError: '1.data.id: Expected string, received number', raw: broken },
			{ event: 'message.sent', ...bodies['message.sent'].data },
		]);
		const again = await deliverAndRun(parameters, body, first.processedData);
		expect(again.items).toEqual([]);
	});

	it('drops a session event without id or time that comes twice', async () => {
		const first = await deliverAndRun(sessionEvents, connected);
		expect(first.items).toEqual([{ event: 'session.connected', ...connected.data }]);
		const again = await deliverAndRun(sessionEvents, connected, first.processedData);
		expect(again.items).toEqual([]);
		expect(again.webhookResponse).toBeUndefined();
	});

	it('takes the same session event as new half an hour later', async () => {
		const start = Date.UTC(2026, 0, 1, 12);
		clockAt(start);
		const first = await deliverAndRun(sessionEvents, connected);
		expect(first.items).toHaveLength(1);
		jest.setSystemTime(start + 9 * 60_000);
		const retried = await deliverAndRun(sessionEvents, connected, first.processedData);
		expect(retried.items).toEqual([]);
		jest.setSystemTime(start + 30 * 60_000);
		const later = await deliverAndRun(sessionEvents, connected, retried.processedData);
		expect(later.items).toEqual([{ event: 'session.connected', ...connected.data }]);
	});

	it('takes a reconnect as new once the session disconnected in between, even within minutes', async () => {
		let processedData: ProcessedDataStore | undefined;
		const emitted: IDataObject[] = [];
		for (const body of [connected, connected, disconnected, disconnected, connected]) {
			const run = await deliverAndRun(sessionEvents, body, processedData);
			processedData = run.processedData;
			emitted.push(...(run.items ?? []));
		}
		expect(emitted.map((item) => item.event)).toEqual(['session.connected', 'session.disconnected', 'session.connected']);
	});

	it('takes a reconnect within minutes as a repeat when only connects are selected: the disconnect starts no run and is not seen', async () => {
		let processedData: ProcessedDataStore | undefined;
		const emitted: IDataObject[] = [];
		for (const body of [connected, disconnected, connected]) {
			const run = await deliverAndRun({ events: ['session.connected'] }, body, processedData);
			processedData = run.processedData;
			emitted.push(...(run.items ?? []));
		}
		expect(emitted.map((item) => item.event)).toEqual(['session.connected']);
	});

	it('takes connect, disconnect and connect again within one delivery as three events', async () => {
		const run = await deliverAndRun(sessionEvents, [connected, disconnected, connected]);
		expect(run.items?.map((item) => item.event)).toEqual(['session.connected', 'session.disconnected', 'session.connected']);
		const again = await deliverAndRun(sessionEvents, connected, run.processedData);
		expect(again.items).toEqual([]);
	});
});

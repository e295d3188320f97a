import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startChatApi } from '../support/chatapi';
import type { ProcessedDataStore } from '../support/engine';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startChatApi);

const PREVIOUS_URL = 'https://crm.example.com/whatsapp-hook';

const node = (parameters: INodeParameters = {}) => ({ id: 'c4a7f6de-0000-4000-8000-0000000000c1', name: 'Chat API Trigger', type: 'chatApiTrigger', webhookId: 'c4a7f6de-0000-4000-8000-00000000c4a7', parameters: { events: ['incomingMessage'], ...parameters } });
const credentials = () => ({ chatApiApi: env.sandbox.credentials });

const incoming = { id: 'false_17472822486@c.us_A1', body: 'Ok!', type: 'chat', senderName: 'Jane', fromMe: false, author: '17472822486@c.us', time: 1504208593, chatId: '17472822486@c.us', messageNumber: 200 };
const outgoing = { ...incoming, id: 'true_17472822486@c.us_B2', body: 'Thanks!', fromMe: true, messageNumber: 201 };
const delivered = { id: 'true_17472822486@c.us_B2', queueNumber: 7, chatId: '17472822486@c.us', status: 'delivered' };
const viewed = { ...delivered, status: 'viewed' };
const batch = { messages: [incoming, outgoing], ack: [delivered, viewed] };

async function activate(parameters?: INodeParameters) {
	env.sandbox.server.state.webhookUrl = PREVIOUS_URL;
	const active = await env.pkg.activateWebhooks({ node: node(parameters), credentials: credentials() });
	expect(active.error).toBeUndefined();
	return active;
}

async function deliver(parameters: INodeParameters, body: unknown, staticData: IDataObject, secret?: unknown) {
	return await env.pkg.callWebhook({ node: node(parameters), credentials: credentials(), staticData, request: { method: 'POST', query: secret === undefined ? {} : { n8nSecret: secret }, body } });
}

const secretOf = (nodeStaticData: IDataObject) => nodeStaticData.secret as string;

/**
 * A delivery and the execution it starts, with n8n's store of processed items as an earlier run
 * left it: the trigger's output (undefined: no run) and the store after the run.
 */
async function deliverAndRun(parameters: INodeParameters, body: unknown, staticData: IDataObject, secret: string, processedData?: ProcessedDataStore) {
	const call = await env.pkg.triggerWebhookWorkflow({ node: node(parameters), credentials: credentials(), staticData, processedData, request: { method: 'POST', query: { n8nSecret: secret }, body } });
	expect(call.run?.error).toBeUndefined();
	return { items: call.run?.json('Chat API Trigger'), processedData: call.processedData };
}

describe('registration', () => {
	it('points the instance at this node with a secret and remembers the previous URL', async () => {
		const active = await activate();
		expect(active.created).toBe(true);
		const registered = env.sandbox.server.state.webhookUrl;
		expect(registered.startsWith(`${active.webhookUrl}?n8nSecret=`)).toBe(true);
		expect(active.nodeStaticData).toMatchObject({ previousUrl: PREVIOUS_URL, registeredUrl: registered, secret: expect.stringMatching(/^[0-9a-f]{48}$/) });
	});

	it('does not register twice while the instance still points here', async () => {
		const first = await activate();
		const again = await env.pkg.activateWebhooks({ node: node(), credentials: credentials(), staticData: first.staticData });
		expect(again.created).toBe(false);
		expect(env.sandbox.server.accepted('POST /instance12345/webhook')).toHaveLength(1);
	});

	it('registers again when someone pointed the instance elsewhere', async () => {
		const first = await activate();
		env.sandbox.server.state.webhookUrl = 'https://other.example.com/hook';
		const again = await env.pkg.activateWebhooks({ node: node(), credentials: credentials(), staticData: first.staticData });
		expect(again.created).toBe(true);
	});

	it('turns ack notifications on when delivered or viewed events are wanted', async () => {
		expect(env.sandbox.server.state.ackNotificationsOn).toBe(false);
		await activate({ events: ['messageDelivered'] });
		expect(env.sandbox.server.state.ackNotificationsOn).toBe(true);
	});

	it('puts the previous URL back on deactivation', async () => {
		const active = await activate();
		const off = await env.pkg.deactivateWebhooks({ node: node(), credentials: credentials(), staticData: active.staticData });
		expect(off.error).toBeUndefined();
		expect(env.sandbox.server.state.webhookUrl).toBe(PREVIOUS_URL);
		expect(off.nodeStaticData).toEqual({});
	});

	it('leaves a URL someone else set since alone on deactivation', async () => {
		const active = await activate();
		env.sandbox.server.state.webhookUrl = 'https://other.example.com/hook';
		await env.pkg.deactivateWebhooks({ node: node(), credentials: credentials(), staticData: active.staticData });
		expect(env.sandbox.server.state.webhookUrl).toBe('https://other.example.com/hook');
	});
});

describe('deliveries', () => {
	it('refuses a call without the secret or with a wrong one: 401 and no run', async () => {
		const active = await activate();
		for (const secret of [undefined, 'forged', `${secretOf(active.nodeStaticData)}x`]) {
			const call = await deliver({}, batch, active.staticData, secret);
			expect(call.response?.status).toBe(401);
			expect(call.workflowData).toBeUndefined();
		}
	});

	it('makes one item per message and per ack of a batch', async () => {
		const active = await activate();
		const call = await deliver({ events: ['incomingMessage', 'outgoingMessage', 'messageDelivered', 'messageViewed'] }, batch, active.staticData, secretOf(active.nodeStaticData));
		expect(call.workflowData?.[0].map((item) => [item.json.event, item.json.id])).toEqual([
			['incomingMessage', incoming.id],
			['outgoingMessage', outgoing.id],
			['messageDelivered', delivered.id],
			['messageViewed', viewed.id],
		]);
	});

	it.each([
		['incomingMessage', [incoming.id]],
		['outgoingMessage', [outgoing.id]],
		['messageDelivered', [delivered.id]],
		['messageViewed', [viewed.id]],
	])('filters %s', async (event, ids) => {
		const active = await activate({ events: [event] });
		const call = await deliver({ events: [event] }, batch, active.staticData, secretOf(active.nodeStaticData));
		expect(call.workflowData?.[0].map((item) => item.json.id)).toEqual(ids);
		expect(call.workflowData?.[0].every((item) => item.json.event === event)).toBe(true);
	});

	it('answers a delivery with nothing selected without starting a run', async () => {
		const active = await activate();
		const call = await deliver({}, { ack: [delivered] }, active.staticData, secretOf(active.nodeStaticData));
		expect(call.workflowData).toBeUndefined();
		expect(call.webhookResponse).toEqual({ received: true, ignored: 'no selected event in this delivery' });
	});

	it('drops a re-delivered batch in its execution, unless told not to', async () => {
		const active = await activate();
		const secret = secretOf(active.nodeStaticData);
		const first = await deliverAndRun({}, batch, active.staticData, secret);
		expect(first.items).toEqual([{ event: 'incomingMessage', ...incoming, timestamp: '2017-08-31T19:43:13.000Z' }]);
		const repeated = await deliverAndRun({}, batch, active.staticData, secret, first.processedData);
		expect(repeated.items).toEqual([]);
		const withoutDedupe = await deliverAndRun({ options: { dedupe: false } }, batch, active.staticData, secret, first.processedData);
		expect(withoutDedupe.items).toHaveLength(1);
	});

	it('outputs the normalized shape on request', async () => {
		const active = await activate();
		const call = await deliver({ events: ['incomingMessage', 'messageViewed'], options: { normalized: true } }, batch, active.staticData, secretOf(active.nodeStaticData));
		expect(call.workflowData?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ provider: 'chatApi', event: 'message.received', messageId: incoming.id, from: '+17472822486', type: 'text', text: 'Ok!', timestamp: '2017-08-31T19:43:13.000Z', raw: incoming }),
			expect.objectContaining({ provider: 'chatApi', event: 'message.viewed', messageId: viewed.id, raw: viewed }),
		]);
	});

	it('passes a message that breaks the contract on, with what broke', async () => {
		const active = await activate();
		const call = await deliver({}, { messages: [{ id: 42 }] }, active.staticData, secretOf(active.nodeStaticData));
		expect(call.workflowData?.[0][0].json).toEqual({ validationError: expect.stringContaining('messages.0.id'), raw: { id: 42 } });
	});
});

describe('re-deliveries of a batch', () => {
	const message = (n: number) => ({ ...incoming, id: `false_17472822486@c.us_M${n}`, body: `Message ${n}`, messageNumber: 1000 + n });

	it('passes the valid messages of a batch on beside one item per invalid one, and drops all of it when delivered again', async () => {
		const active = await activate();
		const secret = secretOf(active.nodeStaticData);
		const broken = { id: 'false_17472822486@c.us_BAD', body: 'no chat id' };
		const body = { messages: [message(1), broken, message(2)] };
		const first = await deliverAndRun({}, body, active.staticData, secret);
		expect(first.items).toEqual([
			{ event: 'incomingMessage', ...message(1), timestamp: '2017-08-31T19:43:13.000Z' },
			{ validationError: 'messages.1.chatId: Required', raw: broken },
			{ event: 'incomingMessage', ...message(2), timestamp: '2017-08-31T19:43:13.000Z' },
		]);
		const again = await deliverAndRun({}, body, active.staticData, secret, first.processedData);
		expect(again.items).toEqual([]);
	});

	it('drops a batch that cannot be read at all when delivered again', async () => {
		const active = await activate();
		const secret = secretOf(active.nodeStaticData);
		const first = await deliverAndRun({}, { messages: 'not a list' }, active.staticData, secret);
		expect(first.items).toEqual([{ validationError: 'messages: Expected array, received string', raw: { messages: 'not a list' } }]);
		const again = await deliverAndRun({}, { messages: 'not a list' }, active.staticData, secret, first.processedData);
		expect(again.items).toEqual([]);
	});

	it('brings back no duplicate when a batch of 600 messages is delivered again, at once or after another one', async () => {
		const active = await activate();
		const secret = secretOf(active.nodeStaticData);
		const batchOf = (from: number) => ({ messages: Array.from({ length: 600 }, (_, i) => message(from + i)) });
		const first = await deliverAndRun({}, batchOf(0), active.staticData, secret);
		expect(first.items).toHaveLength(600);
		const retried = await deliverAndRun({}, batchOf(0), active.staticData, secret, first.processedData);
		expect(retried.items).toEqual([]);
		const other = await deliverAndRun({}, batchOf(600), active.staticData, secret, retried.processedData);
		expect(other.items).toHaveLength(600);
		const again = await deliverAndRun({}, batchOf(0), active.staticData, secret, other.processedData);
		expect(again.items).toEqual([]);
	});

	it('keeps what it saw in n8n\'s store of processed items, not in the static data that webhook() cannot save', async () => {
		const active = await activate();
		const secret = secretOf(active.nodeStaticData);
		const call = await env.pkg.triggerWebhookWorkflow({ node: node(), credentials: credentials(), staticData: active.staticData, request: { method: 'POST', query: { n8nSecret: secret }, body: { messages: [message(7)] } } });
		expect(call.staticDataChanged).toBe(false);
		expect(call.processedData.valuesOf(call.run!.workflow.getNode('Chat API Trigger')!.id)).toEqual([expect.stringMatching(/^id:[0-9a-f]{16}$/)]);
	});

	it('drops and records nothing in a test run ("Listen for test event")', async () => {
		const active = await activate();
		const secret = secretOf(active.nodeStaticData);
		const first = await deliverAndRun({}, batch, active.staticData, secret);
		const test = await env.pkg.triggerWebhookWorkflow({ node: node(), credentials: credentials(), staticData: active.staticData, processedData: first.processedData, mode: 'manual', request: { method: 'POST', query: { n8nSecret: secret }, body: batch } });
		expect(test.run?.json('Chat API Trigger')).toHaveLength(1);
	});
});

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { inboundBatch, MEHERY_DEMO, MEHERY_SEED, type InboundMessage } from '../../sandbox/mehery';
import { startMehery } from '../support/mehery';
import type { ProcessedDataStore } from '../support/engine';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMehery);

const WEBHOOK_ID = 'e7e7e7e7-0000-4000-8000-00000000e7e7';
const BASE_URL = `http://127.0.0.1:5678/webhook/${WEBHOOK_ID}`;
const PATHS = { messageReceive: 'api/v1/message/receive', contactInfo: 'api/v1/contact/info', actionEvent: 'api/v1/action/event' } as const;
type Callback = keyof typeof PATHS;

const node = (parameters: INodeParameters = {}) => ({ id: 'e7e7e7e7-0000-4000-8000-0000000000c1', name: 'Mehery Trigger', type: 'meheryTrigger', webhookId: WEBHOOK_ID, parameters: { events: ['messageReceive', 'contactInfo', 'actionEvent'], ...parameters } });
const credentials = (overrides: IDataObject = {}) => ({ meheryApi: { ...env.sandbox.credentials, ...overrides } });

async function activate(parameters?: INodeParameters) {
	const active = await env.pkg.activateWebhooks({ node: node(parameters), credentials: credentials() });
	expect(active.error).toBeUndefined();
	return active;
}

async function deliver(callback: Callback, body: unknown, options: { parameters?: INodeParameters; staticData?: IDataObject; token?: string | null } = {}) {
	const token = options.token === undefined ? MEHERY_DEMO.verifyToken : options.token;
	return await env.pkg.callWebhook({
		node: node(options.parameters),
		credentials: credentials(),
		staticData: options.staticData,
		request: { method: 'POST', path: PATHS[callback], headers: token === null ? {} : { 'x-verify-token': token }, body },
	});
}

/**
 * A message callback and the execution it starts, with n8n's store of processed items as an
 * earlier run left it: the trigger's output (undefined: no run), the answer and the store after.
 */
async function deliverAndRun(body: unknown, options: { parameters?: INodeParameters; processedData?: ProcessedDataStore } = {}) {
	const call = await env.pkg.triggerWebhookWorkflow({
		node: node(options.parameters),
		credentials: credentials(),
		processedData: options.processedData,
		request: { method: 'POST', path: PATHS.messageReceive, headers: { 'x-verify-token': MEHERY_DEMO.verifyToken }, body },
	});
	expect(call.run?.error).toBeUndefined();
	return { items: call.run?.json('Mehery Trigger'), webhookResponse: call.webhookResponse, processedData: call.processedData };
}

const batch = (...messages: InboundMessage[]) => inboundBatch(env.sandbox.server.state, messages);
const items = (call: { workflowData?: Array<Array<{ json: IDataObject }>> }) => call.workflowData?.[0].map((item) => item.json);
const contactInfoBody = () => ({ contactId: MEHERY_SEED.customer.contactId, contactType: 'WHATSAPP', csid: '17472822486', lane: MEHERY_DEMO.lane, profile: { name: 'Jane Smith', mobile: '17472822486' } });

describe('registration', () => {
	it('sets Mehery\'s webhook URL to the URL the three callback paths hang under, once', async () => {
		const active = await activate();
		expect(active.created).toBe(true);
		expect(env.sandbox.server.state.webhookUrl).toBe(BASE_URL);
		expect(env.sandbox.server.accepted('POST /api/v1/config/webhook').map((request) => request.body)).toEqual([{ url: BASE_URL }]);
		expect(active.calls.map((call) => call.method)).toEqual(['checkExists', 'create', 'checkExists', 'checkExists']);
		expect(active.nodeStaticData).toEqual({ registeredUrl: BASE_URL });
	});

	it('does not register again while its registration stands', async () => {
		const first = await activate();
		const again = await env.pkg.activateWebhooks({ node: node(), credentials: credentials(), staticData: first.staticData, activation: 'init' });
		expect(again.created).toBe(false);
		expect(env.sandbox.server.accepted('POST /api/v1/config/webhook')).toHaveLength(1);
	});

	it('refuses to publish without a verification token in the credential', async () => {
		const active = await env.pkg.activateWebhooks({ node: node(), credentials: credentials({ verifyToken: '' }) });
		expect(active.error?.message).toBe('The Mehery credential has no Callback Verification Token');
		expect(env.sandbox.server.received('POST /api/v1/config/webhook')).toHaveLength(0);
	});

	it('on unpublishing, leaves Mehery\'s URL alone unless told where to point it', async () => {
		const active = await activate();
		const off = await env.pkg.deactivateWebhooks({ node: node(), credentials: credentials(), staticData: active.staticData });
		expect(off.error).toBeUndefined();
		expect(off.nodeStaticData).toEqual({});
		expect(env.sandbox.server.state.webhookUrl).toBe(BASE_URL);
		expect(env.sandbox.server.accepted('POST /api/v1/config/webhook')).toHaveLength(1);
	});

	it('on unpublishing, points Mehery at the URL given for afterwards', async () => {
		const parameters = { options: { webhookUrlAfterUnpublish: 'https://crm.example.com/mehery' } };
		const active = await activate(parameters);
		await env.pkg.deactivateWebhooks({ node: node(parameters), credentials: credentials(), staticData: active.staticData });
		expect(env.sandbox.server.state.webhookHistory).toEqual([BASE_URL, 'https://crm.example.com/mehery']);
	});

	it('uses the API key from the credential and never shows it', async () => {
		const active = await env.pkg.activateWebhooks({ node: node(), credentials: credentials({ apiKey: 'wrong-key-424242' }) });
		expect(active.error?.message).toBe('Mehery: The API key is not valid.');
		expect(JSON.stringify(active.error)).not.toContain('wrong-key-424242');
	});
});

describe('verify token', () => {
	it.each(Object.keys(PATHS) as Callback[])('refuses a %s callback with a wrong or missing x-verify-token: 401, no run', async (callback) => {
		const body = callback === 'messageReceive' ? batch({ phone: '17472822486', text: 'hi' }) : callback === 'contactInfo' ? contactInfoBody() : { actionCode: 'CLOSE' };
		for (const token of [null, '', 'forged', `${MEHERY_DEMO.verifyToken}x`]) {
			const call = await deliver(callback, body, { token });
			expect(call.response?.status).toBe(401);
			expect(call.response?.body).toEqual({ error: 'Wrong or missing x-verify-token.' });
			expect(call.workflowData).toBeUndefined();
		}
	});

	it('refuses everything when the credential has no token', async () => {
		const call = await env.pkg.callWebhook({
			node: node(),
			credentials: credentials({ verifyToken: '' }),
			request: { method: 'POST', path: PATHS.actionEvent, headers: { 'x-verify-token': '' }, body: { actionCode: 'X' } },
		});
		expect(call.response?.status).toBe(401);
		expect(call.workflowData).toBeUndefined();
	});
});

describe('message receive', () => {
	it('makes one item per message, each with its contact and the batch\'s actions', async () => {
		const body = { ...batch({ phone: '17472822486', text: 'First' }, { phone: '4915112345678', name: 'Anna', text: 'Hallo' }, { phone: '17472822486', text: 'Second' }), actions: [{ actionCode: 'BOT_HANDOVER' }] };
		const call = await deliver('messageReceive', body);
		const out = items(call)!;
		expect(out.map((item) => [item.event, item.text, (item.contact as IDataObject).contactId])).toEqual([
			['messageReceive', { body: 'First', type: 'text' }, MEHERY_SEED.customer.contactId],
			['messageReceive', { body: 'Hallo', type: 'text' }, body.contacts[1].contactId],
			['messageReceive', { body: 'Second', type: 'text' }, MEHERY_SEED.customer.contactId],
		]);
		expect(out[1]).toMatchObject({ from: '4915112345678', contact: { profile: { name: 'Anna' } }, actions: [{ actionCode: 'BOT_HANDOVER' }] });
		// The documented answer is the message.
		expect(call.webhookResponse).toEqual(body.messages[0]);
	});

	it.each<[string, InboundMessage]>([
		['text', { phone: '17472822486', text: 'Hi' }],
		['image', { phone: '17472822486', type: 'image', link: 'https://cdn.example.com/p.jpg', caption: 'Photo', filename: 'p.jpg' }],
		['audio', { phone: '17472822486', type: 'audio', link: 'https://cdn.example.com/a.mp3' }],
		['video', { phone: '17472822486', type: 'video', link: 'https://cdn.example.com/v.mp4', caption: 'Clip' }],
		['voice', { phone: '17472822486', type: 'voice' }],
		['document', { phone: '17472822486', type: 'document', link: 'https://cdn.example.com/i.pdf', filename: 'invoice.pdf' }],
		['location', { phone: '17472822486', type: 'location', latitude: 52.52, longitude: 13.405, locationName: 'Office', address: 'Berlin' }],
		['system', { phone: '17472822486', type: 'system', text: 'Session assigned' }],
	])('parses a %s message against the schema', async (type, message) => {
		const body = batch(message);
		const call = await deliver('messageReceive', body);
		const [item] = items(call)!;
		expect(item.validationError).toBeUndefined();
		expect(item).toMatchObject({ event: 'messageReceive', type, id: body.messages[0].id });
	});

	it('outputs the normalized shape on request, for every type', async () => {
		const body = batch(
			{ phone: '17472822486', text: 'Hi', timestamp: 1_760_000_000_000 },
			{ phone: '17472822486', type: 'image', link: 'https://cdn.example.com/p.jpg', caption: 'Photo', filename: 'p.jpg' },
			{ phone: '17472822486', type: 'location', latitude: 52.52, longitude: 13.405, locationName: 'Office', address: 'Berlin' },
		);
		const call = await deliver('messageReceive', body, { parameters: { options: { normalized: true } } });
		const [text, image, location] = items(call)!;
		const common = { provider: 'mehery', event: 'message.received', from: '+17472822486', to: `+${MEHERY_DEMO.lane}`, chatId: MEHERY_SEED.sessionId, fromMe: false };
		expect(text).toEqual({ ...common, messageId: body.messages[0].id, type: 'text', text: 'Hi', media: null, location: null, timestamp: '2025-10-09T08:53:20.000Z', raw: { ...body.messages[0], contact: body.contacts[0] } });
		expect(image).toMatchObject({ ...common, type: 'image', text: 'Photo', media: { url: 'https://cdn.example.com/p.jpg', mimeType: 'image/jpeg', caption: 'Photo', fileName: 'p.jpg' } });
		expect(location).toMatchObject({ ...common, type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Office', address: 'Berlin' } });
	});

	it('drops a message Mehery delivers again in its execution, unless told not to', async () => {
		const body = batch({ phone: '17472822486', text: 'Once' });
		const first = await deliverAndRun(body);
		expect(first.items).toHaveLength(1);
		const again = await deliverAndRun(body, { processedData: first.processedData });
		expect(again.items).toEqual([]);
		// still the documented answer: Mehery sees nothing different
		expect(again.webhookResponse).toEqual(body.messages[0]);
		const withoutDedupe = await deliverAndRun(body, { processedData: first.processedData, parameters: { options: { dedupe: false } } });
		expect(withoutDedupe.items).toHaveLength(1);
	});

	it('starts a run with the message and what broke when a message breaks the schema', async () => {
		const body = { messages: [{ id: 'm1', from: '17472822486', contactId: 'c1', timestamp: 1, type: 'image', image: { caption: 'no link' } }] };
		const call = await deliver('messageReceive', body);
		expect(items(call)).toEqual([{ event: 'messageReceive', validationError: expect.stringContaining('messages.0.image.id'), raw: body.messages[0] }]);
		expect(items(call)![0].validationError).toContain('messages.0.image.link');
		expect(call.webhookResponse).toEqual({ received: true });
		const unknownType = await deliver('messageReceive', { messages: [{ id: 'm2', from: '1', contactId: 'c', timestamp: 1, type: 'sticker' }] });
		expect(items(unknownType)![0].validationError).toContain('messages.0.type');
	});

	it('ignores the callback when Message Received is not selected', async () => {
		const call = await deliver('messageReceive', batch({ phone: '17472822486', text: 'x' }), { parameters: { events: ['actionEvent'] } });
		expect(call.workflowData).toBeUndefined();
		expect(call.webhookResponse).toEqual({ received: true, ignored: 'Message Received is not selected in the trigger' });
	});

	it('starts a workflow that answers the contact', async () => {
		const body = batch({ phone: '17472822486', text: 'Is my order ready?' });
		const call = await env.pkg.triggerWebhookWorkflow({
			node: node(),
			credentials: credentials(),
			request: { method: 'POST', path: PATHS.messageReceive, headers: { 'x-verify-token': MEHERY_DEMO.verifyToken }, body },
			nodes: [{ name: 'Reply', type: 'mehery', parameters: { resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '={{ $json.from }}', type: 'text', text: '={{ "You wrote: " + $json.text.body }}' } }],
		});
		expect(call.run?.error).toBeUndefined();
		expect(env.sandbox.server.accepted('POST /api/v1/message/send').map((request) => request.body)).toEqual([
			{ channelId: MEHERY_DEMO.channelId, to: { phone: '17472822486' }, type: 'text', mask: false, text: { body: 'You wrote: Is my order ready?', type: 'text' } },
		]);
	});
});

describe('contact info', () => {
	it('answers with the profile fields of the trigger, in the documented shape, and starts a run', async () => {
		const profile = {
			profileId: 'crm-7',
			name: 'Jane Q. Smith',
			email: 'jane@example.com',
			labels: {
				label: [
					{ key: 'tier', name: 'Tier', type: 'TEXT', value: 'gold' },
					{ key: 'orders', type: 'NUMBER', value: '12' },
					{ key: 'since', type: 'DATE', value: '01/31/24' },
					{ key: 'interests', type: 'LIST', value: 'shoes, bags' },
				],
			},
		};
		const call = await deliver('contactInfo', contactInfoBody(), { parameters: { contactInfoResponse: 'fields', profile } });
		expect(call.webhookResponse).toEqual({
			profileId: 'crm-7',
			name: 'Jane Q. Smith',
			email: 'jane@example.com',
			labels: [
				{ key: 'tier', name: 'Tier', type: 'TEXT', value: 'gold' },
				{ key: 'orders', type: 'NUMBER', value: 12 },
				{ key: 'since', type: 'DATE', format: 'MM/DD/YY', value: '01/31/24' },
				{ key: 'interests', type: 'LIST', value: ['shoes', 'bags'] },
			],
		});
		expect(items(call)).toEqual([{ event: 'contactInfo', ...contactInfoBody() }]);
	});

	it('answers an empty profile (change nothing) when no field is set', async () => {
		const call = await deliver('contactInfo', contactInfoBody());
		expect(call.webhookResponse).toEqual({});
		expect(items(call)).toHaveLength(1);
	});

	it.each(['responseNode', 'lastNode'])('leaves the answer to the workflow in "%s" mode', async (mode) => {
		const call = await deliver('contactInfo', contactInfoBody(), { parameters: { contactInfoResponse: mode } });
		expect(call.webhookResponse).toBeUndefined();
		expect(items(call)).toEqual([{ event: 'contactInfo', ...contactInfoBody() }]);
	});

	it('still starts a run for a body that breaks the schema', async () => {
		const call = await deliver('contactInfo', { contactId: 'c1', contactType: 'CARRIER_PIGEON' });
		expect(items(call)![0]).toMatchObject({ event: 'contactInfo', validationError: expect.stringContaining('contactType'), raw: { contactId: 'c1' } });
		expect(call.webhookResponse).toEqual({});
	});

	it('answers "change nothing" without a run when Contact Info is not selected', async () => {
		const call = await deliver('contactInfo', contactInfoBody(), { parameters: { events: ['messageReceive'], contactInfoResponse: 'responseNode' } });
		expect(call.workflowData).toBeUndefined();
		expect(call.webhookResponse).toEqual({});
	});
});

describe('action event', () => {
	it('makes an item and answers the action code, as documented', async () => {
		const call = await deliver('actionEvent', { actionCode: 'CLOSE_SESSION' });
		expect(items(call)).toEqual([{ event: 'actionEvent', actionCode: 'CLOSE_SESSION' }]);
		expect(call.webhookResponse).toEqual({ actionCode: 'CLOSE_SESSION' });
	});

	it('passes a body without an action code on, with what broke', async () => {
		const call = await deliver('actionEvent', { action: 'x' });
		expect(items(call)).toEqual([{ event: 'actionEvent', validationError: 'actionCode: Required', raw: { action: 'x' } }]);
	});
});

describe('re-deliveries of a message callback', () => {
	it('passes the valid messages on beside one item per invalid one, and drops all of it when delivered again', async () => {
		const body = batch({ phone: '17472822486', text: 'First' }, { phone: '17472822486', text: 'Second' });
		const broken = { id: 'm-broken', from: '17472822486', contactId: MEHERY_SEED.customer.contactId, timestamp: 1, type: 'image', image: { caption: 'no link' } };
		const delivered = { ...body, messages: [body.messages[0], broken, body.messages[1]] };
		const first = await deliverAndRun(delivered);
		const out = first.items!;
		expect(out.map((item) => item.id ?? (item.raw as IDataObject).id)).toEqual([body.messages[0].id, 'm-broken', body.messages[1].id]);
		expect(out[0]).toMatchObject({ event: 'messageReceive', text: { body: 'First' }, contact: { contactId: MEHERY_SEED.customer.contactId } });
		expect(out[1]).toEqual({ event: 'messageReceive', validationError: expect.stringContaining('messages.1.image.link'), raw: broken });
		expect(first.webhookResponse).toEqual(body.messages[0]);
		const again = await deliverAndRun(delivered, { processedData: first.processedData });
		expect(again.items).toEqual([]);
	});

	it('passes a contact that breaks the schema on as its own item, the messages keep theirs', async () => {
		const body = batch({ phone: '17472822486', text: 'Hi' });
		const brokenContact = { contactId: 'c-broken', contactType: 'CARRIER_PIGEON' };
		const call = await deliver('messageReceive', { ...body, contacts: [...body.contacts, brokenContact] });
		expect(items(call)).toEqual([
			expect.objectContaining({ event: 'messageReceive', id: body.messages[0].id, contact: body.contacts[0] }),
			{ event: 'messageReceive', validationError: expect.stringContaining('contacts.1.contactType'), raw: brokenContact },
		]);
	});

	it('drops a callback of actions only when delivered again', async () => {
		const body = { messages: [], contacts: [], actions: [{ actionCode: 'BOT_HANDOVER' }] };
		const first = await deliverAndRun(body);
		expect(first.items).toEqual([{ event: 'messageReceive', messages: [], contacts: [], actions: [{ actionCode: 'BOT_HANDOVER' }] }]);
		const again = await deliverAndRun(body, { processedData: first.processedData });
		expect(again.items).toEqual([]);
	});
});

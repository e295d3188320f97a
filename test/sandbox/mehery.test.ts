import { SandboxServer } from '../../sandbox/framework';
import { portsFrom } from '../../sandbox/main';
import { MEHERY_DEMO, MEHERY_SEED, meherySimulator } from '../../sandbox/mehery';
import { call, caller, useReceiver, useStarted } from './helpers';

const server = new SandboxServer(meherySimulator());
useStarted(() => server.start(), () => server.reset());

/** What the receiver answers a contact-info callback with. */
let profileReply: unknown = {};
beforeEach(() => {
	profileReply = {};
});
// A receiver that, like the trigger, refuses calls without the verify token.
const receiver = useReceiver({
	record: ({ url, headers, body }) => ({ path: url, token: headers['x-verify-token'] as string | undefined, body }),
	answer: ({ url, headers }) =>
		headers['x-verify-token'] === MEHERY_DEMO.verifyToken
			? { json: url.endsWith('/contact/info') ? profileReply : { received: true } }
			: { status: 401, json: { error: 'forged' } },
});
const { hooks } = receiver;
const receiverUrl = () => `${receiver.url}/hooks/mehery`;

const api = caller(() => server.url, { 'x-api-key': MEHERY_DEMO.apiKey });
const control = (path: string, json: unknown) => call('POST', `${server.controlUrl}/mehery${path}`, { json });
const send = (json: Record<string, unknown>) => api('POST', '/api/v1/message/send', { json: { channelId: MEHERY_DEMO.channelId, to: { phone: '17472822486' }, mask: false, ...json } });
const setWebhook = () => api('POST', '/api/v1/config/webhook', { json: { url: receiverUrl() } });

describe('authentication and errors', () => {
	it('refuses a missing or wrong x-api-key with the error envelope', async () => {
		for (const headers of [{ 'x-api-key': '' }, { 'x-api-key': 'wrong-key' }]) {
			const response = await api('GET', `/api/v1/session/messages?sessionId=${MEHERY_SEED.sessionId}`, { headers });
			expect(response.status).toBe(401);
			expect(response.json).toEqual({
				error: 'Unauthorized',
				errors: [{ code: 'INVALID_API_KEY', description: expect.any(String), field: 'x-api-key' }],
				message: expect.any(String),
				status: 401,
				timestamp: expect.any(Number),
			});
		}
		expect(server.received()[0].headers['x-api-key']).toBe('[redacted]');
	});

	it('answers a validation failure with one entry per field', async () => {
		const response = await api('POST', '/api/v1/message/send', { json: { to: { phone: 'abc' }, type: 'fax', colour: 'red' } });
		expect(response.status).toBe(400);
		expect(response.json.errors).toEqual(
			expect.arrayContaining([
				{ code: 'REQUIRED_FIELD', description: 'channelId is required.', field: 'channelId' },
				{ code: 'INVALID_FIELD', description: expect.stringContaining('to.phone'), field: 'to.phone' },
				{ code: 'INVALID_FIELD', description: expect.stringContaining('type must be one of'), field: 'type' },
				{ code: 'REQUIRED_FIELD', description: 'mask is required.', field: 'mask' },
				{ code: 'UNKNOWN_FIELD', description: 'colour is not a field of this request.', field: 'colour' },
			]),
		);
		expect(response.json.error).toBe('Bad Request');
	});
});

describe('message/send', () => {
	it.each([
		['text', { text: { body: 'Hello', type: 'text' } }],
		['system', { text: { body: 'Agent joined', type: 'system' } }],
		['image', { image: { link: 'https://cdn.example.com/a.jpg', caption: 'A', filename: 'a.jpg' } }],
		['audio', { audio: { link: 'https://cdn.example.com/a.mp3' } }],
		['video', { video: { link: 'https://cdn.example.com/a.mp4' } }],
		['voice', { voice: { link: 'https://cdn.example.com/a.ogg' } }],
		['document', { document: { link: 'https://cdn.example.com/a.pdf', filename: 'a.pdf' } }],
		['location', { location: { latitude: '52.52', longitude: '13.405', name: 'Office', address: 'Berlin' } }],
		['contacts', { contacts: [{ name: { formatted_name: 'Jane' } }] }],
		['template', { template: { id: 'welcome_offer', data: { first_name: 'Jane', code: 'X1' } } }],
		['optin', {}],
		['optout', {}],
	])('accepts a %s message and answers its id in the envelope', async (type, content) => {
		const response = await send({ type, ...content });
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject({ data: { id: expect.stringMatching(/^msg-/) }, errors: [], status: 'SUCCESS', results: [{ id: response.json.data.id }] });
		expect(server.state.sent.at(-1)!.request).toMatchObject({ type, ...content });
	});

	it('requires the type\'s own object and refuses the others', async () => {
		const response = await send({ type: 'image', text: { body: 'hi', type: 'text' } });
		expect(response.status).toBe(400);
		expect(response.json.errors).toEqual([
			{ code: 'REQUIRED_FIELD', description: 'image is required for a image message.', field: 'image' },
			{ code: 'UNEXPECTED_FIELD', description: 'text does not belong to a image message.', field: 'text' },
		]);
	});

	it('refuses a media link that is not http(s) and an unknown channel', async () => {
		expect((await send({ type: 'image', image: { link: 'ftp://x/a.jpg' } })).json.errors[0].field).toBe('image.link');
		const unknown = await send({ channelId: 'nope', type: 'optin' });
		expect(unknown.status).toBe(404);
		expect(unknown.json.errors).toEqual([{ code: 'CHANNEL_NOT_FOUND', description: 'No channel nope in this account.', field: 'channelId' }]);
	});

	it('warns about a template placeholder sent blank, and refuses an unknown template', async () => {
		const response = await send({ type: 'template', template: { id: 'welcome_offer', data: { first_name: 'Jane' } } });
		expect(response.json.warnings).toEqual([{ code: 'PLACEHOLDER_BLANK', description: 'code has no value: it was sent blank.', field: 'template.data.code' }]);
		expect((await send({ type: 'template', template: { id: 'nope' } })).status).toBe(404);
	});

	it('puts sends into the contact\'s session and records opt-outs', async () => {
		await send({ type: 'optout' });
		expect(server.state.contacts[0].subscribed).toBe(false);
		const messages = await api('GET', `/api/v1/session/messages?sessionId=${MEHERY_SEED.sessionId}`);
		expect(messages.json.results.map((message: any) => [message.sender, message.type])).toEqual([
			['CONTACT', 'text'],
			['API', 'text'],
			['API', 'optout'],
		]);
		expect(messages.json.data.type).toBe('optout');
	});
});

describe('session, analytics and config', () => {
	it('lists a session\'s messages in the documented model, and 404s an unknown session', async () => {
		const response = await api('GET', `/api/v1/session/messages?sessionId=${MEHERY_SEED.sessionId}`);
		expect(response.json.results[0]).toMatchObject({ sessionId: MEHERY_SEED.sessionId, text: 'Hi, is my order shipped?', contact: { contactId: MEHERY_SEED.customer.contactId, phone: MEHERY_SEED.customer.phone } });
		const unknown = await api('GET', '/api/v1/session/messages?sessionId=nope');
		expect(unknown.status).toBe(404);
		expect(unknown.json.errors[0]).toMatchObject({ code: 'SESSION_NOT_FOUND', field: 'sessionId' });
	});

	it('pushes an event and echoes it', async () => {
		const event = { eventName: 'order.placed', id: 'ord-1', links: [{ linkName: 'customer', linkType: 'PHONE', linkValue: '+17472822486' }] };
		const response = await api('POST', '/api/v1/event/push', { json: event });
		expect(response.json.data).toEqual(event);
		expect(server.state.events).toEqual([{ ...event, at: expect.any(Number) }]);
		expect((await api('POST', '/api/v1/event/push', { json: { eventName: 'x', id: 'y', links: [{ linkName: 'a' }] } })).status).toBe(400);
	});

	it('stores the webhook URL and shows the callback URLs in the snapshot', async () => {
		const response = await setWebhook();
		expect(response.json.data).toEqual({ description: expect.any(String), key: 'webhook.url', shared: false, value: { url: receiverUrl() } });
		expect(server.state.webhookUrl).toBe(receiverUrl());
		expect((server.snapshot() as any).callbackUrls.contactInfo).toBe(`${receiverUrl()}/api/v1/contact/info`);
		expect((await api('POST', '/api/v1/config/webhook', { json: { url: 'not a url' } })).status).toBe(400);
	});
});

describe('callbacks', () => {
	it('refuses to call back before a webhook URL is set', async () => {
		const response = await control('/action-event', { actionCode: 'CLOSE' });
		expect(response.status).toBe(409);
	});

	it('delivers a batch of inbound messages with their contacts and the verify token', async () => {
		await setWebhook();
		const response = await control('/inbound', {
			messages: [
				{ phone: '17472822486', text: 'First' },
				{ phone: '+4915112345678', name: 'Anna', type: 'image', link: 'https://cdn.example.com/p.jpg', caption: 'Photo' },
				{ phone: '17472822486', type: 'location', latitude: 52.5, longitude: 13.4, locationName: 'Office' },
			],
			actions: ['BOT_HANDOVER'],
		});
		expect(response.status).toBe(201);
		expect(response.json.delivery.status).toBe(200);
		expect(hooks).toHaveLength(1);
		const [hook] = hooks;
		expect(hook.path).toBe('/hooks/mehery/api/v1/message/receive');
		expect(hook.token).toBe(MEHERY_DEMO.verifyToken);
		expect(hook.body.actions).toEqual([{ actionCode: 'BOT_HANDOVER' }]);
		expect(hook.body.contacts.map((contact: any) => contact.profile.mobile)).toEqual(['17472822486', '4915112345678']);
		expect(hook.body.messages.map((message: any) => message.type)).toEqual(['text', 'image', 'location']);
		expect(hook.body.messages[1]).toMatchObject({ from: '4915112345678', image: { link: 'https://cdn.example.com/p.jpg', caption: 'Photo', mime_type: 'image/jpeg', id: expect.any(String), sha256: expect.any(String) } });
		expect(hook.body.messages[2].location).toEqual({ latitude: '52.5', longitude: '13.4', name: 'Office', address: '' });
		expect(server.deliveries()[0].headers['x-verify-token']).toBe('[redacted]');
	});

	it('sends a wrong token or none when told to', async () => {
		await setWebhook();
		const wrong = await control('/inbound', { phone: '17472822486', text: 'hi', verifyToken: 'forged' });
		const none = await control('/inbound', { phone: '17472822486', text: 'hi', verifyToken: null });
		expect([wrong.json.delivery.status, none.json.delivery.status]).toEqual([401, 401]);
		expect(hooks.map((hook) => hook.token)).toEqual(['forged', undefined]);
	});

	it('applies a contact-info answer that fits the documented model', async () => {
		await setWebhook();
		profileReply = { profileId: 'crm-7', name: 'Jane Q. Smith', labels: [{ key: 'tier', name: 'Tier', type: 'TEXT', value: 'gold' }] };
		const response = await control('/contact-info', { phone: '+1 747 282 2486'.replace(/\s/g, '') });
		expect(hooks[0].path).toBe('/hooks/mehery/api/v1/contact/info');
		expect(hooks[0].body).toEqual({ contactId: MEHERY_SEED.customer.contactId, contactType: 'WHATSAPP', csid: '17472822486', lane: MEHERY_DEMO.lane, profile: { name: 'Jane Smith', mobile: '17472822486', email: 'jane@example.com' } });
		expect(response.json.replyProblems).toEqual([]);
		expect(server.state.contacts[0]).toMatchObject({ profileId: 'crm-7', profile: { name: 'Jane Q. Smith' }, labels: [{ key: 'tier', value: 'gold' }] });
	});

	it('reports a contact-info answer that does not fit, and changes nothing', async () => {
		await setWebhook();
		profileReply = { fullName: 'Jane', labels: [{ name: 'x' }] };
		const response = await control('/contact-info', { contactId: MEHERY_SEED.customer.contactId });
		expect(response.json.replyProblems).toEqual(expect.arrayContaining([expect.stringContaining('fullName'), expect.stringContaining('labels.0.key')]));
		expect(server.state.contacts[0].profile.name).toBe('Jane Smith');
	});

	it('delivers an action event and any body to any callback', async () => {
		await setWebhook();
		await control('/action-event', { actionCode: 'CLOSE_SESSION' });
		await control('/deliver', { callback: 'messageReceive', payload: { messages: [{ id: 1 }] } });
		expect(hooks.map((hook) => [hook.path, hook.body])).toEqual([
			['/hooks/mehery/api/v1/action/event', { actionCode: 'CLOSE_SESSION' }],
			['/hooks/mehery/api/v1/message/receive', { messages: [{ id: 1 }] }],
		]);
	});
});

it('runs in `npm start` on port 5704 by default', () => {
	expect(portsFrom([], {}).mehery).toBe(5704);
});

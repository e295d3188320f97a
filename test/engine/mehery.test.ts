import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { MEHERY_DEMO, MEHERY_SEED } from '../../sandbox/mehery';
import { startMehery } from '../support/mehery';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMehery);

const run = (parameters: INodeParameters, options: { inputJson?: IDataObject[]; credentials?: ICredentialDataDecryptedObject; continueOnFail?: boolean } = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Mehery', type: 'mehery', parameters, ...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}) }],
		credentials: { meheryApi: options.credentials ?? env.sandbox.credentials },
		inputJson: options.inputJson,
	});

const sendParameters = (parameters: INodeParameters): INodeParameters => ({ resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '+1 (747) 282-2486', ...parameters });
const sent = () => env.sandbox.server.accepted('POST /api/v1/message/send').map((request) => request.body);

describe('Mehery credential', () => {
	it('is tested with a call that passes with the right key and fails cleanly with a wrong one', async () => {
		expect(await env.pkg.testCredential({ type: 'meheryApi', data: env.sandbox.credentials })).toMatchObject({ status: 'OK' });
		const wrong = await env.pkg.testCredential({ type: 'meheryApi', data: { ...env.sandbox.credentials, apiKey: 'wrong-key-12345' } });
		expect(wrong).toEqual({ status: 'Error', message: expect.stringContaining('Mehery refused the credential: The API key is not valid (HTTP 401)') });
		expect(JSON.stringify(wrong)).not.toContain('wrong-key-12345');
		const [request] = env.sandbox.server.received('GET /api/v1/session/messages');
		expect(request.query).toEqual({ sessionId: 'n8n-credential-test' });
	});
});

describe('Mehery message send', () => {
	const link = 'https://cdn.example.com/files/brochure.pdf';
	it.each<[string, INodeParameters, IDataObject]>([
		['text', { type: 'text', text: 'Hello 🍏' }, { text: { body: 'Hello 🍏', type: 'text' } }],
		['system', { type: 'system', text: 'An agent joined' }, { text: { body: 'An agent joined', type: 'system' } }],
		['image', { type: 'image', mediaUrl: link, caption: 'Look', fileName: 'b.jpg' }, { image: { link, caption: 'Look', filename: 'b.jpg' } }],
		['audio', { type: 'audio', mediaUrl: link }, { audio: { link } }],
		['video', { type: 'video', mediaUrl: link, caption: 'Clip' }, { video: { link, caption: 'Clip' } }],
		['voice', { type: 'voice', mediaUrl: link }, { voice: { link } }],
		['document', { type: 'document', mediaUrl: link, caption: 'Brochure', fileName: 'brochure.pdf' }, { document: { link, caption: 'Brochure', filename: 'brochure.pdf' } }],
		['location', { type: 'location', latitude: 52.520008, longitude: 13.404954, locationName: 'Office', address: 'Berlin' }, { location: { latitude: '52.520008', longitude: '13.404954', name: 'Office', address: 'Berlin' } }],
		['contacts', { type: 'contacts', contacts: '[{"name":{"formatted_name":"Jane Smith"},"phones":[{"phone":"+17472822486"}]}]' }, { contacts: [{ name: { formatted_name: 'Jane Smith' }, phones: [{ phone: '+17472822486' }] }] }],
		['template', { type: 'template', templateId: 'welcome_offer', templateData: { placeholders: [{ key: 'first_name', value: 'Jane' }, { key: 'code', value: 'X1' }] } }, { template: { id: 'welcome_offer', data: { first_name: 'Jane', code: 'X1' } } }],
		['optin', { type: 'optin' }, {}],
		['optout', { type: 'optout' }, {}],
	])('sends a %s message', async (type, parameters, content) => {
		const result = await run(sendParameters(parameters));
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([{ recipient: '+17472822486', messageId: expect.stringMatching(/^msg-/), id: expect.stringMatching(/^msg-/) }]);
		expect(sent()).toEqual([{ channelId: MEHERY_DEMO.channelId, to: { phone: '17472822486' }, type, mask: false, ...content }]);
		expect(result.unpairedItems()).toEqual([]);
	});

	it('sends the recipient\'s name and email and the mask flag, one request per item', async () => {
		const result = await run(sendParameters({ phone: '={{ $json.phone }}', type: 'text', text: '={{ "Hi " + $json.name }}', recipientName: '={{ $json.name }}', recipientEmail: 'ops@example.com', mask: true }), {
			inputJson: [
				{ phone: '0044 20 7946 0958', name: 'Ann' },
				{ phone: '+49 151 12345678', name: 'Bo' },
			],
		});
		expect(result.json()).toHaveLength(2);
		expect(sent()).toEqual([
			expect.objectContaining({ to: { phone: '442079460958', name: 'Ann', email: 'ops@example.com' }, mask: true, text: { body: 'Hi Ann', type: 'text' } }),
			expect.objectContaining({ to: { phone: '4915112345678', name: 'Bo', email: 'ops@example.com' } }),
		]);
	});

	it('passes Mehery\'s warnings on with the message id', async () => {
		const result = await run(sendParameters({ type: 'template', templateId: 'welcome_offer', templateData: { placeholders: [{ key: 'first_name', value: 'Jane' }] } }));
		expect(result.json()).toEqual([{ recipient: '+17472822486', messageId: expect.any(String), id: expect.any(String), warnings: [{ code: 'PLACEHOLDER_BLANK', description: 'code has no value: it was sent blank.', field: 'template.data.code' }] }]);
	});

	it.each<[string, INodeParameters, string]>([
		['an impossible phone number', { phone: '12', type: 'text', text: 'x' }, 'To Phone Number: "12" is not a valid phone number'],
		['a media link that is not http(s)', { type: 'image', mediaUrl: 'file:///etc/passwd' }, 'Media URL must be an http:// or https:// address'],
		['a bad email', { type: 'optin', recipientEmail: 'jane-at-example' }, 'Recipient Email "jane-at-example" is not an email address'],
		['contacts that are not JSON', { type: 'contacts', contacts: '[{name:' }, 'Contacts is not valid JSON'],
		['a template placeholder without a key', { type: 'template', templateId: 't', templateData: { placeholders: [{ key: ' ', value: 'x' }] } }, 'Template Data has a placeholder without a key'],
		['an empty text', { type: 'text', text: '  ' }, 'Text is empty'],
	])('fails an item with %s before any request', async (_case, parameters, message) => {
		const result = await run(sendParameters(parameters));
		expect(result.error?.message).toContain(message);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('shows Mehery\'s error envelope as a clear error, every problem listed', async () => {
		const result = await run(sendParameters({ channelId: 'no-such-channel', type: 'text', text: 'x' }));
		expect(result.error).toMatchObject({ message: 'Mehery: No channel no-such-channel in this account.', httpCode: '404' });
		expect(result.error?.description).toBe('• channelId: No channel no-such-channel in this account. (CHANNEL_NOT_FOUND)');
	});

	it('never shows the API key, and keeps going with Continue On Fail', async () => {
		const credentials = { ...env.sandbox.credentials, apiKey: 'secret-wrong-key-777' };
		const result = await run(sendParameters({ type: 'text', text: 'x' }), { credentials, continueOnFail: true, inputJson: [{}, {}] });
		expect(result.json()).toEqual([
			{ error: 'Mehery: The API key is not valid.', details: { description: expect.stringContaining('Check the API key'), field: 'x-api-key', recipient: '+17472822486' } },
			{ error: 'Mehery: The API key is not valid.', details: { description: expect.stringContaining('Check the API key'), field: 'x-api-key', recipient: '+17472822486' } },
		]);
		expect(JSON.stringify(result.run)).not.toContain('secret-wrong-key-777');
	});

	it('is never sent twice when the answer is lost', async () => {
		env.sandbox.server.injectFault('POST /api/v1/message/send', { kind: 'reset-after-receive' });
		const result = await run(sendParameters({ type: 'text', text: 'once' }));
		expect(result.error).toBeDefined();
		expect(env.sandbox.server.accepted('POST /api/v1/message/send')).toHaveLength(1);
	});
});

describe('Mehery session, analytics and config', () => {
	it('gets every message of a session, one item each, or up to a limit', async () => {
		const all = await run({ resource: 'session', operation: 'getMessages', sessionId: MEHERY_SEED.sessionId, returnAll: true });
		expect(all.json().map((message) => [message.sender, message.text])).toEqual([
			['CONTACT', 'Hi, is my order shipped?'],
			['API', 'Yes, it left today. Tracking: DS-1042'],
		]);
		const one = await run({ resource: 'session', operation: 'getMessages', sessionId: MEHERY_SEED.sessionId, returnAll: false, limit: 1 });
		expect(one.json()).toHaveLength(1);
		expect(env.sandbox.server.received('GET /api/v1/session/messages')[0].query).toEqual({ sessionId: MEHERY_SEED.sessionId });
	});

	it('says which session was not found', async () => {
		const result = await run({ resource: 'session', operation: 'getMessages', sessionId: 'ss-404', returnAll: true });
		expect(result.error).toMatchObject({ message: 'Mehery: No session ss-404.', httpCode: '404' });
	});

	it('pushes an analytics event with its links', async () => {
		const result = await run({
			resource: 'analytics',
			operation: 'pushEvent',
			eventName: 'order.placed',
			eventId: 'DS-1042',
			links: { link: [{ name: 'customer', type: 'PHONE', value: '+17472822486' }, { name: 'order', type: 'ORDER_ID', value: 'DS-1042' }] },
		});
		const event = {
			eventName: 'order.placed',
			id: 'DS-1042',
			links: [
				{ linkName: 'customer', linkType: 'PHONE', linkValue: '+17472822486' },
				{ linkName: 'order', linkType: 'ORDER_ID', linkValue: 'DS-1042' },
			],
		};
		expect(result.json()).toEqual([event]);
		expect(env.sandbox.server.state.events).toEqual([{ ...event, at: expect.any(Number) }]);
	});

	it('refuses a link without a type before any request', async () => {
		const result = await run({ resource: 'analytics', operation: 'pushEvent', eventName: 'e', eventId: '1', links: { link: [{ name: 'customer', value: 'x' }] } });
		expect(result.error?.message).toBe('Link 1 has no Type');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('sets the webhook URL', async () => {
		const result = await run({ resource: 'config', operation: 'setWebhook', url: 'https://example.com/mehery' });
		expect(result.json()).toEqual([{ description: expect.any(String), key: 'webhook.url', shared: false, value: { url: 'https://example.com/mehery' } }]);
		expect(env.sandbox.server.state.webhookUrl).toBe('https://example.com/mehery');
		const bad = await run({ resource: 'config', operation: 'setWebhook', url: 'example.com' });
		expect(bad.error?.message).toBe('Webhook URL must be an http:// or https:// address: "example.com" is not');
	});
});

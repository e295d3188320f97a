import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { LoadedPackage } from '../support/engine';
import { startMesigic } from '../support/mesigic';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesigic);

const run = (parameters: INodeParameters, options: { inputJson?: IDataObject[]; inputItems?: Parameters<LoadedPackage['runWorkflow']>[0]['inputItems']; credentials?: ICredentialDataDecryptedObject } = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Mesigic', type: 'mesigic', parameters }],
		credentials: { mesigicApi: options.credentials ?? env.sandbox.credentials },
		inputJson: options.inputJson,
		inputItems: options.inputItems,
	});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('Mesigic contacts', () => {
	it('gets all contacts across pages', async () => {
		const result = await run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.json().map((contact) => contact.id)).toEqual([5, 4, 3, 2, 1]);
		const calls = env.sandbox.server.received('GET /external-api/contact/list');
		expect(calls[0].query).toMatchObject({ page: '1' });
		expect(calls[0].headers['client-id']).toBe(env.sandbox.credentials.clientId);
	});

	it('pages with a small limit and stops at the limit', async () => {
		const result = await run({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 2 });
		expect(result.json().map((contact) => contact.id)).toEqual([5, 4]);
		expect(env.sandbox.server.received('GET /external-api/contact/list')).toHaveLength(1);
		expect(env.sandbox.server.received('GET /external-api/contact/list')[0].query).toMatchObject({ paginate: '2' });
	});

	it('searches', async () => {
		const result = await run({ resource: 'contact', operation: 'getAll', returnAll: true, search: 'Jane' });
		expect(result.json()).toEqual([expect.objectContaining({ firstname: 'Jane', mobile_code: '1', mobile: '7472822486' })]);
	});

	it('creates a contact with every field and a profile image from binary data', async () => {
		const result = await run(
			{
				resource: 'contact',
				operation: 'create',
				firstName: 'Lena',
				lastName: 'Berg',
				phone: '+49 (151) 2345-6789',
				additionalFields: { city: 'Hamburg', state: 'HH', postCode: '20095', address: 'Hafenstraße 1', profileImageBinaryField: 'photo' },
			},
			{ inputItems: [{ json: {}, binary: { photo: { data: PNG, fileName: 'lena.png', mimeType: 'image/png' } } }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.json()[0]).toMatchObject({ firstname: 'Lena', lastname: 'Berg', mobile_code: '49', mobile: '15123456789', city: 'Hamburg', post_code: '20095' });
		const [call] = env.sandbox.server.accepted('POST /external-api/contact/store');
		expect(call.body).toMatchObject({ firstname: 'Lena', mobile_code: '49', mobile: '15123456789', state: 'HH', address: 'Hafenstraße 1' });
		expect(call.files).toEqual([expect.objectContaining({ field: 'profile_image', filename: 'lena.png', size: PNG.length })]);
	});

	it('updates only the fields given', async () => {
		const result = await run({ resource: 'contact', operation: 'update', contactId: '2', updateFields: { city: 'San Diego' } });
		expect(result.json()[0]).toMatchObject({ id: 2, city: 'San Diego', firstname: 'Jane' });
		expect(env.sandbox.server.accepted('POST /external-api/contact/update/:id')[0].body).toEqual({ city: 'San Diego' });
	});

	it('refuses an update with nothing to change before sending', async () => {
		const result = await run({ resource: 'contact', operation: 'update', contactId: '2', updateFields: {} });
		expect(result.error?.message).toBe('Nothing to update');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('deletes a contact', async () => {
		const result = await run({ resource: 'contact', operation: 'delete', contactId: '5' });
		expect(result.json()).toEqual([{ id: 5, deleted: true }]);
		expect(env.sandbox.server.state.contacts.map((contact) => contact.id)).not.toContain(5);
	});

	it('shows Mesigic\'s message for an unknown contact', async () => {
		const result = await run({ resource: 'contact', operation: 'delete', contactId: '999' });
		expect(result.error?.message).toMatch(/^Mesigic: .*not found/i);
		expect(result.error?.httpCode).toBe('404');
	});
});

describe('Mesigic conversations', () => {
	it('filters by status', async () => {
		const result = await run({ resource: 'conversation', operation: 'getAll', returnAll: true, status: 4 });
		expect(result.json().map((conversation) => conversation.status)).toEqual([4]);
		expect(env.sandbox.server.received('GET /external-api/inbox/conversation-list')[0].query).toMatchObject({ status: '4' });
	});

	it('gets all conversations without a status filter', async () => {
		const result = await run({ resource: 'conversation', operation: 'getAll', returnAll: true, status: 0 });
		expect(result.json()).toHaveLength(4);
		expect(env.sandbox.server.received('GET /external-api/inbox/conversation-list')[0].query).not.toHaveProperty('status');
	});

	it('gets one conversation with its notes, tags and lists', async () => {
		const result = await run({ resource: 'conversation', operation: 'get', conversationId: '3' });
		expect(result.json()[0]).toMatchObject({ id: 3, tags: [expect.objectContaining({ name: 'VIP' })], notes: [expect.anything()] });
	});

	it('updates the status', async () => {
		const result = await run({ resource: 'conversation', operation: 'updateStatus', conversationId: '4', status: 1 });
		expect(result.json()[0]).toMatchObject({ id: 4, status: 1 });
		expect(env.sandbox.server.accepted('POST /external-api/inbox/change-conversation-status/:conversation_id')[0].body).toEqual({ status: '1' });
	});
});

describe('Mesigic messages', () => {
	it('sends a text to a typed phone number as mobile_code + mobile', async () => {
		const result = await run({ resource: 'message', operation: 'send', phone: '+880 1711-000001', message: 'Your order has shipped', attachment: 'none' });
		expect(result.error).toBeUndefined();
		expect(result.json()[0]).toMatchObject({ type: 'text', message: 'Your order has shipped', status: 'sent' });
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-message')[0].body).toEqual({ mobile_code: '880', mobile: '1711000001', message: 'Your order has shipped' });
	});

	it('sends an image from binary data with a caption and a from number', async () => {
		const result = await run(
			{ resource: 'message', operation: 'send', phone: '0049 151 12345678', message: 'Our new shop', attachment: 'image', mediaSource: 'binary', binaryPropertyName: 'data', additionalFields: { fromNumber: '+1 (747) 555-0101' } },
			{ inputItems: [{ json: {}, binary: { data: { data: PNG, fileName: 'shop.png', mimeType: 'image/png' } } }] },
		);
		expect(result.json()[0]).toMatchObject({ type: 'image' });
		const [call] = env.sandbox.server.accepted('POST /external-api/inbox/send-message');
		// The from number goes through the phone module and out in the form Mesigic registers it in.
		expect(call.body).toMatchObject({ mobile_code: '49', mobile: '15112345678', from_number: '17475550101', message: 'Our new shop' });
		expect(call.files).toEqual([expect.objectContaining({ field: 'image', filename: 'shop.png' })]);
		expect(env.sandbox.server.state.messages.at(-1)).toMatchObject({ from_number: '17475550101' });
	});

	it.each([
		['+1 555 010 0002', 'after +1 (US, Canada and the Caribbean) no number starts with 5550'],
		['+1 747 555 010', 'it has 9 digits after +1 (US, Canada and the Caribbean), where numbers have 10'],
		['7475550101', 'without a + it is read with its country code first'],
	])('refuses the from number %s before any request', async (fromNumber, problem) => {
		for (const operation of [
			{ operation: 'send', message: 'Hi', attachment: 'none' },
			{ operation: 'sendTemplate', templateId: 1 },
		]) {
			const result = await run({ resource: 'message', ...operation, phone: '+1 747 282 2486', additionalFields: { fromNumber } });
			expect(result.error?.message.startsWith(`Additional Fields → From Number: "${fromNumber}" is not a valid phone number: ${problem}`)).toBe(true);
		}
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('downloads a file from a URL and sends it (the sandbox is on loopback: private network allowed)', async () => {
		const url = env.sandbox.server.fileUrl('summer.png', { bytes: 2048 });
		const result = await run({ resource: 'message', operation: 'send', phone: '+880 1711000001', message: 'Summer catalog', attachment: 'image', mediaSource: 'url', mediaUrl: url, allowPrivateNetworkUrls: true });
		expect(result.error).toBeUndefined();
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-message')[0].files).toEqual([expect.objectContaining({ field: 'image', filename: 'summer.png', size: 2048 })]);
		expect(env.sandbox.server.downloads()).toEqual([expect.objectContaining({ name: 'summer.png', complete: true })]);
	});

	it('sends a document given as base64', async () => {
		const pdf = Buffer.from('%PDF-1.4 tiny');
		const result = await run({ resource: 'message', operation: 'send', phone: '+91 98765 43210', attachment: 'document', mediaSource: 'base64', mediaBase64: pdf.toString('base64'), mediaFileName: 'invoice.pdf' });
		expect(result.json()[0]).toMatchObject({ type: 'document' });
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-message')[0].files).toEqual([expect.objectContaining({ field: 'document', filename: 'invoice.pdf', size: pdf.length })]);
	});

	it('sends a video and an audio file', async () => {
		for (const [attachment, fileName] of [['video', 'clip.mp4'], ['audio', 'note.ogg']]) {
			const result = await run({ resource: 'message', operation: 'send', phone: '+1 747 282 2486', attachment, mediaSource: 'base64', mediaBase64: 'AAAA', mediaFileName: fileName });
			expect(result.error).toBeUndefined();
			expect(result.json()[0]).toMatchObject({ type: attachment });
		}
	});

	it('sends a location', async () => {
		const result = await run({ resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'none', additionalFields: { latitude: 23.8103, longitude: 90.4125 } });
		expect(result.json()[0]).toMatchObject({ type: 'location' });
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-message')[0].body).toMatchObject({ latitude: '23.8103', longitude: '90.4125' });
	});

	it.each([
		['ctaUrlId', 'cta_url_id'],
		['interactiveListId', 'interactive_list_id'],
	])('sends an interactive message by %s', async (field, apiField) => {
		const result = await run({ resource: 'message', operation: 'send', phone: '+880 1711000001', message: 'Pick one', attachment: 'none', additionalFields: { [field]: 1 } });
		expect(result.error).toBeUndefined();
		expect(result.json()[0]).toMatchObject({ type: 'interactive' });
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-message')[0].body).toMatchObject({ [apiField]: '1' });
	});

	it('sends a template', async () => {
		const result = await run({ resource: 'message', operation: 'sendTemplate', phone: '+1 (747) 282-2486', templateId: 1 });
		expect(result.error).toBeUndefined();
		expect(result.json()[0]).toMatchObject({ type: 'template' });
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-template-message')[0].body).toEqual({ mobile_code: '1', mobile: '7472822486', template_id: '1' });
	});

	it('sends a template from a registered number typed with 00', async () => {
		const result = await run({ resource: 'message', operation: 'sendTemplate', phone: '+1 (747) 282-2486', templateId: 1, additionalFields: { fromNumber: '001 747 555 0100' } });
		expect(result.error).toBeUndefined();
		expect(env.sandbox.server.accepted('POST /external-api/inbox/send-template-message')[0].body).toEqual({ mobile_code: '1', mobile: '7472822486', template_id: '1', from_number: '17475550100' });
	});

	it('lists templates, approved first in the dropdown', async () => {
		const result = await run({ resource: 'template', operation: 'getAll', returnAll: true });
		expect(result.json().map((template) => template.name)).toEqual(['order_confirmation', 'welcome_offer', 'payment_reminder']);
		const options = await env.pkg.loadOptions({ nodeType: 'mesigic', method: 'getTemplates', credentials: { mesigicApi: env.sandbox.credentials } });
		expect(options.map((option) => option.value)).toEqual([1, 2, 3]);
		expect(options[2]).toMatchObject({ name: 'payment_reminder (en)', description: 'Status: PENDING' });
	});

	it('says in the template dropdown\'s error why it cannot load and what to do (the editor shows only the message)', async () => {
		const load = (credentials: object) => env.pkg.loadOptions({ nodeType: 'mesigic', method: 'getTemplates', credentials: { mesigicApi: { ...env.sandbox.credentials, ...credentials } } });
		await expect(load({ clientSecret: 'wrong-secret-0001' })).rejects.toThrow(/^Could not load the templates: Mesigic: .+\. Check the Client ID and Client Secret in the Mesigic credential/);
		env.sandbox.server.state.ipWhitelist = ['203.0.113.7'];
		await expect(load({})).rejects.toThrow(/^Could not load the templates: Mesigic: Access to this API endpoint is restricted .+\. Add the public IP address of your n8n server to the IP Whitelist/);
	});
});

describe('Mesigic credential test', () => {
	it('passes with the right pair', async () => {
		expect(await env.pkg.testCredential({ type: 'mesigicApi', data: env.sandbox.credentials })).toMatchObject({ status: 'OK' });
	});

	it('fails with a wrong secret', async () => {
		expect(await env.pkg.testCredential({ type: 'mesigicApi', data: { ...env.sandbox.credentials, clientSecret: 'wrong' } })).toMatchObject({ status: 'Error' });
	});
});

describe('Mesigic Trigger', () => {
	const poll = (event: string, staticData?: Parameters<LoadedPackage['runPoll']>[0]['staticData']) =>
		env.pkg.runPoll({ node: { name: 'Trigger', type: 'mesigicTrigger', parameters: { event } }, credentials: { mesigicApi: env.sandbox.credentials }, staticData });

	it('does not replay history, then fires once for each new unread conversation', async () => {
		const first = await poll('newUnreadConversation');
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		await env.sandbox.inbound({ mobile_code: '44', mobile: '7700900123', message: 'Hi there', firstname: 'Amy' });
		await env.sandbox.inbound({ mobile_code: '1', mobile: '7472822486', message: 'Any news?' });
		const second = await poll('newUnreadConversation', first.staticData);
		expect(second.items?.[0].map((item) => item.json.last_message)).toEqual(['Hi there', 'Any news?']);
		const third = await poll('newUnreadConversation', second.staticData);
		expect(third.items).toBeNull();
	});

	it('fires for a new conversation only once', async () => {
		const first = await poll('newConversation');
		await env.sandbox.inbound({ mobile_code: '44', mobile: '7700900124', message: 'New here' });
		const second = await poll('newConversation', first.staticData);
		expect(second.items?.[0]).toHaveLength(1);
		expect(second.items?.[0][0].json).toMatchObject({ event: 'newConversation', last_message: 'New here' });
		expect((await poll('newConversation', second.staticData)).items).toBeNull();
	});

	it('fires when a conversation status changes, with the previous status', async () => {
		const first = await poll('conversationStatusChanged');
		await run({ resource: 'conversation', operation: 'updateStatus', conversationId: '1', status: 3 });
		const second = await poll('conversationStatusChanged', first.staticData);
		expect(second.items?.[0].map((item) => item.json)).toEqual([expect.objectContaining({ id: 1, status: 3, previous_status: 1, previous_status_name: 'Done', status_name: 'Important' })]);
	});

	it('fires for new contacts in the order they were added', async () => {
		const first = await poll('newContact');
		expect(first.items).toBeNull();
		await run({ resource: 'contact', operation: 'create', firstName: 'A', lastName: 'One', phone: '+44 7700 900001' });
		await run({ resource: 'contact', operation: 'create', firstName: 'B', lastName: 'Two', phone: '+44 7700 900002' });
		const second = await poll('newContact', first.staticData);
		expect(second.items?.[0].map((item) => item.json.firstname)).toEqual(['A', 'B']);
		expect((await poll('newContact', second.staticData)).items).toBeNull();
	});

	it('shows the newest record when fetching a test event by hand', async () => {
		const manual = await env.pkg.runPoll({ node: { name: 'Trigger', type: 'mesigicTrigger', parameters: { event: 'newContact' } }, credentials: { mesigicApi: env.sandbox.credentials }, mode: 'manual' });
		expect(manual.items?.[0]).toHaveLength(1);
		expect(manual.items?.[0][0].json).toMatchObject({ event: 'newContact', id: 5 });
	});
});

/**
 * The Messlo node through the real n8n-core engine against the Messlo simulator: the WhatsApp
 * account, contacts, every message type of the one Send operation, chats, the credential and the
 * dropdowns. Each test asserts the exact body (or query) Messlo received.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import type { InputItem } from '../support/engine';
import { startMesslo } from '../support/messlo';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesslo);

interface RunOptions {
	inputJson?: IDataObject[];
	inputItems?: InputItem[];
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
}

const run = (parameters: INodeParameters, options: RunOptions = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Messlo', type: 'messlo', parameters, ...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}) }],
		credentials: { messloApi: options.credentials ?? env.sandbox.credentials },
		inputJson: options.inputJson,
		inputItems: options.inputItems,
	});

const SEND = 'POST /api/whatsapp/send';
const bodies = (route: string) => env.sandbox.server.accepted(route).map((request) => request.body);
const { asha, tom, lena } = MESSLO_SEED;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d5b3a30000000049454e44ae426082', 'hex');

describe('Messlo credential', () => {
	it('passes with the right key on the connections list, and fails a wrong key without showing it', async () => {
		expect(await env.pkg.testCredential({ type: 'messloApi', data: env.sandbox.credentials })).toEqual({ status: 'OK', message: expect.stringMatching(/^Connection successful: Messlo accepted the credential/) });
		const [request] = env.sandbox.server.received('GET /api/whatsapp/connections');
		expect(request.headers['x-api-key']).toBeDefined();
		expect(request.status).toBe(200);
		const wrong = await env.pkg.testCredential({ type: 'messloApi', data: { ...env.sandbox.credentials, apiKey: 'wrong-messlo-key-4242' } });
		expect(wrong.status).toBe('Error');
		expect(JSON.stringify(wrong)).not.toContain('wrong-messlo-key-4242');
	});

	it('fails every item of a run with a wrong key, with what to check, and never shows the key', async () => {
		const result = await run({ resource: 'account', operation: 'getConnections' }, { credentials: { ...env.sandbox.credentials, apiKey: 'secret-wrong-key-777' }, continueOnFail: true, inputJson: [{}, {}] });
		expect(result.json()).toEqual([
			{ error: 'Messlo: Invalid API key', details: expect.objectContaining({ description: expect.stringContaining('API key in the Messlo credential') }) },
			{ error: 'Messlo: Invalid API key', details: expect.objectContaining({ description: expect.stringContaining('API key in the Messlo credential') }) },
		]);
		expect(JSON.stringify(result.run)).not.toContain('secret-wrong-key-777');
	});
});

describe('Messlo WhatsApp account (rows 1–5)', () => {
	it('lists the connected WABAs, one item each', async () => {
		const result = await run({ resource: 'account', operation: 'getConnections' });
		expect(result.error).toBeUndefined();
		expect(result.json().map((waba) => [waba.id, waba.waba_id, waba.name])).toEqual([
			[MESSLO_DEMO.wabaId, MESSLO_DEMO.metaWabaId, 'Acme India'],
			[MESSLO_DEMO.secondWabaId, MESSLO_DEMO.secondMetaWabaId, 'Acme US'],
		]);
		expect(result.unpairedItems()).toEqual([]);
	});

	it('lists every phone number, and the numbers of one WABA', async () => {
		const all = await run({ resource: 'account', operation: 'getPhoneNumbers' });
		expect(all.json().map((phone) => phone.phone_number)).toEqual([MESSLO_DEMO.senderNumber, MESSLO_DEMO.secondSenderNumber]);
		const one = await run({ resource: 'account', operation: 'getWabaPhoneNumbers', wabaId: MESSLO_DEMO.secondWabaId });
		expect(one.json().map((phone) => phone.phone_number)).toEqual([MESSLO_DEMO.secondSenderNumber]);
		expect(env.sandbox.server.received().map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/whatsapp/phone-numbers',
			`GET /api/whatsapp/${MESSLO_DEMO.secondWabaId}/phone-numbers`,
		]);
	});

	it('sets up the Meta webhooks of a WABA and syncs the workspace, each with an empty body', async () => {
		const setUp = await run({ resource: 'account', operation: 'setUpWebhooks', wabaId: MESSLO_DEMO.secondWabaId });
		expect(setUp.json()).toEqual([expect.objectContaining({ subscribed: true })]);
		expect(bodies(`POST /api/whatsapp/:wabaId/webhooks/setup`)).toEqual([{}]);
		const sync = await run({ resource: 'account', operation: 'syncWorkspace' });
		expect(sync.json()).toEqual([expect.objectContaining({ synced_at: expect.any(String) })]);
		expect(bodies('POST /api/whatsapp/workspace/sync')).toEqual([{}]);
	});

	it('refuses a WABA ID that would change the path, before any request', async () => {
		const result = await run({ resource: 'account', operation: 'setUpWebhooks', wabaId: '..' });
		expect(result.error?.message).toContain('cannot be ".."');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});
});

describe('Messlo contacts (rows 10, 11 and Update contact)', () => {
	it('gets every contact over pages of page + limit, or up to a limit', async () => {
		const all = await run({ resource: 'contact', operation: 'getAll', returnAll: true, limit: 50 });
		expect(all.json().map((contact) => contact.name).sort()).toEqual([asha.name, lena.name, tom.name]);
		const two = await run({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 2 });
		expect(two.json()).toHaveLength(2);
		expect(env.sandbox.server.received('GET /api/contacts').map((request) => request.query)).toEqual([
			{ page: '1', limit: '100' },
			{ page: '1', limit: '2' },
		]);
	});

	it('reads page after page when Return All meets a small page size', async () => {
		for (let n = 0; n < 4; n++) env.sandbox.inbound({ from: `+44 7700 9001${n}${n}`, text: 'hi' });
		const result = await run({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 5 });
		expect(result.json()).toHaveLength(5);
		const all = await run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(all.json()).toHaveLength(7);
	});

	it('searches contacts', async () => {
		const result = await run({ resource: 'contact', operation: 'getAll', returnAll: true, search: 'Asha' });
		expect(result.json().map((contact) => contact.id)).toEqual([asha.contactId]);
		expect(env.sandbox.server.received('GET /api/contacts')[0].query).toEqual({ search: 'Asha', page: '1', limit: '100' });
	});

	it('creates a contact from a number typed any way, with name, email and extra fields', async () => {
		const result = await run({
			resource: 'contact',
			operation: 'create',
			phone: '0049 (170) 123-4567',
			additionalFields: { name: 'Jan Berg', email: 'jan@example.com' },
		});
		expect(result.error).toBeUndefined();
		expect(bodies('POST /api/contacts')).toEqual([{ phone_number: '+491701234567', name: 'Jan Berg', email: 'jan@example.com' }]);
		expect(result.json()).toEqual([expect.objectContaining({ name: 'Jan Berg', phone_number: '+491701234567' })]);
	});

	it('updates only the fields given: name, email, number, custom fields, tags and segments', async () => {
		const result = await run({
			resource: 'contact',
			operation: 'update',
			contactId: lena.contactId,
			updateFields: {
				name: 'Lena V.',
				email: 'lena.v@example.com',
				phone: '+49 151 1234 5679',
				customFields: { field: [{ key: 'interest', value: 'demo' }] },
				tags: [MESSLO_SEED.tags.vip.id],
				segments: [MESSLO_SEED.segment.id],
			},
		});
		expect(result.error).toBeUndefined();
		expect(bodies('PUT /api/contacts/:id')).toEqual([
			{
				name: 'Lena V.',
				email: 'lena.v@example.com',
				phone_number: '+4915112345679',
				custom_fields: { interest: 'demo' },
				tags: [MESSLO_SEED.tags.vip.id],
				segments: [MESSLO_SEED.segment.id],
			},
		]);
		expect(env.sandbox.server.received('PUT /api/contacts/:id')[0].path).toBe(`/api/contacts/${lena.contactId}`);
		expect(result.json()).toEqual([expect.objectContaining({ name: 'Lena V.', custom_fields: { interest: 'demo' } })]);
	});

	it.each<[string, INodeParameters, string]>([
		['nothing to update', { operation: 'update', contactId: lena.contactId, updateFields: {} }, 'Nothing to update'],
		['a bad email', { operation: 'create', phone: '+49 170 1234567', additionalFields: { email: 'jan-at-example' } }, 'Email "jan-at-example" is not an email address'],
		['an impossible number', { operation: 'create', phone: '12' }, 'Phone Number: '],
		['extra fields that are not JSON', { operation: 'create', phone: '+49 170 1234567', additionalFields: { additionalBodyFields: '{name:' } }, 'Additional Body Fields (JSON) is not valid JSON'],
		['extra fields that repeat a field', { operation: 'create', phone: '+49 170 1234567', additionalFields: { additionalBodyFields: '{"phone_number":"1"}' } }, 'sets "phone_number", which the node already sends'],
		['a duplicate custom field', { operation: 'update', contactId: lena.contactId, updateFields: { customFields: { field: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } } }, 'has the name "a" twice'],
	])('fails an item with %s before any request', async (_case, parameters, message) => {
		const result = await run({ resource: 'contact', ...parameters });
		expect(result.error?.message).toContain(message);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('passes extra fields through to the body, and shows Messlo\'s answer to them', async () => {
		const result = await run({ resource: 'contact', operation: 'create', phone: '+49 170 1234567', additionalFields: { additionalBodyFields: '{"source":"n8n"}' } });
		expect(env.sandbox.server.received('POST /api/contacts').map((request) => request.body)).toEqual([{ phone_number: '+491701234567', source: 'n8n' }]);
		expect(result.error).toMatchObject({ message: expect.stringMatching(/^Messlo: /), httpCode: '400' });
		expect(result.error?.message).toContain('source');
	});

	it('shows Messlo\'s error for a number that already exists', async () => {
		const result = await run({ resource: 'contact', operation: 'create', phone: `+${asha.phone}` });
		expect(result.error).toMatchObject({ message: expect.stringMatching(/^Messlo: /), httpCode: '409' });
	});
});

describe('Messlo message send (rows 12–19, 23, 81)', () => {
	const send = (parameters: INodeParameters, options?: RunOptions) =>
		run({ resource: 'message', operation: 'send', phone: '+91 98765 43210', sender: MESSLO_DEMO.senderNumber, ...parameters }, options);
	const to = { contact_no: asha.phone, whatsapp_phone_number: MESSLO_DEMO.senderNumber };

	it.each<[string, INodeParameters, IDataObject]>([
		['text (row 12)', { messageType: 'text', message: 'Hello! 🍏' }, { messageType: 'text', message: 'Hello! 🍏' }],
		['image by URL (row 13)', { messageType: 'image', mediaUrl: 'https://example.com/image.jpg', caption: 'Check this out!' }, { messageType: 'image', message: 'Check this out!', mediaUrl: 'https://example.com/image.jpg' }],
		['document by URL (row 14)', { messageType: 'document', mediaUrl: 'https://example.com/report.pdf', caption: 'Please read' }, { messageType: 'document', message: 'Please read', mediaUrl: 'https://example.com/report.pdf' }],
		['video by URL (row 15)', { messageType: 'video', mediaUrl: 'https://example.com/video.mp4' }, { messageType: 'video', mediaUrl: 'https://example.com/video.mp4' }],
		['location (row 16)', { messageType: 'location', latitude: 12.971599, longitude: 77.594566 }, { messageType: 'location', latitude: 12.971599, longitude: 77.594566 }],
		[
			'several media by URLs (row 17)',
			{ messageType: 'multipleMedia', mediaUrls: 'https://example.com/image1.jpg\nhttps://example.com/image2.png, https://example.com/video.mp4', caption: 'Here are your files!' },
			{ mediaUrls: ['https://example.com/image1.jpg', 'https://example.com/image2.png', 'https://example.com/video.mp4'], message: 'Here are your files!' },
		],
		['audio by URL (row 23)', { messageType: 'audio', mediaUrl: 'https://example.com/audio.mp3', caption: 'not sent' }, { messageType: 'audio', mediaUrl: 'https://example.com/audio.mp3' }],
	])('sends %s', async (_type, parameters, content) => {
		const result = await send(parameters);
		expect(result.error).toBeUndefined();
		expect(bodies(SEND)).toEqual([{ ...to, ...content }]);
		expect(result.json()).toEqual([expect.objectContaining({ status: 'sent', message_id: expect.any(String) })]);
		expect(result.unpairedItems()).toEqual([]);
	});

	it('sends an approved template with its variables (row 18)', async () => {
		const result = await send({
			messageType: 'template',
			templateName: 'order_update',
			templateVariables: { variable: [{ key: '1', value: 'ORD-1042' }, { key: '2', value: 'on its way' }, { key: 'name', value: 'Asha' }] },
			languageCode: 'en_US',
		});
		expect(result.error).toBeUndefined();
		expect(bodies(SEND)).toEqual([{ ...to, messageType: 'template', templateName: 'order_update', templateVariables: { 1: 'ORD-1042', 2: 'on its way', name: 'Asha' }, languageCode: 'en_US' }]);
	});

	it('sends a template with a dynamic PDF header to a customer outside the 24 hours (rows 18, 81)', async () => {
		const result = await send({
			phone: '+44 7700 900123',
			messageType: 'template',
			templateName: 'checkout_invoice',
			templateVariables: { variable: [{ key: '1', value: 'Tom' }, { key: '2', value: 'ORDER-123' }] },
			templateMediaUrl: 'https://cdn.example.com/invoices/order-123.pdf',
		});
		expect(result.error).toBeUndefined();
		expect(bodies(SEND)).toEqual([
			{
				contact_no: tom.phone,
				whatsapp_phone_number: MESSLO_DEMO.senderNumber,
				messageType: 'template',
				templateName: 'checkout_invoice',
				templateVariables: { 1: 'Tom', 2: 'ORDER-123' },
				mediaUrl: 'https://cdn.example.com/invoices/order-123.pdf',
			},
		]);
	});

	it('uploads a file from the input item\'s binary data with Messlo\'s IDs of sender and contact (row 19)', async () => {
		const pdf = Buffer.from('%PDF-1.4\n% a small invoice\n%%EOF\n');
		const result = await send(
			{ messageType: 'upload', mediaSource: 'binary', binaryPropertyName: 'invoice', whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, contactId: asha.contactId, caption: 'Your invoice' },
			{ inputItems: [{ json: {}, binary: { invoice: { data: pdf, fileName: 'invoice-1042.pdf', mimeType: 'application/pdf' } } }] },
		);
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.server.accepted(SEND);
		expect(request.body).toEqual({ whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, contact_id: asha.contactId, message: 'Your invoice', provider: 'business_api', messageType: 'document' });
		expect(request.files).toEqual([expect.objectContaining({ field: 'file_url', filename: 'invoice-1042.pdf', contentType: 'application/pdf', size: pdf.length })]);
		expect(env.sandbox.server.state.uploads).toEqual([expect.objectContaining({ file_name: 'invoice-1042.pdf', size: pdf.length })]);
	});

	it('uploads a file given as base64 text', async () => {
		const result = await send({ messageType: 'upload', mediaSource: 'base64', mediaBase64: PNG.toString('base64'), mediaFileName: 'logo.png', whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, contactId: asha.contactId });
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.server.accepted(SEND);
		expect(request.body).toEqual({ whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, contact_id: asha.contactId, provider: 'business_api', messageType: 'image' });
		expect(request.files).toEqual([expect.objectContaining({ field: 'file_url', filename: 'logo.png', contentType: 'image/png', size: PNG.length })]);
	});

	it('gives an upload the media type of its file, or the one chosen', async () => {
		const upload = (file: { data: Buffer; fileName: string; mimeType: string }, parameters: INodeParameters = {}) =>
			send(
				{ messageType: 'upload', mediaSource: 'binary', binaryPropertyName: 'data', whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, contactId: asha.contactId, ...parameters },
				{ inputItems: [{ json: {}, binary: { data: file } }] },
			);
		await upload({ data: PNG, fileName: 'shop.png', mimeType: 'image/png' });
		await upload({ data: Buffer.from('not really a video'), fileName: 'clip.mp4', mimeType: 'video/mp4' });
		await upload({ data: Buffer.from('opening hours: 9-18'), fileName: 'hours.txt', mimeType: 'text/plain' });
		await upload({ data: Buffer.from('%PDF-1.4'), fileName: 'menu.pdf', mimeType: 'application/pdf' }, { uploadMediaType: 'document' });
		expect(bodies(SEND).map((body) => (body as IDataObject).messageType)).toEqual(['image', 'video', 'document', 'document']);
		const wrong = await upload({ data: PNG, fileName: 'shop.png', mimeType: 'image/png' }, { uploadMediaType: 'document' });
		expect(wrong.error?.message).toBe('Document must be pdf, doc, docx, xls, xlsx, ppt, pptx, txt: "shop.png" is not');
		expect(env.sandbox.server.received(SEND)).toHaveLength(4);
	});

	it('takes the recipient and the sender from expressions in any common form, one request per item', async () => {
		const result = await send(
			{ phone: '={{ $json.to }}', sender: '={{ $json.from }}', messageType: 'text', message: '={{ "Hi " + $json.name }}' },
			{
				inputJson: [
					{ to: '0091 98765-43210', from: '+91 12345 67890', name: 'Asha' },
					{ to: '+91 (987) 654 3210', from: '911234567890', name: 'again' },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(bodies(SEND)).toEqual([
			{ ...to, messageType: 'text', message: 'Hi Asha' },
			{ ...to, messageType: 'text', message: 'Hi again' },
		]);
	});

	it('adds extra body fields, e.g. a location\'s name', async () => {
		const result = await send({ messageType: 'location', latitude: 1.5, longitude: 2.5, options: { additionalBodyFields: '{"message":"Our shop"}' } });
		expect(result.error).toBeUndefined();
		expect(bodies(SEND)).toEqual([{ ...to, messageType: 'location', latitude: 1.5, longitude: 2.5, message: 'Our shop' }]);
	});

	it.each<[string, INodeParameters, string]>([
		['an impossible recipient', { phone: '12', messageType: 'text', message: 'x' }, 'Recipient: '],
		['an empty text', { messageType: 'text', message: '  ' }, 'Message is empty'],
		['a text over 4096 characters', { messageType: 'text', message: 'x'.repeat(4097) }, 'Message is too long: 4097 characters'],
		['a media link that is not http(s)', { messageType: 'image', mediaUrl: 'file:///etc/passwd' }, 'Media URL must be an http:// or https:// address'],
		['a bad link among several', { messageType: 'multipleMedia', mediaUrls: 'https://example.com/a.jpg\nftp://example.com/b.jpg' }, 'Media URLs must be an http:// or https:// address: "ftp://example.com/b.jpg"'],
		['a latitude out of range', { messageType: 'location', latitude: 91, longitude: 0 }, 'Latitude must be from -90 to 90'],
		['a template variable without a key', { messageType: 'template', templateName: 'order_update', templateVariables: { variable: [{ key: ' ', value: 'x' }] } }, 'Template Variables: entry 1 has no key'],
		['extra fields that are a list', { messageType: 'text', message: 'x', options: { additionalBodyFields: '[1]' } }, 'Additional Body Fields (JSON) must be a JSON object'],
		['an upload without the binary field', { messageType: 'upload', mediaSource: 'binary', binaryPropertyName: 'nothing', whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, contactId: asha.contactId }, 'The input item has no binary field "nothing"'],
	])('fails an item with %s before any request', async (_case, parameters, message) => {
		const result = await send(parameters);
		expect(result.error?.message).toContain(message);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('refuses an image upload over WhatsApp\'s 5 MB before sending', async () => {
		const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
		const result = await send(
			{ messageType: 'upload', mediaSource: 'binary', binaryPropertyName: 'data', whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, contactId: asha.contactId },
			{ inputItems: [{ json: {}, binary: { data: { data: big, fileName: 'big.jpg', mimeType: 'image/jpeg' } } }] },
		);
		expect(result.error?.message).toContain('Image is too large');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('explains the 24-hour rule when a free-form message goes to a customer who wrote days ago', async () => {
		const result = await send({ phone: `+${tom.phone}`, messageType: 'text', message: 'Still there?' });
		expect(result.error).toMatchObject({ message: expect.stringMatching(/^Messlo: Re-engagement message/), httpCode: '400' });
		expect(result.error?.description).toContain('choose Message Type "Template"');
	});

	it('explains that only approved templates can be sent', async () => {
		const result = await send({ messageType: 'template', templateName: 'spring_sale' });
		expect(result.error?.description).toContain('Sync Approval Status');
	});

	it('keeps going with Continue On Fail: a failed item becomes an error item, the others are sent', async () => {
		const result = await send(
			{ phone: '={{ $json.to }}', messageType: 'text', message: 'Hello' },
			{ continueOnFail: true, inputJson: [{ to: `+${asha.phone}` }, { to: '12' }, { to: `+${tom.phone}` }, { to: `+${asha.phone}` }] },
		);
		const items = result.json();
		expect(items[0]).toMatchObject({ status: 'sent' });
		expect(items[1]).toEqual({ error: expect.stringContaining('Recipient: '), details: { field: 'Recipient', recipient: '12' } });
		expect(items[2]).toEqual({ error: expect.stringMatching(/^Messlo: Re-engagement/), details: expect.objectContaining({ description: expect.any(String) }) });
		expect(items[3]).toMatchObject({ status: 'sent' });
		expect(result.output().map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(bodies(SEND)).toHaveLength(2);
	});
});

describe('Messlo chats (rows 20–22, 73)', () => {
	it('lists recent chats with every filter, over pages of up to 50', async () => {
		const result = await run({
			resource: 'chat',
			operation: 'getAll',
			returnAll: true,
			filters: { whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, platform: 'whatsapp', search: 'Asha', provider: 'business_api' },
		});
		expect(result.error).toBeUndefined();
		expect(result.json().map((chat) => chat.contact_id)).toEqual([asha.contactId]);
		expect(env.sandbox.server.received('GET /api/whatsapp/chats')[0].query).toEqual({
			whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId,
			platform: 'whatsapp',
			search: 'Asha',
			provider: 'business_api',
			page: '1',
			limit: '50',
		});
	});

	it('lists the recent chats of the primary number, most recent first', async () => {
		const result = await run({ resource: 'chat', operation: 'getAll', returnAll: false, limit: 10 });
		expect(result.json().map((chat) => chat.contact_id)).toEqual([asha.contactId, tom.contactId]);
	});

	it('lists the messages of a thread, by day and by text', async () => {
		const all = await run({ resource: 'chat', operation: 'getMessages', contactId: asha.contactId, returnAll: true });
		expect(all.json().map((message) => message.message)).toEqual(['Thanks!', 'Yes, it left today. Tracking: DS-1042', 'Hi, is my order shipped?']);
		const today = new Date().toISOString().slice(0, 10);
		const filtered = await run({
			resource: 'chat',
			operation: 'getMessages',
			contactId: asha.contactId,
			returnAll: false,
			limit: 1,
			filters: { whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, search: 'order', startDate: `${today}T00:00:00`, endDate: today },
		});
		expect(filtered.json()).toHaveLength(1);
		expect(env.sandbox.server.received('GET /api/whatsapp/messages').map((request) => request.query)).toEqual([
			{ contact_id: asha.contactId, page: '1', limit: '100' },
			{ contact_id: asha.contactId, whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, search: 'order', start_date: today, end_date: today, page: '1', limit: '1' },
		]);
	});

	it('refuses a From Day after the To Day before any request', async () => {
		const result = await run({ resource: 'chat', operation: 'getMessages', contactId: asha.contactId, returnAll: true, filters: { startDate: '2026-05-02', endDate: '2026-05-01' } });
		expect(result.error?.message).toBe('From Day (2026-05-02) is after To Day (2026-05-01)');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('assigns a chat to an agent, and to a chatbot', async () => {
		const agent = await run({ resource: 'chat', operation: 'assign', contactId: tom.contactId, whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, assignTo: 'agent', agentId: MESSLO_SEED.agents.omar.id });
		expect(agent.error).toBeUndefined();
		expect(agent.json()).toEqual([expect.objectContaining({ contact_id: tom.contactId, assigned_agent_id: MESSLO_SEED.agents.omar.id })]);
		await run({ resource: 'chat', operation: 'assign', contactId: tom.contactId, whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId, assignTo: 'chatbot', chatbotId: MESSLO_SEED.chatbot.id });
		expect(bodies('POST /api/whatsapp/assign-chat')).toEqual([
			{ contact_id: tom.contactId, whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, agent_id: MESSLO_SEED.agents.omar.id },
			{ contact_id: tom.contactId, whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, chatbot_id: MESSLO_SEED.chatbot.id },
		]);
	});
	it('takes an expression in every dropdown instead of a choice, as when an AI agent fills the fields', async () => {
		const input = [{ waba: MESSLO_DEMO.wabaId, number: MESSLO_DEMO.phoneNumberId, agent: MESSLO_SEED.agents.priya.id, template: 'hello_world', sender: '+91 12345 67890' }];
		const assigned = await run(
			{ resource: 'chat', operation: 'assign', contactId: tom.contactId, whatsappPhoneNumberId: '={{ $json.number }}', assignTo: 'agent', agentId: '={{ $json.agent }}' },
			{ inputJson: input },
		);
		expect(assigned.error).toBeUndefined();
		const sent = await run(
			{ resource: 'message', operation: 'send', phone: `+${tom.phone}`, sender: '={{ $json.sender }}', messageType: 'template', templateName: '={{ $json.template }}' },
			{ inputJson: input },
		);
		expect(sent.error).toBeUndefined();
		const numbers = await run({ resource: 'account', operation: 'getWabaPhoneNumbers', wabaId: '={{ $json.waba }}' }, { inputJson: input });
		expect(numbers.json().map((phone) => phone.phone_number)).toEqual([MESSLO_DEMO.senderNumber]);
		expect(bodies('POST /api/whatsapp/assign-chat')).toEqual([{ contact_id: tom.contactId, whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, agent_id: MESSLO_SEED.agents.priya.id }]);
		expect(bodies(SEND)).toEqual([{ contact_no: tom.phone, whatsapp_phone_number: MESSLO_DEMO.senderNumber, messageType: 'template', templateName: 'hello_world' }]);
	});
});

describe('Messlo dropdowns', () => {
	const load = (method: string, parameters: INodeParameters = {}) =>
		env.pkg.loadOptions({ nodeType: 'messlo', method, credentials: { messloApi: env.sandbox.credentials }, parameters });

	it('lists the WABAs by name, valued by their ID', async () => {
		expect(await load('getWabas', { resource: 'template', operation: 'create' })).toEqual([
			{ name: `Acme India (${MESSLO_DEMO.wabaId})`, value: MESSLO_DEMO.wabaId, description: `Meta WABA ID: ${MESSLO_DEMO.metaWabaId}` },
			{ name: `Acme US (${MESSLO_DEMO.secondWabaId})`, value: MESSLO_DEMO.secondWabaId, description: `Meta WABA ID: ${MESSLO_DEMO.secondMetaWabaId}` },
		]);
	});

	it('lists the sender numbers valued by their digits, and by Messlo\'s ID for the calls that take one', async () => {
		expect(await load('getSenderNumbers', { resource: 'message', operation: 'send' })).toEqual([
			{ name: '+1 415-555-0100 (Acme US)', value: MESSLO_DEMO.secondSenderNumber },
			{ name: '+91 12345 67890 (Acme India)', value: MESSLO_DEMO.senderNumber, description: 'Primary number' },
		]);
		const ids = await load('getPhoneNumberIds', { resource: 'chat', operation: 'assign' });
		expect(ids.map((option) => option.value)).toEqual([MESSLO_DEMO.secondPhoneNumberId, MESSLO_DEMO.phoneNumberId]);
	});

	it('lists the templates of the chosen sender\'s WABA, approved ones first', async () => {
		const options = await load('getTemplates', { resource: 'message', operation: 'send', messageType: 'template', sender: MESSLO_DEMO.senderNumber });
		const names = options.map((option) => option.value);
		expect(names).toContain('order_update');
		expect(names).not.toContain(MESSLO_SEED.secondWabaTemplate.name);
		expect(names.slice(-2).sort()).toEqual(['old_promo', 'spring_sale']);
		expect(options.find((option) => option.value === 'order_update')?.description).toMatch(/^Status: APPROVED/);
	});

	it('lists the templates of every WABA when none is chosen, and of the chosen WABA for a campaign', async () => {
		const every = (await load('getTemplates', { resource: 'message', operation: 'send', messageType: 'template' })).map((option) => option.value);
		expect(every).toEqual(expect.arrayContaining(['order_update', MESSLO_SEED.secondWabaTemplate.name]));
		const second = (await load('getTemplates', { resource: 'campaign', operation: 'create', wabaId: MESSLO_DEMO.secondWabaId })).map((option) => option.value);
		expect(second).toEqual([MESSLO_SEED.secondWabaTemplate.name]);
		const ids = await load('getTemplateIds', { resource: 'template', operation: 'syncStatus', wabaId: MESSLO_DEMO.secondWabaId });
		expect(ids.map((option) => option.value)).toEqual([MESSLO_SEED.secondWabaTemplate.id]);
	});

	it('lists agents, tags and segments', async () => {
		expect((await load('getAgents', { resource: 'chat', operation: 'assign' })).map((option) => [option.name, option.value])).toEqual([
			['Omar Haddad (omar@acme.example)', MESSLO_SEED.agents.omar.id],
			['Priya Shah (priya@acme.example)', MESSLO_SEED.agents.priya.id],
		]);
		expect((await load('getTags', { resource: 'campaign', operation: 'create' })).map((option) => [option.name, option.value])).toEqual([
			['Newsletter', MESSLO_SEED.tags.newsletter.id],
			['VIP', MESSLO_SEED.tags.vip.id],
		]);
		expect((await load('getSegments', { resource: 'contact', operation: 'update' })).map((option) => option.value)).toEqual([MESSLO_SEED.segment.id]);
	});
});

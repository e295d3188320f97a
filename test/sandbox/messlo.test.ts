import { SandboxServer } from '../../sandbox/framework';
import { portsFrom } from '../../sandbox/main';
import { MESSLO_DEMO, MESSLO_SEED, messloSimulator } from '../../sandbox/messlo';
import { call, caller, fakeFile, useStarted } from './helpers';

const server = new SandboxServer(messloSimulator());
useStarted(() => server.start(), () => server.reset());

const api = caller(() => server.url, { 'x-api-key': MESSLO_DEMO.apiKey });
const control = (path: string, json: unknown) => call('POST', `${server.controlUrl}/messlo${path}`, { json });
const { asha, tom, lena, tags, agents, chatbot, templates } = MESSLO_SEED;
const sender = MESSLO_DEMO.senderNumber;

const send = (json: Record<string, unknown>) => api('POST', '/api/whatsapp/send', { json: { whatsapp_phone_number: sender, ...json } });
const sendTo = (contact_no: string, json: Record<string, unknown>) => send({ contact_no, ...json });
const fieldsOf = (response: { json: { errors?: Array<{ field: string }> } }) => (response.json.errors ?? []).map((error) => error.field).sort();
const messagesOf = (contactId: string) => server.state.messages.filter((message) => message.contact_id === contactId);
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('authentication and errors', () => {
	it('takes the key as X-API-Key or as Authorization: ApiKey', async () => {
		const byHeader = await api('GET', '/api/whatsapp/connections');
		const byAuthorization = await call('GET', `${server.url}/api/whatsapp/connections`, { headers: { authorization: `ApiKey ${MESSLO_DEMO.apiKey}` } });
		expect(byHeader.status).toBe(200);
		expect(byAuthorization.status).toBe(200);
		expect(byAuthorization.json).toEqual(byHeader.json);
		for (const request of server.received()) {
			expect(request.headers['x-api-key'] ?? request.headers.authorization).toBe('[redacted]');
		}
	});

	it.each([
		['a wrong X-API-Key', { 'x-api-key': 'wrong-key' }, 'Invalid API key'],
		['a wrong ApiKey authorization', { 'x-api-key': '', authorization: 'ApiKey wrong-key' }, 'Invalid API key'],
		['no key', { 'x-api-key': '' }, 'API key is required: send it as X-API-Key or Authorization: ApiKey <key>.'],
		['a Bearer token', { 'x-api-key': '', authorization: 'Bearer eyJhbGciOi' }, expect.stringContaining('dashboard sessions')],
		['another scheme', { 'x-api-key': '', authorization: 'Basic abc' }, expect.stringContaining('ApiKey <key>')],
	])('refuses %s with 401 and the error envelope, acting on nothing', async (_case, headers, message) => {
		const response = await api('POST', '/api/contacts', { headers, json: { phone_number: '+15550000001' } });
		expect(response.status).toBe(401);
		expect(response.json).toEqual({ success: false, message, error: 'UNAUTHORIZED' });
		expect(server.state.contacts).toHaveLength(3);
	});

	it('answers an unknown route and a wrong method in the envelope', async () => {
		const unknown = await api('GET', '/api/nothing');
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ success: false, message: 'The route /api/nothing could not be found.', error: 'NOT_FOUND' });
		const wrongMethod = await api('DELETE', '/api/contacts');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.json.success).toBe(false);
	});

	it('lists every problem of a body, naming each field', async () => {
		const response = await api('POST', '/api/contacts', { json: { phone_number: 'abc', email: 'nope', colour: 'red' } });
		expect(response.status).toBe(400);
		expect(response.json).toEqual({
			success: false,
			message: expect.stringMatching(/^Validation failed: /),
			error: 'VALIDATION_ERROR',
			errors: [
				{ field: 'phone_number', message: 'phone_number must be a phone number with country code, e.g. +919876543210.' },
				{ field: 'email', message: 'email must be an email address.' },
				{ field: 'colour', message: 'colour is not a field of this request.' },
			],
		});
	});

	it('takes JSON, not form bodies, and refuses broken JSON', async () => {
		const form = await api('POST', '/api/contacts', { fields: { phone_number: '+15550000001' } });
		expect(form.status).toBe(415);
		const raw = await fetch(`${server.url}/api/contacts`, { method: 'POST', headers: { 'x-api-key': MESSLO_DEMO.apiKey, 'content-type': 'application/json' }, body: '{"phone_number":' });
		expect(raw.status).toBe(400);
		expect(await raw.json()).toEqual({ success: false, message: 'The request body is not valid JSON.', error: 'BAD_REQUEST' });
	});

	it('answers an injected rate limit with 429, Retry-After and the envelope, and the send is not made', async () => {
		server.injectFault('POST /api/whatsapp/send', { kind: 'rate-limit', retryAfter: 2 });
		const limited = await sendTo(asha.phone, { messageType: 'text', message: 'Hi' });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		expect(limited.json).toEqual({ success: false, message: 'Too many requests. Please retry after 2 seconds.', error: 'TOO_MANY_REQUESTS' });
		expect((await sendTo(asha.phone, { messageType: 'text', message: 'Hi' })).status).toBe(200);
		expect(server.accepted('POST /api/whatsapp/send')).toHaveLength(1);
	});
});

describe('WhatsApp configuration (rows 1–5)', () => {
	it('lists the WABA connections with their count', async () => {
		const response = await api('GET', '/api/whatsapp/connections');
		expect(response.json).toEqual({
			success: true,
			total_wabas: 2,
			data: [
				expect.objectContaining({ _id: MESSLO_DEMO.wabaId, id: MESSLO_DEMO.wabaId, waba_id: MESSLO_DEMO.metaWabaId, status: 'connected', phone_numbers_count: 1 }),
				expect.objectContaining({ _id: MESSLO_DEMO.secondWabaId, waba_id: MESSLO_DEMO.secondMetaWabaId }),
			],
		});
		expect((await api('GET', '/api/whatsapp/connections?page=1')).status).toBe(400);
	});

	it('lists every phone number, and one WABA\'s by either of its ids', async () => {
		const all = await api('GET', '/api/whatsapp/phone-numbers');
		expect(all.json.data).toEqual([
			{
				_id: MESSLO_DEMO.phoneNumberId,
				id: MESSLO_DEMO.phoneNumberId,
				phone_number_id: MESSLO_DEMO.metaPhoneNumberId,
				waba_id: MESSLO_DEMO.metaWabaId,
				connection_id: MESSLO_DEMO.wabaId,
				phone_number: sender,
				display_phone_number: '+91 12345 67890',
				verified_name: 'Acme India',
				is_primary: true,
				status: 'CONNECTED',
				quality_rating: 'GREEN',
				provider: 'business_api',
			},
			expect.objectContaining({ _id: MESSLO_DEMO.secondPhoneNumberId, phone_number: MESSLO_DEMO.secondSenderNumber, is_primary: false }),
		]);
		for (const wabaId of [MESSLO_DEMO.secondWabaId, MESSLO_DEMO.secondMetaWabaId]) {
			const one = await api('GET', `/api/whatsapp/${wabaId}/phone-numbers`);
			expect(one.json).toEqual({ success: true, waba_id: MESSLO_DEMO.secondMetaWabaId, data: [expect.objectContaining({ phone_number: MESSLO_DEMO.secondSenderNumber })] });
		}
		const unknown = await api('GET', '/api/whatsapp/999/phone-numbers');
		expect(unknown.status).toBe(404);
		expect(unknown.json.error).toBe('WABA_NOT_FOUND');
	});

	it('subscribes a WABA\'s Meta webhooks with an empty body, and refuses any field', async () => {
		const wrong = await api('POST', `/api/whatsapp/${MESSLO_DEMO.secondWabaId}/webhooks/setup`, { json: { url: 'https://example.com/hook' } });
		expect(wrong.status).toBe(400);
		expect(fieldsOf(wrong)).toEqual(['url']);
		expect(server.state.connections[1]!.webhook_subscribed).toBe(false);

		const response = await api('POST', `/api/whatsapp/${MESSLO_DEMO.secondMetaWabaId}/webhooks/setup`, { json: {} });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			success: true,
			message: 'Webhooks subscribed for this WhatsApp Business Account',
			data: { waba_id: MESSLO_DEMO.secondMetaWabaId, connection_id: MESSLO_DEMO.secondWabaId, subscribed: true, subscribed_fields: ['messages', 'message_template_status_update'], subscribed_at: expect.any(String) },
		});
		expect(server.state.connections[1]!.webhook_subscribed).toBe(true);
		expect((await api('POST', '/api/whatsapp/nope/webhooks/setup', { json: {} })).status).toBe(404);
	});

	it('syncs the workspace', async () => {
		const response = await api('POST', '/api/whatsapp/workspace/sync', { json: {} });
		expect(response.json).toEqual({ success: true, message: 'Workspace synced from Meta', data: { wabas: 2, phone_numbers: 2, synced_at: expect.any(String) } });
		expect(server.state.workspaceSyncs).toHaveLength(1);
		expect(server.state.connections.every((connection) => connection.last_synced_at !== null)).toBe(true);
	});
});

describe('contacts (rows 10, 11, 58)', () => {
	it('pages the contacts newest first with page, limit and pagination', async () => {
		const first = await api('GET', '/api/contacts?page=1&limit=2');
		expect(first.json.data.map((contact: { _id: string }) => contact._id)).toEqual([asha.contactId, tom.contactId]);
		expect(first.json.pagination).toEqual({ page: 1, limit: 2, totalItems: 3, totalPages: 2 });
		const second = await api('GET', '/api/contacts?page=2&limit=2');
		expect(second.json.data.map((contact: { _id: string }) => contact._id)).toEqual([lena.contactId]);
		expect((await api('GET', '/api/contacts?page=3&limit=2')).json.data).toEqual([]);
		const defaults = await api('GET', '/api/contacts');
		expect(defaults.json.pagination).toEqual({ page: 1, limit: 20, totalItems: 3, totalPages: 1 });
		expect(defaults.json.data[0]).toEqual({
			_id: asha.contactId,
			id: asha.contactId,
			name: asha.name,
			phone_number: `+${asha.phone}`,
			email: asha.email,
			tags: [tags.vip.id],
			segments: [],
			custom_fields: {},
			source: 'whatsapp',
			created_at: expect.any(String),
			updated_at: expect.any(String),
		});
	});

	it('searches by name, number or email, and refuses a limit over 100 or an unknown parameter', async () => {
		expect((await api('GET', '/api/contacts?search=vogel')).json.data.map((contact: { name: string }) => contact.name)).toEqual([lena.name]);
		expect((await api('GET', '/api/contacts?search=447700')).json.data).toHaveLength(1);
		const tooMany = await api('GET', '/api/contacts?limit=101');
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.errors).toEqual([{ field: 'limit', message: 'limit must be a whole number from 1 to 100.' }]);
		expect(fieldsOf(await api('GET', '/api/contacts?page=0&offset=5'))).toEqual(['offset', 'page']);
	});

	it('creates a contact (201), refuses a number already there (409), and reads it back', async () => {
		const created = await api('POST', '/api/contacts', { json: { phone_number: '+15551230001', name: 'Sam Lee', email: 'sam@example.com' } });
		expect(created.status).toBe(201);
		expect(created.json).toEqual({ success: true, message: 'Contact created successfully', data: expect.objectContaining({ phone_number: '+15551230001', name: 'Sam Lee', source: 'api', tags: [] }) });
		const id = created.json.data._id;
		expect(id).toMatch(/^[0-9a-f]{24}$/);
		expect((await api('GET', `/api/contacts/${id}`)).json.data).toEqual(created.json.data);

		const digitsOnly = await api('POST', '/api/contacts', { json: { phone_number: '15551230002' } });
		expect(digitsOnly.json.data.phone_number).toBe('+15551230002');
		const duplicate = await api('POST', '/api/contacts', { json: { phone_number: '15551230001' } });
		expect(duplicate.status).toBe(409);
		expect(duplicate.json).toEqual({ success: false, message: expect.stringContaining('already exists'), error: 'CONTACT_EXISTS' });
		expect(fieldsOf(await api('POST', '/api/contacts', { json: { name: 'No number' } }))).toEqual(['phone_number']);
	});

	it('updates only the fields given; tags, segments and custom fields must exist', async () => {
		const response = await api('PUT', `/api/contacts/${lena.contactId}`, {
			json: { name: 'Lena V.', custom_fields: { interest: 'demo' }, tags: [tags.newsletter.id], segments: [MESSLO_SEED.segment.id] },
		});
		expect(response.status).toBe(200);
		expect(response.json.data).toMatchObject({ name: 'Lena V.', email: lena.email, custom_fields: { interest: 'demo' }, tags: [tags.newsletter.id], segments: [MESSLO_SEED.segment.id] });

		const unknownField = await api('PUT', `/api/contacts/${lena.contactId}`, { json: { custom_fields: { budget: 5 } } });
		expect(unknownField.status).toBe(400);
		expect(unknownField.json.errors).toEqual([{ field: 'custom_fields.budget', message: expect.stringContaining('no custom field is named budget') }]);
		expect((await api('PUT', `/api/contacts/${lena.contactId}`, { json: { tags: ['5eed0d00000000000000ffff'] } })).status).toBe(400);
		expect((await api('PUT', `/api/contacts/${lena.contactId}`, { json: { phone_number: `+${asha.phone}` } })).status).toBe(409);
		expect((await api('PUT', `/api/contacts/${lena.contactId}`, { json: {} })).status).toBe(400);
		expect((await api('PUT', `/api/contacts/${lena.contactId}`, { json: { labels: ['x'] } })).json.errors).toEqual([{ field: 'labels', message: 'labels is not a field of this request.' }]);
		expect((await api('PUT', '/api/contacts/5eed0c00000000000000ffff', { json: { name: 'x' } })).status).toBe(404);
		expect((await api('PUT', '/api/contacts/42', { json: { name: 'x' } })).status).toBe(400);
		expect(server.state.contacts.find((contact) => contact._id === lena.contactId)!.name).toBe('Lena V.');
	});
});

describe('POST /api/whatsapp/send (rows 12–19, 23, 81)', () => {
	it.each([
		['text', { messageType: 'text', message: 'Your order ships today.' }, { message_type: 'text', message: 'Your order ships today.' }],
		['image', { messageType: 'image', mediaUrl: 'https://cdn.example.com/a.jpg', message: 'Look' }, { message_type: 'image', media_url: 'https://cdn.example.com/a.jpg', message: 'Look' }],
		['document', { messageType: 'document', mediaUrl: 'https://cdn.example.com/a.pdf' }, { message_type: 'document', media_url: 'https://cdn.example.com/a.pdf' }],
		['video', { messageType: 'video', mediaUrl: 'https://cdn.example.com/a.mp4', message: 'Clip' }, { message_type: 'video' }],
		['audio', { messageType: 'audio', mediaUrl: 'https://cdn.example.com/a.mp3' }, { message_type: 'audio' }],
		['location', { messageType: 'location', latitude: 19.076, longitude: 72.8777, message: 'Our shop' }, { message_type: 'location', latitude: 19.076, longitude: 72.8777 }],
		['carousel', { messageType: 'carousel', carouselCardsData: [{ title: 'A' }, { title: 'B' }] }, { message_type: 'carousel', carouselCardsData: [{ title: 'A' }, { title: 'B' }] }],
		['text with buttons', { messageType: 'text', message: 'Pick one', buttons: [{ id: 'y', title: 'Yes' }] }, { buttons: [{ id: 'y', title: 'Yes' }] }],
	])('sends a %s message inside the 24-hour window', async (_kind, json, stored) => {
		const response = await sendTo(asha.phone, json);
		expect(response.status).toBe(200);
		const message = messagesOf(asha.contactId).at(-1)!;
		expect(response.json).toEqual({
			success: true,
			message: 'Message sent successfully',
			data: {
				message_id: message._id,
				wamid: message.wamid,
				status: 'sent',
				message_type: message.message_type,
				contact_id: asha.contactId,
				chat_id: message.chat_id,
				whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId,
				created_at: message.created_at,
				messages: [expect.objectContaining({ _id: message._id, direction: 'outbound', from: sender, to: asha.phone, ...stored })],
			},
		});
		expect(message).toMatchObject({ direction: 'outbound', status: 'sent' });
	});

	it('sends several media by URL, each kind from its extension, the caption on the first', async () => {
		const response = await sendTo(asha.phone, { mediaUrls: ['https://cdn.example.com/1.jpg', 'https://cdn.example.com/2.png', 'https://cdn.example.com/3.mp4'], message: 'Our new range' });
		expect(response.status).toBe(200);
		expect(response.json.message).toBe('3 messages sent successfully');
		expect(response.json.data.messages.map((message: { message_type: string; message: string }) => [message.message_type, message.message])).toEqual([
			['image', 'Our new range'],
			['image', ''],
			['video', ''],
		]);
		const unknownKind = await sendTo(asha.phone, { mediaUrls: ['https://cdn.example.com/file'] });
		expect(unknownKind.json.errors).toEqual([{ field: 'mediaUrls.0', message: expect.stringContaining('cannot be told from the file extension') }]);
		expect((await sendTo(asha.phone, { mediaUrls: ['https://cdn.example.com/file'], messageType: 'document' })).status).toBe(200);
		expect((await sendTo(asha.phone, { mediaUrls: ['https://cdn.example.com/a.jpg'], messageType: 'text' })).status).toBe(400);
	});

	it.each([
		['a text without message', { messageType: 'text' }, ['message']],
		['a text with a mediaUrl', { messageType: 'text', message: 'Hi', mediaUrl: 'https://cdn.example.com/a.jpg' }, ['mediaUrl']],
		['an image without mediaUrl', { messageType: 'image', message: 'Look' }, ['mediaUrl']],
		['an audio with a caption', { messageType: 'audio', mediaUrl: 'https://cdn.example.com/a.mp3', message: 'Hear' }, ['message']],
		['a location off the globe', { messageType: 'location', latitude: 91, longitude: 72 }, ['latitude']],
		['a location with a name', { messageType: 'location', latitude: 1, longitude: 2, name: 'Shop' }, ['name']],
		['a location given as text', { messageType: 'location', latitude: '19.07', longitude: 72.8 }, ['latitude']],
		['no messageType', { message: 'Hi' }, ['messageType']],
		['an unknown messageType', { messageType: 'sticker' }, ['messageType']],
		['a template without its name', { messageType: 'template' }, ['templateName']],
		['templateVariables on a text', { messageType: 'text', message: 'Hi', templateVariables: { 1: 'x' } }, ['templateVariables']],
		['a recipient with +', { contact_no: `+${asha.phone}`, messageType: 'text', message: 'Hi' }, ['contact_no']],
		['phone_number_id and recipient (the FAQ\'s wording)', { phone_number_id: MESSLO_DEMO.metaPhoneNumberId, recipient: asha.phone, messageType: 'text', message: 'Hi' }, ['phone_number_id', 'recipient']],
		['a media URL that is not http', { messageType: 'image', mediaUrl: 'ftp://cdn.example.com/a.jpg' }, ['mediaUrl']],
	])('refuses %s with 400 naming the field', async (_case, json, fields) => {
		const response = await sendTo(asha.phone, json);
		expect(response.status).toBe(400);
		expect(response.json.error).toBe('VALIDATION_ERROR');
		expect(fieldsOf(response)).toEqual(fields);
		expect(server.accepted('POST /api/whatsapp/send')).toHaveLength(0);
	});

	it('requires both numbers, and a sender the account owns', async () => {
		const neither = await api('POST', '/api/whatsapp/send', { json: { messageType: 'text', message: 'Hi' } });
		expect(fieldsOf(neither)).toEqual(['contact_no', 'whatsapp_phone_number']);
		const stranger = await send({ contact_no: asha.phone, whatsapp_phone_number: '15550009999', messageType: 'text', message: 'Hi' });
		expect(stranger.status).toBe(400);
		expect(stranger.json).toEqual({ success: false, message: expect.stringContaining('is not a number of a WhatsApp Business Account'), error: 'SENDER_NOT_FOUND' });
		const byContactId = await send({ contact_id: asha.contactId, messageType: 'text', message: 'Hi' });
		expect(byContactId.json.data.contact_id).toBe(asha.contactId);
	});

	describe('the 24-hour window', () => {
		it('refuses a free-form message to a customer who last wrote three days ago, or never', async () => {
			for (const [number, wording] of [
				[tom.phone, `has not written to ${sender} since`],
				[lena.phone, `has never written to ${sender}`],
				['15550001111', `has never written to ${sender}`],
			] as const) {
				const response = await sendTo(number, { messageType: 'text', message: 'Hi' });
				expect(response.status).toBe(400);
				expect(response.json).toEqual({ success: false, message: expect.stringContaining(wording), error: 'OUTSIDE_24H_WINDOW' });
				expect(response.json.message).toContain('Send an approved template instead');
			}
			expect(server.state.contacts).toHaveLength(3);
			expect(server.accepted('POST /api/whatsapp/send')).toHaveLength(0);
		});

		it('opens when the customer writes, and stays shut for a message older than 24 hours', async () => {
			await control('/inbound', { from: tom.phone, text: 'Old news', hoursAgo: 25 });
			expect((await sendTo(tom.phone, { messageType: 'text', message: 'Hi' })).json.error).toBe('OUTSIDE_24H_WINDOW');
			await control('/inbound', { from: `+${tom.phone}`, text: 'Hello again', hoursAgo: 23 });
			expect((await sendTo(tom.phone, { messageType: 'text', message: 'Welcome back' })).status).toBe(200);
		});

		it('is per sender number', async () => {
			const response = await send({ contact_no: asha.phone, whatsapp_phone_number: MESSLO_DEMO.secondSenderNumber, messageType: 'text', message: 'Hi' });
			expect(response.json.error).toBe('OUTSIDE_24H_WINDOW');
		});

		it('does not hold for templates, which reach anyone (a new number becomes a contact)', async () => {
			const response = await sendTo('15550001111', { messageType: 'template', templateName: 'hello_world' });
			expect(response.status).toBe(200);
			const contact = server.state.contacts.find((entry) => entry.phone_number === '+15550001111')!;
			expect(contact).toMatchObject({ source: 'api' });
			expect(messagesOf(contact._id)).toEqual([expect.objectContaining({ message_type: 'template', template_name: 'hello_world', template_id: templates.hello_world })]);
		});
	});

	describe('templates', () => {
		it('sends an approved template with its variables, by name or id', async () => {
			const byName = await sendTo(tom.phone, { messageType: 'template', templateName: 'welcome_offer', templateVariables: { 1: 'Tom', 2: 'WELCOME10' }, languageCode: 'en_US' });
			expect(byName.status).toBe(200);
			expect(byName.json.data.messages[0]).toMatchObject({ message_type: 'template', template_name: 'welcome_offer', template_variables: { 1: 'Tom', 2: 'WELCOME10' } });
			const byId = await sendTo(tom.phone, { messageType: 'template', templateId: templates.order_update, templateVariables: { name: 'Tom', 1: 'ORD-1', 2: 42 } });
			expect(byId.json.data.messages[0].template_variables).toEqual({ name: 'Tom', 1: 'ORD-1', 2: '42' });
		});

		it('sends a dynamic document header with mediaUrl (row 81), and refuses one for a template without a media header', async () => {
			const invoice = await sendTo(tom.phone, { messageType: 'template', templateName: 'checkout_invoice', templateVariables: { 1: 'Tom', 2: 'ORDER-7' }, mediaUrl: 'https://shop.example.com/invoices/7.pdf' });
			expect(invoice.json.data.messages[0].media_url).toBe('https://shop.example.com/invoices/7.pdf');
			const sample = await sendTo(tom.phone, { messageType: 'template', templateName: 'checkout_invoice', templateVariables: { 1: 'Tom', 2: 'ORDER-8' } });
			expect(sample.json.data.messages[0].media_url).toBe('https://cdn.example.com/samples/invoice.pdf');
			const imageForDocument = await sendTo(tom.phone, { messageType: 'template', templateName: 'checkout_invoice', templateVariables: { 1: 'Tom', 2: 'ORDER-8' }, mediaUrl: 'https://x.example.com/a.png' });
			expect(fieldsOf(imageForDocument)).toEqual(['mediaUrl']);
			const noHeader = await sendTo(tom.phone, { messageType: 'template', templateName: 'hello_world', mediaUrl: 'https://shop.example.com/a.pdf' });
			expect(noHeader.json).toEqual({ success: false, message: expect.stringContaining('has no media header'), error: 'NO_MEDIA_HEADER' });
		});

		it.each([
			['spring_sale', 'PENDING'],
			['old_promo', 'REJECTED'],
		])('refuses %s, a template that is %s', async (templateName, status) => {
			const response = await sendTo(tom.phone, { messageType: 'template', templateName });
			expect(response.status).toBe(400);
			expect(response.json).toEqual({ success: false, message: expect.stringContaining(`is ${status}`), error: 'TEMPLATE_NOT_APPROVED' });
			expect(response.json.message).toContain('not approved');
		});

		it('checks the variables against the template: each one filled, none extra', async () => {
			const response = await sendTo(tom.phone, { messageType: 'template', templateName: 'welcome_offer', templateVariables: { 1: 'Tom', 3: 'x' } });
			expect(response.status).toBe(400);
			expect(response.json).toEqual({
				success: false,
				message: expect.stringMatching(/^Validation failed: /),
				error: 'TEMPLATE_VARIABLES_MISMATCH',
				errors: [
					{ field: 'templateVariables.2', message: 'templateVariables.2 is missing: template welcome_offer uses {{2}}.' },
					{ field: 'templateVariables.3', message: 'templateVariables.3: template welcome_offer has no variable {{3}} (its variables: {{1}}, {{2}}).' },
				],
			});
			expect(fieldsOf(await sendTo(tom.phone, { messageType: 'template', templateName: 'welcome_offer' }))).toEqual(['templateVariables.1', 'templateVariables.2']);
			expect(fieldsOf(await sendTo(tom.phone, { messageType: 'template', templateName: 'welcome_offer', templateVariables: { 1: ' ', 2: 'x' } }))).toEqual(['templateVariables.1']);
			expect(fieldsOf(await sendTo(tom.phone, { messageType: 'template', templateName: 'hello_world', templateVariables: { 1: 'x' } }))).toEqual(['templateVariables.1']);
			expect((await sendTo(tom.phone, { messageType: 'template', templateName: 'login_code', templateVariables: { 1: '123456' } })).status).toBe(200);
		});

		it('looks templates up in the sender\'s WABA only, and in the language asked', async () => {
			const otherWaba = await sendTo(tom.phone, { messageType: 'template', templateName: MESSLO_SEED.secondWabaTemplate.name, templateVariables: { 1: 'Tom' } });
			expect(otherWaba.status).toBe(404);
			expect(otherWaba.json.error).toBe('TEMPLATE_NOT_FOUND');
			const otherLanguage = await sendTo(tom.phone, { messageType: 'template', templateName: 'hello_world', languageCode: 'de' });
			expect(otherLanguage.status).toBe(404);
			expect((await sendTo(tom.phone, { messageType: 'template', templateId: '5eed1200000000000000ffff' })).status).toBe(404);
			const mismatch = await sendTo(tom.phone, { messageType: 'template', templateId: templates.hello_world, templateName: 'welcome_offer' });
			expect(fieldsOf(mismatch)).toEqual(['templateName']);
		});
	});

	describe('media from the local device (row 19, multipart)', () => {
		const form = (fields: Record<string, string>, file?: { content: Buffer; filename: string; type: string }, fileField = 'file_url') => ({
			form: {
				whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId,
				contact_id: asha.contactId,
				message: 'Here is the photo',
				provider: 'business_api',
				messageType: 'image',
				...fields,
				...(file ? { [fileField]: file } : {}),
			},
		});
		const photo = { content: fakeFile('jpg', 2048), filename: 'photo.jpg', type: 'image/jpeg' };

		it('takes the file in file_url with the Mongo ids, and records its digest', async () => {
			const response = await api('POST', '/api/whatsapp/send', form({}, photo));
			expect(response.status).toBe(200);
			expect(response.json.data.messages[0]).toMatchObject({ message_type: 'image', message: 'Here is the photo', file_name: 'photo.jpg', mime_type: 'image/jpeg', file_size: 2048, to: asha.phone });
			expect(server.state.uploads).toEqual([expect.objectContaining({ field: 'file_url', file_name: 'photo.jpg', size: 2048, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
			expect(server.received('POST /api/whatsapp/send')[0]!.files).toEqual([{ field: 'file_url', filename: 'photo.jpg', contentType: 'image/jpeg', size: 2048 }]);
			const document = await api('POST', '/api/whatsapp/send', form({ messageType: 'document', message: '' }, { content: fakeFile('pdf'), filename: 'a.pdf', type: 'application/pdf' }));
			expect(document.status).toBe(200);
		});

		it.each([
			['no file', form({}), ['file_url']],
			['a PDF sent as an image', form({}, { content: fakeFile('pdf'), filename: 'a.pdf', type: 'application/pdf' }), ['file_url']],
			['the file in another part', form({}, photo, 'file'), ['file', 'file_url']],
			['a phone digits field instead of the ids', form({ contact_no: asha.phone }, photo), ['contact_no']],
			['no provider', { form: { ...form({}, photo).form, provider: 'cloud' } }, ['provider']],
			['an audio with a caption', form({ messageType: 'audio' }, { content: fakeFile('ogg'), filename: 'a.ogg', type: 'audio/ogg' }), ['message']],
		])('refuses %s with 400', async (_case, options, fields) => {
			const response = await api('POST', '/api/whatsapp/send', options);
			expect(response.status).toBe(400);
			expect(fieldsOf(response)).toEqual(fields);
		});

		it('refuses an image over Meta\'s 5 MB', async () => {
			const response = await api('POST', '/api/whatsapp/send', form({}, { content: fakeFile('jpg', 5 * 1024 * 1024 + 1), filename: 'big.jpg', type: 'image/jpeg' }));
			expect(response.json.errors).toEqual([{ field: 'file_url', message: expect.stringContaining('at most 5 MB') }]);
		});

		it('holds the 24-hour window too, and unknown ids are 404', async () => {
			const closed = await api('POST', '/api/whatsapp/send', form({ contact_id: tom.contactId }, photo));
			expect(closed.json.error).toBe('OUTSIDE_24H_WINDOW');
			expect((await api('POST', '/api/whatsapp/send', form({ contact_id: '5eed0c00000000000000ffff' }, photo))).status).toBe(404);
			expect((await api('POST', '/api/whatsapp/send', form({ whatsapp_phone_number_id: '5eed0b00000000000000ffff' }, photo))).status).toBe(404);
			expect(server.state.uploads).toEqual([]);
		});
	});
});

describe('chats and messages (rows 20, 21)', () => {
	it('lists the primary number\'s chats, latest activity first, with the contact and last message', async () => {
		const response = await api('GET', '/api/whatsapp/chats');
		expect(response.json.pagination).toEqual({ page: 1, limit: 15, totalItems: 2, totalPages: 1 });
		expect(response.json.data.map((chat: { contact_id: string }) => chat.contact_id)).toEqual([asha.contactId, tom.contactId]);
		expect(response.json.data[0]).toMatchObject({
			whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId,
			platform: 'whatsapp',
			unread_count: 1,
			assigned_agent_id: agents.priya.id,
			contact: { _id: asha.contactId, name: asha.name, phone_number: `+${asha.phone}` },
			last_message: expect.objectContaining({ direction: 'inbound', message: 'Thanks!' }),
		});

		await control('/inbound', { from: tom.phone, text: 'Any update?' });
		const moved = await api('GET', '/api/whatsapp/chats?limit=1&page=1');
		expect(moved.json.data.map((chat: { contact_id: string }) => chat.contact_id)).toEqual([tom.contactId]);
		expect(moved.json.pagination).toEqual({ page: 1, limit: 1, totalItems: 2, totalPages: 2 });
	});

	it('filters chats by number, search, platform and provider; refuses a limit over 50', async () => {
		expect((await api('GET', `/api/whatsapp/chats?whatsapp_phone_number_id=${MESSLO_DEMO.secondPhoneNumberId}`)).json.data).toEqual([]);
		expect((await api('GET', '/api/whatsapp/chats?search=tom')).json.data).toHaveLength(1);
		expect((await api('GET', '/api/whatsapp/chats?platform=telegram')).json.data).toEqual([]);
		expect((await api('GET', '/api/whatsapp/chats?platform=whatsapp&provider=business_api')).json.data).toHaveLength(2);
		expect((await api('GET', '/api/whatsapp/chats?limit=51')).status).toBe(400);
		expect((await api('GET', '/api/whatsapp/chats?whatsapp_phone_number_id=5eed0b00000000000000ffff')).status).toBe(404);
	});

	it('lists a thread\'s messages newest first with paging; contact_id is required', async () => {
		const response = await api('GET', `/api/whatsapp/messages?contact_id=${asha.contactId}`);
		expect(response.json.data.map((message: { message: string; direction: string }) => [message.direction, message.message])).toEqual([
			['inbound', 'Thanks!'],
			['outbound', 'Yes, it left today. Tracking: DS-1042'],
			['inbound', 'Hi, is my order shipped?'],
		]);
		expect(response.json.pagination).toEqual({ page: 1, limit: 30, totalItems: 3, totalPages: 1 });
		const page2 = await api('GET', `/api/whatsapp/messages?contact_id=${asha.contactId}&page=2&limit=2`);
		expect(page2.json.data.map((message: { message: string }) => message.message)).toEqual(['Hi, is my order shipped?']);
		expect(fieldsOf(await api('GET', '/api/whatsapp/messages'))).toEqual(['contact_id']);
		expect((await api('GET', '/api/whatsapp/messages?contact_id=5eed0c00000000000000ffff')).status).toBe(404);
		expect((await api('GET', `/api/whatsapp/messages?contact_id=${asha.contactId}&limit=101`)).status).toBe(400);
	});

	it('filters messages by text and by day', async () => {
		const today = new Date().toISOString().slice(0, 10);
		expect((await api('GET', `/api/whatsapp/messages?contact_id=${asha.contactId}&search=tracking`)).json.data).toHaveLength(1);
		expect((await api('GET', `/api/whatsapp/messages?contact_id=${tom.contactId}&start_date=${today}`)).json.data).toEqual([]);
		expect((await api('GET', `/api/whatsapp/messages?contact_id=${tom.contactId}&end_date=${today}&whatsapp_phone_number_id=${MESSLO_DEMO.phoneNumberId}`)).json.data).toHaveLength(2);
		expect(fieldsOf(await api('GET', `/api/whatsapp/messages?contact_id=${tom.contactId}&start_date=15-01-2026`))).toEqual(['start_date']);
		expect(fieldsOf(await api('GET', `/api/whatsapp/messages?contact_id=${tom.contactId}&start_date=2026-02-02&end_date=2026-02-01`))).toEqual(['start_date']);
	});
});

describe('assign chat (rows 22, 73)', () => {
	const assign = (json: Record<string, unknown>) =>
		api('POST', '/api/whatsapp/assign-chat', { json: { contact_id: tom.contactId, whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId, ...json } });

	it('assigns a chat to an agent, or to a chatbot', async () => {
		const toAgent = await assign({ agent_id: agents.omar.id });
		expect(toAgent.status).toBe(200);
		expect(toAgent.json).toEqual({ success: true, message: 'Chat assigned successfully', data: expect.objectContaining({ contact_id: tom.contactId, assigned_agent_id: agents.omar.id, assigned_chatbot_id: null }) });
		const toBot = await assign({ chatbot_id: chatbot.id });
		expect(toBot.json.data).toMatchObject({ assigned_agent_id: null, assigned_chatbot_id: chatbot.id });
	});

	it('wants exactly one of agent_id and chatbot_id, known ids, and an existing chat', async () => {
		expect(fieldsOf(await assign({}))).toEqual(['agent_id']);
		expect(fieldsOf(await assign({ agent_id: agents.omar.id, chatbot_id: chatbot.id }))).toEqual(['agent_id']);
		expect((await assign({ agent_id: '5eed0e00000000000000ffff' })).json.error).toBe('AGENT_NOT_FOUND');
		expect((await assign({ chatbot_id: '5eed0f00000000000000ffff' })).json.error).toBe('CHATBOT_NOT_FOUND');
		expect((await assign({ contact_id: lena.contactId, agent_id: agents.omar.id })).json.error).toBe('CHAT_NOT_FOUND');
		expect(fieldsOf(await assign({ agent_id: 'omar' }))).toEqual(['agent_id']);
	});
});

describe('templates (rows 24–36)', () => {
	const create = (json: Record<string, unknown>) =>
		api('POST', '/api/template/create', { json: { waba_id: MESSLO_DEMO.metaWabaId, language: 'en_US', category: 'MARKETING', ...json } });

	it.each([
		['simple (24)', { template_name: 'spring_hello', message_body: 'Hello from Acme', footer_text: 'Acme' }],
		[
			'with variables (25)',
			{
				template_name: 'order_total',
				template_type: 'standard',
				header_text: 'Hello {{name}}!',
				message_body: 'Hi {{1}}, order {{2}} costs {{3}}.',
				variable_examples: [
					{ key: '1', example: 'John' },
					{ key: '2', example: 'ORD-9876' },
					{ key: '3', example: '$49.99' },
				],
			},
		],
		['with quick replies (26)', { template_name: 'feedback_ask', category: 'UTILITY', message_body: 'How did we do?', buttons: [{ type: 'quick_reply', text: 'Great' }, { type: 'quick_reply', text: 'Okay' }, { type: 'quick_reply', text: 'Poor' }] }],
		[
			'with CTA buttons (27)',
			{ template_name: 'contact_us', message_body: 'Questions?', buttons: [{ type: 'phone_call', text: 'Call us', phone_number: '+1234567890' }, { type: 'website', text: 'Visit', website_url: 'https://example.com' }] },
		],
		['with a coupon code (28)', { template_name: 'coupon_spring', message_body: 'Save now', buttons: [{ type: 'copy_code', text: 'SAVE20' }] }],
		[
			'OTP / authentication (29)',
			{ template_name: 'otp_login', category: 'AUTHENTICATION', add_security_recommendation: true, code_expiration_minutes: 10, otp_code_length: 6, otp_buttons: [{ otp_type: 'COPY_CODE', copy_button_text: 'Copy Code' }] },
		],
		['limited-time offer (30)', { template_name: 'weekend_offer', message_body: 'Weekend only!', is_limited_time_offer: true, offer_text: 'Weekend deal', has_expiration: true }],
		['with a catalog button (31)', { template_name: 'browse_catalog', message_body: 'See our catalog', buttons: [{ type: 'catalog', text: 'View Catalog' }] }],
		['with call permission (32)', { template_name: 'call_ok', message_body: 'May we call you?', call_permission: true }],
		['carousel (33)', { template_name: 'look_book', message_body: 'Our picks', carousel_cards: [{ header_url: 'https://cdn.example.com/1.jpg' }, { header_url: 'https://cdn.example.com/2.jpg' }] }],
		[
			'with a document header (34)',
			{
				template_name: 'invoice_doc',
				category: 'UTILITY',
				header_url: 'https://cdn.example.com/sample.pdf',
				header_media_type: 'document',
				message_body: 'Invoice {{1}} for {{2}}',
				variable_examples: [
					{ key: '1', example: 'INV-1' },
					{ key: '2', example: 'Jane' },
				],
			},
		],
	])('creates a template %s, PENDING until Meta approves it', async (_kind, json) => {
		const response = await create(json);
		expect(response.status).toBe(201);
		expect(response.json).toEqual({
			success: true,
			message: 'Template created and submitted to Meta for approval',
			data: expect.objectContaining({ template_name: json.template_name, status: 'PENDING', waba_id: MESSLO_DEMO.metaWabaId, platform: 'whatsapp', meta_template_id: expect.any(String) }),
		});
		expect(server.state.templates.at(-1)).toMatchObject({ template_name: json.template_name, connection_id: MESSLO_DEMO.wabaId });
	});

	it.each([
		['an uppercase name', { template_name: 'Spring Sale', message_body: 'x' }, ['template_name']],
		['no body', { template_name: 'no_body' }, ['message_body']],
		['no waba_id', { waba_id: undefined, template_name: 'x_1', message_body: 'x' }, ['waba_id']],
		['a variable without an example', { template_name: 'x_2', message_body: 'Hi {{1}} and {{2}}', variable_examples: [{ key: '1', example: 'a' }] }, ['variable_examples']],
		['a gap in the variables', { template_name: 'x_3', message_body: 'Hi {{1}} and {{3}}', variable_examples: [{ key: '1', example: 'a' }, { key: '3', example: 'b' }] }, ['message_body']],
		['OTP fields on a marketing template', { template_name: 'x_4', message_body: 'x', otp_code_length: 6 }, ['otp_code_length']],
		['an authentication template with a body and no OTP button', { template_name: 'x_5', category: 'AUTHENTICATION', message_body: 'Your code' }, ['message_body', 'otp_buttons']],
		['an offer without its text', { template_name: 'x_6', message_body: 'x', is_limited_time_offer: true }, ['offer_text']],
		['an offer text without an offer', { template_name: 'x_7', message_body: 'x', offer_text: 'Deal' }, ['offer_text']],
		['a catalog button with another button', { template_name: 'x_8', message_body: 'x', buttons: [{ type: 'catalog', text: 'View' }, { type: 'quick_reply', text: 'Hi' }] }, ['buttons']],
		['a phone button without +', { template_name: 'x_9', message_body: 'x', buttons: [{ type: 'phone_call', text: 'Call', phone_number: '1234567890' }] }, ['buttons.0.phone_number']],
		['an unknown button type', { template_name: 'x_10', message_body: 'x', buttons: [{ type: 'flow', text: 'Go' }] }, ['buttons.0.type']],
		['an http header URL', { template_name: 'x_11', message_body: 'x', header_url: 'http://cdn.example.com/a.pdf' }, ['header_url']],
		['a header type that does not fit the URL', { template_name: 'x_12', message_body: 'x', header_url: 'https://cdn.example.com/a.jpg', header_media_type: 'document' }, ['header_url']],
		['a text and a media header', { template_name: 'x_13', message_body: 'x', header_text: 'Hi', header_url: 'https://cdn.example.com/a.jpg' }, ['header_url']],
		['an unknown field', { template_name: 'x_14', message_body: 'x', body: 'x' }, ['body']],
	])('refuses %s with 400', async (_case, json, fields) => {
		const response = await create(json);
		expect(response.status).toBe(400);
		expect(fieldsOf(response)).toEqual(fields);
	});

	it('refuses a header URL Meta cannot fetch, a duplicate and an unknown WABA', async () => {
		const unreachable = await create({ template_name: 'x_20', message_body: 'x', header_url: 'https://files.invalid/a.pdf' });
		expect(unreachable.json).toEqual({ success: false, message: expect.stringContaining('Meta could not fetch the sample header'), error: 'MEDIA_URL_UNREACHABLE' });
		expect((await create({ template_name: 'hello_world', message_body: 'x' })).status).toBe(409);
		expect((await create({ template_name: 'hello_world', language: 'de', message_body: 'x' })).status).toBe(201);
		expect((await create({ waba_id: '999', template_name: 'x_21', message_body: 'x' })).status).toBe(404);
	});

	it('approves an omnichannel template at once (platform instead of waba_id)', async () => {
		const response = await create({ waba_id: undefined, platform: 'telegram', template_name: 'tg_hello', message_body: 'Hi' });
		expect(response.json.data).toMatchObject({ status: 'APPROVED', platform: 'telegram', waba_id: null });
		expect(fieldsOf(await create({ platform: 'telegram', template_name: 'tg_2', message_body: 'Hi' }))).toEqual(['waba_id']);
	});

	it('sync-status gives PENDING templates Meta\'s verdict; the approved one can then be sent', async () => {
		const created = await create({ template_name: 'fresh_news', message_body: 'News, {{1}}!', variable_examples: [{ key: '1', example: 'Jo' }] });
		const rejected = await create({ template_name: 'loud_news', message_body: 'NEWS!!!' });
		await control('/template-status', { template_id: rejected.json.data._id, review: 'REJECTED' });
		expect((await sendTo(tom.phone, { messageType: 'template', templateName: 'fresh_news', templateVariables: { 1: 'Tom' } })).json.error).toBe('TEMPLATE_NOT_APPROVED');

		const synced = await api('POST', '/api/template/sync-status', { json: { waba_id: MESSLO_DEMO.wabaId } });
		expect(synced.status).toBe(200);
		expect(synced.json.data.updated).toEqual([
			{ _id: templates.spring_sale, template_name: 'spring_sale', previous_status: 'PENDING', status: 'APPROVED' },
			{ _id: created.json.data._id, template_name: 'fresh_news', previous_status: 'PENDING', status: 'APPROVED' },
			{ _id: rejected.json.data._id, template_name: 'loud_news', previous_status: 'PENDING', status: 'REJECTED' },
		]);
		expect(synced.json).toMatchObject({ success: true, message: '12 template statuses synced', data: { waba_id: MESSLO_DEMO.metaWabaId, synced: 12 } });
		expect((await sendTo(tom.phone, { messageType: 'template', templateName: 'fresh_news', templateVariables: { 1: 'Tom' } })).status).toBe(200);
		expect((await sendTo(tom.phone, { messageType: 'template', templateName: 'loud_news' })).json.message).toContain('REJECTED');
	});

	it('sync-status takes template ids of the WABA only', async () => {
		const one = await api('POST', '/api/template/sync-status', { json: { waba_id: MESSLO_DEMO.metaWabaId, template_ids: [templates.hello_world] } });
		expect(one.json.data).toMatchObject({ synced: 1, updated: [] });
		expect((await api('POST', '/api/template/sync-status', { json: { waba_id: MESSLO_DEMO.wabaId, template_ids: [MESSLO_SEED.secondWabaTemplate.id] } })).status).toBe(404);
		expect(fieldsOf(await api('POST', '/api/template/sync-status', { json: { waba_id: MESSLO_DEMO.wabaId, template_ids: [] } }))).toEqual(['template_ids']);
		expect(fieldsOf(await api('POST', '/api/template/sync-status', { json: {} }))).toEqual(['waba_id']);
	});

	it('validates a media URL: reachable, unreachable, not https, not the kind named', async () => {
		const validate = (json: unknown) => api('POST', '/api/template/validate-media-url', { json });
		expect((await validate({ url: 'https://cdn.example.com/a.pdf', media_type: 'document' })).json).toEqual({
			success: true,
			reachable: true,
			message: 'The media URL is reachable',
			data: { url: 'https://cdn.example.com/a.pdf', media_type: 'document' },
		});
		const unreachable = await validate({ url: 'https://cdn.example.com/missing/a.pdf' });
		expect(unreachable.status).toBe(400);
		expect(unreachable.json).toEqual({ success: false, reachable: false, message: 'The URL is not reachable: The URL answered 404 Not Found.', error: 'MEDIA_URL_UNREACHABLE' });
		expect((await validate({ url: 'http://cdn.example.com/a.pdf' })).json.reachable).toBe(false);
		expect((await validate({ url: 'https://cdn.example.com/a.jpg', media_type: 'video' })).json.error).toBe('MEDIA_TYPE_MISMATCH');
		expect(fieldsOf(await validate({ url: 'not a url', media_type: 'gif' }))).toEqual(['media_type', 'url']);
	});

	it('lists a WABA\'s templates with paging (for template lists), and reads one', async () => {
		const list = await api('GET', `/api/template?waba_id=${MESSLO_DEMO.metaWabaId}&limit=100`);
		expect(list.json.pagination).toEqual({ page: 1, limit: 100, totalItems: 10, totalPages: 1 });
		expect(list.json.data.map((template: { template_name: string }) => template.template_name)).toContain('checkout_invoice');
		expect(list.json.data.find((template: { template_name: string }) => template.template_name === 'spring_sale').status).toBe('PENDING');
		expect((await api('GET', `/api/template?waba_id=${MESSLO_DEMO.secondWabaId}`)).json.data).toHaveLength(1);
		expect(fieldsOf(await api('GET', '/api/template'))).toEqual(['waba_id']);
		expect((await api('GET', `/api/template/${templates.welcome_offer}`)).json.data).toMatchObject({ template_name: 'welcome_offer', variable_examples: [{ key: '1', example: 'John' }, { key: '2', example: 'WELCOME10' }] });
	});
});

describe('campaigns (rows 37–46)', () => {
	const create = (json: Record<string, unknown>) =>
		api('POST', '/api/campaigns', { json: { waba_id: MESSLO_DEMO.metaWabaId, recipient_type: 'all_contacts', ...json } });
	const campaignMessages = (campaignId: string) => server.state.messages.filter((message) => message.campaign_id === campaignId);

	it('lists campaigns, newest first, without paging', async () => {
		const list = await api('GET', '/api/campaigns');
		expect(list.json).toEqual({ success: true, total: 1, data: [expect.objectContaining({ _id: MESSLO_SEED.campaign.id, status: 'completed', stats: { total_recipients: 2, sent: 2, failed: 0 } })] });
		expect((await api('GET', '/api/campaigns?page=1')).status).toBe(400);
	});

	it('sends to all contacts at once (38), outside the 24-hour window', async () => {
		const response = await create({ name: 'Welcome all', template_name: 'welcome_offer', variables_mapping: { 1: 'friend', 2: 'WELCOME10' } });
		expect(response.status).toBe(201);
		expect(response.json).toEqual({
			success: true,
			message: 'Campaign sent to 3 contacts',
			data: expect.objectContaining({ name: 'Welcome all', template_id: templates.welcome_offer, status: 'completed', stats: { total_recipients: 3, sent: 3, failed: 0 }, variables_mapping: { 1: 'friend', 2: 'WELCOME10' } }),
		});
		const sent = campaignMessages(response.json.data._id);
		expect(sent.map((message) => message.to).sort()).toEqual([asha.phone, tom.phone, lena.phone].sort());
		expect(sent.every((message) => message.template_name === 'welcome_offer' && message.from === sender)).toBe(true);
	});

	it('sends to specific numbers (39), making contacts of new ones; numbers are digits without +', async () => {
		const response = await create({ name: 'Two people', template_name: 'hello_world', recipient_type: 'specific_contacts', contact_numbers: [tom.phone, '91766787866678'] });
		expect(response.json.data.stats.sent).toBe(2);
		expect(server.state.contacts.find((contact) => contact.phone_number === '+91766787866678')).toMatchObject({ source: 'campaign' });
		expect(fieldsOf(await create({ name: 'Plus', template_name: 'hello_world', recipient_type: 'specific_contacts', contact_numbers: ['+15550001'] }))).toEqual(['contact_numbers.0']);
		expect(fieldsOf(await create({ name: 'None', template_name: 'hello_world', recipient_type: 'specific_contacts' }))).toEqual(['contact_numbers']);
	});

	it('schedules a campaign by tags (40): nothing is sent until its time or /send', async () => {
		const scheduledAt = future(3);
		const response = await create({ name: 'VIP preview', template_name: 'hello_world', recipient_type: 'tags', tag_ids: [tags.vip.id], is_scheduled: true, scheduled_at: scheduledAt });
		expect(response.json).toMatchObject({ message: `Campaign scheduled for ${scheduledAt}`, data: { status: 'scheduled', scheduled_at: scheduledAt, stats: { total_recipients: 2, sent: 0 } } });
		const id = response.json.data._id;
		expect(campaignMessages(id)).toEqual([]);
		expect((await control('/campaigns/run-due', {})).json.sent).toEqual([]);

		const sent = await api('POST', `/api/campaigns/${id}/send`, { json: {} });
		expect(sent.json.data).toMatchObject({ status: 'completed', stats: { total_recipients: 2, sent: 2, failed: 0 } });
		expect(campaignMessages(id).map((message) => message.to).sort()).toEqual([asha.phone, lena.phone].sort());
		expect((await api('POST', `/api/campaigns/${id}/send`, { json: {} })).status).toBe(409);
	});

	it('checks the schedule and the tags', async () => {
		const base = { name: 'Tagged', template_name: 'hello_world', recipient_type: 'tags', tag_ids: [tags.vip.id] };
		expect(fieldsOf(await create({ ...base, is_scheduled: true }))).toEqual(['scheduled_at']);
		expect(fieldsOf(await create({ ...base, is_scheduled: true, scheduled_at: '2020-01-01T10:00:00Z' }))).toEqual(['scheduled_at']);
		expect(fieldsOf(await create({ ...base, is_scheduled: true, scheduled_at: '15/04/2026 10:00' }))).toEqual(['scheduled_at']);
		expect(fieldsOf(await create({ ...base, scheduled_at: future(1) }))).toEqual(['scheduled_at']);
		expect((await create({ ...base, tag_ids: ['5eed0d00000000000000ffff'] })).json.error).toBe('TAG_NOT_FOUND');
		expect(fieldsOf(await create({ ...base, recipient_type: 'all_contacts' }))).toEqual(['tag_ids']);
		const empty = await api('POST', '/api/tags', { json: { label: 'Nobody' } });
		expect((await create({ ...base, tag_ids: [empty.json.data._id] })).json.error).toBe('NO_RECIPIENTS');
	});

	it('sends a media header (41), a coupon (42) and an offer expiry (43) only for templates that take them', async () => {
		const media = await create({ name: 'Invoices', template_name: 'checkout_invoice', variables_mapping: { 1: 'you', 2: 'ALL' }, media_url: 'https://cdn.example.com/march.pdf' });
		expect(campaignMessages(media.json.data._id)[0]!.media_url).toBe('https://cdn.example.com/march.pdf');
		expect(fieldsOf(await create({ name: 'M2', template_name: 'hello_world', media_url: 'https://cdn.example.com/a.pdf' }))).toEqual(['media_url']);

		expect((await create({ name: 'Coupon', template_name: 'coupon_offer', variables_mapping: { 1: 'friend' }, coupon_code: 'SPRING20' })).json.data.coupon_code).toBe('SPRING20');
		expect(fieldsOf(await create({ name: 'C2', template_name: 'coupon_offer', variables_mapping: { 1: 'friend' } }))).toEqual(['coupon_code']);
		expect(fieldsOf(await create({ name: 'C3', template_name: 'hello_world', coupon_code: 'SPRING20' }))).toEqual(['coupon_code']);

		expect((await create({ name: 'Flash', template_name: 'flash_deal', offer_expiration_minutes: 60 })).json.data.offer_expiration_minutes).toBe(60);
		expect(fieldsOf(await create({ name: 'F2', template_name: 'flash_deal' }))).toEqual(['offer_expiration_minutes']);
		expect(fieldsOf(await create({ name: 'F3', template_name: 'hello_world', offer_expiration_minutes: 60 }))).toEqual(['offer_expiration_minutes']);
		expect(fieldsOf(await create({ name: 'F4', template_name: 'flash_deal', offer_expiration_minutes: 1.5 }))).toEqual(['offer_expiration_minutes']);
	});

	it('sends a product carousel (44) and a media carousel by URLs (45), one entry per card', async () => {
		const products = await create({
			name: 'Products',
			template_name: 'product_carousel',
			carousel_products: [
				{ product_retailer_id: 'prod_1', catalog_id: 'cat_1' },
				{ product_retailer_id: 'prod_2', catalog_id: 'cat_1' },
			],
		});
		expect(products.status).toBe(201);
		const media = await create({ name: 'Media', template_name: 'product_carousel', carousel_cards: [{ media_url: 'https://cdn.example.com/1.jpg' }, { media_url: 'https://cdn.example.com/2.mp4', media_type: 'video' }] });
		expect(media.json.data.carousel_cards).toHaveLength(2);
		expect(fieldsOf(await create({ name: 'P2', template_name: 'product_carousel', carousel_products: [{ product_retailer_id: 'a', catalog_id: 'c' }, { product_retailer_id: 'b', catalog_id: 'c' }, { product_retailer_id: 'c', catalog_id: 'c' }] }))).toEqual(['carousel_products']);
		expect(fieldsOf(await create({ name: 'P3', template_name: 'product_carousel' }))).toEqual(['carousel_products']);
		expect(fieldsOf(await create({ name: 'P4', template_name: 'hello_world', carousel_cards: [{ media_url: 'https://cdn.example.com/1.jpg' }, { media_url: 'https://cdn.example.com/2.jpg' }] }))).toEqual(['carousel_cards']);
	});

	it('sends a media carousel from local files (46) as multipart, fields as string parts', async () => {
		const card = (name: string) => ({ content: fakeFile('jpg', 4096), filename: name, type: 'image/jpeg' });
		const form = new FormData();
		const fields = { name: 'Lookbook', waba_id: MESSLO_DEMO.wabaId, template_name: 'product_carousel', recipient_type: 'tags', tag_ids: JSON.stringify([tags.vip.id]), is_scheduled: 'false' };
		for (const [key, value] of Object.entries(fields)) form.append(key, value);
		for (const file of [card('one.jpg'), card('two.jpg')]) form.append('carousel_files', new Blob([new Uint8Array(file.content)], { type: file.type }), file.filename);
		const response = await fetch(`${server.url}/api/campaigns`, { method: 'POST', headers: { 'x-api-key': MESSLO_DEMO.apiKey }, body: form });
		const json = await response.json();
		expect(response.status).toBe(201);
		expect(json.data).toMatchObject({ status: 'completed', stats: { sent: 2 }, carousel_files: [expect.objectContaining({ file_name: 'one.jpg', size: 4096 }), expect.objectContaining({ file_name: 'two.jpg' })] });

		const oneFile = await api('POST', '/api/campaigns', { form: { ...fields, name: 'L2', carousel_files: card('only.jpg') } });
		expect(fieldsOf(oneFile)).toEqual(['carousel_files']);
		const badJson = await api('POST', '/api/campaigns', { form: { ...fields, name: 'L3', tag_ids: '[oops', carousel_files: card('a.jpg') } });
		expect(fieldsOf(badJson)).toEqual(['tag_ids']);
		const noFiles = await api('POST', '/api/campaigns', { form: { ...fields, name: 'L4' } });
		expect(fieldsOf(noFiles)).toEqual(['carousel_files']);
	});

	it('refuses templates that are not approved, the wrong variables and unknown fields', async () => {
		expect((await create({ name: 'Pending', template_name: 'spring_sale' })).json.error).toBe('TEMPLATE_NOT_APPROVED');
		expect((await create({ name: 'Missing', template_name: 'nope' })).json.error).toBe('TEMPLATE_NOT_FOUND');
		const variables = await create({ name: 'Vars', template_name: 'welcome_offer', variables_mapping: { 1: 'friend' } });
		expect(variables.json.error).toBe('TEMPLATE_VARIABLES_MISMATCH');
		expect(fieldsOf(variables)).toEqual(['variables_mapping.2']);
		expect(fieldsOf(await create({ name: 'Numbers', template_name: 'welcome_offer', variables_mapping: { 1: 1, 2: 'x' } }))).toEqual(['variables_mapping.1']);
		expect(fieldsOf(await create({ name: 'Segments', template_name: 'hello_world', recipient_type: 'segments' }))).toEqual(['recipient_type']);
		expect(fieldsOf(await create({ name: 'Extra', template_name: 'hello_world', segment_ids: ['x'] }))).toEqual(['segment_ids']);
		expect((await create({ name: 'Telegram', template_name: 'hello_world', platform: 'telegram' })).json.error).toBe('CHANNEL_NOT_CONNECTED');
		expect((await create({ name: MESSLO_SEED.campaign.name, template_name: 'hello_world' })).status).toBe(409);
		expect(server.state.campaigns).toHaveLength(1);
	});
});

describe('tags, segments, custom fields and agents (rows 53–57, 72)', () => {
	it('lists and creates tags (the name is label)', async () => {
		const list = await api('GET', '/api/tags');
		expect(list.json).toEqual({
			success: true,
			pagination: { page: 1, limit: 50, totalItems: 2, totalPages: 1 },
			data: [
				{ _id: tags.newsletter.id, id: tags.newsletter.id, label: 'Newsletter', color: '#2563eb', contacts_count: 2, created_at: expect.any(String) },
				{ _id: tags.vip.id, id: tags.vip.id, label: 'VIP', color: '#e11d48', contacts_count: 2, created_at: expect.any(String) },
			],
		});
		const created = await api('POST', '/api/tags', { json: { label: 'Wholesale', color: '#10b981' } });
		expect(created.status).toBe(201);
		expect(created.json.data).toMatchObject({ label: 'Wholesale', color: '#10b981', contacts_count: 0 });
		expect((await api('GET', '/api/tags?search=whole')).json.data).toHaveLength(1);
		expect(fieldsOf(await api('POST', '/api/tags', { json: { name: 'Wrong' } }))).toEqual(['label', 'name']);
		expect((await api('POST', '/api/tags', { json: { label: 'vip' } })).status).toBe(409);
	});

	it('lists and creates segments, lists custom fields', async () => {
		expect((await api('GET', '/api/segments')).json.data).toEqual([expect.objectContaining({ _id: MESSLO_SEED.segment.id, name: 'Active buyers' })]);
		expect((await api('POST', '/api/segments', { json: { name: 'Lapsed', description: 'No order in 6 months' } })).status).toBe(201);
		expect((await api('GET', '/api/custom-fields')).json.data).toEqual([expect.objectContaining({ name: 'interest', type: 'text' })]);
		expect((await api('GET', '/api/custom-fields?search=x')).status).toBe(400);
	});

	it('lists agents with paging and search', async () => {
		const list = await api('GET', '/api/agent/all?limit=1');
		expect(list.json.pagination).toEqual({ page: 1, limit: 1, totalItems: 2, totalPages: 2 });
		expect(list.json.data[0]).toEqual({ _id: agents.omar.id, id: agents.omar.id, name: 'Omar Haddad', email: 'omar@acme.example', country_code: '+971', phone: '500000002', status: true, team_id: null, created_at: expect.any(String) });
		expect((await api('GET', '/api/agent/all?search=priya')).json.data.map((agent: { name: string }) => agent.name)).toEqual(['Priya Shah']);
	});
});

describe('control routes', () => {
	it('a customer writes in: a new contact, a chat at the top, a message a poller can read', async () => {
		const response = await control('/inbound', { from: '+1 (747) 282-2486', name: 'Jane Smith', text: 'Hello?' });
		expect(response.status).toBe(201);
		expect(response.json).toEqual({
			contact: expect.objectContaining({ phone_number: '+17472822486', name: 'Jane Smith', source: 'whatsapp' }),
			chat: expect.objectContaining({ unread_count: 1, last_customer_message_at: expect.any(String), whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId }),
			message: expect.objectContaining({ direction: 'inbound', message_type: 'text', message: 'Hello?', status: 'received', from: '17472822486', to: sender }),
		});
		const contactId = response.json.contact._id;
		expect((await api('GET', '/api/whatsapp/chats')).json.data[0].contact_id).toBe(contactId);
		expect((await api('GET', '/api/contacts?limit=1')).json.data[0]._id).toBe(contactId);
		expect((await api('GET', `/api/whatsapp/messages?contact_id=${contactId}`)).json.data).toEqual([response.json.message]);
		expect((await sendTo('17472822486', { messageType: 'text', message: 'Hi Jane' })).status).toBe(200);
	});

	it('takes media, another business number and a time; refuses what it cannot place', async () => {
		const image = await control('/inbound', { from: asha.phone, type: 'image', mediaUrl: 'https://cdn.example.com/a.jpg', to: MESSLO_DEMO.secondSenderNumber, at: '2026-01-05T10:00:00Z' });
		expect(image.json.message).toMatchObject({ message_type: 'image', media_url: 'https://cdn.example.com/a.jpg', whatsapp_phone_number_id: MESSLO_DEMO.secondPhoneNumberId, created_at: '2026-01-05T10:00:00.000Z' });
		expect((await control('/inbound', { from: asha.phone, to: '15550000000' })).status).toBe(404);
		expect((await control('/inbound', { from: 'abc' })).status).toBe(400);
		expect((await control('/inbound', { from: asha.phone, at: '2026-01-05T10:00:00Z', hoursAgo: 2 })).status).toBe(400);
	});

	it('sets a template\'s status now, and a message\'s delivery', async () => {
		await control('/template-status', { template_name: 'spring_sale', status: 'APPROVED' });
		expect((await sendTo(tom.phone, { messageType: 'template', templateName: 'spring_sale' })).status).toBe(200);
		const sent = await sendTo(asha.phone, { messageType: 'text', message: 'Hi' });
		const delivered = await control('/message-status', { message_id: sent.json.data.wamid, status: 'read' });
		expect(delivered.json.message.status).toBe('read');
		expect((await control('/template-status', { template_name: 'nope', status: 'APPROVED' })).status).toBe(404);
	});

	it('resets to the seed', async () => {
		await control('/inbound', { from: '15550002222', text: 'x' });
		server.reset();
		expect(server.state.contacts).toHaveLength(3);
	});
});

it('runs on port 5703 by default', () => {
	expect(portsFrom([], {}).messlo).toBe(5703);
});

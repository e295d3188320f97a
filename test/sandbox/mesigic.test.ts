import { portsFrom, startSandbox } from '../../sandbox/main';
import { MESIGIC_DEMO_CREDENTIALS } from '../../sandbox/mesigic';
import { call, caller, fakeFile, useStarted, type CallOptions } from './helpers';

const AUTH = { 'client-id': MESIGIC_DEMO_CREDENTIALS.clientId, 'client-secret': MESIGIC_DEMO_CREDENTIALS.clientSecret };
const KB = 1024;
const MB = 1024 * KB;

const sandbox = useStarted(
	() => startSandbox(),
	(started) => started.mesigic.reset(),
);

const mesigic = () => sandbox().mesigic;
const api = caller(() => mesigic().apiUrl, AUTH);
const control = caller(() => mesigic().controlUrl);

const SEND = 'POST /external-api/inbox/send-message';

/** Mesigic's answers: an error, and a success (with `data` when given). */
const failed = (remark: string, ...message: string[]) => ({ remark, status: 'error', message });
const succeeded = (remark: string, message: string, data?: unknown) => ({ status: 'success', remark, message: [message], ...(data === undefined ? {} : { data }) });

describe('authentication', () => {
	it('requires both headers and lists what is missing', async () => {
		const none = await call('GET', `${mesigic().apiUrl}/contact/list`);
		expect(none.status).toBe(401);
		expect(none.json).toEqual(failed('Unauthorized', 'The client id is required', 'The client secret is required'));

		const noSecret = await call('GET', `${mesigic().apiUrl}/contact/list`, { headers: { 'client-id': 'demo-client-id' } });
		expect(noSecret.status).toBe(401);
		expect(noSecret.json.message).toEqual(['The client secret is required']);
	});

	it('refuses wrong credentials', async () => {
		const wrong = await api('GET', '/contact/list', { headers: { 'client-secret': 'nope' } });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual(failed('Unauthorized', 'Invalid client credentials'));
	});

	it('enforces the IP whitelist set through the control API, naming the caller IP', async () => {
		await control('PUT', '/mesigic/ip-whitelist', { json: { ips: ['203.0.113.7'] } });
		const blocked = await api('GET', '/inbox/template-list');
		expect(blocked.status).toBe(401);
		expect(blocked.json).toEqual(failed(
			'Unauthorized',
			'Access to this API endpoint is restricted to IP addresses that have been explicitly whitelisted.',
			'In order to access this API endpoint, please add your IP address (127.0.0.1) to the white list from the user dashboard.',
		));

		await control('PUT', '/mesigic/ip-whitelist', { json: { ips: ['203.0.113.7', '127.0.0.1'] } });
		expect((await api('GET', '/inbox/template-list')).status).toBe(200);
		expect((await control('GET', '/mesigic/ip-whitelist')).json).toEqual({ ips: ['203.0.113.7', '127.0.0.1'] });

		await control('PUT', '/mesigic/ip-whitelist', { json: { ips: null } });
		expect((await api('GET', '/inbox/template-list')).status).toBe(200);
	});

	it('records the client id but never the client secret', async () => {
		await api('GET', '/contact/list');
		const [request] = mesigic().received('GET /external-api/contact/list');
		expect(request!.headers['client-id']).toBe('demo-client-id');
		expect(request!.headers['client-secret']).toBe('[redacted]');
		expect(JSON.stringify(mesigic().received())).not.toContain('demo-client-secret');
	});
});

describe('contacts', () => {
	it('lists contacts newest first as a Laravel page', async () => {
		const response = await api('GET', '/contact/list');
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject(succeeded('contact_list', 'Contact list fetched successfully'));
		const page = response.json.data.contacts;
		expect(page).toMatchObject({ current_page: 1, per_page: 20, total: 5, last_page: 1, from: 1, to: 5, next_page_url: null, prev_page_url: null });
		expect(page.data.map((contact: { id: number }) => contact.id)).toEqual([5, 4, 3, 2, 1]);
		expect(page.data[4]).toEqual({
			id: 1,
			firstname: 'John',
			lastname: 'Doe',
			mobile_code: '880',
			mobile: '1711000001',
			city: 'Dhaka',
			state: null,
			post_code: null,
			address: null,
			profile_image: null,
			is_blocked: false,
			created_at: '2026-10-01T09:00:00.000Z',
			updated_at: '2026-10-01T09:00:00.000Z',
		});
	});

	it('pages with page and paginate, keeping the query in page URLs', async () => {
		const second = (await api('GET', '/contact/list?page=2&paginate=2')).json.data.contacts;
		expect(second).toMatchObject({ current_page: 2, per_page: 2, total: 5, last_page: 3, from: 3, to: 4 });
		expect(second.data.map((contact: { id: number }) => contact.id)).toEqual([3, 2]);
		expect(second.next_page_url).toBe(`${mesigic().apiUrl}/contact/list?paginate=2&page=3`);
		expect(second.prev_page_url).toBe(`${mesigic().apiUrl}/contact/list?paginate=2&page=1`);

		const beyond = (await api('GET', '/contact/list?page=9')).json.data.contacts;
		expect(beyond).toMatchObject({ current_page: 9, data: [], from: null, to: null, total: 5 });
	});

	it('searches first name, last name and mobile', async () => {
		const names = async (search: string) =>
			(await api('GET', `/contact/list?search=${encodeURIComponent(search)}`)).json.data.contacts.data.map(
				(contact: { firstname: string }) => contact.firstname,
			);
		expect(await names('jane')).toEqual(['Jane']);
		expect(await names('MÜLLER')).toEqual(['Anna']);
		expect(await names('1711000001')).toEqual(['John']);
		expect(await names('+1 747 282')).toEqual(['Jane']);
		expect(await names('nobody')).toEqual([]);
	});

	it('validates list parameters', async () => {
		const response = await api('GET', '/contact/list?page=0&paginate=abc&per_page=5');
		expect(response.status).toBe(422);
		expect(response.json).toEqual(failed('validation_error', 'The page field must be at least 1.', 'The paginate field must be an integer.', 'The per_page field is prohibited.'));
		expect((await api('GET', '/contact/list?paginate=101')).json.message).toEqual(['The paginate field must not be greater than 100.']);
	});

	it('creates a contact from multipart or urlencoded form data', async () => {
		const created = await api('POST', '/contact/store', {
			form: { firstname: 'John', lastname: 'Doe', mobile_code: '880', mobile: '01988', city: 'Sylhet' },
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual(succeeded('contact_created', 'Contact created successfully', {
			contact: expect.objectContaining({
				id: 6,
				firstname: 'John',
				lastname: 'Doe',
				mobile_code: '880',
				mobile: '01988',
				city: 'Sylhet',
				state: null,
				post_code: null,
				address: null,
				profile_image: null,
			}),
		}));

		const urlencoded = await api('POST', '/contact/store', {
			fields: { firstname: 'Mia', lastname: 'Wong', mobile_code: '65', mobile: '81234567', address: '' },
		});
		expect(urlencoded.status).toBe(200);
		expect(urlencoded.json.data.contact).toMatchObject({ id: 7, firstname: 'Mia', address: null });

		const listed = (await api('GET', '/contact/list')).json.data.contacts.data;
		expect(listed.slice(0, 2).map((contact: { firstname: string }) => contact.firstname)).toEqual(['Mia', 'John']);
	});

	it('lists every validation problem at once, Laravel style', async () => {
		const empty = await api('POST', '/contact/store', { form: { city: 'Dhaka' } });
		expect(empty.status).toBe(422);
		expect(empty.json).toEqual(failed(
			'validation_error',
			'The firstname field is required.',
			'The lastname field is required.',
			'The mobile code field is required.',
			'The mobile field is required.',
		));

		const plus = await api('POST', '/contact/store', {
			form: { firstname: 'A', lastname: 'B', mobile_code: '+880', mobile: '12', nickname: 'x' },
		});
		expect(plus.json.message).toEqual([
			'The mobile code field must contain only digits (the country calling code without the + sign).',
			'The mobile field must be between 4 and 15 digits.',
			'The nickname field is prohibited.',
		]);
	});

	it('refuses a duplicate mobile', async () => {
		const duplicate = await api('POST', '/contact/store', {
			form: { firstname: 'Another', lastname: 'Jane', mobile_code: '1', mobile: '7472822486' },
		});
		expect(duplicate.status).toBe(422);
		expect(duplicate.json.message).toEqual(['The mobile has already been taken.']);
	});

	it('refuses JSON bodies: the API takes form data', async () => {
		const response = await api('POST', '/contact/store', {
			json: { firstname: 'John', lastname: 'Doe', mobile_code: '880', mobile: '01988' },
		});
		expect(response.status).toBe(415);
		expect(response.json).toEqual(failed('unsupported_media_type', 'This endpoint accepts application/x-www-form-urlencoded or multipart/form-data bodies, not application/json.'));
	});

	it('stores a profile image and serves it at the returned URL', async () => {
		const png = fakeFile('png', 3 * KB);
		const created = await api('POST', '/contact/store', {
			form: {
				firstname: 'Pic',
				lastname: 'Ture',
				mobile_code: '44',
				mobile: '7700900123',
				profile_image: { content: png, filename: 'me.png', type: 'image/png' },
			},
		});
		expect(created.status).toBe(200);
		const url: string = created.json.data.contact.profile_image;
		expect(url).toMatch(new RegExp(`^${mesigic().url}/assets/images/contact/6_1\\.png$`));
		const image = await fetch(url);
		expect(image.status).toBe(200);
		expect(image.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);

		const [request] = mesigic().received('POST /external-api/contact/store');
		expect(request!.files).toEqual([{ field: 'profile_image', filename: 'me.png', contentType: 'image/png', size: 3 * KB }]);
	});

	it('refuses an oversize or wrongly typed profile image, and an image sent as text', async () => {
		const base = { firstname: 'Pic', lastname: 'Ture', mobile_code: '44', mobile: '7700900123' };
		const big = await api('POST', '/contact/store', {
			form: { ...base, profile_image: { content: fakeFile('jpg', 5 * MB + 1), filename: 'big.jpg', type: 'image/jpeg' } },
		});
		expect(big.status).toBe(422);
		expect(big.json.message).toEqual(['The profile image field must not be greater than 5120 kilobytes.']);

		const gif = await api('POST', '/contact/store', {
			form: { ...base, profile_image: { content: 'GIF89a', filename: 'a.gif', type: 'image/gif' } },
		});
		expect(gif.json.message).toEqual(['The profile image field must be a file of type: jpg, jpeg, png.']);

		const asText = await api('POST', '/contact/store', { form: { ...base, profile_image: 'https://example.com/a.png' } });
		expect(asText.json.message).toEqual(['The profile image field must be a file.']);
		expect(mesigic().accepted('POST /external-api/contact/store')).toHaveLength(0);
	});

	it('updates only the fields given', async () => {
		const updated = await api('POST', '/contact/update/2', { form: { city: 'San Diego', lastname: 'Smith-Jones' } });
		expect(updated.status).toBe(200);
		expect(updated.json).toMatchObject(succeeded('contact_updated', 'Contact updated successfully'));
		expect(updated.json.data.contact).toMatchObject({
			id: 2,
			firstname: 'Jane',
			lastname: 'Smith-Jones',
			mobile_code: '1',
			mobile: '7472822486',
			city: 'San Diego',
		});
		expect(updated.json.data.contact.updated_at).not.toBe('2026-10-02T09:00:00.000Z');

		const cleared = await api('POST', '/contact/update/2', { fields: { city: '' } });
		expect(cleared.json.data.contact.city).toBeNull();
	});

	it('refuses an empty update, a blanked required field, a taken mobile and an unknown id', async () => {
		const empty = await api('POST', '/contact/update/2', { fields: {} });
		expect(empty.status).toBe(422);
		expect(empty.json.message).toEqual([
			'At least one field is required: firstname, lastname, mobile_code, mobile, city, state, post_code, address or profile_image.',
		]);

		const blank = await api('POST', '/contact/update/2', { fields: { firstname: '' } });
		expect(blank.json.message).toEqual(['The firstname field is required.']);

		const taken = await api('POST', '/contact/update/2', { fields: { mobile_code: '880', mobile: '1711000001' } });
		expect(taken.json.message).toEqual(['The mobile has already been taken.']);

		const unknown = await api('POST', '/contact/update/999', { fields: { firstname: '' } });
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual(failed('not_found', 'Contact not found'));
	});

	it('deletes a contact, and refuses unknown, blocked or messaged contacts', async () => {
		const deleted = await api('DELETE', '/contact/delete/5');
		expect(deleted.status).toBe(200);
		expect(deleted.json).toEqual(succeeded('contact_deleted', 'Contact deleted successfully', null));
		expect((await api('DELETE', '/contact/delete/5')).status).toBe(404);

		const blocked = await api('DELETE', '/contact/delete/4');
		expect(blocked.status).toBe(422);
		expect(blocked.json).toEqual(failed('contact_delete_restricted', 'Blocked contacts cannot be deleted.'));

		const messaged = await api('DELETE', '/contact/delete/1');
		expect(messaged.json.message).toEqual(['This contact has messages and cannot be deleted.']);
		expect((await api('GET', '/contact/list')).json.data.contacts.total).toBe(4);
	});
});

describe('conversations', () => {
	it('lists conversations by last activity with their contact', async () => {
		const response = await api('GET', '/inbox/conversation-list');
		expect(response.json).toMatchObject(succeeded('conversation_list', 'Conversation list fetched successfully'));
		const page = response.json.data.conversations;
		expect(page).toMatchObject({ current_page: 1, total: 4, per_page: 20 });
		expect(page.data.map((conversation: { id: number }) => conversation.id)).toEqual([4, 3, 2, 1]);
		expect(page.data[0]).toEqual({
			id: 4,
			contact_id: 4,
			contact: expect.objectContaining({ id: 4, firstname: 'Rahim', mobile_code: '880', mobile: '1811000002' }),
			status: 4,
			last_message: 'Are you open on Sunday?',
			last_message_at: '2026-10-13T10:01:00.000Z',
			unread_count: 2,
			created_at: '2026-10-13T10:00:00.000Z',
			updated_at: '2026-10-13T10:01:00.000Z',
		});
	});

	it('filters by status and pages', async () => {
		const statuses = async (query: string) =>
			(await api('GET', `/inbox/conversation-list${query}`)).json.data.conversations.data.map(
				(conversation: { status: number }) => conversation.status,
			);
		expect(await statuses('?status=1')).toEqual([1]);
		expect(await statuses('?status=4')).toEqual([4]);
		expect(await statuses('')).toEqual([4, 3, 2, 1]);

		const second = (await api('GET', '/inbox/conversation-list?paginate=3&page=2')).json.data.conversations;
		expect(second).toMatchObject({ from: 4, to: 4, last_page: 2, next_page_url: null });

		const bad = await api('GET', '/inbox/conversation-list?status=9');
		expect(bad.status).toBe(422);
		expect(bad.json.message).toEqual(['The selected status is invalid.']);
	});

	it('changes a conversation status', async () => {
		const changed = await api('POST', '/inbox/change-conversation-status/4', { form: { status: '1' } });
		expect(changed.status).toBe(200);
		expect(changed.json).toMatchObject(succeeded('conversation_status_updated', 'Conversation status updated successfully', { conversation: { id: 4, status: 1, unread_count: 0 } }));
		const done = (await api('GET', '/inbox/conversation-list?status=1')).json.data.conversations.data;
		expect(done.map((conversation: { id: number }) => conversation.id)).toEqual([4, 1]);

		expect((await api('POST', '/inbox/change-conversation-status/4', { form: { status: '5' } })).json.message).toEqual([
			'The selected status is invalid.',
		]);
		expect((await api('POST', '/inbox/change-conversation-status/4', { form: {} })).json.message).toEqual([
			'The status field is required.',
		]);
		const unknown = await api('POST', '/inbox/change-conversation-status/77', { form: { status: '1' } });
		expect(unknown.status).toBe(404);
		expect(unknown.json.message).toEqual(['Conversation not found']);
	});

	it('gives conversation details with notes, tags and lists', async () => {
		const details = await api('GET', '/inbox/conversation-details/3');
		expect(details.json).toMatchObject(succeeded('conversation_details', 'Conversation details fetched successfully'));
		expect(details.json.data.conversation).toMatchObject({
			id: 3,
			contact: { id: 3, firstname: 'Anna' },
			status: 3,
			notes: [{ id: 1, note: 'Wants a quote for 50 units.' }],
			tags: [{ id: 1, name: 'VIP' }],
			lists: [{ id: 2, name: 'Wholesale' }],
		});
		expect((await api('GET', '/inbox/conversation-details/1')).json.data.conversation).toMatchObject({ notes: [], tags: [], lists: [] });
		expect((await api('GET', '/inbox/conversation-details/abc')).status).toBe(404);
	});
});

describe('sending messages', () => {
	it('sends a text to a new number, creating its contact and conversation', async () => {
		const sent = await api('POST', '/inbox/send-message', { form: { mobile_code: '880', mobile: '1988123456', message: 'Hello world' } });
		expect(sent.status).toBe(200);
		expect(sent.json).toEqual(succeeded('message_sent', 'Message sent successfully', {
			message: {
				id: 7,
				conversation_id: 5,
				contact_id: 6,
				type: 'text',
				message: 'Hello world',
				status: 'sent',
				wamid: expect.stringMatching(/^wamid\.[\w-]+$/),
				from_number: '17475550100',
				created_at: expect.any(String),
			},
		}));
		const [latest] = (await api('GET', '/inbox/conversation-list')).json.data.conversations.data;
		expect(latest).toMatchObject({ id: 5, status: 2, last_message: 'Hello world', contact: { mobile_code: '880', mobile: '1988123456' } });

		const again = await api('POST', '/inbox/send-message', { fields: { mobile_code: '880', mobile: '1988123456', message: 'Again' } });
		expect(again.json.data.message).toMatchObject({ conversation_id: 5, contact_id: 6 });
	});

	it('sends from a registered number and refuses an unregistered one', async () => {
		const sent = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '1', mobile: '7472822486', message: 'Hi', from_number: '+1 747 555 0101' },
		});
		expect(sent.json.data.message).toMatchObject({ from_number: '17475550101', conversation_id: 2, contact_id: 2 });

		const refused = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '1', mobile: '7472822486', message: 'Hi', from_number: '17475550199' },
		});
		expect(refused.status).toBe(422);
		expect(refused.json.message).toEqual(['The selected from number is invalid.']);
	});

	it.each([
		['image', 'photo.jpg', 'image/jpeg', fakeFile('jpg', 5 * MB)],
		['document', 'invoice.pdf', 'application/pdf', fakeFile('pdf')],
		['document', 'letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', fakeFile('txt')],
		['video', 'clip.mp4', 'video/mp4', fakeFile('mp4')],
		['audio', 'voice.ogg', 'audio/ogg', fakeFile('ogg')],
	])('sends an %s (%s)', async (field, filename, type, content) => {
		const sent = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '49', mobile: '15112345678', message: 'See attached', [field]: { content, filename, type } },
		});
		expect(sent.status).toBe(200);
		expect(sent.json.data.message).toMatchObject({ type: field, message: 'See attached', conversation_id: 3 });
		const stored = mesigic().state.messages.at(-1)!;
		expect(stored.details).toEqual({ file: { field, filename, contentType: type, size: content.length } });
	});

	it('sends media without a caption', async () => {
		const sent = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '49', mobile: '15112345678', image: { content: fakeFile('png'), filename: 'a.png', type: 'image/png' } },
		});
		expect(sent.json.data.message).toMatchObject({ type: 'image', message: null });
		expect(mesigic().state.conversations.find((conversation) => conversation.id === 3)!.last_message).toBe('[image]');
	});

	it('refuses an oversize or wrongly typed file', async () => {
		const recipient = { mobile_code: '49', mobile: '15112345678' };
		const big = await api('POST', '/inbox/send-message', {
			form: { ...recipient, image: { content: fakeFile('jpg', 5 * MB + 1), filename: 'big.jpg', type: 'image/jpeg' } },
		});
		expect(big.status).toBe(422);
		expect(big.json).toEqual(failed('validation_error', 'The image field must not be greater than 5120 kilobytes.'));

		const text = await api('POST', '/inbox/send-message', {
			form: { ...recipient, document: { content: 'plain', filename: 'notes.txt', type: 'text/plain' } },
		});
		expect(text.json.message).toEqual(['The document field must be a file of type: pdf, doc, docx.']);

		const video = await api('POST', '/inbox/send-message', {
			form: { ...recipient, video: { content: 'x', filename: 'clip.mov', type: 'video/quicktime' } },
		});
		expect(video.json.message).toEqual(['The video field must be a file of type: mp4.']);

		const audio = await api('POST', '/inbox/send-message', {
			form: { ...recipient, audio: { content: 'x', filename: 'song.txt', type: 'text/plain' } },
		});
		expect(audio.json.message).toEqual(['The audio field must be an audio file.']);

		const unknownFile = await api('POST', '/inbox/send-message', {
			form: { ...recipient, message: 'x', sticker: { content: 'x', filename: 's.webp', type: 'image/webp' } },
		});
		expect(unknownFile.json.message).toEqual(['The sticker field is prohibited.']);
		expect(mesigic().accepted(SEND)).toHaveLength(0);
	});

	it('sends a location and checks latitude and longitude together', async () => {
		const sent = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '49', mobile: '15112345678', latitude: '52.5200', longitude: '13.4050' },
		});
		expect(sent.json.data.message).toMatchObject({ type: 'location', message: null });
		expect(mesigic().state.messages.at(-1)!.details).toEqual({ latitude: 52.52, longitude: 13.405 });

		const half = await api('POST', '/inbox/send-message', { form: { mobile_code: '49', mobile: '15112345678', latitude: '52.52' } });
		expect(half.json.message).toEqual(['The longitude field is required when latitude is present.']);

		const outOfRange = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '49', mobile: '15112345678', latitude: '91', longitude: 'east' },
		});
		expect(outOfRange.json.message).toEqual(['The latitude field must be between -90 and 90.', 'The longitude field must be a number.']);
	});

	it('sends interactive messages with an existing CTA URL or list id', async () => {
		const cta = await api('POST', '/inbox/send-message', { form: { mobile_code: '49', mobile: '15112345678', message: 'Shop now', cta_url_id: '1' } });
		expect(cta.json.data.message).toMatchObject({ type: 'interactive', message: 'Shop now' });
		const list = await api('POST', '/inbox/send-message', { form: { mobile_code: '49', mobile: '15112345678', interactive_list_id: '1' } });
		expect(list.json.data.message).toMatchObject({ type: 'interactive' });

		const missing = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '49', mobile: '15112345678', message: 'x', cta_url_id: '99' },
		});
		expect(missing.json.message).toEqual(['The selected cta url id is invalid.']);
		const notInteger = await api('POST', '/inbox/send-message', {
			form: { mobile_code: '49', mobile: '15112345678', message: 'x', interactive_list_id: 'menu' },
		});
		expect(notInteger.json.message).toEqual(['The interactive list id field must be an integer.']);
	});

	it('requires content, one kind at a time, and reports every problem together', async () => {
		const nothing = await api('POST', '/inbox/send-message', { form: { mobile: '15112345678' } });
		expect(nothing.status).toBe(422);
		expect(nothing.json.message).toEqual([
			'The mobile code field is required.',
			'The message field is required when none of image / document / video / audio / latitude / longitude / cta url id / interactive list id are present.',
		]);

		const two = await api('POST', '/inbox/send-message', {
			form: {
				mobile_code: '49',
				mobile: '15112345678',
				cta_url_id: '1',
				image: { content: fakeFile('png'), filename: 'a.png', type: 'image/png' },
			},
		});
		expect(two.json.message).toEqual([
			'Only one of image, document, video, audio, location, cta url id or interactive list id can be sent in one message; got image, cta_url_id.',
		]);
	});

	it('sends an approved template', async () => {
		const sent = await api('POST', '/inbox/send-template-message', { form: { mobile_code: '880', mobile: '1711000001', template_id: '2' } });
		expect(sent.status).toBe(200);
		expect(sent.json).toEqual(succeeded('template_message_sent', 'Template message sent successfully', {
			message: expect.objectContaining({
				conversation_id: 1,
				contact_id: 1,
				type: 'template',
				message: 'Welcome to Demo Store! Enjoy 10% off your first order.',
				status: 'sent',
				from_number: '17475550100',
			}),
		}));
	});

	it('refuses unapproved or unknown templates and the misspelt template field', async () => {
		const pending = await api('POST', '/inbox/send-template-message', { form: { mobile_code: '880', mobile: '1711000001', template_id: '3' } });
		expect(pending.status).toBe(422);
		expect(pending.json.message).toEqual(['The selected template is not approved (status PENDING).']);

		const unknown = await api('POST', '/inbox/send-template-message', { form: { mobile_code: '880', mobile: '1711000001', template_id: '42' } });
		expect(unknown.json.message).toEqual(['The selected template id is invalid.']);

		const typo = await api('POST', '/inbox/send-template-message', { form: { mobile_code: '880', mobile: '1711000001', testmplate_id: '1' } });
		expect(typo.json.message).toEqual(['The template id field is required.', 'The testmplate_id field is prohibited.']);
	});

	it('lists templates, one of them not approved', async () => {
		const response = await api('GET', '/inbox/template-list');
		expect(response.json).toMatchObject(succeeded('template_list', 'Template list fetched successfully'));
		expect(response.json.data.templates).toHaveLength(3);
		expect(response.json.data.templates[0]).toEqual({
			id: 1,
			name: 'order_confirmation',
			language: 'en_US',
			category: 'UTILITY',
			status: 'APPROVED',
			body: 'Hello {{1}}, your order {{2}} is confirmed.',
		});
		expect(response.json.data.templates.map((template: { status: string }) => template.status)).toEqual(['APPROVED', 'APPROVED', 'PENDING']);
	});
});

describe('routing errors', () => {
	it('answers unknown routes and wrong methods in the provider shape', async () => {
		const unknown = await api('GET', '/contact/all');
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual(failed('not_found', 'The route /external-api/contact/all could not be found.'));

		const wrongMethod = await api('GET', '/contact/store');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('POST');
		expect(wrongMethod.json.remark).toBe('method_not_allowed');
		expect(mesigic().received({ route: 'GET /external-api/contact/all' })).toHaveLength(1);
	});
});

describe('faults', () => {
	const sendHello = (options: Partial<CallOptions> = {}) =>
		api('POST', '/inbox/send-message', { form: { mobile_code: '880', mobile: '1711000001', message: 'Hello' }, ...options });
	const outbound = () => mesigic().state.messages.filter((message) => message.direction === 'outbound' && message.message === 'Hello');

	it('429 with Retry-After, then normal service', async () => {
		mesigic().injectFault(SEND, { kind: 'rate-limit', retryAfter: 7 });
		const limited = await sendHello();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(limited.json).toEqual(failed('too_many_requests', 'Too many requests. Please retry after 7 seconds.'));
		expect((await sendHello()).status).toBe(200);

		expect(mesigic().received(SEND).map((request) => [request.fault, request.status, request.accepted])).toEqual([
			['rate-limit', 429, false],
			[null, 200, true],
		]);
		expect(mesigic().counts()[SEND]).toEqual({ received: 2, accepted: 1 });
		expect(outbound()).toHaveLength(1);
	});

	it('any 5xx, as many times as asked', async () => {
		mesigic().injectFault('GET /external-api/inbox/template-list', { kind: 'server-error', status: 503, retryAfter: 2 }, 2);
		const first = await api('GET', '/inbox/template-list');
		expect(first.status).toBe(503);
		expect(first.headers.get('retry-after')).toBe('2');
		expect(first.json).toEqual(failed('server_error', 'Server Error'));
		expect((await api('GET', '/inbox/template-list')).status).toBe(503);
		expect((await api('GET', '/inbox/template-list')).status).toBe(200);
		expect(mesigic().pendingFaults()).toEqual([]);

		mesigic().injectFault('*', { kind: 'server-error', body: { custom: true } });
		const custom = await api('GET', '/contact/list');
		expect([custom.status, custom.json]).toEqual([500, { custom: true }]);
	});

	it('reset before receiving: nothing processed, the attempt still recorded', async () => {
		mesigic().injectFault(SEND, { kind: 'reset-before' });
		await expect(sendHello()).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } });
		expect(mesigic().received(SEND)).toEqual([expect.objectContaining({ fault: 'reset-before', status: null, accepted: false })]);
		expect(outbound()).toHaveLength(0);
	});

	it('reset after receiving: the message was sent, so a client must not resend', async () => {
		mesigic().injectFault(SEND, { kind: 'reset-after-receive' });
		const error = await sendHello().catch((failure: unknown) => failure);
		expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } });
		expect(mesigic().received(SEND)).toEqual([
			expect.objectContaining({ fault: 'reset-after-receive', status: null, accepted: true, body: expect.objectContaining({ message: 'Hello' }) }),
		]);
		expect(mesigic().accepted(SEND)).toHaveLength(1);
		expect(outbound()).toHaveLength(1);
	});

	it('slow replies come after the provider acted', async () => {
		mesigic().injectFault(SEND, { kind: 'slow', delayMs: 400 });
		const started = Date.now();
		expect((await sendHello()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(390);

		mesigic().injectFault(SEND, { kind: 'slow', delayMs: 2_000 });
		await expect(sendHello({ signal: AbortSignal.timeout(150) })).rejects.toThrow();
		expect(outbound()).toHaveLength(2);
		expect(mesigic().received({ route: SEND, fault: 'slow' })).toHaveLength(2);
	});

	it('malformed JSON reply to a processed request', async () => {
		mesigic().injectFault(SEND, { kind: 'malformed' });
		const reply = await sendHello();
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toBe('application/json');
		expect(() => JSON.parse(reply.text)).toThrow();
		expect(reply.text.startsWith('{"status":"success"')).toBe(true);
		expect(outbound()).toHaveLength(1);
	});

	it('targets one concrete request path or a route pattern', async () => {
		mesigic().injectFault('POST /external-api/contact/update/2', { kind: 'server-error' });
		expect((await api('POST', '/contact/update/1', { form: { city: 'X' } })).status).toBe(200);
		expect((await api('POST', '/contact/update/2', { form: { city: 'X' } })).status).toBe(500);

		mesigic().injectFault('/external-api/contact/update/:id', { kind: 'rate-limit' });
		expect((await api('POST', '/contact/update/3', { form: { city: 'X' } })).status).toBe(429);
		expect(mesigic().received('POST /external-api/contact/update/:id')).toHaveLength(3);
		expect(mesigic().received('POST /external-api/contact/update/2')).toHaveLength(1);
	});
});

describe('control API', () => {
	it('lists received requests with filters, counts them and clears them', async () => {
		await api('GET', '/contact/list?search=jane');
		await api('POST', '/inbox/send-message', { form: { mobile_code: '880', mobile: '1711000001', message: 'One' } });
		await api('POST', '/inbox/send-message', { form: { mobile_code: '880', mobile: '1711000001' } });

		const all = await control('GET', '/received');
		expect(all.json.count).toBe(3);
		expect(all.json.requests[0]).toMatchObject({
			seq: expect.any(Number),
			at: expect.any(String),
			method: 'GET',
			path: '/external-api/contact/list',
			route: 'GET /external-api/contact/list',
			query: { search: 'jane' },
			ip: '127.0.0.1',
			fault: null,
			status: 200,
			accepted: true,
		});

		const accepted = await control('GET', `/received?route=${encodeURIComponent(SEND)}&accepted=true`);
		expect(accepted.json.requests.map((request: { body: { message: string } }) => request.body.message)).toEqual(['One']);
		const since = await control('GET', `/received?since=${all.json.requests[1].seq}`);
		expect(since.json.count).toBe(1);

		expect((await control('GET', '/counts')).json.routes).toEqual({
			'GET /external-api/contact/list': { received: 1, accepted: 1 },
			[SEND]: { received: 2, accepted: 1 },
		});

		expect((await control('GET', '/received?accepted=maybe')).status).toBe(400);
		await control('DELETE', '/received');
		expect((await control('GET', '/received')).json.count).toBe(0);
	});

	it('queues, lists and clears faults over HTTP', async () => {
		const queued = await control('POST', '/faults', { json: { route: SEND, kind: 'rate-limit', retryAfter: 3, times: 2 } });
		expect(queued.status).toBe(201);
		expect(queued.json.queued).toMatchObject({ route: SEND, remaining: 2, fault: { kind: 'rate-limit', retryAfter: 3 } });
		expect((await control('GET', '/faults')).json.faults).toHaveLength(1);
		expect((await api('POST', '/inbox/send-message', { form: { mobile_code: '1', mobile: '7472822486', message: 'x' } })).status).toBe(429);
		expect((await control('GET', '/faults')).json.faults[0].remaining).toBe(1);
		await control('DELETE', '/faults');
		expect((await control('GET', '/faults')).json.faults).toEqual([]);

		const invalidFault = await control('POST', '/faults', { json: { route: SEND, kind: 'explode' } });
		expect(invalidFault.status).toBe(400);
		expect(invalidFault.json.error).toBe('validation');
	});

	it('records inbound messages as unread conversations', async () => {
		const existing = await control('POST', '/mesigic/inbound', { json: { mobile_code: '1', mobile: '7472822486', message: 'Any news?' } });
		expect(existing.status).toBe(201);
		expect(existing.json.conversation).toMatchObject({ id: 2, status: 4, unread_count: 1, last_message: 'Any news?' });
		expect(existing.json.message).toMatchObject({ type: 'text', message: 'Any news?', status: 'received', conversation_id: 2 });

		const newcomer = await control('POST', '/mesigic/inbound', {
			json: { mobile_code: '34', mobile: '612345678', message: 'Hola', firstname: 'Lucía' },
		});
		expect(newcomer.json.contact).toMatchObject({ id: 6, firstname: 'Lucía', lastname: null, mobile_code: '34' });
		expect(newcomer.json.conversation).toMatchObject({ id: 5, status: 4, unread_count: 1 });

		const unread = (await api('GET', '/inbox/conversation-list?status=4')).json.data.conversations.data;
		expect(unread.map((conversation: { id: number }) => conversation.id)).toEqual([5, 2, 4]);
		// Control calls are not provider traffic.
		expect(mesigic().received({ route: '*' })).toHaveLength(1);
	});

	it('adds contacts and changes conversation status from the dashboard side', async () => {
		const added = await control('POST', '/mesigic/contacts', { json: { firstname: 'Dash', mobile_code: '33', mobile: '612345678' } });
		expect(added.status).toBe(201);
		expect(added.json.contact).toMatchObject({ id: 6, firstname: 'Dash', lastname: null });
		expect((await api('GET', '/contact/list')).json.data.contacts.data[0].id).toBe(6);
		expect((await control('POST', '/mesigic/contacts', { json: { firstname: 'Dup', mobile_code: '33', mobile: '612345678' } })).status).toBe(409);

		const changed = await control('POST', '/mesigic/conversations/2/status', { json: { status: 3 } });
		expect(changed.json.conversation).toMatchObject({ id: 2, status: 3 });
		expect((await control('POST', '/mesigic/conversations/99/status', { json: { status: 3 } })).status).toBe(404);
	});

	it('shows and resets state', async () => {
		await api('POST', '/contact/store', {
			form: {
				firstname: 'A',
				lastname: 'B',
				mobile_code: '44',
				mobile: '7700900123',
				profile_image: { content: fakeFile('png'), filename: 'a.png', type: 'image/png' },
			},
		});
		const state = (await control('GET', '/state')).json;
		expect(state.contacts).toHaveLength(6);
		expect(state.messages).toHaveLength(6);
		expect(state.profileImages).toEqual({ '6_1.png': { contentType: 'image/png', size: 1024 } });
		expect(state.fromNumbers.map((entry: { number: string }) => entry.number)).toEqual(['17475550100', '17475550101']);

		const reset = await control('POST', '/reset', { json: {} });
		expect(reset.json).toEqual({ reset: ['state', 'received', 'faults', 'webhooks'] });
		expect((await control('GET', '/state')).json.contacts).toHaveLength(5);
		expect(mesigic().received()).toHaveLength(0);

		await api('GET', '/contact/list');
		await control('POST', '/reset', { json: { parts: ['state'] } });
		expect(mesigic().received()).toHaveLength(1);
	});

	it('describes itself and 404s unknown control routes', async () => {
		const described = (await control('GET', '')).json;
		expect(described).toMatchObject({ simulator: 'mesigic', apiUrl: mesigic().apiUrl });
		expect(described.routes).toContain(SEND);
		expect(described.control).toContain('POST /__sandbox/mesigic/inbound');
		const unknown = await control('GET', '/nothing');
		expect(unknown.status).toBe(404);
		expect(unknown.json.error).toBe('not_found');
	});
});

describe('startSandbox', () => {
	it('takes ports from arguments, then environment, then the defaults', () => {
		expect(portsFrom([], {})).toMatchObject({ mesigic: 5701 });
		expect(portsFrom(['--mesigic=6001'], { SANDBOX_MESIGIC_PORT: '6003' })).toMatchObject({ mesigic: 6001 });
		expect(portsFrom(['--mesigic', '6002'], {})).toMatchObject({ mesigic: 6002 });
		expect(portsFrom([], { SANDBOX_MESIGIC_PORT: '6003' })).toMatchObject({ mesigic: 6003 });
		expect(() => portsFrom(['--mesigic=http'], {})).toThrow('Invalid port for mesigic: http');
	});

	it('runs Mesigic on a chosen port', async () => {
		const probe = await startSandbox();
		const port = probe.mesigic.port;
		await probe.stop();

		const fixed = await startSandbox({ mesigic: port });
		try {
			expect(fixed.mesigic.apiUrl).toBe(`http://127.0.0.1:${port}/external-api`);
			expect(fixed.servers.map((server) => server.name)).toContain('mesigic');
			expect((await call('GET', `${fixed.mesigic.apiUrl}/inbox/template-list`, { headers: AUTH })).status).toBe(200);
		} finally {
			await fixed.stop();
		}
	});
});

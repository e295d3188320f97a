import { inflateSync } from 'node:zlib';

import {
	CHAT_API_DEMO,
	CHAT_API_SEED,
	CHAT_API_WRONG_TOKEN,
	chatApiSimulator,
	receiveInbound,
	type ChatApiState,
} from '../../sandbox/chatapi';
import { SandboxServer } from '../../sandbox/framework';
import { portsFrom, startSandbox } from '../../sandbox/main';
import { inspectPng, PNG_SIGNATURE } from '../../sandbox/png';
import { call, caller, fakeFile, useReceiver, useStarted, type CallOptions } from './helpers';

const TOKEN = CHAT_API_DEMO.token;
const BASE = `/${CHAT_API_DEMO.instanceId}`;
const SEND = `POST ${BASE}/sendMessage`;
const ME = `${CHAT_API_DEMO.phone}@c.us`;
const { customer, group, groupMember } = CHAT_API_SEED;

const sandbox = useStarted(
	() => startSandbox(),
	(started) => started.chatapi.reset(),
);
// A webhook receiver that, like the trigger, rejects calls without its secret.
const receiver = useReceiver({
	answer: ({ url }) => (new URL(url, 'http://x').searchParams.get('secret') === 's3cret' ? { json: { received: true } } : { status: 401, json: { error: 'forged' } }),
});
const { hooks } = receiver;

const chatapi = () => sandbox().chatapi;
const withToken = (path: string, token: string | null = TOKEN) =>
	token === null ? path : `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
const api = (method: string, path: string, options: CallOptions = {}, token: string | null = TOKEN) =>
	call(method, chatapi().apiUrl + withToken(path, token), options);
const control = caller(() => chatapi().controlUrl);
const send = (json: unknown) => api('POST', '/sendMessage', { json });
const messagesAfter = async (n: number) => (await api('GET', `/messages?lastMessageNumber=${n}`)).json;
const stored = (id: string) => chatapi().state.messages.find((message) => message.id === id)!;

/** POSTs `json` to `path` and expects a 400 with `error`. */
async function expectRefused(path: string, json: unknown, error: string) {
	const refused = await api('POST', path, { json });
	expect([refused.status, refused.json]).toEqual([400, { error }]);
}

const MESSAGE_ID = /^(true|false)_\d+(-\d+)?@[cg]\.us_[0-9A-F]{20}(_\d+@c\.us)?$/;

function checkPng(png: Buffer) {
	expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
	expect(png.readUInt32BE(8)).toBe(13);
	expect(png.toString('latin1', 12, 16)).toBe('IHDR');
	const width = png.readUInt32BE(16);
	const height = png.readUInt32BE(20);
	expect([png[24], png[25]]).toEqual([8, 0]); // 8-bit greyscale
	// Collect the IDAT chunks and inflate them: one filter byte plus one byte per pixel per row.
	const idat: Buffer[] = [];
	for (let offset = 8; offset < png.length; ) {
		const length = png.readUInt32BE(offset);
		if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
		offset += 12 + length;
	}
	const raw = inflateSync(Buffer.concat(idat));
	expect(raw.length).toBe(height * (width + 1));
	expect(new Set(raw)).toEqual(new Set([0, 255])); // filter bytes 0, black and white modules only
	expect(inspectPng(png)).toMatchObject({ width, height, chunks: ['IHDR', 'IDAT', 'IEND'] });
	return { width, height };
}

describe('authentication', () => {
	it('refuses a missing, empty or wrong token on every route, with the documented message', async () => {
		for (const token of [null, '', 'guess', `${TOKEN}x`]) {
			const refused = await api('GET', '/status', {}, token);
			expect([refused.status, refused.json]).toEqual([401, { error: CHAT_API_WRONG_TOKEN }]);
		}
		const inHeader = await call('GET', `${chatapi().apiUrl}/status`, { headers: { token: TOKEN, authorization: `Bearer ${TOKEN}` } });
		expect(inHeader.status).toBe(401);

		const guarded = chatapi().routeKeys.filter((key) => !key.includes('/files/'));
		expect(guarded).toHaveLength(14);
		for (const key of guarded) {
			const [method, path] = key.split(' ') as [string, string];
			const response = await call(method, chatapi().url + path + '?token=wrong', method === 'POST' ? { json: {} } : {});
			expect([key, response.status, response.json]).toEqual([key, 401, { error: CHAT_API_WRONG_TOKEN }]);
		}
		expect(chatapi().accepted()).toHaveLength(0);
	});

	it('never records the token', async () => {
		await api('GET', '/status');
		await send({ phone: customer.phone, body: 'hi' });
		await api('GET', '/status', {}, 'wrong-token');
		expect(chatapi().received().map((request) => request.query)).toEqual([
			{ token: '[redacted]' },
			{ token: '[redacted]' },
			{ token: '[redacted]' },
		]);
		const everything = JSON.stringify([chatapi().received(), chatapi().snapshot(), (await control('GET', '/received')).json]);
		expect(everything).not.toContain(TOKEN);
		expect(everything).not.toContain('wrong-token');
	});

	it('answers unknown paths, other instances and wrong methods in the error shape', async () => {
		const other = await call('GET', `${chatapi().url}/instance999/status?token=${TOKEN}`);
		expect([other.status, other.json]).toEqual([404, { error: 'The route /instance999/status could not be found.' }]);
		const wrongMethod = await api('POST', '/status', { json: {} });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.json).toEqual({ error: `The POST method is not supported for route ${BASE}/status. Supported methods: GET.` });
	});

	it('takes another instance id and token', async () => {
		const server = await new SandboxServer(chatApiSimulator({ instanceId: 'instance777', token: 'other', accountStatus: 'authenticated' })).start();
		try {
			expect(server.apiUrl).toBe(`${server.url}/instance777`);
			expect((await call('GET', `${server.apiUrl}/status?token=other`)).json).toEqual({ accountStatus: 'authenticated' });
			expect((await call('GET', `${server.apiUrl}/status?token=${TOKEN}`)).status).toBe(401);
		} finally {
			await server.stop();
		}
	});
});

describe('instance', () => {
	it('shows a decodable PNG QR code while not authenticated, the same as GET /qr_code', async () => {
		const status = await api('GET', '/status');
		expect(status.status).toBe(200);
		expect(Object.keys(status.json)).toEqual(['accountStatus', 'qrCode']);
		expect(status.json.accountStatus).toBe('got qr code');
		expect(status.json.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
		const fromStatus = Buffer.from(status.json.qrCode.split(',')[1], 'base64');
		expect(checkPng(fromStatus)).toEqual({ width: 264, height: 264 });

		const image = await fetch(chatapi().apiUrl + withToken('/qr_code'));
		expect(image.status).toBe(200);
		expect(image.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await image.arrayBuffer())).toEqual(fromStatus);
	});

	it('authenticates, logs out with a new QR code, and has no QR code while authenticated or loading', async () => {
		const before = (await api('GET', '/status')).json.qrCode;
		expect((await control('POST', '/chatapi/authenticate')).json).toEqual({ accountStatus: 'authenticated' });
		expect((await api('GET', '/status')).json).toEqual({ accountStatus: 'authenticated' });
		const noQr = await api('GET', '/qr_code');
		expect([noQr.status, noQr.headers.get('content-type'), noQr.json]).toEqual([
			404,
			'application/json',
			{ error: 'There is no QR code: the instance is already authenticated.' },
		]);

		const logout = await api('GET', '/logout');
		expect([logout.status, logout.json]).toEqual([200, { result: 'Logout request sent to messengers' }]);
		const after = (await api('GET', '/status')).json;
		expect(after.accountStatus).toBe('got qr code');
		expect(after.qrCode).not.toBe(before);
		checkPng(Buffer.from(after.qrCode.split(',')[1], 'base64'));

		await control('PUT', '/chatapi/account-status', { json: { accountStatus: 'loading' } });
		expect((await api('GET', '/status')).json).toEqual({ accountStatus: 'loading' });
		expect((await api('GET', '/qr_code')).status).toBe(404);
		await control('POST', '/chatapi/logout');
		expect((await api('GET', '/status')).json.accountStatus).toBe('got qr code');
		expect((await control('PUT', '/chatapi/account-status', { json: { accountStatus: 'asleep' } })).status).toBe(400);
	});

	it('reboots', async () => {
		const reboot = await api('GET', '/reboot');
		expect([reboot.status, reboot.json]).toEqual([200, { success: true }]);
		expect(chatapi().state.reboots).toBe(1);
	});

	it('turns ack notifications on and off by POST (1/0, true/false) or GET', async () => {
		const set = async (value: unknown) => (await api('POST', '/settings/ackNotificationsOn', { json: { ackNotificationsOn: value } })).json;
		expect(chatapi().state.ackNotificationsOn).toBe(false);
		expect(await set(1)).toEqual({ set: true, ackNotificationsOn: true });
		expect(await set(0)).toEqual({ set: true, ackNotificationsOn: false });
		expect(await set(true)).toEqual({ set: true, ackNotificationsOn: true });
		expect(await set(false)).toEqual({ set: true, ackNotificationsOn: false });
		expect(await set('1')).toEqual({ set: true, ackNotificationsOn: true });

		const byGet = await api('GET', '/settings/ackNotificationsOn?ackNotificationsOn=0');
		expect([byGet.status, byGet.json]).toEqual([200, { set: true, ackNotificationsOn: false }]);
		expect((await api('GET', '/settings/ackNotificationsOn?ackNotificationsOn=true')).json.ackNotificationsOn).toBe(true);
		expect(chatapi().state.ackNotificationsOn).toBe(true);

		const wrong = await api('POST', '/settings/ackNotificationsOn', { json: { ackNotificationsOn: 'yes' } });
		expect([wrong.status, wrong.json]).toEqual([400, { error: 'ackNotificationsOn must be 1 (true) or 0 (false).' }]);
		const missing = await api('GET', '/settings/ackNotificationsOn');
		expect([missing.status, missing.json]).toEqual([400, { error: 'ackNotificationsOn is required: 1 (true) or 0 (false).' }]);
		const extra = await api('POST', '/settings/ackNotificationsOn', { json: { ackNotificationsOn: 1, acks: 1 } });
		expect([extra.status, extra.json]).toEqual([400, { error: 'Unknown parameter acks.' }]);
		const form = await api('POST', '/settings/ackNotificationsOn', { fields: { ackNotificationsOn: '1' } });
		expect(form.status).toBe(415);
		expect(form.json).toEqual({ error: 'This endpoint accepts application/json bodies, not application/x-www-form-urlencoded.' });
		expect(chatapi().state.ackNotificationsOn).toBe(true);
	});
});

describe('sending', () => {
	it('sends a text to a phone: queued, stored as an outgoing chat message', async () => {
		const sent = await send({ phone: customer.phone, body: 'Hello, world! 🍏' });
		expect(sent.status).toBe(200);
		expect(sent.json).toEqual({ sent: true, message: `Sent to ${customer.chatId}`, id: expect.stringMatching(MESSAGE_ID), queueNumber: 3 });
		expect(sent.json.id).toMatch(new RegExp(`^true_${customer.phone}@c\\.us_[0-9A-F]{20}$`));

		const { messages, lastMessageNumber } = await messagesAfter(CHAT_API_SEED.lastMessageNumber);
		expect(lastMessageNumber).toBe(105);
		expect(messages).toEqual([
			{
				id: sent.json.id,
				body: 'Hello, world! 🍏',
				type: 'chat',
				senderName: CHAT_API_DEMO.name,
				fromMe: true,
				author: ME,
				time: expect.any(Number),
				chatId: customer.chatId,
				messageNumber: 105,
			},
		]);
		expect(Math.abs(messages[0].time - Date.now() / 1000)).toBeLessThan(5);
		expect(stored(sent.json.id)).toMatchObject({ status: 'queued', queueNumber: 3 });
	});

	it('sends to a chatId, private or group', async () => {
		const toGroup = await send({ chatId: group.chatId, body: 'Price list attached soon' });
		expect(toGroup.json).toMatchObject({ sent: true, message: `Sent to ${group.chatId}`, queueNumber: 3 });
		expect(toGroup.json.id).toMatch(new RegExp(`^true_${group.chatId.replace('.', '\\.')}_[0-9A-F]{20}$`));
		const toChat = await send({ chatId: '79680565372@c.us', body: 'Hi' });
		expect(toChat.json).toMatchObject({ sent: true, message: 'Sent to 79680565372@c.us', queueNumber: 4 });
		expect((await messagesAfter(104)).messages.map((message: { chatId: string }) => message.chatId)).toEqual([group.chatId, '79680565372@c.us']);
	});

	it.each([
		[{ body: 'x' }, 'phone or chatId is required.'],
		[{ phone: customer.phone, chatId: customer.chatId, body: 'x' }, 'Give only one of phone or chatId.'],
		[{ phone: '+17472822486', body: 'x' }, 'phone must be 7 to 15 digits with the country code, without + or spaces (e.g. 17472822486).'],
		[{ phone: 17472822486, body: 'x' }, 'phone must be a string.'],
		[
			{ chatId: '17472822486', body: 'x' },
			'chatId must be <digits>@c.us for a private chat or <digits>-<digits>@g.us for a group (e.g. 17472822486@c.us).',
		],
		[{ phone: customer.phone }, 'body is required.'],
		[{ phone: customer.phone, body: '' }, 'body must not be empty.'],
		[{ phone: customer.phone, body: 'x', priority: 1 }, 'Unknown parameter priority.'],
		[{}, 'body is required. phone or chatId is required.'],
		[['x'], 'The request body must be a JSON object. phone or chatId is required.'],
	])('refuses sendMessage %j', async (json, error) => {
		await expectRefused('/sendMessage', json, error);
		expect(chatapi().state.messages).toHaveLength(5);
	});

	it('refuses a body that is not JSON', async () => {
		const broken = await fetch(chatapi().apiUrl + withToken('/sendMessage'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"phone": "1',
		});
		expect([broken.status, await broken.json()]).toEqual([400, { error: 'The request body is not valid JSON.' }]);
	});

	it('sends a file from a data URI: stored, typed by its mime type, downloadable', async () => {
		const png = fakeFile('png', 300);
		const sent = await api('POST', '/sendFile', {
			json: { phone: customer.phone, body: `data:image/png;base64,${png.toString('base64')}`, filename: '4x4pixel.jpg', caption: 'Our logo' },
		});
		expect(sent.status).toBe(200);
		expect(sent.json).toEqual({ sent: true, message: `Sent to ${customer.chatId}`, id: expect.stringMatching(MESSAGE_ID), queueNumber: 3 });
		const [message] = (await messagesAfter(104)).messages;
		expect(message).toMatchObject({ id: sent.json.id, type: 'image', fromMe: true, chatId: customer.chatId, messageNumber: 105 });
		expect(message.body).toBe(`${chatapi().apiUrl}/files/2_4x4pixel.jpg`);
		expect(stored(sent.json.id).caption).toBe('Our logo');

		const download = await fetch(message.body);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await download.arrayBuffer())).toEqual(png);
	});

	it('sends a file from a URL: typed by extension, its download URL redirects to the original', async () => {
		const link = 'https://upload.wikimedia.org/wikipedia/ru/3/33/NatureCover2001.jpg';
		const photo = await api('POST', '/sendFile', { json: { chatId: customer.chatId, body: link, filename: 'cover.jpg' } });
		const report = await api('POST', '/sendFile', { json: { phone: customer.phone, body: 'https://example.com/q3', filename: 'report.pdf' } });
		const voice = await api('POST', '/sendFile', {
			json: { phone: customer.phone, body: `data:audio/ogg;codecs=opus;base64,${fakeFile('ogg', 30).toString('base64')}`, filename: 'note.ogg' },
		});
		const clip = await api('POST', '/sendFile', {
			json: { phone: customer.phone, body: `data:application/octet-stream;base64,${fakeFile('mp4', 30).toString('base64')}`, filename: 'clip.mp4' },
		});
		expect([photo.status, report.status, voice.status, clip.status]).toEqual([200, 200, 200, 200]);
		const messages = (await messagesAfter(104)).messages;
		expect(messages.map((message: { type: string }) => message.type)).toEqual(['image', 'document', 'audio', 'video']);

		const redirect = await fetch(messages[0].body, { redirect: 'manual' });
		expect([redirect.status, redirect.headers.get('location')]).toEqual([302, link]);
	});

	it('sends a file uploaded as form-data', async () => {
		const form = new FormData();
		form.append('phone', customer.phone);
		form.append('filename', 'invoice.pdf');
		form.append('body', new Blob([new Uint8Array(fakeFile('pdf', 200))], { type: 'application/pdf' }), 'invoice.pdf');
		const response = await fetch(chatapi().apiUrl + withToken('/sendFile'), { method: 'POST', body: form });
		expect(response.status).toBe(200);
		const [message] = (await messagesAfter(104)).messages;
		expect(message.type).toBe('document');
		expect((await fetch(message.body)).headers.get('content-type')).toBe('application/pdf');
	});

	it.each([
		[{ phone: customer.phone, filename: 'a.jpg' }, 'body is required: an http(s) URL, a data URI (data:<mime>;base64,<data>) or a file in form-data.'],
		[{ phone: customer.phone, body: 'hello', filename: 'a.jpg' }, 'body must be an http(s) URL or a data URI (data:<mime>;base64,<data>).'],
		[{ phone: customer.phone, body: 'ftp://example.com/a.jpg', filename: 'a.jpg' }, 'body must be an http(s) URL or a data URI (data:<mime>;base64,<data>).'],
		[{ phone: customer.phone, body: 'data:image/png;base64,iVBOR%%w0K', filename: 'a.png' }, 'body is a data URI whose base64 data does not decode.'],
		[{ phone: customer.phone, body: 'data:image/png;base64,iVBORw0', filename: 'a.png' }, 'body is a data URI whose base64 data does not decode.'],
		[{ phone: customer.phone, body: 'data:image/png;base64,', filename: 'a.png' }, 'body is a data URI without data.'],
		[{ phone: customer.phone, body: 'data:image/png,plain', filename: 'a.png' }, 'body must be an http(s) URL or a data URI (data:<mime>;base64,<data>).'],
		[{ phone: customer.phone, body: 'https://example.com/a.jpg' }, 'filename is required.'],
		[{ body: 'https://example.com/a.jpg', filename: '' }, 'filename must not be empty. phone or chatId is required.'],
	])('refuses sendFile %j', async (json, error) => {
		await expectRefused('/sendFile', json, error);
		expect(chatapi().state.messages).toHaveLength(5);
	});
});

describe('GET /messages', () => {
	it('lists the seed history oldest first, from messageNumber 100', async () => {
		const all = (await api('GET', '/messages')).json;
		expect(all.lastMessageNumber).toBe(104);
		expect(all.messages.map((message: { messageNumber: number }) => message.messageNumber)).toEqual([100, 101, 102, 103, 104]);
		expect(all.messages[0]).toEqual({
			id: expect.stringMatching(/^false_17472822486@c\.us_[0-9A-F]{20}$/),
			body: 'Hi, is my order shipped?',
			type: 'chat',
			senderName: customer.name,
			fromMe: false,
			author: customer.chatId,
			time: Date.parse('2026-10-10T10:00:00Z') / 1000,
			chatId: customer.chatId,
			messageNumber: 100,
		});
		expect(all.messages[1]).toMatchObject({ fromMe: true, author: ME, senderName: CHAT_API_DEMO.name, chatId: customer.chatId });
		expect(all.messages[2]).toMatchObject({ type: 'image', body: `${chatapi().apiUrl}/files/1_photo.png` });
		expect(all.messages[3]).toMatchObject({
			id: expect.stringMatching(new RegExp(`^false_${CHAT_API_DEMO.phone}-\\d+@g\\.us_[0-9A-F]{20}_${groupMember.phone}@c\\.us$`)),
			fromMe: false,
			author: groupMember.chatId,
			senderName: groupMember.name,
			chatId: group.chatId,
		});
		checkPngBytes(Buffer.from(await (await fetch(all.messages[2].body)).arrayBuffer()));
	});

	it('follows the lastMessageNumber cursor, 100 at a time', async () => {
		for (let n = 0; n < 150; n++) receiveInbound(chatapi().state, { chatId: customer.chatId, body: `m${n}` });
		const first = await messagesAfter(104);
		expect(first.messages).toHaveLength(100);
		expect([first.messages[0].messageNumber, first.messages[99].messageNumber, first.lastMessageNumber]).toEqual([105, 204, 204]);
		const second = await messagesAfter(first.lastMessageNumber);
		expect(second.messages.map((message: { body: string }) => message.body)).toEqual(Array.from({ length: 50 }, (_, n) => `m${n + 100}`));
		expect(second.lastMessageNumber).toBe(254);
		expect(await messagesAfter(254)).toEqual({ messages: [], lastMessageNumber: 254 });
		expect(await messagesAfter(9999)).toEqual({ messages: [], lastMessageNumber: 9999 });
		expect((await messagesAfter(102)).messages[0].messageNumber).toBe(103);
	});

	it('?last gives the last 100 and ignores lastMessageNumber', async () => {
		for (let n = 0; n < 120; n++) receiveInbound(chatapi().state, { chatId: customer.chatId, body: `m${n}` });
		for (const query of ['?last', '?last=1', '?last=true&lastMessageNumber=5', '?lastMessageNumber=224&last']) {
			const last = (await api('GET', `/messages${query}`)).json;
			expect([last.messages.length, last.messages[0].messageNumber, last.messages[99].messageNumber, last.lastMessageNumber]).toEqual([
				100, 125, 224, 224,
			]);
		}
		expect((await api('GET', '/messages?last=0&lastMessageNumber=220')).json.messages).toHaveLength(4);
	});

	it('refuses bad parameters', async () => {
		const negative = await api('GET', '/messages?lastMessageNumber=-1');
		expect([negative.status, negative.json]).toEqual([400, { error: 'lastMessageNumber must be a whole number (0 or more).' }]);
		expect((await api('GET', '/messages?lastMessageNumber=abc')).status).toBe(400);
		const unknown = await api('GET', '/messages?limit=10');
		expect([unknown.status, unknown.json]).toEqual([400, { error: 'Unknown parameter limit.' }]);
		expect((await api('GET', '/messages?last=maybe')).json).toEqual({ error: 'last takes no value (or 1/true, 0/false).' });
	});
});

function checkPngBytes(png: Buffer) {
	expect(inspectPng(png)).toMatchObject({ width: 16, height: 16, bitDepth: 8, colourType: 0 });
}

describe('groups', () => {
	it('creates a group and queues its first message', async () => {
		const created = await api('POST', '/group', {
			json: { groupName: 'Browsers', phones: ['17472822486', '79680565372'], messageText: 'Safari is the new IE' },
		});
		expect(created.status).toBe(200);
		expect(created.json).toEqual({
			created: true,
			message: 'Group created',
			chatId: expect.stringMatching(new RegExp(`^${CHAT_API_DEMO.phone}-\\d{10}@g\\.us$`)),
			groupInviteLink: expect.stringMatching(/^https:\/\/chat\.whatsapp\.com\/[A-Za-z0-9]{22}$/),
		});
		expect(chatapi().state.groups.at(-1)).toMatchObject({
			chatId: created.json.chatId,
			name: 'Browsers',
			participants: ['17472822486@c.us', '79680565372@c.us'],
		});
		expect((await messagesAfter(104)).messages).toEqual([
			expect.objectContaining({ body: 'Safari is the new IE', chatId: created.json.chatId, fromMe: true, type: 'chat' }),
		]);
		const queue = (await api('GET', '/showMessagesQueue')).json;
		expect(queue.first100.map((entry: { chatId: string }) => entry.chatId)).toEqual([created.json.chatId]);

		const second = await api('POST', '/group', { json: { groupName: 'Quiet', phones: ['17472822486'] } });
		expect(second.json.chatId).not.toBe(created.json.chatId);
		expect((await api('GET', '/showMessagesQueue')).json.totalMessages).toBe(1);
	});

	it.each([
		[{ phones: ['17472822486'] }, 'groupName is required.'],
		[{ groupName: '  ', phones: ['17472822486'] }, 'groupName must not be empty.'],
		[{ groupName: 'G' }, 'phones is required.'],
		[{ groupName: 'G', phones: [] }, 'phones must list at least one phone number.'],
		[{ groupName: 'G', phones: '17472822486' }, 'phones must be an array.'],
		[
			{ groupName: 'G', phones: ['17472822486', '+7 968 056'] },
			'Every phone in phones must be 7 to 15 digits with the country code, without + or spaces (got "+7 968 056").',
		],
		[{ groupName: 'G', phones: ['17472822486'], messageText: '' }, 'messageText must not be empty.'],
	])('refuses %j', async (json, error) => {
		await expectRefused('/group', json, error);
		expect(chatapi().state.groups).toHaveLength(1);
	});
});

describe('outbound queue', () => {
	it('shows queued sends until the queue is flushed', async () => {
		expect((await api('GET', '/showMessagesQueue')).json).toEqual({ totalMessages: 0, first100: [] });
		const one = await send({ phone: customer.phone, body: 'Hey!' });
		const file = await api('POST', '/sendFile', { json: { chatId: group.chatId, body: 'https://example.com/list.pdf', filename: 'list.pdf', caption: 'Prices' } });
		const queue = await api('GET', '/showMessagesQueue');
		expect(queue.status).toBe(200);
		expect(queue.json).toEqual({
			totalMessages: 2,
			first100: [
				{ id: 3, body: 'Hey!', type: 'text', chatId: customer.chatId, last_try: expect.any(Number), metadata: '{}' },
				{
					id: 4,
					body: `${chatapi().apiUrl}/files/2_list.pdf`,
					type: 'document',
					chatId: group.chatId,
					last_try: expect.any(Number),
					metadata: '{"caption":"Prices"}',
				},
			],
		});
		expect(Math.abs(queue.json.first100[0].last_try - Date.now())).toBeLessThan(5_000);
		expect([one.json.queueNumber, file.json.queueNumber]).toEqual([3, 4]);

		const flushed = await control('POST', '/chatapi/flush-queue');
		expect(flushed.json).toEqual({ flushed: 2, ids: [one.json.id, file.json.id] });
		expect((await api('GET', '/showMessagesQueue')).json).toEqual({ totalMessages: 0, first100: [] });
		expect(stored(one.json.id).status).toBe('sent');
	});

	it('clears the queue: the messages are never sent', async () => {
		await send({ phone: customer.phone, body: 'Hello world' });
		await send({ phone: '79680565372', body: 'Hello world 2' });
		const cleared = await api('GET', '/clearMessagesQueue');
		expect([cleared.status, cleared.json]).toEqual([200, { message: 'Cleared 2 messages', messageTextsExample: ['Hello world', 'Hello world 2'] }]);
		expect((await api('GET', '/showMessagesQueue')).json.totalMessages).toBe(0);
		expect(chatapi().state.messages.slice(-2).map((message) => message.status)).toEqual(['cancelled', 'cancelled']);
		expect((await api('GET', '/clearMessagesQueue')).json).toEqual({ message: 'Cleared 0 messages', messageTextsExample: [] });
	});

	it('shows at most 100 entries', async () => {
		for (let n = 0; n < 105; n++) await send({ phone: customer.phone, body: `bulk ${n}` });
		const queue = (await api('GET', '/showMessagesQueue')).json;
		expect([queue.totalMessages, queue.first100.length, queue.first100[99].body]).toEqual([105, 100, 'bulk 99']);
	});
});

describe('webhook URL', () => {
	it('sets, reads and clears the URL exactly as given', async () => {
		expect((await api('GET', '/webhook')).json).toEqual({ set: false, webhookUrl: '' });
		const url = 'https://n8n.example.com/webhook/abc/chat-api?secret=s3cret&x=%20y';
		const set = await api('POST', '/webhook', { json: { webhookUrl: url } });
		expect([set.status, set.json]).toEqual([200, { set: true, webhookUrl: url }]);
		expect((await api('GET', '/webhook')).json).toEqual({ set: true, webhookUrl: url });
		expect((await api('POST', '/webhook', { json: { webhookUrl: '' } })).json).toEqual({ set: true, webhookUrl: '' });
		expect((await api('GET', '/webhook')).json).toEqual({ set: false, webhookUrl: '' });
	});

	it.each([
		[{ webhookUrl: 'ftp://example.com/hook' }, 'webhookUrl must be an http or https URL (or "" to remove it).'],
		[{ webhookUrl: 'not a url' }, 'webhookUrl must be an http or https URL (or "" to remove it).'],
		[{ webhookUrl: null }, 'webhookUrl must be a string.'],
		[{}, 'webhookUrl is required.'],
		[{ url: 'https://example.com' }, 'webhookUrl is required. Unknown parameter url.'],
	])('refuses %j', async (json, error) => {
		await expectRefused('/webhook', json, error);
	});
});

describe('outbound webhooks', () => {
	const hookUrl = () => `${receiver.url}/webhook/chat?secret=s3cret&from=chatapi`;
	const setHook = () => api('POST', '/webhook', { json: { webhookUrl: hookUrl() } });

	it('stores an inbound message without a webhook set', async () => {
		const inbound = await control('POST', '/chatapi/inbound', { json: { phone: customer.phone, body: 'Any news?' } });
		expect(inbound.status).toBe(201);
		expect(inbound.json).toEqual({
			message: {
				id: expect.stringMatching(/^false_17472822486@c\.us_[0-9A-F]{20}$/),
				body: 'Any news?',
				type: 'chat',
				senderName: customer.name,
				fromMe: false,
				author: customer.chatId,
				time: expect.any(Number),
				chatId: customer.chatId,
				messageNumber: 105,
			},
			delivery: null,
			notDelivered: 'No webhook URL is set.',
		});
		expect((await messagesAfter(104)).messages).toEqual([inbound.json.message]);
		expect(hooks).toHaveLength(0);
	});

	it('delivers an inbound message as a batch to the registered URL, query string kept', async () => {
		await setHook();
		const inbound = await control('POST', '/chatapi/inbound', {
			json: { phone: '34612345678', body: 'Hola', senderName: 'Lucía', time: 1760100000 },
		});
		expect(hooks).toEqual([
			{
				method: 'POST',
				url: '/webhook/chat?secret=s3cret&from=chatapi',
				headers: expect.objectContaining({ 'content-type': 'application/json' }),
				body: {
					messages: [
						{
							id: inbound.json.message.id,
							body: 'Hola',
							type: 'chat',
							senderName: 'Lucía',
							fromMe: false,
							author: '34612345678@c.us',
							time: 1760100000,
							chatId: '34612345678@c.us',
							messageNumber: 105,
						},
					],
				},
			},
		]);
		expect(inbound.json.delivery).toMatchObject({ url: hookUrl(), status: 200, response: { received: true }, error: null, body: hooks[0]!.body });
		expect(inbound.json.notDelivered).toBeNull();

		const log = (await control('GET', '/webhooks')).json;
		expect(log.count).toBe(1);
		expect(log.deliveries[0]).toMatchObject({ url: hookUrl(), status: 200, response: { received: true } });
		expect(JSON.stringify(log)).not.toContain(TOKEN);
	});

	it('reports the receiver status, e.g. a 401 for a call without the secret', async () => {
		await setHook();
		const forged = await control('POST', '/chatapi/deliver', {
			json: { url: `${receiver.url}/webhook/chat`, batch: { messages: [{ id: 'forged', body: 'pay now' }] } },
		});
		expect(forged.json.delivery).toMatchObject({ status: 401, response: { error: 'forged' }, url: `${receiver.url}/webhook/chat` });

		await api('POST', '/webhook', { json: { webhookUrl: `${receiver.url}/hook?secret=wrong` } });
		const rejected = await control('POST', '/chatapi/inbound', { json: { phone: customer.phone, body: 'x' } });
		expect(rejected.json.delivery).toMatchObject({ status: 401, response: { error: 'forged' } });
	});

	it('delivers group messages with their author, media with a download URL, and what the owner typed on the phone', async () => {
		await setHook();
		const fromGroup = await control('POST', '/chatapi/inbound', {
			json: { chatId: group.chatId, author: groupMember.chatId, body: 'Thanks!' },
		});
		expect(fromGroup.json.message).toMatchObject({ chatId: group.chatId, author: groupMember.chatId, senderName: groupMember.name, fromMe: false });
		expect(fromGroup.json.message.id).toMatch(new RegExp(`_${groupMember.phone}@c\\.us$`));

		const photo = fakeFile('jpg', 64);
		const media = await control('POST', '/chatapi/inbound', {
			json: { phone: customer.phone, type: 'image', body: `data:image/jpeg;base64,${photo.toString('base64')}`, caption: 'My receipt' },
		});
		expect(media.json.message).toMatchObject({ type: 'image', body: `${chatapi().apiUrl}/files/2_file.jpeg` });
		expect(Buffer.from(await (await fetch(media.json.message.body)).arrayBuffer())).toEqual(photo);

		const voice = await control('POST', '/chatapi/inbound', {
			json: { phone: customer.phone, type: 'ptt', body: 'https://cdn.example.com/voice/123.oga' },
		});
		expect(voice.json.message.type).toBe('ptt');
		expect((await fetch(voice.json.message.body, { redirect: 'manual' })).headers.get('location')).toBe('https://cdn.example.com/voice/123.oga');

		const typed = await control('POST', '/chatapi/inbound', { json: { phone: customer.phone, body: 'Typed on the phone', fromMe: true } });
		expect(typed.json.message).toMatchObject({ fromMe: true, author: ME, senderName: CHAT_API_DEMO.name, chatId: customer.chatId });
		expect(hooks.map((hook) => hook.body.messages[0].messageNumber)).toEqual([105, 106, 107, 108]);

		const quiet = await control('POST', '/chatapi/inbound', { json: { phone: customer.phone, body: 'no hook', deliver: false } });
		expect(quiet.json).toMatchObject({ delivery: null, notDelivered: 'deliver: false' });
		expect(hooks).toHaveLength(4);
	});

	it('refuses inbound messages it cannot place', async () => {
		const cases: Array<[unknown, string]> = [
			[{ chatId: group.chatId, body: 'x' }, 'author (<digits>@c.us) is required for a group chat.'],
			[{ chatId: group.chatId, body: 'x', author: group.chatId }, 'author must be <digits>@c.us.'],
			[{ phone: customer.phone, body: 'x', author: groupMember.chatId }, 'author is only for incoming group messages.'],
			[{ phone: customer.phone, type: 'image', body: 'a photo' }, 'body must be an http(s) URL or a data URI (data:<mime>;base64,<data>). (a image message carries a file)'],
			[{ body: 'x' }, 'phone or chatId is required.'],
			[{ phone: customer.phone, body: 'x', type: 'sticker' }, expect.stringContaining("Invalid enum value")],
		];
		for (const [json, message] of cases) {
			const refused = await control('POST', '/chatapi/inbound', { json });
			expect([refused.status, refused.json.error, refused.json.message]).toEqual([400, 'validation', message]);
		}
		expect(chatapi().state.messages).toHaveLength(5);
	});

	it('acks outgoing messages: statuses change always, the webhook only while ack notifications are on', async () => {
		await setHook();
		const first = (await send({ phone: customer.phone, body: 'one' })).json;
		const second = (await send({ chatId: group.chatId, body: 'two' })).json;

		const silent = await control('POST', '/chatapi/ack', { json: { status: 'delivered' } });
		expect(silent.json).toEqual({
			acks: [
				{ id: first.id, queueNumber: first.queueNumber, chatId: customer.chatId, status: 'delivered' },
				{ id: second.id, queueNumber: second.queueNumber, chatId: group.chatId, status: 'delivered' },
			],
			delivery: null,
			notDelivered: 'Ack notifications are off (POST /settings/ackNotificationsOn).',
		});
		expect(hooks).toHaveLength(0);
		expect((await api('GET', '/showMessagesQueue')).json.totalMessages).toBe(0);
		expect(stored(first.id).status).toBe('delivered');

		await api('POST', '/settings/ackNotificationsOn', { json: { ackNotificationsOn: 1 } });
		const viewed = await control('POST', '/chatapi/ack', { json: { messageIds: [first.id], status: 'viewed' } });
		expect(viewed.json.delivery).toMatchObject({ status: 200 });
		expect(hooks.map((hook) => [hook.url, hook.body])).toEqual([
			[
				'/webhook/chat?secret=s3cret&from=chatapi',
				{ ack: [{ id: first.id, queueNumber: first.queueNumber, chatId: customer.chatId, status: 'viewed' }] },
			],
		]);

		// By default only messages not yet at that status; nothing left → nothing sent.
		const rest = await control('POST', '/chatapi/ack', { json: { status: 'viewed' } });
		expect(rest.json.acks.map((ack: { id: string }) => ack.id)).toEqual([second.id]);
		const none = await control('POST', '/chatapi/ack', { json: { status: 'viewed' } });
		expect(none.json).toEqual({ acks: [], delivery: null, notDelivered: 'No message to acknowledge.' });
		expect(hooks).toHaveLength(2);

		await api('POST', '/settings/ackNotificationsOn', { json: { ackNotificationsOn: 0 } });
		await send({ phone: customer.phone, body: 'three' });
		expect((await control('POST', '/chatapi/ack', { json: { status: 'delivered' } })).json.delivery).toBeNull();
		expect(hooks).toHaveLength(2);
	});

	it('refuses acks for unknown, incoming or cleared messages', async () => {
		const unknown = await control('POST', '/chatapi/ack', { json: { messageIds: ['nope'], status: 'delivered' } });
		expect([unknown.status, unknown.json.message]).toEqual([404, 'No message with id nope.']);
		const incoming = chatapi().state.messages[0]!.id;
		const refused = await control('POST', '/chatapi/ack', { json: { messageIds: [incoming], status: 'delivered' } });
		expect([refused.status, refused.json.message]).toEqual([400, `Message ${incoming} is incoming: only outgoing messages get acks.`]);
		const sent = (await send({ phone: customer.phone, body: 'x' })).json;
		await api('GET', '/clearMessagesQueue');
		const cleared = await control('POST', '/chatapi/ack', { json: { messageIds: [sent.id], status: 'delivered' } });
		expect(cleared.status).toBe(400);
		expect((await control('POST', '/chatapi/ack', { json: { status: 'read' } })).status).toBe(400);
	});

	it('delivers any batch, messages and acks together, and re-delivers the previous batch', async () => {
		await setHook();
		const sent = (await send({ phone: customer.phone, body: 'Order confirmed' })).json;
		const incoming = chatapi().state.messages[0]!;
		const both = await control('POST', '/chatapi/deliver', {
			json: { messageIds: [incoming.id, sent.id], acks: [{ id: sent.id, status: 'delivered' }, { id: sent.id, status: 'viewed' }] },
		});
		expect(both.status).toBe(200);
		expect(hooks[0]!.body).toEqual({
			messages: [
				expect.objectContaining({ id: incoming.id, fromMe: false, messageNumber: 100 }),
				expect.objectContaining({ id: sent.id, fromMe: true, messageNumber: 105 }),
			],
			ack: [
				{ id: sent.id, queueNumber: sent.queueNumber, chatId: customer.chatId, status: 'delivered' },
				{ id: sent.id, queueNumber: sent.queueNumber, chatId: customer.chatId, status: 'viewed' },
			],
		});
		expect(stored(sent.id).status).toBe('viewed');

		const again = await control('POST', '/chatapi/deliver', { json: { repeat: true } });
		expect(again.json.delivery).toMatchObject({ status: 200, body: hooks[0]!.body });
		expect(hooks[1]).toEqual({ ...hooks[0], headers: expect.any(Object) });

		const custom = { messages: [{ id: 'x', body: 'odd', extra: true }], ack: [] };
		await control('POST', '/chatapi/deliver', { json: { batch: custom } });
		expect(hooks[2]!.body).toEqual(custom);
		expect(hooks.map((hook) => hook.url)).toEqual(Array(3).fill('/webhook/chat?secret=s3cret&from=chatapi'));
	});

	it('refuses deliveries it cannot make', async () => {
		expect((await control('POST', '/chatapi/deliver', { json: { repeat: true } })).status).toBe(409);
		const noHook = await control('POST', '/chatapi/deliver', { json: { batch: { messages: [] } } });
		expect([noHook.status, noHook.json.message]).toEqual([409, 'No webhook URL is set: set one or give url.']);
		const twoModes = await control('POST', '/chatapi/deliver', { json: { batch: {}, repeat: true } });
		expect([twoModes.status, twoModes.json.message]).toEqual([400, 'Give exactly one of batch, messageIds/acks or repeat: true.']);
		expect((await control('POST', '/chatapi/deliver', { json: { messageIds: ['nope'], url: receiver.url } })).status).toBe(404);
		expect(hooks).toHaveLength(0);
	});
});

describe('faults', () => {
	it('429 with Retry-After in the error shape, then normal service', async () => {
		chatapi().injectFault(SEND, { kind: 'rate-limit', retryAfter: 7 });
		const limited = await send({ phone: customer.phone, body: 'x' });
		expect([limited.status, limited.headers.get('retry-after'), limited.json]).toEqual([
			429,
			'7',
			{ error: 'Too many requests. Please retry after 7 seconds.' },
		]);
		expect((await send({ phone: customer.phone, body: 'x' })).status).toBe(200);
		expect(chatapi().counts()[SEND]).toEqual({ received: 2, accepted: 1 });
		expect(chatapi().state.messages).toHaveLength(6);
		expect(chatapi().received(SEND).map((request) => request.query)).toEqual([{ token: '[redacted]' }, { token: '[redacted]' }]);
	});

	it('5xx on GET routes, binary ones too', async () => {
		chatapi().injectFault(`GET ${BASE}/status`, { kind: 'server-error', status: 503 });
		const down = await api('GET', '/status');
		expect([down.status, down.json]).toEqual([503, { error: 'Server Error' }]);
		chatapi().injectFault(`GET ${BASE}/qr_code`, { kind: 'server-error' });
		expect((await api('GET', '/qr_code')).status).toBe(500);
		expect((await api('GET', '/qr_code')).headers.get('content-type')).toBe('image/png');
	});

	it('a reset after receiving: the message was queued, a client must not resend', async () => {
		chatapi().injectFault(SEND, { kind: 'reset-after-receive' });
		await expect(send({ phone: customer.phone, body: 'once' })).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } });
		expect(chatapi().accepted(SEND)).toHaveLength(1);
		expect((await api('GET', '/showMessagesQueue')).json.first100.map((entry: { body: string }) => entry.body)).toEqual(['once']);
	});

	it('a reset before receiving: nothing queued', async () => {
		chatapi().injectFault(`POST ${BASE}/sendFile`, { kind: 'reset-before' });
		await expect(api('POST', '/sendFile', { json: { phone: customer.phone, body: 'https://e.com/a.pdf', filename: 'a.pdf' } })).rejects.toThrow();
		expect(chatapi().state.messages).toHaveLength(5);
	});

	it('slow and malformed replies to processed requests', async () => {
		chatapi().injectFault(`GET ${BASE}/messages`, { kind: 'malformed' });
		const broken = await api('GET', '/messages');
		expect(broken.status).toBe(200);
		expect(() => JSON.parse(broken.text)).toThrow();
		expect(broken.text.startsWith('{"messages":[')).toBe(true);

		chatapi().injectFault(`POST ${BASE}/group`, { kind: 'slow', delayMs: 2_000 });
		await expect(
			api('POST', '/group', { json: { groupName: 'Slow', phones: ['17472822486'] }, signal: AbortSignal.timeout(150) }),
		).rejects.toThrow();
		expect(chatapi().state.groups).toHaveLength(2);
	});
});

describe('control API', () => {
	it('lists its routes and shows state without file bytes', async () => {
		const described = (await control('GET', '')).json;
		expect(described).toMatchObject({ simulator: 'chatapi', apiUrl: `${chatapi().url}${BASE}` });
		expect(described.routes).toEqual(expect.arrayContaining([SEND, `GET ${BASE}/messages`, `POST ${BASE}/webhook`, `GET ${BASE}/qr_code`]));
		expect(described.control).toEqual(
			expect.arrayContaining(
				['POST inbound', 'POST ack', 'POST deliver', 'POST authenticate', 'POST logout', 'PUT account-status', 'POST flush-queue'].map((entry) =>
					entry.replace(' ', ' /__sandbox/chatapi/'),
				),
			),
		);
		const state = (await control('GET', '/state')).json;
		expect(state).toMatchObject({
			instanceId: CHAT_API_DEMO.instanceId,
			accountStatus: 'got qr code',
			ackNotificationsOn: false,
			webhookUrl: '',
			lastMessageNumber: 104,
			files: { '1_photo.png': { filename: 'photo.png', contentType: 'image/png', size: expect.any(Number) } },
		});
		expect(state.messages).toHaveLength(5);
	});

	it('resets to the seed', async () => {
		await send({ phone: customer.phone, body: 'x' });
		await api('POST', '/webhook', { json: { webhookUrl: 'https://example.com/h' } });
		await control('POST', '/reset', { json: {} });
		const state: ChatApiState = (await control('GET', '/state')).json;
		expect([state.messages.length, state.webhookUrl, state.lastQueueNumber]).toEqual([5, '', 2]);
	});
});

describe('startSandbox', () => {
	it('runs Chat API on port 5705 unless told otherwise', () => {
		expect(portsFrom([], {}).chatapi).toBe(5705);
		expect(portsFrom(['--chatapi=6005'], {}).chatapi).toBe(6005);
		expect(portsFrom([], { SANDBOX_CHATAPI_PORT: '6006' }).chatapi).toBe(6006);
		expect(sandbox().servers.map((server) => server.name)).toContain('chatapi');
		expect(sandbox().chatapi.apiUrl).toBe(`http://127.0.0.1:${sandbox().chatapi.port}/instance12345`);
	});
});

import type { INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ChatApiApi } from '../../credentials/ChatApiApi.credentials';
import { MesigicApi } from '../../credentials/MesigicApi.credentials';
import { chatApiErrorOf, normalizeAck, normalizeMessage } from '../../nodes/ChatApi/api';
import { ChatApi } from '../../nodes/ChatApi/ChatApi.node';
import { chatApiOperations } from '../../nodes/ChatApi/operations';
import { messagePages } from '../../nodes/ChatApi/operations/message';
import { mesigic, mesigicErrorOf, MESIGIC_SUCCESS } from '../../nodes/Mesigic/api';
import { Mesigic } from '../../nodes/Mesigic/Mesigic.node';
import { mesigicOperations } from '../../nodes/Mesigic/operations';
import { NODE_WIDE_PROPERTIES } from '../../nodes/shared/describe';
import { Redactor } from '../../nodes/shared/errors';
import { RATE_HEADROOM, retryAfterMs, Throttle } from '../../nodes/shared/http';
import { encodeMultipart, formFields } from '../../nodes/shared/multipart';
import { isoTime } from '../../nodes/shared/normalized';
import { findRecords, numberedPages, wholeList } from '../../nodes/shared/pagination';
import { checkEntries, contentHash, markOf, parsePayload, sameSecret, withQuery } from '../../nodes/shared/webhook';
import { z } from 'zod';

const actionNodes = [
	{ node: new Mesigic(), operations: mesigicOperations },
	{ node: new ChatApi(), operations: chatApiOperations },
];

describe.each(actionNodes)('description of $node.description.displayName', ({ node, operations }) => {
	const { properties } = node.description;

	it('has unique resource + operation values, each with a request', () => {
		const keys = operations.map((operation) => `${operation.resource}:${operation.value}`);
		expect(new Set(keys).size).toBe(keys.length);
		for (const operation of operations) expect(typeof operation.request).toBe('function');
	});

	it('offers every operation in its resource dropdown, sorted by name', () => {
		for (const resource of new Set(operations.map((operation) => operation.resource))) {
			const selector = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource));
			const offered = (selector?.options ?? []).map((option) => (option as { value: string }).value);
			expect(offered.sort()).toEqual(operations.filter((o) => o.resource === resource).map((o) => o.value).sort());
			const names = (selector?.options ?? []).map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('shows every field for exactly one existing operation', () => {
		const fields = properties.filter((p) => !NODE_WIDE_PROPERTIES.includes(p.name));
		for (const field of fields) {
			const show = field.displayOptions?.show ?? {};
			expect(show.resource).toHaveLength(1);
			expect(show.operation).toHaveLength(1);
			expect(operations.some((o) => o.resource === show.resource![0] && o.value === show.operation![0])).toBe(true);
		}
	});

	it('never shows two fields of one name for the same operation', () => {
		const seen = new Set<string>();
		const visibleWhen = (field: INodeProperties) => JSON.stringify(field.displayOptions);
		for (const field of properties) {
			const key = `${field.name}|${visibleWhen(field)}`;
			expect(seen.has(key)).toBe(false);
			seen.add(key);
		}
	});

	it('gives Return All and Limit to every list operation', () => {
		for (const operation of operations.filter((o) => o.pages)) {
			const own = properties.filter((p) => p.displayOptions?.show?.operation?.[0] === operation.value && p.displayOptions?.show?.resource?.[0] === operation.resource);
			expect(own.map((p) => p.name)).toEqual(expect.arrayContaining(['returnAll', 'limit']));
		}
	});

	it('is usable as an AI tool, has a subtitle and themed icons', () => {
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.subtitle).toBeTruthy();
		const icon = node.description.icon as { light: string; dark: string };
		expect(icon.light).not.toEqual(icon.dark);
	});
});

describe('Mesigic error extraction', () => {
	it('shows every message of an error envelope', () => {
		const error = mesigicErrorOf(401, {
			remark: 'Unauthorized',
			status: 'error',
			message: ['Access to this API endpoint is restricted to IP addresses that have been explicitly whitelisted.', 'In order to access this API endpoint, please add your IP address (::1) to the white list from the user dashboard.'],
		});
		expect(error?.message).toContain('explicitly whitelisted');
		expect(error?.message).toContain('(::1)');
		expect(error?.description).toMatch(/^• Access/);
		expect(mesigic.hint!(error!, 401)).toMatch(/IP Whitelist/);
	});

	it('treats status "error" inside an HTTP 200 as a failure', () => {
		expect(mesigicErrorOf(200, { status: 'error', remark: 'validation_error', message: ['The mobile field is required.'] })?.message).toBe('The mobile field is required.');
	});

	it('reads Laravel-style message objects', () => {
		expect(mesigicErrorOf(422, { status: 'error', message: { mobile: ['The mobile field is required.'], firstname: ['The firstname field is required.'] } })?.message).toBe(
			'The mobile field is required. The firstname field is required.',
		);
	});

	it('leaves an answer that is not JSON to the success check of the core', () => {
		expect(mesigicErrorOf(200, '<html>oops')).toBeUndefined();
		expect(MESIGIC_SUCCESS.safeParse('<html>oops').success).toBe(false);
	});

	it('passes a success envelope', () => {
		expect(mesigicErrorOf(200, { status: 'success', remark: 'contact_list', message: ['ok'], data: {} })).toBeUndefined();
	});

	it('tells the user what to check on a 401', () => {
		expect(mesigic.hint!({ message: 'Invalid client credentials' }, 401)).toMatch(/Client ID and Client Secret/);
	});
});

describe('Redactor', () => {
	const redactor = new Redactor({ ...mesigic, secretFields: ['clientSecret', 'token'] }, { clientId: 'public-id', clientSecret: 's3cr3t/+value', token: 'tok-12345' });

	it('removes secrets, plain and URL-encoded, from nested values', () => {
		const out = redactor.value({ message: 'failed for s3cr3t/+value', url: 'https://x/?token=tok-12345&s=s3cr3t%2F%2Bvalue', list: ['tok-12345'], n: 5 });
		expect(JSON.stringify(out)).not.toMatch(/s3cr3t|tok-12345/);
		expect(out.n).toBe(5);
		expect(out.message).toBe('failed for [redacted]');
	});

	it('leaves non-secret fields alone', () => {
		expect(redactor.text('client public-id')).toBe('client public-id');
	});

	it('hides more values in a copy for one call, and from then on once added', () => {
		const local = new Redactor({ ...mesigic, secretFields: ['token'] }, { token: 'tok-12345' });
		const call = local.with(['one-call-secret', 'abc']);
		expect(call.text('tok-12345 one-call-secret abc')).toBe('[redacted] [redacted] abc');
		expect(local.text('one-call-secret')).toBe('one-call-secret');
		local.add(['other-app-key', undefined, 42]);
		expect(local.text('other-app-key/tok-12345')).toBe('[redacted]/[redacted]');
		expect(local.with([]).text('other-app-key')).toBe('[redacted]');
	});
});

describe('HTTP policy helpers', () => {
	it('reads Retry-After as seconds or as a date', () => {
		expect(retryAfterMs('3')).toBe(3000);
		expect(retryAfterMs(['1.5'])).toBe(1500);
		expect(retryAfterMs('Thu, 01 Jan 2099 00:00:10 GMT', Date.parse('Thu, 01 Jan 2099 00:00:00 GMT'))).toBe(10_000);
		expect(retryAfterMs('soon')).toBeUndefined();
		expect(retryAfterMs(undefined)).toBeUndefined();
	});

	/** Starts of `count` calls through a Throttle of `perMinute` on a fake clock whose timers fire `lateMs(i)` late. */
	async function throttledStarts(perMinute: number, count: number, lateMs: (call: number) => number = () => 0): Promise<number[]> {
		let now = 0;
		const starts: number[] = [];
		const throttle = new Throttle(perMinute, () => now, async (ms) => {
			now += ms + lateMs(starts.length);
		});
		for (let i = 0; i < count; i++) {
			await throttle.slot();
			starts.push(now);
		}
		return starts;
	}

	/** The most starts within any window of `windowMs`. */
	const busiest = (starts: number[], windowMs: number) => Math.max(...starts.map((start) => starts.filter((t) => t >= start && t < start + windowMs).length));

	it('spaces calls evenly, a little under the limit, so no minute holds more than it allows', async () => {
		const starts = await throttledStarts(120, 300);
		expect(busiest(starts, 60_000)).toBeLessThanOrEqual(120);
		expect(starts[299]).toBeCloseTo((299 * 500) / RATE_HEADROOM, 6);
	});

	it('makes up for timers that fire late, by no more than the headroom: never two starts closer than the limit, no window over it', async () => {
		// 120 a minute = 500 ms apart at the limit, a little more aimed at; timers 0–30 ms late, as on a busy machine.
		const late = [3, 0, 9, 1, 30, 0, 2, 7, 0, 12];
		const starts = await throttledStarts(120, 400, (call) => late[call % late.length]!);
		const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
		for (const windowMs of [1_000, 2_000, 10_000, 60_000]) expect(busiest(starts, windowMs)).toBeLessThanOrEqual((120 * windowMs) / 60_000);
		// Lateness up to the headroom costs nothing; only what is above it slows the pace.
		const lostPerCall = late.reduce((sum, ms) => sum + Math.max(0, ms - (500 / RATE_HEADROOM - 500)), 0) / late.length;
		expect(starts[399]! / 399).toBeLessThanOrEqual(500 / RATE_HEADROOM + lostPerCall + 0.1);
	});

	it('learns how late timers fire and asks to be woken earlier, keeping the pace aimed at, never closer than the limit', async () => {
		// 1,200 a minute: 50 ms apart at the limit, ~51.5 aimed at; timers always 2.5 ms late, more than
		// the headroom of ~1.5 ms alone makes up for.
		const perMinute = 1_200;
		const aimedMs = 50 / RATE_HEADROOM;
		const starts = await throttledStarts(perMinute, 400, () => 2.5);
		const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
		for (const windowMs of [100, 1_000, 60_000]) expect(busiest(starts, windowMs)).toBeLessThanOrEqual((perMinute * windowMs) / 60_000);
		// Without learning, each start would lose the ~1 ms the headroom does not cover.
		const pace = (starts[399]! - starts[100]!) / 299;
		expect(pace).toBeLessThan(aimedMs + 0.2);
	});

	it('does not make up for a pause: after a slow stretch the calls go on at the pace, not in a burst', async () => {
		const starts = await throttledStarts(600, 60, (call) => (call === 10 ? 5_000 : 0));
		const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
		expect(busiest(starts, 1_000)).toBeLessThanOrEqual(10);
	});
});

describe('multipart encoding', () => {
	it('round-trips fields and files through a standard parser', async () => {
		const file = { data: Buffer.from([0, 1, 2, 255]), fileName: 'a "quoted".png', mimeType: 'image/png' };
		const { body, contentType } = encodeMultipart([...formFields({ mobile_code: '880', mobile: '1988123456', empty: '', none: undefined }), { field: 'image', file }]);
		const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
		expect(form.get('mobile_code')).toBe('880');
		expect(form.has('empty')).toBe(false);
		expect(form.has('none')).toBe(false);
		const image = form.get('image') as File;
		expect(image.type).toBe('image/png');
		expect(Buffer.from(await image.arrayBuffer())).toEqual(file.data);
	});
});

describe('paging', () => {
	const pages = numberedPages({ pageParam: 'page', sizeParam: 'paginate', maxPageSize: 100 });

	it('follows a Laravel paginator to its last page', () => {
		const page = (current: number, last: number) => ({ contacts: { current_page: current, last_page: last, data: [{ id: current }] } });
		expect(pages.read(page(1, 3), 1, 1)).toEqual({ records: [{ id: 1 }], next: 2 });
		expect(pages.read(page(3, 3), 3, 1).next).toBeUndefined();
	});

	it('falls back to a short page when there is no paginator', () => {
		expect(pages.read([{ id: 1 }], 1, 2).next).toBeUndefined();
		expect(pages.read([{ id: 1 }, { id: 2 }], 1, 2).next).toBe(2);
	});

	it('asks for the page and its size', () => {
		expect(pages.request({ method: 'GET', path: 'contact/list', query: { search: 'a' } }, 2, 20).query).toEqual({ search: 'a', page: 2, paginate: 20 });
	});

	it('finds the list inside an answer', () => {
		expect(findRecords({ templates: [{ id: 1 }] }).records).toEqual([{ id: 1 }]);
		expect(wholeList.read({ templates: [{ id: 1 }, { id: 2 }] }, 1, 1).records).toHaveLength(2);
	});
});

describe('Mesigic credential', () => {
	const credential = new MesigicApi();
	it('keeps the secret hidden and authenticates with both headers', async () => {
		expect(credential.properties.find((p) => p.name === 'clientSecret')?.typeOptions?.password).toBe(true);
		const request = await credential.authenticate({ clientId: 'id-1', clientSecret: 'secret-1' }, { url: '/', headers: { Accept: 'application/json' } });
		expect(request.headers).toEqual({ Accept: 'application/json', 'client-id': 'id-1', 'client-secret': 'secret-1' });
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://mesigic.com/external-api');
	});
});

describe('Chat API', () => {
	it('reads its error shapes', () => {
		expect(chatApiErrorOf(401, { error: 'Wrong token. Please provide token as a GET parameter.' })?.message).toMatch(/^Wrong token/);
		expect(chatApiErrorOf(200, { sent: false, message: 'Phone is not registered' })?.message).toBe('Phone is not registered');
		expect(chatApiErrorOf(200, { sent: true, message: 'ok' })).toBeUndefined();
		expect(chatApiErrorOf(502, '<html>')?.message).toBe('HTTP 502');
	});

	it('keeps the token in the query, hidden', async () => {
		const credential = new ChatApiApi();
		expect((await credential.authenticate({ token: 'tok-1' }, { url: '/', qs: { page: 2 } })).qs).toEqual({ page: 2, token: 'tok-1' });
		expect(credential.properties.find((p) => p.name === 'token')?.typeOptions?.password).toBe(true);
	});

	it('normalizes an incoming text, a voice note and an ack', () => {
		const text = normalizeMessage({ id: 'false_17472822486@c.us_ABC', body: 'Ok!', type: 'chat', senderName: 'Ilya', fromMe: false, author: '17472822486@c.us', time: 1504208593, chatId: '17472822486@c.us', messageNumber: 100 });
		expect(text).toMatchObject({ provider: 'chatApi', event: 'message.received', messageId: 'false_17472822486@c.us_ABC', from: '+17472822486', to: null, fromMe: false, type: 'text', text: 'Ok!', media: null, timestamp: '2017-08-31T19:43:13.000Z' });
		const voice = normalizeMessage({ id: 'x', body: 'https://files/voice.ogg', type: 'ptt', fromMe: true, time: 1504208593, chatId: '79680565372@c.us' });
		expect(voice).toMatchObject({ event: 'message.sent', type: 'voice', text: null, media: { url: 'https://files/voice.ogg' }, to: '+79680565372', from: null });
		expect(normalizeAck({ id: 'x', chatId: '79680565372@c.us', status: 'viewed', queueNumber: 100 })).toMatchObject({ event: 'message.viewed', messageId: 'x', type: 'system' });
	});

	it('pages messages by message number, and reads the last 100 once', () => {
		const spec = { method: 'GET' as const, path: 'messages', query: { lastMessageNumber: 5 } };
		const first = messagePages.first(spec);
		expect(messagePages.request(spec, first, 100).query).toEqual({ lastMessageNumber: 5 });
		const full = { messages: Array.from({ length: 100 }, (_, i) => ({ messageNumber: 6 + i })), lastMessageNumber: 105 };
		expect(messagePages.read(full, first, 100).next).toEqual({ after: 105, lastHundred: false });
		expect(messagePages.read({ messages: [{}], lastMessageNumber: 6 }, first, 100).next).toBeUndefined();
		const lastHundred = messagePages.first({ ...spec, query: { last: 1 } });
		expect(messagePages.read(full, lastHundred, 100).next).toBeUndefined();
	});
});

describe('webhook helpers', () => {
	it('compares secrets in constant time and refuses empty ones', () => {
		expect(sameSecret('abc123', 'abc123')).toBe(true);
		expect(sameSecret('abc123', 'abc124')).toBe(false);
		expect(sameSecret('abc123', 'abc1234')).toBe(false);
		expect(sameSecret('abc123', undefined)).toBe(false);
		expect(sameSecret(undefined, '')).toBe(false);
	});

	it('adds a query parameter and keeps the existing ones', () => {
		expect(withQuery('http://h/webhook/1/webhook?a=1', { n8nSecret: 's' })).toBe('http://h/webhook/1/webhook?a=1&n8nSecret=s');
	});

	it('marks an event by its identity, the same whenever it comes', () => {
		const first = markOf('message:m1', Date.UTC(2026, 0, 1));
		expect(first).toEqual({ keys: [expect.stringMatching(/^id:[0-9a-f]{16}$/)] });
		expect(markOf('message:m1', Date.UTC(2026, 5, 1))).toEqual(first);
		expect(markOf('message:m2').keys).not.toEqual(first.keys);
	});

	it('marks an event known by its content for ten to twenty minutes', () => {
		const t0 = Date.UTC(2026, 0, 1, 12, 0, 30);
		const content = { event: 'x', data: { a: 1 } };
		const shared = (later: number) => markOf({ content }, t0 + later).keys.some((key) => markOf({ content }, t0).keys.includes(key));
		expect(shared(0)).toBe(true);
		expect(shared(9 * 60_000)).toBe(true);
		expect(shared(19 * 60_000)).toBe(true);
		expect(shared(20 * 60_000)).toBe(false);
		expect(markOf({ content: { data: { a: 1 }, event: 'x' } }, t0)).toEqual(markOf({ content }, t0));
	});

	it('marks the state of a group so that another state of it makes the first new again', () => {
		const states = ['session.connected', 'session.disconnected'];
		const t0 = Date.UTC(2026, 0, 1);
		const connected = markOf({ group: 'session:s1', state: 'session.connected', otherStates: states }, t0);
		const disconnected = markOf({ group: 'session:s1', state: 'session.disconnected', otherStates: states }, t0);
		expect(connected.evicts).toEqual(disconnected.keys);
		expect(disconnected.evicts).toEqual(connected.keys);
		expect(markOf({ group: 'session:s2', state: 'session.connected', otherStates: states }, t0).keys).not.toEqual(connected.keys);
	});

	it('hashes content the same whatever the order of its keys', () => {
		expect(contentHash({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(contentHash({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
		expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: '1' }));
		expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
	});

	it('checks the entries of a batch one by one, each failure with its own path', () => {
		const entries = checkEntries(z.object({ id: z.string() }), [{ id: 'a' }, { id: 5 }, 'x'], (index) => `messages.${index}`);
		expect(entries).toEqual([
			{ value: { id: 'a' }, raw: { id: 'a' } },
			{ invalid: { validationError: 'messages.1.id: Expected string, received number', raw: { id: 5 } }, raw: { id: 5 } },
			{ invalid: { validationError: 'messages.2: Expected object, received string', raw: 'x' }, raw: 'x' },
		]);
	});

	it('passes a body that breaks the schema on, with what broke', () => {
		const result = parsePayload(z.object({ messages: z.array(z.object({ id: z.string() })) }), { messages: [{ id: 5 }] });
		expect(result).toEqual({ invalid: { validationError: 'messages.0.id: Expected string, received number', raw: { messages: [{ id: 5 }] } } });
	});

	it('turns unix seconds and milliseconds into ISO time', () => {
		expect(isoTime(1504208593)).toBe('2017-08-31T19:43:13.000Z');
		expect(isoTime(1504208593000)).toBe('2017-08-31T19:43:13.000Z');
		expect(isoTime('nope')).toBeNull();
	});
});

describe('secrets in every encoding', () => {
	const secret = "tok!*'()en +/é";
	const redactor = new Redactor({ ...mesigic, secretFields: ['clientSecret'] }, { clientSecret: secret });

	it.each([
		['as typed', secret],
		['encodeURIComponent', encodeURIComponent(secret)],
		['RFC 3986 percent-encoding', "tok%21%2A%27%28%29en%20%2B%2F%C3%A9"],
		['every byte percent-encoded, lower-case hex', [...Buffer.from(secret)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')],
		['form encoding with +', new URLSearchParams({ t: secret }).toString().slice(2)],
		['encodeURI', encodeURI(secret)],
		['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
		['base64', Buffer.from(secret).toString('base64')],
	])('removes the secret %s', (_form, encoded) => {
		expect(redactor.text(`GET /send?token=${encoded}&x=1`)).toBe('GET /send?token=[redacted]&x=1');
	});
});

describe('the Parallel Requests notice', () => {
	const properties = new Mesigic().description.properties;
	const notice = properties.find((property) => property.type === 'notice' && property.name === 'parallelNotice')!;
	const shown = (parallelRequests?: number) =>
		NodeHelpers.displayParameter({ resource: 'message', operation: 'send', requestOptions: parallelRequests === undefined ? {} : { parallelRequests } }, notice, null, null);

	it('shows only when more than one request runs at a time', () => {
		expect(shown()).toBe(false);
		expect(shown(1)).toBe(false);
		expect(shown(2)).toBe(true);
		expect(shown(20)).toBe(true);
	});
});

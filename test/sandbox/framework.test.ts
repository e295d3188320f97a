import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

import {
	SandboxServer,
	parseBody,
	parseFormFields,
	routeFor,
	selectorMatches,
	unauthorized,
	type Simulator,
	type UploadedFile,
} from '../../sandbox/framework';
import { until } from '../support/until';
import { call, useReceiver, useStarted } from './helpers';

interface NotesState {
	notes: Array<{ id: number; text: string }>;
	webhookUrl: string | null;
}

const route = routeFor<NotesState>();

/** A tiny JSON provider, shaped unlike Mesigic, to exercise the generic parts. */
const notesSimulator: Simulator<NotesState> = {
	name: 'notes',
	basePath: '/v1',
	initialState: () => ({ notes: [{ id: 1, text: 'seed' }], webhookUrl: null }),
	accepts: ['json', 'multipart'],
	secretHeaders: ['x-verify-token'],
	secretQuery: ['token'],
	authenticate: ({ query }) => {
		if (query.token !== 'secret') throw unauthorized('Wrong token');
	},
	errorBody: ({ kind, problems }) => ({ ok: false, errors: problems.map(({ field, message }) => ({ code: kind, field, description: message })) }),
	routes: [
		route({
			method: 'POST',
			path: '/v1/notes',
			body: z.object({ text: z.string().min(1), tags: z.array(z.string()).optional() }).strict(),
			handle: ({ body, state, server }) => {
				const note = { id: state.notes.length + 1, text: body.text };
				state.notes.push(note);
				if (state.webhookUrl) void server.deliverWebhook(state.webhookUrl, { event: 'note.created', note }, { headers: { 'x-verify-token': 'shh' } });
				return { status: 201, json: { ok: true, note } };
			},
		}),
		route({
			method: 'POST',
			path: '/v1/uploads',
			handle: ({ files, body }) => {
				const media = (files as Record<string, UploadedFile | UploadedFile[]>).media;
				const list = Array.isArray(media) ? media : media ? [media] : [];
				return { json: { body, names: list.map((file) => file.filename), sizes: list.map((file) => file.size) } };
			},
		}),
		route({
			method: 'GET',
			path: '/v1/logo.png',
			auth: false,
			handle: () => ({ body: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' }),
		}),
	],
	controlRoutes: [
		route({
			method: 'PUT',
			path: '/webhook',
			body: z.object({ url: z.string().url().nullable() }),
			handle: ({ body, state }) => {
				state.webhookUrl = body.url;
				return { json: { url: state.webhookUrl } };
			},
		}),
	],
};

describe('form parsing', () => {
	it('reads PHP bracket keys into nested fields', () => {
		expect(parseFormFields(new URLSearchParams('a=1&list[]=x&list[]=y&to[phone]=123&to[name]=Ann&rows[][n]=1&rows[][n]=2&a=2'))).toEqual({
			a: '2',
			list: ['x', 'y'],
			to: { phone: '123', name: 'Ann' },
			rows: [{ n: '1' }, { n: '2' }],
		});
		expect(parseFormFields(new URLSearchParams('__proto__[x]=1&ok=1'))).toEqual({ ok: '1' });
	});
});

describe('multipart parsing', () => {
	const twice = async () => {
		const form = new FormData();
		form.append('file', new Blob(['a']), 'a.txt');
		form.append('file', new Blob(['bb']), 'b.txt');
		const response = new Response(form);
		return { raw: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
	};

	it('keeps the last of a file field sent twice, as PHP does', async () => {
		const { raw, contentType } = await twice();
		const { files } = await parseBody(raw, contentType);
		expect(files.file).toMatchObject({ filename: 'b.txt', size: 2 });
	});

	it('keeps every one of them when asked, as Node servers do', async () => {
		const { raw, contentType } = await twice();
		const { files } = await parseBody(raw, contentType, { repeatedFiles: 'list' });
		expect(files.file).toEqual([expect.objectContaining({ filename: 'a.txt', size: 1 }), expect.objectContaining({ filename: 'b.txt', size: 2 })]);
	});
});

describe('route selectors', () => {
	const request = { method: 'POST', path: '/x/update/7', route: 'POST /x/update/:id' };
	it.each([
		['*', true],
		['POST /x/update/:id', true],
		['POST /x/update/7', true],
		['/x/update/:id', true],
		['GET /x/update/:id', false],
		['POST /x/update/8', false],
		['post /x/update/7', true],
	])('%s → %s', (selector, expected) => {
		expect(selectorMatches(selector, request)).toBe(expected);
	});
});

describe('SandboxServer with another provider shape', () => {
	const server = new SandboxServer(notesSimulator, { maxBodyBytes: 64 * 1024 });
	useStarted(() => server.start(), () => server.reset());
	const receiver = useReceiver({
		record: ({ headers, body }) => ({ headers, body }),
		answer: ({ url }) => ({ status: url === '/fail' ? 500 : 200, json: { received: true } }),
	});
	const { hooks } = receiver;

	const notes = (path: string, options: Parameters<typeof call>[2] = {}) => call('POST', `${server.apiUrl}${path}?token=secret`, options);

	it('validates JSON bodies with the simulator wording and default status 400', async () => {
		const created = await notes('/notes', { json: { text: 'hello' } });
		expect([created.status, created.json]).toEqual([201, { ok: true, note: { id: 2, text: 'hello' } }]);

		const invalid = await notes('/notes', { json: { text: '', colour: 'red' } });
		expect(invalid.status).toBe(400);
		expect(invalid.json).toEqual({
			ok: false,
			errors: [
				{ code: 'validation', field: 'text', description: 'String must contain at least 1 character(s)' },
				{ code: 'validation', description: "Unrecognized key(s) in object: 'colour'" },
			],
		});
	});

	it('answers broken JSON, refused formats and oversize bodies in the provider shape', async () => {
		const response = await fetch(`${server.apiUrl}/notes?token=secret`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"text": ',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ ok: false, errors: [{ code: 'bad_request', description: 'The request body is not valid JSON.' }] });
		expect(server.received('POST /v1/notes').at(-1)!.body).toBe('{"text": ');

		const urlencoded = await notes('/notes', { fields: { text: 'x' } });
		expect(urlencoded.status).toBe(415);

		const huge = await notes('/notes', { json: { text: 'x'.repeat(70 * 1024) } });
		expect(huge.status).toBe(413);
		expect(huge.json.errors[0].code).toBe('payload_too_large');
	});

	it('authenticates with the simulator hook and redacts secret query parameters', async () => {
		const refused = await call('POST', `${server.apiUrl}/notes?token=guess`, { json: { text: 'x' } });
		expect(refused.status).toBe(401);
		expect(refused.json).toEqual({ ok: false, errors: [{ code: 'unauthorized', description: 'Wrong token' }] });
		expect(server.received().map((request) => request.query)).toEqual([{ token: '[redacted]' }]);

		const logo = await fetch(`${server.apiUrl}/logo.png`);
		expect(logo.headers.get('content-type')).toBe('image/png');
		expect([...new Uint8Array(await logo.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47]);
	});

	it('keeps repeated multipart files as a list', async () => {
		const form = new FormData();
		form.append('caption', 'two');
		form.append('media[]', new Blob(['a']), 'a.txt');
		form.append('media[]', new Blob(['bb']), 'b.txt');
		const response = await fetch(`${server.apiUrl}/uploads?token=secret`, { method: 'POST', body: form });
		expect(await response.json()).toEqual({ body: { caption: 'two' }, names: ['a.txt', 'b.txt'], sizes: [1, 2] });
		expect(server.received('POST /v1/uploads').at(-1)!.files).toEqual([
			{ field: 'media', filename: 'a.txt', contentType: 'application/octet-stream', size: 1 },
			{ field: 'media', filename: 'b.txt', contentType: 'application/octet-stream', size: 2 },
		]);
	});

	it('delivers outbound webhooks with chosen headers and logs them, secrets redacted', async () => {
		await call('PUT', `${server.controlUrl}/notes/webhook`, { json: { url: `${receiver.url}/hook` } });
		await notes('/notes', { json: { text: 'ping' } });
		await until(() => (server.deliveries().some((delivery) => delivery.status !== null) ? true : undefined), { timeoutMs: 2_000, intervalMs: 10 });

		expect(hooks).toEqual([
			{
				headers: expect.objectContaining({ 'x-verify-token': 'shh', 'content-type': 'application/json' }),
				body: { event: 'note.created', note: { id: 2, text: 'ping' } },
			},
		]);
		expect(server.deliveries()).toEqual([
			expect.objectContaining({
				url: `${receiver.url}/hook`,
				method: 'POST',
				status: 200,
				response: { received: true },
				error: null,
				headers: expect.objectContaining({ 'x-verify-token': '[redacted]' }),
				body: { event: 'note.created', note: { id: 2, text: 'ping' } },
			}),
		]);
	});

	it('delivers through the control API and records unreachable receivers', async () => {
		const failed = await call('POST', `${server.controlUrl}/webhooks`, { json: { url: `${receiver.url}/fail`, body: { a: 1 } } });
		expect(failed.json).toMatchObject({ status: 500, error: null, body: { a: 1 } });

		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
		await new Promise((resolve) => closed.close(resolve));
		const unreachable = await server.deliverWebhook(deadUrl, { b: 2 }, { timeoutMs: 2_000 });
		expect(unreachable).toMatchObject({ status: null, error: expect.stringContaining('ECONNREFUSED') });

		const listed = await call('GET', `${server.controlUrl}/webhooks`);
		expect(listed.json.count).toBe(2);
	});

	it('refuses to start twice and reports its urls', async () => {
		await expect(server.start()).rejects.toThrow('already running');
		expect(server.apiUrl).toBe(`http://127.0.0.1:${server.port}/v1`);
		expect(server.controlUrl).toBe(`http://127.0.0.1:${server.port}/__sandbox`);
	});
});


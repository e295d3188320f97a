/**
 * Self-test of the in-process engine harness (test/support/engine.ts) with the plain-JS fixture
 * package in test/support/fixture-package, against a real node:http server on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import {
	INPUT_NODE_NAME,
	type LoadedPackage,
	loadPackage,
	pairedItems,
	runWorkflow,
	userFolder,
} from '../support/engine';

const FIXTURE_DIR = path.join(__dirname, '..', 'support', 'fixture-package');
const API_KEY = 'fixture-secret-key-123';

interface Received {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: unknown;
}

let server: Server;
let baseUrl: string;
let received: Received[] = [];
let events: Array<{ id: number; text: string }> = [];
let pkg: LoadedPackage;

function creds(extra: Record<string, string> = {}) {
	return { fixtureApi: { baseUrl, apiKey: API_KEY, account: 'acc-1', ...extra } };
}

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const raw = Buffer.concat(chunks).toString('utf8');
			const entry: Received = {
				method: req.method ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body: raw ? JSON.parse(raw) : undefined,
			};
			received.push(entry);
			const send = (status: number, body: unknown, type = 'application/json') => {
				res.writeHead(status, { 'content-type': type });
				res.end(type === 'application/json' ? JSON.stringify(body) : (body as string));
			};
			if (url.pathname === '/login') {
				const { username, password } = entry.body as { username: string; password: string };
				if (username === 'u' && password === 'p') send(200, { token: 'session-1' });
				else send(401, { message: 'bad login' });
				return;
			}
			const key = req.headers.authorization === 'Bearer session-1' ? API_KEY : req.headers['x-api-key'];
			if (key !== API_KEY && key !== 'suspended-key') {
				send(401, { message: 'bad key' });
				return;
			}
			if (url.pathname === '/me') {
				send(200, { status: key === 'suspended-key' ? 'suspended' : 'active' });
			} else if (url.pathname === '/messages' && req.method === 'POST') {
				const { phone } = entry.body as { phone: string };
				if (phone.endsWith('000')) send(400, { message: 'Recipient blocked' });
				else send(200, { id: `msg-${received.length}`, phone, account: entry.query.account });
			} else if (url.pathname === '/templates') {
				send(200, {
					templates: [
						{ id: 't1', name: 'Welcome', language: 'en' },
						{ id: 't2', name: 'Willkommen', language: 'de' },
					],
				});
			} else if (url.pathname === '/events') {
				const since = Number(entry.query.since);
				send(200, { events: events.filter((e) => e.id > since) });
			} else if (url.pathname === '/file') {
				send(200, 'hello binary world', 'text/plain');
			} else {
				send(404, { message: 'not found' });
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	pkg = await loadPackage(FIXTURE_DIR);
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	received = [];
});

describe('loadPackage', () => {
	it('loads node and credential types through PackageDirectoryLoader', () => {
		expect(pkg.packageName).toBe('n8n-nodes-harness-fixture');
		expect(pkg.nodeTypes.names()).toEqual(
			expect.arrayContaining([
				'n8n-nodes-harness-fixture.fixtureAction',
				'n8n-nodes-harness-fixture.fixturePoll',
				'n8n-nodes-harness-fixture.fixtureBinary',
				'harness.input',
			]),
		);
		expect(pkg.nodeType('fixtureAction')).toBe('n8n-nodes-harness-fixture.fixtureAction');
		expect(pkg.credentialTypes.getByName('fixtureApi').displayName).toBe('Fixture API');
		expect(pkg.credentialTypes.getSupportedNodes('fixtureApi')).toContain(
			'n8n-nodes-harness-fixture.fixtureAction',
		);
		// n8n's loader adds the polling interval parameter to polling nodes
		const poll = pkg.nodeTypes.getByNameAndVersion('n8n-nodes-harness-fixture.fixturePoll');
		expect(poll.description.properties.map((p) => p.name)).toContain('pollTimes');
		expect(userFolder).toContain('n8n-engine-harness-');
	});
});

describe('runWorkflow', () => {
	it('applies the generic authenticate (header + query) and pairs every item', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction', parameters: { text: 'hi' } }],
			credentials: creds(),
			inputJson: [{ phone: '+4915112345678' }, { phone: '4915112345679' }, { phone: '+12025550100' }],
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executionOrder).toEqual([INPUT_NODE_NAME, 'Fixture Action']);

		expect(received).toHaveLength(3);
		for (const r of received) {
			expect(r.method).toBe('POST');
			expect(r.path).toBe('/messages');
			expect(r.headers['x-api-key']).toBe(API_KEY);
			expect(r.query).toEqual({ account: 'acc-1' });
		}
		expect(received.map((r) => r.body)).toEqual([
			{ phone: '+4915112345678', text: 'hi' },
			{ phone: '4915112345679', text: 'hi' },
			{ phone: '+12025550100', text: 'hi' },
		]);

		const out = result.output();
		expect(out.map((i) => i.json.phone)).toEqual(['+4915112345678', '4915112345679', '+12025550100']);
		expect(out.map((i) => pairedItems(i))).toEqual([[{ item: 0 }], [{ item: 1 }], [{ item: 2 }]]);
		expect(result.output(INPUT_NODE_NAME)).toHaveLength(3);
		expect(result.outputs()).toHaveLength(1);
	});

	it('notices items returned without pairedItem even when the engine guesses one', async () => {
		const inputJson = [{ phone: '+4915112345678' }, { phone: '+4915112345679' }];
		const unpaired = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction', parameters: { pairItems: false } }],
			credentials: creds(),
			inputJson,
		});
		// WorkflowExecute filled pairedItem in (same number of items in and out)…
		expect(unpaired.output().map((i) => pairedItems(i))).toEqual([[{ item: 0 }], [{ item: 1 }]]);
		// …but the node did not set it
		expect(unpaired.unpairedItems()).toEqual([
			{ output: 0, index: 0 },
			{ output: 0, index: 1 },
		]);
		const paired = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction' }],
			credentials: creds(),
			inputJson,
		});
		expect(paired.unpairedItems()).toEqual([]);
	});

	it('adds credential defaults as n8n does (account not given → its default)', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction' }],
			credentials: { fixtureApi: { baseUrl, apiKey: API_KEY } },
			inputJson: [{ phone: '+4915112345678' }],
		});
		expect(result.error).toBeUndefined();
		expect(received[0].query).toEqual({ account: 'default-account' });
		// the default parameter expression ={{ $json.phone }} was resolved per item
		expect(received[0].body).toEqual({ phone: '+4915112345678', text: 'hello' });
	});

	it('feeds 100 items quickly', async () => {
		const phones = Array.from({ length: 100 }, (_, i) => ({ phone: `+49151${String(i).padStart(7, '0')}1` }));
		const result = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction' }],
			credentials: creds(),
			inputJson: phones,
		});
		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(100);
		expect(result.output()).toHaveLength(100);
		expect(result.output().every((item, i) => pairedItems(item)[0].item === i)).toBe(true);
		// ~0.2–0.5 s here for 100 sequential HTTP calls; the margin is for a loaded machine
		expect(result.durationMs).toBeLessThan(2000);
	});

	it('continueOnFail turns failures into error items while the other items go through', async () => {
		const inputJson = [
			{ phone: '+4915112345678' },
			{ phone: 'not-a-phone' },
			{ phone: '+4915112345000' }, // the server answers 400
			{ phone: '+4915112345679' },
		];
		for (const flags of [{ continueOnFail: true }, { onError: 'continueRegularOutput' as const }]) {
			received = [];
			const result = await pkg.runWorkflow({
				nodes: [{ type: 'fixtureAction', ...flags }],
				credentials: creds(),
				inputJson,
			});
			expect(result.error).toBeUndefined();
			const out = result.output();
			expect(out).toHaveLength(4);
			expect(out[0].json.id).toBeDefined();
			expect(out[1].json.error).toBe('Invalid phone number "not-a-phone"');
			expect(out[2].json.error).toBe('Bad request - please check your parameters');
			expect(out[3].json.id).toBeDefined();
			expect(out.map((i) => pairedItems(i)[0].item)).toEqual([0, 1, 2, 3]);
			expect(received).toHaveLength(3); // the invalid number never left the node
		}
	});

	it('without continueOnFail the node error is returned with message, description and item index', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction' }],
			credentials: creds(),
			inputJson: [{ phone: '+4915112345678' }, { phone: 'nope' }],
		});
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: 'Invalid phone number "nope"',
			description: 'Use digits only, optionally with a leading +',
			itemIndex: 1,
			node: 'Fixture Action',
		});
		expect(result.output()).toEqual([]);
	});

	it('reports API errors as NodeApiError with the HTTP code and keeps secrets out', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureAction' }],
			credentials: creds({ apiKey: 'wrong-key-456' }),
			inputJson: [{ phone: '+4915112345678' }],
		});
		expect(result.error).toMatchObject({
			message: expect.stringContaining('Authorization failed'),
			description: 'bad key',
			httpCode: '401',
			itemIndex: 0,
			node: 'Fixture Action',
		});
		expect(JSON.stringify(result.error?.raw)).not.toContain('wrong-key-456');
		const recorded = JSON.stringify(result.credentials.calls);
		expect(recorded).not.toContain('wrong-key-456');
		expect(result.credentials.calls).toContainEqual({
			method: 'authenticate',
			type: 'fixtureApi',
			node: 'Fixture Action',
		});
	});
});

describe('testCredential', () => {
	it('OK when the test request succeeds with the generic authenticate applied', async () => {
		await expect(pkg.testCredential({ type: 'fixtureApi', data: creds().fixtureApi })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({ method: 'GET', path: '/me', query: { account: 'acc-1' } });
		expect(received[0].headers['x-api-key']).toBe(API_KEY);
	});

	it('Error with the rule message on a matching response code', async () => {
		await expect(
			pkg.testCredential({ type: 'fixtureApi', data: creds({ apiKey: 'bad' }).fixtureApi }),
		).resolves.toEqual({ status: 'Error', message: 'The API key is not valid' });
	});

	it('Error from a responseSuccessBody rule', async () => {
		await expect(
			pkg.testCredential({ type: 'fixtureApi', data: creds({ apiKey: 'suspended-key' }).fixtureApi }),
		).resolves.toEqual({ status: 'Error', message: 'The account is suspended' });
	});

	it('runs preAuthentication (expirable token) before the test request', async () => {
		const result = await pkg.testCredential({
			type: 'fixtureTokenApi',
			data: { baseUrl, username: 'u', password: 'p' },
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(received.map((r) => r.path)).toEqual(['/login', '/me']);
		expect(received[1].headers.authorization).toBe('Bearer session-1');

		const bad = await pkg.testCredential({
			type: 'fixtureTokenApi',
			data: { baseUrl, username: 'u', password: 'wrong' },
		});
		expect(bad.status).toBe('Error');
	});

	it('Error with the network code when nothing listens', async () => {
		const result = await pkg.testCredential({
			type: 'fixtureApi',
			data: { baseUrl: 'http://127.0.0.1:9', apiKey: API_KEY },
		});
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('runPoll', () => {
	it('keeps the cursor in node static data between calls', async () => {
		events = [
			{ id: 1, text: 'a' },
			{ id: 2, text: 'b' },
		];
		const first = await pkg.runPoll({ node: { type: 'fixturePoll' }, credentials: creds() });
		expect(first.error).toBeUndefined();
		expect(first.items?.[0].map((i) => i.json.text)).toEqual(['a', 'b']);
		expect(first.nodeStaticData).toEqual({ cursor: 2 });
		expect(received[0].query).toEqual({ since: '0', limit: '50', account: 'acc-1' });
		expect(received[0].headers['x-api-key']).toBe(API_KEY);

		events.push({ id: 3, text: 'c' });
		const second = await pkg.runPoll({
			node: { type: 'fixturePoll' },
			credentials: creds(),
			staticData: first.staticData,
		});
		expect(received[1].query.since).toBe('2');
		expect(second.items?.[0].map((i) => i.json.text)).toEqual(['c']);
		expect(second.nodeStaticData).toEqual({ cursor: 3 });

		const third = await pkg.runPoll({
			node: { type: 'fixturePoll' },
			credentials: creds(),
			staticData: second.staticData,
		});
		expect(third.items).toBeNull();
		expect(third.staticData).toEqual(second.staticData);
	});

	it('runs in manual mode and reports errors', async () => {
		events = [{ id: 1, text: 'a' }];
		const manual = await pkg.runPoll({ node: { type: 'fixturePoll' }, credentials: creds(), mode: 'manual' });
		expect(manual.items?.[0]).toHaveLength(1);

		const failed = await pkg.runPoll({
			node: { type: 'fixturePoll' },
			credentials: creds({ apiKey: 'bad' }),
		});
		expect(failed.items).toBeNull();
		expect(failed.error?.httpCode).toBe('401');
		expect(failed.nodeStaticData).toEqual({});
	});
});

describe('loadOptions', () => {
	it('runs a loadOptions method with the current node parameters and credentials', async () => {
		const all = await pkg.loadOptions({
			nodeType: 'fixtureAction',
			method: 'getTemplates',
			credentials: creds(),
		});
		expect(all).toEqual([
			{ name: 'Welcome', value: 't1' },
			{ name: 'Willkommen', value: 't2' },
		]);
		const german = await pkg.loadOptions({
			nodeType: 'fixtureAction',
			method: 'getTemplates',
			credentials: creds(),
			parameters: { language: 'de' },
		});
		expect(german).toEqual([{ name: 'Willkommen', value: 't2' }]);
		expect(received[0].headers['x-api-key']).toBe(API_KEY);
	});
});

describe('binary data', () => {
	it('round-trips prepareBinaryData → getBinaryDataBuffer through the filesystem store', async () => {
		// the function API with explicit connections (Input → Download is added)
		const result = await runWorkflow({
			pkg,
			nodes: [
				{ type: 'n8n-nodes-harness-fixture.fixtureBinary', name: 'Download' },
				{ type: 'fixtureBinary', name: 'Measure', parameters: { mode: 'size' } },
			],
			connections: { Download: { main: [[{ node: 'Measure', type: 'main', index: 0 }]] } },
			credentials: creds(),
		});
		expect(result.executionOrder).toEqual([INPUT_NODE_NAME, 'Download', 'Measure']);
		expect(result.error).toBeUndefined();
		const [downloaded] = result.output('Download');
		expect(downloaded.binary?.data).toMatchObject({
			mimeType: 'text/plain',
			fileName: 'hello.txt',
			data: 'filesystem-v2',
		});
		expect(downloaded.binary?.data.id).toMatch(/^filesystem-v2:/);
		expect((await result.binary(downloaded)).toString()).toBe('hello binary world');
		expect(result.json('Measure')).toEqual([
			{ bytes: 18, mimeType: 'text/plain', fileName: 'hello.txt', text: 'hello binary world' },
		]);
	});

	it('feeds binary input items', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ type: 'fixtureBinary', parameters: { mode: 'size', binaryPropertyName: 'file' } }],
			credentials: creds(),
			inputItems: [
				{ json: { n: 1 }, binary: { file: { data: Buffer.from('abc'), fileName: 'a.txt', mimeType: 'text/plain' } } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([{ bytes: 3, mimeType: 'text/plain', fileName: 'a.txt', text: 'abc' }]);
	});
});

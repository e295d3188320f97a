/**
 * Self-test of the in-process engine harness (test/support/engine.ts) with the plain-JS fixture
 * package in test/support/fixture-package, against a real node:http server on 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import {
	INPUT_NODE_NAME,
	type LoadedPackage,
	activateWebhooks,
	callWebhook,
	deactivateWebhooks,
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
/** The fake provider's webhook registration (one callback URL per account). */
let provider: { url: string | null; events?: string[]; activation?: string } = { url: null };
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
			} else if (url.pathname === '/webhook-config' && req.method === 'GET') {
				send(200, { url: provider.url });
			} else if (url.pathname === '/webhook-config' && req.method === 'PUT') {
				provider = entry.body as typeof provider;
				send(200, { ok: true });
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
				'n8n-nodes-harness-fixture.fixtureWebhook',
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

	it('feeds 100 items, each paired with its input', async () => {
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

describe('webhook triggers', () => {
	const OLD_URL = 'https://old.example/hook';
	const trigger = { type: 'fixtureWebhook', parameters: { events: ['message', 'status'] } };
	const batch = {
		events: [
			{ type: 'message', id: 'e1', text: 'hi' },
			{ type: 'status', id: 'e2', status: 'read' },
			{ type: 'typing', id: 'e3' },
		],
	};

	beforeEach(() => {
		provider = { url: OLD_URL };
	});

	async function activate() {
		const active = await pkg.activateWebhooks({ node: trigger, credentials: creds() });
		expect(active.error).toBeUndefined();
		received = [];
		return active;
	}

	it('activation runs checkExists, then create, which registers our production URL', async () => {
		const active = await pkg.activateWebhooks({ node: trigger, credentials: creds() });
		expect(active.error).toBeUndefined();
		expect(active.webhookId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(active.webhookUrl).toBe(`http://127.0.0.1:5678/webhook/${active.webhookId}/webhook`);
		// both webhooks share the path; only 'default' has webhookMethods, so only it is registered
		expect(active.webhookUrls).toEqual({ setup: active.webhookUrl, default: active.webhookUrl });
		expect(active.created).toBe(true);
		expect(active.calls).toEqual([
			{ method: 'checkExists', webhookName: 'default', httpMethod: 'POST', result: false },
			{ method: 'create', webhookName: 'default', httpMethod: 'POST', result: true },
		]);

		// the provider got our URL (with the secret), through the credential's authentication
		expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /webhook-config', 'PUT /webhook-config']);
		expect(received[1].headers['x-api-key']).toBe(API_KEY);
		expect(received[1].query).toEqual({ account: 'acc-1' });
		const registered = new URL(provider.url!);
		expect(`${registered.origin}${registered.pathname}`).toBe(active.webhookUrl);
		expect(registered.searchParams.get('secret')).toMatch(/^[0-9a-f]{32}$/);
		expect(provider).toMatchObject({ events: ['message', 'status'], activation: 'activate' });

		// the secret and the previous URL are in the node's static data, saved by n8n
		expect(active.nodeStaticData).toEqual({
			previousUrl: OLD_URL,
			secret: registered.searchParams.get('secret'),
			registeredUrl: provider.url,
		});
		expect(active.staticData).toEqual({ 'node:Fixture Webhook Trigger': active.nodeStaticData });
	});

	it('a second activation finds the registration and does not create it again', async () => {
		const first = await activate();
		const registeredUrl = provider.url;
		const again = await pkg.activateWebhooks({
			node: trigger,
			credentials: creds(),
			staticData: first.staticData,
			activation: 'init', // n8n starting up with the workflow published
		});
		expect(again.error).toBeUndefined();
		expect(again.created).toBe(false);
		expect(again.calls).toEqual([{ method: 'checkExists', webhookName: 'default', httpMethod: 'POST', result: true }]);
		expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /webhook-config']);
		expect(provider.url).toBe(registeredUrl);
		expect(again.webhookUrl).toBe(first.webhookUrl); // same spec, same derived webhookId
		expect(again.staticData).toEqual(first.staticData);

		// someone else took the account's URL meanwhile: checkExists says no, create registers again
		provider = { url: 'https://someone-else.example/hook' };
		const retaken = await pkg.activateWebhooks({ node: trigger, credentials: creds(), staticData: first.staticData });
		expect(retaken.created).toBe(true);
		expect(retaken.nodeStaticData.previousUrl).toBe('https://someone-else.example/hook');
	});

	it('builds the URL from the node webhookId and the instance URL', async () => {
		const active = await activateWebhooks({
			pkg,
			node: { ...trigger, webhookId: 'b3c1d2e4-0000-4000-8000-000000000001', name: 'Inbound' },
			credentials: creds(),
			webhookBaseUrl: 'https://n8n.example.com/',
		});
		expect(active.webhookUrl).toBe('https://n8n.example.com/webhook/b3c1d2e4-0000-4000-8000-000000000001/webhook');
		expect(provider.url).toContain(`${active.webhookUrl}?secret=`);
		expect(Object.keys(active.staticData)).toEqual(['node:Inbound']);
	});

	it('a call with the right secret splits the batch into items', async () => {
		const active = await activate();
		const secret = active.nodeStaticData.secret as string;
		const call = await pkg.callWebhook({
			node: trigger,
			credentials: creds(),
			staticData: active.staticData,
			request: { query: { secret }, headers: { 'X-Delivery-Id': 'd-1' }, body: batch },
		});
		expect(call.error).toBeUndefined();
		expect(call.response).toBeUndefined(); // the node left answering to n8n
		expect(call.noWebhookResponse).toBe(false);
		expect(call.workflowData).toHaveLength(1);
		const path = `/webhook/${active.webhookId}/webhook`;
		const seen = { deliveryId: 'd-1', webhook: 'default', path, params: {}, webhookUrl: active.webhookUrl };
		expect(call.workflowData?.[0].map((item) => item.json)).toEqual([
			{ type: 'message', id: 'e1', text: 'hi', ...seen },
			{ type: 'status', id: 'e2', status: 'read', ...seen },
		]);
		expect(call.webhookUrl).toBe(active.webhookUrl);

		// what the node saw: lower-cased headers, parsed query and body, the raw bytes
		expect(call.request.method).toBe('POST');
		expect(call.request.url).toBe(`${path}?secret=${secret}`);
		expect(call.request.headers).toMatchObject({
			'x-delivery-id': 'd-1',
			'content-type': 'application/json',
			host: '127.0.0.1:5678',
		});
		expect(call.request.rawBody).toEqual(Buffer.from(JSON.stringify(batch)));
		expect(call.request.body).toEqual(batch);

		// webhook() noted the delivery in static data, which n8n saves after answering
		expect(call.staticDataChanged).toBe(true);
		expect(call.nodeStaticData).toEqual({ ...active.nodeStaticData, lastDelivery: 'd-1' });
		expect(received).toEqual([]); // no call to the provider while receiving
	});

	it('a call with a wrong secret gets a 401 from the node and starts nothing', async () => {
		const active = await activate();
		for (const query of [{ secret: 'wrong' }, {}]) {
			const call = await callWebhook({
				pkg,
				node: trigger,
				credentials: creds(),
				staticData: active.staticData,
				request: { query, body: batch },
			});
			expect(call.error).toBeUndefined();
			expect(call.workflowData).toBeUndefined();
			expect(call.noWebhookResponse).toBe(true);
			expect(call.response).toMatchObject({ status: 401, body: { error: 'Unknown caller' }, ended: true });
			expect(call.response?.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(call.staticDataChanged).toBe(false);
			expect(call.staticData).toEqual(active.staticData);
		}
	});

	it('gives the node the raw body for signatures, and its webhookResponse when nothing is selected', async () => {
		const active = await activate();
		const secret = active.nodeStaticData.secret as string;
		const raw = JSON.stringify({ type: 'typing', id: 'e9' });
		const signature = createHmac('sha256', secret).update(raw).digest('hex');
		const base = { node: trigger, credentials: creds(), staticData: active.staticData };

		const signed = await pkg.callWebhook({
			...base,
			request: { query: { secret }, headers: { 'content-type': 'application/json', 'x-fixture-signature': signature }, body: raw },
		});
		expect(signed.error).toBeUndefined();
		expect(signed.workflowData).toBeUndefined();
		expect(signed.webhookResponse).toEqual({ received: true, ignored: 1 });
		expect(signed.response).toBeUndefined();

		const forged = await pkg.callWebhook({
			...base,
			request: { query: { secret }, headers: { 'content-type': 'application/json', 'x-fixture-signature': 'ab'.repeat(32) }, body: raw },
		});
		expect(forged.response).toEqual({
			status: 401,
			headers: {
				'www-authenticate': 'FixtureSignature',
				'content-type': 'text/html; charset=utf-8',
				'content-length': '13',
			},
			body: 'Bad signature',
			rawBody: Buffer.from('Bad signature'),
			ended: true,
		});

		// a body n8n cannot parse never reaches webhook(): 422
		const broken = await pkg.callWebhook({
			...base,
			request: { query: { secret }, headers: { 'content-type': 'application/json' }, body: '{"events": [' },
		});
		expect(broken.error).toMatchObject({ message: 'Failed to parse request body', httpCode: '422' });
		expect(broken.workflowData).toBeUndefined();
	});

	it('routes a GET to the setup webhook, answered by the node itself', async () => {
		const active = await activate();
		const base = { node: trigger, credentials: creds(), staticData: active.staticData, webhookName: 'setup' };
		const verified = await pkg.callWebhook({
			...base,
			request: { method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' } },
		});
		expect(verified.error).toBeUndefined();
		expect(verified.noWebhookResponse).toBe(true);
		expect(verified.workflowData).toBeUndefined();
		expect(verified.response).toMatchObject({
			status: 200,
			headers: { 'content-type': 'text/plain' },
			body: '1158201444',
			ended: true,
		});
		expect(verified.request.body).toBeUndefined(); // n8n leaves body undefined without a body

		const refused = await pkg.callWebhook({
			...base,
			request: { method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess' } },
		});
		expect(refused.response).toMatchObject({ status: 403, body: 'Forbidden', headers: { 'x-reason': 'verify token' } });

		// the setup webhook takes GET only; the default one POST only
		await expect(pkg.callWebhook({ ...base, request: { method: 'POST' } })).rejects.toThrow(
			'does not take POST (only GET)',
		);
		await expect(pkg.callWebhook({ ...base, webhookName: 'nope' })).rejects.toThrow('no webhook named "nope"');
	});

	it('fills getParamsData() from a dynamic path', async () => {
		const node = { ...trigger, parameters: { ...trigger.parameters, path: 'events/:channel' } };
		const active = await pkg.activateWebhooks({ node, credentials: creds() });
		expect(active.webhookUrl).toBe(`http://127.0.0.1:5678/webhook/${active.webhookId}/events/:channel`);
		const call = await pkg.callWebhook({
			node,
			credentials: creds(),
			staticData: active.staticData,
			request: {
				path: 'events/wa-7',
				query: { secret: active.nodeStaticData.secret as string },
				body: { type: 'message', id: 'e5' },
			},
		});
		expect(call.error).toBeUndefined();
		expect(call.webhookUrl).toBe(`http://127.0.0.1:5678/webhook/${active.webhookId}/events/wa-7`);
		expect(call.workflowData?.[0][0].json).toMatchObject({
			id: 'e5',
			params: { channel: 'wa-7' },
			path: `/webhook/${active.webhookId}/events/wa-7`,
		});
	});

	it('deactivation restores the previous URL and clears the registration', async () => {
		const active = await activate();
		const call = await pkg.callWebhook({
			node: trigger,
			credentials: creds(),
			staticData: active.staticData,
			request: { query: { secret: active.nodeStaticData.secret as string }, body: batch },
		});
		const after = await deactivateWebhooks({ pkg, node: trigger, credentials: creds(), staticData: call.staticData });
		expect(after.error).toBeUndefined();
		expect(after.deleted).toBe(true);
		expect(after.calls).toEqual([{ method: 'delete', webhookName: 'default', httpMethod: 'POST', result: true }]);
		expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /webhook-config']);
		expect(received[0].headers['x-api-key']).toBe(API_KEY);
		expect(provider).toEqual({ url: OLD_URL });
		expect(after.nodeStaticData).toEqual({});
		expect(after.staticData).toEqual({ 'node:Fixture Webhook Trigger': {} });
	});

	it('a failed activation reports the error and runs delete on the static data saved before', async () => {
		const failed = await pkg.activateWebhooks({ node: trigger, credentials: creds({ apiKey: 'wrong-key' }) });
		expect(failed.error).toMatchObject({ httpCode: '401', node: 'Fixture Webhook Trigger' });
		expect(failed.created).toBe(false);
		expect(failed.calls.map(({ method, cleanup }) => ({ method, cleanup }))).toEqual([
			{ method: 'checkExists', cleanup: undefined },
			{ method: 'create', cleanup: undefined },
			{ method: 'delete', cleanup: true },
		]);
		expect(failed.staticData).toEqual({});
		expect(provider).toEqual({ url: OLD_URL });
	});

	it('triggerWebhookWorkflow runs the workflow the webhook starts', async () => {
		const active = await activate();
		const result = await pkg.triggerWebhookWorkflow({
			node: trigger,
			nodes: [{ type: 'fixtureAction', parameters: { phone: '={{ $json.id === "e1" ? "+4915112345678" : "+4915112345679" }}' } }],
			credentials: creds(),
			staticData: active.staticData,
			request: { query: { secret: active.nodeStaticData.secret as string }, body: batch },
		});
		expect(result.error).toBeUndefined();
		expect(result.run?.error).toBeUndefined();
		expect(result.run?.executionOrder).toEqual(['Fixture Webhook Trigger', 'Fixture Action']);
		expect(result.run?.output('Fixture Webhook Trigger')).toHaveLength(2);
		expect(received.map((r) => r.body)).toEqual([
			{ phone: '+4915112345678', text: 'hello' },
			{ phone: '+4915112345679', text: 'hello' },
		]);
		expect(result.run?.output().map((item) => pairedItems(item))).toEqual([[{ item: 0 }], [{ item: 1 }]]);

		// refused calls start no execution
		const refused = await pkg.triggerWebhookWorkflow({
			node: trigger,
			nodes: [{ type: 'fixtureAction' }],
			credentials: creds(),
			staticData: active.staticData,
			request: { query: { secret: 'nope' }, body: batch },
		});
		expect(refused.run).toBeUndefined();
		expect(refused.response?.status).toBe(401);
	});
});

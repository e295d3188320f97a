/**
 * The importable workflows of examples/ against a real n8n 2.41 with the packed package and the
 * provider simulators: each one is imported as a user imports it (only its credentials chosen, and
 * the one setting its sticky note says to set), then run, or published and sent what a customer
 * sends, and what it did is checked. A new example without a scenario here fails the first test.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { CREDENTIAL_CASES, type CredentialSandbox } from '../support/credential-cases';
import { PROJECT_ROOT, startN8n, type Credential, type Execution, type N8nServer } from '../support/n8n-server';
import { until } from '../support/until';
import { postJson } from '../support/use-n8n';

const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples');
const exampleFiles = fs.readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();

interface ExampleNode {
	name: string;
	type: string;
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name: string }>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: object;
}

const stand = {} as {
	n8n: N8nServer;
	sandboxes: Map<string, CredentialSandbox>;
	credentials: Map<string, Credential>;
	/** Where n8n may write files (N8N_RESTRICT_FILE_ACCESS_TO). */
	files: string;
};

beforeAll(async () => {
	stand.files = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-example-files-'));
	stand.sandboxes = new Map();
	for (const testCase of CREDENTIAL_CASES) stand.sandboxes.set(testCase.type, await testCase.start());
	stand.n8n = await startN8n({ env: { N8N_RESTRICT_FILE_ACCESS_TO: stand.files } });
	stand.credentials = new Map();
	for (const testCase of CREDENTIAL_CASES) {
		stand.credentials.set(testCase.type, await stand.n8n.createCredential(testCase.type, `${testCase.displayName} account`, { ...stand.sandboxes.get(testCase.type)!.credentials }));
	}
}, 15 * 60_000);

afterAll(async () => {
	await stand.n8n?.stop();
	for (const sandbox of stand.sandboxes?.values() ?? []) await sandbox.stop();
	if (stand.files) fs.rmSync(stand.files, { recursive: true, force: true });
}, 60_000);

beforeEach(() => {
	for (const sandbox of stand.sandboxes.values()) sandbox.server.reset();
});

const simulator = (type: string) => stand.sandboxes.get(type)!.server;

/** Imports examples/<file> with this n8n's credentials of each type and `settings` (node name → parameters laid over the example's). */
async function importExample(file: string, settings: Record<string, Record<string, unknown>> = {}) {
	const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Example;
	for (const node of example.nodes) {
		for (const [type, reference] of Object.entries(node.credentials ?? {})) {
			const credential = stand.credentials.get(type);
			if (!credential) throw new Error(`${file}: node "${node.name}" uses a ${type} credential, which no simulator serves`);
			Object.assign(reference, { id: credential.id, name: credential.name });
		}
		if (settings[node.name]) node.parameters = { ...node.parameters, ...settings[node.name] };
	}
	for (const name of Object.keys(settings)) if (!example.nodes.some((node) => node.name === name)) throw new Error(`${file} has no node "${name}"`);
	const workflow = await stand.n8n.createWorkflow(example as unknown as Record<string, unknown>);
	return { ...workflow, example };
}

/** The editor's "Execute workflow" from `trigger`; returns the finished (or waiting) execution. */
async function runFrom(workflowId: string, trigger: string, until_: Array<Execution['status']> = ['success', 'error', 'crashed']): Promise<Execution> {
	const started = (await stand.n8n.rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } })) as { data?: { executionId?: string }; executionId?: string };
	const executionId = started.data?.executionId ?? started.executionId;
	expect(executionId).toEqual(expect.any(String));
	return await until(
		async () => {
			const execution = await stand.n8n.execution(executionId!).catch(() => undefined);
			return execution && until_.includes(execution.status) ? execution : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 200 },
	);
}

/** The JSON of the items `node` gave on `output` (0: main, 1: error output). */
function itemsOf(execution: Execution, node: string, output = 0): Array<Record<string, unknown>> {
	const run = execution.data?.resultData.runData[node]?.[0];
	return (run?.data?.main[output] ?? []).map((item) => item.json as Record<string, unknown>);
}
function binariesOf(execution: Execution, node: string): Array<Record<string, { mimeType?: string; fileName?: string }>> {
	const run = execution.data?.resultData.runData[node]?.[0];
	return (run?.data?.main[0] ?? []).map((item) => ((item as { binary?: Record<string, { mimeType?: string; fileName?: string }> }).binary ?? {}));
}

/** Publishes a workflow and waits until n8n answers on the production URL of its trigger. */
async function publishExample(workflowId: string, example: Example) {
	expect((await stand.n8n.activate(workflowId)).active).toBe(true);
	const trigger = example.nodes.find((node) => node.webhookId && /Trigger$/.test(node.type))!;
	// The trigger registered its production URL with the simulator, and n8n answers on it.
	const url = await until(async () => {
		const held = JSON.stringify(simulator(Object.keys(trigger.credentials!)[0]!).snapshot());
		return new RegExp(`https?://[^"\\s]*/webhook/${trigger.webhookId}/[^"\\s]*`).exec(held)?.[0];
	});
	await stand.n8n.waitForWebhook(new URL(url).pathname.replace(/^.*?\/webhook\//, ''));
}

/** A file server for a CSV, as a published sheet or a file server gives it. */
async function serveCsv(text: string): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="contacts.csv"' });
		response.end(text);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/contacts.csv`,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const scenarios: Record<string, () => Promise<void>> = {
	'broadcast-template-from-csv.json': async () => {
		const csv = await serveCsv('name,phone\nJane,+1 (747) 282-2486\nSam,12345\nRavi,+91 98765 43210\n');
		try {
			const { id } = await importExample('broadcast-template-from-csv.json', { 'Download CSV': { url: csv.url } });
			const execution = await runFrom(id, 'Every Monday 9:00');
			expect(execution.status).toBe('success');
			expect(itemsOf(execution, 'Sent')).toHaveLength(2);
			const failed = itemsOf(execution, 'Send Template', 1);
			expect(failed).toHaveLength(1);
			expect(JSON.stringify(failed[0])).toMatch(/12345/);
			expect(itemsOf(execution, 'Failed Rows')).toHaveLength(1);
			const sent = simulator('mesigicApi').received('POST /external-api/inbox/send-template-message');
			expect(sent.map((call) => call.status)).toEqual([200, 200]);
		} finally {
			await csv.close();
		}
	},

	'auto-reply.json': async () => {
		const { id, example } = await importExample('auto-reply.json');
		await publishExample(id, example);
		const chatApi = simulator('chatApiApi');
		const inbound = await postJson(`${chatApi.controlUrl}/chatapi/inbound`, { phone: '17472822486', senderName: 'Jane', body: 'Is my order ready?' });
		expect(inbound.status).toBe(201);
		const [execution] = await stand.n8n.waitForExecutions(id, 1);
		expect(execution!.status).toBe('success');
		const replies = await until(() => {
			const calls = chatApi.received('POST /instance12345/sendMessage');
			return calls.length ? calls : undefined;
		});
		expect(replies[0]!.body).toMatchObject({ chatId: '17472822486@c.us', body: expect.stringContaining('Thanks Jane') });
		await stand.n8n.deactivate(id);
	},

	'log-inbound-media.json': async () => {
		const folder = path.join(stand.files, 'whatsapp-media');
		fs.mkdirSync(folder, { recursive: true });
		const { id, example } = await importExample('log-inbound-media.json', {
			Settings: { assignments: { assignments: [{ id: 'folder', name: 'folder', value: folder, type: 'string' }] }, includeOtherFields: true, options: {} },
		});
		await publishExample(id, example);
		const chatApi = simulator('chatApiApi');
		const photo = `${chatApi.controlUrl}/files/shelf.png?bytes=4096`;
		expect((await postJson(`${chatApi.controlUrl}/chatapi/inbound`, { phone: '17472822486', type: 'image', body: photo })).status).toBe(201);
		expect((await postJson(`${chatApi.controlUrl}/chatapi/inbound`, { phone: '17472822486', body: 'And a text without media' })).status).toBe(201);
		const executions = await stand.n8n.waitForExecutions(id, 2);
		expect(executions.map((execution) => `${execution.status}${execution.data?.resultData.error ? `: ${execution.data.resultData.error.message}` : ''}`)).toEqual(['success', 'success']);
		const logged = executions.flatMap((execution) => itemsOf(execution, 'Log Entry'));
		expect(logged).toEqual([{ from: '17472822486@c.us', chat: '17472822486@c.us', type: 'image', file: expect.stringMatching(/shelf\.png$/) }]);
		const files = fs.readdirSync(folder);
		expect(files).toHaveLength(1);
		expect(fs.statSync(path.join(folder, files[0]!)).size).toBe(4096);
		await stand.n8n.deactivate(id);
	},

	'qr-session-messingin.json': async () => {
		const { id } = await importExample('qr-session-messingin.json');
		const execution = await runFrom(id, 'Start');
		expect(execution.status).toBe('success');
		expect(itemsOf(execution, 'Create Session')).toEqual([expect.objectContaining({ sessionId: expect.any(String) })]);
		expect(binariesOf(execution, 'Create Session')[0]!.qrCode).toMatchObject({ mimeType: 'image/png' });
	},

	'qr-session-chatapi.json': async () => {
		const { id } = await importExample('qr-session-chatapi.json');
		const execution = await runFrom(id, 'Start');
		expect(execution.status).toBe('success');
		expect(itemsOf(execution, 'Instance Status')).toHaveLength(1);
		const [binaries] = binariesOf(execution, 'QR Code');
		expect(Object.values(binaries!).map((file) => file.mimeType)).toContain('image/png');
	},

	'approval-over-whatsapp.json': async () => {
		const { id } = await importExample('approval-over-whatsapp.json');
		const waiting = await runFrom(id, 'Refund Requested', ['waiting', 'success', 'error', 'crashed']);
		expect(waiting.status).toBe('waiting');
		const chatApi = simulator('chatApiApi');
		const [sent] = chatApi.received('POST /instance12345/sendMessage');
		const text = String((sent!.body as { body: string }).body);
		expect(text).toContain('Refund $120 for order 1042?');
		const link = /(https?:\/\/\S+\/webhook-waiting\/\S+)/.exec(text)![1]!;
		// The approver opens the link and presses Approve.
		const answer = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=approve' });
		expect(answer.status).toBe(200);
		const done = await until(
			async () => {
				const execution = await stand.n8n.execution(waiting.id);
				return ['waiting', 'running', 'new'].includes(execution.status) ? undefined : execution;
			},
			{ timeoutMs: 30_000, intervalMs: 200 },
		);
		expect(done.status).toBe('success');
		expect(itemsOf(done, 'Refund')).toHaveLength(1);
		expect(itemsOf(done, 'Tell the Customer No')).toHaveLength(0);
	},
};

test('every example in examples/ has a scenario here', () => {
	expect(exampleFiles).toEqual(Object.keys(scenarios).sort());
});

test.each(exampleFiles)('%s works against the simulators', async (file) => {
	const scenario = scenarios[file];
	if (!scenario) throw new Error(`examples/${file} has no scenario in this test`);
	await scenario();
}, 120_000);

/**
 * Proves the end-to-end harness: a real n8n 2.41 (Node 24) with the packed package installed in
 * its community-nodes folder knows every node and credential listed in package.json, tests a
 * credential of the package through n8n, runs a published webhook workflow (webhook + Code node, so
 * the task runner works too) and gives the execution back through the public API; stop() leaves
 * no process behind.
 */
import path from 'node:path';

import { PROJECT_ROOT } from '../support/n8n-server';
import { startReceiver, type ReceivedCall } from '../support/receiver';
import { chainWorkflow, node, postJson, publish, useN8n, webhookNode } from '../support/use-n8n';

const manifest = require(path.join(PROJECT_ROOT, 'package.json'));
const listedNodes: string[] = manifest.n8n.nodes;
const listedCredentials: string[] = manifest.n8n.credentials;

/** The class a compiled node/credential file exports, instantiated (dist/ is built by `npm test`). */
function instanceOf(file: string): any {
	const exported: Record<string, unknown> = require(path.join(PROJECT_ROOT, file));
	const Class = Object.values(exported).find((v) => typeof v === 'function') as new () => unknown;
	return new Class();
}

/** A stand-in API that answers 200 {} to everything and remembers what it got. */
async function recorder(): Promise<{ url: string; received: Array<Omit<ReceivedCall, 'body'>>; close(): Promise<void> }> {
	const received: Array<Omit<ReceivedCall, 'body'>> = [];
	const server = await startReceiver(({ method, url, headers }) => {
		received.push({ method, url, headers });
		return { json: {} };
	});
	return { ...server, received };
}

const env = useN8n();

beforeAll(() => {
	const { packMs, bootMs, setupMs } = env.n8n.timings;
	process.stderr.write(`n8n e2e: package packed in ${packMs} ms, n8n ready in ${bootMs} ms, owner + API key in ${setupMs} ms\n`);
});

test('n8n knows every node and credential listed in package.json', async () => {
	const { n8n } = env;
	const known = await n8n.nodeTypes(`${n8n.packageName}.`);
	const expected = listedNodes.map((file) => `${n8n.packageName}.${instanceOf(file).description.name}`);
	expect(known).toEqual(expect.arrayContaining(expected));

	const credentialTypes = await n8n.credentialTypes();
	expect(credentialTypes).toEqual(expect.arrayContaining(listedCredentials.map((file) => instanceOf(file).name)));

	expect(n8n.logProblems().filter((line) => /Unrecognized node type|Failed to load/i.test(line))).toEqual([]);
}, 60_000);

test("a credential of the package is tested by n8n with the credential's own auth", async () => {
	const { n8n } = env;
	const api = await recorder();
	try {
		const tested = listedCredentials
			.map((file) => instanceOf(file))
			// only credentials whose address can point at the stand-in: others would go to the internet
			.filter((c) => c.properties.some((p: any) => p.type === 'string' && /url/i.test(p.name)));
		expect(tested.length).toBeGreaterThan(0);

		for (const type of tested) {
			const data: Record<string, unknown> = {};
			for (const p of type.properties as Array<{ name: string; type: string; default: unknown }>) {
				if (p.type === 'string') data[p.name] = /url/i.test(p.name) ? api.url : `e2e-${p.name}-value`;
				else if (p.type !== 'notice' && p.default !== undefined) data[p.name] = p.default;
			}
			const credential = await n8n.createCredential(type.name, `smoke ${type.name}`, data);
			const before = api.received.length;
			const result = await n8n.testCredential(credential.id);
			// The package's own test ran (found through the nodes' testedBy): the stand-in's `{}` is no
			// provider's documented answer, and the message says what came back.
			expect({ type: type.name, ...result }).toEqual({ type: type.name, status: 'Error', message: expect.stringContaining('What came back: HTTP 200 (application/json): "{}"') });

			const requests = api.received.slice(before);
			expect(requests.length).toBeGreaterThan(0);
			// authenticate ran: some value we typed (an id, key or secret) travelled in a header or the URL
			const values = Object.values(data).filter((v): v is string => typeof v === 'string' && v.startsWith('e2e-'));
			const seen = requests.some((r) => values.some((v) => r.url.includes(v) || Object.values(r.headers).some((h) => String(h).includes(v))));
			expect(seen).toBe(true);
		}
	} finally {
		await api.close();
	}
}, 60_000);

test('a published webhook workflow runs and its execution is read back', async () => {
	const { n8n } = env;
	const webhookPath = `smoke-${Date.now()}`;
	const workflow = await n8n.createWorkflow(
		chainWorkflow('Smoke: webhook + code', [
			webhookNode('b8f5c1e2-0000-4000-8000-000000000001', 'b8f5c1e2-0000-4000-8000-0000000000aa', webhookPath),
			node('b8f5c1e2-0000-4000-8000-000000000002', 'Double', 'n8n-nodes-base.code', { jsCode: 'return $input.all().map((item) => ({ json: { doubled: item.json.body.n * 2 } }));' }, { typeVersion: 2 }),
		]),
	);
	expect(workflow.id).toEqual(expect.any(String));
	await publish(n8n, workflow.id, webhookPath);

	const response = await postJson(n8n.webhookUrl(webhookPath), { n: 21 });
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({ doubled: 42 });

	const [execution] = await n8n.waitForExecutions(workflow.id, 1);
	expect(execution).toMatchObject({ workflowId: workflow.id, mode: 'webhook', status: 'success' });
	const out = execution.data!.resultData.runData.Double[0].data!.main[0]!;
	expect(out.map((item) => item.json)).toEqual([{ doubled: 42 }]);

	const unpublished = await n8n.deactivate(workflow.id);
	expect(unpublished.active).toBe(false);
}, 60_000);

test('stop() ends n8n, its task runner and the watchdog', async () => {
	const { n8n } = env;
	const { pid, baseUrl } = n8n;
	await n8n.stop();
	expect(() => process.kill(-pid, 0)).toThrow(); // ESRCH: no process left in the group
	await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
}, 60_000);

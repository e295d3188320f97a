/**
 * The package on n8n's distributed engine: queue mode with Redis, a main process, a worker and a
 * webhook process (test/support/n8n-server.ts checks that each of them loaded the package). Every
 * provider's nodes work there: the webhook triggers register the webhook process's URL with their
 * provider and receive there; their executions, and those of the polling triggers, run on the
 * worker, while the polling itself happens on main; a broadcast goes through each action node; a
 * QR code made on the worker is downloaded from main (binary data kept in the database, as queue
 * mode needs); a re-delivered batch starts nothing after the trigger. Send and Wait: send-and-wait-queue.e2e.test.ts.
 */
import path from 'node:path';

import { receiveInbound as chatApiInbound } from '../../sandbox/chatapi';
import { MEHERY_DEMO } from '../../sandbox/mehery';
import { MESSLO_DEMO } from '../../sandbox/messlo';
import { PROJECT_ROOT, type Execution } from '../support/n8n-server';
import { publishTrigger, ranOnWorker, startProviders, triggerItems, WEBHOOK_PROVIDER_NAMES, webhookProviders } from '../support/providers';
import { until } from '../support/until';
import { chainWorkflow, node, postJson, publish, useN8nWithSandbox, uses, webhookNode } from '../support/use-n8n';

// Debug lines name the process that polls ("Poll trigger initiated"); nothing secret may be in them either.
const env = useN8nWithSandbox(startProviders, { queue: true, env: { N8N_LOG_LEVEL: 'debug' } });

const manifest = require(path.join(PROJECT_ROOT, 'package.json')) as { n8n: { nodes: string[] } };
const secretsOf = () => [env.sandbox.chatapi.credentials.token, env.sandbox.mehery.credentials.apiKey, env.sandbox.mehery.credentials.verifyToken, env.sandbox.messingin.credentials.apiKey, env.sandbox.messingin.credentials.webhookSecret, env.sandbox.mesigic.credentials.clientSecret, env.sandbox.messlo.credentials.apiKey];

afterAll(() => {
	const { n8n } = env;
	if (!n8n) return;
	for (const secret of secretsOf()) expect(n8n.logs()).not.toContain(secret);
});

test('main, the worker and the webhook process all run the package; production webhooks are left to the webhook process', async () => {
	const { n8n } = env;
	expect(n8n.mode).toBe('queue');
	const nodeFiles = manifest.n8n.nodes.map((file) => path.basename(file, '.node.js'));
	expect((await n8n.nodeTypes(`${n8n.packageName}.`)).length).toBeGreaterThanOrEqual(nodeFiles.length);
	expect(n8n.webhookBaseUrl).not.toBe(n8n.baseUrl);
	// the webhook process serves no editor, REST or API
	expect((await fetch(`${n8n.webhookBaseUrl}/rest/settings`)).status).toBe(404);
	expect(n8n.logProblems().filter((line) => /Unrecognized node type|Failed to load/i.test(line))).toEqual([]);
	process.stderr.write(`queue mode: ready in ${n8n.timings.bootMs} ms (Redis, main, worker, webhook process), owner + API key + package probe in ${n8n.timings.setupMs} ms\n`);
}, 60_000);

describe.each(WEBHOOK_PROVIDER_NAMES)('the %s trigger', (name) => {
	test('registers the webhook process\'s URL, receives there, and its run — the reply included — happens on the worker', async () => {
		const { n8n, sandbox } = env;
		const provider = webhookProviders(sandbox)[name];
		const repliesBefore = provider.replies().length;
		const { workflowId, webhookId } = await publishTrigger(n8n, provider, `E2E queue: ${name} trigger → reply`, { reply: true });
		expect(provider.registeredUrl()!.startsWith(`${n8n.webhookBaseUrl}/webhook/${webhookId}`)).toBe(true);
		// main does not answer production webhooks in this setup
		expect((await postJson(`${n8n.baseUrl}/webhook/${provider.webhookPath(webhookId)}`, {})).status).toBe(404);

		expect((await provider.deliver(`Hello from ${name}`)).status).toBe(200);
		const [execution] = await n8n.waitForExecutions(workflowId, 1, 30_000);
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(triggerItems(execution, provider).map(provider.keyOf)).toEqual([`Hello from ${name}`]);
		expect(ranOnWorker(n8n, execution.id)).toBe(true);
		expect(provider.replies().slice(repliesBefore)).toEqual([`Echo: Hello from ${name}`]);

		// A forged call is refused by the node on the webhook process: no run.
		expect(await provider.forge(n8n, webhookId, 'no secret')).toBe(401);
		expect(await provider.forge(n8n, webhookId, 'wrong secret')).toBe(401);

		// The same delivery again: the trigger drops it in the execution, so nothing after it runs.
		const again = await provider.deliver(`Once only from ${name}`);
		expect(await again.again()).toBe(200);
		const runs = await n8n.waitForExecutions(workflowId, 3, 30_000);
		expect(runs.map((run) => triggerItems(run, provider).map(provider.keyOf))).toEqual([[`Hello from ${name}`], [`Once only from ${name}`], []]);
		expect(runs[2].data!.resultData.runData.Reply).toBeUndefined();
		expect(provider.replies().slice(repliesBefore)).toEqual([`Echo: Hello from ${name}`, `Echo: Once only from ${name}`]);
		expect(runs.every((run) => ranOnWorker(n8n, run.id))).toBe(true);
		expect(await n8n.executions(workflowId)).toHaveLength(3);

		expect((await n8n.deactivate(workflowId)).active).toBe(false);
	}, 120_000);
});

test('the polling triggers poll on main, and their runs happen on the worker', async () => {
	const { n8n, sandbox } = env;
	const mesigic = await n8n.createCredential('mesigicApi', 'Mesigic (queue polling)', sandbox.mesigic.credentials);
	const chatApi = await n8n.createCredential('chatApiApi', 'Chat API (queue polling)', sandbox.chatapi.credentials);
	const everyMinute = { item: [{ mode: 'everyMinute' }] };
	const mesigicFlow = await n8n.createWorkflow(
		chainWorkflow('E2E queue: Mesigic polling', [node('a1000000-0000-4000-8000-000000000001', 'Mesigic Trigger', `${n8n.packageName}.mesigicTrigger`, { event: 'newUnreadConversation', pollTimes: everyMinute }, { credentials: uses('mesigicApi', mesigic) })]),
	);
	const chatApiFlow = await n8n.createWorkflow(
		chainWorkflow('E2E queue: Chat API polling', [node('a1000000-0000-4000-8000-000000000002', 'Chat API Polling Trigger', `${n8n.packageName}.chatApiPollingTrigger`, { events: ['incomingMessage'], pollTimes: everyMinute }, { credentials: uses('chatApiApi', chatApi) })]),
	);
	await publish(n8n, mesigicFlow.id);
	await publish(n8n, chatApiFlow.id);
	// The first poll (at publishing) only notes where things stand: what comes after is new.
	await until(() => (n8n.processes.main.logs().includes('Poll trigger initiated for workflow "E2E queue: Chat API polling"') ? true : undefined), { timeoutMs: 20_000 });
	await until(() => (n8n.processes.main.logs().includes('Poll trigger initiated for workflow "E2E queue: Mesigic polling"') ? true : undefined), { timeoutMs: 20_000 });
	await new Promise((resolve) => setTimeout(resolve, 1000));
	await sandbox.mesigic.inbound({ mobile_code: '1', mobile: '7472822400', message: 'New here', firstname: 'Ana' });
	chatApiInbound(sandbox.chatapi.server.state, { chatId: '17472822401@c.us', body: 'Polled in queue mode', senderName: 'Bo' });

	// n8n polls at most once a minute: the next poll comes at the start of the next minute.
	const [mesigicRun] = await n8n.waitForExecutions(mesigicFlow.id, 1, 90_000);
	const [chatApiRun] = await n8n.waitForExecutions(chatApiFlow.id, 1, 90_000);
	expect(mesigicRun).toMatchObject({ mode: 'trigger', status: 'success' });
	expect(chatApiRun).toMatchObject({ mode: 'trigger', status: 'success' });
	expect(chatApiRun.data!.resultData.runData['Chat API Polling Trigger'][0].data!.main[0]!.map((item) => item.json.body)).toEqual(['Polled in queue mode']);
	expect(mesigicRun.data!.resultData.runData['Mesigic Trigger'][0].data!.main[0]!.length).toBeGreaterThanOrEqual(1);
	expect(ranOnWorker(n8n, mesigicRun.id) && ranOnWorker(n8n, chatApiRun.id)).toBe(true);
	for (const name of ['worker', 'webhook'] as const) expect(n8n.processes[name]!.logs()).not.toContain('Poll trigger initiated');

	await n8n.deactivate(mesigicFlow.id);
	await n8n.deactivate(chatApiFlow.id);
}, 150_000);

/** The first item of each node of a run. */
const outputOf = (execution: Execution, nodeName: string) => execution.data!.resultData.runData[nodeName]?.[0]?.data?.main[0] ?? [];

test('a broadcast goes through each action node on the worker, each message sent once', async () => {
	const { n8n, sandbox } = env;
	const phones = Array.from({ length: 10 }, (_, i) => `+1 747 282 24${String(i).padStart(2, '0')}`);
	const session = sandbox.messingin.connectedSession();
	// Messlo sends free text only within 24 hours of the customer's last message.
	for (const phone of phones) sandbox.messlo.inbound({ from: phone, text: 'Tell me about the sale' });
	const creds = {
		mesigic: uses('mesigicApi', await n8n.createCredential('mesigicApi', 'Mesigic (broadcast)', sandbox.mesigic.credentials)),
		chatApi: uses('chatApiApi', await n8n.createCredential('chatApiApi', 'Chat API (broadcast)', sandbox.chatapi.credentials)),
		messingin: uses('messinginApi', await n8n.createCredential('messinginApi', 'Messingin (broadcast)', sandbox.messingin.credentials)),
		mehery: uses('meheryApi', await n8n.createCredential('meheryApi', 'Mehery (broadcast)', sandbox.mehery.credentials)),
		messlo: uses('messloApi', await n8n.createCredential('messloApi', 'Messlo (broadcast)', sandbox.messlo.credentials)),
	};
	const text = '={{ "Sale starts today, " + $json.phone }}';
	const senders = [
		node('b1000000-0000-4000-8000-000000000011', 'Mesigic', `${n8n.packageName}.mesigic`, { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', message: text, attachment: 'none' }, { credentials: creds.mesigic }),
		node('b1000000-0000-4000-8000-000000000012', 'Chat API', `${n8n.packageName}.chatApi`, { resource: 'message', operation: 'sendText', recipient: '={{ $json.phone }}', text }, { credentials: creds.chatApi }),
		node('b1000000-0000-4000-8000-000000000013', 'Messingin', `${n8n.packageName}.messingin`, { resource: 'message', operation: 'send', sessionId: session.sessionId, to: '={{ $json.phone }}', message: text }, { credentials: creds.messingin }),
		node('b1000000-0000-4000-8000-000000000014', 'Mehery', `${n8n.packageName}.mehery`, { resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '={{ $json.phone }}', type: 'text', text }, { credentials: creds.mehery }),
		node('b1000000-0000-4000-8000-000000000015', 'Messlo', `${n8n.packageName}.messlo`, { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', sender: MESSLO_DEMO.senderNumber, messageType: 'text', message: text }, { credentials: creds.messlo }),
	].map((sender) => ({ ...sender, onError: 'continueErrorOutput' }));
	const path = `queue-broadcast-${Date.now()}`;
	const hook = webhookNode('b1000000-0000-4000-8000-000000000001', 'b1000000-0000-4000-8000-0000000000aa', path);
	const split = node('b1000000-0000-4000-8000-000000000002', 'One Item per Phone', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'body.phones', options: { destinationFieldName: 'phone' } });
	const base = chainWorkflow('E2E queue: broadcast through every action node', [hook, split]);
	const workflow = await n8n.createWorkflow({
		...base,
		nodes: [...base.nodes, ...senders.map((sender, i) => ({ ...sender, typeVersion: 1, position: [440, i * 160 - 320] }))],
		connections: { ...base.connections, [split.name]: { main: [senders.map((sender) => ({ node: sender.name, type: 'main' as const, index: 0 }))] } },
		settings: { executionOrder: 'v1' },
	});
	await publish(n8n, workflow.id, path, 'POST');
	expect((await postJson(n8n.webhookUrl(path), { phones })).status).toBe(200);

	const [execution] = await n8n.waitForExecutions(workflow.id, 1, 60_000);
	expect(execution.status).toBe('success');
	expect(ranOnWorker(n8n, execution.id)).toBe(true);
	for (const sender of senders) {
		const out = outputOf(execution, sender.name);
		expect({ node: sender.name, items: out.length, errors: out.filter((item) => item.json.error).map((item) => item.json.error) }).toEqual({ node: sender.name, items: phones.length, errors: [] });
	}
	const sent = {
		Mesigic: sandbox.mesigic.server.accepted('POST /external-api/inbox/send-message').map((r) => (r.body as { mobile: string }).mobile),
		'Chat API': sandbox.chatapi.server.accepted('POST /instance12345/sendMessage').filter((r) => String((r.body as { body: string }).body).startsWith('Sale')).map((r) => (r.body as { phone?: string; chatId?: string }).phone ?? (r.body as { chatId: string }).chatId),
		Messingin: sandbox.messingin.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').filter((r) => String((r.body as { message: string }).message).startsWith('Sale')).map((r) => (r.body as { to: string }).to),
		Mehery: sandbox.mehery.server.accepted('POST /api/v1/message/send').filter((r) => String((r.body as { text?: { body?: string } }).text?.body).startsWith('Sale')).map((r) => JSON.stringify(r.body)),
		Messlo: sandbox.messlo.server.accepted('POST /api/whatsapp/send').map((r) => JSON.stringify(r.body)),
	};
	for (const [provider, recipients] of Object.entries(sent)) {
		expect({ provider, sent: recipients.length, distinct: new Set(recipients).size }).toEqual({ provider, sent: phones.length, distinct: phones.length });
	}
	await n8n.deactivate(workflow.id);
}, 120_000);

test('a QR code made on the worker is a file main hands out (binary data in the database)', async () => {
	const { n8n, sandbox } = env;
	const chatApi = await n8n.createCredential('chatApiApi', 'Chat API (QR code)', sandbox.chatapi.credentials);
	const path = `queue-qr-${Date.now()}`;
	const workflow = await n8n.createWorkflow(
		chainWorkflow('E2E queue: QR code', [
			webhookNode('c1000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-0000000000aa', path),
			node('c1000000-0000-4000-8000-000000000002', 'QR Code', `${n8n.packageName}.chatApi`, { resource: 'instance', operation: 'getQrCode', binaryPropertyName: 'qrCode' }, { credentials: uses('chatApiApi', chatApi) }),
		]),
	);
	await publish(n8n, workflow.id, path, 'POST');
	expect((await postJson(n8n.webhookUrl(path), {})).status).toBe(200);
	const [execution] = await n8n.waitForExecutions(workflow.id, 1, 30_000);
	expect(execution.status).toBe('success');
	expect(ranOnWorker(n8n, execution.id)).toBe(true);
	const [item] = outputOf(execution, 'QR Code') as Array<{ json: unknown; binary?: Record<string, { id?: string; mimeType: string; fileSize?: string }> }>;
	const qr = item.binary!.qrCode;
	expect(qr).toMatchObject({ mimeType: 'image/png', id: expect.stringMatching(/^database:/) });
	const bytes = await n8n.binaryData(qr.id!);
	expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	await n8n.deactivate(workflow.id);
}, 60_000);

// Send and Wait in queue mode (the answer link resumes the waiting execution through the webhook
// process; both parts of the run happen on the worker): send-and-wait-queue.e2e.test.ts.

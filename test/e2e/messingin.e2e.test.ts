/**
 * Messingin through a real n8n 2.41 server with the packed package installed: n8n tests the
 * credential against the sandbox; a published workflow creates a session whose webhook is the
 * published Messingin Trigger's URL (the node adds the secret); the sandbox delivers a
 * message.received to it and n8n records the execution, which echoes the message; a forged call
 * is refused without a run.
 */
import { startMessingin, type MessinginSandbox } from '../support/messingin';
import { startN8n, type N8nServer } from '../support/n8n-server';

let n8n: N8nServer;
let sandbox: MessinginSandbox;

const TRIGGER_WEBHOOK_ID = 'e2e0c0de-0000-4000-8000-00000000aaaa';
const CREATE_PATH = 'messingin-e2e-create-session';

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error('timed out waiting for the sandbox to change');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const control = async (path: string, json: unknown = {}) => {
	const response = await fetch(`${sandbox.server.controlUrl}/messingin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
	return (await response.json()) as { delivery: { status: number | null } | null };
};

beforeAll(async () => {
	sandbox = await startMessingin();
	n8n = await startN8n();
}, 15 * 60_000); // a fresh clone installs the runtime first (minutes); afterwards ~10-20 s

afterAll(async () => {
	await n8n?.stop();
	await sandbox?.stop();
}, 60_000);

test('n8n tests the credential: a working key passes, a wrong one fails without showing it', async () => {
	const good = await n8n.createCredential('messinginApi', 'Messingin sandbox', sandbox.credentials);
	expect(await n8n.testCredential(good.id)).toMatchObject({ status: 'OK' });
	const wrong = await n8n.createCredential('messinginApi', 'Messingin wrong key', { ...sandbox.credentials, apiKey: 'mk-wrong-0123456789' });
	const result = await n8n.testCredential(wrong.id);
	expect(result).toMatchObject({ status: 'Error', message: expect.stringContaining('refused the API key') });
	expect(JSON.stringify(result)).not.toContain('mk-wrong-0123456789');
	expect(sandbox.server.received().map((request) => request.status)).toEqual([404, 401]);
}, 60_000);

test('publish → a session\'s webhook points at the trigger → message.received starts a recorded execution', async () => {
	const credential = await n8n.createCredential('messinginApi', 'Messingin for the workflows', sandbox.credentials);
	const uses = { messinginApi: { id: credential.id, name: credential.name } };
	const triggerUrl = n8n.webhookUrl(`${TRIGGER_WEBHOOK_ID}/messingin`);

	const echo = await n8n.createWorkflow({
		name: 'E2E: Messingin trigger → echo',
		nodes: [
			{
				id: 'e2e0c0de-0000-4000-8000-000000000001',
				name: 'Messingin Trigger',
				type: `${n8n.packageName}.messinginTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { events: ['message.received'] },
				credentials: uses,
			},
			{
				id: 'e2e0c0de-0000-4000-8000-000000000002',
				name: 'Echo',
				type: `${n8n.packageName}.messingin`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'message', operation: 'send', sessionId: '={{ $json.sessionId }}', to: '={{ $json.from }}', message: '={{ "Echo: " + $json.message }}' },
				credentials: uses,
			},
		],
		connections: { 'Messingin Trigger': { main: [[{ node: 'Echo', type: 'main', index: 0 }]] } },
	});
	const createSession = await n8n.createWorkflow({
		name: 'E2E: create a Messingin session for the trigger',
		nodes: [
			{
				id: 'e2e0c0de-0000-4000-8000-000000000003',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'e2e0c0de-0000-4000-8000-00000000bbbb',
				parameters: { httpMethod: 'POST', path: CREATE_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'e2e0c0de-0000-4000-8000-000000000004',
				name: 'Create Session',
				type: `${n8n.packageName}.messingin`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'session', operation: 'create', name: 'E2E shop', webhook: triggerUrl, binaryPropertyName: 'qrCode' },
				credentials: uses,
			},
		],
		connections: { Webhook: { main: [[{ node: 'Create Session', type: 'main', index: 0 }]] } },
	});
	expect((await n8n.activate(echo.id)).active).toBe(true);
	expect((await n8n.activate(createSession.id)).active).toBe(true);
	await n8n.waitForWebhook(`${TRIGGER_WEBHOOK_ID}/messingin`, undefined, 'POST');
	await n8n.waitForWebhook(CREATE_PATH, undefined, 'POST');

	// The session is created through n8n, with the trigger's URL as its webhook.
	const created = await fetch(n8n.webhookUrl(CREATE_PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	expect(created.status).toBe(200);
	expect(await created.json()).toEqual({ sessionId: 'session_1', qrCode: true });
	const [session] = sandbox.server.state.sessions;
	expect(session.webhook).toBe(`${triggerUrl}?secret=${sandbox.credentials.webhookSecret}`);
	const [createRun] = await n8n.waitForExecutions(createSession.id, 1);
	const createdItem = createRun.data!.resultData.runData['Create Session'][0].data!.main[0]![0] as { binary?: Record<string, unknown> };
	expect(createdItem.binary?.qrCode).toMatchObject({ mimeType: 'image/png' });

	// The phone scans the QR code: session.connected is not selected, so no run.
	expect((await control(`/sessions/${session.sessionId}/connect`, { phone: '+15550100001' })).delivery?.status).toBe(200);

	// A forged call, without the secret: 401 and no run.
	const forged = await fetch(triggerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'message.received', data: { id: 'msg_forged', sessionId: session.sessionId, from: '+17472822486', message: 'forged' } }) });
	expect(forged.status).toBe(401);

	// A customer writes in.
	const inbound = await control('/inbound', { sessionId: session.sessionId, from: '+17472822486', message: 'Is my order ready?' });
	expect(inbound.delivery?.status).toBe(200);
	const [execution] = await n8n.waitForExecutions(echo.id, 1);
	expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
	const triggered = execution.data!.resultData.runData['Messingin Trigger'][0].data!.main[0]!;
	expect(triggered.map((item) => item.json)).toEqual([expect.objectContaining({ event: 'message.received', sessionId: 'session_1', from: '+17472822486', message: 'Is my order ready?' })]);
	await until(() => (sandbox.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').length ? true : undefined));
	expect(sandbox.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').map((request) => request.body)).toEqual([{ to: '+17472822486', message: 'Echo: Is my order ready?' }]);

	// The echo's message.sent reaches the trigger too, which does not select it: still one run.
	const sent = await until(() => sandbox.server.deliveries().find((delivery) => (delivery.body as { event: string }).event === 'message.sent' && delivery.status !== null));
	expect([sent.status, sent.response]).toEqual([200, { received: true, ignored: 'no selected event in this delivery' }]);
	expect(await n8n.executions(echo.id)).toHaveLength(1);
	expect(n8n.logs()).not.toContain(sandbox.credentials.apiKey);
	expect(n8n.logs()).not.toContain(sandbox.credentials.webhookSecret);
}, 90_000);

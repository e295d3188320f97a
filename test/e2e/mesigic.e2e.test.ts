/**
 * Mesigic through a real n8n 2.41 server with the packed package installed: n8n tests the
 * credential against the sandbox (a wrong secret fails), and a published workflow sends a
 * message through the sandbox when its webhook is called.
 */
import { startN8n, type N8nServer } from '../support/n8n-server';
import { startMesigic, type MesigicSandbox } from '../support/mesigic';

let n8n: N8nServer;
let sandbox: MesigicSandbox;

beforeAll(async () => {
	sandbox = await startMesigic();
	n8n = await startN8n();
}, 15 * 60_000); // a fresh clone installs the runtime first (minutes); afterwards ~10-20 s

afterAll(async () => {
	await n8n?.stop();
	await sandbox?.stop();
}, 60_000);

test('n8n passes the Mesigic credential against the sandbox and fails a wrong secret', async () => {
	const good = await n8n.createCredential('mesigicApi', 'Mesigic sandbox', sandbox.credentials);
	expect(await n8n.testCredential(good.id)).toMatchObject({ status: 'OK' });

	const wrong = await n8n.createCredential('mesigicApi', 'Mesigic wrong secret', { ...sandbox.credentials, clientSecret: 'not-the-secret' });
	const result = await n8n.testCredential(wrong.id);
	expect(result.status).toBe('Error');
	expect(result.message).not.toContain('not-the-secret');
	expect(sandbox.server.received('GET /external-api/contact/list').some((request) => request.status === 401)).toBe(true);
}, 60_000);

test('a published workflow sends a message through Mesigic', async () => {
	const credential = await n8n.createCredential('mesigicApi', 'Mesigic for the workflow', sandbox.credentials);
	const webhookPath = `mesigic-${Date.now()}`;
	const workflow = await n8n.createWorkflow({
		name: 'E2E: webhook → Mesigic send',
		nodes: [
			{
				id: 'c0a80000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c0a80000-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'c0a80000-0000-4000-8000-000000000002',
				name: 'Send WhatsApp',
				type: `${n8n.packageName}.mesigic`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'message', operation: 'send', phone: '={{ $json.body.phone }}', message: '={{ $json.body.text }}', attachment: 'none' },
				credentials: { mesigicApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send WhatsApp', type: 'main', index: 0 }]] } },
	});
	expect((await n8n.activate(workflow.id)).active).toBe(true);
	await n8n.waitForWebhook(webhookPath);

	const response = await fetch(n8n.webhookUrl(webhookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ phone: '+880 1711-000001', text: 'Sent from a published n8n workflow' }),
	});
	expect(response.status).toBe(200);
	expect(await response.json()).toMatchObject({ type: 'text', status: 'sent', message: 'Sent from a published n8n workflow' });

	const [execution] = await n8n.waitForExecutions(workflow.id, 1);
	expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
	const sent = execution.data!.resultData.runData['Send WhatsApp'][0].data!.main[0]!;
	expect(sent).toHaveLength(1);

	const accepted = sandbox.server.accepted('POST /external-api/inbox/send-message');
	expect(accepted).toHaveLength(1);
	expect(accepted[0].body).toEqual({ mobile_code: '880', mobile: '1711000001', message: 'Sent from a published n8n workflow' });
	expect(n8n.logs()).not.toContain(sandbox.credentials.clientSecret);

	expect((await n8n.deactivate(workflow.id)).active).toBe(false);
}, 60_000);

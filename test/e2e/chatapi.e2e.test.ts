/**
 * Chat API through a real n8n 2.41 server: publishing a workflow with the Chat API Trigger points
 * the sandbox instance at n8n; the sandbox delivers an incoming message and an ack, and n8n runs
 * the workflow for each; a forged call is refused; unpublishing puts the previous URL back.
 */
import { deliverBatch, filesUrlOf, messageJson, receiveInbound } from '../../sandbox/chatapi';
import { startChatApi, type ChatApiSandbox } from '../support/chatapi';
import { startN8n, type N8nServer } from '../support/n8n-server';

let n8n: N8nServer;
let sandbox: ChatApiSandbox;

const PREVIOUS_URL = 'https://crm.example.com/whatsapp-hook';

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error('timed out waiting for the sandbox to change');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

beforeAll(async () => {
	sandbox = await startChatApi();
	n8n = await startN8n();
}, 15 * 60_000); // a fresh clone installs the runtime first (minutes); afterwards ~10-20 s

afterAll(async () => {
	await n8n?.stop();
	await sandbox?.stop();
}, 60_000);

test('the credential is tested by n8n, and a wrong token fails without showing it', async () => {
	const good = await n8n.createCredential('chatApiApi', 'Chat API sandbox', sandbox.credentials);
	expect(await n8n.testCredential(good.id)).toMatchObject({ status: 'OK' });
	const wrong = await n8n.createCredential('chatApiApi', 'Chat API wrong token', { ...sandbox.credentials, token: 'tok-wrong-123456' });
	const result = await n8n.testCredential(wrong.id);
	expect(result.status).toBe('Error');
	expect(JSON.stringify(result)).not.toContain('tok-wrong-123456');
	expect(n8n.logs()).not.toContain('tok-wrong-123456');
}, 60_000);

test('a published trigger receives messages and acks; unpublishing restores the previous URL', async () => {
	sandbox.server.state.webhookUrl = PREVIOUS_URL;
	const credential = await n8n.createCredential('chatApiApi', 'Chat API for the trigger', sandbox.credentials);
	const workflow = await n8n.createWorkflow({
		name: 'E2E: Chat API trigger → reply',
		nodes: [
			{
				id: 'c4a70000-0000-4000-8000-000000000001',
				name: 'Chat API Trigger',
				type: `${n8n.packageName}.chatApiTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'c4a70000-0000-4000-8000-0000000000aa',
				parameters: { events: ['incomingMessage', 'messageDelivered'] },
				credentials: { chatApiApi: { id: credential.id, name: credential.name } },
			},
			{
				id: 'c4a70000-0000-4000-8000-000000000002',
				name: 'Reply',
				type: `${n8n.packageName}.chatApi`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'message', operation: 'sendText', recipient: '={{ $json.chatId }}', text: '={{ "Echo: " + ($json.body ?? $json.status) }}' },
				credentials: { chatApiApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { 'Chat API Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
	});
	expect((await n8n.activate(workflow.id)).active).toBe(true);
	// n8n registers a published workflow's webhooks in the background.
	const registered = await until(() => (sandbox.server.state.webhookUrl !== PREVIOUS_URL ? sandbox.server.state.webhookUrl : undefined));
	expect(registered.startsWith(n8n.webhookUrl(`c4a70000-0000-4000-8000-0000000000aa/webhook`))).toBe(true);
	expect(registered).toContain('n8nSecret=');
	expect(sandbox.server.state.ackNotificationsOn).toBe(true);

	const forged = await deliverBatch(sandbox.server, { messages: [] }, registered.split('?')[0]);
	expect(forged.status).toBe(401);

	const message = receiveInbound(sandbox.server.state, { chatId: '17472822486@c.us', body: 'Is my order ready?', senderName: 'Jane' });
	const delivery = await deliverBatch(sandbox.server, { messages: [messageJson(message, filesUrlOf(sandbox.server))], ack: [{ id: 'true_17472822486@c.us_OLD', queueNumber: 1, chatId: '17472822486@c.us', status: 'delivered' }] });
	expect(delivery.status).toBe(200);

	const [execution] = await n8n.waitForExecutions(workflow.id, 1);
	expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
	const triggered = execution.data!.resultData.runData['Chat API Trigger'][0].data!.main[0]!;
	expect(triggered.map((item) => item.json.event)).toEqual(['incomingMessage', 'messageDelivered']);
	const replies = sandbox.server.accepted('POST /instance12345/sendMessage').map((request) => request.body);
	expect(replies).toEqual([
		{ chatId: '17472822486@c.us', body: 'Echo: Is my order ready?' },
		{ chatId: '17472822486@c.us', body: 'Echo: delivered' },
	]);
	expect(n8n.logs()).not.toContain(sandbox.credentials.token);

	expect((await n8n.deactivate(workflow.id)).active).toBe(false);
	expect(await until(() => (sandbox.server.state.webhookUrl === PREVIOUS_URL ? true : undefined))).toBe(true);
}, 90_000);

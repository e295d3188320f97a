/**
 * Chat API through a real n8n 2.41 server: publishing a workflow with the Chat API Trigger points
 * the sandbox instance at n8n; the sandbox delivers an incoming message and an ack, and n8n runs
 * the workflow for each; a forged call is refused; unpublishing puts the previous URL back.
 * Testing the published workflow ("Execute step" on the trigger) is refused at once, or, when
 * allowed, gives the instance's one webhook back the moment the test ends, so the next customer
 * message still reaches the published workflow.
 */
import { deliverBatch, filesUrlOf, messageJson, receiveInbound } from '../../sandbox/chatapi';
import { encodeGreyscalePng } from '../../sandbox/png';
import { startChatApi } from '../support/chatapi';
import { until, untilChanged } from '../support/until';
import { chainWorkflow, executionsIn, listenForTestEvent, node, stopListening, testGoodAndWrongCredential, testWebhookUrl, useN8nWithSandbox, uses } from '../support/use-n8n';

const env = useN8nWithSandbox(startChatApi);

const PREVIOUS_URL = 'https://crm.example.com/whatsapp-hook';

test('the credential is tested by n8n, and a wrong token fails without showing it', async () => {
	const { n8n, sandbox } = env;
	const result = await testGoodAndWrongCredential(n8n, 'chatApiApi', ['Chat API sandbox', sandbox.credentials], ['Chat API wrong token', { token: 'tok-wrong-123456' }]);
	expect(result.status).toBe('Error');
	expect(JSON.stringify(result)).not.toContain('tok-wrong-123456');
	expect(n8n.logs()).not.toContain('tok-wrong-123456');
}, 60_000);

test('a published trigger receives messages and acks; unpublishing restores the previous URL', async () => {
	const { n8n, sandbox } = env;
	sandbox.server.state.webhookUrl = PREVIOUS_URL;
	const credential = await n8n.createCredential('chatApiApi', 'Chat API for the trigger', sandbox.credentials);
	const credentials = uses('chatApiApi', credential);
	const workflow = await n8n.createWorkflow(
		chainWorkflow('E2E: Chat API trigger → reply', [
			node('c4a70000-0000-4000-8000-000000000001', 'Chat API Trigger', `${n8n.packageName}.chatApiTrigger`, { events: ['incomingMessage', 'messageDelivered'] }, { webhookId: 'c4a70000-0000-4000-8000-0000000000aa', credentials }),
			node('c4a70000-0000-4000-8000-000000000002', 'Reply', `${n8n.packageName}.chatApi`, { resource: 'message', operation: 'sendText', recipient: '={{ $json.chatId }}', text: '={{ "Echo: " + ($json.body ?? $json.status) }}' }, { credentials }),
		]),
	);
	// n8n registers a published workflow's webhooks in the background.
	const registered = await untilChanged(
		() => sandbox.server.state.webhookUrl,
		async () => expect((await n8n.activate(workflow.id)).active).toBe(true),
	);
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

test('Download Media: a customer\'s photo reaches the workflow as a file, which it sends back from binary data', async () => {
	const { n8n, sandbox } = env;
	sandbox.server.state.webhookUrl = '';
	const credential = await n8n.createCredential('chatApiApi', 'Chat API for media', sandbox.credentials);
	const credentials = uses('chatApiApi', credential);
	const workflow = await n8n.createWorkflow(
		chainWorkflow('E2E: Chat API photo in → photo back', [
			node('c4a70000-0000-4000-8000-000000000201', 'Chat API Trigger', `${n8n.packageName}.chatApiTrigger`, { events: ['incomingMessage'], options: { downloadMedia: true, allowPrivateNetworkUrls: true, mediaSizeLimitMb: 5 } }, { webhookId: 'c4a70000-0000-4000-8000-0000000002aa', credentials }),
			node('c4a70000-0000-4000-8000-000000000202', 'Send It Back', `${n8n.packageName}.chatApi`, { resource: 'message', operation: 'sendFile', recipient: '={{ $json.chatId }}', mediaSource: 'binary', binaryPropertyName: 'data', caption: 'Got your photo' }, { credentials }),
		]),
	);
	const registered = await untilChanged(
		() => sandbox.server.state.webhookUrl,
		async () => expect((await n8n.activate(workflow.id)).active).toBe(true),
	);
	await n8n.waitForWebhook('c4a70000-0000-4000-8000-0000000002aa/webhook', 10_000, 'POST');

	// A real PNG, stored by the simulated instance and linked from the message as Chat API links media.
	const photo = encodeGreyscalePng(8, 8, new Uint8Array(64).map((_, index) => index * 4));
	const message = receiveInbound(sandbox.server.state, { chatId: '17472822486@c.us', type: 'image', body: `data:image/png;base64,${photo.toString('base64')}`, filename: 'receipt.png', senderName: 'Jane' });
	expect((await deliverBatch(sandbox.server, { messages: [messageJson(message, filesUrlOf(sandbox.server))] }, registered)).status).toBe(200);

	const [execution] = await n8n.waitForExecutions(workflow.id, 1);
	expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
	const [item] = execution.data!.resultData.runData['Chat API Trigger'][0].data!.main[0]! as Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> }>;
	expect(item.json).toMatchObject({ event: 'incomingMessage', type: 'image', chatId: '17472822486@c.us' });
	expect(item.json.mediaError).toBeUndefined();
	expect(item.binary?.data).toMatchObject({ fileName: 'receipt.png', mimeType: 'image/png' });
	const [sent] = sandbox.server.accepted('POST /instance12345/sendFile').map((request) => request.body);
	expect(sent).toEqual({ chatId: '17472822486@c.us', body: `data:image/png;base64,${photo.toString('base64')}`, filename: 'receipt.png', caption: 'Got your photo' });

	expect((await n8n.deactivate(workflow.id)).active).toBe(false);
}, 90_000);

describe('testing the published workflow ("Execute step" on the trigger)', () => {
	const TRIGGER = 'Chat API Trigger';
	const webhookId = (n: number) => `c4a70000-0000-4000-8000-0000000001${n}a`;

	async function publishTrigger(n: number, options: Record<string, unknown> = {}) {
		const { n8n, sandbox } = env;
		sandbox.server.state.webhookUrl = PREVIOUS_URL;
		const credential = await n8n.createCredential('chatApiApi', `Chat API (test listen ${n})`, sandbox.credentials);
		const workflow = await n8n.createWorkflow(
			chainWorkflow(`E2E: Chat API test listen ${n}`, [
				node(`c4a70000-0000-4000-8000-0000000001${n}1`, TRIGGER, `${n8n.packageName}.chatApiTrigger`, { events: ['incomingMessage'], options }, { webhookId: webhookId(n), credentials: uses('chatApiApi', credential) }),
			]),
		);
		const published = await untilChanged(
			() => sandbox.server.state.webhookUrl,
			async () => expect((await n8n.activate(workflow.id)).active).toBe(true),
		);
		expect(published.startsWith(`${n8n.webhookUrl(`${webhookId(n)}/webhook`)}?n8nSecret=`)).toBe(true);
		await n8n.waitForWebhook(`${webhookId(n)}/webhook`, 10_000, 'POST');
		return { workflow, published };
	}

	/** A customer writes; the published workflow runs for it (its `count`-th run). */
	async function customerReachesPublished(workflowId: string, count: number, text: string) {
		const { n8n, sandbox } = env;
		const message = receiveInbound(sandbox.server.state, { chatId: '17472822486@c.us', body: text, senderName: 'Jane' });
		expect((await deliverBatch(sandbox.server, { messages: [messageJson(message, filesUrlOf(sandbox.server))] })).status).toBe(200);
		await until(async () => ((await executionsIn(n8n, workflowId, 'webhook')).length >= count ? true : undefined), { timeoutMs: 20_000 });
		const runs = await executionsIn(n8n, workflowId, 'webhook');
		expect(runs.at(-1)!.data!.resultData.runData[TRIGGER][0].data!.main[0]![0].json.body).toBe(text);
	}

	test('is refused at once, and the instance keeps calling the published workflow', async () => {
		const { n8n, sandbox } = env;
		const { workflow, published } = await publishTrigger(1);
		sandbox.server.clearReceived();

		const refusal = await listenForTestEvent(n8n, workflow.id, TRIGGER);
		// What the editor shows at once ("Problem running workflow").
		expect(refusal).toEqual({ status: 500, message: expect.stringMatching(/^This workflow is published and the Chat API instance's only webhook points at it: while a test listens, its messages would reach only the test\./) });
		expect(sandbox.server.received('POST /instance12345/webhook')).toHaveLength(0);
		expect(sandbox.server.state.webhookUrl).toBe(published);

		await customerReachesPublished(workflow.id, 1, 'Still there?');
		expect((await n8n.deactivate(workflow.id)).active).toBe(false);
		await until(() => (sandbox.server.state.webhookUrl === PREVIOUS_URL ? true : undefined));
	}, 90_000);

	test('allowed to take over: the test gets the next message, and stopping a second test gives the published workflow its URL back', async () => {
		const { n8n, sandbox } = env;
		const { workflow, published } = await publishTrigger(2, { takeOverWhileTesting: true });

		expect(await listenForTestEvent(n8n, workflow.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		await until(() => (sandbox.server.state.webhookUrl.startsWith(`${testWebhookUrl(n8n, `${webhookId(2)}/webhook`)}?n8nSecret=`) ? true : undefined));
		const message = receiveInbound(sandbox.server.state, { chatId: '17472822486@c.us', body: 'For the test', senderName: 'Jane' });
		expect((await deliverBatch(sandbox.server, { messages: [messageJson(message, filesUrlOf(sandbox.server))] })).status).toBe(200);
		const [testRun] = await until(async () => {
			const runs = await executionsIn(n8n, workflow.id, 'manual');
			return runs.length ? runs : undefined;
		});
		expect(testRun.data!.resultData.runData[TRIGGER][0].data!.main[0]![0].json.body).toBe('For the test');
		await until(() => (sandbox.server.state.webhookUrl === published ? true : undefined));
		await customerReachesPublished(workflow.id, 1, 'After the test');

		expect(await listenForTestEvent(n8n, workflow.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		await until(() => (sandbox.server.state.webhookUrl !== published ? true : undefined));
		await stopListening(n8n, workflow.id);
		await until(() => (sandbox.server.state.webhookUrl === published ? true : undefined));
		await customerReachesPublished(workflow.id, 2, 'After the stop');

		expect((await n8n.deactivate(workflow.id)).active).toBe(false);
		await until(() => (sandbox.server.state.webhookUrl === PREVIOUS_URL ? true : undefined));
	}, 90_000);
});

/**
 * Messingin through a real n8n 2.41 server with the packed package installed: n8n tests the
 * credential against the sandbox; a published workflow creates a session whose webhook is the
 * published Messingin Trigger's URL (the node adds the secret); the sandbox delivers a
 * message.received to it and n8n records the execution, which echoes the message; a forged call
 * is refused without a run.
 */
import { startMessingin } from '../support/messingin';
import { until } from '../support/until';
import { chainWorkflow, executionsIn, listenForTestEvent, node, postJson, publish, testGoodAndWrongCredential, testWebhookUrl, useN8nWithSandbox, uses, webhookNode } from '../support/use-n8n';

const env = useN8nWithSandbox(startMessingin);

const TRIGGER_WEBHOOK_ID = 'e2e0c0de-0000-4000-8000-00000000aaaa';
const CREATE_PATH = 'messingin-e2e-create-session';

const control = async (path: string, json: unknown = {}) => {
	const response = await postJson(`${env.sandbox.server.controlUrl}/messingin${path}`, json);
	return (await response.json()) as { delivery: { status: number | null } | null };
};

test('n8n tests the credential: a working key passes, a wrong one fails without showing it', async () => {
	const { n8n, sandbox } = env;
	const result = await testGoodAndWrongCredential(n8n, 'messinginApi', ['Messingin sandbox', sandbox.credentials], ['Messingin wrong key', { apiKey: 'mk-wrong-0123456789' }]);
	expect(result).toMatchObject({ status: 'Error', message: expect.stringContaining('Messingin refused the credential') });
	expect(JSON.stringify(result)).not.toContain('mk-wrong-0123456789');
	expect(sandbox.server.received().map((request) => request.status)).toEqual([404, 401]);
}, 60_000);

test('publish → a session\'s webhook points at the trigger → message.received starts a recorded execution', async () => {
	const { n8n, sandbox } = env;
	const credential = await n8n.createCredential('messinginApi', 'Messingin for the workflows', sandbox.credentials);
	const credentials = uses('messinginApi', credential);
	const triggerUrl = n8n.webhookUrl(`${TRIGGER_WEBHOOK_ID}/messingin`);

	const echo = await n8n.createWorkflow(
		chainWorkflow('E2E: Messingin trigger → echo', [
			node('e2e0c0de-0000-4000-8000-000000000001', 'Messingin Trigger', `${n8n.packageName}.messinginTrigger`, { events: ['message.received'] }, { webhookId: TRIGGER_WEBHOOK_ID, credentials }),
			node('e2e0c0de-0000-4000-8000-000000000002', 'Echo', `${n8n.packageName}.messingin`, { resource: 'message', operation: 'send', sessionId: '={{ $json.sessionId }}', to: '={{ $json.from }}', message: '={{ "Echo: " + $json.message }}' }, { credentials }),
		]),
	);
	const createSession = await n8n.createWorkflow(
		chainWorkflow('E2E: create a Messingin session for the trigger', [
			webhookNode('e2e0c0de-0000-4000-8000-000000000003', 'e2e0c0de-0000-4000-8000-00000000bbbb', CREATE_PATH),
			node('e2e0c0de-0000-4000-8000-000000000004', 'Create Session', `${n8n.packageName}.messingin`, { resource: 'session', operation: 'create', name: 'E2E shop', webhook: triggerUrl, binaryPropertyName: 'qrCode' }, { credentials }),
		]),
	);
	await publish(n8n, echo.id, `${TRIGGER_WEBHOOK_ID}/messingin`, 'POST');
	await publish(n8n, createSession.id, CREATE_PATH, 'POST');

	// The session is created through n8n, with the trigger's URL as its webhook.
	const created = await postJson(n8n.webhookUrl(CREATE_PATH), {});
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
	const forged = await postJson(triggerUrl, { event: 'message.received', data: { id: 'msg_forged', sessionId: session.sessionId, from: '+17472822486', message: 'forged' } });
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

test('Session → Create offers the workflow\'s own Messingin Trigger: the URL it noted when published, with the secret', async () => {
	const { n8n, sandbox } = env;
	const credential = await n8n.createCredential('messinginApi', 'Messingin for the self-contained workflow', sandbox.credentials);
	const credentials = uses('messinginApi', credential);
	const triggerWebhookId = 'e2e0c0de-0000-4000-8000-00000000cccc';
	const createPath = `messingin-own-trigger-${Date.now()}`;
	const workflow = chainWorkflow('E2E: Messingin session for this workflow\'s trigger', [
		webhookNode('e2e0c0de-0000-4000-8000-000000000301', 'e2e0c0de-0000-4000-8000-00000000dddd', createPath),
		node('e2e0c0de-0000-4000-8000-000000000302', 'Create Session', `${n8n.packageName}.messingin`, { resource: 'session', operation: 'create', name: 'Own trigger', webhookTarget: 'trigger', binaryPropertyName: 'qrCode' }, { credentials }),
	]);
	const trigger = chainWorkflow('', [node('e2e0c0de-0000-4000-8000-000000000303', 'Customer Writes In', `${n8n.packageName}.messinginTrigger`, { events: ['message.received'] }, { webhookId: triggerWebhookId, credentials })]).nodes;
	const created = await n8n.createWorkflow({ ...workflow, nodes: [...workflow.nodes, ...trigger.map((entry) => ({ ...entry, position: [0, 300] }))] });
	await publish(n8n, created.id, createPath, 'POST');
	// n8n saves what the trigger noted once every webhook of the workflow is registered.
	await until(async () => (JSON.stringify(((await n8n.api('GET', `/workflows/${created.id}`)) as { staticData?: unknown }).staticData).includes(triggerWebhookId) ? true : undefined));

	const before = sandbox.server.state.sessions.length;
	const answer = await postJson(n8n.webhookUrl(createPath), {});
	expect(answer.status).toBe(200);
	const session = sandbox.server.state.sessions[before];
	expect(session.webhook).toBe(`${n8n.webhookUrl(`${triggerWebhookId}/messingin`)}?secret=${sandbox.credentials.webhookSecret}`);
	expect((await n8n.deactivate(created.id)).active).toBe(false);
}, 90_000);

describe('"Execute step" on the trigger', () => {
	const TRIGGER = 'Messingin Trigger';
	const webhookId = (n: number) => `e2e0c0de-0000-4000-8000-0000000001${n}a`;

	async function publishTrigger(n: number, options: Record<string, unknown> = {}) {
		const { n8n, sandbox } = env;
		const credential = await n8n.createCredential('messinginApi', `Messingin (test listen ${n})`, sandbox.credentials);
		const workflow = await n8n.createWorkflow(
			chainWorkflow(`E2E: Messingin test listen ${n}`, [
				node(`e2e0c0de-0000-4000-8000-0000000001${n}1`, TRIGGER, `${n8n.packageName}.messinginTrigger`, { events: ['message.received'], options }, { webhookId: webhookId(n), credentials: uses('messinginApi', credential) }),
			]),
		);
		await publish(n8n, workflow.id, `${webhookId(n)}/messingin`, 'POST');
		return workflow;
	}

	test('is refused at once, and the session keeps reaching the published workflow', async () => {
		const { n8n, sandbox } = env;
		const workflow = await publishTrigger(1);
		const session = sandbox.connectedSession(`${n8n.webhookUrl(`${webhookId(1)}/messingin`)}?secret=${sandbox.credentials.webhookSecret}`);

		const refusal = await listenForTestEvent(n8n, workflow.id, TRIGGER);
		// What the editor shows at once ("Problem running workflow"), instead of "Listening…" for ever.
		expect(refusal).toEqual({ status: 500, message: expect.stringMatching(/^Messingin never calls this test URL: it sends events only to the webhook URL set on a session or in its dashboard\./) });

		expect((await control('/inbound', { sessionId: session.sessionId, from: '+17472822486', message: 'Still there?' })).delivery?.status).toBe(200);
		const [run] = await n8n.waitForExecutions(workflow.id, 1);
		expect(run.mode).toBe('webhook');
		expect(run.data!.resultData.runData[TRIGGER][0].data!.main[0]![0].json).toMatchObject({ event: 'message.received', message: 'Still there?' });
	}, 90_000);

	test('with a session sending to the Test URL, the test receives its message', async () => {
		const { n8n, sandbox } = env;
		const workflow = await publishTrigger(2, { testUrlOnSession: true });
		const session = sandbox.connectedSession(`${testWebhookUrl(n8n, `${webhookId(2)}/messingin`)}?secret=${sandbox.credentials.webhookSecret}`);

		expect(await listenForTestEvent(n8n, workflow.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		expect((await control('/inbound', { sessionId: session.sessionId, from: '+17472822486', message: 'For the test' })).delivery?.status).toBe(200);
		const [testRun] = await until(async () => {
			const runs = await executionsIn(n8n, workflow.id, 'manual');
			return runs.length ? runs : undefined;
		});
		expect(testRun.data!.resultData.runData[TRIGGER][0].data!.main[0]![0].json).toMatchObject({ event: 'message.received', message: 'For the test' });
	}, 90_000);
});

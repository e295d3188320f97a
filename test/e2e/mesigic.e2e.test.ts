/**
 * Mesigic through a real n8n 2.41 server with the packed package installed: n8n tests the
 * credential against the sandbox (a wrong secret fails), and a published workflow sends a
 * message through the sandbox when its webhook is called.
 */
import { startMesigic } from '../support/mesigic';
import { chainWorkflow, node, postJson, publish, testGoodAndWrongCredential, useN8nWithSandbox, uses, webhookNode } from '../support/use-n8n';

const env = useN8nWithSandbox(startMesigic);

test('n8n passes the Mesigic credential against the sandbox and fails a wrong secret', async () => {
	const { n8n, sandbox } = env;
	const result = await testGoodAndWrongCredential(n8n, 'mesigicApi', ['Mesigic sandbox', sandbox.credentials], ['Mesigic wrong secret', { clientSecret: 'not-the-secret' }]);
	expect(result.status).toBe('Error');
	expect(result.message).not.toContain('not-the-secret');
	expect(sandbox.server.received('GET /external-api/contact/list').some((request) => request.status === 401)).toBe(true);
}, 60_000);

test('a published workflow sends a message through Mesigic', async () => {
	const { n8n, sandbox } = env;
	const credential = await n8n.createCredential('mesigicApi', 'Mesigic for the workflow', sandbox.credentials);
	const webhookPath = `mesigic-${Date.now()}`;
	const workflow = await n8n.createWorkflow(
		chainWorkflow('E2E: webhook → Mesigic send', [
			webhookNode('c0a80000-0000-4000-8000-000000000001', 'c0a80000-0000-4000-8000-0000000000aa', webhookPath),
			node('c0a80000-0000-4000-8000-000000000002', 'Send WhatsApp', `${n8n.packageName}.mesigic`, { resource: 'message', operation: 'send', phone: '={{ $json.body.phone }}', message: '={{ $json.body.text }}', attachment: 'none' }, { credentials: uses('mesigicApi', credential) }),
		]),
	);
	await publish(n8n, workflow.id, webhookPath);

	const response = await postJson(n8n.webhookUrl(webhookPath), { phone: '+880 1711-000001', text: 'Sent from a published n8n workflow' });
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

test('a template dropdown that cannot load says why and what to do, in the message the editor shows', async () => {
	const { n8n, sandbox } = env;
	const credential = await n8n.createCredential('mesigicApi', 'Mesigic wrong secret for the dropdown', { ...sandbox.credentials, clientSecret: 'not-the-secret-either' });
	// What the editor asks when the Template dropdown opens.
	const failure = (await n8n
		.rest('POST', '/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: `${n8n.packageName}.mesigic`, version: 1 },
			path: 'parameters.templateId',
			methodName: 'getTemplates',
			currentNodeParameters: { resource: 'message', operation: 'sendTemplate', phone: '', templateId: '' },
			credentials: uses('mesigicApi', credential),
		})
		.then(
			() => undefined,
			(error: { status?: number; body?: { message?: string } }) => error,
		))!;
	expect(failure.status).toBe(500);
	// The editor shows it as: There was a problem loading the parameter options from server: "<message>".
	expect(failure.body?.message).toMatch(/^Could not load the templates: Mesigic: .+\. Check the Client ID and Client Secret in the Mesigic credential/);
	expect(JSON.stringify(failure.body)).not.toContain('not-the-secret-either');
}, 60_000);

/**
 * Message → Send and Wait for Response on a real n8n in regular mode (the suite:
 * test/support/send-and-wait-suite.ts; queue mode: send-and-wait-queue.e2e.test.ts), plus what only
 * regular mode needs: n8n lists a human-in-the-loop tool variant of each action node, and the
 * npm start demo "approve a refund over WhatsApp".
 */

import demo from '../../demo/workflows/chatapi-approve-refund.json';
import { sendAndWaitSuite } from '../support/send-and-wait-suite';
import { until } from '../support/until';
import { postJson, publish, uses } from '../support/use-n8n';

const { env, providers, submit, previewAgent } = sendAndWaitSuite();

test('n8n 2.41 lists a human-in-the-loop tool for every action node with Send and Wait', async () => {
	const { n8n } = env;
	const types = await n8n.nodeTypes(`${n8n.packageName}.`);
	for (const provider of providers) {
		expect(types).toEqual(expect.arrayContaining([`${n8n.packageName}.${provider.type}`, `${n8n.packageName}.${provider.type}Tool`, `${n8n.packageName}.${provider.type}HitlTool`]));
	}
	const hitl = (await n8n.nodeTypeDescriptions(`${n8n.packageName}.mesigicHitlTool`))[0];
	expect(hitl).toMatchObject({ displayName: 'Mesigic', subtitle: 'Send and wait', description: 'Request human approval for tools' });
	const property = (name: string) => hitl.properties.filter((candidate) => candidate.name === name);
	// One Operation selector per resource: n8n turns each into a hidden sendAndWait.
	expect(new Set(property('operation').map(({ type, default: value }) => `${type}:${String(value)}`))).toEqual(new Set(['hidden:sendAndWait']));
	expect(property('resource')).toEqual([expect.objectContaining({ type: 'hidden', default: 'message' })]);
	expect(property('responseType')).toEqual([expect.objectContaining({ type: 'hidden', default: 'approval' })]);
	expect(property('phone').length).toBeGreaterThan(0);
	expect(n8n.logProblems()).toEqual([]);
}, 30_000);

test('the npm start demo "approve a refund over WhatsApp": the request waits for the manager; Refund resumes it and the customer is told', async () => {
	const { n8n } = env;
	const chatApi = providers.find((provider) => provider.key === 'chatapi')!;
	const credential = await n8n.createCredential('chatApiApi', 'Chat API (sandbox)', { ...chatApi.credentials() });
	const { publish: _publish, ...definition } = structuredClone(demo);
	for (const item of definition.nodes as Array<{ credentials?: Record<string, unknown> }>) {
		if (item.credentials) item.credentials = uses('chatApiApi', credential);
	}
	const workflow = await n8n.createWorkflow(definition);
	await publish(n8n, workflow.id, 'demo-refund', 'POST');
	const sent = chatApi.sentTexts().length;
	const requested = await postJson(n8n.webhookUrl('demo-refund'), { order: '1042', amount: 120, customer: 'Jane', phone: '+44 20 7946 0958', reason: 'arrived broken' });
	expect(requested.status).toBe(200);
	const asked = await until(() => chatApi.sentTexts()[sent]);
	expect(asked).toMatch(/^Refund request: \$120 for order 1042 \(Jane\)\. Reason: arrived broken\n\nRefund or decline: http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/\d+\/7e2f4a10-0002-4c3d-9a1b-5e6f7a8b0002\?signature=[0-9a-f]{64}$/);
	const link = asked.split('Refund or decline: ')[1];
	const [waiting] = await until(async () => {
		const list = await n8n.executions(workflow.id, { status: 'waiting' });
		return list.length ? list : undefined;
	});
	expect(await (await fetch(link, { headers: { 'user-agent': previewAgent } })).text()).toContain('<title>Refund request</title>');
	expect((await submit(link, { answer: 'approve' })).status).toBe(200);
	const [done] = await n8n.waitForExecutions(workflow.id, 1);
	expect([done.id, done.status]).toEqual([waiting.id, 'success']);
	expect(Object.keys(done.data!.resultData.runData)).toEqual(expect.arrayContaining(['Tell the Customer: Refunded']));
	expect(chatApi.sentTexts().slice(sent)).toEqual([asked, 'Good news Jane: your refund of $120 for order 1042 is on its way.']);
	expect(env.sandbox.chatApi.server.accepted('POST /instance12345/sendMessage').at(-1)?.body).toMatchObject({ phone: '442079460958' });
}, 60_000);

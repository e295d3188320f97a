/**
 * Messlo Login with WhatsApp on a real n8n 2.41 server: a published workflow (Webhook → Start →
 * Wait for Verification → Verify Token) starts a login; the simulator's customer sends the LOGIN
 * message; the wait hears `verified` on the event stream and Verify Token gives the customer's
 * phone and name. The verification token shows in no line of n8n's log.
 */
import type { IDataObject } from 'n8n-workflow';

import { startMesslo } from '../support/messlo';
import { until } from '../support/until';
import { chainWorkflow, node, postJson, publish, useN8nWithSandbox, uses } from '../support/use-n8n';

const env = useN8nWithSandbox(startMesslo);

const START_PATH = 'messlo-login-e2e';
const EVENTS = 'GET /v1/auth/whatsapp/events/:sessionId';

test('a workflow starts a login, waits until the customer sends LOGIN, and verifies the token: the phone and the name', async () => {
	const { n8n, sandbox } = env;
	const credential = await n8n.createCredential('messloApi', 'Messlo sandbox', sandbox.credentials);
	const messlo = (id: string, name: string, parameters: IDataObject) => node(id, name, `${n8n.packageName}.messlo`, parameters, { credentials: uses('messloApi', credential) });
	const created = await n8n.createWorkflow(
		chainWorkflow('Messlo login', [
			node('7a1e0000-0000-4000-8000-000000000001', 'Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: START_PATH, responseMode: 'onReceived', options: {} }, { typeVersion: 2, webhookId: '7a1e0000-0000-4000-8000-000000000101' }),
			messlo('7a1e0000-0000-4000-8000-000000000002', 'Start', { resource: 'login', operation: 'start' }),
			messlo('7a1e0000-0000-4000-8000-000000000003', 'Wait', {
				resource: 'login',
				operation: 'waitForVerification',
				sessionId: '={{ $json.sessionId }}',
				subscribeToken: '={{ $json.subscribeToken }}',
				timeoutSeconds: 60,
			}),
			messlo('7a1e0000-0000-4000-8000-000000000004', 'Verify', { resource: 'login', operation: 'verifyToken', token: '={{ $json.verificationToken }}' }),
		]),
	);
	await publish(n8n, created.id, START_PATH, 'POST');

	expect((await postJson(n8n.webhookUrl(START_PATH), { signup: 'web' })).status).toBe(200);
	// The customer writes once n8n listens on the session's event stream.
	await until(() => (sandbox.server.received(EVENTS).length ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 });
	const session = sandbox.server.state.loginSessions[0]!;
	const verified = await fetch(`${sandbox.server.controlUrl}/messlo/login/verify`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ sessionId: session.sessionId, phone: '+447700900123', name: 'Tom Baker' }),
	});
	expect(verified.status).toBe(200);

	const [execution] = await n8n.waitForExecutions(created.id, 1, 60_000);
	expect(execution!.status).toBe('success');
	const output = (name: string) => execution!.data!.resultData.runData[name]![0]!.data!.main[0]!.map((item) => item.json as IDataObject);
	expect(output('Start')).toEqual([expect.objectContaining({ sessionId: session.sessionId, waLink: expect.stringContaining('https://wa.me/') })]);
	expect(output('Wait')).toEqual([expect.objectContaining({ verified: true, heardBy: 'stream' })]);
	expect(output('Verify')).toEqual([{ valid: true, user: { phone: '447700900123', name: 'Tom Baker' } }]);

	const token = session.verificationToken!;
	expect(token).toMatch(/^eyJ/);
	expect(sandbox.server.accepted('POST /v1/auth/verify-token')).toHaveLength(1);
	expect(n8n.logs()).not.toContain(token);
	expect(n8n.logs()).not.toContain(sandbox.credentials.apiKey);
	expect(n8n.logProblems()).toEqual([]);
	expect((await n8n.deactivate(created.id)).active).toBe(false);
}, 180_000);

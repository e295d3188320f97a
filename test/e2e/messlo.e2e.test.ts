/**
 * Messlo through a real n8n 2.41 server with the packed package installed: n8n tests the
 * credential against the simulator (a wrong key fails); the `npm start` auto-reply demo, published,
 * polls the simulator and answers a customer who writes in, and, published again (n8n polls at
 * once), starts nothing for its own reply: the cursor was saved; the `npm start` broadcast demo, run by
 * hand, sends the approved template to the contacts tagged VIP and collects the failed ones.
 *
 * n8n polls at most once a minute (a seconds field other than one fixed second is refused as "too
 * short"): the published trigger gets a custom cron at one second of the minute, ~12 s after the
 * test starts, so its first poll after the customer writes comes within seconds, not a minute.
 */
import fs from 'node:fs';
import path from 'node:path';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import { startMesslo } from '../support/messlo';
import type { Credential, N8nServer } from '../support/n8n-server';
import { until } from '../support/until';
import { testGoodAndWrongCredential, useN8nWithSandbox } from '../support/use-n8n';

const env = useN8nWithSandbox(startMesslo);

const SEND = 'POST /api/whatsapp/send';

interface DemoNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name: string }>;
}

/** A workflow of demo/workflows as `npm start` imports it: its credential named "Messlo (sandbox)" is `credential`. */
function demoWorkflow(file: string, credential: Credential): { name: string; nodes: DemoNode[]; connections: Record<string, unknown> } {
	const { publish: _publish, ...demo } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'demo', 'workflows', file), 'utf8'));
	for (const node of demo.nodes as DemoNode[]) {
		if (node.credentials?.messloApi) {
			expect(node.credentials.messloApi.name).toBe('Messlo (sandbox)');
			node.credentials.messloApi = { id: credential.id, name: credential.name };
		}
	}
	return demo;
}

let credential: Credential;
async function sandboxCredential(n8n: N8nServer): Promise<Credential> {
	credential ??= await n8n.createCredential('messloApi', 'Messlo (sandbox)', env.sandbox.credentials);
	return credential;
}

async function publishAndSettle(n8n: N8nServer, workflowId: string): Promise<void> {
	expect((await n8n.activate(workflowId)).active).toBe(true);
	const settled = await until(async () => {
		const state = (await n8n.rest('GET', `/workflows/${workflowId}/publication-status`)) as { status: string; triggers?: Array<{ errorMessage?: string }> };
		return state.status === 'in_progress' ? undefined : state;
	});
	expect(settled).toMatchObject({ status: 'published' });
}

test('n8n passes the Messlo credential against the sandbox and fails a wrong key', async () => {
	const { n8n, sandbox } = env;
	const result = await testGoodAndWrongCredential(n8n, 'messloApi', ['Messlo credential test', sandbox.credentials], ['Messlo wrong key', { apiKey: 'not-the-messlo-key' }]);
	expect(result.status).toBe('Error');
	expect(result.message).toContain('Invalid API key');
	expect(result.message).not.toContain('not-the-messlo-key');
	expect(sandbox.server.received('GET /api/whatsapp/connections').map((request) => request.status)).toEqual([200, 401]);
	expect(n8n.logs()).not.toContain('not-the-messlo-key');
}, 60_000);

test('the auto-reply demo, published, answers a customer who writes in, once', async () => {
	const { n8n, sandbox } = env;
	const demo = demoWorkflow('messlo-auto-reply.json', await sandboxCredential(n8n));
	const trigger = demo.nodes.find((node) => node.type.endsWith('.messloTrigger'))!;
	expect(trigger.parameters.pollTimes).toEqual({ item: [{ mode: 'everyMinute' }] });
	trigger.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: `${(new Date().getUTCSeconds() + 12) % 60} * * * * *` }] };
	const workflow = await n8n.createWorkflow(demo);

	sandbox.server.clearReceived();
	await publishAndSettle(n8n, workflow.id);
	// Publishing polled once (the chats of each of the account's two numbers), to note where things
	// stand: the chats the sandbox holds started nothing.
	expect(sandbox.server.received('GET /api/whatsapp/chats').map((request) => request.query.whatsapp_phone_number_id)).toEqual([MESSLO_DEMO.phoneNumberId, MESSLO_DEMO.secondPhoneNumberId]);
	expect(sandbox.server.received('GET /api/whatsapp/messages')).toHaveLength(0);

	const written = sandbox.inbound({ from: '+44 7700 900777', name: 'Jane', text: 'Is my order ready?' });
	const [execution] = await n8n.waitForExecutions(workflow.id, 1, 80_000);
	expect(execution).toMatchObject({ mode: 'trigger', status: 'success' });
	const fired = execution!.data!.resultData.runData['Customer Writes In'][0].data!.main[0]!;
	expect(fired.map((item) => [item.json.event, item.json._id, item.json.message])).toEqual([['newInboundMessage', written.message._id, 'Is my order ready?']]);
	expect(sandbox.server.accepted(SEND).map((request) => request.body)).toEqual([
		{ contact_no: '447700900777', whatsapp_phone_number: MESSLO_DEMO.senderNumber, messageType: 'text', message: 'Thanks Jane, we got your message: Is my order ready?' },
	]);

	// The cursor was saved with the run: published again (which polls at once), the trigger sees the
	// reply move the chat, reads it, and starts nothing.
	expect((await n8n.deactivate(workflow.id)).active).toBe(false);
	const reads = sandbox.server.received('GET /api/whatsapp/messages').length;
	await publishAndSettle(n8n, workflow.id);
	expect(sandbox.server.received('GET /api/whatsapp/messages').length).toBe(reads + 1);
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	expect(await n8n.executions(workflow.id)).toHaveLength(1);
	expect(sandbox.server.accepted(SEND)).toHaveLength(1);
	expect((await n8n.deactivate(workflow.id)).active).toBe(false);
}, 120_000);

test('the scheduled broadcast demo, run by hand, sends the template to the contacts tagged VIP and collects the failures', async () => {
	const { n8n, sandbox } = env;
	const { lena, asha, tags } = MESSLO_SEED;
	// A third VIP whose number cannot exist: its item fails, the others are still sent.
	sandbox.server.state.contacts.push({ ...sandbox.server.state.contacts.find((contact) => contact._id === lena.contactId)!, _id: '5eed0c0000000000000000ff', name: 'Broken Number', phone_number: '+1 555', tags: [tags.vip.id] });
	const demo = demoWorkflow('messlo-scheduled-broadcast.json', await sandboxCredential(n8n));
	const workflow = await n8n.createWorkflow(demo);
	sandbox.server.clearReceived();

	const started = (await n8n.rest('POST', `/workflows/${workflow.id}/run`, { triggerToStartFrom: { name: 'Every Monday at 9' } })) as { executionId?: string };
	expect(started.executionId).toBeDefined();
	const [execution] = await n8n.waitForExecutions(workflow.id, 1, 30_000);
	expect(execution).toMatchObject({ mode: 'manual', status: 'success' });

	const sent = sandbox.server.accepted(SEND).map((request) => request.body);
	expect(sent).toEqual(
		// Messlo lists the newest contacts first
		[asha, lena].map((person) => ({
			contact_no: person.phone,
			whatsapp_phone_number: MESSLO_DEMO.senderNumber,
			messageType: 'template',
			templateName: 'welcome_offer',
			templateVariables: { '1': person.name.split(' ')[0], '2': 'VIP10' },
		})),
	);
	const runData = execution!.data!.resultData.runData;
	expect(runData['Get Contacts'][0].data!.main[0]!.length).toBe(sandbox.server.state.contacts.length);
	expect(runData['Send Welcome Offer'][0].data!.main[0]!).toHaveLength(2);
	expect(runData['Failed Sends'][0].data!.main[0]!.map((item) => item.json)).toEqual([{ contact: 'Broken Number', phone_number: '+1 555', error: expect.stringMatching(/^Recipient: "\+1 555" is not a valid phone number/) }]);
}, 90_000);

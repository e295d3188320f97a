/**
 * Mehery through a real n8n 2.41 server: the credential is tested by n8n; publishing a workflow
 * with the Mehery Trigger sets the sandbox's webhook URL to n8n; the sandbox delivers a batch of
 * inbound messages (one run, one reply per message), a contact-info callback answered with a
 * profile looked up in the workflow (by a Respond to Webhook node, by the last node, or from the
 * trigger's fields), and an action event; a callback with a wrong token is refused. Testing the
 * published workflow ("Execute step" on the trigger) never leaves Mehery's one webhook URL on the
 * test: refused at once, or, when allowed, pointed back the moment the test ends (event, stop,
 * timeout), so the next customer message still reaches the published workflow.
 */
import fs from 'node:fs';
import path from 'node:path';

import { MEHERY_DEMO, MEHERY_SEED } from '../../sandbox/mehery';
import { startMehery } from '../support/mehery';
import { until, untilChanged } from '../support/until';
import { executionsIn, listenForTestEvent, stopListening, testGoodAndWrongCredential, testWebhookUrl, useN8nWithSandbox } from '../support/use-n8n';

const env = useN8nWithSandbox(startMehery);

const CRM_LOOKUP = `={{ ({ "17472822486": { "profileId": "crm-1042", "name": "Jane Smith", "labels": [{ "key": "tier", "name": "Tier", "type": "TEXT", "value": "gold" }] } })[$json.csid] ?? {} }}`;

type ContactInfoResponse = 'responseNode' | 'lastNode' | 'fields';

/** Trigger → If contact info: Look Up Profile (→ Respond to Webhook v1) / else: Reply to the message. */
function workflow(mode: ContactInfoResponse, credential: { id: string; name: string }, n: number, options: Record<string, unknown> = {}) {
	const { n8n } = env;
	const id = (k: number) => `e3e30000-0000-4000-8000-0000000000${n}${k}`;
	const credentials = { meheryApi: credential };
	const nodes: Array<Record<string, unknown>> = [
		{
			id: id(1),
			name: 'Mehery Trigger',
			type: `${n8n.packageName}.meheryTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: `e3e30000-00aa-4000-8000-0000000000${n}0`,
			parameters: {
				events: ['messageReceive', 'contactInfo', 'actionEvent'],
				contactInfoResponse: mode,
				...(mode === 'fields' ? { profile: { profileId: 'crm-fixed', labels: { label: [{ key: 'source', type: 'TEXT', value: 'n8n' }] } } } : {}),
				options,
			},
			credentials,
		},
		{
			id: id(2),
			name: 'Is Contact Info',
			type: 'n8n-nodes-base.if',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
					conditions: [{ id: id(9), leftValue: '={{ $json.event }}', rightValue: 'contactInfo', operator: { type: 'string', operation: 'equals' } }],
					combinator: 'and',
				},
				options: {},
			},
		},
		{ id: id(3), name: 'Look Up Profile', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [440, -100], parameters: { mode: 'raw', jsonOutput: CRM_LOOKUP, options: {} } },
		{
			id: id(4),
			name: 'Reply',
			type: `${n8n.packageName}.mehery`,
			typeVersion: 1,
			position: [440, 100],
			parameters: { resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '={{ $json.from }}', type: 'text', text: '={{ "Echo: " + $json.text.body }}' },
			credentials,
		},
	];
	const connections: Record<string, unknown> = {
		'Mehery Trigger': { main: [[{ node: 'Is Contact Info', type: 'main', index: 0 }]] },
		'Is Contact Info': { main: [[{ node: 'Look Up Profile', type: 'main', index: 0 }], [{ node: 'Reply', type: 'main', index: 0 }]] },
	};
	if (mode === 'responseNode') {
		// Version 1: later versions only accept n8n's own Webhook trigger before them.
		nodes.push({ id: id(5), name: 'Respond with Profile', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1, position: [660, -100], parameters: { respondWith: 'firstIncomingItem', options: {} } });
		connections['Look Up Profile'] = { main: [[{ node: 'Respond with Profile', type: 'main', index: 0 }]] };
	}
	return { name: `E2E: Mehery (${mode})`, nodes, connections };
}

async function publish(mode: ContactInfoResponse, n: number, options: Record<string, unknown> = {}) {
	const { n8n, sandbox } = env;
	const credential = await n8n.createCredential('meheryApi', `Mehery (${mode})`, sandbox.credentials);
	const created = await n8n.createWorkflow(workflow(mode, credential, n, options));
	// n8n registers a published workflow's webhooks in the background.
	const registered = await untilChanged(
		() => sandbox.server.state.webhookUrl,
		async () => expect((await n8n.activate(created.id)).active).toBe(true),
	);
	expect(registered).toBe(n8n.webhookUrl(`e3e30000-00aa-4000-8000-0000000000${n}0`));
	await n8n.waitForWebhook(`e3e30000-00aa-4000-8000-0000000000${n}0/api/v1/contact/info`, 10_000, 'POST');
	return created;
}

async function unpublish(id: string) {
	const { n8n } = env;
	expect((await n8n.deactivate(id)).active).toBe(false);
	await until(async () => ((await n8n.rest('GET', `/workflows/${id}/publication-status`)).status === 'not_published' ? true : undefined));
}

test('the credential is tested by n8n, and a wrong key fails without showing it', async () => {
	const { n8n, sandbox } = env;
	const result = await testGoodAndWrongCredential(n8n, 'meheryApi', ['Mehery sandbox', sandbox.credentials], ['Mehery wrong key', { apiKey: 'key-wrong-123456' }]);
	expect(result).toEqual({ status: 'Error', message: expect.stringContaining('Mehery refused the credential') });
	expect(JSON.stringify(result)).not.toContain('key-wrong-123456');
	expect(n8n.logs()).not.toContain('key-wrong-123456');
}, 60_000);

test('published: messages are answered, a contact-info callback gets the profile from a Respond to Webhook node', async () => {
	const { n8n, sandbox } = env;
	const created = await publish('responseNode', 1);

	const forged = await sandbox.inbound({ phone: '17472822486', text: 'forged' }, 'forged');
	expect(forged.delivery.status).toBe(401);

	const { delivery, record } = await sandbox.inbound([
		{ phone: '17472822486', text: 'Is my order ready?' },
		{ phone: '4915112345678', name: 'Anna', text: 'Hallo' },
	]);
	expect(delivery.status).toBe(200);
	// The documented answer to a message callback is the message.
	expect(delivery.response).toEqual((record.payload as { messages: unknown[] }).messages[0]);
	const [messages] = await n8n.waitForExecutions(created.id, 1);
	expect(messages).toMatchObject({ mode: 'webhook', status: 'success' });
	expect(messages.data!.resultData.runData['Mehery Trigger'][0].data!.main[0]!.map((item) => item.json.from)).toEqual(['17472822486', '4915112345678']);
	expect(sandbox.server.accepted('POST /api/v1/message/send').map((request) => request.body)).toEqual([
		{ channelId: MEHERY_DEMO.channelId, to: { phone: '17472822486' }, type: 'text', mask: false, text: { body: 'Echo: Is my order ready?', type: 'text' } },
		{ channelId: MEHERY_DEMO.channelId, to: { phone: '4915112345678' }, type: 'text', mask: false, text: { body: 'Echo: Hallo', type: 'text' } },
	]);

	const contactInfo = await sandbox.callback('contactInfo', { contactId: MEHERY_SEED.customer.contactId, contactType: 'WHATSAPP', csid: '17472822486', lane: MEHERY_DEMO.lane, profile: { name: 'Jane' } });
	expect(contactInfo.delivery.status).toBe(200);
	expect(contactInfo.delivery.response).toEqual({ profileId: 'crm-1042', name: 'Jane Smith', labels: [{ key: 'tier', name: 'Tier', type: 'TEXT', value: 'gold' }] });
	expect(contactInfo.record.replyProblems).toEqual([]);
	expect(sandbox.server.state.contacts[0]).toMatchObject({ profileId: 'crm-1042', labels: [{ key: 'tier', value: 'gold' }] });

	const executions = await n8n.waitForExecutions(created.id, 2);
	expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
	expect(n8n.logs()).not.toContain(sandbox.credentials.apiKey);
	expect(n8n.logs()).not.toContain(sandbox.credentials.verifyToken);

	await unpublish(created.id);
	// Mehery cannot remove a webhook URL: it keeps n8n's, which no longer answers.
	const after = await sandbox.callback('actionEvent', { actionCode: 'CLOSE' });
	expect(after.delivery.status).toBe(404);
}, 90_000);

test('"When Last Node Finishes" answers contact info with the lookup; an action event is answered with its code', async () => {
	const { n8n, sandbox } = env;
	const created = await publish('lastNode', 2);
	const contactInfo = await sandbox.callback('contactInfo', { contactId: 'ct-9', contactType: 'WHATSAPP', csid: '17472822486', lane: MEHERY_DEMO.lane, profile: {} });
	expect(contactInfo.delivery.response).toEqual({ profileId: 'crm-1042', name: 'Jane Smith', labels: [{ key: 'tier', name: 'Tier', type: 'TEXT', value: 'gold' }] });
	const action = await sandbox.callback('actionEvent', { actionCode: 'CLOSE_SESSION' });
	expect(action.delivery).toMatchObject({ status: 200, response: { actionCode: 'CLOSE_SESSION' } });
	const executions = await n8n.waitForExecutions(created.id, 2);
	expect(executions.map((execution) => execution.data!.resultData.runData['Mehery Trigger'][0].data!.main[0]![0].json.event)).toEqual(['contactInfo', 'actionEvent']);
	await unpublish(created.id);
}, 90_000);

test('the trigger\'s profile fields answer contact info at once, and the run is recorded', async () => {
	const { n8n, sandbox } = env;
	const created = await publish('fields', 3);
	const contactInfo = await sandbox.callback('contactInfo', { contactId: MEHERY_SEED.customer.contactId, contactType: 'WHATSAPP', lane: MEHERY_DEMO.lane, profile: {} });
	expect(contactInfo.delivery.response).toEqual({ profileId: 'crm-fixed', labels: [{ key: 'source', type: 'TEXT', value: 'n8n' }] });
	const [execution] = await n8n.waitForExecutions(created.id, 1);
	expect(execution.status).toBe('success');
	await unpublish(created.id);
}, 90_000);

test('the demo workflow of `npm start` answers a message and a contact-info callback from its lookup', async () => {
	const { n8n, sandbox } = env;
	const file = path.join(__dirname, '..', '..', 'demo', 'workflows', 'mehery-auto-reply-and-lookup.json');
	const { publish: _publish, ...demo } = JSON.parse(fs.readFileSync(file, 'utf8'));
	const credential = await n8n.createCredential('meheryApi', 'Mehery (sandbox)', sandbox.credentials);
	for (const node of demo.nodes) {
		if (node.credentials?.meheryApi) node.credentials.meheryApi = { id: credential.id, name: credential.name };
	}
	const created = await n8n.createWorkflow(demo);
	const registered = await untilChanged(
		() => sandbox.server.state.webhookUrl,
		() => n8n.activate(created.id),
	);
	await n8n.waitForWebhook(`${new URL(registered).pathname.replace(/^\/webhook\//, '')}/api/v1/message/receive`, 10_000, 'POST');
	sandbox.server.clearReceived();

	expect((await sandbox.inbound({ phone: '4915112345678', name: 'Anna', text: 'Wo ist mein Paket?' })).delivery.status).toBe(200);
	const contactInfo = await sandbox.callback('contactInfo', { contactId: MEHERY_SEED.customer.contactId, contactType: 'WHATSAPP', csid: '17472822486', lane: MEHERY_DEMO.lane, profile: {} });
	expect(contactInfo.delivery.response).toMatchObject({ profileId: 'crm-1042', name: 'Jane Smith', labels: [{ key: 'tier', value: 'gold' }, { key: 'orders', value: 12 }] });
	expect(contactInfo.record.replyProblems).toEqual([]);
	await n8n.waitForExecutions(created.id, 2);
	expect(sandbox.server.accepted('POST /api/v1/message/send').map((request) => (request.body as { to: unknown; text: unknown })).map(({ to, text }) => ({ to, text }))).toEqual([
		{ to: { phone: '4915112345678' }, text: { body: 'Thanks Anna, we got your message: Wo ist mein Paket?', type: 'text' } },
	]);
	await unpublish(created.id);
}, 90_000);

describe('testing the published workflow ("Execute step" on the trigger)', () => {
	const TRIGGER = 'Mehery Trigger';
	const webhookId = (n: number) => `e3e30000-00aa-4000-8000-0000000000${n}0`;

	/** A customer writes; the published workflow runs for it (its `count`-th run) and answers. */
	async function customerReachesPublished(workflowId: string, count: number, text: string) {
		const { n8n, sandbox } = env;
		const { delivery } = await sandbox.inbound({ phone: '17472822486', text });
		expect(delivery.status).toBe(200);
		await until(async () => ((await executionsIn(n8n, workflowId, 'webhook')).length >= count ? true : undefined), { timeoutMs: 20_000 });
		const runs = await executionsIn(n8n, workflowId, 'webhook');
		expect(runs.at(-1)!.data!.resultData.runData[TRIGGER][0].data!.main[0]![0].json.text).toMatchObject({ body: text });
	}

	test('is refused at once, and Mehery keeps calling the published workflow', async () => {
		const { n8n, sandbox } = env;
		const created = await publish('fields', 4);
		const production = n8n.webhookUrl(webhookId(4));
		const history = sandbox.server.state.webhookHistory.length;

		const refusal = await listenForTestEvent(n8n, created.id, TRIGGER);
		// What the editor shows at once ("Problem running workflow").
		expect(refusal).toEqual({ status: 500, message: expect.stringMatching(/^Mehery has one webhook URL per account and cannot say which it holds, so a test would take callbacks away from a published workflow\./) });
		expect((refusal as { message: string }).message).toContain('turn on Options → Take Over the Webhook While Testing');
		expect(sandbox.server.state.webhookHistory.length).toBe(history);
		expect(sandbox.server.state.webhookUrl).toBe(production);

		await customerReachesPublished(created.id, 1, 'Still there?');
		await unpublish(created.id);
	}, 90_000);

	test('allowed to take over: the test gets the next message, then Mehery is pointed back at the published workflow', async () => {
		const { n8n, sandbox } = env;
		const created = await publish('fields', 5, { takeOverWhileTesting: true });
		const production = n8n.webhookUrl(webhookId(5));

		expect(await listenForTestEvent(n8n, created.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		expect(await until(() => (sandbox.server.state.webhookUrl !== production ? sandbox.server.state.webhookUrl : undefined))).toBe(testWebhookUrl(n8n, webhookId(5)));

		const { delivery } = await sandbox.inbound({ phone: '17472822486', text: 'For the test' });
		expect(delivery.status).toBe(200);
		const [testRun] = await until(async () => {
			const runs = await executionsIn(n8n, created.id, 'manual');
			return runs.length ? runs : undefined;
		});
		expect(testRun.data!.resultData.runData[TRIGGER][0].data!.main[0]![0].json.text).toMatchObject({ body: 'For the test' });
		// The test ended with its event: Mehery calls the published workflow again.
		await until(() => (sandbox.server.state.webhookUrl === production ? true : undefined));

		await customerReachesPublished(created.id, 1, 'For the published workflow');
		expect(await executionsIn(n8n, created.id, 'manual')).toHaveLength(1);
		await unpublish(created.id);
	}, 90_000);

	test('allowed to take over: stopping the test points Mehery back at once', async () => {
		const { n8n, sandbox } = env;
		const created = await publish('fields', 6, { takeOverWhileTesting: true });
		const production = n8n.webhookUrl(webhookId(6));

		expect(await listenForTestEvent(n8n, created.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		await until(() => (sandbox.server.state.webhookUrl === testWebhookUrl(n8n, webhookId(6)) ? true : undefined));
		await stopListening(n8n, created.id);
		await until(() => (sandbox.server.state.webhookUrl === production ? true : undefined));

		await customerReachesPublished(created.id, 1, 'After the stop');
		await unpublish(created.id);
	}, 90_000);

	// n8n stops listening after 2 minutes.
	test('allowed to take over: a test that times out points Mehery back', async () => {
		const { n8n, sandbox } = env;
		const created = await publish('fields', 7, { takeOverWhileTesting: true });
		const production = n8n.webhookUrl(webhookId(7));

		expect(await listenForTestEvent(n8n, created.id, TRIGGER)).toEqual({ waitingForWebhook: true });
		await until(() => (sandbox.server.state.webhookUrl === testWebhookUrl(n8n, webhookId(7)) ? true : undefined));
		const started = Date.now();
		await until(() => (sandbox.server.state.webhookUrl === production ? true : undefined), { timeoutMs: 170_000, intervalMs: 500 });
		expect(Date.now() - started).toBeGreaterThan(100_000);

		await customerReachesPublished(created.id, 1, 'After the timeout');
		await unpublish(created.id);
	}, 240_000);
});

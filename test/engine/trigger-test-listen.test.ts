/**
 * "Listen for test event" on the webhook triggers, through n8n-core's HookContext as n8n's
 * TestWebhooks drives it (mode 'manual', a throw-away static data, delete() when the test ends):
 * a test never moves a provider's one webhook URL away from a published workflow unless the user
 * allows it, puts it back when the test ends, and a test that could never receive says so at once.
 */
import type { INodeParameters } from 'n8n-workflow';

import { startChatApi } from '../support/chatapi';
import { startMehery } from '../support/mehery';
import { startMessingin } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const BASE = 'http://127.0.0.1:5678';

describe('Mehery Trigger', () => {
	const env = useSandbox(startMehery);
	const WEBHOOK_ID = 'e7e7e7e7-0000-4000-8000-0000000073e5';
	const node = (options: INodeParameters = {}) => ({ name: 'Mehery Trigger', type: 'meheryTrigger', webhookId: WEBHOOK_ID, parameters: { events: ['messageReceive', 'contactInfo'], options } });
	const credentials = () => ({ meheryApi: env.sandbox.credentials });
	const webhookCalls = () => env.sandbox.server.received('POST /api/v1/config/webhook').map((request) => (request.body as { url: string }).url);

	async function publish() {
		const active = await env.pkg.activateWebhooks({ node: node(), credentials: credentials() });
		expect(active.error).toBeUndefined();
		expect(env.sandbox.server.state.webhookUrl).toBe(`${BASE}/webhook/${WEBHOOK_ID}`);
		return active;
	}

	it('refuses a test at once and leaves the published URL alone', async () => {
		await publish();
		const test = await env.pkg.listenForTestEvent({ node: node(), credentials: credentials() });
		expect(test.error?.message).toMatch(/^Mehery has one webhook URL per account and cannot say which it holds, so a test would take callbacks away from a published workflow\./);
		expect(test.error?.message).toContain('publish the workflow and open its executions; to test here anyway, turn on Options → Take Over the Webhook While Testing.');
		// n8n cleans up after the refusal with delete(), which must not touch Mehery either.
		expect(test.calls.map(({ method, cleanup }) => `${method}${cleanup ? ' (clean-up)' : ''}`)).toEqual(['checkExists', 'create', 'delete (clean-up)']);
		expect(webhookCalls()).toEqual([`${BASE}/webhook/${WEBHOOK_ID}`]);
		expect(env.sandbox.server.state.webhookUrl).toBe(`${BASE}/webhook/${WEBHOOK_ID}`);
	});

	it('allowed to take over, points Mehery at the test URL, and at the Production URL when the test ends', async () => {
		const active = await publish();
		const test = await env.pkg.listenForTestEvent({ node: node({ takeOverWhileTesting: true }), credentials: credentials() });
		expect(test.error).toBeUndefined();
		expect(test.testUrl).toBe(`${BASE}/webhook-test/${WEBHOOK_ID}/api/v1/message/receive`);
		expect(env.sandbox.server.state.webhookUrl).toBe(`${BASE}/webhook-test/${WEBHOOK_ID}`);
		// The test's own static data, not the published workflow's.
		expect(test.nodeStaticData).toEqual({ registeredUrl: `${BASE}/webhook-test/${WEBHOOK_ID}`, previousUrl: `${BASE}/webhook/${WEBHOOK_ID}` });

		const ended = await env.pkg.endTestListen({ node: node({ takeOverWhileTesting: true }), credentials: credentials(), staticData: test.staticData });
		expect(ended.error).toBeUndefined();
		expect(env.sandbox.server.state.webhookUrl).toBe(`${BASE}/webhook/${WEBHOOK_ID}`);
		expect(ended.nodeStaticData).toEqual({});
		// Unpublishing afterwards works on the published workflow's data as before.
		const after = await env.pkg.deactivateWebhooks({ node: node({ webhookUrlAfterUnpublish: 'https://crm.example.com/mehery' }), credentials: credentials(), staticData: active.staticData });
		expect(after.error).toBeUndefined();
		expect(webhookCalls()).toEqual([`${BASE}/webhook/${WEBHOOK_ID}`, `${BASE}/webhook-test/${WEBHOOK_ID}`, `${BASE}/webhook/${WEBHOOK_ID}`, 'https://crm.example.com/mehery']);
	});

	it('points Mehery back when it took the test URL but its answers were lost', async () => {
		await publish();
		env.sandbox.server.injectFault('POST /api/v1/config/webhook', { kind: 'reset-after-receive' }, 4);
		const test = await env.pkg.listenForTestEvent({ node: node({ takeOverWhileTesting: true }), credentials: credentials() });
		expect(test.error).toBeDefined();
		expect(env.sandbox.server.state.webhookHistory.at(-2)).toBe(`${BASE}/webhook-test/${WEBHOOK_ID}`);
		expect(test.calls.at(-1)).toMatchObject({ method: 'delete', cleanup: true, result: true });
		expect(env.sandbox.server.state.webhookUrl).toBe(`${BASE}/webhook/${WEBHOOK_ID}`);
	});
});

describe('Chat API Trigger', () => {
	const env = useSandbox(startChatApi);
	const WEBHOOK_ID = 'c4a7f6de-0000-4000-8000-0000000073e5';
	const CRM_URL = 'https://crm.example.com/whatsapp-hook';
	const node = (options: INodeParameters = {}) => ({ name: 'Chat API Trigger', type: 'chatApiTrigger', webhookId: WEBHOOK_ID, parameters: { events: ['incomingMessage'], options } });
	const credentials = () => ({ chatApiApi: env.sandbox.credentials });
	const webhookSets = () => env.sandbox.server.received('POST /instance12345/webhook');

	async function publish() {
		const active = await env.pkg.activateWebhooks({ node: node(), credentials: credentials() });
		expect(active.error).toBeUndefined();
		return env.sandbox.server.state.webhookUrl;
	}

	it('refuses a test while the workflow is published, and the instance keeps its URL', async () => {
		const published = await publish();
		expect(published.startsWith(`${BASE}/webhook/${WEBHOOK_ID}/webhook?n8nSecret=`)).toBe(true);
		const test = await env.pkg.listenForTestEvent({ node: node(), credentials: credentials() });
		expect(test.error?.message).toMatch(/^This workflow is published and the Chat API instance's only webhook points at it: while a test listens, its messages would reach only the test\./);
		expect(test.error?.message).toContain('unpublish it to test here, or turn on Options → Take Over the Webhook While Testing.');
		expect(test.calls.map((call) => call.method)).toEqual(['checkExists', 'create', 'delete']);
		expect(env.sandbox.server.state.webhookUrl).toBe(published);
		expect(webhookSets()).toHaveLength(1);
	});

	it('refuses a test while another application holds the webhook, without naming its URL', async () => {
		env.sandbox.server.state.webhookUrl = CRM_URL;
		const test = await env.pkg.listenForTestEvent({ node: node(), credentials: credentials() });
		expect(test.error?.message).toMatch(/^The Chat API instance's only webhook points at another application: while a test listens, its messages would reach only the test\. Clear the instance's webhook/);
		expect(JSON.stringify(test.error)).not.toContain('crm.example.com');
		expect(env.sandbox.server.state.webhookUrl).toBe(CRM_URL);
		expect(webhookSets()).toHaveLength(0);
	});

	it('tests freely on an instance without a webhook, which has none again when the test ends', async () => {
		const test = await env.pkg.listenForTestEvent({ node: node(), credentials: credentials() });
		expect(test.error).toBeUndefined();
		expect(env.sandbox.server.state.webhookUrl.startsWith(`${BASE}/webhook-test/${WEBHOOK_ID}/webhook?n8nSecret=`)).toBe(true);
		await env.pkg.endTestListen({ node: node(), credentials: credentials(), staticData: test.staticData });
		expect(env.sandbox.server.state.webhookUrl).toBe('');
	});

	it('allowed to take over, gives the published workflow its exact URL back when the test ends', async () => {
		const published = await publish();
		const test = await env.pkg.listenForTestEvent({ node: node({ takeOverWhileTesting: true }), credentials: credentials() });
		expect(test.error).toBeUndefined();
		expect(env.sandbox.server.state.webhookUrl.startsWith(`${BASE}/webhook-test/${WEBHOOK_ID}/webhook?n8nSecret=`)).toBe(true);
		await env.pkg.endTestListen({ node: node({ takeOverWhileTesting: true }), credentials: credentials(), staticData: test.staticData });
		expect(env.sandbox.server.state.webhookUrl).toBe(published);
	});
});

describe('Messingin Trigger', () => {
	const env = useSandbox(startMessingin);
	const node = (options: INodeParameters = {}) => ({ name: 'Messingin Trigger', type: 'messinginTrigger', webhookId: '7e1f0c2a-0000-4000-8000-0000000073e5', parameters: { options } });
	const credentials = () => ({ messinginApi: env.sandbox.credentials });

	it('refuses a test at once: Messingin only calls the URL set on a session', async () => {
		const test = await env.pkg.listenForTestEvent({ node: node(), credentials: credentials() });
		expect(test.error?.message).toMatch(/^Messingin never calls this test URL: it sends events only to the webhook URL set on a session or in its dashboard\./);
		expect(test.error?.message).toContain('publish the workflow and open its executions; to test here, create a session whose webhook is the Test URL (Session → Create) and turn on Options → Test URL Set on a Session.');
	});

	it('listens when a session sends to the Test URL', async () => {
		const test = await env.pkg.listenForTestEvent({ node: node({ testUrlOnSession: true }), credentials: credentials() });
		expect(test.error).toBeUndefined();
		expect(test.testUrl).toBe(`${BASE}/webhook-test/7e1f0c2a-0000-4000-8000-0000000073e5/messingin`);
	});

	it('publishing is not affected by the option', async () => {
		const active = await env.pkg.activateWebhooks({ node: node(), credentials: credentials() });
		expect(active.error).toBeUndefined();
	});
});

/**
 * Ignore Repeated Deliveries on a real n8n in regular mode (queue mode: queue-mode.e2e.test.ts):
 * each webhook trigger drops a delivery its provider sends again, also after n8n restarted, because
 * the trigger keeps what it saw in n8n's store of processed items (its database), not in memory nor
 * in the static data webhook() cannot save. The re-delivery's execution ends at the trigger with
 * no item: the reply after it is sent once.
 */
import { publishTrigger, startProviders, triggerItems, WEBHOOK_PROVIDER_NAMES, webhookProviders, type Delivery, type PublishedTrigger } from '../support/providers';
import { useN8nWithSandbox } from '../support/use-n8n';

const env = useN8nWithSandbox(startProviders);

test('every webhook trigger: the same delivery twice, and once more after a restart, gives one reply', async () => {
	const { n8n, sandbox } = env;
	const providers = webhookProviders(sandbox);
	const published = new Map<string, PublishedTrigger & { delivery: Delivery; before: number }>();
	for (const name of WEBHOOK_PROVIDER_NAMES) {
		const provider = providers[name];
		const before = provider.replies().length;
		const trigger = await publishTrigger(n8n, provider, `E2E redelivery: ${name}`, { reply: true });
		const delivery = await provider.deliver(`Is my order ready? (${name})`);
		expect(delivery.status).toBe(200);
		await n8n.waitForExecutions(trigger.workflowId, 1, 30_000);
		expect(await delivery.again()).toBe(200);
		const runs = await n8n.waitForExecutions(trigger.workflowId, 2, 30_000);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
		expect(runs.map((run) => triggerItems(run, provider).length)).toEqual([1, 0]);
		expect(runs[1].data!.resultData.runData.Reply).toBeUndefined();
		expect(provider.replies().slice(before)).toEqual([`Echo: Is my order ready? (${name})`]);
		published.set(name, { ...trigger, delivery, before });
	}

	// What the triggers saw is in n8n's database: a restart forgets nothing.
	await n8n.restart();
	for (const name of WEBHOOK_PROVIDER_NAMES) {
		const provider = providers[name];
		const { workflowId, webhookId, delivery, before } = published.get(name)!;
		await n8n.waitForWebhook(provider.webhookPath(webhookId), 30_000, 'POST');
		expect(await delivery.again()).toBe(200);
		const after = await n8n.waitForExecutions(workflowId, 3, 30_000);
		expect(triggerItems(after[2], provider)).toEqual([]);
		// a new message still gets through
		expect((await provider.deliver(`Thanks! (${name})`)).status).toBe(200);
		const last = await n8n.waitForExecutions(workflowId, 4, 30_000);
		expect(triggerItems(last[3], provider).map(provider.keyOf)).toEqual([`Thanks! (${name})`]);
		expect(provider.replies().slice(before)).toEqual([`Echo: Is my order ready? (${name})`, `Echo: Thanks! (${name})`]);
		await n8n.deactivate(workflowId);
	}
}, 240_000);

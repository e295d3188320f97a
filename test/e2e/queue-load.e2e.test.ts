/**
 * Bursts and forgeries under load, on n8n in queue mode: each webhook trigger gets BURST events from
 * its provider, CONCURRENCY deliveries at a time, interleaved with FORGED calls that lack the secret
 * or carry a wrong one. Exactly BURST executions follow, every event in exactly one of them, none
 * from a forged call; then REDELIVERED of the events come again, as fast, and start nothing after
 * the trigger. Like a provider, the test delivers again what got no answer in time (the simulator
 * waits 10 s): such a retry must not bring an event twice either. Wall times and retries are
 * printed (`queue load:` lines).
 *
 * QUEUE_LOAD_EVENTS overrides BURST (e.g. 100 for a quick run).
 */
import type { Execution } from '../support/n8n-server';
import { inPool, publishTrigger, startProviders, triggerItems, WEBHOOK_PROVIDER_NAMES, webhookProviders, type ForgeryKind } from '../support/providers';
import { useN8nWithSandbox } from '../support/use-n8n';

const BURST = Number(process.env.QUEUE_LOAD_EVENTS ?? 1000);
const FORGED = Math.round(BURST / 5);
const REDELIVERED = Math.round(BURST / 10);
const CONCURRENCY = 20;

const env = useN8nWithSandbox(startProviders, { queue: true });

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every execution of a workflow (public API, page by page), optionally with data. */
async function allExecutions(workflowId: string, includeData: boolean): Promise<Execution[]> {
	const all: Execution[] = [];
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({ workflowId, includeData: String(includeData), limit: '250', ...(cursor ? { cursor } : {}) });
		const page = (await env.n8n.api('GET', `/executions?${query}`)) as { data: Execution[]; nextCursor?: string | null };
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

/** Waits until `count` executions have finished; then a little longer, to see that no more come. */
async function settledExecutions(workflowId: string, count: number, timeoutMs: number): Promise<Execution[]> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const all = await allExecutions(workflowId, false);
		const finished = all.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
		if (finished.length >= count && finished.length === all.length) break;
		if (Date.now() > until) throw new Error(`${finished.length} of ${all.length} executions finished after ${timeoutMs} ms, expected ${count}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	await new Promise((resolve) => setTimeout(resolve, 3000));
	return await allExecutions(workflowId, true);
}

describe.each(WEBHOOK_PROVIDER_NAMES)('the %s trigger under load', (name) => {
	test(`${BURST} events, ${CONCURRENCY} at a time, among ${FORGED} forged calls: ${BURST} executions, each event in one, none forged; ${REDELIVERED} re-deliveries run nothing`, async () => {
		const { n8n, sandbox } = env;
		const provider = webhookProviders(sandbox)[name];
		const { workflowId, webhookId } = await publishTrigger(n8n, provider, `E2E queue load: ${name}`);

		// One forged call after every BURST / FORGED events, alternately without and with a wrong secret.
		const calls: Array<{ key: string } | { forged: ForgeryKind }> = [];
		for (let i = 0; i < BURST; i++) {
			calls.push({ key: `${name} event ${i}` });
			if ((i + 1) % (BURST / FORGED) === 0) calls.push({ forged: calls.length % 2 ? 'no secret' : 'wrong secret' });
		}
		let retries = 0;
		/** A delivery, and the provider's retries while it gets no answer (at most 3). */
		const deliverAndRetry = async (key: string) => {
			const delivery = await provider.deliver(key);
			for (let attempt = 1; delivery.status === null && attempt <= 3; attempt++) {
				retries++;
				delivery.status = await delivery.again();
			}
			return delivery;
		};
		const started = Date.now();
		const answers = await inPool(calls, CONCURRENCY, async (call) =>
			'key' in call ? { key: call.key, delivery: await deliverAndRetry(call.key) } : { forged: call.forged, status: await provider.forge(n8n, webhookId, call.forged) },
		);
		const deliveredMs = Date.now() - started;
		const deliveries = answers.flatMap((answer) => ('delivery' in answer ? [answer] : []));
		const forged = answers.flatMap((answer) => ('forged' in answer ? [answer.status] : []));
		expect(deliveries.filter((answer) => answer.delivery!.status !== 200).map((answer) => answer.key)).toEqual([]);
		expect(forged).toHaveLength(FORGED);
		expect(forged.filter((status) => status !== 401)).toEqual([]);

		const executions = await settledExecutions(workflowId, BURST, 10 * 60_000);
		const ranMs = Date.now() - started;
		// a retried delivery that had reached n8n the first time runs once more, with nothing after the trigger
		const withEvents = executions.filter((execution) => triggerItems(execution, provider).length > 0);
		expect(withEvents).toHaveLength(BURST);
		expect(executions.length - BURST).toBeLessThanOrEqual(retries);
		const failed = (list: Execution[]) => list.filter((execution) => execution.status !== 'success').map((execution) => `${execution.id} ${execution.status}: ${execution.data?.resultData.error?.message}`);
		expect(failed(executions)).toEqual([]);
		const seen = executions.flatMap((execution) => triggerItems(execution, provider).map(provider.keyOf));
		expect(seen).toHaveLength(BURST);
		expect(new Set(seen).size).toBe(BURST);
		expect(seen.filter((key) => !key.startsWith(`${name} event `))).toEqual([]);

		// The provider retries some deliveries, as fast: n8n runs them, the trigger drops every one.
		const retried = Date.now();
		const again = await inPool(deliveries.slice(0, REDELIVERED), CONCURRENCY, async ({ delivery }) => await delivery!.again());
		expect(again.filter((status) => status !== 200)).toEqual([]);
		const afterRetries = await settledExecutions(workflowId, executions.length + REDELIVERED, 5 * 60_000);
		const retriedMs = Date.now() - retried;
		expect(afterRetries).toHaveLength(executions.length + REDELIVERED);
		expect(failed(afterRetries)).toEqual([]);
		const seenAfter = afterRetries.flatMap((execution) => triggerItems(execution, provider).map(provider.keyOf));
		expect(seenAfter).toHaveLength(BURST);

		process.stderr.write(
			`queue load: ${name}: ${BURST} events + ${FORGED} forged, ${CONCURRENCY} at a time, answered in ${seconds(deliveredMs)}; ` +
				`${BURST} executions done ${seconds(ranMs)} after the first call (${(BURST / (ranMs / 1000)).toFixed(0)}/s); ` +
				`${retries} deliveries retried after no answer in 10 s (${executions.length - BURST} of them had reached n8n); ` +
				`${REDELIVERED} re-deliveries dropped in ${seconds(retriedMs)}\n`,
		);
		await n8n.deactivate(workflowId);
	}, 20 * 60_000);
});

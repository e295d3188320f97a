/**
 * Restarts on n8n in queue mode, with triggers published: every n8n process stops and starts again
 * (Redis and the database stay up, as they would). Afterwards the webhook triggers still receive,
 * the Chat API instance and Mehery still point at the webhook process, and the polling triggers go
 * on from their cursors (what came while n8n was down comes once, nothing comes twice). A
 * broadcast interrupted by a worker restart: a graceful stop lets it finish, every message sent
 * once; a crash (SIGKILL) ends it as failed, nothing is sent twice and nothing is sent afterwards
 * without anyone knowing.
 */
import { receiveInbound as chatApiInbound } from '../../sandbox/chatapi';
import { publishTrigger, ranOnWorker, startProviders, triggerItems, WEBHOOK_PROVIDER_NAMES, webhookProviders, type PublishedTrigger } from '../support/providers';
import { until } from '../support/until';
import { chainWorkflow, node, postJson, publish, useN8nWithSandbox, uses, webhookNode } from '../support/use-n8n';

const env = useN8nWithSandbox(startProviders, { queue: true });

const SEND = 'POST /external-api/inbox/send-message';

/** Waits until both polling workflows have given `count` items; says what they gave when they do not. */
async function untilPolled(flows: Array<{ id: string; trigger: string; key: string }>, count: number): Promise<void> {
	try {
		await until(async () => {
			for (const flow of flows) if ((await polled(flow.id, flow.trigger, flow.key)).length < count) return undefined;
			return true;
		}, { timeoutMs: 150_000, intervalMs: 1000 });
	} catch (error) {
		const got = await Promise.all(flows.map(async (flow) => `${flow.trigger}: ${JSON.stringify(await polled(flow.id, flow.trigger, flow.key))}, runs ${JSON.stringify((await env.n8n.executions(flow.id)).map((run) => run.status))}`));
		throw new Error(`${(error as Error).message}: expected ${count} polled item(s) each; ${got.join('; ')}\n${env.n8n.logProblems().slice(-10).join('\n')}`);
	}
}

/** Items the polling trigger of a workflow gave, over all its runs, oldest first. */
async function polled(workflowId: string, triggerName: string, key: string): Promise<string[]> {
	const runs = await env.n8n.executions(workflowId, { includeData: true });
	return runs
		.filter((run) => run.status === 'success')
		.sort((a, b) => Number(a.id) - Number(b.id))
		.flatMap((run) => (run.data!.resultData.runData[triggerName]?.[0]?.data?.main[0] ?? []).map((item) => String(item.json[key])));
}

test('after every process restarted, webhook triggers still receive where they registered, and polling goes on from its cursor: no replay, no gap', async () => {
	const { n8n, sandbox } = env;
	const providers = webhookProviders(sandbox);
	const published = new Map<string, PublishedTrigger & { registered: string }>();
	for (const name of WEBHOOK_PROVIDER_NAMES) {
		const trigger = await publishTrigger(n8n, providers[name], `E2E restart: ${name}`);
		published.set(name, { ...trigger, registered: providers[name].registeredUrl()! });
		expect((await providers[name].deliver(`${name} before the restart`)).status).toBe(200);
		await n8n.waitForExecutions(trigger.workflowId, 1, 30_000);
	}

	const everyMinute = { item: [{ mode: 'everyMinute' }] };
	const chatApi = await n8n.createCredential('chatApiApi', 'Chat API (restart polling)', sandbox.chatapi.credentials);
	const mesigic = await n8n.createCredential('mesigicApi', 'Mesigic (restart polling)', sandbox.mesigic.credentials);
	const chatApiFlow = await n8n.createWorkflow(
		chainWorkflow('E2E restart: Chat API polling', [node('d1000000-0000-4000-8000-000000000001', 'Poll Chat API', `${n8n.packageName}.chatApiPollingTrigger`, { events: ['incomingMessage'], pollTimes: everyMinute }, { credentials: uses('chatApiApi', chatApi) })]),
	);
	const mesigicFlow = await n8n.createWorkflow(
		chainWorkflow('E2E restart: Mesigic polling', [node('d1000000-0000-4000-8000-000000000002', 'Poll Mesigic', `${n8n.packageName}.mesigicTrigger`, { event: 'newContact', pollTimes: everyMinute }, { credentials: uses('mesigicApi', mesigic) })]),
	);
	await publish(n8n, chatApiFlow.id);
	await publish(n8n, mesigicFlow.id);
	await until(async () => ((await n8n.waitForPublication(chatApiFlow.id)).status === 'published' && (await n8n.waitForPublication(mesigicFlow.id)).status === 'published' ? true : undefined));
	await new Promise((resolve) => setTimeout(resolve, 2000)); // the first poll, at publishing, has noted where things stand

	chatApiInbound(sandbox.chatapi.server.state, { chatId: '17472822410@c.us', body: 'before the restart', senderName: 'Ana' });
	await sandbox.mesigic.inbound({ mobile_code: '1', mobile: '7472822410', message: 'hi', firstname: 'Before' });
	const flows = [
		{ id: chatApiFlow.id, trigger: 'Poll Chat API', key: 'body' },
		{ id: mesigicFlow.id, trigger: 'Poll Mesigic', key: 'firstname' },
	];
	await untilPolled(flows, 1);

	const restartStarted = Date.now();
	await n8n.restart({
		whileStopped: async () => {
			// What happens while n8n is down must come once it is back.
			chatApiInbound(sandbox.chatapi.server.state, { chatId: '17472822411@c.us', body: 'while n8n was down', senderName: 'Bo' });
			await sandbox.mesigic.inbound({ mobile_code: '1', mobile: '7472822411', message: 'hi', firstname: 'WhileDown' });
		},
	});
	process.stderr.write(`queue restart: every process stopped and started again in ${((Date.now() - restartStarted) / 1000).toFixed(1)} s\n`);

	for (const name of WEBHOOK_PROVIDER_NAMES) {
		const provider = providers[name];
		const { workflowId, webhookId, registered } = published.get(name)!;
		// n8n does not register webhooks again at start: the provider keeps the URL, which still works.
		expect(provider.registeredUrl()).toBe(registered);
		await n8n.waitForWebhook(provider.webhookPath(webhookId), 30_000, 'POST');
		expect((await provider.deliver(`${name} after the restart`)).status).toBe(200);
		const runs = await n8n.waitForExecutions(workflowId, 2, 30_000);
		expect(runs.map((run) => triggerItems(run, provider).map(provider.keyOf))).toEqual([[`${name} before the restart`], [`${name} after the restart`]]);
		expect(ranOnWorker(n8n, runs[1].id)).toBe(true);
		expect(await provider.forge(n8n, webhookId, 'no secret')).toBe(401);
	}

	// The next poll (within a minute) brings what came meanwhile, and only that.
	await untilPolled(flows, 2);
	await new Promise((resolve) => setTimeout(resolve, 2000));
	expect(await polled(chatApiFlow.id, 'Poll Chat API', 'body')).toEqual(['before the restart', 'while n8n was down']);
	expect(await polled(mesigicFlow.id, 'Poll Mesigic', 'firstname')).toEqual(['Before', 'WhileDown']);
	for (const workflowId of [chatApiFlow.id, mesigicFlow.id, ...[...published.values()].map((p) => p.workflowId)]) await n8n.deactivate(workflowId);
}, 600_000);

describe('a broadcast interrupted by a worker restart', () => {
	const ITEMS = 30;
	const phones = (from: number) => Array.from({ length: ITEMS }, (_, i) => `+1 747 282 ${String(from + i).padStart(4, '0')}`);

	/** Webhook (answers at once) → Split Out → Mesigic Send, Continue On Fail; each send answered after `delayMs`. */
	async function startBroadcast(name: string, recipients: string[], delayMs: number) {
		const { n8n, sandbox } = env;
		const credential = await n8n.createCredential('mesigicApi', `Mesigic (${name})`, sandbox.mesigic.credentials);
		const path = `restart-broadcast-${Date.now()}`;
		const hook = webhookNode('e1000000-0000-4000-8000-000000000001', `e1000000-0000-4000-8000-${String(Date.now()).slice(-12)}`, path);
		hook.parameters.responseMode = 'onReceived';
		const workflow = await n8n.createWorkflow(
			chainWorkflow(`E2E restart: ${name}`, [
				hook,
				node('e1000000-0000-4000-8000-000000000002', 'One Item per Phone', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'body.phones', options: { destinationFieldName: 'phone' } }),
				{ ...node('e1000000-0000-4000-8000-000000000003', 'Send', `${n8n.packageName}.mesigic`, { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', message: 'Sale starts today', attachment: 'none' }, { credentials: uses('mesigicApi', credential) }), onError: 'continueRegularOutput' } as never,
			]),
		);
		await publish(n8n, workflow.id, path, 'POST');
		sandbox.mesigic.server.clearReceived();
		sandbox.mesigic.server.injectFault(SEND, { kind: 'slow', delayMs }, recipients.length);
		expect((await postJson(n8n.webhookUrl(path), { phones: recipients })).status).toBe(200);
		return workflow.id;
	}

	const sentTo = () => env.sandbox.mesigic.server.accepted(SEND).map((request) => (request.body as { mobile: string }).mobile);

	test('stopped gracefully (SIGTERM), the worker finishes the broadcast before it goes: every message sent once and reported', async () => {
		const { n8n } = env;
		const workflowId = await startBroadcast('graceful worker restart', phones(1000), 150);
		await until(() => (sentTo().length >= 5 ? true : undefined), { timeoutMs: 60_000 });
		await n8n.processes.worker!.stop();
		const sentWhileStopping = sentTo().length;
		await n8n.processes.worker!.start();
		const [run] = await n8n.waitForExecutions(workflowId, 1, 60_000);
		expect(run.status).toBe('success');
		const out = run.data!.resultData.runData.Send[0].data!.main[0]!;
		expect(out.filter((item) => item.json.error)).toEqual([]);
		expect(out).toHaveLength(ITEMS);
		expect(sentWhileStopping).toBe(ITEMS);
		expect(sentTo()).toHaveLength(ITEMS);
		expect(new Set(sentTo()).size).toBe(ITEMS);
		await n8n.deactivate(workflowId);
	}, 180_000);

	test('killed (SIGKILL), the worker leaves a failed execution; nothing is sent twice, nor afterwards', async () => {
		const { n8n } = env;
		const workflowId = await startBroadcast('worker crash', phones(2000), 150);
		await until(() => (sentTo().length >= 5 ? true : undefined), { timeoutMs: 60_000 });
		await n8n.processes.worker!.stop({ hard: true });
		const sentBeforeCrash = sentTo().length;
		await n8n.processes.worker!.start();
		// n8n does not run a job again whose worker died (Bull's stalled jobs are not retried): the
		// execution is marked as failed, and the messages it had not sent are not sent behind anyone's back.
		const run = await until(
			async () => {
				const [execution] = await n8n.executions(workflowId, { includeData: true });
				return execution && !['new', 'running', 'waiting'].includes(execution.status) ? execution : undefined;
			},
			{ timeoutMs: 120_000, intervalMs: 1000 },
		);
		expect(['crashed', 'error']).toContain(run.status);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(sentTo()).toHaveLength(sentBeforeCrash);
		expect(sentBeforeCrash).toBeLessThan(ITEMS);
		expect(new Set(sentTo()).size).toBe(sentTo().length);
		process.stderr.write(`queue restart: worker killed after ${sentBeforeCrash} of ${ITEMS} messages; execution ${run.id} ended "${run.status}"\n`);
		await n8n.deactivate(workflowId);
	}, 240_000);
});

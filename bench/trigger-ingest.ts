/**
 * Part 4, trigger ingest on a real n8n server (2.41, from the runtime install, this package
 * installed from `npm pack`): inbound events, each its own POST of Chat API's webhook shape
 * (`{ messages: [ … ] }`), K at a time, into a published workflow with the Chat API Trigger, and
 * the same into a published workflow with n8n's own Webhook node (answering at once, as the
 * trigger does). Events per second accepted (every POST answered 200), executions recorded, and
 * each event's id found in exactly one execution.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

import { startChatApi } from '../test/support/chatapi';
import { startN8n, type Execution, type N8nServer } from '../test/support/n8n-server';
import { DeliveryError, ratio, repositoryRoot, table } from './common';

export interface TriggerOptions {
	events: number;
	concurrency: number;
	warmUp: number;
	/**
	 * n8n's expression engines to run under, each on a fresh n8n: 'vm' is n8n's default; 'legacy'
	 * (N8N_EXPRESSION_ENGINE=legacy) evaluates without isolates, which shows what the isolate that
	 * n8n takes for the webhook phase of every trigger but its own Webhook node costs.
	 */
	engines: Array<'vm' | 'legacy'>;
}

interface IngestPath {
	name: string;
	workflowId: string;
	/** Where the events are posted (the secret of the Chat API Trigger in its query). */
	url: string;
	/** The id of the event an execution ran for. */
	eventIdOf(execution: Execution): string | undefined;
}

export interface TriggerRow {
	engine: 'vm' | 'legacy';
	path: IngestPath;
	accepted: number;
	elapsedMs: number;
	eventsPerSecond: number;
	recorded: number;
	lost: number;
	duplicated: number;
}

export interface TriggerResult {
	options: TriggerOptions;
	rows: TriggerRow[];
	markdown: string;
}

const CHAT_ID = '17472822486@c.us';

/** One incoming message, shaped as Chat API posts it. */
function eventBody(label: string, index: number) {
	return {
		messages: [
			{
				id: `false_${CHAT_ID}_${label}${String(index).padStart(6, '0')}`,
				body: `${label} message #${index}: is my order ready?`,
				type: 'chat',
				senderName: 'Jane',
				fromMe: false,
				author: CHAT_ID,
				time: 1_764_000_000 + index,
				chatId: CHAT_ID,
				messageNumber: index + 1,
			},
		],
	};
}

/** Posts events [from, to) with `concurrency` in flight; returns how many were answered 200. */
async function postEvents(url: string, label: string, from: number, to: number, concurrency: number): Promise<number> {
	const dispatcher = new Agent({ connections: concurrency });
	let next = from;
	let accepted = 0;
	const failures: string[] = [];
	const worker = async () => {
		while (next < to) {
			const index = next++;
			const response = await request(url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify(eventBody(label, index)) });
			const text = await response.body.text();
			if (response.statusCode === 200) accepted++;
			else if (failures.length < 3) failures.push(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
		}
	};
	try {
		await Promise.all(Array.from({ length: concurrency }, worker));
	} finally {
		await dispatcher.close();
	}
	if (failures.length) console.log(`    refused: ${failures.join(' | ')}`);
	return accepted;
}

/** Every execution of a workflow, with its data (cursor paging of the public API). */
async function executionsOf(n8n: N8nServer, workflowId: string, includeData: boolean): Promise<Execution[]> {
	const all: Execution[] = [];
	let cursor: string | undefined;
	do {
		const page = (await n8n.api('GET', `/executions?workflowId=${workflowId}&includeData=${includeData}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as {
			data: Execution[];
			nextCursor?: string | null;
		};
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

async function waitForRecorded(n8n: N8nServer, workflowId: string, count: number, timeoutMs: number): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = (await executionsOf(n8n, workflowId, false)).filter((execution) => !['new', 'running', 'waiting'].includes(execution.status)).length;
		if (done >= count || Date.now() > deadline) return done;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

export async function triggerIngest(options: TriggerOptions, log: (line: string) => void): Promise<TriggerResult> {
	const rows: TriggerRow[] = [];
	for (const engine of options.engines) rows.push(...(await ingestOn(engine, options, log)));
	return { options, rows, markdown: renderTrigger(rows, options) };
}

async function ingestOn(engine: 'vm' | 'legacy', options: TriggerOptions, log: (line: string) => void): Promise<TriggerRow[]> {
	const sandbox = await startChatApi();
	const started = performance.now();
	const n8n = await startN8n({ packageDir: repositoryRoot, env: engine === 'vm' ? {} : { N8N_EXPRESSION_ENGINE: engine } });
	log(`  n8n (expression engine ${engine}) ready in ${((performance.now() - started) / 1000).toFixed(1)} s (pack ${n8n.timings.packMs} ms, boot ${n8n.timings.bootMs} ms)`);
	try {
		const credential = await n8n.createCredential('chatApiApi', 'Chat API (benchmark)', sandbox.credentials);
		const chatApiHook = 'b3c10000-0000-4000-8000-0000000000aa';
		const chatApiWorkflow = await n8n.createWorkflow({
			name: 'Benchmark: Chat API Trigger',
			nodes: [
				{
					id: 'b3c10000-0000-4000-8000-000000000001',
					name: 'Chat API Trigger',
					type: `${n8n.packageName}.chatApiTrigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId: chatApiHook,
					parameters: { events: ['incomingMessage'], options: {} },
					credentials: { chatApiApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
		});
		const webhookPath = 'benchmark-ingest';
		const webhookWorkflow = await n8n.createWorkflow({
			name: "Benchmark: n8n's Webhook node",
			nodes: [
				{
					id: 'b3c10000-0000-4000-8000-000000000002',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'b3c10000-0000-4000-8000-0000000000bb',
					parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				},
			],
			connections: {},
		});
		await n8n.activate(chatApiWorkflow.id);
		await n8n.activate(webhookWorkflow.id);
		const expectedUrl = n8n.webhookUrl(`${chatApiHook}/webhook`);
		for (const deadline = Date.now() + 30_000; !sandbox.server.state.webhookUrl.startsWith(expectedUrl); ) {
			if (Date.now() > deadline) throw new Error(`The Chat API Trigger did not register its webhook (the instance has "${sandbox.server.state.webhookUrl}")`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		await n8n.waitForWebhook(`${chatApiHook}/webhook`, 30_000, 'POST');
		await n8n.waitForWebhook(webhookPath, 30_000, 'POST');
		// The same query for both, so that both parse the same request.
		const query = new URL(sandbox.server.state.webhookUrl).search;

		const paths: IngestPath[] = [
			{
				name: 'Chat API Trigger (this package)',
				workflowId: chatApiWorkflow.id,
				url: sandbox.server.state.webhookUrl,
				eventIdOf: (execution) => execution.data?.resultData.runData['Chat API Trigger']?.[0]?.data?.main[0]?.[0]?.json.id as string | undefined,
			},
			{
				name: "n8n's Webhook node",
				workflowId: webhookWorkflow.id,
				url: `${n8n.webhookUrl(webhookPath)}${query}`,
				eventIdOf: (execution) => {
					const body = execution.data?.resultData.runData.Webhook?.[0]?.data?.main[0]?.[0]?.json.body as { messages?: Array<{ id?: string }> } | undefined;
					return body?.messages?.[0]?.id;
				},
			},
		];
		const labels = new Map(paths.map((path, index) => [path, index === 0 ? 'CHATAPI' : 'WEBHOOK']));
		for (const path of paths) {
			await postEvents(path.url, `WARM${labels.get(path)}`, 0, options.warmUp, options.concurrency);
			await waitForRecorded(n8n, path.workflowId, options.warmUp, 120_000);
		}
		log(`  warm-up: ${options.warmUp} events each, not counted`);

		// Halves in the order A B B A, so that neither path always comes first on a growing database.
		const half = Math.ceil(options.events / 2);
		const halves: Array<[IngestPath, number, number]> = [
			[paths[0]!, 0, half],
			[paths[1]!, 0, half],
			[paths[1]!, half, options.events],
			[paths[0]!, half, options.events],
		];
		const totals = new Map(paths.map((path) => [path, { accepted: 0, elapsedMs: 0 }]));
		for (const [path, from, to] of halves) {
			const before = (await executionsOf(n8n, path.workflowId, false)).length;
			const halfStarted = performance.now();
			const accepted = await postEvents(path.url, labels.get(path)!, from, to, options.concurrency);
			const elapsedMs = performance.now() - halfStarted;
			const total = totals.get(path)!;
			total.accepted += accepted;
			total.elapsedMs += elapsedMs;
			log(`  ${path.name}: events ${from}–${to - 1} accepted in ${(elapsedMs / 1000).toFixed(1)} s (${((to - from) / (elapsedMs / 1000)).toFixed(0)}/s)`);
			// The next half starts once n8n has finished these executions.
			await waitForRecorded(n8n, path.workflowId, before + (to - from), 300_000);
		}

		const rows: TriggerRow[] = [];
		for (const path of paths) {
			const executions = await executionsOf(n8n, path.workflowId, true);
			const label = labels.get(path)!;
			const counted = new Map<string, number>();
			for (const execution of executions) {
				const id = path.eventIdOf(execution);
				if (id && id.includes(`_${label}`) && !id.includes(`_WARM`)) counted.set(id, (counted.get(id) ?? 0) + 1);
			}
			const expected = Array.from({ length: options.events }, (_, index) => eventBody(label, index).messages[0]!.id);
			const lost = expected.filter((id) => !counted.has(id)).length;
			const duplicated = [...counted.values()].reduce((sum, count) => sum + count - 1, 0);
			const { accepted, elapsedMs } = totals.get(path)!;
			rows.push({ engine, path, accepted, elapsedMs, eventsPerSecond: accepted / (elapsedMs / 1000), recorded: [...counted.values()].reduce((sum, count) => sum + count, 0), lost, duplicated });
		}
		const broken = rows.filter((row) => row.lost || row.duplicated || row.accepted !== options.events);
		if (broken.length) {
			throw new DeliveryError(broken.map((row) => `${row.path.name}: ${row.accepted} of ${options.events} accepted, ${row.recorded} executions, ${row.lost} lost, ${row.duplicated} run twice`).join('; '));
		}
		return rows;
	} finally {
		await n8n.stop();
		await sandbox.stop();
	}
}

function renderTrigger(rows: TriggerRow[], options: TriggerOptions): string {
	const webhookOf = (engine: string) => rows.find((row) => row.engine === engine && row.path.name.includes('Webhook'));
	const header = ['path', "n8n's expression engine", 'events accepted', 'events/s accepted', '÷ Webhook node', 'executions recorded', 'lost', 'run twice'];
	const body = rows.map((row) => [
		row.path.name,
		row.engine === 'vm' ? 'vm (default)' : row.engine,
		`${row.accepted} / ${options.events}`,
		row.eventsPerSecond.toFixed(1),
		ratio(row.eventsPerSecond, webhookOf(row.engine)?.eventsPerSecond),
		String(row.recorded),
		String(row.lost),
		String(row.duplicated),
	]);
	return `${options.events} events per path, ${options.concurrency} at a time, one message per POST\n\n${table(header, body, (column) => column > 1)}`;
}

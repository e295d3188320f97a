/**
 * Broadcast benchmark: N text messages to N distinct phone numbers through Mesigic's
 * `POST /external-api/inbox/send-message` (multipart/form-data: mobile_code, mobile, message;
 * headers client-id, client-secret), against the Mesigic sandbox on 127.0.0.1, by:
 *
 *   - this package's Mesigic node, run by the real n8n-core engine (test/support/engine.ts),
 *     one request at a time (Parallel Requests 1) and 8 at a time (Parallel Requests 8);
 *   - n8n's own HTTP Request node (n8n-nodes-base from runtime/node_modules, loaded with the
 *     same harness loader), building the same multipart request: alone (n8n sends every item's
 *     request at once) and inside a Loop Over Items of 1 and of 8 (how an n8n user limits it);
 *   - raw undici `request()` with a FormData body: one at a time, 8 at a time, all at once.
 *
 * Every path runs in this one process, in every round, in a rotating order; the sandbox is reset
 * before each run and must have accepted exactly one message per phone number afterwards, or the
 * benchmark fails. The table reports the median of the rounds.
 *
 * Usage (after `npm run build`): node bench/run.mjs [--messages 1000] [--rounds 3] [--parallel 8]
 */
// Must stay the first import: it sets the n8n environment before n8n-core is loaded.
import { loadPackage, repoRoot as harnessRepoRoot, type LoadedPackage, type WorkflowResult } from '../test/support/engine';
import { startMesigic, type MesigicSandbox } from '../test/support/mesigic';

import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, FormData, request } from 'undici';

// ---------------------------------------------------------------------------------------------
// Settings

/** The sandbox's request recorder keeps the last 10,000 requests: more could not be counted. */
const MAX_MESSAGES = 10_000;
const SEND_ROUTE = 'POST /external-api/inbox/send-message';
/** Messages per path sent once before the rounds (JIT, connection pools, heap growth), not counted. */
const WARM_UP_MESSAGES = 200;

/** The repository root. The compiled harness sits in build/bench/test/support, so its own repoRoot is not it. */
const repositoryRoot = findRepositoryRoot(__dirname);
const runtimeNodesBase = path.join(repositoryRoot, 'runtime', 'node_modules', 'n8n-nodes-base');

interface BenchOptions {
	messages: number;
	rounds: number;
	parallel: number;
}

function findRepositoryRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-whatsapp-gateways') return dir;
	}
	return harnessRepoRoot;
}

const USAGE = `Usage: node bench/run.mjs [--messages N (1..${MAX_MESSAGES}, default 1000)] [--rounds R (1..20, default 3)] [--parallel P (2..20, default 8)]`;

function usage(problem: string): never {
	console.error(`${problem}\n${USAGE}`);
	process.exit(2);
}

function parseOptions(argv: string[]): BenchOptions {
	const options: BenchOptions = { messages: 1000, rounds: 3, parallel: 8 };
	const limits: Record<keyof BenchOptions, [number, number]> = { messages: [1, MAX_MESSAGES], rounds: [1, 20], parallel: [2, 20] };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--help' || argv[i] === '-h') {
			console.log(USAGE);
			process.exit(0);
		}
		const [flag, inline] = argv[i].split('=', 2);
		const name = flag.replace(/^--/, '') as keyof BenchOptions;
		if (!flag.startsWith('--') || !(name in limits)) usage(`Unknown argument "${argv[i]}"`);
		const raw = inline ?? argv[++i];
		const value = Number(raw);
		const [min, max] = limits[name];
		if (!Number.isInteger(value) || value < min || value > max) usage(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
		options[name] = value;
	}
	return options;
}

// ---------------------------------------------------------------------------------------------
// The broadcast

interface Message {
	/** As a user would put it in the Mesigic node: the node splits it into mobile_code + mobile. */
	phone: string;
	mobile_code: string;
	mobile: string;
	text: string;
}

/** Distinct Bangladeshi mobile numbers +880 1711 000000, +880 1711 000001, … */
function broadcastMessages(count: number, label: string): Message[] {
	return Array.from({ length: count }, (_, index) => {
		const mobile = `1711${String(index).padStart(6, '0')}`;
		return { phone: `+880${mobile}`, mobile_code: '880', mobile, text: `${label} #${index + 1}: the shop opens at 9 tomorrow.` };
	});
}

/** One way of sending the broadcast; `send` resolves when every message got its answer. */
interface SendPath {
	name: string;
	/** Requests in flight at most: a number, or 'all' for every message at once. */
	concurrency: number | 'all';
	/** The raw undici path the others with the same concurrency are compared with. */
	isBaseline?: boolean;
	send(messages: Message[]): Promise<void>;
}

class DeliveryError extends Error {}

/** Each message accepted by the sandbox exactly once, with its own text; returns the accepted count. */
function checkDelivery(sandbox: MesigicSandbox, messages: Message[], pathName: string): number {
	const accepted = sandbox.server.accepted(SEND_ROUTE);
	const expected = new Map(messages.map((message) => [`${message.mobile_code}:${message.mobile}`, message.text]));
	const seen = new Map<string, number>();
	const problems: string[] = [];
	for (const record of accepted) {
		const body = (record.body ?? {}) as Record<string, unknown>;
		const key = `${String(body.mobile_code)}:${String(body.mobile)}`;
		seen.set(key, (seen.get(key) ?? 0) + 1);
		if (!expected.has(key)) problems.push(`unexpected recipient ${key}`);
		else if (expected.get(key) !== body.message) problems.push(`wrong text for ${key}: ${JSON.stringify(body.message)}`);
	}
	const lost = [...expected.keys()].filter((key) => !seen.has(key));
	const duplicated = [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${key} ×${count}`);
	if (lost.length) problems.push(`${lost.length} lost (first: ${lost.slice(0, 3).join(', ')})`);
	if (duplicated.length) problems.push(`${duplicated.length} sent more than once (first: ${duplicated.slice(0, 3).join(', ')})`);
	if (accepted.length !== messages.length) problems.push(`the sandbox accepted ${accepted.length}, expected ${messages.length}`);
	const received = sandbox.server.received(SEND_ROUTE).length;
	if (received !== messages.length) problems.push(`the sandbox received ${received} send requests, expected ${messages.length}`);
	if (problems.length) {
		throw new DeliveryError(`${pathName}: delivery check failed: ${problems.slice(0, 6).join('; ')}`);
	}
	return accepted.length;
}

/** The engine run finished without error and gave one item per message, none of them an error. */
function checkWorkflowResult(result: WorkflowResult, nodeName: string, messages: Message[]): void {
	if (result.error) throw new Error(`${nodeName} failed: ${result.error.message}${result.error.description ? ` (${result.error.description})` : ''}`);
	const runs = result.run.data.resultData.runData[nodeName] ?? [];
	const items = runs.flatMap((_, runIndex) => result.json(nodeName, 0, runIndex));
	if (items.length !== messages.length) throw new Error(`${nodeName} returned ${items.length} items for ${messages.length} messages`);
	const failed = items.find((json) => json.error !== undefined);
	if (failed) throw new Error(`${nodeName} returned an error item: ${JSON.stringify(failed)}`);
}

function workflowTimeoutMs(messages: Message[]): number {
	return 30_000 + messages.length * 20;
}

// ---------------------------------------------------------------------------------------------
// Paths

function mesigicNodePath(pkg: LoadedPackage, sandbox: MesigicSandbox, parallelRequests: number): SendPath {
	return {
		name: `Mesigic node (Parallel Requests ${parallelRequests})`,
		concurrency: parallelRequests,
		async send(messages) {
			const result = await pkg.runWorkflow({
				nodes: [
					{
						name: 'Mesigic',
						type: 'mesigic',
						parameters: {
							resource: 'message',
							operation: 'send',
							phone: '={{ $json.phone }}',
							message: '={{ $json.text }}',
							attachment: 'none',
							requestOptions: { parallelRequests },
						},
					},
				],
				credentials: { mesigicApi: sandbox.credentials },
				inputJson: messages.map(({ phone, text }) => ({ phone, text })),
				timeoutMs: workflowTimeoutMs(messages),
			});
			checkWorkflowResult(result, 'Mesigic', messages);
		},
	};
}

/** HTTP Request node (v4.2) parameters for the same multipart POST with the same headers. */
function httpRequestParameters(sandbox: MesigicSandbox) {
	const { baseUrl, clientId, clientSecret } = sandbox.credentials;
	const formField = (name: string, expression: string) => ({ parameterType: 'formData', name, value: `={{ ${expression} }}` });
	return {
		method: 'POST',
		url: `${baseUrl}/inbox/send-message`,
		authentication: 'none',
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: {
			parameters: [
				{ name: 'client-id', value: clientId },
				{ name: 'client-secret', value: clientSecret },
				{ name: 'Accept', value: 'application/json' },
			],
		},
		sendBody: true,
		contentType: 'multipart-form-data',
		bodyParameters: {
			parameters: [formField('mobile_code', '$json.mobile_code'), formField('mobile', '$json.mobile'), formField('message', '$json.text')],
		},
		options: {},
	};
}

const HTTP_REQUEST_VERSION = 4.2;

/** The HTTP Request node alone: n8n starts every item's request before awaiting any. */
function httpRequestNodePath(nodesBase: LoadedPackage, sandbox: MesigicSandbox): SendPath {
	return {
		name: 'HTTP Request node (alone)',
		concurrency: 'all',
		async send(messages) {
			const result = await nodesBase.runWorkflow({
				nodes: [{ name: 'HTTP Request', type: 'httpRequest', typeVersion: HTTP_REQUEST_VERSION, parameters: httpRequestParameters(sandbox) }],
				inputJson: messages.map(({ mobile_code, mobile, text }) => ({ mobile_code, mobile, text })),
				timeoutMs: workflowTimeoutMs(messages),
			});
			checkWorkflowResult(result, 'HTTP Request', messages);
		},
	};
}

/** Loop Over Items (batch size B) → HTTP Request → back: at most B requests in flight, batch by batch. */
function httpRequestLoopPath(nodesBase: LoadedPackage, sandbox: MesigicSandbox, batchSize: number): SendPath {
	const loop = 'Loop Over Items';
	const http = 'HTTP Request';
	return {
		name: `HTTP Request node in Loop Over Items (${batchSize})`,
		concurrency: batchSize,
		async send(messages) {
			const result = await nodesBase.runWorkflow({
				nodes: [
					{ name: loop, type: 'splitInBatches', typeVersion: 3, parameters: { batchSize, options: {} } },
					{ name: http, type: 'httpRequest', typeVersion: HTTP_REQUEST_VERSION, parameters: httpRequestParameters(sandbox) },
				],
				connections: {
					// Loop Over Items: output 0 = done, output 1 = loop.
					[loop]: { main: [[], [{ node: http, type: 'main', index: 0 }]] },
					[http]: { main: [[{ node: loop, type: 'main', index: 0 }]] },
				},
				inputJson: messages.map(({ mobile_code, mobile, text }) => ({ mobile_code, mobile, text })),
				timeoutMs: workflowTimeoutMs(messages),
			});
			checkWorkflowResult(result, http, messages);
		},
	};
}

/**
 * Raw undici: a keep-alive pool (the baseline), or with `newConnectionEach` a fresh TCP connection
 * for every request (`reset: true`), as n8n-core's HTTP helper does — to show what that costs.
 */
function undiciPath(sandbox: MesigicSandbox, concurrency: number | 'all', { newConnectionEach = false } = {}): SendPath {
	const { baseUrl, clientId, clientSecret } = sandbox.credentials;
	const url = `${baseUrl}/inbox/send-message`;
	const headers = { 'client-id': clientId, 'client-secret': clientSecret, accept: 'application/json' };
	const sendOne = async (dispatcher: Agent, message: Message) => {
		const body = new FormData();
		body.append('mobile_code', message.mobile_code);
		body.append('mobile', message.mobile);
		body.append('message', message.text);
		const response = await request(url, { method: 'POST', headers, body, dispatcher, reset: newConnectionEach, headersTimeout: 30_000, bodyTimeout: 30_000 });
		const answer = (await response.body.json()) as { status?: unknown };
		if (response.statusCode !== 200) throw new Error(`raw undici: HTTP ${response.statusCode} for ${message.phone}: ${JSON.stringify(answer)}`);
	};
	const howMany = concurrency === 1 ? 'one at a time' : concurrency === 'all' ? 'all at once' : `${concurrency} at a time`;
	return {
		name: `raw undici (${howMany}${newConnectionEach ? ', new connection each' : ''})`,
		concurrency,
		isBaseline: !newConnectionEach,
		async send(messages) {
			// A fresh connection pool per run, as each engine run starts cold too (modulo n8n's own agents).
			const dispatcher = new Agent();
			try {
				if (concurrency === 'all') {
					await Promise.all(messages.map((message) => sendOne(dispatcher, message)));
					return;
				}
				let next = 0;
				const worker = async () => {
					while (next < messages.length) await sendOne(dispatcher, messages[next++]);
				};
				await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
			} finally {
				await dispatcher.close();
			}
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Measuring and reporting

interface Measurement {
	path: SendPath;
	totalMs: number[];
	accepted: number[];
	connections: number[];
}

/**
 * TCP connections accepted by servers in this process — only the sandbox listens here — counted
 * through Node's `net.server.socket` diagnostics channel: shows whether a path reuses connections.
 */
let serverConnections = 0;
diagnosticsChannel.subscribe('net.server.socket', () => {
	serverConnections++;
});

async function measure(sandbox: MesigicSandbox, sendPath: SendPath, messages: Message[]) {
	sandbox.server.reset();
	const connectionsBefore = serverConnections;
	const started = performance.now();
	await sendPath.send(messages);
	const totalMs = performance.now() - started;
	const connections = serverConnections - connectionsBefore;
	return { totalMs, connections, accepted: checkDelivery(sandbox, messages, sendPath.name) };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function concurrencyLabel(concurrency: number | 'all', messages: number): string {
	return concurrency === 'all' ? `all (${messages})` : String(concurrency);
}

function renderTable(measurements: Measurement[], messages: number, rounds: number): string {
	const baselines = new Map<string, number>();
	for (const { path: sendPath, totalMs } of measurements) {
		if (sendPath.isBaseline) baselines.set(String(sendPath.concurrency), median(totalMs));
	}
	const header = ['path', 'in flight', 'messages/s', 'total ms (median)', `ms per round (${rounds})`, 'vs raw undici (msg/s ratio)', 'accepted per round', 'connections (median)'];
	const rows = measurements.map(({ path: sendPath, totalMs, accepted, connections }) => {
		const middle = median(totalMs);
		const baseline = baselines.get(String(sendPath.concurrency));
		return [
			sendPath.name,
			concurrencyLabel(sendPath.concurrency, messages),
			(messages / (middle / 1000)).toFixed(0),
			middle.toFixed(0),
			totalMs.map((ms) => ms.toFixed(0)).join(' / '),
			baseline === undefined ? '–' : (baseline / middle).toFixed(2),
			accepted.map(String).join(' / '),
			median(connections).toFixed(0),
		];
	});
	const numeric = [false, true, true, true, true, true, true, true];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
	const line = (cells: string[]) => `| ${cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(' | ')} |`;
	const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : `${'-'.repeat(width + 2)}`)).join('|')}|`;
	return [line(header), rule, ...rows.map(line)].join('\n');
}

function packageVersion(dir: string): string {
	try {
		return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string;
	} catch {
		return 'absent';
	}
}

function loadAverage(): string {
	return os.loadavg().map((load) => load.toFixed(2)).join(' / ');
}

function machineFacts(): string[] {
	const cpus = os.cpus();
	const moduleDir = (name: string) => path.join(repositoryRoot, 'node_modules', name);
	return [
		`command: ${process.env.BENCH_COMMAND ?? process.argv.map((arg) => path.relative(process.cwd(), arg) || arg).join(' ')}`,
		`node ${process.version} on ${os.type()} ${os.release()} ${os.arch()}; ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}); ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
		`load average ${loadAverage()} (1/5/15 min)`,
		`n8n-core ${packageVersion(moduleDir('n8n-core'))}, n8n-workflow ${packageVersion(moduleDir('n8n-workflow'))}, n8n-nodes-base ${packageVersion(runtimeNodesBase)} (runtime/), undici ${packageVersion(moduleDir('undici'))}`,
	];
}

// ---------------------------------------------------------------------------------------------

async function loadNodesBase(): Promise<LoadedPackage | undefined> {
	// Some of its AWS SDK copies warn that releases after January 2027 need Node 22: not this benchmark's concern.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	if (!existsSync(path.join(runtimeNodesBase, 'package.json'))) {
		console.log(`note: ${path.relative(repositoryRoot, runtimeNodesBase)} is absent (the real n8n is installed on first \`npm start\` or \`npm test\`): the HTTP Request node rows are skipped.`);
		return undefined;
	}
	const started = performance.now();
	const nodesBase = await loadPackage(runtimeNodesBase);
	console.log(`loaded n8n-nodes-base (${nodesBase.nodeTypes.names().length - 1} node types) with the harness loader in ${(performance.now() - started).toFixed(0)} ms`);
	return nodesBase;
}

async function main(): Promise<number> {
	const options = parseOptions(process.argv.slice(2));
	console.log(machineFacts().join('\n'));
	console.log(`broadcast of ${options.messages} messages to distinct numbers, ${options.rounds} round(s), median reported; parallel = ${options.parallel}\n`);

	const sandbox = await startMesigic();
	try {
		const { hostname } = new URL(sandbox.credentials.baseUrl);
		if (hostname !== '127.0.0.1') throw new Error(`The sandbox must listen on 127.0.0.1, not ${hostname}`);
		const pkg = await loadPackage(repositoryRoot);
		const nodesBase = await loadNodesBase();

		const paths: SendPath[] = [
			mesigicNodePath(pkg, sandbox, 1),
			mesigicNodePath(pkg, sandbox, options.parallel),
			...(nodesBase
				? [httpRequestLoopPath(nodesBase, sandbox, 1), httpRequestLoopPath(nodesBase, sandbox, options.parallel), httpRequestNodePath(nodesBase, sandbox)]
				: []),
			undiciPath(sandbox, 1),
			undiciPath(sandbox, options.parallel),
			undiciPath(sandbox, 'all'),
			undiciPath(sandbox, 1, { newConnectionEach: true }),
		];

		const benchStarted = performance.now();
		const warmUp = broadcastMessages(Math.min(WARM_UP_MESSAGES, options.messages), 'Warm-up');
		for (const sendPath of paths) await measure(sandbox, sendPath, warmUp);
		console.log(`warm-up: ${warmUp.length} messages per path, not counted (${(performance.now() - benchStarted).toFixed(0)} ms)`);

		const messages = broadcastMessages(options.messages, 'Broadcast');
		const measurements: Measurement[] = paths.map((sendPath) => ({ path: sendPath, totalMs: [], accepted: [], connections: [] }));
		for (let round = 0; round < options.rounds; round++) {
			const roundStarted = performance.now();
			// A rotating order, so no path always runs right after the same other one.
			for (let step = 0; step < measurements.length; step++) {
				const measurement = measurements[(round + step) % measurements.length];
				const { totalMs, accepted, connections } = await measure(sandbox, measurement.path, messages);
				measurement.totalMs.push(totalMs);
				measurement.accepted.push(accepted);
				measurement.connections.push(connections);
			}
			console.log(`round ${round + 1}/${options.rounds} done in ${((performance.now() - roundStarted) / 1000).toFixed(1)} s`);
		}

		console.log(`\n${renderTable(measurements, options.messages, options.rounds)}\n`);
		console.log(
			'in flight: requests at once. "vs raw undici" = messages/s ÷ raw undici messages/s with as many in flight (1 vs 1, ' +
				`${options.parallel} vs ${options.parallel}, all vs all). accepted = messages the sandbox accepted in that round (each must be ${options.messages}: ` +
				'every number exactly once, checked). connections = TCP connections the sandbox accepted during the run.',
		);
		if (!nodesBase) console.log('HTTP Request node rows skipped: runtime/node_modules/n8n-nodes-base is absent.');
		console.log(`benchmark time: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s; load average now ${loadAverage()}`);
		if (os.loadavg()[0] > os.cpus().length / 2) {
			console.log('note: other processes were busy on this machine during the run; expect noisy numbers.');
		}
		return 0;
	} finally {
		await sandbox.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof DeliveryError ? `FAILED: ${error.message}` : error);
		process.exit(1);
	},
);

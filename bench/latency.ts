/**
 * Part 1, latency-bound: the provider answers each request after a latency drawn from a range
 * (80–250 ms by default, the same seeded sequence for every run), as real providers do. What
 * counts is how well a path keeps requests in flight: this package's node at Parallel Requests
 * 1 / 8 / 16, n8n's HTTP Request node alone and in Loop Over Items of 8 / 16, raw undici at 1 / 8 / 16.
 */
import { broadcastMessages, median, ratio, table, type SandboxControl } from './common';
import { measureRun, type RunResult } from './measure';
import { httpRequestLoopPath, httpRequestNodePath, packageNodePath, undiciPath, type SendPath } from './paths';
import type { BenchContext } from './context';

export interface LatencyOptions {
	messages: number;
	rounds: number;
	latency: { min: number; max: number; seed: number };
	inFlight: number[];
}

export interface LatencyRow {
	path: SendPath;
	runs: RunResult[];
	messagesPerSecond: number;
}

export interface LatencyResult {
	options: LatencyOptions;
	rows: LatencyRow[];
	markdown: string;
}

const WARM_UP_MESSAGES = 200;

export function latencyPaths(context: BenchContext, inFlight: number[]): SendPath[] {
	const { pkg, nodesBase, sandbox } = context;
	const { credentials } = sandbox;
	return [
		...inFlight.map((parallelRequests) => packageNodePath(pkg, credentials, { parallelRequests })),
		...(nodesBase ? [httpRequestNodePath(nodesBase, credentials), ...inFlight.filter((size) => size > 1).map((size) => httpRequestLoopPath(nodesBase, credentials, size))] : []),
		...inFlight.map((concurrency) => undiciPath(credentials, concurrency)),
	];
}

/** Every path sends a small broadcast with no latency first (JIT, pools), not counted. */
export async function warmUp(sandbox: SandboxControl, paths: SendPath[]): Promise<void> {
	await sandbox.setLoad({});
	const messages = broadcastMessages(WARM_UP_MESSAGES, 'Warm-up');
	for (const path of paths) await measureRun(sandbox, path, messages);
}

export async function latencyBound(context: BenchContext, options: LatencyOptions, log: (line: string) => void): Promise<LatencyResult> {
	const { sandbox } = context;
	const paths = latencyPaths(context, options.inFlight);
	await warmUp(sandbox, paths);
	await sandbox.setLoad({ latencyMs: options.latency });
	const messages = broadcastMessages(options.messages, 'Broadcast');
	const runs = new Map<SendPath, RunResult[]>(paths.map((path) => [path, []]));
	for (let round = 0; round < options.rounds; round++) {
		// A rotating order, so no path always runs right after the same other one.
		for (let step = 0; step < paths.length; step++) {
			const path = paths[(round + step) % paths.length]!;
			const run = await measureRun(sandbox, path, messages);
			runs.get(path)!.push(run);
			log(`  ${path.name}: ${(run.elapsedMs / 1000).toFixed(1)} s, ${(messages.length / (run.elapsedMs / 1000)).toFixed(1)} msg/s`);
		}
	}
	await sandbox.setLoad({});
	const rows = paths.map((path) => {
		const pathRuns = runs.get(path)!;
		return { path, runs: pathRuns, messagesPerSecond: messages.length / (median(pathRuns.map((run) => run.elapsedMs)) / 1000) };
	});
	return { options, rows, markdown: renderLatency(rows, options) };
}

function renderLatency(rows: LatencyRow[], options: LatencyOptions): string {
	const rateOf = (kind: SendPath['kind'], inFlight: number | 'all') => rows.find((row) => row.path.kind === kind && row.path.inFlight === inFlight)?.messagesPerSecond;
	const httpLoop = (inFlight: number | 'all') => rows.find((row) => row.path.kind === 'http' && row.path.inFlight === inFlight && row.path.name.includes('Loop'))?.messagesPerSecond;
	const header = ['path', 'in flight', 'msg/s', `seconds (${options.rounds === 1 ? 'one run' : `median of ${options.rounds}`})`, '÷ raw undici', '÷ HTTP Request in Loop', 'connections', 'accepted'];
	const body = rows.map(({ path, runs, messagesPerSecond }) => [
		path.name,
		String(path.inFlight === 'all' ? `all (${options.messages})` : path.inFlight),
		messagesPerSecond.toFixed(1),
		(median(runs.map((run) => run.elapsedMs)) / 1000).toFixed(1),
		path.inFlight === 'all' ? '–' : ratio(messagesPerSecond, rateOf('undici', path.inFlight)),
		path.inFlight === 'all' || path.inFlight === 1 ? '–' : ratio(messagesPerSecond, httpLoop(path.inFlight)),
		runs.some((run) => run.connections === undefined) ? '–' : median(runs.map((run) => run.connections!)).toFixed(0),
		runs.map((run) => run.delivery.accepted).join(' / '),
	]);
	return table(header, body);
}

/**
 * Part 2, rate-limited: the provider allows 20 calls per rolling second per credential (a window
 * that the broadcast really fills) and answers 100 ms after each call; beyond the limit it answers
 * 429 with Retry-After. This package's node with Max Requests per Minute set to that limit, and
 * without it (429s waited out through Retry-After), against n8n's HTTP Request node alone and
 * with Retry On Fail, which cannot wait for Retry-After.
 */
import { broadcastMessages, ratio, table } from './common';
import type { BenchContext } from './context';
import { warmUp } from './latency';
import { measureRun, type RunResult } from './measure';
import { httpRequestNodePath, packageNodePath, type SendPath } from './paths';

export interface RateLimitOptions {
	messages: number;
	/** Calls allowed per window, and the window. */
	calls: number;
	windowMs: number;
	latencyMs: number;
	/** Parallel Requests of this package's node. */
	parallelRequests: number;
}

export interface RateLimitRow {
	path: SendPath;
	/** Whether the row's losses are its result (the HTTP Request node) rather than a failure of the benchmark. */
	mayLose: boolean;
	run: RunResult;
	/** Messages delivered per second of the whole run ÷ the calls per second allowed; undefined when not all were delivered. */
	ofAllowedRate?: number;
	/** The same between the provider's first and last accepted send (without the run's start and last answer). */
	atProvider?: number;
}

export interface RateLimitResult {
	options: RateLimitOptions;
	rows: RateLimitRow[];
	markdown: string;
}

export async function rateLimited(context: BenchContext, options: RateLimitOptions, log: (line: string) => void): Promise<RateLimitResult> {
	const { pkg, nodesBase, sandbox } = context;
	const { credentials } = sandbox;
	const perMinute = Math.round((options.calls * 60_000) / options.windowMs);
	const paths: Array<{ path: SendPath; mayLose: boolean }> = [
		{ path: packageNodePath(pkg, credentials, { parallelRequests: options.parallelRequests, maxRequestsPerMinute: perMinute }), mayLose: false },
		{ path: packageNodePath(pkg, credentials, { parallelRequests: options.parallelRequests }), mayLose: false },
		...(nodesBase
			? [
					{ path: httpRequestNodePath(nodesBase, credentials), mayLose: true },
					{ path: httpRequestNodePath(nodesBase, credentials, { retryOnFail: true }), mayLose: true },
				]
			: []),
	];
	await warmUp(
		sandbox,
		paths.filter((entry) => !entry.mayLose).map((entry) => entry.path),
	);
	await sandbox.setLoad({ latencyMs: options.latencyMs, rateLimit: { calls: options.calls, windowMs: options.windowMs } });
	const messages = broadcastMessages(options.messages, 'Offer');
	const allowedPerSecond = (options.calls * 1000) / options.windowMs;
	const rows: RateLimitRow[] = [];
	for (const { path, mayLose } of paths) {
		const run = await measureRun(sandbox, path, messages, { mayLose });
		const { delivered, firstAcceptedAt, lastAcceptedAt } = run.delivery;
		const complete = delivered === messages.length;
		const ofAllowedRate = complete ? delivered / (run.elapsedMs / 1000) / allowedPerSecond : undefined;
		const spanMs = (lastAcceptedAt ?? 0) - (firstAcceptedAt ?? 0);
		const atProvider = complete && spanMs > 0 ? (delivered - 1) / (spanMs / 1000) / allowedPerSecond : undefined;
		rows.push({ path, mayLose, run, ofAllowedRate, atProvider });
		log(`  ${path.name}: ${(run.elapsedMs / 1000).toFixed(1)} s, ${run.delivery.delivered} delivered, ${run.delivery.refused} × 429, ${run.report.failedItems} failed, ${run.delivery.duplicates} duplicates`);
	}
	await sandbox.setLoad({});
	return { options, rows, markdown: renderRateLimit(rows, options, perMinute) };
}

function renderRateLimit(rows: RateLimitRow[], options: RateLimitOptions, perMinute: number): string {
	const header = ['path', 'seconds', 'delivered', 'achieved ÷ allowed rate', 'at the provider', '429s received', 'failed items', 'duplicate sends', 'how the run ended'];
	const body = rows.map(({ path, run, ofAllowedRate, atProvider }) => [
		path.name,
		(run.elapsedMs / 1000).toFixed(1),
		`${run.delivery.delivered} / ${options.messages}`,
		ratio(ofAllowedRate, 1),
		ratio(atProvider, 1),
		String(run.delivery.refused),
		String(run.report.failedItems),
		String(run.delivery.duplicates),
		run.report.runError ? `stopped: ${run.report.runError.slice(0, 80)}…` : 'finished',
	]);
	return `allowed: ${options.calls} calls per ${options.windowMs} ms (${perMinute} per minute), ${options.latencyMs} ms latency; the node at Parallel Requests ${options.parallelRequests}\n\n${table(header, body, (column) => column > 0 && column < 8)}`;
}

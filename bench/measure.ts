/** One run of one path: timed, its TCP connections counted, its delivery checked. */
import { performance } from 'node:perf_hooks';

import { DeliveryError, deliveryOf, describeDelivery, isExact, type Delivery, type Message, type SandboxControl } from './common';
import type { SendPath, SendReport } from './paths';

export interface RunResult {
	path: SendPath;
	elapsedMs: number;
	delivery: Delivery;
	report: SendReport;
	/** TCP connections the sandbox accepted during the run (undefined when it cannot tell). */
	connections?: number;
}

/**
 * Runs `path` on a fresh sandbox and checks what it delivered. A path that must deliver each
 * message exactly once (every path but the HTTP Request node under a rate limit, whose losses are
 * the point of its row) stops the benchmark with a DeliveryError when it lost or repeated one.
 * The engine's result is dropped unless `keepResult`, so that runs do not pile up in memory.
 */
export async function measureRun(sandbox: SandboxControl, path: SendPath, messages: Message[], { mayLose = false, keepResult = false } = {}): Promise<RunResult> {
	await sandbox.reset();
	const connectionsBefore = await sandbox.connections();
	const started = performance.now();
	const report = await path.send(messages);
	const elapsedMs = performance.now() - started;
	if (!keepResult) delete report.result;
	const connectionsAfter = await sandbox.connections();
	const connections = connectionsAfter === undefined || connectionsBefore === undefined ? undefined : connectionsAfter - connectionsBefore;
	const delivery = await deliveryOf(sandbox, messages);
	if (!mayLose && (!isExact(delivery, messages.length) || report.failedItems > 0)) {
		const failed = report.failedItems ? `; ${report.failedItems} items failed${report.runError ? ` (${report.runError})` : ''}` : '';
		throw new DeliveryError(`${path.name}: ${describeDelivery(delivery, messages.length)}${failed}`);
	}
	return { path, elapsedMs, delivery, report, connections };
}

/**
 * One measurement of part 3 in a fresh process, so that peak memory belongs to this run alone:
 * loads the engine with both packages, sends a warm-up broadcast, then the measured one (no
 * latency), sampling RSS and heap meanwhile, and prints one JSON line with CPU time, peaks and the
 * heap still held once the run's result is kept and garbage is collected.
 *
 * node --expose-gc cpu-child.js <path id> <messages> <sandbox url> <sandbox api url>
 */
// Must stay the first import: it sets the n8n environment before n8n-core is loaded.
import { loadPackages } from './context';

import { performance } from 'node:perf_hooks';

import { broadcastMessages, DeliveryError, deliveryOf, describeDelivery, isExact, SandboxControl } from './common';
import { MESIGIC_DEMO_CREDENTIALS } from '../sandbox/mesigic';
import { measureRun } from './measure';
import { CPU_PATHS, type CpuChildResult } from './cpu-memory';

/**
 * A full garbage collection once what the last run left behind has settled: sockets closing,
 * timers, promises (without the pause, a run's last connections are still being torn down).
 */
async function settledGc(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 500));
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('Run with --expose-gc');
	gc();
	gc();
}

async function main(): Promise<void> {
	const [id, count, url, apiUrl] = process.argv.slice(2);
	const sandbox = new SandboxControl(url!, { ...MESIGIC_DEMO_CREDENTIALS, baseUrl: apiUrl! });
	const packages = await loadPackages();
	const path = CPU_PATHS[id!]?.(packages, sandbox);
	if (!path) throw new Error(`Unknown or unavailable path "${id}"`);
	await sandbox.setLoad({});
	await measureRun(sandbox, path, broadcastMessages(300, 'Warm-up'));

	const messages = broadcastMessages(Number(count), 'Broadcast');
	await sandbox.reset();
	await settledGc();
	const baseline = process.memoryUsage();
	let peakRss = baseline.rss;
	let peakHeap = baseline.heapUsed;
	const sample = () => {
		const { rss, heapUsed } = process.memoryUsage();
		peakRss = Math.max(peakRss, rss);
		peakHeap = Math.max(peakHeap, heapUsed);
	};
	const sampler = setInterval(sample, 10);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const report = await path.send(messages);
	const elapsedMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	sample();
	await settledGc();
	const retainedHeap = process.memoryUsage().heapUsed;
	// Checked after the measurement: reading the sandbox's log is not the path's work.
	const delivery = await deliveryOf(sandbox, messages);
	if (!isExact(delivery, messages.length) || report.failedItems > 0) {
		throw new DeliveryError(`${path.name}: ${describeDelivery(delivery, messages.length)}; ${report.failedItems} items failed${report.runError ? ` (${report.runError})` : ''}`);
	}
	const result: CpuChildResult = {
		pathName: path.name,
		messages: messages.length,
		cpuMs: (cpu.user + cpu.system) / 1000,
		elapsedMs,
		baselineHeap: baseline.heapUsed,
		baselineRss: baseline.rss,
		peakRss,
		peakHeap,
		retainedHeap,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
	// The run's result (raw undici has none) stays referenced up to here, so the retained heap includes it.
	if (report.result === undefined && path.kind !== 'undici') throw new Error(`${path.name} kept no result`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof DeliveryError ? `DELIVERY: ${error.message}` : error);
		process.exit(error instanceof DeliveryError ? 3 : 1);
	},
);

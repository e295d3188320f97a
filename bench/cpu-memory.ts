/**
 * Part 3, CPU and memory: with no latency, how much CPU time a message costs (process CPU time ÷
 * N) and how much memory a broadcast takes (peak RSS and heap, and the heap still held with the
 * run's result) for N = 1,000 and 10,000, for this package's node and n8n's HTTP Request node.
 * Every measurement runs in a fresh process (bench/cpu-child.ts), so peaks belong to that run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { DeliveryError, median, ratio, table, type SandboxControl } from './common';
import type { BenchContext } from './context';
import { httpRequestLoopPath, httpRequestNodePath, packageNodePath, undiciPath, type SendPath } from './paths';

export interface CpuChildResult {
	pathName: string;
	messages: number;
	cpuMs: number;
	elapsedMs: number;
	/** Before the measured run, after garbage collection. */
	baselineHeap: number;
	baselineRss: number;
	peakRss: number;
	peakHeap: number;
	/** Heap used after the run with its result still held, after garbage collection. */
	retainedHeap: number;
}

/** The paths part 3 measures, by id. */
export const CPU_PATHS: Record<string, (context: Omit<BenchContext, 'sandbox'>, sandbox: SandboxControl) => SendPath | undefined> = {
	'package-1': ({ pkg }, sandbox) => packageNodePath(pkg, sandbox.credentials, { parallelRequests: 1 }),
	'package-16': ({ pkg }, sandbox) => packageNodePath(pkg, sandbox.credentials, { parallelRequests: 16 }),
	'http-alone': ({ nodesBase }, sandbox) => nodesBase && httpRequestNodePath(nodesBase, sandbox.credentials),
	'http-loop-16': ({ nodesBase }, sandbox) => nodesBase && httpRequestLoopPath(nodesBase, sandbox.credentials, 16),
	// No n8n code: what a new TCP connection per request costs at 16 in flight and in a burst (1,000
	// at once; 10,000 new connections at once overflow the sandbox's listen backlog).
	'undici-new-16': (_, sandbox) => undiciPath(sandbox.credentials, 16, { newConnectionEach: true }),
	'undici-new-1000': (_, sandbox) => undiciPath(sandbox.credentials, 1000, { newConnectionEach: true }),
};

export interface CpuMemoryOptions {
	sizes: number[];
	rounds: number;
}

export interface CpuMemoryRow {
	id: string;
	pathName: string;
	messages: number;
	runs: CpuChildResult[];
	cpuPerMessageMs: number;
	peakRssMb: number;
	peakHeapMb: number;
	retainedMb: number;
}

export interface CpuMemoryResult {
	options: CpuMemoryOptions;
	rows: CpuMemoryRow[];
	/** Per extra message from the smallest to the largest N, in KB: [peak heap, retained heap]. */
	growth: Map<string, { peakKb: number; retainedKb: number; pathName: string }>;
	markdown: string;
}

const MB = 1024 * 1024;

function runChild(id: string, messages: number, sandbox: SandboxControl): Promise<CpuChildResult> {
	const script = path.join(__dirname, 'cpu-child.js');
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', script, id, String(messages), sandbox.url, sandbox.credentials.baseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 3) return reject(new DeliveryError(err.trim().replace(/^DELIVERY: /, '')));
			if (code !== 0) return reject(new Error(`cpu-child ${id} ${messages} exited with ${code}:\n${err.trim().split('\n').slice(-15).join('\n')}`));
			resolve(JSON.parse(out.trim().split('\n').at(-1)!) as CpuChildResult);
		});
	});
}

export async function cpuAndMemory(context: BenchContext, options: CpuMemoryOptions, log: (line: string) => void): Promise<CpuMemoryResult> {
	const ids = Object.keys(CPU_PATHS).filter((id) => context.nodesBase || !id.startsWith('http'));
	const runs = new Map<string, CpuChildResult[]>();
	for (let round = 0; round < options.rounds; round++) {
		for (const messages of options.sizes) {
			for (const id of ids) {
				const result = await runChild(id, messages, context.sandbox);
				const key = `${id}:${messages}`;
				runs.set(key, [...(runs.get(key) ?? []), result]);
				log(`  ${result.pathName}, ${messages}: ${(result.cpuMs / messages).toFixed(3)} ms CPU per message, peak RSS ${(result.peakRss / MB).toFixed(0)} MB, retained heap +${((result.retainedHeap - result.baselineHeap) / MB).toFixed(1)} MB`);
			}
		}
	}
	const rows: CpuMemoryRow[] = [];
	for (const messages of options.sizes) {
		for (const id of ids) {
			const results = runs.get(`${id}:${messages}`)!;
			rows.push({
				id,
				pathName: results[0]!.pathName,
				messages,
				runs: results,
				cpuPerMessageMs: median(results.map((result) => result.cpuMs / messages)),
				peakRssMb: median(results.map((result) => result.peakRss / MB)),
				peakHeapMb: median(results.map((result) => (result.peakHeap - result.baselineHeap) / MB)),
				retainedMb: median(results.map((result) => (result.retainedHeap - result.baselineHeap) / MB)),
			});
		}
	}
	const smallest = Math.min(...options.sizes);
	const largest = Math.max(...options.sizes);
	const growth = new Map<string, { peakKb: number; retainedKb: number; pathName: string }>();
	// Raw undici keeps no result: its heap says nothing about what a workflow holds.
	for (const id of ids.filter((id) => !id.startsWith('undici'))) {
		const small = rows.find((row) => row.id === id && row.messages === smallest)!;
		const large = rows.find((row) => row.id === id && row.messages === largest)!;
		const extra = largest - smallest;
		growth.set(id, {
			pathName: small.pathName,
			peakKb: ((large.peakHeapMb - small.peakHeapMb) * 1024) / extra,
			retainedKb: ((large.retainedMb - small.retainedMb) * 1024) / extra,
		});
	}
	return { options, rows, growth, markdown: renderCpuMemory(rows, growth, options) };
}

function renderCpuMemory(rows: CpuMemoryRow[], growth: CpuMemoryResult['growth'], options: CpuMemoryOptions): string {
	const http = (messages: number) => rows.find((row) => row.id === 'http-alone' && row.messages === messages);
	const header = ['path', 'messages', 'CPU ms per message', '÷ HTTP Request node (alone)', 'peak RSS MB', 'peak heap MB (above start)', 'heap held after MB'];
	const body = rows.map((row) => [
		row.pathName,
		row.messages.toLocaleString('en-US'),
		row.cpuPerMessageMs.toFixed(3),
		ratio(row.cpuPerMessageMs, http(row.messages)?.cpuPerMessageMs),
		row.peakRssMb.toFixed(0),
		row.peakHeapMb.toFixed(1),
		row.id.startsWith('undici') ? '–' : row.retainedMb.toFixed(1),
	]);
	const httpGrowth = growth.get('http-alone');
	const growthRows = [...growth.values()].map((entry) => [
		entry.pathName,
		entry.peakKb.toFixed(2),
		ratio(entry.peakKb, httpGrowth?.peakKb),
		entry.retainedKb.toFixed(2),
		ratio(entry.retainedKb, httpGrowth?.retainedKb),
	]);
	const sizes = `${Math.min(...options.sizes).toLocaleString('en-US')} → ${Math.max(...options.sizes).toLocaleString('en-US')}`;
	return [
		table(header, body),
		'',
		`heap growth per extra message, ${sizes} messages (KB; ${options.rounds === 1 ? 'one run each' : `medians of ${options.rounds} runs`}):`,
		'',
		table(['path', 'peak heap KB / message', '÷ HTTP Request node', 'heap held KB / message', '÷ HTTP Request node'], growthRows),
	].join('\n');
}

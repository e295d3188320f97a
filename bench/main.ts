/**
 * `npm run bench`: broadcast and trigger performance where users feel it (see bench/README.md):
 *   1. latency-bound: the provider answers after 80–250 ms (seeded), N = 2,000;
 *   2. rate-limited: 20 calls per rolling second, 100 ms latency, N = 600;
 *   3. CPU and memory: no latency, N = 1,000 and 10,000, each in a fresh process;
 *   4. trigger ingest on a real n8n: 2,000 events, 20 at a time.
 * Every run is checked for exactly N accepted, each number once; a run that loses or repeats a
 * message (where the path promises not to) ends the benchmark with "FAILED" and exit code 1.
 */
// Must stay the first import: it sets the n8n environment before n8n-core is loaded.
import { loadPackages } from './context';

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { DeliveryError, loadAverage, machineFacts, RemoteSandbox, repositoryRoot } from './common';
import { cpuAndMemory, type CpuMemoryResult } from './cpu-memory';
import { latencyBound, type LatencyResult } from './latency';
import { rateLimited, type RateLimitResult } from './rate-limit';
import { triggerIngest, type TriggerResult } from './trigger-ingest';

const PARTS = ['latency', 'rate', 'cpu', 'trigger'] as const;
type Part = (typeof PARTS)[number];

interface BenchOptions {
	parts: Part[];
	/** Messages of the latency-bound part. */
	messages: number;
	rounds: number;
	cpuRounds: number;
	rateMessages: number;
	triggerEvents: number;
}

const LIMITS: Record<Exclude<keyof BenchOptions, 'parts'>, [number, number, string]> = {
	messages: [50, 10_000, '--messages'],
	rounds: [1, 10, '--rounds'],
	cpuRounds: [1, 10, '--cpu-rounds'],
	rateMessages: [40, 5_000, '--rate-messages'],
	triggerEvents: [20, 20_000, '--trigger-events'],
};

const USAGE = `Usage: node bench/run.mjs [--parts ${PARTS.join(',')}] [--messages N (latency-bound, default 2000)] [--rounds R (latency-bound, default 1)]
       [--rate-messages N (rate-limited, default 600)] [--cpu-rounds R (CPU and memory, default 3)] [--trigger-events N (trigger ingest, default 2000)]`;

function usage(problem: string): never {
	console.error(`${problem}\n${USAGE}`);
	process.exit(2);
}

function parseOptions(argv: string[]): BenchOptions {
	const options: BenchOptions = { parts: [...PARTS], messages: 2000, rounds: 1, cpuRounds: 3, rateMessages: 600, triggerEvents: 2000 };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--help' || argv[i] === '-h') {
			console.log(USAGE);
			process.exit(0);
		}
		const [flag, inline] = argv[i]!.split('=', 2);
		const raw = inline ?? argv[++i];
		if (raw === undefined) usage(`${flag} needs a value`);
		if (flag === '--parts') {
			const parts = raw.split(',').map((part) => part.trim());
			const unknown = parts.filter((part) => !PARTS.includes(part as Part));
			if (unknown.length || !parts.length) usage(`Unknown part(s): ${unknown.join(', ')}`);
			options.parts = parts as Part[];
			continue;
		}
		const entry = Object.entries(LIMITS).find(([, [, , name]]) => name === flag);
		if (!entry) usage(`Unknown argument "${argv[i]}"`);
		const [key, [min, max]] = entry;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < min || value > max) usage(`${flag} must be a whole number from ${min} to ${max} (got "${raw}")`);
		options[key as keyof typeof LIMITS] = value;
	}
	return options;
}

interface Results {
	latency?: LatencyResult;
	rate?: RateLimitResult;
	cpu?: CpuMemoryResult;
	trigger?: TriggerResult;
}

type Check = [target: string, value: string, met: boolean];

/** The targets, each with the value of this run. */
function targets(results: Results): Check[] {
	const checks: Check[] = [];
	const { latency, rate, cpu, trigger } = results;
	if (latency) {
		const at = (kind: string, loop: boolean) => latency.rows.find((row) => row.path.kind === kind && row.path.inFlight === 16 && row.path.name.includes('Loop') === loop)?.messagesPerSecond;
		const node = at('package', false);
		const undici = at('undici', false);
		const loop = at('http', true);
		if (node && undici) checks.push(['latency-bound, 16 in flight: ≥ 0.90 × raw undici', (node / undici).toFixed(2), node / undici >= 0.9]);
		if (node && loop) checks.push(['latency-bound, 16 in flight: ≥ 1.20 × HTTP Request node in Loop Over Items (16)', (node / loop).toFixed(2), node / loop >= 1.2]);
	}
	if (rate) {
		const [capped, uncapped] = rate.rows;
		if (capped) {
			const { delivery, report } = capped.run;
			const share = capped.ofAllowedRate ?? 0;
			checks.push(['rate-limited, with the cap: ≥ 0.95 × the allowed rate (whole run)', share.toFixed(2), share >= 0.95]);
			checks.push(['rate-limited, with the cap: 0 × 429, 0 failed, 0 duplicates', `${delivery.refused} / ${report.failedItems} / ${delivery.duplicates}`, delivery.refused === 0 && report.failedItems === 0 && delivery.duplicates === 0]);
		}
		if (uncapped) {
			const { delivery, report } = uncapped.run;
			checks.push(['rate-limited, without the cap: 0 failed, 0 duplicates', `${report.failedItems} / ${delivery.duplicates}`, report.failedItems === 0 && delivery.duplicates === 0]);
		}
	}
	if (cpu) {
		const cpuOf = (id: string) => cpu.rows.filter((row) => row.id === id);
		const http = cpuOf('http-alone');
		for (const id of ['package-1', 'package-16']) {
			for (const row of cpuOf(id)) {
				const reference = http.find((entry) => entry.messages === row.messages);
				if (reference) checks.push([`CPU per message ≤ HTTP Request node's (${row.pathName}, N = ${row.messages.toLocaleString('en-US')})`, (row.cpuPerMessageMs / reference.cpuPerMessageMs).toFixed(2), row.cpuPerMessageMs <= reference.cpuPerMessageMs]);
				// The same comparison at the same number in flight (not a target of its own: for reading the one above).
				const sameInFlight = id === 'package-16' ? cpuOf('http-loop-16').find((entry) => entry.messages === row.messages) : undefined;
				if (sameInFlight) {
					checks.push([`(for reading the row above) CPU per message vs HTTP Request node in Loop Over Items (16), N = ${row.messages.toLocaleString('en-US')}`, (row.cpuPerMessageMs / sameInFlight.cpuPerMessageMs).toFixed(2), row.cpuPerMessageMs <= sameInFlight.cpuPerMessageMs]);
				}
			}
			const growth = cpu.growth.get(id);
			const httpGrowth = cpu.growth.get('http-alone');
			if (growth && httpGrowth) {
				checks.push([`heap growth per message ≤ HTTP Request node's, peak (${growth.pathName})`, (growth.peakKb / httpGrowth.peakKb).toFixed(2), growth.peakKb <= httpGrowth.peakKb]);
				checks.push([`heap growth per message ≤ HTTP Request node's, held after the run (${growth.pathName})`, (growth.retainedKb / httpGrowth.retainedKb).toFixed(2), growth.retainedKb <= httpGrowth.retainedKb]);
			}
		}
	}
	if (trigger) {
		const [chatApi, webhook] = trigger.rows.filter((row) => row.engine === 'vm');
		if (chatApi && webhook) {
			const share = chatApi.eventsPerSecond / webhook.eventsPerSecond;
			checks.push(["trigger ingest (n8n's default expression engine): ≥ 0.90 × n8n's Webhook node, 0 lost", `${share.toFixed(2)}, ${chatApi.lost} lost`, share >= 0.9 && chatApi.lost === 0]);
		}
	}
	return checks;
}

async function main(): Promise<number> {
	const options = parseOptions(process.argv.slice(2));
	const lines: string[] = [];
	const log = (line: string) => console.log(line);
	const report = (line: string) => {
		lines.push(line);
		log(line);
	};
	const facts = machineFacts();
	facts.forEach(report);
	const started = performance.now();
	const results: Results = {};
	const sandbox = await RemoteSandbox.start();
	try {
		const context = { sandbox, ...(await loadPackages(log)) };
		if (options.parts.includes('latency')) {
			report(`\n### 1. Latency-bound: ${options.messages.toLocaleString('en-US')} messages, each answered after 80–250 ms (seeded; load average ${loadAverage()})\n`);
			results.latency = await latencyBound(context, { messages: options.messages, rounds: options.rounds, latency: { min: 80, max: 250, seed: 2026 }, inFlight: [1, 8, 16] }, log);
			report(results.latency.markdown);
		}
		if (options.parts.includes('rate')) {
			report(`\n### 2. Rate-limited: ${options.rateMessages} messages, 20 calls per rolling second, 100 ms latency (load average ${loadAverage()})\n`);
			results.rate = await rateLimited(context, { messages: options.rateMessages, calls: 20, windowMs: 1000, latencyMs: 100, parallelRequests: 8 }, log);
			report(results.rate.markdown);
		}
		if (options.parts.includes('cpu')) {
			report(`\n### 3. CPU and memory, no latency, each measurement in a fresh process (load average ${loadAverage()})\n`);
			results.cpu = await cpuAndMemory(context, { sizes: [1000, 10_000], rounds: options.cpuRounds }, log);
			report(results.cpu.markdown);
		}
	} finally {
		await sandbox.stop();
	}
	if (options.parts.includes('trigger')) {
		report(`\n### 4. Trigger ingest on a real n8n (load average ${loadAverage()})\n`);
		results.trigger = await triggerIngest({ events: options.triggerEvents, concurrency: 20, warmUp: 100, engines: ['vm', 'legacy'] }, log);
		report(results.trigger.markdown);
	}

	const checks = targets(results);
	if (checks.length) {
		report('\n### Targets\n');
		report(
			['| target | this run | met |', '|---|---:|:---:|', ...checks.map(([target, value, met]) => `| ${target} | ${value} | ${met ? 'yes' : '**no**'} |`)].join('\n'),
		);
	}
	report(`\nbenchmark time ${((performance.now() - started) / 60_000).toFixed(1)} min; load average at the end ${loadAverage()} (1/5/15 min) on ${os.cpus().length} cores`);
	const out = path.join(repositoryRoot, 'build', 'bench', 'results.md');
	mkdirSync(path.dirname(out), { recursive: true });
	writeFileSync(out, `${lines.join('\n')}\n`);
	log(`(also written to ${path.relative(process.cwd(), out)})`);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof DeliveryError ? `FAILED: ${error.message}` : error);
		process.exit(1);
	},
);

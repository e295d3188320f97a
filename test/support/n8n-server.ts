/**
 * A real n8n server (2.41 on Node 24, from runtime/) with this package installed the way users get
 * it: `npm pack` of the project, unpacked into `<user folder>/.n8n/nodes/node_modules/<name>`.
 *
 *   const n8n = await startN8n();                       // ~10-20 s; fails fast with n8n's log tail
 *   const cred = await n8n.createCredential('mesigicApi', 'Mesigic', { clientId, clientSecret, baseUrl });
 *   expect(await n8n.testCredential(cred.id)).toEqual({ status: 'OK', message: expect.any(String) });
 *   const wf = await n8n.createWorkflow({ name: 'inbound', nodes, connections });
 *   await n8n.activate(wf.id);
 *   await n8n.waitForWebhook('mesigic-inbound');          // production URL answers something but 404
 *   ...
 *   const [run] = await n8n.waitForExecutions(wf.id, 1);  // with data
 *   await n8n.stop();                                     // n8n and its task runner, temp folder removed
 *
 * Works from jest on Node 20: n8n runs as a child process (Node 24), talked to over HTTP only.
 * The runtime is installed on first use by scripts/n8n-runtime.mjs (minutes; give the first
 * beforeAll a long timeout) and reused afterwards. Every call to n8n goes through
 * scripts/n8n-api.cjs, which `npm start` uses too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { MIGRATION_LINE, createN8nClient, installPackage, type Execution, type N8nClient } from '../../scripts/n8n-api.cjs';

export type { Credential, CredentialTestResult, Execution, Workflow } from '../../scripts/n8n-api.cjs';

/** The folder above `from` holding this project's package.json (this file also runs compiled, from build/bench/test/support). */
function projectRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'n8n-nodes-whatsapp-gateways') return dir;
	}
	return path.resolve(from, '..', '..');
}

export const PROJECT_ROOT = projectRoot(__dirname);
const INSTALLER = path.join(PROJECT_ROOT, 'scripts', 'n8n-runtime.mjs');

export interface StartN8nOptions {
	/** Project to pack and install (default: this repository; its dist/ must be built). */
	packageDir?: string;
	/** Install this tarball instead of packing packageDir. */
	tarball?: string;
	/** Extra environment for n8n (wins over the harness defaults). */
	env?: Record<string, string>;
	/** Time allowed for n8n to become ready once the runtime is there (default 120 s; an install
	 * of the runtime on a fresh clone comes before and is not counted). */
	startTimeoutMs?: number;
	/** Also write n8n's output to stderr as it comes (default: env N8N_E2E_LOGS=1). */
	echoLogs?: boolean;
	/** Keep the temporary user folder after stop() (default: env N8N_E2E_KEEP=1). */
	keepUserFolder?: boolean;
}

export interface N8nServer {
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	apiKey: string;
	port: number;
	brokerPort: number;
	userFolder: string;
	/** Pid of the watchdog = process group of it, n8n and the task runner (all gone after stop()). */
	pid: number;
	/** Name and version of the installed package (node types are `${packageName}.<node>`). */
	packageName: string;
	packageVersion: string;
	owner: { email: string; password: string };
	/** Where the start-up time went (ms): packing + unpacking, spawn → /healthz/readiness, owner + API key + node check. */
	timings: { packMs: number; bootMs: number; setupMs: number };
	/** Production webhook URL of a path: `${baseUrl}/webhook/${path}`. */
	webhookUrl(webhookPath: string): string;

	/** Public API call (`/api/v1` + apiPath) with the API key; throws on a non-2xx status. */
	api: N8nClient['api'];
	/** Internal REST call (`/rest` + restPath) with the owner's session; throws on a non-2xx status. */
	rest: N8nClient['rest'];

	createCredential: N8nClient['createCredential'];
	/** Runs the credential type's test inside n8n: `{ status: 'OK' | 'Error', message }`. */
	testCredential: N8nClient['testCredential'];
	/** Creates a workflow; fills `connections: {}` and `settings: { executionOrder: 'v1' }` when absent
	 * and drops fields the public API refuses (id, active, tags, meta, pinData, versionId…). */
	createWorkflow: N8nClient['createWorkflow'];
	/** Publishes (activates) a workflow; the error names "Unrecognized node type" lines from the log. */
	activate: N8nClient['publishWorkflow'];
	deactivate: N8nClient['unpublishWorkflow'];
	/** Waits until the production webhook of `webhookPath` is registered (for `method`, if given);
	 * polls with OPTIONS + Origin, which runs nothing. */
	waitForWebhook(webhookPath: string, timeoutMs?: number, method?: string): Promise<void>;
	executions: N8nClient['executions'];
	execution: N8nClient['execution'];
	/** Waits until the workflow has at least `count` finished executions; returns them oldest first, with data. */
	waitForExecutions(workflowId: string, count: number, timeoutMs?: number): Promise<Execution[]>;
	/** Node type names n8n knows, optionally only those starting with a prefix (e.g. `${packageName}.`). */
	nodeTypes: N8nClient['nodeTypes'];
	/** Node type descriptions as the editor gets them (with n8n's generated tool variants), optionally only those starting with a prefix. */
	nodeTypeDescriptions: N8nClient['nodeTypeDescriptions'];
	/** Credential type names n8n knows. */
	credentialTypes: N8nClient['credentialTypes'];

	/** Everything n8n printed so far. */
	logs(): string;
	/** Lines that point at a broken package or workflow: Unrecognized node type, failed loads, errors. */
	logProblems(): string[];
	stop(): Promise<void>;
}

// ----------------------------------------------------------------------------------------------

const PROBLEM = /Unrecognized node type|Failed to load|Error loading|Problem loading|Cannot find module|^\s*[A-Za-z]*Error\b|\bERROR\b|\[error\]/;

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

class LogBuffer {
	private chunks: string[] = [];
	private size = 0;
	constructor(private readonly limit = 4 * 1024 * 1024) {}
	push(text: string) {
		this.chunks.push(text);
		this.size += text.length;
		while (this.size > this.limit && this.chunks.length > 1) this.size -= (this.chunks.shift() as string).length;
	}
	text() {
		return this.chunks.join('');
	}
	tail(lines = 60) {
		return this.text()
			.trimEnd()
			.split('\n')
			.filter((line) => !MIGRATION_LINE.test(line))
			.slice(-lines)
			.join('\n');
	}
}

/** Starts n8n with the packed package installed, owner + API key set up. See the file header. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nServer> {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	const keep = options.keepUserFolder ?? process.env.N8N_E2E_KEEP === '1';
	try {
		const packStarted = Date.now();
		// npm pack → unpack → <userFolder>/.n8n/nodes/node_modules/<name>, as users get it
		const { name, version } = installPackage({ userFolder, packageDir: options.packageDir ?? PROJECT_ROOT, tarball: options.tarball, pack: true });
		const pkg = { name, version, packMs: Date.now() - packStarted };
		// A port picked here may be taken by someone else before n8n binds it: then try new ones.
		for (let attempt = 1; ; attempt++) {
			try {
				return await launch(userFolder, pkg, options, keep);
			} catch (e) {
				if (!(e instanceof PortInUse) || attempt >= 3) throw e;
			}
		}
	} catch (e) {
		if (!keep) fs.rmSync(userFolder, { recursive: true, force: true });
		throw e;
	}
}

class PortInUse extends Error {}

async function launch(
	userFolder: string,
	pkg: { name: string; version: string; packMs: number },
	options: StartN8nOptions,
	keep: boolean,
): Promise<N8nServer> {
	const port = await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const echo = options.echoLogs ?? process.env.N8N_E2E_LOGS === '1';
	const log = new LogBuffer();

	// database, settings and the n8n log of earlier attempts must not leak into this one
	for (const entry of fs.readdirSync(path.join(userFolder, '.n8n'))) {
		if (entry !== 'nodes') fs.rmSync(path.join(userFolder, '.n8n', entry), { recursive: true, force: true });
	}

	// scripts/n8n-runtime.mjs --serve: installs the runtime if needed, runs n8n with the shared
	// environment and watches it (process group of its own: stop() reaches the task runner too;
	// if this process dies, stdin closes and n8n is stopped anyway).
	const child: ChildProcess = spawn(
		process.execPath,
		[
			INSTALLER,
			'--serve',
			'--watch-stdin',
			...(keep ? [] : ['--remove-if-orphaned']),
			'--user-folder',
			userFolder,
			'--port',
			String(port),
			'--broker-port',
			String(brokerPort),
		],
		{
			cwd: userFolder,
			env: { ...process.env, N8N_RUNTIME_ENV: JSON.stringify(options.env ?? {}) },
			detached: true,
			stdio: ['pipe', 'pipe', 'pipe'],
		},
	);
	let started = Date.now();
	let runtimeReady = false;
	let exited: string | undefined;
	const exit = new Promise<void>((resolve) => {
		// 'close', not 'exit': the last lines of output are in the log by then
		child.on('close', (code, signal) => {
			exited = signal ?? `code ${code}`;
			resolve();
		});
	});
	const onData = (d: Buffer) => {
		const text = d.toString();
		log.push(text);
		if (!runtimeReady && text.includes('n8n runtime: starting n8n')) {
			runtimeReady = true; // an install, if one was needed, is over: the start deadline runs from here
			started = Date.now();
		}
		if (echo) process.stderr.write(text.replace(/^/gm, '[n8n] '));
		else if (!runtimeReady) process.stderr.write(text); // install progress
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	// Do not keep jest alive for n8n: a forgotten stop() is cleaned up by the watchdog when we exit.
	child.unref();
	for (const stream of [child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void } | null>) stream?.unref?.();

	let killed: Promise<void> | undefined;
	const kill = async () => {
		killed ??= (async () => {
			if (exited) return;
			try {
				child.kill('SIGTERM'); // the watchdog stops n8n, n8n stops its runner
			} catch {
				/* gone already */
			}
			const t = setTimeout(() => {
				try {
					process.kill(-child.pid!, 'SIGKILL');
				} catch {
					/* gone already */
				}
			}, 25_000);
			await exit;
			clearTimeout(t);
		})();
		await killed;
	};
	const stop = async () => {
		await kill();
		if (!keep) fs.rmSync(userFolder, { recursive: true, force: true });
	};

	const failure = (what: string) =>
		new Error(
			`n8n ${what} after ${((Date.now() - started) / 1000).toFixed(1)} s (port ${port}, user folder ${userFolder}).\n` +
				`--- last lines of n8n's log ---\n${log.tail()}`,
		);

	const n8n = createN8nClient({ baseUrl });
	const problems = () =>
		log
			.text()
			.split('\n')
			.filter((line) => PROBLEM.test(line) && !MIGRATION_LINE.test(line));
	const withLogHint = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
		try {
			return await fn();
		} catch (e) {
			const unrecognized = problems().filter((l) => /Unrecognized node type/i.test(l));
			const hint = unrecognized.length ? `\nn8n log: ${unrecognized.slice(-5).join('\n')}` : '';
			throw new Error(`${what}: ${(e as Error).message}${hint}`);
		}
	};

	try {
		// 1. healthy: migrations done and the server fully started
		const startTimeout = options.startTimeoutMs ?? 120_000;
		await n8n.waitForReady({
			intervalMs: 200,
			check: () => {
				if (exited) {
					if (/port \d+ is already in use|EADDRINUSE/i.test(log.text())) throw new PortInUse(log.tail());
					if (!runtimeReady) throw new Error(`The n8n runtime could not be installed (${exited}):\n${log.tail()}`);
					throw failure(`exited (${exited}) before it was ready`);
				}
				if (runtimeReady && Date.now() > started + startTimeout) throw failure('did not become ready');
			},
		});
		const bootMs = Date.now() - started;

		// 2. owner, session, API key
		const owner = { email: 'owner@e2e.test', password: 'E2e-owner-Passw0rd' };
		await n8n.setupOwner({ ...owner, firstName: 'E2E', lastName: 'Owner' });
		await n8n.login(owner);
		const apiKey = await n8n.ensureApiKey({ label: 'e2e' });

		// 3. the package must have loaded: at least one of its nodes is known
		const ours = await n8n.nodeTypes(`${pkg.name}.`);
		if (ours.length === 0) {
			throw failure(`started but did not load ${pkg.name}@${pkg.version} (no \`${pkg.name}.*\` node type).\nSuspicious lines:\n${problems().join('\n') || '(none)'}`);
		}

		return {
			baseUrl,
			apiKey,
			port,
			brokerPort,
			userFolder,
			pid: child.pid!,
			packageName: pkg.name,
			packageVersion: pkg.version,
			owner,
			timings: { packMs: pkg.packMs, bootMs, setupMs: Date.now() - started - bootMs },
			webhookUrl: n8n.webhookUrl,
			api: n8n.api,
			rest: n8n.rest,
			createCredential: n8n.createCredential,
			testCredential: n8n.testCredential,
			createWorkflow: async (json) => await withLogHint(`create workflow "${String(json.name)}"`, async () => await n8n.createWorkflow(json)),
			activate: async (id) => await withLogHint(`publish workflow ${id}`, async () => await n8n.publishWorkflow(id)),
			deactivate: n8n.unpublishWorkflow,
			waitForWebhook: async (webhookPath, timeoutMs, method) =>
				await n8n.waitForWebhook(webhookPath, { timeoutMs, method, hint: () => problems().slice(-10).join('\n') }),
			executions: n8n.executions,
			execution: n8n.execution,
			waitForExecutions: async (workflowId, count, timeoutMs) =>
				await n8n.waitForExecutions(workflowId, count, {
					timeoutMs,
					hint: () => `Suspicious n8n log lines:\n${problems().slice(-10).join('\n') || '(none)'}`,
				}),
			nodeTypes: n8n.nodeTypes,
			nodeTypeDescriptions: n8n.nodeTypeDescriptions,
			credentialTypes: n8n.credentialTypes,
			logs: () => log.text(),
			logProblems: problems,
			stop,
		};
	} catch (e) {
		await kill().catch(() => undefined); // the caller removes the user folder (or retries with it)
		throw e;
	}
}

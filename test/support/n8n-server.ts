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
 * Queue mode: `startN8n({ queue: true })` starts Redis (Debian's redis-server, installed by
 * scripts/redis.mjs when missing and allowed) and three n8n processes on one user folder and
 * database: main (editor, REST, public API, triggers' registration, polling), a worker (runs the
 * executions) and a webhook process (receives production webhooks; triggers register its URL).
 * Each process is checked for the package, not only for readiness; `processes` lets a test stop and
 * start each one.
 *
 * Works from jest on Node 20: n8n runs as child processes (Node 24), talked to over HTTP only.
 * The runtime is installed on first use by scripts/n8n-runtime.mjs (minutes; give the first
 * beforeAll a long timeout) and reused afterwards. Every call to n8n goes through
 * scripts/n8n-api.cjs, which `npm start` uses too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { MIGRATION_LINE, createN8nClient, installPackage, postgresEnv, queueModeEnv, type Execution, type N8nClient } from '../../scripts/n8n-api.cjs';

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
const REDIS = path.join(PROJECT_ROOT, 'scripts', 'redis.mjs');
const POSTGRES = path.join(PROJECT_ROOT, 'scripts', 'postgres.mjs');

export interface StartN8nOptions {
	/** Project to pack and install (default: this repository; its dist/ must be built). */
	packageDir?: string;
	/** Install this tarball instead of packing packageDir. */
	tarball?: string;
	/** Queue mode: Redis, main, one worker and one webhook process (default: one regular process). */
	queue?: boolean;
	/**
	 * The database: n8n's default SQLite, or PostgreSQL (scripts/postgres.mjs). Default: SQLite, and
	 * PostgreSQL in queue mode, where three processes on one SQLite file lock each other out under load.
	 */
	database?: 'sqlite' | 'postgres';
	/** Extra environment for every n8n process (wins over the harness defaults). */
	env?: Record<string, string>;
	/** Extra environment for one process (wins over `env`), e.g. `{ worker: { … } }`. */
	processEnv?: Partial<Record<N8nProcessName, Record<string, string>>>;
	/** Time allowed for n8n to become ready once the runtime is there (default 120 s; an install
	 * of the runtime on a fresh clone comes before and is not counted). */
	startTimeoutMs?: number;
	/** Also write n8n's output to stderr as it comes (default: env N8N_E2E_LOGS=1). */
	echoLogs?: boolean;
	/** Keep the temporary user folder after stop() (default: env N8N_E2E_KEEP=1). */
	keepUserFolder?: boolean;
}

export type N8nProcessName = 'main' | 'worker' | 'webhook';

/** One n8n process (main, queue mode's worker or webhook process), which a test may stop and start again. */
export interface N8nProcess {
	name: N8nProcessName;
	/** The port it answers /healthz/readiness on (the worker: its health-check port). */
	port: number;
	/** Pid of its watchdog = its process group (n8n and its task runner), of the last start. */
	pid(): number | undefined;
	running(): boolean;
	/** What it printed since the harness started it first. */
	logs(): string;
	/**
	 * Stops it: SIGTERM, which n8n answers by finishing what it runs (a worker: its executions, for up
	 * to N8N_GRACEFUL_SHUTDOWN_TIMEOUT); `hard`: SIGKILL to the process group at once, as a crash would.
	 */
	stop(options?: { hard?: boolean }): Promise<void>;
	/** Starts it again with the same ports and environment and waits until it is ready. */
	start(): Promise<void>;
}

export interface N8nServer {
	mode: 'regular' | 'queue';
	/** Main's http://127.0.0.1:<port>: editor, REST, public API. */
	baseUrl: string;
	/** Where production webhooks are served: main in regular mode, the webhook process in queue mode. */
	webhookBaseUrl: string;
	apiKey: string;
	port: number;
	brokerPort: number;
	userFolder: string;
	/** Pid of main's watchdog = process group of it, n8n and the task runner (all gone after stop()). */
	pid: number;
	/** Name and version of the installed package (node types are `${packageName}.<node>`). */
	packageName: string;
	packageVersion: string;
	owner: { email: string; password: string };
	/** Where the start-up time went (ms): packing + unpacking, spawn → ready (every process), owner + API key + node checks. */
	timings: { packMs: number; bootMs: number; setupMs: number };
	/** The processes: main, and in queue mode worker and webhook. */
	processes: { main: N8nProcess; worker?: N8nProcess; webhook?: N8nProcess };
	/** Queue mode's Redis port. */
	redisPort?: number;
	/** The database in use (PostgreSQL: on this port). */
	database: { type: 'sqlite' | 'postgres'; port?: number };
	/** Production webhook URL of a path: `${webhookBaseUrl}/webhook/${path}`. */
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
	/** Waits until n8n has (de)registered a workflow's triggers after activate / deactivate. */
	waitForPublication: N8nClient['waitForPublication'];
	/** Waits until the production webhook of `webhookPath` is registered (for `method`, if given);
	 * polls with OPTIONS + Origin, which runs nothing. */
	waitForWebhook(webhookPath: string, timeoutMs?: number, method?: string): Promise<void>;
	executions: N8nClient['executions'];
	execution: N8nClient['execution'];
	/** Waits until the workflow has at least `count` finished executions; returns them oldest first, with data. */
	waitForExecutions(workflowId: string, count: number, timeoutMs?: number): Promise<Execution[]>;
	/** The bytes behind a binary data id of an execution's item, through main (what the editor downloads). */
	binaryData: N8nClient['binaryData'];
	/** Node type names n8n knows, optionally only those starting with a prefix (e.g. `${packageName}.`). */
	nodeTypes: N8nClient['nodeTypes'];
	/** Node type descriptions as the editor gets them (with n8n's generated tool variants), optionally only those starting with a prefix. */
	nodeTypeDescriptions: N8nClient['nodeTypeDescriptions'];
	/** Credential type names n8n knows. */
	credentialTypes: N8nClient['credentialTypes'];

	/** Everything n8n printed so far (every process). */
	logs(): string;
	/** Lines that point at a broken package or workflow: Unrecognized node type, failed loads, errors. */
	logProblems(): string[];
	/**
	 * Stops every n8n process and starts them again (main first), as after a reboot; `hard`: as after
	 * a crash; `whileStopped` runs when all are down. Redis and the database stay up.
	 */
	restart(options?: { hard?: boolean; whileStopped?: () => Promise<void> }): Promise<void>;
	stop(): Promise<void>;
}

// ----------------------------------------------------------------------------------------------

const PROBLEM = /Unrecognized node type|Failed to load|Error loading|Problem loading|Cannot find module|^\s*[A-Za-z]*Error\b|\bERROR\b|\[error\]/;

async function freePort(taken: Set<number>): Promise<number> {
	for (;;) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const { port: picked } = server.address() as net.AddressInfo;
				server.close(() => resolve(picked));
			});
		});
		if (!taken.has(port)) {
			taken.add(port);
			return port;
		}
	}
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

class PortInUse extends Error {}

/** SIGTERM to a watchdog (SIGKILL to its whole group when `hard` or after 25 s); resolves once it exited. */
async function stopWatchdog(child: ChildProcess, exit: Promise<void>, isDone: () => boolean, hard = false): Promise<void> {
	if (isDone()) return;
	const killGroup = () => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone already */
		}
	};
	if (hard) killGroup();
	else {
		try {
			child.kill('SIGTERM'); // the watchdog stops n8n, n8n stops its runner
		} catch {
			/* gone already */
		}
	}
	const timer = setTimeout(killGroup, 25_000);
	await exit;
	clearTimeout(timer);
}

interface ProcessSpec {
	name: N8nProcessName;
	command: 'start' | 'worker' | 'webhook';
	/** N8N_PORT (the worker does not serve on it, but n8n wants one). */
	port: number;
	brokerPort: number;
	/** Where /healthz/readiness answers. */
	readyUrl: string;
	env: Record<string, string>;
	/** Only main removes the user folder should the test process die. */
	removeIfOrphaned: boolean;
}

/** One n8n process under scripts/n8n-runtime.mjs's watchdog; can be stopped and started again. */
class ManagedProcess implements N8nProcess {
	readonly name: N8nProcessName;
	readonly port: number;
	private readonly log = new LogBuffer();
	private child?: ChildProcess;
	private exit: Promise<void> = Promise.resolve();
	private exited: string | undefined = 'not started';
	private runtimeReady = false;
	private started = 0;

	constructor(
		private readonly spec: ProcessSpec,
		private readonly userFolder: string,
		private readonly echo: boolean,
		private readonly startTimeoutMs: number,
	) {
		this.name = spec.name;
		this.port = Number(new URL(spec.readyUrl).port);
	}

	pid() {
		return this.child?.pid;
	}

	running() {
		return this.exited === undefined;
	}

	logs() {
		return this.log.text();
	}

	tail() {
		return this.log.tail();
	}

	/** Spawns the watchdog (which installs the runtime first if needed) without waiting. */
	spawn() {
		const { spec } = this;
		const child = spawn(
			process.execPath,
			[
				INSTALLER,
				'--serve',
				'--watch-stdin',
				...(spec.removeIfOrphaned ? ['--remove-if-orphaned'] : []),
				'--user-folder',
				this.userFolder,
				'--port',
				String(spec.port),
				'--broker-port',
				String(spec.brokerPort),
				...(spec.command === 'start' ? [] : ['--command', spec.command]),
			],
			{
				cwd: this.userFolder,
				env: { ...process.env, N8N_RUNTIME_ENV: JSON.stringify(spec.env) },
				detached: true,
				stdio: ['pipe', 'pipe', 'pipe'],
			},
		);
		this.child = child;
		this.exited = undefined;
		this.started = Date.now();
		this.exit = new Promise<void>((resolve) => {
			// 'close', not 'exit': the last lines of output are in the log by then
			child.on('close', (code, signal) => {
				this.exited = signal ?? `code ${code}`;
				resolve();
			});
		});
		const prefix = `[n8n ${this.name}] `;
		const onData = (d: Buffer) => {
			const text = d.toString();
			this.log.push(text);
			if (!this.runtimeReady && text.includes('n8n runtime: starting n8n')) {
				this.runtimeReady = true; // an install, if one was needed, is over: the start deadline runs from here
				this.started = Date.now();
			}
			if (this.echo) process.stderr.write(text.replace(/^/gm, prefix));
			else if (!this.runtimeReady) process.stderr.write(text); // install progress
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		// Do not keep jest alive for n8n: a forgotten stop() is cleaned up by the watchdog when we exit.
		child.unref();
		for (const stream of [child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void } | null>) stream?.unref?.();
	}

	failure(what: string) {
		return new Error(
			`n8n ${this.name} ${what} after ${((Date.now() - this.started) / 1000).toFixed(1)} s (port ${this.spec.port}, user folder ${this.userFolder}).\n` +
				`--- last lines of its log ---\n${this.log.tail()}`,
		);
	}

	/** Waits for /healthz/readiness; throws with the log's tail when the process exits or takes too long. */
	async waitUntilReady() {
		const probe = createN8nClient({ baseUrl: new URL(this.spec.readyUrl).origin });
		await probe.waitForReady({
			intervalMs: 200,
			check: () => {
				if (this.exited) {
					if (/port \d+ is already in use|EADDRINUSE/i.test(this.log.text())) throw new PortInUse(this.log.tail());
					if (!this.runtimeReady) throw new Error(`The n8n runtime could not be installed (${this.exited}):\n${this.log.tail()}`);
					throw this.failure(`exited (${this.exited}) before it was ready`);
				}
				if (this.runtimeReady && Date.now() > this.started + this.startTimeoutMs) throw this.failure('did not become ready');
			},
		});
	}

	async start() {
		if (this.running()) return;
		this.spawn();
		await this.waitUntilReady();
	}

	async stop({ hard = false }: { hard?: boolean } = {}) {
		if (!this.child) return;
		await stopWatchdog(this.child, this.exit, () => this.exited !== undefined, hard);
	}
}

/** A service queue mode needs (Redis, PostgreSQL) under its script's watchdog (scripts/redis.mjs, scripts/postgres.mjs). */
class ManagedService {
	private child?: ChildProcess;
	private exit: Promise<void> = Promise.resolve();
	private exited: string | undefined = 'not started';
	private output = '';

	constructor(
		readonly name: string,
		readonly port: number,
		private readonly args: string[],
		private readonly isReady: (output: string) => Promise<boolean>,
	) {}

	async start(timeoutMs: number) {
		const child = spawn(process.execPath, [...this.args, '--watch-stdin'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
		this.child = child;
		this.exited = undefined;
		this.exit = new Promise<void>((resolve) => {
			child.on('close', (code, signal) => {
				this.exited = signal ?? `code ${code}`;
				resolve();
			});
		});
		const collect = (d: Buffer) => {
			const text = d.toString();
			this.output = (this.output + text).slice(-8000);
			if (/installing|installed in|failed/.test(text)) process.stderr.write(text); // an install in progress, or why it failed
		};
		child.stdout!.on('data', collect);
		child.stderr!.on('data', collect);
		child.unref();
		for (const stream of [child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void } | null>) stream?.unref?.();
		const until = Date.now() + timeoutMs;
		for (;;) {
			if (await this.isReady(this.output)) return;
			if (this.exited) throw new Error(`${this.name} for queue mode did not start (${this.exited}):\n${this.output.trim()}`);
			if (Date.now() > until) throw new Error(`${this.name} was not ready on port ${this.port} within ${timeoutMs} ms:\n${this.output.trim()}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	async stop() {
		if (this.child) await stopWatchdog(this.child, this.exit, () => this.exited !== undefined);
	}
}

/** PING → +PONG on 127.0.0.1:port. */
async function redisAnswers(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
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

async function launch(
	userFolder: string,
	pkg: { name: string; version: string; packMs: number },
	options: StartN8nOptions,
	keep: boolean,
): Promise<N8nServer> {
	const queue = options.queue === true;
	const echo = options.echoLogs ?? process.env.N8N_E2E_LOGS === '1';
	const startTimeout = options.startTimeoutMs ?? 120_000;
	const taken = new Set<number>();
	const port = await freePort(taken);
	const brokerPort = await freePort(taken);
	const baseUrl = `http://127.0.0.1:${port}`;

	// database, settings and the n8n log of earlier attempts must not leak into this one
	for (const entry of fs.readdirSync(path.join(userFolder, '.n8n'))) {
		if (entry !== 'nodes') fs.rmSync(path.join(userFolder, '.n8n', entry), { recursive: true, force: true });
	}

	const specs: ProcessSpec[] = [];
	const services: ManagedService[] = [];
	let redis: ManagedService | undefined;
	let postgres: ManagedService | undefined;
	const database = options.database ?? (queue ? 'postgres' : 'sqlite');
	let databaseEnv: Record<string, string> = {};
	if (database === 'postgres') {
		const dbPort = await freePort(taken);
		// beside the user folder, which is private to us (PostgreSQL runs as its own user when we are root)
		const data = path.join(os.tmpdir(), `${path.basename(userFolder)}-postgres`);
		postgres = new ManagedService('PostgreSQL', dbPort, [POSTGRES, '--serve', '--port', String(dbPort), '--data', data], async (output) => output.includes('postgres: ready on'));
		services.push(postgres);
		databaseEnv = postgresEnv(dbPort);
	}
	let webhookBaseUrl = baseUrl;
	if (queue) {
		const redisPort = await freePort(taken);
		redis = new ManagedService('Redis', redisPort, [REDIS, '--serve', '--port', String(redisPort)], async () => await redisAnswers(redisPort));
		services.push(redis);
		const webhookPort = await freePort(taken);
		const workerHealthPort = await freePort(taken);
		webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
		const env = queueModeEnv({
			redisPort: redis.port,
			prefix: `e2e${randomBytes(4).toString('hex')}`,
			encryptionKey: randomBytes(24).toString('hex'),
			webhookUrl: `${webhookBaseUrl}/`,
			workerHealthPort,
		});
		specs.push(
			{ name: 'main', command: 'start', port, brokerPort, readyUrl: `${baseUrl}/healthz/readiness`, env: { ...databaseEnv, ...env.shared, ...env.main, ...options.env, ...options.processEnv?.main }, removeIfOrphaned: !keep },
			{
				name: 'worker',
				command: 'worker',
				port: await freePort(taken),
				brokerPort: await freePort(taken),
				readyUrl: `http://127.0.0.1:${workerHealthPort}/healthz/readiness`,
				env: { ...databaseEnv, ...env.shared, ...env.worker, ...options.env, ...options.processEnv?.worker },
				removeIfOrphaned: false,
			},
			{
				name: 'webhook',
				command: 'webhook',
				port: webhookPort,
				brokerPort: await freePort(taken),
				readyUrl: `${webhookBaseUrl}/healthz/readiness`,
				env: { ...databaseEnv, ...env.shared, ...env.webhook, ...options.env, ...options.processEnv?.webhook },
				removeIfOrphaned: false,
			},
		);
	} else {
		specs.push({ name: 'main', command: 'start', port, brokerPort, readyUrl: `${baseUrl}/healthz/readiness`, env: { ...databaseEnv, ...options.env, ...options.processEnv?.main }, removeIfOrphaned: !keep });
	}
	const processes = specs.map((spec) => new ManagedProcess(spec, userFolder, echo, startTimeout));
	const [main, ...others] = processes;
	const byName = Object.fromEntries(processes.map((p) => [p.name, p])) as unknown as N8nServer['processes'];

	const stopAll = async () => {
		// the webhook process and the worker first, so that nothing is taken in that main cannot finish
		for (const p of [...others].reverse()) await p.stop();
		await main.stop();
		for (const service of services) await service.stop();
	};
	const stop = async () => {
		await stopAll();
		if (!keep) fs.rmSync(userFolder, { recursive: true, force: true });
	};

	const n8n = createN8nClient({ baseUrl, webhookBaseUrl });
	const allLogs = () => (queue ? processes.map((p) => `===== n8n ${p.name} =====\n${p.logs()}`).join('\n') : main.logs());
	const problems = () =>
		allLogs()
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
	/** Main first: on a fresh SQLite database parallel first starts race on the migrations. */
	const startAll = async () => {
		await main.start();
		await Promise.all(others.map(async (p) => await p.start()));
	};

	try {
		// 1. ready: PostgreSQL and Redis, then main (migrations done, server up), then the worker and the webhook process
		const bootStarted = Date.now();
		await Promise.all(services.map(async (service) => await service.start(10 * 60_000))); // may install them first
		await startAll();
		const bootMs = Date.now() - bootStarted;

		// 2. owner, session, API key
		const owner = { email: 'owner@e2e.test', password: 'E2e-owner-Passw0rd' };
		await n8n.setupOwner({ ...owner, firstName: 'E2E', lastName: 'Owner' });
		await n8n.login(owner);
		const apiKey = await n8n.ensureApiKey({ label: 'e2e' });

		// 3. the package must have loaded: in main at least one of its nodes is known; in queue mode the
		// worker and the webhook process say ready without it, so a probe workflow has to run there
		const ours = await n8n.nodeTypes(`${pkg.name}.`);
		if (ours.length === 0) {
			throw main.failure(`started but did not load ${pkg.name}@${pkg.version} (no \`${pkg.name}.*\` node type).\nSuspicious lines:\n${problems().join('\n') || '(none)'}`);
		}
		if (queue) {
			await n8n
				.verifyQueueProcesses({ packageName: pkg.name, workerLog: () => byName.worker!.logs() })
				.catch((error: Error) => {
					throw new Error(`${error.message}\nSuspicious lines:\n${problems().slice(-15).join('\n') || '(none)'}\n--- worker log ---\n${byName.worker!.logs().slice(-3000)}\n--- webhook process log ---\n${byName.webhook!.logs().slice(-3000)}`);
				});
		}

		return {
			mode: queue ? 'queue' : 'regular',
			baseUrl,
			webhookBaseUrl,
			apiKey,
			port,
			brokerPort,
			userFolder,
			get pid() {
				return main.pid() ?? 0;
			},
			packageName: pkg.name,
			packageVersion: pkg.version,
			owner,
			timings: { packMs: pkg.packMs, bootMs, setupMs: Date.now() - bootStarted - bootMs },
			processes: byName,
			redisPort: redis?.port,
			database: { type: database, port: postgres?.port },
			webhookUrl: n8n.webhookUrl,
			api: n8n.api,
			rest: n8n.rest,
			createCredential: n8n.createCredential,
			testCredential: n8n.testCredential,
			createWorkflow: async (json) => await withLogHint(`create workflow "${String(json.name)}"`, async () => await n8n.createWorkflow(json)),
			activate: async (id) => await withLogHint(`publish workflow ${id}`, async () => await n8n.publishWorkflow(id)),
			deactivate: n8n.unpublishWorkflow,
			waitForPublication: n8n.waitForPublication,
			waitForWebhook: async (webhookPath, timeoutMs, method) =>
				await n8n.waitForWebhook(webhookPath, { timeoutMs, method, hint: () => problems().slice(-10).join('\n') }),
			executions: n8n.executions,
			execution: n8n.execution,
			waitForExecutions: async (workflowId, count, timeoutMs) =>
				await n8n.waitForExecutions(workflowId, count, {
					timeoutMs,
					hint: () => `Suspicious n8n log lines:\n${problems().slice(-10).join('\n') || '(none)'}`,
				}),
			binaryData: n8n.binaryData,
			nodeTypes: n8n.nodeTypes,
			nodeTypeDescriptions: n8n.nodeTypeDescriptions,
			credentialTypes: n8n.credentialTypes,
			logs: allLogs,
			logProblems: problems,
			restart: async ({ hard = false, whileStopped } = {}) => {
				for (const p of [...others].reverse()) await p.stop({ hard });
				await main.stop({ hard });
				await whileStopped?.();
				await startAll();
				await n8n.login(owner);
			},
			stop,
		};
	} catch (e) {
		await stopAll().catch(() => undefined); // the caller removes the user folder (or retries with it)
		throw e;
	}
}

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
 * beforeAll a long timeout) and reused afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
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

export interface Credential {
	id: string;
	name: string;
	type: string;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** Public API execution (with `data` when includeData). */
export interface Execution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>;
			error?: { message: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
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
	api<T = any>(method: string, apiPath: string, body?: unknown): Promise<T>;
	/** Internal REST call (`/rest` + restPath) with the owner's session; throws on a non-2xx status. */
	rest<T = any>(method: string, restPath: string, body?: unknown): Promise<T>;

	createCredential(type: string, name: string, data: Record<string, unknown>): Promise<Credential>;
	/** Runs the credential type's test inside n8n: `{ status: 'OK' | 'Error', message }`. */
	testCredential(id: string): Promise<CredentialTestResult>;
	/** Creates a workflow; fills `connections: {}` and `settings: { executionOrder: 'v1' }` when absent
	 * and drops fields the public API refuses (id, active, tags, meta, pinData, versionId…). */
	createWorkflow(json: Record<string, unknown>): Promise<Workflow>;
	/** Publishes (activates) a workflow; the error names "Unrecognized node type" lines from the log. */
	activate(id: string): Promise<Workflow>;
	deactivate(id: string): Promise<Workflow>;
	/** Waits until the production webhook of `webhookPath` is registered (for `method`, if given);
	 * polls with OPTIONS + Origin, which runs nothing. */
	waitForWebhook(webhookPath: string, timeoutMs?: number, method?: string): Promise<void>;
	executions(workflowId: string, options?: { includeData?: boolean; status?: string; limit?: number }): Promise<Execution[]>;
	execution(id: string, options?: { includeData?: boolean }): Promise<Execution>;
	/** Waits until the workflow has at least `count` finished executions; returns them oldest first, with data. */
	waitForExecutions(workflowId: string, count: number, timeoutMs?: number): Promise<Execution[]>;
	/** Node type names n8n knows, optionally only those starting with a prefix (e.g. `${packageName}.`). */
	nodeTypes(prefix?: string): Promise<string[]>;
	/** Credential type names n8n knows. */
	credentialTypes(): Promise<string[]>;

	/** Everything n8n printed so far. */
	logs(): string;
	/** Lines that point at a broken package or workflow: Unrecognized node type, failed loads, errors. */
	logProblems(): string[];
	stop(): Promise<void>;
}

// ----------------------------------------------------------------------------------------------

const PROBLEM = /Unrecognized node type|Failed to load|Error loading|Problem loading|Cannot find module|^\s*[A-Za-z]*Error\b|\bERROR\b|\[error\]/;
const NOISE = /^(Starting|Finished) migration /; // ~300 lines on every fresh start
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

function run(cmd: string, args: string[], cwd: string): string {
	const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (r.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}\n${r.stdout}`);
	}
	return r.stdout;
}

/** npm pack → unpack → `<userFolder>/.n8n/nodes/node_modules/<name>`, as n8n's own installer lays it out. */
function installPackage(userFolder: string, options: StartN8nOptions): { name: string; version: string } {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
	try {
		let tarball = options.tarball;
		if (!tarball) {
			const packageDir = path.resolve(options.packageDir ?? PROJECT_ROOT);
			const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
			const listed: string[] = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
			const missing = listed.filter((file) => !fs.existsSync(path.join(packageDir, file)));
			if (missing.length) {
				throw new Error(`The package is not built: ${missing.join(', ')} missing in ${packageDir}. Run \`npm run build\` first.`);
			}
			const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], packageDir));
			tarball = path.join(work, packed[0].filename as string);
		}
		const unpacked = path.join(work, 'unpacked');
		fs.mkdirSync(unpacked);
		run('tar', ['-xzf', tarball, '-C', unpacked], work);
		const packageRoot = path.join(unpacked, 'package');
		const { name, version } = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));

		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		const target = path.join(nodesDir, 'node_modules', name);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.cpSync(packageRoot, target, { recursive: true });
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [name]: version } }, null, 2)}\n`,
		);
		return { name, version };
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
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
			.filter((line) => !NOISE.test(line))
			.slice(-lines)
			.join('\n');
	}
}

class HttpError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(message);
	}
}

/** Starts n8n with the packed package installed, owner + API key set up. See the file header. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nServer> {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	const keep = options.keepUserFolder ?? process.env.N8N_E2E_KEEP === '1';
	try {
		const packStarted = Date.now();
		const pkg = { ...installPackage(userFolder, options), packMs: 0 };
		pkg.packMs = Date.now() - packStarted;
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

	try {
		// 1. healthy: migrations done and the server fully started
		const startTimeout = options.startTimeoutMs ?? 120_000;
		for (;;) {
			if (exited) {
				if (/port \d+ is already in use|EADDRINUSE/i.test(log.text())) throw new PortInUse(log.tail());
				if (!runtimeReady) throw new Error(`The n8n runtime could not be installed (${exited}):\n${log.tail()}`);
				throw failure(`exited (${exited}) before it was ready`);
			}
			if (runtimeReady && Date.now() > started + startTimeout) throw failure('did not become ready');
			const ok = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) })
				.then((r) => r.ok)
				.catch(() => false);
			if (ok) break;
			await sleep(200);
		}
		const bootMs = Date.now() - started;

		// 2. owner, session, API key
		const owner = { email: 'owner@e2e.test', password: 'E2e-owner-Passw0rd' };
		let cookie = '';
		const call = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
			const response = await fetch(url, {
				method,
				headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(60_000),
			});
			const text = await response.text();
			let parsed: unknown = text;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				/* not JSON */
			}
			if (!response.ok) {
				throw new HttpError(`${method} ${url.slice(baseUrl.length)} → ${response.status}: ${text.slice(0, 1000)}`, response.status, parsed);
			}
			return { response, body: parsed as any };
		};
		const rest = async (method: string, restPath: string, body?: unknown) => {
			const { response, body: data } = await call(method, `${baseUrl}/rest${restPath}`, cookie ? { cookie } : {}, body);
			const setCookie = response.headers.getSetCookie?.() ?? [];
			const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
			if (auth) cookie = auth;
			return data && typeof data === 'object' && 'data' in data ? data.data : data;
		};
		await rest('POST', '/owner/setup', { email: owner.email, firstName: 'E2E', lastName: 'Owner', password: owner.password });
		await rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		const scopes: string[] = await rest('GET', '/api-keys/scopes');
		const key = await rest('POST', '/api-keys', { label: 'e2e', scopes, expiresAt: null });
		const apiKey: string = key.rawApiKey;

		const api = async (method: string, apiPath: string, body?: unknown) =>
			(await call(method, `${baseUrl}/api/v1${apiPath}`, { 'X-N8N-API-KEY': apiKey }, body)).body;

		const problems = () =>
			log
				.text()
				.split('\n')
				.filter((line) => PROBLEM.test(line) && !NOISE.test(line));

		const nodeTypes = async (prefix = '') => {
			const { body } = await call('GET', `${baseUrl}/types/nodes.json`, { cookie });
			return (body as Array<{ name: string }>).map((n) => n.name).filter((n) => n.startsWith(prefix));
		};

		// 3. the package must have loaded: at least one of its nodes is known
		const ours = await nodeTypes(`${pkg.name}.`);
		if (ours.length === 0) {
			throw failure(`started but did not load ${pkg.name}@${pkg.version} (no \`${pkg.name}.*\` node type).\nSuspicious lines:\n${problems().join('\n') || '(none)'}`);
		}

		const withLogHint = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
			try {
				return await fn();
			} catch (e) {
				const unrecognized = problems().filter((l) => /Unrecognized node type/i.test(l));
				const hint = unrecognized.length ? `\nn8n log: ${unrecognized.slice(-5).join('\n')}` : '';
				throw new Error(`${what}: ${(e as Error).message}${hint}`);
			}
		};

		const executions = async (workflowId: string, opts: { includeData?: boolean; status?: string; limit?: number } = {}) => {
			const qs = new URLSearchParams({ workflowId, includeData: String(opts.includeData ?? false), limit: String(opts.limit ?? 250) });
			if (opts.status) qs.set('status', opts.status);
			const page = await api('GET', `/executions?${qs}`);
			return page.data as Execution[];
		};

		const server: N8nServer = {
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
			webhookUrl: (p) => `${baseUrl}/webhook/${p.replace(/^\/+/, '')}`,
			api,
			rest,
			createCredential: async (type, name, data) => {
				const c = await api('POST', '/credentials', { type, name, data });
				return { id: c.id, name: c.name, type: c.type };
			},
			testCredential: async (id) => await api('POST', `/credentials/${id}/test`),
			createWorkflow: async (json) => {
				const allowed = ['name', 'nodes', 'connections', 'settings', 'staticData', 'description'];
				const body: Record<string, unknown> = Object.fromEntries(Object.entries(json).filter(([k]) => allowed.includes(k)));
				body.connections ??= {};
				body.settings ??= { executionOrder: 'v1' };
				return await withLogHint(`create workflow "${String(json.name)}"`, async () => await api('POST', '/workflows', body));
			},
			activate: async (id) => await withLogHint(`publish workflow ${id}`, async () => await api('POST', `/workflows/${id}/publish`, {})),
			deactivate: async (id) => await api('POST', `/workflows/${id}/unpublish`),
			waitForWebhook: async (webhookPath, timeoutMs = 15_000, method) => {
				// OPTIONS with an Origin runs nothing; n8n answers with the methods registered for the
				// path in Access-Control-Allow-Methods ("OPTIONS" alone while nothing is registered).
				const url = server.webhookUrl(webhookPath);
				const until = Date.now() + timeoutMs;
				let last = '';
				for (;;) {
					const allowed = await fetch(url, { method: 'OPTIONS', headers: { origin: baseUrl }, signal: AbortSignal.timeout(5000) })
						.then((r) => (r.status === 204 ? (r.headers.get('access-control-allow-methods') ?? '') : `HTTP ${r.status}`))
						.catch((e: Error) => e.message);
					const methods = allowed.split(',').map((m) => m.trim().toUpperCase());
					if (method ? methods.includes(method.toUpperCase()) : methods.some((m) => /^[A-Z]+$/.test(m) && m !== 'OPTIONS')) return;
					last = allowed;
					if (Date.now() > until) {
						throw new Error(`webhook ${url} not registered after ${timeoutMs} ms (allowed methods: "${last}").\n${problems().slice(-10).join('\n')}`);
					}
					await sleep(100);
				}
			},
			executions,
			execution: async (id, opts = {}) => await api('GET', `/executions/${id}?includeData=${opts.includeData ?? true}`),
			waitForExecutions: async (workflowId, count, timeoutMs = 20_000) => {
				const until = Date.now() + timeoutMs;
				let last: Execution[] = [];
				for (;;) {
					last = await executions(workflowId, { includeData: true });
					const done = last.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
					if (done.length >= count) return done.sort((a, b) => Number(a.id) - Number(b.id));
					if (Date.now() > until) {
						throw new Error(
							`workflow ${workflowId}: ${done.length} finished execution(s) (of ${last.length}) after ${timeoutMs} ms, expected ${count}.\n` +
								`Suspicious n8n log lines:\n${problems().slice(-10).join('\n') || '(none)'}`,
						);
					}
					await sleep(250);
				}
			},
			nodeTypes,
			credentialTypes: async () => {
				const { body } = await call('GET', `${baseUrl}/types/credentials.json`, { cookie });
				return (body as Array<{ name: string }>).map((c) => c.name);
			},
			logs: () => log.text(),
			logProblems: problems,
			stop,
		};
		return server;
	} catch (e) {
		await kill().catch(() => undefined); // the caller removes the user folder (or retries with it)
		throw e;
	}
}

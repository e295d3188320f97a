#!/usr/bin/env node
// `npm start`: the package in a real n8n, beside the provider simulators, with demo credentials and
// workflows — so nobody learns a broadcast on a live WhatsApp API.
//
//   1. builds the package (npm run build) and the sandbox (tsc -p tsconfig.sandbox.json) while the
//      n8n runtime is checked (installed on the very first run, minutes)
//   2. starts the simulators on 127.0.0.1 (Mesigic: 5701, …; SANDBOX_<PROVIDER>_PORT to change)
//   3. copies package.json + dist/ into .state/n8n/.n8n/nodes/node_modules/<name> (every start)
//   4. starts n8n on 127.0.0.1:5678 (N8N_PORT / N8N_RUNNERS_BROKER_PORT to change; any other N8N_*
//      variable of your shell reaches n8n too), data kept in .state/n8n
//   5. owner demo@example.com with a password made on the first start (kept in .state/n8n/demo.json),
//      an API key, the credentials of demo/credentials.json (data refreshed every start) and the
//      workflows of demo/workflows/*.json (imported once, matched by name; those marked
//      "publish": true are published again on every start, so their triggers register with the
//      fresh simulators); the final printout ends with each simulator's "try it" lines
//   Ctrl-C unpublishes the demos it published, then stops n8n, its task runner and the simulators.
//
// Options: --skip-build (reuse dist/ and build/sandbox as they are), --reset-demo (forget the demo
// state: new password, API key; the n8n database stays), --queue (or QUEUE_MODE=1): n8n in queue
// mode, as teams run it at scale — Redis (scripts/redis.mjs) and PostgreSQL (scripts/postgres.mjs,
// data in .state/postgres), both installed from Debian's packages when missing; main on N8N_PORT, a
// webhook process on 5682 where triggers register, one worker (health on 5683), all with the package;
// Redis on 5680, PostgreSQL on 5681 (QUEUE_PORTS_FROM=<port> moves these seven ports).
//
// n8n itself: scripts/n8n-runtime.mjs runs it, scripts/n8n-api.cjs talks to it (as the e2e tests do).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

import { MIGRATION_LINE, N8nError, createN8nClient, installPackage, postgresEnv, queueModeEnv } from './n8n-api.cjs';
import { PROJECT_ROOT, ensureRuntime, spawnN8n, stopN8n } from './n8n-runtime.mjs';
import { redisPing } from './redis.mjs';

const args = new Set(process.argv.slice(2));
const startedAt = Date.now();
const STATE_DIR = path.join(PROJECT_ROOT, '.state', 'n8n'); // N8N_USER_FOLDER
const DEMO_STATE = path.join(STATE_DIR, 'demo.json');
const N8N_LOG = path.join(STATE_DIR, 'n8n.log');
const DEMO_DIR = path.join(PROJECT_ROOT, 'demo');
const PORT = Number(process.env.N8N_PORT ?? 5678);
const BROKER_PORT = Number(process.env.N8N_RUNNERS_BROKER_PORT ?? 5679);
const OWNER_EMAIL = 'demo@example.com';
const EDITOR_URL = `http://localhost:${PORT}`;
const API_URL = `http://127.0.0.1:${PORT}`;
/** Queue mode: `npm start -- --queue`, or QUEUE_MODE=1. */
const QUEUE = args.has('--queue') || process.env.QUEUE_MODE === '1';
/** Queue mode's other processes, on the ports after n8n's 5678 and 5679 (QUEUE_PORTS_FROM moves them all). */
const QUEUE_FROM = Number(process.env.QUEUE_PORTS_FROM ?? 5680);
const QUEUE_PORTS = {
	redis: QUEUE_FROM,
	postgres: QUEUE_FROM + 1,
	webhook: QUEUE_FROM + 2, // where triggers register, production webhooks
	workerHealth: QUEUE_FROM + 3, // the worker's /healthz/readiness
	webhookBroker: QUEUE_FROM + 4, // task brokers of the webhook process and the worker
	workerBroker: QUEUE_FROM + 5,
	workerHttp: QUEUE_FROM + 6, // the worker's N8N_PORT (n8n wants one)
};
/** Where production webhooks are served: n8n itself, or queue mode's webhook process. */
const WEBHOOK_URL = QUEUE ? `http://127.0.0.1:${QUEUE_PORTS.webhook}` : API_URL;
const POSTGRES_DIR = path.join(PROJECT_ROOT, '.state', 'postgres');

const say = (line) => process.stdout.write(`${line}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const readJson = (file, fallback) => {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return fallback;
	}
};

class Fatal extends Error {}

// ---- build -------------------------------------------------------------------------------------

function runQuiet(label, cmd, cmdArgs) {
	return new Promise((resolve, reject) => {
		const t = Date.now();
		const child = spawn(cmd, cmdArgs, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', (e) => reject(new Fatal(`${label}: ${e.message}`)));
		child.on('exit', (code) => {
			if (code === 0) {
				say(`✓ ${label} (${seconds(Date.now() - t)})`);
				resolve();
			} else {
				reject(new Fatal(`${label} failed:\n${out.trim()}`));
			}
		});
	});
}

function sandboxEntry() {
	const candidates = ['build/sandbox/sandbox/main.js', 'build/sandbox/main.js'].map((p) => path.join(PROJECT_ROOT, p));
	// the newest, should an older layout's output still lie around
	const found = candidates.filter((p) => fs.existsSync(p)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
	if (!found) throw new Fatal(`The sandbox is not built (none of ${candidates.join(', ')}). Run without --skip-build.`);
	return found;
}

// ---- ports -------------------------------------------------------------------------------------

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

// ---- demo data ---------------------------------------------------------------------------------

/** "{{sandbox.mesigic.apiUrl}}" → the running simulator's value, "{{n8n.url}}" → n8n's address, in every string of a JSON value. */
function fillPlaceholders(value, sandbox, source = 'demo/credentials.json') {
	if (typeof value === 'string') {
		return value.replace(/\{\{\s*n8n\.url\s*\}\}/g, API_URL).replace(/\{\{\s*sandbox\.(\w+)\.(\w+)\s*\}\}/g, (whole, provider, field) => {
			const server = sandbox[provider];
			if (!server || server[field] === undefined) throw new Fatal(`${source}: ${whole} — no such simulator or field`);
			return String(server[field]);
		});
	}
	if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, sandbox, source));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, sandbox, source)]));
	return value;
}

/**
 * The credentials of demo/credentials.json, created or refreshed. Returns them by name ({ id, type,
 * sandbox }) and the "try it" lines of the running simulators ({ provider, lines }).
 */
async function ensureCredentials(n8nApi, sandbox) {
	const wanted = readJson(path.join(DEMO_DIR, 'credentials.json'), []);
	const existing = await n8nApi.listCredentials();
	const byName = new Map();
	const tryLines = [];
	for (const entry of wanted) {
		if (entry.sandbox && !sandbox[entry.sandbox]) {
			say(`  - credential "${entry.name}": simulator "${entry.sandbox}" is not running, skipped`);
			continue;
		}
		const data = fillPlaceholders(entry.data, sandbox);
		const found = existing.find((c) => c.name === entry.name && c.type === entry.type);
		if (found) {
			await n8nApi.updateCredential(found.id, data); // follow the simulator's current address
			byName.set(entry.name, { id: found.id, type: entry.type, sandbox: entry.sandbox });
		} else {
			const created = await n8nApi.createCredential(entry.type, entry.name, data);
			byName.set(entry.name, { id: created.id, type: entry.type, sandbox: entry.sandbox });
			say(`  + credential "${entry.name}" (${entry.type})`);
		}
		if (entry.try) {
			const lines = fillPlaceholders([entry.try].flat(), sandbox);
			tryLines.push({ provider: entry.sandbox ?? entry.name, lines });
		}
	}
	return { credentials: byName, tryLines };
}

/** The URLs of one webhook trigger that a simulator holds in its state (e.g. Chat API's webhookUrl). */
function urlsHeldBy(server, webhookId) {
	const id = webhookId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const pattern = new RegExp(`https?://[^"\\s]*/webhook/${id}/[^"\\s]*`, 'g');
	return new Set(JSON.stringify(server.snapshot()).match(pattern) ?? []);
}

/**
 * Keeps a workflow published, on every start, because the simulators start empty: a trigger that
 * registered itself with a simulator last time is unknown to the new one, and n8n, which keeps its
 * webhooks across restarts, does not register it again when it starts. An active workflow is
 * unpublished (its triggers deregister), its static data (what its triggers remembered of the old
 * simulators) is cleared, and it is published again (they register anew); an inactive one is
 * published. n8n does both through its publication outbox, so each step is awaited until it has
 * settled. Then every webhook trigger (a node type ending in Trigger) that uses a sandbox credential is checked: its simulator must
 * hold a new URL of the trigger's webhook, and n8n must answer on it.
 * Returns what went wrong (a sentence), or undefined.
 */
async function keepPublished(n8nApi, workflow, credentials, sandbox, { checkRegistration = true } = {}) {
	const triggers = [];
	for (const node of workflow.nodes ?? []) {
		// Action nodes with Send and Wait have webhooks (restart webhooks) and get a webhookId too; they register nothing.
		if (!node.webhookId || !node.credentials || node.disabled || !/Trigger$/.test(node.type)) continue;
		for (const ref of checkRegistration ? Object.values(node.credentials) : []) {
			const provider = credentials.get(ref.name)?.sandbox;
			if (provider && sandbox[provider]) triggers.push({ node, provider, before: urlsHeldBy(sandbox[provider], node.webhookId) });
		}
	}
	try {
		if (workflow.active) {
			await n8nApi.unpublishWorkflow(workflow.id);
			await n8nApi.waitForPublication(workflow.id);
		}
		// What the triggers remembered of the last simulators (a polling trigger's cursor: chats and
		// times that the fresh simulators do not have) would make them replay the new ones' history.
		if (workflow.staticData && Object.keys(workflow.staticData).length > 0) {
			const { name, nodes, connections, settings } = workflow;
			await n8nApi.api('PUT', `/workflows/${workflow.id}`, { name, nodes, connections, settings, staticData: null });
		}
		await n8nApi.publishWorkflow(workflow.id);
		const settled = await n8nApi.waitForPublication(workflow.id);
		if (settled.status !== 'published') {
			const failures = (settled.triggers ?? []).filter((t) => t.errorMessage).map((t) => t.errorMessage);
			return `was not published (${settled.status})${failures.length ? `: ${failures.join('; ')}` : ''}`;
		}
	} catch (e) {
		return `could not be published: ${e.message}`;
	}
	for (const { node, provider, before } of triggers) {
		const until = Date.now() + 10_000;
		let fresh;
		while (!(fresh = [...urlsHeldBy(sandbox[provider], node.webhookId)].find((url) => !before.has(url))) && Date.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		if (!fresh) return `is published, but trigger "${node.name}" did not register its webhook with the ${provider} simulator`;
		try {
			await n8nApi.waitForWebhook(new URL(fresh).pathname.replace(/^.*?\/webhook\//, ''), { timeoutMs: 5000 });
		} catch (e) {
			return `trigger "${node.name}": ${e.message}`;
		}
	}
	return undefined;
}

async function ensureWorkflows(n8nApi, credentials, sandbox) {
	const dir = path.join(DEMO_DIR, 'workflows');
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
	const result = [];
	for (const file of files) {
		const json = readJson(path.join(dir, file));
		if (!json?.name || !Array.isArray(json.nodes)) throw new Fatal(`demo/workflows/${file} is not an n8n workflow (name, nodes)`);
		// "publish": true (or an export's "active": true) is for npm start, not part of the workflow;
		// "publish": { "checkRegistration": false } for a trigger that registers nothing when published
		const { publish, active, ...definition } = json;
		const wantPublished = Boolean(publish) || active === true;
		const nodes = fillPlaceholders(definition.nodes, sandbox, `demo/workflows/${file}`).map((node) => {
			if (!node.credentials) return node;
			const creds = {};
			for (const [type, ref] of Object.entries(node.credentials)) {
				const match = credentials.get(ref.name);
				if (!match) throw new Fatal(`demo/workflows/${file}: node "${node.name}" uses credential "${ref.name}", which demo/credentials.json does not define`);
				creds[type] = { id: match.id, name: ref.name };
			}
			return { ...node, credentials: creds };
		});
		let [workflow] = await n8nApi.workflowsNamed(json.name);
		const imported = !workflow;
		if (imported) {
			workflow = await n8nApi.createWorkflow({ ...definition, nodes });
			say(`  + workflow "${json.name}"`);
		}
		let published = false;
		if (wantPublished) {
			// the workflow as it is in n8n (it may have been edited there), for its triggers
			const current = imported ? workflow : await n8nApi.api('GET', `/workflows/${workflow.id}`);
			const problem = await keepPublished(n8nApi, current, credentials, sandbox, typeof publish === 'object' ? publish : {});
			if (problem) say(`  ! workflow "${json.name}" ${problem}`);
			published = !problem;
		}
		result.push({ name: json.name, id: workflow.id, imported, published });
	}
	return result;
}

// ---- main --------------------------------------------------------------------------------------

async function main() {
	fs.mkdirSync(STATE_DIR, { recursive: true });
	if (args.has('--reset-demo')) fs.rmSync(DEMO_STATE, { force: true });
	const state = readJson(DEMO_STATE, {});

	// 1. build + runtime (in parallel: the runtime check is instant unless it has to install)
	const runtime = ensureRuntime({ log: (line) => say(line) });
	if (!args.has('--skip-build')) {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
		await Promise.all([
			runQuiet('package built (npm run build)', npm, ['run', 'build', '--silent']),
			runQuiet('sandbox built (tsc -p tsconfig.sandbox.json)', npx, ['tsc', '-p', 'tsconfig.sandbox.json']),
		]);
	}
	const rt = await runtime;

	// 2. ports, then the simulators
	const require = createRequire(import.meta.url);
	const sandboxModule = require(sandboxEntry());
	const sandboxPorts = typeof sandboxModule.portsFrom === 'function' ? sandboxModule.portsFrom([], process.env) : { mesigic: 5701 };
	const queuePorts = QUEUE ? Object.entries(QUEUE_PORTS).map(([name, port]) => [`queue mode's ${name}`, port]) : [];
	for (const [name, port] of [['n8n', PORT], ['n8n task broker', BROKER_PORT], ...queuePorts, ...Object.entries(sandboxPorts)]) {
		if (port && !(await portFree(port))) {
			throw new Fatal(
				`Port ${port} (${name}) is in use — is another \`npm start\` or n8n running? Stop it, or choose another port (N8N_PORT, N8N_RUNNERS_BROKER_PORT, SANDBOX_<PROVIDER>_PORT${QUEUE ? ', QUEUE_PORTS_FROM' : ''}).`,
			);
		}
	}
	const sandbox = await sandboxModule.startSandbox(sandboxPorts);
	cleanup.sandbox = sandbox;
	say(`✓ sandbox: ${sandbox.servers.map((s) => `${s.name} ${s.apiUrl}`).join(', ')}`);

	// 3. the package
	const manifest = installPackage({ userFolder: STATE_DIR, packageDir: PROJECT_ROOT });
	say(`✓ ${manifest.name}@${manifest.version} copied into ${path.relative(PROJECT_ROOT, STATE_DIR)}/.n8n/nodes`);

	// 4. n8n, its owner managed through the environment (bcrypt hash of a password kept in the state)
	state.owner ??= { email: OWNER_EMAIL, password: `Demo-${randomBytes(6).toString('base64url')}-1a` };
	fs.writeFileSync(DEMO_STATE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
	const bcrypt = createRequire(path.join(rt.runtimeDir, 'package.json'))('bcryptjs');
	const ownerEnv = {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: state.owner.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(state.owner.password, 10),
		N8N_INSTANCE_OWNER_FIRST_NAME: 'Demo',
		N8N_INSTANCE_OWNER_LAST_NAME: 'User',
	};
	const n8nStarted = Date.now();
	if (fs.existsSync(N8N_LOG) && fs.statSync(N8N_LOG).size > 10 * 1024 * 1024) fs.renameSync(N8N_LOG, `${N8N_LOG}.1`);
	const log = fs.createWriteStream(N8N_LOG, { flags: 'a' });
	log.write(`\n==== npm start${QUEUE ? ' (queue mode)' : ''} ${new Date().toISOString()} ====\n`);
	const tails = {};
	/** One process's output: into the log file, on screen with its name, the last lines kept for errors. */
	const echoFor = (name) => (chunk) => {
		const text = chunk.toString();
		log.write(QUEUE ? text.replace(/^(?=.)/gm, `[${name}] `) : text);
		for (const line of text.split('\n')) {
			if (!line.trim()) continue;
			tails[name] = [...(tails[name] ?? []).slice(-59), line];
			// the first start runs ~300 database migrations: keep them in the log file only
			if (!MIGRATION_LINE.test(line)) say(`  [${name}] ${line}`);
		}
	};
	const exited = {};
	/** A process under its watchdog (n8n-runtime.mjs, redis.mjs, postgres.mjs): output echoed, its end stops everything. */
	const watch = (name, child) => {
		cleanup.children.push({ name, child });
		child.stdout.on('data', echoFor(name));
		child.stderr.on('data', echoFor(name));
		child.on('exit', (code, signal) => {
			exited[name] = signal ?? `code ${code}`;
			if (!['redis', 'postgres'].includes(name)) cleanup.n8nExited = true;
			if (!cleanup.stopping) {
				say(`${name} stopped on its own (${exited[name]}); see ${path.relative(PROJECT_ROOT, N8N_LOG)}`);
				void shutdown(1);
			}
		});
		return child;
	};
	const readyCheck = (name, timeoutMs) => {
		const deadline = Date.now() + timeoutMs;
		return () => {
			if (exited[name]) throw new Fatal(`${name} exited (${exited[name]}) before it was ready:\n${(tails[name] ?? []).join('\n')}`);
			if (Date.now() > deadline) throw new Fatal(`${name} did not become ready in ${timeoutMs / 1000} s:\n${(tails[name] ?? []).join('\n')}`);
		};
	};

	let queue;
	if (QUEUE) {
		// Redis and PostgreSQL (data kept in .state/postgres), each a plain process of its own
		const redis = watch('redis', spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'redis.mjs'), '--serve', '--watch-stdin', '--port', String(QUEUE_PORTS.redis)], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] }));
		const postgres = watch(
			'postgres',
			spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'postgres.mjs'), '--serve', '--watch-stdin', '--keep-data', '--port', String(QUEUE_PORTS.postgres), '--data', POSTGRES_DIR], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] }),
		);
		const checkRedis = readyCheck('redis', 10 * 60_000);
		const checkPostgres = readyCheck('postgres', 10 * 60_000);
		while (!(await redisPing(QUEUE_PORTS.redis))) {
			checkRedis();
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		while (!(tails.postgres ?? []).some((line) => line.includes('postgres: ready on'))) {
			checkPostgres();
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		void redis;
		void postgres;
		// the key n8n keeps in the user folder, or a new one it will keep there: the three processes share it
		const encryptionKey = readJson(path.join(STATE_DIR, '.n8n', 'config'), {}).encryptionKey ?? randomBytes(24).toString('hex');
		queue = queueModeEnv({ redisPort: QUEUE_PORTS.redis, prefix: 'npmstart', encryptionKey, webhookUrl: `${WEBHOOK_URL}/`, workerHealthPort: QUEUE_PORTS.workerHealth });
		queue.database = postgresEnv(QUEUE_PORTS.postgres);
		say(`✓ Redis on 127.0.0.1:${QUEUE_PORTS.redis}, PostgreSQL on 127.0.0.1:${QUEUE_PORTS.postgres} (data in ${path.relative(PROJECT_ROOT, POSTGRES_DIR)})`);
	}

	// main first (its first start runs the migrations), then queue mode's worker and webhook process
	const mainEnv = QUEUE ? { ...queue.database, ...queue.shared, ...queue.main, ...ownerEnv } : ownerEnv;
	watch('n8n', spawnN8n({ userFolder: STATE_DIR, port: PORT, brokerPort: BROKER_PORT, env: mainEnv, inheritEnv: true }));
	const n8nApi = createN8nClient({ baseUrl: API_URL, webhookBaseUrl: WEBHOOK_URL, errorBodyChars: 500 });
	await n8nApi.waitForReady({ check: readyCheck('n8n', 180_000) });
	if (QUEUE) {
		const shared = { ...queue.database, ...queue.shared };
		watch('worker', spawnN8n({ userFolder: STATE_DIR, port: QUEUE_PORTS.workerHttp, brokerPort: QUEUE_PORTS.workerBroker, command: 'worker', env: { ...shared, ...queue.worker }, inheritEnv: true }));
		watch('webhook', spawnN8n({ userFolder: STATE_DIR, port: QUEUE_PORTS.webhook, brokerPort: QUEUE_PORTS.webhookBroker, command: 'webhook', env: { ...shared, ...queue.webhook }, inheritEnv: true }));
		await Promise.all([
			createN8nClient({ baseUrl: `http://127.0.0.1:${QUEUE_PORTS.workerHealth}` }).waitForReady({ check: readyCheck('worker', 180_000) }),
			createN8nClient({ baseUrl: WEBHOOK_URL }).waitForReady({ check: readyCheck('webhook', 180_000) }),
		]);
	}
	const n8nReadyMs = Date.now() - n8nStarted;

	// 5. API key, demo credentials and workflows
	await n8nApi.login(state.owner);
	const keyName = QUEUE ? 'queueApiKey' : 'apiKey'; // each database has keys of its own
	state[keyName] = await n8nApi.ensureApiKey({ reuse: state[keyName], label: `npm start ${new Date().toISOString().slice(0, 16)}` });
	fs.writeFileSync(DEMO_STATE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
	if (QUEUE) {
		// the worker and the webhook process say ready even when they could not load the package
		await n8nApi.verifyQueueProcesses({ packageName: manifest.name, workerLog: () => (tails.worker ?? []).join('\n') });
		say(`✓ the worker and the webhook process run ${manifest.name}`);
	}
	const { credentials, tryLines } = await ensureCredentials(n8nApi, sandbox);
	const workflows = await ensureWorkflows(n8nApi, credentials, sandbox);
	cleanup.unpublish = async () => {
		for (const w of workflows.filter((entry) => entry.published)) {
			await n8nApi.unpublishWorkflow(w.id);
			await n8nApi.waitForPublication(w.id, { timeoutMs: 5000 });
		}
	};

	const ours = (await n8nApi.nodeTypes(`${manifest.name}.`).catch(() => [])).length;
	if (ours === 0) say(`! n8n did not load ${manifest.name}: check ${path.relative(PROJECT_ROOT, N8N_LOG)}`);

	const width = Math.max(...workflows.map((w) => w.name.length), 10);
	say('');
	say(`n8n editor is ready: ${EDITOR_URL}   (n8n ${rt.n8nVersion}, started in ${seconds(n8nReadyMs)}; ready ${seconds(Date.now() - startedAt)} after npm start)`);
	say(`  login      ${state.owner.email}   password ${state.owner.password}`);
	say(`  API key    in ${path.relative(PROJECT_ROOT, DEMO_STATE)} (X-N8N-API-KEY, ${API_URL}/api/v1)`);
	for (const w of workflows) say(`  workflow   ${w.name.padEnd(width)}  ${EDITOR_URL}/workflow/${w.id}${w.published ? '   (published)' : ''}`);
	for (const s of sandbox.servers) say(`  sandbox    ${s.name.padEnd(10)} ${s.apiUrl}   control ${s.controlUrl}`);
	for (const t of tryLines) t.lines.forEach((line, i) => say(`  ${i === 0 ? 'try' : '   '}        ${(i === 0 ? t.provider : '').padEnd(10)} ${line}`));
	if (QUEUE) {
		say(`  queue mode main ${API_URL}, webhook process ${WEBHOOK_URL} (production webhooks), one worker (runs the executions),`);
		say(`             Redis 127.0.0.1:${QUEUE_PORTS.redis}, PostgreSQL 127.0.0.1:${QUEUE_PORTS.postgres}`);
	}
	say(`  nodes      ${ours} node types of ${manifest.name} loaded; n8n log: ${path.relative(PROJECT_ROOT, N8N_LOG)}`);
	say(`Ctrl-C stops n8n${QUEUE ? ', its worker and webhook process, Redis, PostgreSQL' : ''} and the sandbox.`);
}

// ---- shutdown ----------------------------------------------------------------------------------

/** What runs, in the order it started: stopped the other way round (the worker finishes its executions first). */
const cleanup = { sandbox: undefined, children: [], unpublish: undefined, n8nExited: false, stopping: false };
async function shutdown(code) {
	if (cleanup.stopping) return;
	cleanup.stopping = true;
	say('\nstopping…');
	// The demos published above are unpublished while n8n and the simulators still run: otherwise n8n
	// publishes them again as it starts next time, before this script can clear what their triggers
	// remembered of these simulators, and a polling trigger would take the fresh simulators' history
	// for new messages.
	if (cleanup.unpublish && !cleanup.n8nExited) await cleanup.unpublish().catch(() => undefined);
	const n8nProcesses = cleanup.children.filter(({ name }) => !['redis', 'postgres'].includes(name)).reverse();
	for (const { child } of n8nProcesses) await stopN8n(child).catch(() => undefined);
	await Promise.all([
		...cleanup.children.filter(({ name }) => ['redis', 'postgres'].includes(name)).map(async ({ child }) => await stopN8n(child).catch(() => undefined)),
		cleanup.sandbox ? cleanup.sandbox.stop().catch(() => undefined) : undefined,
	]);
	say('stopped.');
	process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (e) => {
	process.stderr.write(`\n${e instanceof Fatal || e instanceof N8nError ? e.message : e.stack}\n`);
	await shutdown(1);
});

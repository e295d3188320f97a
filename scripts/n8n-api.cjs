// Talking to a real n8n server: the one place that knows n8n's REST and public API, its session
// cookie, its readiness probe and its community-nodes folder. Used by `npm start` (scripts/start.mjs,
// ESM) and the end-to-end harness (test/support/n8n-server.ts, CommonJS under ts-jest); plain
// CommonJS so both load it without a build step. Types: n8n-api.d.cts.
//
//   installPackage({ userFolder, packageDir })          package.json + dist/ into the nodes folder
//   installPackage({ userFolder, packageDir, pack: true })   npm pack, unpacked, the way users get it
//   const n8n = createN8nClient({ baseUrl });
//   await n8n.waitForReady({ check });                     /healthz/readiness; check() throws to give up
//   await n8n.setupOwner(owner); await n8n.login(owner);   cookie session for /rest
//   await n8n.ensureApiKey({ label, reuse });              API key for /api/v1
//   n8n.createCredential / updateCredential / testCredential, createWorkflow / publishWorkflow /
//   unpublishWorkflow / waitForPublication, executions / waitForExecutions, waitForWebhook,
//   nodeTypes / nodeTypeDescriptions / credentialTypes, verifyQueueProcesses (the package in a worker and a webhook process)
//   queueModeEnv({ redisPort, prefix, encryptionKey, webhookUrl, workerHealthPort })   queue mode's variables
//   postgresEnv(port)                                     n8n's variables for scripts/postgres.mjs's database
//
// The process itself (runtime install, spawn, watchdog) is scripts/n8n-runtime.mjs.
'use strict';

const { spawnSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** n8n logs ~300 of these on a fresh database: noise for anyone reading the log. */
const MIGRATION_LINE = /^(Starting|Finished) migration /;
/** What POST /api/v1/workflows accepts; exports carry more (id, active, tags, meta, pinData, versionId…). */
const WORKFLOW_FIELDS = ['name', 'nodes', 'connections', 'settings', 'staticData', 'description'];
const UNFINISHED = ['new', 'running', 'waiting'];

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure worth its message alone (no stack needed): a refused call, a package that is not built. */
class N8nError extends Error {}

/** A non-2xx answer of n8n; `body` is the parsed JSON (or the text). */
class N8nHttpError extends N8nError {
	/** @param {string} message @param {number} status @param {unknown} body */
	constructor(message, status, body) {
		super(message);
		this.status = status;
		this.body = body;
	}
}

// ---- the package in n8n's community-nodes folder -----------------------------------------------

/** @param {string} cmd @param {string[]} args @param {string} cwd */
function run(cmd, args, cwd) {
	const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (r.status !== 0) {
		throw new N8nError(`${cmd} ${args.join(' ')} failed in ${cwd} (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}\n${r.stdout}`);
	}
	return r.stdout;
}

/** Every node and credential file package.json lists must exist, or n8n would start without them. */
function assertBuilt(packageDir) {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	/** @type {string[]} */
	const listed = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !fs.existsSync(path.join(packageDir, file)));
	if (missing.length) {
		throw new N8nError(`The package is not built: ${missing.join(', ')} missing in ${packageDir}. Run \`npm run build\` first.`);
	}
}

/**
 * Installs a package into `<userFolder>/.n8n/nodes/node_modules/<name>` (replacing what is there) and
 * records it in `<userFolder>/.n8n/nodes/package.json`, as n8n's own installer lays it out.
 * From `packageDir`: its package.json + dist/ (default), or `npm pack` of it (`pack: true`); or an
 * existing `tarball`, unpacked.
 * @param {{ userFolder: string, packageDir?: string, tarball?: string, pack?: boolean }} options
 * @returns {{ name: string, version: string, target: string }}
 */
function installPackage({ userFolder, packageDir, tarball, pack = false }) {
	let work;
	try {
		let sourceRoot;
		let entries; // undefined: everything in sourceRoot
		if (tarball || pack) {
			work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'));
			if (!tarball) {
				const dir = path.resolve(packageDir ?? '.');
				assertBuilt(dir);
				const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], dir));
				tarball = path.join(work, packed[0].filename);
			}
			const unpacked = path.join(work, 'unpacked');
			fs.mkdirSync(unpacked);
			run('tar', ['-xzf', tarball, '-C', unpacked], work);
			sourceRoot = path.join(unpacked, 'package');
		} else {
			sourceRoot = path.resolve(packageDir ?? '.');
			assertBuilt(sourceRoot);
			entries = ['package.json', 'dist'];
		}
		const { name, version } = JSON.parse(fs.readFileSync(path.join(sourceRoot, 'package.json'), 'utf8'));

		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		const target = path.join(nodesDir, 'node_modules', name);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		for (const entry of entries ?? ['.']) fs.cpSync(path.join(sourceRoot, entry), path.join(target, entry), { recursive: true });
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [name]: version } }, null, 2)}\n`,
		);
		return { name, version, target };
	} finally {
		if (work) fs.rmSync(work, { recursive: true, force: true });
	}
}

// ---- queue mode ------------------------------------------------------------------------------

/**
 * Environment of the three processes of queue mode (found by trying n8n 2.41; DESIGN.md, "Queue
 * mode"), to lay over n8n-runtime.mjs's n8nEnv(): `shared` for all three, then `main`, `worker` or `webhook`.
 * - All three share the user folder (database, community nodes), the encryption key and Redis; the
 *   Bull prefix and n8n's own Redis key prefix keep two stacks on one Redis apart.
 * - Main registers triggers with `webhookUrl` (the webhook process) and, with
 *   N8N_DISABLE_PRODUCTION_MAIN_PROCESS, leaves production webhooks to that process.
 * - The worker answers /healthz/readiness on its own health port (n8n's default: 5678 on every
 *   address, which would clash with a main process).
 */
function queueModeEnv({ redisPort, prefix, encryptionKey, webhookUrl, workerHealthPort }) {
	return {
		shared: {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			QUEUE_BULL_PREFIX: prefix,
			N8N_REDIS_KEY_PREFIX: prefix,
			N8N_ENCRYPTION_KEY: encryptionKey,
		},
		main: { N8N_WEBHOOK_URL: webhookUrl, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		worker: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', N8N_WEBHOOK_URL: webhookUrl },
		webhook: { N8N_WEBHOOK_URL: webhookUrl },
	};
}

/** The user and database scripts/postgres.mjs makes for n8n (trust authentication, on 127.0.0.1 only). */
const POSTGRES_USER = 'n8n';
const POSTGRES_DATABASE = 'n8n';

/** n8n's variables for the PostgreSQL of scripts/postgres.mjs on 127.0.0.1:port. */
function postgresEnv(port) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(port),
		DB_POSTGRESDB_DATABASE: POSTGRES_DATABASE,
		DB_POSTGRESDB_USER: POSTGRES_USER,
		DB_POSTGRESDB_PASSWORD: '',
	};
}

// ---- HTTP ---------------------------------------------------------------------------------------

/**
 * One HTTP call with a JSON body (if any) and a JSON answer (parsed when it is JSON); never throws
 * for a status. @returns {Promise<{ status: number, ok: boolean, data: any, text: string, response: Response }>}
 */
async function request(method, url, { headers = {}, body, timeoutMs = 60_000 } = {}) {
	const response = await fetch(url, {
		method,
		headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	let data = text;
	try {
		data = text ? JSON.parse(text) : undefined;
	} catch {
		/* not JSON */
	}
	return { status: response.status, ok: response.ok, data, text, response };
}

/**
 * A client of one n8n server: `/rest` with the owner's cookie session, `/api/v1` with the API key.
 * `rest()` / `api()` and the helpers throw N8nHttpError on a non-2xx status, its message
 * `METHOD /path → status: <first errorBodyChars characters of the answer>`.
 * `webhookBaseUrl`: where production webhooks are served, when not by `baseUrl` (queue mode's
 * webhook process).
 * @param {{ baseUrl: string, webhookBaseUrl?: string, apiKey?: string, timeoutMs?: number, errorBodyChars?: number }} options
 */
function createN8nClient({ baseUrl, webhookBaseUrl = baseUrl, apiKey = '', timeoutMs = 60_000, errorBodyChars = 1000 }) {
	let cookie = '';

	/** `session`: send the cookie and keep the one n8n sets (login). */
	const send = async (method, urlPath, { headers = {}, body, session = false } = {}) => {
		const r = await request(method, `${baseUrl}${urlPath}`, { headers: { ...(session && cookie ? { cookie } : {}), ...headers }, body, timeoutMs });
		if (session) {
			const auth = (r.response.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
			if (auth) cookie = auth;
		}
		if (!r.ok) throw new N8nHttpError(`${method} ${urlPath} → ${r.status}: ${r.text.slice(0, errorBodyChars)}`, r.status, r.data);
		return r.data;
	};
	const rest = async (method, restPath, body) => {
		const data = await send(method, `/rest${restPath}`, { body, session: true });
		return data && typeof data === 'object' && 'data' in data ? data.data : data;
	};
	const api = async (method, apiPath, body) => await send(method, `/api/v1${apiPath}`, { headers: { 'X-N8N-API-KEY': client.apiKey }, body });
	/** Every page of a public API list (cursor paging). */
	const listAll = async (apiPath) => {
		const items = [];
		let cursor;
		do {
			const sep = apiPath.includes('?') ? '&' : '?';
			const page = await api('GET', `${apiPath}${sep}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			items.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return items;
	};
	const typeNames = async (file) => {
		const list = await send('GET', `/types/${file}`, { session: true });
		return Array.isArray(list) ? list.map((t) => t.name) : [];
	};
	const executions = async (workflowId, { includeData = false, status, limit = 250 } = {}) => {
		const qs = new URLSearchParams({ workflowId, includeData: String(includeData), limit: String(limit) });
		if (status) qs.set('status', status);
		return (await api('GET', `/executions?${qs}`)).data;
	};

	const client = {
		baseUrl,
		apiKey,
		rest,
		api,
		listAll,

		/** Polls /healthz/readiness (migrations done, server up); `check()` runs before every poll and throws to give up. */
		waitForReady: async ({ intervalMs = 250, check } = {}) => {
			for (;;) {
				if (check) await check();
				const ready = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) })
					.then((r) => r.ok)
					.catch(() => false);
				if (ready) return;
				await sleep(intervalMs);
			}
		},

		setupOwner: async ({ email, password, firstName, lastName }) => await rest('POST', '/owner/setup', { email, firstName, lastName, password }),
		login: async ({ email, password }) => await rest('POST', '/login', { emailOrLdapLoginId: email, password }),
		/** Keeps `reuse` if n8n still accepts it, else creates a key with every scope (needs login()); sets and returns it. */
		ensureApiKey: async ({ label, reuse }) => {
			if (reuse) {
				const check = await request('GET', `${baseUrl}/api/v1/workflows?limit=1`, { headers: { 'X-N8N-API-KEY': reuse }, timeoutMs });
				if (check.ok) return (client.apiKey = reuse);
			}
			const scopes = await rest('GET', '/api-keys/scopes');
			const key = await rest('POST', '/api-keys', { label, scopes, expiresAt: null });
			return (client.apiKey = key.rawApiKey);
		},

		listCredentials: async () => await listAll('/credentials'),
		createCredential: async (type, name, data) => {
			const c = await api('POST', '/credentials', { name, type, data });
			return { id: c.id, name: c.name, type: c.type };
		},
		updateCredential: async (id, data) => await api('PATCH', `/credentials/${id}`, { data }),
		/** Runs the credential type's test inside n8n: `{ status: 'OK' | 'Error', message }`. */
		testCredential: async (id) => await api('POST', `/credentials/${id}/test`),

		/** Workflows of exactly this name, archived ones left out. */
		workflowsNamed: async (name) => (await listAll(`/workflows?name=${encodeURIComponent(name)}`)).filter((w) => w.name === name && !w.isArchived),
		/** Fills `connections: {}` and `settings: { executionOrder: 'v1' }` when absent; drops fields the API refuses. */
		createWorkflow: async (json) => {
			const body = Object.fromEntries(Object.entries(json).filter(([k]) => WORKFLOW_FIELDS.includes(k)));
			body.connections ??= {};
			body.settings ??= { executionOrder: 'v1' };
			return await api('POST', '/workflows', body);
		},
		publishWorkflow: async (id) => await api('POST', `/workflows/${id}/publish`, {}),
		unpublishWorkflow: async (id) => await api('POST', `/workflows/${id}/unpublish`),
		/**
		 * n8n 2.x (de)activates through a publication outbox: publish / unpublish answer before the
		 * triggers are (de)registered. Waits (needs login()) until the workflow's publication has settled;
		 * returns `{ status: 'published' | 'partial' | 'failed' | 'not_published', triggers: [{ nodeId, status, errorMessage }] }`.
		 */
		waitForPublication: async (id, { timeoutMs: waitMs = 30_000 } = {}) => {
			const until = Date.now() + waitMs;
			for (;;) {
				const state = await rest('GET', `/workflows/${id}/publication-status`);
				if (state?.status !== 'in_progress') return state;
				if (Date.now() > until) throw new N8nError(`workflow ${id}: publication still in progress after ${waitMs} ms.`);
				await sleep(100);
			}
		},

		webhookBaseUrl,
		webhookUrl: (webhookPath) => `${webhookBaseUrl}/webhook/${webhookPath.replace(/^\/+/, '')}`,
		/**
		 * Waits until the production webhook of `webhookPath` is registered (for `method`, if given).
		 * OPTIONS with an Origin runs nothing; n8n answers with the methods registered for the path in
		 * Access-Control-Allow-Methods ("OPTIONS" alone while nothing is registered).
		 */
		waitForWebhook: async (webhookPath, { timeoutMs: waitMs = 15_000, method, hint } = {}) => {
			const url = client.webhookUrl(webhookPath);
			const until = Date.now() + waitMs;
			for (;;) {
				const allowed = await fetch(url, { method: 'OPTIONS', headers: { origin: baseUrl }, signal: AbortSignal.timeout(5000) })
					.then((r) => (r.status === 204 ? (r.headers.get('access-control-allow-methods') ?? '') : `HTTP ${r.status}`))
					.catch((e) => e.message);
				const methods = allowed.split(',').map((m) => m.trim().toUpperCase());
				if (method ? methods.includes(method.toUpperCase()) : methods.some((m) => /^[A-Z]+$/.test(m) && m !== 'OPTIONS')) return;
				if (Date.now() > until) {
					const message = `webhook ${url} not registered after ${waitMs} ms (allowed methods: "${allowed}").`;
					throw new N8nError(hint ? `${message}\n${hint()}` : message);
				}
				await sleep(100);
			}
		},

		executions,
		execution: async (id, { includeData = true } = {}) => await api('GET', `/executions/${id}?includeData=${includeData}`),
		/** Waits until the workflow has at least `count` finished executions; returns them oldest first, with data. */
		waitForExecutions: async (workflowId, count, { timeoutMs: waitMs = 20_000, hint } = {}) => {
			const until = Date.now() + waitMs;
			for (;;) {
				const all = await executions(workflowId, { includeData: true });
				const done = all.filter((e) => !UNFINISHED.includes(e.status));
				if (done.length >= count) return done.sort((a, b) => Number(a.id) - Number(b.id));
				if (Date.now() > until) {
					const message = `workflow ${workflowId}: ${done.length} finished execution(s) (of ${all.length}) after ${waitMs} ms, expected ${count}.`;
					throw new N8nError(hint ? `${message}\n${hint()}` : message);
				}
				await sleep(250);
			}
		},

		/** The bytes of a binary data id of an execution's item (needs login()): what the editor downloads. */
		binaryData: async (id) => {
			const response = await fetch(`${baseUrl}/rest/binary-data?${new URLSearchParams({ id, action: 'download' })}`, {
				headers: { cookie },
				signal: AbortSignal.timeout(timeoutMs),
			});
			const bytes = Buffer.from(await response.arrayBuffer());
			if (!response.ok) throw new N8nHttpError(`GET /rest/binary-data → ${response.status}: ${bytes.toString('utf8', 0, errorBodyChars)}`, response.status, undefined);
			return bytes;
		},

		/**
		 * Proves that queue mode's worker and webhook process loaded the package `packageName` (their
		 * readiness does not say; needs login()): a workflow of its Messingin Trigger is published —
		 * Messingin has no registration API, so nothing outside n8n is called — and called on the webhook
		 * process, once without its secret (the node's own 401 comes only from a process that knows the
		 * node) and once with an event, whose execution must succeed on the worker (`workerLog()` says
		 * "Worker started execution <id>"). The probe is removed afterwards. Throws N8nError saying which.
		 */
		verifyQueueProcesses: async ({ packageName, workerLog }) => {
			const secret = randomBytes(12).toString('hex');
			const webhookId = randomUUID();
			const credential = await client.createCredential('messinginApi', 'Queue-mode probe', { apiKey: 'probe', baseUrl: 'http://127.0.0.1:9', plan: 'enterprise', webhookSecret: secret });
			const workflow = await client.createWorkflow({
				name: 'Queue-mode probe: is the package loaded in every process?',
				nodes: [
					{
						id: 'a0000000-0000-4000-8000-00000000beef',
						name: 'Probe',
						type: `${packageName}.messinginTrigger`,
						typeVersion: 1,
						position: [0, 0],
						webhookId,
						parameters: { events: ['message.received'], options: { dedupe: false } },
						credentials: { messinginApi: { id: credential.id, name: credential.name } },
					},
				],
			});
			try {
				await client.publishWorkflow(workflow.id);
				const probePath = `${webhookId}/messingin`;
				await client.waitForWebhook(probePath, { method: 'POST', timeoutMs: 30_000 });
				const refused = await request('POST', client.webhookUrl(probePath), { body: {}, timeoutMs });
				if (refused.status !== 401 || !refused.text.includes('Webhook Secret')) {
					throw new N8nError(`The webhook process did not load ${packageName}: a call without the secret got ${refused.status} ${refused.text.slice(0, 300)}`);
				}
				const event = { event: 'message.received', data: { id: 'probe', sessionId: 'probe', from: '+15550100001', message: 'probe' } };
				const accepted = await request('POST', `${client.webhookUrl(probePath)}?secret=${secret}`, { body: event, timeoutMs });
				if (!accepted.ok) throw new N8nError(`The webhook process refused the probe event: ${accepted.status} ${accepted.text.slice(0, 300)}`);
				const [run] = await client.waitForExecutions(workflow.id, 1, { timeoutMs: 60_000 });
				if (run.status !== 'success' || !workerLog().includes(`Worker started execution ${run.id} `)) {
					throw new N8nError(`The worker did not run the probe execution ${run.id} (status ${run.status}): it may not have loaded ${packageName}.`);
				}
			} finally {
				await client.unpublishWorkflow(workflow.id).catch(() => undefined);
				await api('DELETE', `/workflows/${workflow.id}`).catch(() => undefined);
				await api('DELETE', `/credentials/${credential.id}`).catch(() => undefined);
			}
		},

		/** Node type names n8n knows (needs login()), optionally only those starting with `prefix`. */
		nodeTypes: async (prefix = '') => (await typeNames('nodes.json')).filter((n) => n.startsWith(prefix)),
		/** The node type descriptions the editor gets (needs login()), including the tool variants n8n generates. */
		nodeTypeDescriptions: async (prefix = '') => {
			const list = await send('GET', '/types/nodes.json', { session: true });
			return (Array.isArray(list) ? list : []).filter((t) => t.name.startsWith(prefix));
		},
		credentialTypes: async () => await typeNames('credentials.json'),
	};
	return client;
}

module.exports = { MIGRATION_LINE, N8nError, N8nHttpError, POSTGRES_DATABASE, POSTGRES_USER, createN8nClient, installPackage, postgresEnv, queueModeEnv };

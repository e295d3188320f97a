#!/usr/bin/env node
// PostgreSQL for n8n's queue mode (`npm start -- --queue`, the queue-mode end-to-end tests).
//
// Queue mode's three processes share one database. On n8n's default SQLite they lock each other out
// under load (n8n 2.41 opens SQLite without a busy timeout: a burst of webhooks fails executions with
// "SQLITE_BUSY: database is locked"), so queue mode here runs on PostgreSQL, as n8n recommends.
// PostgreSQL comes from the operating system's packages: Debian's `postgresql`, installed by this
// script when missing if it runs as root with apt-get at hand (as CI does); anywhere else it stops
// with a message saying what to install. It runs as a plain process of its own (not the system's
// service): a data folder made with initdb, a port on 127.0.0.1, trust authentication for the user
// `n8n`, durability settings off (test data), stopped with its parent. As root, PostgreSQL (which
// refuses to run as root) runs as the `postgres` user the package creates.
//
// Usage:
//   node scripts/postgres.mjs                install if needed, print where PostgreSQL is
//   node scripts/postgres.mjs --serve --port P --data DIR [--keep-data] [--watch-stdin]
//     run PostgreSQL on 127.0.0.1:P with its data in DIR (created with initdb when empty) in the
//     foreground as this process's child; SIGTERM/SIGINT, or the end of stdin with --watch-stdin (the
//     parent died), stop it (a fast shutdown); DIR is removed afterwards unless --keep-data.
// Library: findPostgres(), ensurePostgres(); n8n's variables for it: postgresEnv() of n8n-api.cjs
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { superviseServer } from './serve-child.mjs';
import { aptGet, aptInstall } from './apt.mjs';
import { POSTGRES_DATABASE, POSTGRES_USER } from './n8n-api.cjs';

/** `{ bin, version }`: the folder holding initdb, pg_ctl and postgres (the newest Debian version, else PATH), or undefined. */
export function findPostgres() {
	const debian = '/usr/lib/postgresql';
	const versions = fs.existsSync(debian)
		? fs
				.readdirSync(debian)
				.filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length) return { bin: path.join(debian, versions[0], 'bin'), version: versions[0] };
	for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
		if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'))) {
			const version = spawnSync(path.join(dir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout?.match(/(\d+)(\.\d+)?/)?.[1];
			return { bin: dir, version };
		}
	}
	return undefined;
}

function run(cmd, args, options = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
		let tail = '';
		const take = (chunk) => {
			tail = (tail + chunk).slice(-4000);
		};
		child.stdout.on('data', take);
		child.stderr.on('data', take);
		child.on('error', (e) => resolve({ code: -1, tail: e.message }));
		child.on('exit', (code) => resolve({ code, tail }));
	});
}

/**
 * Makes sure PostgreSQL is installed and returns `{ bin, version }`. Installs Debian's package when
 * it is missing and this process may (root + apt-get); otherwise throws an Error saying what to install.
 */
export async function ensurePostgres({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	const found = findPostgres();
	if (found) return found;
	const { reason } = aptGet();
	if (reason) {
		throw new Error(
			`postgres: PostgreSQL is not installed, and this script cannot install it (${reason}). ` +
				'Queue mode needs it: install it (Debian/Ubuntu: `sudo apt-get install -y postgresql`; macOS: `brew install postgresql`) so that initdb and postgres are found, then run again.',
		);
	}
	const started = Date.now();
	log('postgres: PostgreSQL is missing; installing Debian\'s postgresql package (apt-get, ~15-60 s)…');
	try {
		await aptInstall(['postgresql'], { installed: () => Boolean(findPostgres()), log: (line) => log(`postgres: ${line}`) });
	} catch (error) {
		throw new Error(`postgres: ${error.message}`);
	}
	const installed = findPostgres();
	log(`postgres: PostgreSQL ${installed.version ?? ''} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return installed;
}

/** uid/gid to run PostgreSQL as: the `postgres` user when we are root (it refuses root), else ourselves. */
function runAs() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
	const uid = id('-u');
	const gid = id('-g');
	if (!Number.isInteger(uid) || uid <= 0) throw new Error('postgres: running as root, but there is no `postgres` user to run PostgreSQL as (Debian\'s package creates it).');
	return { uid, gid };
}

async function serve({ port, data, keepData, watchStdin }) {
	let server;
	const cleanup = () => {
		if (!keepData && data) fs.rmSync(data, { recursive: true, force: true });
	};
	// SIGINT is postgres's fast shutdown: no waiting for clients
	const supervisor = superviseServer({ stopSignal: 'SIGINT', killAfterMs: 10_000, watchStdin, beforeStart: cleanup });
	try {
		if (!Number.isInteger(port) || port <= 0) throw new Error('postgres: --serve needs --port');
		if (!data) throw new Error('postgres: --serve needs --data');
		const { bin } = await ensurePostgres();
		if (supervisor.stopping) process.exit(143);
		const as = runAs();
		fs.mkdirSync(data, { recursive: true, mode: 0o700 });
		if (as.uid !== undefined) fs.chownSync(data, as.uid, as.gid);
		if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
			const init = await run(path.join(bin, 'initdb'), ['-D', data, '-U', POSTGRES_USER, '--auth=trust', '--encoding=UTF8', '--no-sync'], { ...as, cwd: data });
			if (init.code !== 0) throw new Error(`postgres: initdb failed (exit ${init.code}):\n${init.tail}`);
		}
		server = spawn(
			path.join(bin, 'postgres'),
			['-D', data, '-p', String(port), '-k', data, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200', '-c', 'log_min_messages=warning', '-c', 'log_checkpoints=off'],
			{ stdio: ['ignore', 'inherit', 'inherit'], cwd: data, ...as },
		);
		supervisor.adopt(server);
		server.on('error', (e) => process.stderr.write(`postgres: could not start postgres: ${e.message}\n`));
		server.on('exit', (code, signal) => {
			cleanup();
			process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
		});
		// The database n8n uses, once the server accepts connections.
		for (let tries = 0; ; tries++) {
			const made = await run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_USER, POSTGRES_DATABASE], as);
			if (made.code === 0 || /already exists/.test(made.tail)) break;
			if (tries > 100 || supervisor.stopping) throw new Error(`postgres: createdb failed:\n${made.tail}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		process.stderr.write(`postgres: ready on 127.0.0.1:${port}\n`);
	} catch (e) {
		process.stderr.write(`${e.message}\n`);
		if (server) server.kill('SIGKILL');
		cleanup();
		process.exit(1);
	}
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
	const argv = process.argv.slice(2);
	const value = (name) => {
		const i = argv.indexOf(name);
		return i >= 0 ? argv[i + 1] : undefined;
	};
	if (argv.includes('--serve')) {
		void serve({ port: Number(value('--port')), data: value('--data') && path.resolve(value('--data')), keepData: argv.includes('--keep-data'), watchStdin: argv.includes('--watch-stdin') });
	} else {
		ensurePostgres()
			.then((r) => process.stdout.write(`PostgreSQL ${r.version ?? '?'}: ${r.bin}\n`))
			.catch((e) => {
				process.stderr.write(`${e.message}\n`);
				process.exit(1);
			});
	}
}

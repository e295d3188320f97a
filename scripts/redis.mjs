#!/usr/bin/env node
// Redis for n8n's queue mode (`npm start -- --queue`, the queue-mode end-to-end tests).
//
// Redis comes from the operating system's packages: Debian's `redis-server`. When it is missing this
// script installs it (`apt-get update` + `apt-get install -y redis-server`) if it runs as root with
// apt-get at hand, as CI does; anywhere else it stops with a message saying what to install.
// It runs as a plain process on a port of its own, nothing saved to disk, and is stopped with its
// parent.
//
// Usage:
//   node scripts/redis.mjs                install if needed, print where redis-server is
//   node scripts/redis.mjs --serve --port P [--watch-stdin]
//     run redis-server on 127.0.0.1:P in the foreground as this process's child; SIGTERM/SIGINT, or
//     the end of stdin with --watch-stdin (the parent died), stop it; its exit code is passed on.
// Library: findRedis(), ensureRedis(), redisArgs(), redisPing()
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { superviseServer } from './serve-child.mjs';
import { aptGet, aptInstall } from './apt.mjs';

const SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/bin', '/sbin'];

/** `{ server, cli, version }` of the redis-server found on PATH (or in the usual folders), or undefined. */
export function findRedis() {
	const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
	const find = (name) => dirs.map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file));
	const server = find('redis-server');
	if (!server) return undefined;
	const version = spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout?.match(/v=(\S+)/)?.[1];
	return { server, cli: find('redis-cli'), version };
}

/**
 * Makes sure redis-server is installed and returns `{ server, cli, version }`. Installs Debian's
 * package when it is missing and this process may (root + apt-get); otherwise throws an Error whose
 * message says what to install.
 */
export async function ensureRedis({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	const found = findRedis();
	if (found) return found;
	const { reason } = aptGet();
	if (reason) {
		throw new Error(
			`redis: redis-server is not installed, and this script cannot install it (${reason}). ` +
				'Queue mode needs Redis: install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) so that redis-server is on PATH, then run again.',
		);
	}
	const started = Date.now();
	log('redis: redis-server is missing; installing Debian\'s redis-server package (apt-get, ~10-30 s)…');
	try {
		await aptInstall(['redis-server'], { installed: () => Boolean(findRedis()), log: (line) => log(`redis: ${line}`) });
	} catch (error) {
		throw new Error(`redis: ${error.message}`);
	}
	const installed = findRedis();
	log(`redis: redis-server ${installed.version ?? ''} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return installed;
}

/**
 * Arguments for a throw-away redis-server on 127.0.0.1:port: no RDB snapshots, no append-only file,
 * no config file, in the foreground (its parent owns it).
 */
export function redisArgs(port, dir) {
	return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, '--loglevel', 'warning'];
}

/** Answers true once redis on `port` says PONG. */
export function redisPing(port, timeoutMs = 1000) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d;
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

// ---------------------------------------------------------------------------------------------

async function serve({ port, watchStdin }) {
	// redis-server exits at once on SIGTERM without saving (--save '')
	const supervisor = superviseServer({ stopSignal: 'SIGTERM', killAfterMs: 5000, watchStdin });
	try {
		if (!Number.isInteger(port) || port <= 0) throw new Error('redis: --serve needs --port');
		const { server } = await ensureRedis();
		if (supervisor.stopping) process.exit(143);
		const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'redis-'));
		const redis = spawn(server, redisArgs(port, dir), { stdio: ['ignore', 'inherit', 'inherit'] });
		supervisor.adopt(redis);
		redis.on('error', (e) => process.stderr.write(`redis: could not start redis-server: ${e.message}\n`));
		redis.on('exit', (code, signal) => {
			fs.rmSync(dir, { recursive: true, force: true });
			process.exit(code ?? (signal === 'SIGTERM' ? 0 : 1));
		});
	} catch (e) {
		process.stderr.write(`${e.message}\n`);
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
		void serve({ port: Number(value('--port')), watchStdin: argv.includes('--watch-stdin') });
	} else {
		ensureRedis()
			.then((r) => process.stdout.write(`redis-server ${r.version ?? '?'}: ${r.server}\n`))
			.catch((e) => {
				process.stderr.write(`${e.message}\n`);
				process.exit(1);
			});
	}
}

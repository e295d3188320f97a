// Installing a Debian package for queue mode (scripts/redis.mjs, scripts/postgres.mjs): only as root
// with apt-get at hand (as CI runs), one install at a time on this machine (parallel test files
// would otherwise meet apt's locks), `apt-get update` first.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK = path.join(os.tmpdir(), 'whatsapp-gateways-apt.lock');

/** apt-get, when this process may install with it (root); otherwise the reason why not. */
export function aptGet() {
	const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((file) => fs.existsSync(file));
	if (!apt) return { reason: 'no apt-get here' };
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { reason: 'not running as root' };
	return { apt };
}

function run(cmd, args, log) {
	return new Promise((resolve) => {
		log(`$ ${cmd} ${args.join(' ')}`);
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
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

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
};

/**
 * Runs `apt-get update` and `apt-get install -y <packages>` unless `installed()` says another process
 * did so meanwhile. Throws with apt's last lines when it fails.
 */
export async function aptInstall(packages, { installed, log }) {
	const { apt, reason } = aptGet();
	if (!apt) throw new Error(reason);
	for (let waited = 0; ; waited++) {
		try {
			fs.mkdirSync(LOCK);
			fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8').trim());
			} catch {
				/* its owner is writing it, or died before */
			}
			// left behind by an installer that died (one without a pid for 10 s too)
			if (owner ? !alive(owner) : waited >= 10) fs.rmSync(LOCK, { recursive: true, force: true });
			if (waited % 30 === 0) log('another install of a package is under way; waiting for it…');
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}
	try {
		if (installed()) return;
		const lock = ['-o', 'DPkg::Lock::Timeout=300'];
		const update = await run(apt, [...lock, 'update'], log);
		if (update.code !== 0) throw new Error(`apt-get update failed (exit ${update.code}):\n${update.tail}`);
		const install = await run(apt, [...lock, 'install', '-y', '--no-install-recommends', ...packages], log);
		if (install.code !== 0 || !installed()) throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${install.code}):\n${install.tail}`);
	} finally {
		fs.rmSync(LOCK, { recursive: true, force: true });
	}
}

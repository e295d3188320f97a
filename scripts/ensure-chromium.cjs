#!/usr/bin/env node
// Chromium for the browser tests (test/browser/): Debian's `chromium` package, driven by the
// playwright-core devDependency (which downloads no browser of its own).
//
//   node scripts/ensure-chromium.cjs     installs it when missing (as root, with apt-get), prints its path
//   require('./ensure-chromium.cjs').ensureChromium()   the same, from the test setup (test/support/browser.ts)
//
// CHROMIUM_PATH points at another Chromium or Chrome binary (e.g. on a machine without apt-get).
// Where none is found and none can be installed, it throws an error that says how to install one:
// the browser tests then fail, they are never skipped.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const HOW_TO_INSTALL =
	'Install Chromium with `sudo apt-get update && sudo apt-get install -y chromium` (Debian, Ubuntu), ' +
	'or set CHROMIUM_PATH to a Chromium or Chrome binary, then run the tests again.';

/** "Chromium 156.0…" when the binary runs, else undefined. */
function versionOf(binary) {
	if (!fs.existsSync(binary)) return undefined;
	const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
	const version = `${run.stdout ?? ''}`.trim().split('\n').pop();
	return run.status === 0 && /chrom/i.test(version ?? '') ? version : undefined;
}

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet() {
	return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The path of a working Chromium: CHROMIUM_PATH, or /usr/bin/chromium, installed with apt-get
 * when missing and this process is root. `log` receives progress lines.
 */
function ensureChromium({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	const requested = process.env.CHROMIUM_PATH;
	if (requested) {
		if (versionOf(requested)) return requested;
		throw new Error(`CHROMIUM_PATH=${requested} is not a Chromium that runs (\`${requested} --version\` failed). ${HOW_TO_INSTALL}`);
	}
	if (versionOf(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;

	const reason = !isRoot() ? 'this user is not root' : !hasAptGet() ? 'apt-get is not available' : undefined;
	if (reason) throw new Error(`Chromium is not installed at ${DEFAULT_CHROMIUM}, and the tests cannot install it: ${reason}. ${HOW_TO_INSTALL}`);

	const started = Date.now();
	log('chromium: not installed; installing Debian\'s package (apt-get update && apt-get install -y chromium)…');
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 10 * 60_000 });
		execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 15 * 60_000 });
	} catch (e) {
		const detail = `${e.stderr ?? e.message}`.trim().split('\n').slice(-5).join('\n');
		throw new Error(`Chromium is not installed at ${DEFAULT_CHROMIUM}, and installing it with apt-get failed:\n${detail}\n${HOW_TO_INSTALL}`);
	}
	const version = versionOf(DEFAULT_CHROMIUM);
	if (!version) throw new Error(`apt-get installed chromium, but ${DEFAULT_CHROMIUM} does not run. ${HOW_TO_INSTALL}`);
	log(`chromium: ${version} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return DEFAULT_CHROMIUM;
}

module.exports = { DEFAULT_CHROMIUM, ensureChromium };

if (require.main === module) {
	try {
		const binary = ensureChromium();
		process.stdout.write(`${binary}: ${versionOf(binary)}\n`);
	} catch (e) {
		process.stderr.write(`${e.message}\n`);
		process.exit(1);
	}
}

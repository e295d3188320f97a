#!/usr/bin/env node
// Lint the package as `@n8n/scan-community-package` would, without the registry.
//
// The real scanner (0.32.0, scanner/scanner.mjs `analyzePackageByName`) checks
// npm provenance, downloads the attested source and the published tarball, then
// runs ESLint twice with the same config (`buildScanConfig()`), constructed as
//   new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig })
//   - source leg:  cwd = source checkout, files 'package.json', '{nodes,credentials}/**/*.{js,ts,json}'
//   - tarball leg: cwd = unpacked tarball, files '**/*.js', 'package.json'
// and fails if either leg has an error (warnings do not fail it).
//
// This script cannot use the registry (the package is not published), so it:
//   1. `npm pack`s this repo (after `npm run build`) into a temp dir and checks
//      the tarball holds only dist/, package.json, README.md, LICENSE.md, and
//      every file that package.json's n8n.nodes / n8n.credentials names;
//   2. unpacks it as the scanner does (tar -xzf --strip-components=1);
//   3. runs both legs with the scanner's own `buildScanConfig()` when
//      @n8n/scan-community-package is installed, else with the replica
//      `scanRuleSet()` from eslint.config.mjs (same objects, installed plugins).
// Findings are printed (warnings too); the exit code is 1 on any error or
// content problem, 2 if the check itself could not run.
//
// Usage: node scripts/lint-tarball.mjs [--keep] [path/to/existing.tgz]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// eslint-plugin-n8n-nodes-base treats every file as a node/credential file when
// NODE_ENV is "test" (its own test mode), which would change what its rules
// report. The scanner never runs that way; neither do we. Must happen before
// the plugin is imported (all plugin imports below are dynamic).
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const givenTarball = args.find((a) => !a.startsWith('--'));

const ALLOWED_TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE.md']);
const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE.md'];

let problems = 0;
const fail = (msg) => {
	problems++;
	console.log(`  ✖ ${msg}`);
};

function run(cmd, cmdArgs, opts = {}) {
	const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
	if (r.error) throw r.error;
	if (r.status !== 0) {
		throw new Error(`${cmd} ${cmdArgs.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
	}
	return r.stdout;
}

/** Files under dir, relative with '/' separators; skips dot-entries (fast-glob's default) and node_modules. */
function walk(dir, rel = '') {
	const out = [];
	for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		if (entry.name.startsWith('.')) continue;
		const relPath = rel ? `${rel}/${entry.name}` : entry.name;
		if (entry.isDirectory()) {
			if (entry.name === 'node_modules') continue;
			out.push(...walk(dir, relPath));
		} else if (entry.isFile()) {
			out.push(relPath);
		}
	}
	return out;
}

// The scanner's two file selections, as predicates over repo-relative paths.
const SOURCE_LEG = (p) => p === 'package.json' || /^(nodes|credentials)\/(.+\/)?[^/]+\.(js|ts|json)$/.test(p);
const TARBALL_LEG = (p) => p === 'package.json' || p.endsWith('.js');

async function loadScanConfig() {
	const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
	let scannerPkgJson = null;
	try {
		scannerPkgJson = requireFromRepo.resolve('@n8n/scan-community-package/package.json');
	} catch {
		// not installed: use the replica below
	}
	if (scannerPkgJson) {
		const scannerDir = path.dirname(scannerPkgJson);
		const version = JSON.parse(fs.readFileSync(scannerPkgJson, 'utf8')).version;
		// The scanner makes a temp dir when its module loads; have tmp remove it at exit.
		const tmp = createRequire(scannerPkgJson)('tmp');
		tmp.setGracefulCleanup();
		const scanner = await import(pathToFileURL(path.join(scannerDir, 'scanner/scanner.mjs')).href);
		return {
			config: await scanner.buildScanConfig(),
			source: `@n8n/scan-community-package@${version} buildScanConfig() (with its own plugin versions)`,
		};
	}
	const { scanRuleSet } = await import(pathToFileURL(path.join(repoRoot, 'eslint.config.mjs')).href);
	const pluginVersion = JSON.parse(
		fs.readFileSync(path.join(repoRoot, 'node_modules/@n8n/eslint-plugin-community-nodes/package.json'), 'utf8'),
	).version;
	return {
		config: scanRuleSet(),
		source:
			`replica of @n8n/scan-community-package 0.32.0 buildScanConfig() (eslint.config.mjs scanRuleSet(), ` +
			`@n8n/eslint-plugin-community-nodes@${pluginVersion}); the scanner package is not installed`,
	};
}

async function lintLeg(name, cwd, select, scan) {
	const { ESLint } = await import('eslint');
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scan.config,
	});
	const files = walk(cwd)
		.filter((p) => select(p) && !p.endsWith('package-lock.json'))
		.map((p) => path.join(cwd, p));
	console.log(`\n▶ ${name}: ${files.length} file(s) in ${cwd}`);
	if (files.length === 0) {
		fail(`${name}: no files to lint`);
		return;
	}
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	if (errors + warnings > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		console.log(await formatter.format(results));
	}
	if (errors > 0) fail(`${name}: ${errors} error(s), ${warnings} warning(s)`);
	else console.log(`  ✔ ${name}: no errors (${warnings} warning(s))`);
}

function checkContents(files, pkgJson) {
	console.log(`\n▶ tarball contents: ${files.length} file(s)`);
	for (const f of files) {
		if (!(ALLOWED_TOP_LEVEL.has(f) || f.startsWith('dist/'))) {
			fail(`unexpected file in tarball: ${f} (only dist/, package.json, README.md, LICENSE.md belong there)`);
		}
	}
	for (const f of REQUIRED_FILES) if (!files.includes(f)) fail(`missing from tarball: ${f}`);
	if (!files.some((f) => f.startsWith('dist/'))) fail('tarball has no dist/ files: run `npm run build` first');
	const declared = [...(pkgJson.n8n?.nodes ?? []), ...(pkgJson.n8n?.credentials ?? [])];
	if (declared.length === 0) fail('package.json n8n.nodes / n8n.credentials are empty');
	for (const f of declared) {
		const norm = path.posix.normalize(f);
		if (!files.includes(norm)) fail(`package.json names ${f}, which is not in the tarball`);
	}
	if (pkgJson.dependencies && Object.keys(pkgJson.dependencies).length > 0) {
		fail(`runtime dependencies in the published package.json: ${Object.keys(pkgJson.dependencies).join(', ')}`);
	}
	if (problems === 0) console.log('  ✔ only dist/, package.json, README.md, LICENSE.md; every registered node and credential present');
}

async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-tarball-'));
	try {
		let tarball;
		if (givenTarball) {
			tarball = path.resolve(givenTarball);
		} else {
			if (!fs.existsSync(path.join(repoRoot, 'dist'))) {
				console.error('dist/ does not exist: run `npm run build` first');
				return 2;
			}
			const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
				cwd: repoRoot,
			});
			const info = JSON.parse(out.slice(out.indexOf('[')));
			tarball = path.join(work, info[0].filename);
		}
		console.log(`▶ tarball: ${tarball}`);

		const pkgDir = path.join(work, 'package');
		fs.mkdirSync(pkgDir);
		run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
		const files = walk(pkgDir).sort();
		const hidden = run('tar', ['-tzf', tarball])
			.split('\n')
			.filter(Boolean)
			.map((p) => p.replace(/^[^/]+\//, ''))
			.filter((p) => p && !p.endsWith('/') && !files.includes(p));
		const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
		checkContents([...files, ...hidden], pkgJson);

		const scan = await loadScanConfig();
		console.log(`\n▶ rule set: ${scan.source}`);
		await lintLeg('source leg (package.json, {nodes,credentials}/**/*.{js,ts,json})', repoRoot, SOURCE_LEG, scan);
		await lintLeg('tarball leg (**/*.js, package.json)', pkgDir, TARBALL_LEG, scan);
	} finally {
		if (keep) console.log(`\n(kept ${work})`);
		else fs.rmSync(work, { recursive: true, force: true });
	}
	if (problems > 0) {
		console.error(`\n✖ lint:tarball failed: ${problems} problem(s)`);
		return 1;
	}
	console.log('\n✔ lint:tarball passed');
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(2);
	},
);

// Prints, as JSON, the effective ESLint rules and parser for representative
// published files under two configs: this repo's eslint.config.mjs ("repo")
// and, when @n8n/scan-community-package is installed, the scanner's own
// buildScanConfig() ("scanner"). Used by community-lint.test.ts; run in a
// child process because both configs are ES modules.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { ESLint } = await import('eslint');

export const FILES = [
	'package.json',
	'nodes/Example/Example.node.ts',
	'nodes/Example/ExampleTrigger.node.ts',
	'nodes/Example/operations/message.ts',
	'nodes/shared/describe.ts',
	'nodes/Example/Example.node.json',
	'credentials/ExampleApi.credentials.ts',
];

const SEVERITY = { 0: 'off', 1: 'warn', 2: 'error', off: 'off', warn: 'warn', error: 'error' };

async function effective(eslint) {
	const out = {};
	for (const file of FILES) {
		const config = await eslint.calculateConfigForFile(path.join(repoRoot, file));
		const rules = {};
		for (const [rule, value] of Object.entries(config?.rules ?? {})) {
			const level = SEVERITY[Array.isArray(value) ? value[0] : value];
			if (level !== 'off') rules[rule] = level;
		}
		out[file] = {
			rules,
			parser: config?.languageOptions?.parser?.meta?.name ?? null,
			noInlineConfig: config?.linterOptions?.noInlineConfig === true,
		};
	}
	return out;
}

const result = {
	repo: await effective(
		new ESLint({ cwd: repoRoot, overrideConfigFile: path.join(repoRoot, 'eslint.config.mjs') }),
	),
	scanner: null,
};

const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
let scannerPkg = null;
try {
	scannerPkg = requireFromRepo.resolve('@n8n/scan-community-package/package.json');
} catch {
	// not installed
}
if (scannerPkg) {
	createRequire(scannerPkg)('tmp').setGracefulCleanup();
	const scanner = await import(pathToFileURL(path.join(path.dirname(scannerPkg), 'scanner/scanner.mjs')).href);
	result.scanner = await effective(
		new ESLint({ cwd: repoRoot, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() }),
	);
}

process.stdout.write(JSON.stringify(result));

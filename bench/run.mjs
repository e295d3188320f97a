// Compiles the benchmarks (bench/tsconfig.json → build/bench) and runs bench/main.ts with the
// arguments given, e.g. `npm run bench -- --parts latency,rate`. Expects `npm run build` to have
// built dist/ (npm run bench does that first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function run(command, commandArgs, env = process.env) {
	const { status, signal, error } = spawnSync(command, commandArgs, { cwd: repositoryRoot, stdio: 'inherit', env });
	if (error) throw error;
	if (status !== 0) process.exit(status ?? (signal ? 1 : 0));
}

if (!existsSync(path.join(repositoryRoot, 'dist', 'nodes', 'Mesigic', 'Mesigic.node.js'))) {
	console.error('dist/ is not built: run `npm run build` first (or `npm run bench`, which does).');
	process.exit(1);
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
run(process.execPath, [tsc, '-p', path.join('bench', 'tsconfig.json')]);

// The compiled test helpers reach scripts/ (the n8n runtime and its API client) relative to
// themselves: give build/bench a scripts/ that is the repository's own.
const outDir = path.join(repositoryRoot, 'build', 'bench');
mkdirSync(outDir, { recursive: true });
rmSync(path.join(outDir, 'scripts'), { recursive: true, force: true });
symlinkSync(path.join(repositoryRoot, 'scripts'), path.join(outDir, 'scripts'), 'dir');

run(process.execPath, [path.join('build', 'bench', 'bench', 'main.js'), ...args], {
	...process.env,
	BENCH_COMMAND: ['node', 'bench/run.mjs', ...args].join(' '),
});

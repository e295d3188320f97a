// Must stay the first import: it sets the n8n environment before n8n-core is loaded.
import { loadPackage, type LoadedPackage } from '../test/support/engine';

import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { repositoryRoot, runtimeNodesBase, type RemoteSandbox } from './common';

/** What the in-process parts run on: the sandbox, this package and n8n's own nodes, in the real engine. */
export interface BenchContext {
	sandbox: RemoteSandbox;
	pkg: LoadedPackage;
	/** n8n-nodes-base from the real n8n install; undefined when it is not installed. */
	nodesBase?: LoadedPackage;
}

/** This package from dist/, and n8n-nodes-base (444 node types, ~4 s) with the same harness loader. */
export async function loadPackages(log: (line: string) => void = () => undefined): Promise<Omit<BenchContext, 'sandbox'>> {
	const pkg = await loadPackage(repositoryRoot);
	// Some of its AWS SDK copies warn that releases after January 2027 need Node 22: not this benchmark's concern.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	if (!existsSync(path.join(runtimeNodesBase, 'package.json'))) {
		log(`note: ${runtimeNodesBase} is absent (the real n8n is installed by \`npm start\`, \`npm test\` or scripts/n8n-runtime.mjs; N8N_RUNTIME_DIR points elsewhere): the HTTP Request node rows are left out.`);
		return { pkg };
	}
	const started = performance.now();
	const nodesBase = await loadPackage(runtimeNodesBase);
	log(`loaded n8n-nodes-base (${nodesBase.nodeTypes.names().length - 1} node types) in ${(performance.now() - started).toFixed(0)} ms`);
	return { pkg, nodesBase };
}

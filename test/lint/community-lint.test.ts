// Tests of the lint set-up itself (eslint.config.mjs): the scan-community-package
// rule set fires on nodes/, credentials/ and package.json, inline disable
// comments hide nothing, and a conforming package (the shapes the real nodes
// use: description object literal, builder-made properties, themed icons,
// webhook lifecycle) passes clean.
//
// ESLint runs in a child process: the config is an ES module, and
// eslint-plugin-n8n-nodes-base changes behaviour under NODE_ENV=test (jest's).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');
const eslintBin = path.join(repoRoot, 'node_modules/eslint/bin/eslint.js');
const configFile = path.join(repoRoot, 'eslint.config.mjs');

interface LintMessage {
	ruleId: string | null;
	severity: number;
	message: string;
}
interface LintResult {
	filePath: string;
	messages: LintMessage[];
	errorCount: number;
}

const SVG_LIGHT = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#111"/></svg>\n';
const SVG_DARK = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#eee"/></svg>\n';

function packageJson(name: string, extra: Record<string, unknown> = {}): string {
	return JSON.stringify(
		{
			name,
			version: '0.1.0',
			description: 'Fixture package for the lint test',
			keywords: ['n8n-community-node-package'],
			license: 'MIT',
			homepage: 'https://example.com/fixture',
			author: { name: 'Fixture Author', email: 'fixture@example.com' },
			repository: { type: 'git', url: 'git+https://example.com/fixture.git' },
			main: 'index.js',
			files: ['dist'],
			n8n: {
				n8nNodesApiVersion: 1,
				strict: true,
				credentials: ['dist/credentials/DemoApi.credentials.js'],
				nodes: ['dist/nodes/Demo/Demo.node.js', 'dist/nodes/Demo/DemoTrigger.node.js'],
			},
			peerDependencies: { 'n8n-workflow': '*' },
			devDependencies: { 'n8n-workflow': '*' },
			...extra,
		},
		null,
		2,
	);
}

const GOOD_FILES: Record<string, string> = {
	'icons/demo.svg': SVG_LIGHT,
	'icons/demo.dark.svg': SVG_DARK,
	'nodes/shared/describe.ts': `import type { INodeProperties } from 'n8n-workflow';

export interface Operation {
	resource: string;
	value: string;
	name: string;
	action: string;
	fields: INodeProperties[];
}

export function buildProperties(operations: Operation[]): INodeProperties[] {
	const resources = [...new Set(operations.map((op) => op.resource))];
	const firstResource = resources[0] ?? '';
	const props: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((r) => ({ name: r, value: r })),
			default: firstResource,
		},
	];
	for (const resource of resources) {
		const ops = operations.filter((op) => op.resource === resource);
		const firstOperation = ops[0]?.value ?? '';
		props.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: ops.map((op) => ({ name: op.name, value: op.value, action: op.action })),
			default: firstOperation,
		});
		for (const op of ops) {
			for (const field of op.fields) {
				props.push({ ...field, displayOptions: { show: { resource: [resource], operation: [op.value] } } });
			}
		}
	}
	return props;
}
`,
	'nodes/Demo/operations/message.ts': `import type { Operation } from '../../shared/describe';

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		value: 'send',
		name: 'Send',
		action: 'Send a message',
		fields: [
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				default: '',
				description: 'The text to send',
			},
		],
	},
];
`,
	'nodes/Demo/Demo.node.json': JSON.stringify({ node: 'n8n-nodes-lint-fixture.demo', nodeVersion: '1.0' }),
	'nodes/Demo/Demo.node.ts': `import {
	NodeApiError,
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import { buildProperties } from '../shared/describe';
import { messageOperations } from './operations/message';

export class Demo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Demo',
		name: 'demo',
		icon: { light: 'file:../../icons/demo.svg', dark: 'file:../../icons/demo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send messages with Demo',
		defaults: { name: 'Demo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'demoApi', required: true }],
		properties: buildProperties(messageOperations),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const response = await this.helpers.httpRequestWithAuthentication.call(this, 'demoApi', {
					method: 'POST',
					url: 'https://api.example.com/send',
					json: true,
				});
				out.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}
}
`,
	'nodes/Demo/DemoTrigger.node.ts': `import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

export class DemoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Demo Trigger',
		name: 'demoTrigger',
		icon: { light: 'file:../../icons/demo.svg', dark: 'file:../../icons/demo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Demo sends an event',
		defaults: { name: 'Demo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'demoApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Message Received', value: 'message' },
					{ name: 'Status Changed', value: 'status' },
				],
				default: [],
				description: 'The events to listen to',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').webhookId !== undefined;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.getWorkflowStaticData('node').webhookId = 'x';
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node').webhookId;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [this.helpers.returnJsonArray(this.getBodyData())] };
	}
}
`,
	'credentials/DemoApi.credentials.ts': `import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

export class DemoApi implements ICredentialType {
	name = 'demoApi';

	displayName = 'Demo API';

	documentationUrl = 'https://example.com/docs';

	icon: Icon = { light: 'file:../icons/demo.svg', dark: 'file:../icons/demo.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: 'https://api.example.com', url: '/me' },
	};
}
`,
};

// Each file breaks rules and tries to hide that with every kind of inline disable.
const BAD_FILES: Record<string, string> = {
	'nodes/Demo/demo.svg': SVG_LIGHT,
	'nodes/Demo/Demo.node.ts': `/* eslint-disable */
// eslint-disable-next-line
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

export class Demo implements INodeType { // eslint-disable-line
	description: INodeTypeDescription = {
		displayName: 'Demo',
		name: 'demo',
		icon: 'file:demo.svg',
		group: ['transform'],
		version: 1,
		description: 'Demo node',
		defaults: { name: 'Demo' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'demoApi', required: true }],
		properties: [
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				default: '',
				description: 'the text',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals */
		console.log(process.env.X);
		setTimeout(() => undefined, 10);
		return [[{ json: { ok: true } }]];
	}
}
`,
	'nodes/Other/Other.node.ts': `// eslint-disable-next-line @n8n/community-nodes/icon-validation
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { describeNode } from '../shared/describe';

export class Other implements INodeType {
	description: INodeTypeDescription = describeNode('Other');
}
`,
	'credentials/DemoApi.credentials.ts': `// eslint-disable-next-line
import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/* eslint-disable */
export class DemoApi implements ICredentialType {
	name = 'demoApi';
	displayName = 'Demo API';
	documentationUrl = 'https://example.com/docs';
	icon: Icon = { light: 'file:../icons/demo.svg', dark: 'file:../icons/demo.svg' };
	properties: INodeProperties[] = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
	];
}
`,
	'icons/demo.svg': SVG_LIGHT,
};

function writeTree(dir: string, files: Record<string, string>): void {
	for (const [rel, content] of Object.entries(files)) {
		const file = path.join(dir, rel);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, content);
	}
}

function lint(dir: string): LintResult[] {
	const env = { ...process.env };
	delete env.NODE_ENV;
	const r = spawnSync(
		process.execPath,
		[eslintBin, '--config', configFile, '--format', 'json', 'nodes', 'credentials', 'package.json'],
		{ cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
	);
	// 0 = clean, 1 = findings; anything else means ESLint itself failed.
	if (r.status !== 0 && r.status !== 1) {
		throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
	}
	return JSON.parse(r.stdout) as LintResult[];
}

function findings(results: LintResult[], dir: string): Array<{ file: string; rule: string | null; severity: number }> {
	return results.flatMap((res) =>
		res.messages.map((m) => ({
			file: path.relative(dir, res.filePath).split(path.sep).join('/'),
			rule: m.ruleId,
			severity: m.severity,
		})),
	);
}

describe('lint set-up (scan-community-package rule set)', () => {
	let tmp: string;
	beforeAll(() => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-test-'));
	});
	afterAll(() => {
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	it('passes a conforming package with no finding at all', () => {
		const dir = path.join(tmp, 'good');
		writeTree(dir, { ...GOOD_FILES, 'package.json': packageJson('n8n-nodes-lint-fixture') });
		const results = lint(dir);
		expect(findings(results, dir)).toEqual([]);
		// the codex JSON and every TS file were linted, as the scanner's source leg does
		expect(results.map((r) => path.relative(dir, r.filePath).split(path.sep).join('/')).sort()).toEqual([
			'credentials/DemoApi.credentials.ts',
			'nodes/Demo/Demo.node.json',
			'nodes/Demo/Demo.node.ts',
			'nodes/Demo/DemoTrigger.node.ts',
			'nodes/Demo/operations/message.ts',
			'nodes/shared/describe.ts',
			'package.json',
		]);
	}, 60_000);

	it('reports every violation as an error, whatever inline disable comment is present', () => {
		const dir = path.join(tmp, 'bad');
		writeTree(dir, {
			...BAD_FILES,
			'package.json': packageJson('n8n-nodes-lint-fixture-bad', {
				dependencies: { axios: '^1.0.0' },
				overrides: { axios: '1.0.0' },
				peerDependencies: { 'n8n-workflow': '^1.0.0' },
				keywords: ['n8n'],
				scripts: { postinstall: 'node setup.js' },
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: ['dist/credentials/DemoApi.credentials.js'],
					nodes: ['dist/nodes/Demo/Demo.node.js'],
				},
			}),
		});
		const got = findings(lint(dir), dir);
		const errors = (file: string) =>
			new Set(got.filter((f) => f.file === file && f.severity === 2).map((f) => f.rule));

		expect([...errors('nodes/Demo/Demo.node.ts')].sort()).toEqual(
			[
				'@n8n/community-nodes/icon-prefer-themed-variants', // a scanner warning, an error here
				'@n8n/community-nodes/missing-paired-item',
				'@n8n/community-nodes/no-restricted-globals',
				'@n8n/community-nodes/node-connection-type-literal',
				'@n8n/community-nodes/node-usable-as-tool',
				'@n8n/community-nodes/require-node-description-fields',
				'n8n-nodes-base/node-param-description-lowercase-first-char',
				'no-console',
			].sort(),
		);
		// A description that is not an object literal cannot be checked, so the scanner fails it.
		expect(errors('nodes/Other/Other.node.ts')).toContain('@n8n/community-nodes/icon-validation');
		expect([...errors('credentials/DemoApi.credentials.ts')].sort()).toEqual(
			[
				'@n8n/community-nodes/credential-password-field',
				'@n8n/community-nodes/credential-test-required',
				'@n8n/community-nodes/icon-validation', // light and dark are the same file
			].sort(),
		);
		const pkg = errors('package.json');
		for (const rule of [
			'@n8n/community-nodes/no-runtime-dependencies',
			'@n8n/community-nodes/no-overrides-field',
			'@n8n/community-nodes/valid-peer-dependencies',
			'@n8n/community-nodes/no-forbidden-lifecycle-scripts',
			'@n8n/community-nodes/node-registration-complete', // Other.node.ts is not registered
			'n8n-nodes-base/community-package-json-keywords-without-official-tag',
		]) {
			expect(pkg).toContain(rule);
		}
		// Every inline directive is reported as ignored (ruleId null) rather than obeyed.
		const ignoredDirectives = got.filter((f) => f.rule === null);
		expect(ignoredDirectives.length).toBeGreaterThanOrEqual(7);
	}, 60_000);

	describe('effective rules per published file', () => {
		type Effective = Record<string, { rules: Record<string, string>; parser: string | null; noInlineConfig: boolean }>;
		let repo: Effective;
		let scanner: Effective | null;
		beforeAll(() => {
			const env = { ...process.env };
			delete env.NODE_ENV;
			const r = spawnSync(process.execPath, [path.join(__dirname, 'effective-rules.mjs')], {
				cwd: repoRoot,
				env,
				encoding: 'utf8',
				maxBuffer: 64 * 1024 * 1024,
			});
			if (r.status !== 0) throw new Error(`effective-rules.mjs exited ${r.status}: ${r.stderr}`);
			({ repo, scanner } = JSON.parse(r.stdout) as { repo: Effective; scanner: Effective | null });
		}, 60_000);

		it('applies the scan rule set to nodes/, credentials/ and package.json, as errors, inline config off', () => {
			for (const [file, eff] of Object.entries(repo)) {
				expect([file, eff.parser]).toEqual([file, 'typescript-eslint/parser']);
				expect([file, eff.noInlineConfig]).toEqual([file, true]);
				expect([file, Object.values(eff.rules).filter((level) => level !== 'error')]).toEqual([file, []]);
				expect(eff.rules['@n8n/community-nodes/node-usable-as-tool']).toBe('error');
				expect(eff.rules['no-console']).toBe('error');
			}
			const nodeFiles = Object.keys(repo).filter((f) => f.startsWith('nodes/') && f.endsWith('.ts'));
			expect(nodeFiles.length).toBeGreaterThan(0);
			for (const f of nodeFiles) {
				expect(repo[f].rules['n8n-nodes-base/node-param-default-missing']).toBe('error');
				expect(repo[f].rules['n8n-nodes-base/cred-class-name-unsuffixed']).toBeUndefined();
				// switched off by the scanner too
				expect(repo[f].rules['n8n-nodes-base/node-class-description-outputs-wrong']).toBeUndefined();
			}
			const cred = repo['credentials/ExampleApi.credentials.ts'];
			expect(cred.rules['n8n-nodes-base/cred-class-name-unsuffixed']).toBe('error');
			expect(cred.rules['n8n-nodes-base/cred-class-field-documentation-url-miscased']).toBeUndefined();
			expect(cred.rules['n8n-nodes-base/node-param-default-missing']).toBeUndefined();
			expect(repo['package.json'].rules['n8n-nodes-base/community-package-json-name-missing']).toBe('error');
			expect(repo['package.json'].rules['@n8n/community-nodes/no-runtime-dependencies']).toBe('error');
		});

		it('holds every rule of the installed scanner at least at its severity', () => {
			if (!scanner) {
				// @n8n/scan-community-package is not installed: nothing to compare with.
				return;
			}
			for (const [file, eff] of Object.entries(scanner)) {
				const ours = repo[file];
				expect([file, ours.parser]).toEqual([file, eff.parser]);
				const missing = Object.keys(eff.rules).filter((rule) => ours.rules[rule] === undefined);
				expect([file, missing]).toEqual([file, []]);
				const extra = Object.keys(ours.rules).filter((rule) => eff.rules[rule] === undefined);
				// only newer community-nodes rules may be extra (our plugin is newer than the scanner's)
				expect([file, extra.filter((rule) => !rule.startsWith('@n8n/community-nodes/'))]).toEqual([file, []]);
			}
		});
	});
});

/**
 * In-process n8n engine for tests: loads a community package from its compiled files with n8n-core's
 * PackageDirectoryLoader and runs its nodes through the real n8n-core engine (WorkflowExecute,
 * PollContext + PollTriggerExecutor, LoadOptionsContext, RoutingNode for credential tests), with
 * binary data stored by n8n-core's BinaryDataService on the filesystem of a temporary user folder.
 *
 *   const result = await runWorkflow({
 *     nodes: [{ type: 'mesigic', parameters: { resource: 'message', operation: 'sendText' } }],
 *     credentials: { mesigicApi: { baseUrl: sandbox.url, clientId: 'id', clientSecret: 's' } },
 *     inputJson: phones.map((phone) => ({ phone })),
 *   });
 *   expect(result.error).toBeUndefined();
 *   expect(result.output()).toHaveLength(phones.length);
 *
 * See test/engine/harness.test.ts for every function at work.
 */
// Must stay the first import: sets N8N_USER_FOLDER & co before n8n-core is loaded.
import { userFolder } from './engine/env';

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	CredentialTestContext,
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	PackageDirectoryLoader,
	PollContext,
	PollTriggerExecutor,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequestData,
	ICredentialsDecrypted,
	IConnections,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INode,
	INodeCredentialTestResult,
	INodeCredentials,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IPairedItemData,
	IVersionedNodeType,
	IRun,
	ITaskData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	NodeConnectionTypes,
	UnexpectedError,
	VersionedNodeType,
	Workflow,
	createEmptyRunExecutionData,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { type CredentialsMap, TestCredentialsHelper } from './engine/credentials';
import { HarnessCredentialTypes, HarnessNodeTypes } from './engine/registry';

export { TestCredentialsHelper, type CredentialsMap } from './engine/credentials';
export { HarnessCredentialTypes, HarnessNodeTypes } from './engine/registry';
export { userFolder };

/** The repository root: loadPackage() loads this package (its dist/, via package.json `n8n`). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Name and type of the built-in start node that emits the test's input items. */
export const INPUT_NODE_NAME = 'Input';
export const INPUT_NODE_TYPE = 'harness.input';

// ---------------------------------------------------------------------------------------------
// Engine set-up (once per module registry, i.e. once per jest test file)

let engineReady: Promise<void> | undefined;

/**
 * Everything n8n-core needs beyond its DI defaults: only the binary data service has to be
 * initialised (filesystem mode, under the temporary user folder). Logger, InstanceSettings,
 * ErrorReporter, OutboundHttp, … are built lazily by the container from env (see engine/env.ts).
 */
export async function ensureEngine(): Promise<void> {
	engineReady ??= Container.get(BinaryDataService).init();
	await engineReady;
}

// ---------------------------------------------------------------------------------------------
// The built-in input node

/** A binary property to feed in: the harness stores it with prepareBinaryData (as a node would). */
export interface InputBinary {
	data: Buffer;
	fileName?: string;
	mimeType?: string;
}

export interface InputItem {
	json?: IDataObject;
	binary?: Record<string, InputBinary | IBinaryData>;
}

const feeds = new Map<string, InputItem[]>();

class HarnessInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Input',
		name: INPUT_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the items the test gives (a Manual Trigger followed by a Code node)',
		defaults: { name: INPUT_NODE_NAME },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Feed', name: 'feed', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const feed = feeds.get(this.getNodeParameter('feed', 0) as string) ?? [{ json: {} }];
		const out: INodeExecutionData[] = [];
		for (const item of feed) {
			const entry: INodeExecutionData = { json: structuredClone(item.json ?? {}), pairedItem: { item: 0 } };
			if (item.binary) {
				entry.binary = {};
				for (const [key, value] of Object.entries(item.binary)) {
					entry.binary[key] = Buffer.isBuffer(value.data)
						? await this.helpers.prepareBinaryData(
								value.data,
								value.fileName as string | undefined,
								value.mimeType as string | undefined,
							)
						: (value as IBinaryData);
				}
			}
			out.push(entry);
		}
		return [out];
	}
}

// ---------------------------------------------------------------------------------------------
// What nodes return before the engine fills in pairedItem

/**
 * WorkflowExecute.assignPairedItems fills in a missing pairedItem whenever it can guess it (one
 * input item, or as many output items as input items), so the engine's output cannot show whether
 * the node set it. Every loaded execute() is wrapped to note, per execution and node, which
 * returned items had no pairedItem.
 */
const unpairedByExecution = new Map<string, Map<string, Array<{ output: number; index: number }>>>();

function recordUnpaired(context: IExecuteFunctions, result: unknown): void {
	const sink = unpairedByExecution.get(context.getExecutionId());
	if (!sink || !Array.isArray(result)) return;
	const missing: Array<{ output: number; index: number }> = [];
	(result as Array<INodeExecutionData[] | null>).forEach((items, output) => {
		if (!Array.isArray(items)) return;
		items.forEach((item, index) => {
			if (item?.pairedItem === undefined) missing.push({ output, index });
		});
	});
	sink.set(context.getNode().name, missing);
}

function instrument(type: INodeType | IVersionedNodeType): void {
	const versions: INodeType[] =
		'nodeVersions' in type ? Object.values(type.nodeVersions) : [type as INodeType];
	for (const version of versions) {
		const original = version.execute;
		if (!original || (original as { __harness?: boolean }).__harness) continue;
		const wrapped = async function (this: IExecuteFunctions) {
			const result = await original.call(this);
			recordUnpaired(this, result);
			return result;
		};
		(wrapped as { __harness?: boolean }).__harness = true;
		version.execute = wrapped as INodeType['execute'];
	}
}

/** Description name n8n's credential test uses for its temporary node (checked by preAuthentication). */
const NO_OP_TYPE = 'n8n-nodes-base.noOp';

// ---------------------------------------------------------------------------------------------
// Public types

/** A node of the workflow under test; everything but `type` has a default. */
export type NodeSpec = Partial<Omit<INode, 'type'>> & {
	/** Full type (`<package>.<node>`) or the node's short name within the loaded package. */
	type: string;
};

export interface RunWorkflowOptions {
	/** Package to run (default: loadPackage() of the repository). */
	pkg?: LoadedPackage;
	/** Nodes after the input node; without `connections` they are chained Input → nodes[0] → nodes[1] … */
	nodes: NodeSpec[];
	/** Connections between node names; Input → nodes[0] is added when Input has none. */
	connections?: IConnections;
	/** Credential data per credential type name (only what the test gives; defaults are added). */
	credentials?: CredentialsMap;
	/** Items the input node emits (default: one empty item, like a Manual Trigger). */
	inputItems?: InputItem[];
	/** Shortcut for inputItems with json only. */
	inputJson?: IDataObject[];
	/** Execution mode; 'manual' = run from the editor, 'trigger'/'webhook' = production, 'integrated' = sub-workflow. */
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
	/** Cancel the execution after this long (default 30 s). */
	timeoutMs?: number;
}

export interface HarnessError {
	message: string;
	description?: string | null;
	itemIndex?: number;
	httpCode?: string | null;
	name?: string;
	node?: string;
	/** The error object as n8n recorded it. */
	raw: unknown;
}

export interface RunPollOptions {
	pkg?: LoadedPackage;
	node: NodeSpec;
	credentials?: CredentialsMap;
	/** Workflow static data from the previous call (PollResult.staticData). */
	staticData?: IDataObject;
	/**
	 * 'trigger': an activated workflow's poll tick (PollTriggerExecutor, errors via emitError);
	 * 'manual': "Fetch test event" in the editor (WorkflowExecute's PollContext call). Note that
	 * n8n does not save static data changed by a manual execution; the harness returns it anyway.
	 */
	mode?: 'trigger' | 'manual';
	activation?: WorkflowActivateMode;
}

export interface PollResult {
	/** What poll() returned: the emitted items per output, or null when nothing new. */
	items: INodeExecutionData[][] | null;
	/** Workflow static data after the call; pass it to the next runPoll to continue from the cursor. */
	staticData: IDataObject;
	/** The node's own static data (`getWorkflowStaticData('node')`). */
	nodeStaticData: IDataObject;
	error?: HarnessError;
	credentials: TestCredentialsHelper;
	durationMs: number;
}

export interface LoadOptionsOptions {
	pkg?: LoadedPackage;
	/** Full or short node type. */
	nodeType: string;
	typeVersion?: number;
	method: string;
	credentials?: CredentialsMap;
	/** The node's current parameters as the editor sends them (defaults are added). */
	parameters?: INodeParameters;
	/** Parameter path the options are for (default: the property using this method). */
	path?: string;
}

export interface ListSearchOptions extends LoadOptionsOptions {
	filter?: string;
	paginationToken?: string;
}

export interface TestCredentialOptions {
	pkg?: LoadedPackage;
	type: string;
	data: ICredentialDataDecryptedObject;
}

// ---------------------------------------------------------------------------------------------
// Results

function normalizeError(error: unknown, node?: string): HarnessError {
	const e = (error ?? {}) as Record<string, unknown> & {
		context?: { itemIndex?: number };
		node?: { name?: string };
	};
	return {
		message: String(e.message ?? error),
		description: e.description as string | null | undefined,
		itemIndex: e.context?.itemIndex ?? (e.itemIndex as number | undefined),
		httpCode: e.httpCode as string | null | undefined,
		name: e.name as string | undefined,
		node: node ?? e.node?.name,
		raw: error,
	};
}

export class WorkflowResult {
	constructor(
		readonly run: IRun,
		readonly workflow: Workflow,
		readonly credentials: TestCredentialsHelper,
		/** Node names in the order they finished. */
		readonly executionOrder: string[],
		/** Wall time of the execution (not of package loading). */
		readonly durationMs: number,
		private readonly defaultNode: string,
		/** Workflow static data after the run, as n8n would save it. */
		readonly staticData: IDataObject,
		private readonly unpaired: Map<string, Array<{ output: number; index: number }>>,
	) {}

	/**
	 * Items a node returned without pairedItem (before WorkflowExecute guessed one), as
	 * { output, index }; [] when the node paired every item (or did not run / is not `execute`).
	 */
	unpairedItems(nodeName = this.defaultNode): Array<{ output: number; index: number }> {
		return this.unpaired.get(nodeName) ?? [];
	}

	get status() {
		return this.run.status;
	}

	/** Task data of a node's run (default: the last node given). */
	taskData(nodeName = this.defaultNode, runIndex = 0): ITaskData | undefined {
		return this.run.data.resultData.runData[nodeName]?.[runIndex];
	}

	/** All main outputs of a node's run. */
	outputs(nodeName = this.defaultNode, runIndex = 0): INodeExecutionData[][] {
		return (this.taskData(nodeName, runIndex)?.data?.main ?? []).map((items) => items ?? []);
	}

	/** Items of one output (default: the first) of a node's run; [] when it did not run. */
	output(nodeName = this.defaultNode, outputIndex = 0, runIndex = 0): INodeExecutionData[] {
		return this.outputs(nodeName, runIndex)[outputIndex] ?? [];
	}

	/** The json of output(). */
	json(nodeName = this.defaultNode, outputIndex = 0, runIndex = 0): IDataObject[] {
		return this.output(nodeName, outputIndex, runIndex).map((item) => item.json);
	}

	/** The error of a node, if it failed (an item turned into an error item by continueOnFail is not one). */
	nodeError(nodeName: string, runIndex = 0): HarnessError | undefined {
		const error = this.taskData(nodeName, runIndex)?.error;
		return error ? normalizeError(error, nodeName) : undefined;
	}

	/** The execution's error: the failing node's error, else the workflow-level error. */
	get error(): HarnessError | undefined {
		for (const [nodeName, runs] of Object.entries(this.run.data.resultData.runData)) {
			const failed = runs.find((task) => task.error);
			if (failed) return normalizeError(failed.error, nodeName);
		}
		const { error } = this.run.data.resultData;
		return error ? normalizeError(error) : undefined;
	}

	/** The bytes of an item's binary property, read back through n8n's BinaryDataService. */
	async binary(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
		const data = item.binary?.[property];
		if (!data) throw new UnexpectedError(`The item has no binary property "${property}"`);
		return await Container.get(BinaryDataService).getAsBuffer(data);
	}
}

// ---------------------------------------------------------------------------------------------
// Loaded package

let sequence = 0;

const BASE_URL = 'http://127.0.0.1:5678/';

function createAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not supported by the engine harness`);
	};
	return {
		credentialsHelper,
		executeWorkflow: unsupported('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('A task runner'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${BASE_URL}rest`,
		instanceBaseUrl: BASE_URL,
		formBaseUrl: `${BASE_URL}form`,
		formWaitingBaseUrl: `${BASE_URL}form-waiting`,
		formTestBaseUrl: `${BASE_URL}form-test`,
		webhookBaseUrl: `${BASE_URL}webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}webhook-test`,
		mcpBaseUrl: `${BASE_URL}mcp`,
		mcpTestBaseUrl: `${BASE_URL}mcp-test`,
		variables: {},
		userId: 'harness-user',
		externalSecretsProxy: new ExternalSecretsProxy(),
		...extra,
	} as IWorkflowExecuteAdditionalData;
}

function plainStaticData(workflow: Workflow): IDataObject {
	const data = JSON.parse(JSON.stringify(workflow.staticData ?? {})) as IDataObject;
	delete data.__dataChanged;
	return data;
}

function uniqueName(wanted: string, used: Set<string>): string {
	let name = wanted;
	for (let n = 1; used.has(name); n++) name = `${wanted}${n}`;
	used.add(name);
	return name;
}

async function withTimeout<T>(promise: Promise<T> & { cancel?: () => void }, ms: number, what: string) {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => {
					promise.cancel?.();
					reject(new UnexpectedError(`${what} did not finish within ${ms} ms`));
				}, ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

export class LoadedPackage {
	constructor(
		readonly dir: string,
		readonly packageName: string,
		readonly nodeTypes: HarnessNodeTypes,
		readonly credentialTypes: HarnessCredentialTypes,
		readonly loader: PackageDirectoryLoader,
	) {}

	/** Full node type name for `name` (full or short, e.g. 'mesigic' → '<package>.mesigic'). */
	nodeType(name: string): string {
		if (this.nodeTypes.has(name)) return name;
		const full = `${this.packageName}.${name}`;
		if (this.nodeTypes.has(full)) return full;
		throw new UnexpectedError(
			`Unknown node type "${name}" (known: ${this.nodeTypes.names().join(', ')})`,
		);
	}

	/** A credentials helper over this package's credential types, holding `credentials`. */
	credentialsHelper(credentials: CredentialsMap = {}): TestCredentialsHelper {
		return new TestCredentialsHelper(this.credentialTypes, credentials);
	}

	/** An INode for `spec`: defaults for id, name, version, position; credentials attached. */
	toNode(spec: NodeSpec, index: number, helper: TestCredentialsHelper, used: Set<string>): INode {
		const type = this.nodeType(spec.type);
		const typeVersion = spec.typeVersion ?? this.nodeTypes.latestVersion(type);
		const description = this.nodeTypes.getByNameAndVersion(type, typeVersion).description;
		let credentials: INodeCredentials | undefined = spec.credentials;
		if (!credentials) {
			for (const { name } of description.credentials ?? []) {
				if (!helper.has(name)) continue;
				credentials ??= {};
				credentials[name] = { id: `cred-${name}`, name };
			}
		}
		const node: INode = {
			...spec,
			id: spec.id ?? randomUUID(),
			name: uniqueName(spec.name ?? description.defaults.name ?? spec.type, used),
			type,
			typeVersion,
			position: spec.position ?? [250 * (index + 1), 0],
			parameters: structuredClone(spec.parameters ?? {}),
		};
		if (credentials) node.credentials = credentials;
		return node;
	}

	/** Runs a workflow Input → nodes… through n8n-core's WorkflowExecute. */
	async runWorkflow(options: RunWorkflowOptions): Promise<WorkflowResult> {
		await ensureEngine();
		const id = ++sequence;
		const mode = options.mode ?? 'manual';
		const helper = this.credentialsHelper(options.credentials);
		const feedId = `feed-${id}`;
		feeds.set(
			feedId,
			options.inputItems ?? options.inputJson?.map((json) => ({ json })) ?? [{ json: {} }],
		);
		try {
			const used = new Set([INPUT_NODE_NAME]);
			const input: INode = {
				id: randomUUID(),
				name: INPUT_NODE_NAME,
				type: INPUT_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { feed: feedId },
			};
			const nodes = options.nodes.map((spec, i) => this.toNode(spec, i, helper, used));
			const connections: IConnections = structuredClone(options.connections ?? {});
			if (!options.connections) {
				const chain = [input, ...nodes];
				for (let i = 0; i + 1 < chain.length; i++) {
					connections[chain[i].name] = {
						main: [[{ node: chain[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]],
					};
				}
			} else if (!connections[INPUT_NODE_NAME] && nodes.length > 0) {
				connections[INPUT_NODE_NAME] = {
					main: [[{ node: nodes[0].name, type: NodeConnectionTypes.Main, index: 0 }]],
				};
			}
			const settings: IWorkflowSettings = { executionOrder: 'v1', ...options.settings };
			const workflowId = `harness-wf-${id}`;
			const workflow = new Workflow({
				id: workflowId,
				name: 'Engine harness workflow',
				nodes: [input, ...nodes],
				connections,
				active: mode !== 'manual',
				nodeTypes: this.nodeTypes,
				staticData: structuredClone(options.staticData ?? {}),
				settings,
			});
			const workflowData = {
				id: workflowId,
				name: workflow.name,
				active: workflow.active,
				nodes: Object.values(workflow.nodes),
				connections,
				settings,
				createdAt: new Date(),
				updatedAt: new Date(),
			} as unknown as IWorkflowBase;

			const executionId = String(id);
			const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
			const executionOrder: string[] = [];
			hooks.addHandler('nodeExecuteAfter', (nodeName) => {
				executionOrder.push(nodeName);
			});
			const additionalData = createAdditionalData(helper, { hooks, executionId, workflowId });

			const unpaired = new Map<string, Array<{ output: number; index: number }>>();
			unpairedByExecution.set(executionId, unpaired);

			const started = performance.now();
			const execution = new WorkflowExecute(additionalData, mode).run({
				workflow,
				startNode: workflow.getNode(INPUT_NODE_NAME) ?? undefined,
			});
			const run = await withTimeout(execution, options.timeoutMs ?? 30_000, 'The workflow');
			const durationMs = performance.now() - started;
			const last = nodes.length > 0 ? nodes[nodes.length - 1].name : INPUT_NODE_NAME;
			return new WorkflowResult(
				run,
				workflow,
				helper,
				executionOrder,
				durationMs,
				last,
				plainStaticData(workflow),
				unpaired,
			);
		} finally {
			feeds.delete(feedId);
			unpairedByExecution.delete(String(id));
		}
	}

	/** Runs a polling node's poll() once, with a real PollContext and the given static data. */
	async runPoll(options: RunPollOptions): Promise<PollResult> {
		await ensureEngine();
		const id = ++sequence;
		const mode = options.mode ?? 'trigger';
		const helper = this.credentialsHelper(options.credentials);
		const node = this.toNode(options.node, 0, helper, new Set());
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.poll) throw new UnexpectedError(`Node type "${node.type}" has no poll()`);
		const workflow = new Workflow({
			id: `harness-wf-${id}`,
			name: 'Engine harness polling workflow',
			nodes: [node],
			connections: {},
			active: mode === 'trigger',
			nodeTypes: this.nodeTypes,
			staticData: structuredClone(options.staticData ?? {}),
			settings: { executionOrder: 'v1' },
		});
		const wfNode = workflow.getNode(node.name)!;
		const additionalData = createAdditionalData(helper, { workflowId: workflow.id });

		const started = performance.now();
		let items: INodeExecutionData[][] | null = null;
		let error: HarnessError | undefined;
		if (mode === 'manual') {
			try {
				const context = new PollContext(workflow, wfNode, additionalData, 'manual', 'manual');
				items = await nodeType.poll.call(context);
			} catch (e) {
				error = normalizeError(e, wfNode.name);
			}
		} else {
			const context = new PollContext(
				workflow,
				wfNode,
				additionalData,
				'trigger',
				options.activation ?? 'activate',
				(data) => {
					items = data;
				},
				(e) => {
					error = normalizeError(e, wfNode.name);
				},
			);
			const tick = Container.get(PollTriggerExecutor).create(workflow, wfNode, context, () => true);
			await tick(false);
		}
		const staticData = plainStaticData(workflow);
		return {
			items,
			staticData,
			nodeStaticData: (staticData[`node:${wfNode.name}`] as IDataObject | undefined) ?? {},
			error,
			credentials: helper,
			durationMs: performance.now() - started,
		};
	}

	private optionsContext(options: LoadOptionsOptions, kind: 'loadOptions' | 'listSearch') {
		const helper = this.credentialsHelper(options.credentials);
		const node = this.toNode(
			{
				type: options.nodeType,
				typeVersion: options.typeVersion,
				name: 'Temp-Node',
				id: 'uuid-1234',
				parameters: options.parameters ?? {},
			},
			0,
			helper,
			new Set(),
		);
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const method = nodeType.methods?.[kind]?.[options.method];
		if (typeof method !== 'function') {
			throw new UnexpectedError(`Node type "${node.type}" has no ${kind} method "${options.method}"`);
		}
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		const wfNode = workflow.getNode(node.name)!;
		const property = nodeType.description.properties.find((p) =>
			kind === 'loadOptions'
				? p.typeOptions?.loadOptionsMethod === options.method
				: (p.modes ?? []).some((m) => m.typeOptions?.searchListMethod === options.method),
		);
		const paramPath = options.path ?? `parameters.${property?.name ?? options.method}`;
		// The editor sends the node's parameters with their defaults as currentNodeParameters.
		const additionalData = createAdditionalData(helper, {
			currentNodeParameters: wfNode.parameters,
		});
		return { context: new LoadOptionsContext(workflow, wfNode, additionalData, paramPath), method };
	}

	/** Runs `methods.loadOptions[method]` with n8n-core's LoadOptionsContext. */
	async loadOptions(options: LoadOptionsOptions): Promise<INodePropertyOptions[]> {
		await ensureEngine();
		const { context, method } = this.optionsContext(options, 'loadOptions');
		return (await (method as (this: unknown) => Promise<INodePropertyOptions[]>).call(context));
	}

	/** Runs `methods.listSearch[method]` (resource locator search) with LoadOptionsContext. */
	async listSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
		await ensureEngine();
		const { context, method } = this.optionsContext(options, 'listSearch');
		return (await (
			method as (this: unknown, filter?: string, token?: string) => Promise<INodeListSearchResult>
		).call(context, options.filter, options.paginationToken)) as INodeListSearchResult;
	}

	/** The credential test n8n runs for `type` (credential `test`, or a node's `testedBy`). */
	private credentialTestFunction(
		type: string,
	): ICredentialTestFunction | ICredentialTestRequestData | undefined {
		const credentialType = this.credentialTypes.getByName(type);
		if (credentialType.test) return { testRequest: credentialType.test };
		for (const nodeName of this.credentialTypes.getSupportedNodes(type)) {
			const node = this.nodeTypes.getByName(nodeName);
			const versions: INodeType[] =
				node instanceof VersionedNodeType
					? Object.values(node.nodeVersions)
					: [node as INodeType];
			for (const nodeType of versions) {
				for (const { name, testedBy } of nodeType.description.credentials ?? []) {
					if (name !== type || !testedBy) continue;
					if (typeof testedBy === 'string') return nodeType.methods?.credentialTest?.[testedBy];
					return { nodeType, testRequest: testedBy };
				}
			}
		}
		return undefined;
	}

	/**
	 * Tests credentials as n8n's server does (CredentialsTester): defaults added, then either the
	 * node's test function, or the `test.request` sent through RoutingNode (generic authenticate
	 * applied by the credentials helper) with `test.rules` checked.
	 */
	async testCredential(options: TestCredentialOptions): Promise<INodeCredentialTestResult> {
		await ensureEngine();
		const { type } = options;
		const testFunction = this.credentialTestFunction(type);
		if (testFunction === undefined) {
			return { status: 'Error', message: 'No testing function found for this credential.' };
		}
		const helper = this.credentialsHelper({ [type]: options.data });
		const additionalData = createAdditionalData(helper);
		const credentialsDecrypted: ICredentialsDecrypted = {
			id: `cred-${type}`,
			name: type,
			type,
			data: undefined,
		};
		try {
			credentialsDecrypted.data = helper.applyDefaults(
				additionalData,
				structuredClone(options.data),
				type,
				'internal',
			);
		} catch (error) {
			return { status: 'Error', message: String((error as Error).message) };
		}

		if (typeof testFunction === 'function') {
			return await testFunction.call(new CredentialTestContext(), credentialsDecrypted);
		}

		const baseDescription: INodeTypeDescription = testFunction.nodeType?.description ?? {
			displayName: 'No Operation, do nothing',
			name: NO_OP_TYPE,
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		};
		const nodeTypeCopy: INodeType = {
			description: {
				...baseDescription,
				credentials: [{ name: type, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: testFunction.testRequest.request },
						default: '',
					},
				],
			},
		};
		const mockNodeTypes: INodeTypes = {
			getByName: () => nodeTypeCopy,
			getByNameAndVersion: () => nodeTypeCopy,
			getKnownTypes: () => ({}),
		};
		const version = nodeTypeCopy.description.version;
		const node: INode = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: nodeTypeCopy.description.name,
			typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
			position: [0, 0],
			credentials: { [type]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: mockNodeTypes,
		});
		const wfNode = workflow.getNode(node.name)!;
		const executeData: IExecuteData = { node: wfNode, data: {}, source: null };
		const context = new ExecuteContext(
			workflow,
			wfNode,
			additionalData,
			'internal',
			createEmptyRunExecutionData(),
			0,
			[],
			{ main: [[{ json: {} }]] },
			executeData,
			[],
		);
		const { rules } = testFunction.testRequest;
		let response: INodeExecutionData[][] | null | undefined;
		try {
			response = await new RoutingNode(context, nodeTypeCopy, credentialsDecrypted).runNode();
		} catch (caught) {
			const error = caught as Error & {
				cause?: { code?: string; response?: { status: number; statusText?: string } };
			};
			if (error.cause?.response) {
				const { status, statusText } = error.cause.response;
				for (const rule of rules ?? []) {
					if (rule.type === 'responseCode' && status === rule.properties.value) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
				if (status < 199 || status > 299) {
					return {
						status: 'Error',
						message: statusText || `Received HTTP status code: ${status}`,
					};
				}
			} else if (error.cause?.code) {
				return { status: 'Error', message: error.cause.code };
			}
			return { status: 'Error', message: String(error.message) };
		}
		for (const rule of rules ?? []) {
			if (rule.type !== 'responseSuccessBody') continue;
			const json = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((at, key) => (at as IDataObject | undefined)?.[key], json);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
}

// ---------------------------------------------------------------------------------------------
// Loading

const packages = new Map<string, Promise<LoadedPackage>>();

async function load(dir: string): Promise<LoadedPackage> {
	await ensureEngine();
	if (!existsSync(path.join(dir, 'package.json'))) {
		throw new UnexpectedError(`No package.json in ${dir}`);
	}
	const loader = new PackageDirectoryLoader(dir);
	const { n8n } = loader.packageJson;
	if (!n8n) throw new UnexpectedError(`${loader.packageName} has no "n8n" section in package.json`);
	for (const file of [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])]) {
		if (!existsSync(path.resolve(loader.directory, file))) {
			throw new UnexpectedError(
				`${loader.packageName}: ${file} does not exist — build the package first (npm run build)`,
			);
		}
	}
	await loader.loadAll();

	const nodeTypes = new HarnessNodeTypes();
	for (const [name, { type, sourcePath }] of Object.entries(loader.nodeTypes)) {
		instrument(type);
		nodeTypes.add(`${loader.packageName}.${name}`, type, sourcePath);
	}
	nodeTypes.add(INPUT_NODE_TYPE, new HarnessInput());

	const credentialTypes = new HarnessCredentialTypes();
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		const supported = loader.known.credentials[name]?.supportedNodes ?? [];
		credentialTypes.add(
			type,
			supported.map((node) => `${loader.packageName}.${node}`),
		);
	}
	return new LoadedPackage(loader.directory, loader.packageName, nodeTypes, credentialTypes, loader);
}

/**
 * Loads a package (default: this repository, from the files its package.json `n8n` section lists,
 * i.e. dist/) with n8n-core's PackageDirectoryLoader. Cached per directory.
 */
export async function loadPackage(dir: string = repoRoot): Promise<LoadedPackage> {
	const key = path.resolve(dir);
	let loaded = packages.get(key);
	if (!loaded) {
		loaded = load(key);
		packages.set(key, loaded);
		loaded.catch(() => packages.delete(key));
	}
	return await loaded;
}

// ---------------------------------------------------------------------------------------------
// Function API (each takes an optional `pkg`, default: this repository's package)

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowResult> {
	return await (options.pkg ?? (await loadPackage())).runWorkflow(options);
}

export async function runPoll(options: RunPollOptions): Promise<PollResult> {
	return await (options.pkg ?? (await loadPackage())).runPoll(options);
}

export async function loadOptions(options: LoadOptionsOptions): Promise<INodePropertyOptions[]> {
	return await (options.pkg ?? (await loadPackage())).loadOptions(options);
}

export async function listSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	return await (options.pkg ?? (await loadPackage())).listSearch(options);
}

export async function testCredential(
	options: TestCredentialOptions,
): Promise<INodeCredentialTestResult> {
	return await (options.pkg ?? (await loadPackage())).testCredential(options);
}

/** pairedItem of an item as a list (n8n allows a number, an object or an array). */
export function pairedItems(item: INodeExecutionData): IPairedItemData[] {
	const { pairedItem } = item;
	if (pairedItem === undefined) return [];
	if (typeof pairedItem === 'number') return [{ item: pairedItem }];
	return Array.isArray(pairedItem) ? pairedItem : [pairedItem];
}

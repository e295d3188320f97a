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
 * Webhook triggers go through n8n's publish lifecycle and request handling, with n8n-core's
 * HookContext (webhookMethods checkExists/create/delete) and WebhookContext (webhook()):
 *
 *   const active = await activateWebhooks({ node: { type: 'chatApiTrigger' }, credentials });
 *   // active.webhookUrl = http://127.0.0.1:5678/webhook/<webhookId>/webhook, active.created = true
 *   const call = await callWebhook({
 *     node: { type: 'chatApiTrigger' }, credentials, staticData: active.staticData,
 *     request: { query: { secret }, body: { events: [...] } },
 *   });
 *   // call.workflowData[0] = the items; call.response = what the node answered itself (e.g. a 401)
 *   const after = await deactivateWebhooks({ node: { type: 'chatApiTrigger' }, credentials, staticData: call.staticData });
 *
 * and through a test listen ("Listen for test event" in the editor), which n8n runs with a
 * throw-away static data of the test's own and ends with delete():
 *
 *   const test = await listenForTestEvent({ node: { type: 'chatApiTrigger' }, credentials });
 *   // test.testUrl = …/webhook-test/<webhookId>/webhook; test.error = what the editor would show
 *   await endTestListen({ node: { type: 'chatApiTrigger' }, credentials, staticData: test.staticData });
 *
 * See test/engine/harness.test.ts for every function at work.
 */
// Must stay the first import: sets N8N_USER_FOLDER & co before n8n-core is loaded.
import { userFolder } from './engine/env';

import { Container } from '@n8n/di';
import {
	DataDeduplicationService,
	BinaryDataService,
	CredentialTestContext,
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	HookContext,
	InstanceSettings,
	LoadOptionsContext,
	PackageDirectoryLoader,
	PollContext,
	PollTriggerExecutor,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
	validateUrlSignature,
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
	IWebhookData,
	IWebhookResponseData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	NodeConnectionTypes,
	UnexpectedError,
	VersionedNodeType,
	Workflow,
	createEmptyRunExecutionData,
	createRunExecutionData,
	isNodeClassInstance,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { type CredentialsMap, TestCredentialsHelper } from './engine/credentials';
import { HarnessDeduplicator, ProcessedDataStore } from './engine/processed-data';
import { HarnessCredentialTypes, HarnessNodeTypes } from './engine/registry';
import {
	HarnessWebhookResponse,
	type HarnessWebhookRequest,
	type HeaderValue,
	type WebhookHttpResponse,
	type WebhookRequestSpec,
	createWebhookRequest,
	dynamicParams,
	listNodeWebhooks,
	parseWebhookRequestBody,
	stableWebhookId,
} from './engine/webhooks';

export { TestCredentialsHelper, type CredentialsMap } from './engine/credentials';
export { HarnessCredentialTypes, HarnessNodeTypes } from './engine/registry';
export { ProcessedDataStore } from './engine/processed-data';
export {
	HarnessWebhookResponse,
	type HarnessWebhookRequest,
	type WebhookHttpResponse,
	type WebhookRequestSpec,
	stableWebhookId,
} from './engine/webhooks';
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
	engineReady ??= Promise.all([Container.get(BinaryDataService).init(), DataDeduplicationService.init(deduplicator)]).then(() => undefined);
	await engineReady;
}

/** n8n's store of processed items (checkProcessedAndRecord), in memory: see engine/processed-data.ts. */
const deduplicator = new HarnessDeduplicator();

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

/** A webhook trigger node with what n8n keeps for it between calls. */
export interface WebhookNodeOptions {
	pkg?: LoadedPackage;
	/**
	 * The trigger node. Without a `webhookId` one is derived from its type and name, so the same
	 * spec gets the same URL in activateWebhooks, callWebhook and deactivateWebhooks.
	 */
	node: NodeSpec;
	credentials?: CredentialsMap;
	/** Workflow static data as n8n saved it last (`staticData` of the previous result). */
	staticData?: IDataObject;
	/** The instance's public URL (n8n's WEBHOOK_URL); default http://127.0.0.1:5678. */
	webhookBaseUrl?: string;
}

export interface ActivateWebhooksOptions extends WebhookNodeOptions {
	/**
	 * Why the workflow is activated: 'activate' (published, the default), 'init' (n8n starting
	 * up with the workflow published), 'update' (republished), 'leadershipChange'. Nodes read it
	 * with getActivationMode().
	 */
	activation?: WorkflowActivateMode;
}

/** A webhookMethods call the harness made, in order. */
export interface WebhookMethodCall {
	method: 'checkExists' | 'create' | 'delete';
	/** The webhook description's name ('default', 'setup', …). */
	webhookName: string;
	httpMethod: string;
	/** What the method returned; undefined when it threw. */
	result?: boolean;
	error?: HarnessError;
	/** Made while n8n cleans up after a failed activation (delete on the previously saved static data). */
	cleanup?: boolean;
}

export interface ActivateWebhooksResult {
	/** The node's webhookId (given, or derived from type and name). */
	webhookId: string;
	/** Production URL of the 'default' webhook (else of the first one), as getNodeWebhookUrl gives it. */
	webhookUrl: string;
	/** Production URL per webhook name. */
	webhookUrls: Record<string, string>;
	/** Whether create() ran: checkExists() did not answer true for some webhook. */
	created: boolean;
	calls: WebhookMethodCall[];
	/** Workflow static data as n8n saves it after activation (unchanged when the node changed nothing). */
	staticData: IDataObject;
	/** The node's part of it (`getWorkflowStaticData('node')`). */
	nodeStaticData: IDataObject;
	/**
	 * Activation failed (checkExists/create threw): n8n reports this error and un-publishes; it
	 * first ran delete() for every webhook, on the static data saved before (see `calls`).
	 */
	error?: HarnessError;
	node: INode;
	credentials: TestCredentialsHelper;
}

export interface DeactivateWebhooksResult {
	/** Workflow static data as n8n saves it after deactivation. */
	staticData: IDataObject;
	nodeStaticData: IDataObject;
	/** Whether every delete() that ran returned true (n8n itself ignores the value). */
	deleted: boolean;
	calls: WebhookMethodCall[];
	/** delete() threw: n8n logs it and deactivates anyway (the static data is then not saved). */
	error?: HarnessError;
	credentials: TestCredentialsHelper;
}

export interface TestListenOptions extends Omit<WebhookNodeOptions, 'staticData'> {}

export interface EndTestListenOptions extends Omit<WebhookNodeOptions, 'staticData'> {
	/** The test's static data (`staticData` of listenForTestEvent's result), which n8n keeps with the test registration. */
	staticData: IDataObject;
}

export interface TestListenResult {
	/** Test URL of the 'default' webhook (else of the first one), as getNodeWebhookUrl gives it while testing. */
	testUrl: string;
	calls: WebhookMethodCall[];
	/**
	 * The test's static data: it starts empty whatever the published workflow saved (n8n never
	 * passes that to a test) and is kept with the test registration, not saved.
	 */
	staticData: IDataObject;
	nodeStaticData: IDataObject;
	/**
	 * checkExists/create threw: n8n answers the editor's request with this error and listens for
	 * nothing; it first ran delete() for the webhooks registered so far (see `calls`).
	 */
	error?: HarnessError;
	credentials: TestCredentialsHelper;
}

export interface EndTestListenResult {
	calls: WebhookMethodCall[];
	staticData: IDataObject;
	nodeStaticData: IDataObject;
	error?: HarnessError;
	credentials: TestCredentialsHelper;
}

export interface CallWebhookOptions extends WebhookNodeOptions {
	/** The incoming HTTP request; everything has a default (see WebhookRequestSpec). */
	request?: WebhookRequestSpec;
	/** Which webhook description receives the call (getWebhookName()); default 'default'. */
	webhookName?: string;
}

export interface CallWebhookResult {
	/** What webhook() returned as workflowData: the items that start the workflow; undefined: no run. */
	workflowData: INodeExecutionData[][] | undefined;
	/** webhookResponse webhook() returned (n8n sends it when there is no workflowData). */
	webhookResponse: unknown;
	/** webhook() answered the request itself through getResponseObject(). */
	noWebhookResponse: boolean;
	/** What the node wrote through getResponseObject(); undefined when it did not use it. */
	response: WebhookHttpResponse | undefined;
	/** The whole object webhook() returned. */
	result: IWebhookResponseData | undefined;
	/**
	 * Workflow static data as n8n saves it after the call: with the changes webhook() made when
	 * it returned normally; the previous data when it threw (n8n then discards the changes).
	 */
	staticData: IDataObject;
	nodeStaticData: IDataObject;
	/** Whether webhook() changed the static data (n8n's __dataChanged). */
	staticDataChanged: boolean;
	/**
	 * webhook() threw (n8n answers 500 "Workflow could not be started!" and records a failed
	 * execution), or the body did not parse (n8n answers 422 without calling webhook(); httpCode '422').
	 */
	error?: HarnessError;
	/** The request the node saw. */
	request: HarnessWebhookRequest;
	/** The URL that was called. */
	webhookUrl: string;
	credentials: TestCredentialsHelper;
	durationMs: number;
}

export interface TriggerWebhookWorkflowOptions extends CallWebhookOptions {
	/**
	 * n8n's store of processed items as an earlier run left it (its `processedData`); default: empty.
	 * A real n8n keeps it in its database for the workflow, across executions and processes.
	 */
	processedData?: ProcessedDataStore;
	/** Mode of the execution: 'webhook' (default: a published workflow) or 'manual' (a test run). */
	mode?: 'webhook' | 'manual';
	/** Nodes after the trigger; without `connections` they are chained trigger → nodes[0] → … */
	nodes?: NodeSpec[];
	connections?: IConnections;
	settings?: IWorkflowSettings;
	timeoutMs?: number;
}

export interface TriggerWebhookWorkflowResult extends CallWebhookResult {
	/**
	 * The execution the webhook started (mode 'webhook', from the trigger's items), undefined when
	 * webhook() returned no workflowData. Its static data starts from the data before the call:
	 * n8n reloads it from the database before it saves the webhook's changes.
	 */
	run?: WorkflowResult;
	/** n8n's store of processed items after the run, for the next one. */
	processedData: ProcessedDataStore;
}


export interface WaitingWebhookOptions {
	/** The waiting execution (runWorkflow's result with status 'waiting'), or a resumed one that waits again. */
	waiting: WorkflowResult;
	/**
	 * The URL called: `<instance>/webhook-waiting/<execution id>/<node id>?…`, e.g. the link a Send
	 * and Wait node sent (signature included).
	 */
	url: string;
	/** Default GET. */
	method?: string;
	headers?: Record<string, HeaderValue>;
	/**
	 * Fields of a multipart/form-data form, as a browser posts a page's form: the node gets what
	 * n8n's multipart parser gives, `{ data: fields, files: {} }` (a list = a repeated field).
	 */
	form?: Record<string, string | string[]>;
	/** Any other body, as in WebhookRequestSpec (JSON, string, Buffer). */
	body?: unknown;
	timeoutMs?: number;
}

export interface WaitingWebhookResult {
	/**
	 * What n8n answers: the node's own response, or n8n's: 401 (bad signature), 404 (no such
	 * execution or webhook), 409 (finished with an error, or not waiting), 415 (a custom form posted
	 * without multipart), 200 "no action required" for a Send and Wait request that is over.
	 */
	status: number;
	/** What the node wrote, or n8n's page / JSON for the cases above. */
	response: WebhookHttpResponse | undefined;
	/** n8n's "no action required" page was shown (the execution is over). */
	noActionRequired: boolean;
	/** webhook() returned workflowData: the execution resumed with it (see `run`). */
	workflowData?: INodeExecutionData[][];
	/** The resumed execution, when the call resumed it. */
	run?: WorkflowResult;
	/** webhook() threw. */
	error?: HarnessError;
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

/** What the harness keeps to go on with a waiting execution (see callWaitingWebhook). */
interface Resumable {
	id: number;
	mode: WorkflowExecuteMode;
	connections: IConnections;
	helper: TestCredentialsHelper;
	baseUrl: string;
}

export class WorkflowResult {
	/** Set by the harness: the execution's id and what resuming it needs. */
	resumable?: Resumable;

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

	/** The execution's ID (what n8n puts in its resume URLs). */
	get executionId(): string | undefined {
		return this.resumable && String(this.resumable.id);
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

/** The instance's public URL n8n builds its URLs from (WEBHOOK_URL / N8N_EDITOR_BASE_URL). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:5678';

/** The URLs of IWorkflowExecuteAdditionalData for an instance reached at `base`. */
function instanceUrls(base: string) {
	const b = base.replace(/\/+$/, '');
	return {
		restApiUrl: `${b}/rest`,
		instanceBaseUrl: `${b}/`,
		formBaseUrl: `${b}/form`,
		formWaitingBaseUrl: `${b}/form-waiting`,
		formTestBaseUrl: `${b}/form-test`,
		webhookBaseUrl: `${b}/webhook`,
		webhookWaitingBaseUrl: `${b}/webhook-waiting`,
		webhookTestBaseUrl: `${b}/webhook-test`,
		mcpBaseUrl: `${b}/mcp`,
		mcpTestBaseUrl: `${b}/mcp-test`,
	};
}

function createAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
	baseUrl: string = DEFAULT_BASE_URL,
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
		...instanceUrls(baseUrl),
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

/**
 * Static data as n8n's WorkflowStaticDataService.saveStaticData leaves it: the workflow's when it
 * is marked changed (__dataChanged) and n8n saves at this point, else what was saved before.
 */
function savedStaticData(workflow: Workflow, before: IDataObject | undefined, save = true): IDataObject {
	if (save && workflow.staticData.__dataChanged === true) return plainStaticData(workflow);
	return structuredClone(before ?? {});
}

function nodeStaticDataOf(staticData: IDataObject, nodeName: string): IDataObject {
	return (staticData[`node:${nodeName}`] as IDataObject | undefined) ?? {};
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

	/** Runs a prepared workflow through n8n-core's WorkflowExecute with lifecycle hooks. */
	private async execute(args: {
		id: number;
		workflow: Workflow;
		connections: IConnections;
		mode: WorkflowExecuteMode;
		helper: TestCredentialsHelper;
		lastNode: string;
		timeoutMs?: number;
		baseUrl?: string;
		start: (additionalData: IWorkflowExecuteAdditionalData) => Promise<IRun> & { cancel?: () => void };
	}): Promise<WorkflowResult> {
		const { id, workflow, connections, mode, helper } = args;
		const workflowData = {
			id: workflow.id,
			name: workflow.name,
			active: workflow.active,
			nodes: Object.values(workflow.nodes),
			connections,
			settings: workflow.settings,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as unknown as IWorkflowBase;

		const executionId = String(id);
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		const executionOrder: string[] = [];
		hooks.addHandler('nodeExecuteAfter', (nodeName) => {
			executionOrder.push(nodeName);
		});
		const additionalData = createAdditionalData(
			helper,
			{ hooks, executionId, workflowId: workflow.id },
			args.baseUrl,
		);

		const unpaired = new Map<string, Array<{ output: number; index: number }>>();
		unpairedByExecution.set(executionId, unpaired);
		try {
			const started = performance.now();
			const run = await withTimeout(args.start(additionalData), args.timeoutMs ?? 30_000, 'The workflow');
			const durationMs = performance.now() - started;
			const result = new WorkflowResult(
				run,
				workflow,
				helper,
				executionOrder,
				durationMs,
				args.lastNode,
				plainStaticData(workflow),
				unpaired,
			);
			result.resumable = { id, mode, connections, helper, baseUrl: args.baseUrl ?? DEFAULT_BASE_URL };
			return result;
		} finally {
			unpairedByExecution.delete(executionId);
		}
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
			const last = nodes.length > 0 ? nodes[nodes.length - 1].name : INPUT_NODE_NAME;
			return await this.execute({
				id,
				workflow,
				connections,
				mode,
				helper,
				lastNode: last,
				timeoutMs: options.timeoutMs,
				start: (additionalData) =>
					new WorkflowExecute(additionalData, mode).run({
						workflow,
						startNode: workflow.getNode(INPUT_NODE_NAME) ?? undefined,
					}),
			});
		} finally {
			feeds.delete(feedId);
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

	// -----------------------------------------------------------------------------------------
	// Webhook triggers

	/**
	 * The published workflow around a webhook trigger: the trigger (webhookId given or derived
	 * from type and name) followed by `extra` nodes, with the saved static data, and the base
	 * additional data n8n's server builds for webhook work (instance URLs from webhookBaseUrl).
	 */
	private webhookWorkflow(
		options: WebhookNodeOptions,
		helper: TestCredentialsHelper,
		extra: { nodes?: NodeSpec[]; connections?: IConnections; settings?: IWorkflowSettings; test?: boolean } = {},
	) {
		const id = ++sequence;
		const used = new Set<string>();
		const node = this.toNode(options.node, 0, helper, used);
		node.webhookId ??= stableWebhookId(`${node.type}:${node.name}`);
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.description.webhooks?.length) {
			throw new UnexpectedError(`Node type "${node.type}" has no webhooks in its description`);
		}
		const rest = (extra.nodes ?? []).map((spec, i) => this.toNode(spec, i + 1, helper, used));
		const connections: IConnections = structuredClone(extra.connections ?? {});
		if (!extra.connections) {
			const chain = [node, ...rest];
			for (let i = 0; i + 1 < chain.length; i++) {
				connections[chain[i].name] = {
					main: [[{ node: chain[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]],
				};
			}
		}
		const workflow = new Workflow({
			id: `harness-wf-${id}`,
			name: 'Engine harness webhook workflow',
			nodes: [node, ...rest],
			connections,
			// n8n's TestWebhooks: never active, and static data of the test's own
			active: extra.test !== true,
			nodeTypes: this.nodeTypes,
			staticData: structuredClone(options.staticData ?? {}),
			settings: { executionOrder: 'v1', ...extra.settings },
		});
		const wfNode = workflow.getNode(node.name)!;
		const baseUrl = options.webhookBaseUrl ?? DEFAULT_BASE_URL;
		const additionalData = createAdditionalData(helper, { workflowId: workflow.id }, baseUrl);
		return { id, workflow, node: wfNode, nodeType, connections, additionalData, baseUrl, rest };
	}

	/** WebhookService.runWebhookMethod: the node's webhookMethods[name][method] with a HookContext. */
	private async runWebhookMethod(
		method: WebhookMethodCall['method'],
		workflow: Workflow,
		webhookData: IWebhookData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		calls: WebhookMethodCall[],
		cleanup = false,
	): Promise<boolean | undefined> {
		const node = workflow.getNode(webhookData.node)!;
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const fn = nodeType.webhookMethods?.[webhookData.webhookDescription.name]?.[method];
		if (fn === undefined) return undefined;
		const call: WebhookMethodCall = {
			method,
			webhookName: webhookData.webhookDescription.name,
			httpMethod: webhookData.httpMethod,
		};
		if (cleanup) call.cleanup = true;
		calls.push(call);
		const context = new HookContext(
			workflow,
			node,
			webhookData.workflowExecuteAdditionalData,
			mode,
			activation,
			webhookData,
		);
		try {
			call.result = await fn.call(context);
			return call.result;
		} catch (error) {
			call.error = normalizeError(error, node.name);
			throw error;
		}
	}

	/**
	 * ActiveWorkflowManager's deregisterWebhooks: delete() for every webhook (mode 'internal',
	 * activation 'update', as n8n runs it), stopping at the first error.
	 */
	private async deregister(
		setup: ReturnType<LoadedPackage['webhookWorkflow']>,
		calls: WebhookMethodCall[],
		cleanup = false,
	): Promise<{ deleted: boolean; error?: HarnessError }> {
		const { workflow, node, nodeType, additionalData } = setup;
		let deleted = true;
		try {
			await workflow.expression.withIsolate(async () => {
				for (const webhookData of listNodeWebhooks(workflow, node, nodeType, additionalData, true)) {
					const result = await this.runWebhookMethod(
						'delete',
						workflow,
						webhookData,
						'internal',
						'update',
						calls,
						cleanup,
					);
					if (result !== undefined && result !== true) deleted = false;
				}
			});
		} catch (error) {
			return { deleted: false, error: normalizeError(error, node.name) };
		}
		return { deleted };
	}

	/** Production URL per webhook name, as the node's getNodeWebhookUrl(name) gives it. */
	private webhookUrls(setup: ReturnType<LoadedPackage['webhookWorkflow']>) {
		const { workflow, node, nodeType, additionalData } = setup;
		const context = new HookContext(workflow, node, additionalData, 'trigger', 'activate');
		const urls: Record<string, string> = {};
		for (const { name } of nodeType.description.webhooks ?? []) {
			const url = context.getNodeWebhookUrl(name);
			if (url !== undefined && !(name in urls)) urls[name] = url;
		}
		return { urls, url: urls.default ?? Object.values(urls)[0] ?? '' };
	}

	/**
	 * Publishes the trigger as n8n does (ActiveWorkflowManager.addWebhooks): for each webhook of
	 * the node, webhookMethods.checkExists() and, unless it answered true, create(), through
	 * n8n-core's HookContext (mode 'trigger'); then the static data is saved if it changed.
	 * When checkExists/create throws, delete() runs for every webhook on the static data saved
	 * before (n8n's clean-up) and the result carries the error.
	 */
	async activateWebhooks(options: ActivateWebhooksOptions): Promise<ActivateWebhooksResult> {
		await ensureEngine();
		const helper = this.credentialsHelper(options.credentials);
		const setup = this.webhookWorkflow(options, helper);
		const { workflow, node, nodeType, additionalData } = setup;
		const { urls, url } = this.webhookUrls(setup);
		const activation = options.activation ?? 'activate';
		const calls: WebhookMethodCall[] = [];
		let created = false;
		let error: HarnessError | undefined;
		try {
			await workflow.expression.withIsolate(async () => {
				for (const webhookData of listNodeWebhooks(workflow, node, nodeType, additionalData, true)) {
					const exists = await this.runWebhookMethod(
						'checkExists',
						workflow,
						webhookData,
						'trigger',
						activation,
						calls,
					);
					if (!exists) {
						const before = calls.length;
						await this.runWebhookMethod('create', workflow, webhookData, 'trigger', activation, calls);
						if (calls.length > before) created = true;
					}
				}
			});
		} catch (caught) {
			error = normalizeError(caught, node.name);
		}
		let staticData: IDataObject;
		if (error) {
			// clearWebhooks: the workflow as saved (the activation's changes were never saved)
			const saved = this.webhookWorkflow(options, helper);
			const cleanup = await this.deregister(saved, calls, true);
			staticData = savedStaticData(saved.workflow, options.staticData, cleanup.error === undefined);
		} else {
			staticData = savedStaticData(workflow, options.staticData);
		}
		return {
			webhookId: node.webhookId!,
			webhookUrl: url,
			webhookUrls: urls,
			created: error ? false : created,
			calls,
			staticData,
			nodeStaticData: nodeStaticDataOf(staticData, node.name),
			error,
			node,
			credentials: helper,
		};
	}

	/**
	 * Unpublishes the trigger as n8n does (ActiveWorkflowManager.clearWebhooks): delete() for every
	 * webhook of the node, through HookContext with mode 'internal' and activation 'update', on
	 * the saved static data; then the static data is saved if it changed.
	 */
	async deactivateWebhooks(options: WebhookNodeOptions): Promise<DeactivateWebhooksResult> {
		await ensureEngine();
		const helper = this.credentialsHelper(options.credentials);
		const setup = this.webhookWorkflow(options, helper);
		const calls: WebhookMethodCall[] = [];
		const { deleted, error } = await this.deregister(setup, calls);
		const staticData = savedStaticData(setup.workflow, options.staticData, error === undefined);
		return {
			staticData,
			nodeStaticData: nodeStaticDataOf(staticData, setup.node.name),
			deleted,
			calls,
			error,
			credentials: helper,
		};
	}

	/** The webhook of `setup`'s trigger that receives `request` (by name and HTTP method). */
	private selectWebhook(
		setup: ReturnType<LoadedPackage['webhookWorkflow']>,
		webhookName: string,
		method?: string,
	): IWebhookData {
		const { workflow, node, nodeType, additionalData } = setup;
		const all = listNodeWebhooks(workflow, node, nodeType, additionalData);
		const named = all.filter((w) => w.webhookDescription.name === webhookName);
		if (named.length === 0) {
			const names = [...new Set(all.map((w) => w.webhookDescription.name))].join(', ');
			throw new UnexpectedError(
				`Node type "${node.type}" has no webhook named "${webhookName}" (it has: ${names || 'none'})`,
			);
		}
		if (method === undefined) return named[0];
		const match = named.find((w) => w.httpMethod.toUpperCase() === method.toUpperCase());
		if (!match) {
			throw new UnexpectedError(
				`The "${webhookName}" webhook of "${node.type}" does not take ${method.toUpperCase()} (only ${named
					.map((w) => w.httpMethod)
					.join(', ')}); n8n would answer 404`,
			);
		}
		return match;
	}

	/** Runs the trigger's webhook() for one request, as LiveWebhooks + WebhookService.runWebhook do. */
	private async invokeWebhook(
		setup: ReturnType<LoadedPackage['webhookWorkflow']>,
		options: CallWebhookOptions,
		helper: TestCredentialsHelper,
	): Promise<CallWebhookResult> {
		const { workflow, node, nodeType, additionalData, baseUrl } = setup;
		const spec = options.request ?? {};
		const webhookData = this.selectWebhook(setup, options.webhookName ?? 'default', spec.method);
		const method = (spec.method ?? webhookData.httpMethod).toUpperCase();

		// webhookData.path is `<webhookId>/<path>` (or the full path); the caller may change <path>.
		const prefix = webhookData.path.startsWith(`${node.webhookId}/`) ? `${node.webhookId}/` : '';
		const registered = webhookData.path.slice(prefix.length);
		const called = (spec.path ?? registered).replace(/^\/+/, '');
		const calledPath = called.split('?')[0];
		const params = registered.split('/').some((s) => s.startsWith(':'))
			? dynamicParams(registered, calledPath)
			: {};
		const endpoint = new URL(additionalData.webhookBaseUrl).pathname.replace(/\/+$/, '');
		const request = createWebhookRequest(spec, {
			method,
			urlPath: `${endpoint}/${prefix}${called}`,
			params,
			baseUrl,
		});
		const webhookUrl = `${additionalData.webhookBaseUrl}/${prefix}${calledPath}`;
		const response = new HarnessWebhookResponse();
		const started = performance.now();
		const finish = (
			fields: Partial<CallWebhookResult> & Pick<CallWebhookResult, 'staticData'>,
		): CallWebhookResult => ({
			workflowData: undefined,
			webhookResponse: undefined,
			noWebhookResponse: false,
			response: response.snapshot(),
			result: undefined,
			nodeStaticData: nodeStaticDataOf(fields.staticData, node.name),
			staticDataChanged: workflow.staticData.__dataChanged === true,
			request,
			webhookUrl,
			credentials: helper,
			durationMs: performance.now() - started,
			...fields,
		});

		try {
			await parseWebhookRequestBody(request, node.typeVersion);
		} catch (caught) {
			const error = normalizeError(caught, node.name);
			error.httpCode = '422';
			return finish({ error, staticData: savedStaticData(workflow, options.staticData, false) });
		}

		additionalData.httpRequest = request as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = response as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
		const closeFunctions: Array<() => Promise<void>> = [];
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			closeFunctions,
			null,
		);
		let result: IWebhookResponseData | undefined;
		let error: HarnessError | undefined;
		try {
			await workflow.expression.withIsolate(async () => {
				const webhook = nodeType.webhook as unknown as (
					this: unknown,
					context?: unknown,
				) => Promise<IWebhookResponseData>;
				result = isNodeClassInstance(nodeType)
					? await webhook.call(nodeType, context)
					: await webhook.call(context);
			});
		} catch (caught) {
			error = normalizeError(caught, node.name);
		} finally {
			await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
		}
		const out = result as IWebhookResponseData | undefined;
		return finish({
			workflowData: out?.workflowData,
			webhookResponse: out?.webhookResponse,
			noWebhookResponse: out?.noWebhookResponse === true,
			result: out,
			error,
			staticData: savedStaticData(workflow, options.staticData, error === undefined),
		});
	}

	/** The trigger's webhooks as n8n's TestWebhooks registers them (isTest: getNodeWebhookUrl gives test URLs). */
	private testWebhooks(setup: ReturnType<LoadedPackage['webhookWorkflow']>): IWebhookData[] {
		const { workflow, node, nodeType, additionalData } = setup;
		return listNodeWebhooks(workflow, node, nodeType, additionalData, true).map((webhook) => ({ ...webhook, isTest: true }));
	}

	/** delete() for `webhooks` as TestWebhooks.deactivateWebhooks runs it (mode 'internal', activation 'update'). */
	private async deleteTestWebhooks(setup: ReturnType<LoadedPackage['webhookWorkflow']>, webhooks: IWebhookData[], calls: WebhookMethodCall[], cleanup = false) {
		const { workflow, node } = setup;
		try {
			await workflow.expression.withIsolate(async () => {
				for (const webhookData of webhooks) await this.runWebhookMethod('delete', workflow, webhookData, 'internal', 'update', calls, cleanup);
			});
			return undefined;
		} catch (error) {
			return normalizeError(error, node.name);
		}
	}

	/**
	 * "Listen for test event" / "Execute step" on the trigger, as n8n's TestWebhooks.needsWebhook
	 * does it: the workflow is not active and its static data starts empty; for each webhook,
	 * checkExists() and, unless it answered true, create(), with mode and activation 'manual'.
	 * When one throws, delete() runs for the webhooks registered so far and the result carries the
	 * error (the editor shows it and stops listening).
	 */
	async listenForTestEvent(options: TestListenOptions): Promise<TestListenResult> {
		await ensureEngine();
		const helper = this.credentialsHelper(options.credentials);
		const setup = this.webhookWorkflow({ ...options, staticData: {} }, helper, { test: true });
		const { workflow, node } = setup;
		const webhooks = this.testWebhooks(setup);
		const calls: WebhookMethodCall[] = [];
		const registered: IWebhookData[] = [];
		let error: HarnessError | undefined;
		try {
			await workflow.expression.withIsolate(async () => {
				for (const webhookData of webhooks) {
					registered.push(webhookData);
					const exists = await this.runWebhookMethod('checkExists', workflow, webhookData, 'manual', 'manual', calls);
					if (!exists) await this.runWebhookMethod('create', workflow, webhookData, 'manual', 'manual', calls);
				}
			});
		} catch (caught) {
			error = normalizeError(caught, node.name);
			await this.deleteTestWebhooks(setup, registered, calls, true);
		}
		const context = new HookContext(workflow, node, setup.additionalData, 'manual', 'manual', webhooks[0]);
		const staticData = plainStaticData(workflow);
		return {
			testUrl: context.getNodeWebhookUrl('default') ?? context.getNodeWebhookUrl(webhooks[0].webhookDescription.name) ?? '',
			calls,
			staticData,
			nodeStaticData: nodeStaticDataOf(staticData, node.name),
			error,
			credentials: helper,
		};
	}

	/**
	 * The end of a test listen (an event arrived, the user stopped it, or it timed out), as
	 * TestWebhooks.deactivateWebhooks runs it: delete() for each webhook on the test's static data.
	 */
	async endTestListen(options: EndTestListenOptions): Promise<EndTestListenResult> {
		await ensureEngine();
		const helper = this.credentialsHelper(options.credentials);
		const setup = this.webhookWorkflow(options, helper, { test: true });
		const calls: WebhookMethodCall[] = [];
		const error = await this.deleteTestWebhooks(setup, this.testWebhooks(setup), calls);
		const staticData = plainStaticData(setup.workflow);
		return { calls, staticData, nodeStaticData: nodeStaticDataOf(staticData, setup.node.name), error, credentials: helper };
	}

	/**
	 * Sends one HTTP request to the trigger's production webhook: n8n's body parsing, then the
	 * node's webhook() with n8n-core's WebhookContext (mode 'webhook') and an express-like
	 * request/response pair. Starts no workflow run (see triggerWebhookWorkflow).
	 */
	async callWebhook(options: CallWebhookOptions): Promise<CallWebhookResult> {
		await ensureEngine();
		const helper = this.credentialsHelper(options.credentials);
		return await this.invokeWebhook(this.webhookWorkflow(options, helper), options, helper);
	}

	/**
	 * callWebhook, then — when webhook() returned workflowData — the execution n8n starts from it:
	 * trigger → `nodes` through WorkflowExecute in mode 'webhook', the trigger's items as its output.
	 */
	async triggerWebhookWorkflow(options: TriggerWebhookWorkflowOptions): Promise<TriggerWebhookWorkflowResult> {
		await ensureEngine();
		const helper = this.credentialsHelper(options.credentials);
		const setup = this.webhookWorkflow(options, helper, options);
		const called = await this.invokeWebhook(setup, options, helper);
		const processedData = options.processedData ?? new ProcessedDataStore();
		const { workflowData } = called;
		if (workflowData === undefined || called.error) return { ...called, processedData };

		// A fresh workflow as WorkflowRunner builds it: static data reloaded as saved before the call.
		const execution = this.webhookWorkflow(options, helper, options);
		deduplicator.use(execution.workflow.id, processedData);
		const { workflow, node, connections, rest } = execution;
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: workflowData }, source: null }] },
		});
		const run = await this.execute({
			id: execution.id,
			workflow,
			connections,
			mode: options.mode ?? 'webhook',
			helper,
			lastNode: rest.length > 0 ? rest[rest.length - 1].name : node.name,
			timeoutMs: options.timeoutMs,
			baseUrl: execution.baseUrl,
			start: (additionalData) =>
				new WorkflowExecute(additionalData, options.mode ?? 'webhook', runExecutionData).processRunExecutionData(workflow),
		});
		return { ...called, run, processedData };
	}

	// -----------------------------------------------------------------------------------------
	// Waiting executions (n8n's WaitingWebhooks and WaitTracker)

	/** A fresh Workflow of a finished run, as n8n rebuilds it from the execution's saved workflow. */
	private reloadWorkflow(result: WorkflowResult): Workflow {
		const { workflow } = result;
		return new Workflow({
			id: workflow.id,
			name: workflow.name,
			nodes: structuredClone(Object.values(workflow.nodes)),
			connections: structuredClone(result.resumable!.connections),
			active: workflow.active,
			nodeTypes: this.nodeTypes,
			staticData: structuredClone(result.staticData),
			settings: structuredClone(workflow.settings),
		});
	}

	/** Goes on with a waiting execution's data, as WorkflowRunner does when it resumes one. */
	private async continueExecution(result: WorkflowResult, workflow: Workflow, data: IRun['data'], timeoutMs?: number) {
		const { id, mode, connections, helper, baseUrl } = result.resumable!;
		const nodes = Object.values(workflow.nodes);
		return await this.execute({
			id,
			workflow,
			connections,
			mode,
			helper,
			lastNode: nodes[nodes.length - 1].name,
			timeoutMs,
			baseUrl,
			start: (additionalData) => new WorkflowExecute(additionalData, mode, data).processRunExecutionData(workflow),
		});
	}

	/**
	 * The wait limit is reached: WaitTracker resumes the execution as saved (WorkflowExecute then
	 * passes on what the waiting node's stack entry holds).
	 */
	async resumeAfterWaitLimit(waiting: WorkflowResult, timeoutMs?: number): Promise<WorkflowResult> {
		await ensureEngine();
		if (waiting.status !== 'waiting' || !waiting.resumable) throw new UnexpectedError('The execution is not waiting');
		const data = JSON.parse(JSON.stringify(waiting.run.data)) as IRun['data'];
		data.waitTill = new Date(waiting.run.waitTill ?? Date.now());
		return await this.continueExecution(waiting, this.reloadWorkflow(waiting), data, timeoutMs);
	}

	/**
	 * A request to a waiting execution's restart webhook, as n8n's WaitingWebhooks handles it:
	 * the execution found by the URL's execution ID; for a node whose operation is `sendAndWait`,
	 * the URL's signature checked with the instance's HMAC secret (n8n 2.x; otherwise n8n checks
	 * the execution's resume token, which the harness does not model); "no action required" once
	 * the execution is over; the waiting node's restart webhook for the method and node-ID path;
	 * its webhook() with n8n-core's WebhookContext on the execution's data; and, when it returns
	 * workflowData, the execution going on from there with it.
	 */
	async callWaitingWebhook(options: WaitingWebhookOptions): Promise<WaitingWebhookResult> {
		await ensureEngine();
		const { waiting } = options;
		if (!waiting.resumable) throw new UnexpectedError('Not an execution of the harness');
		const method = (options.method ?? 'GET').toUpperCase();
		const url = new URL(options.url);
		const n8nAnswer = (status: number, body: unknown, noActionRequired = false): WaitingWebhookResult => {
			const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
			const headers = { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8' };
			return { status, response: { status, headers, body, rawBody, ended: true }, noActionRequired };
		};
		const [endpoint, executionId, suffix] = url.pathname.split('/').filter(Boolean);
		const base = new URL(`${waiting.resumable.baseUrl.replace(/\/+$/, '')}/webhook-waiting`);
		if (`/${endpoint}` !== base.pathname || executionId !== waiting.executionId) {
			return n8nAnswer(404, { code: 404, message: `The execution "${executionId}" does not exist.` });
		}
		const workflow = this.reloadWorkflow(waiting);
		const isSendAndWait = Object.values(workflow.nodes).some((node) => node.id === suffix && node.parameters.operation === 'sendAndWait');
		if (isSendAndWait) {
			const signature = url.searchParams.get('signature') ?? '';
			const valid = signature !== '' && validateUrlSignature(signature, url, Container.get(InstanceSettings).hmacSignatureSecret);
			if (!valid) return n8nAnswer(401, '<p>Invalid token</p>');
		}
		if (waiting.status === 'error') return n8nAnswer(409, { code: 409, message: `The execution "${executionId}" has finished with error.` });
		if (waiting.status !== 'waiting') {
			return isSendAndWait ? n8nAnswer(200, '<p>No action required</p>', true) : n8nAnswer(409, { code: 409, message: `The execution "${executionId} has finished already.` });
		}

		const data = JSON.parse(JSON.stringify(waiting.run.data)) as IRun['data'];
		const lastNodeExecuted = data.resultData.lastNodeExecuted!;
		const startNode = workflow.getNode(lastNodeExecuted)!;
		const nodeType = this.nodeTypes.getByNameAndVersion(startNode.type, startNode.typeVersion);
		const additionalData = createAdditionalData(waiting.resumable.helper, { workflowId: workflow.id, executionId }, waiting.resumable.baseUrl);
		const webhookData = listNodeWebhooks(workflow, startNode, nodeType, additionalData).find(
			(webhook) => webhook.httpMethod === method && webhook.path === (suffix ?? '') && webhook.webhookDescription.restartWebhook === true,
		);
		if (!webhookData) {
			return isSendAndWait
				? n8nAnswer(200, '<p>No action required</p>', true)
				: n8nAnswer(404, { code: 404, message: `The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.` });
		}
		if (method === 'POST' && startNode.parameters.operation === 'sendAndWait' && startNode.parameters.responseType === 'customForm' && !options.form) {
			return n8nAnswer(415, { code: 415, message: 'Expected multipart/form-data' });
		}

		// WaitingWebhooks.getWebhookExecutionData: the node is disabled, its waiting run dropped.
		data.executionData!.nodeExecutionStack[0].node.disabled = true;
		data.waitTill = undefined;
		data.resultData.runData[lastNodeExecuted].pop();

		const request = createWebhookRequest(
			{ method, headers: options.headers, body: options.form ? undefined : options.body },
			{ method, urlPath: `${url.pathname}${url.search}`, params: {}, baseUrl: waiting.resumable.baseUrl },
		);
		if (options.form) {
			request.contentType = 'multipart/form-data';
			request.headers['content-type'] = 'multipart/form-data; boundary=harness';
			request.body = { data: structuredClone(options.form), files: {} };
		} else {
			await parseWebhookRequestBody(request, startNode.typeVersion);
		}
		const response = new HarnessWebhookResponse();
		additionalData.httpRequest = request as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = response as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
		const context = new WebhookContext(workflow, startNode, additionalData, waiting.resumable.mode, webhookData, [], data);
		let returned: IWebhookResponseData | undefined;
		try {
			await workflow.expression.withIsolate(async () => {
				const webhook = nodeType.webhook as unknown as (this: unknown, context?: unknown) => Promise<IWebhookResponseData>;
				returned = isNodeClassInstance(nodeType) ? await webhook.call(nodeType, context) : await webhook.call(context);
			});
		} catch (caught) {
			return { ...n8nAnswer(500, { code: 0, message: 'Workflow could not be started!' }), error: normalizeError(caught, startNode.name) };
		}
		const written = response.snapshot();
		const answer: WaitingWebhookResult = written
			? { status: written.status, response: written, noActionRequired: false }
			: returned?.webhookResponse !== undefined
				? n8nAnswer(200, returned.webhookResponse)
				: n8nAnswer(200, { message: 'Workflow was started' });
		if (returned?.workflowData === undefined) return answer;

		// prepareExecutionData: the node's stack entry gets the webhook's items, then the run goes on.
		const entry = data.executionData!.nodeExecutionStack[0];
		entry.data.main = returned.workflowData;
		entry.metadata = { ...entry.metadata, forwardAllOutputs: true };
		const run = await this.continueExecution(waiting, workflow, data, options.timeoutMs);
		return { ...answer, workflowData: returned.workflowData, run };
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

export async function activateWebhooks(options: ActivateWebhooksOptions): Promise<ActivateWebhooksResult> {
	return await (options.pkg ?? (await loadPackage())).activateWebhooks(options);
}

export async function deactivateWebhooks(options: WebhookNodeOptions): Promise<DeactivateWebhooksResult> {
	return await (options.pkg ?? (await loadPackage())).deactivateWebhooks(options);
}

export async function listenForTestEvent(options: TestListenOptions): Promise<TestListenResult> {
	return await (options.pkg ?? (await loadPackage())).listenForTestEvent(options);
}

export async function endTestListen(options: EndTestListenOptions): Promise<EndTestListenResult> {
	return await (options.pkg ?? (await loadPackage())).endTestListen(options);
}

export async function callWebhook(options: CallWebhookOptions): Promise<CallWebhookResult> {
	return await (options.pkg ?? (await loadPackage())).callWebhook(options);
}

export async function triggerWebhookWorkflow(
	options: TriggerWebhookWorkflowOptions,
): Promise<TriggerWebhookWorkflowResult> {
	return await (options.pkg ?? (await loadPackage())).triggerWebhookWorkflow(options);
}

/** Calls a waiting execution's restart webhook as n8n does (see LoadedPackage.callWaitingWebhook). */
export async function callWaitingWebhook(options: WaitingWebhookOptions & { pkg?: LoadedPackage }): Promise<WaitingWebhookResult> {
	return await (options.pkg ?? (await loadPackage())).callWaitingWebhook(options);
}

/** Resumes a waiting execution as n8n does when its wait limit is reached. */
export async function resumeAfterWaitLimit(waiting: WorkflowResult, pkg?: LoadedPackage): Promise<WorkflowResult> {
	return await (pkg ?? (await loadPackage())).resumeAfterWaitLimit(waiting);
}

/** pairedItem of an item as a list (n8n allows a number, an object or an array). */
export function pairedItems(item: INodeExecutionData): IPairedItemData[] {
	const { pairedItem } = item;
	if (pairedItem === undefined) return [];
	if (typeof pairedItem === 'number') return [{ item: pairedItem }];
	return Array.isArray(pairedItem) ? pairedItem : [pairedItem];
}

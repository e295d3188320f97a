// Types of n8n-api.cjs for the TypeScript harness (test/support/n8n-server.ts).

export declare const MIGRATION_LINE: RegExp;

export declare class N8nError extends Error {}

export declare class N8nHttpError extends N8nError {
	readonly status: number;
	readonly body: unknown;
	constructor(message: string, status: number, body: unknown);
}

export interface InstallPackageOptions {
	userFolder: string;
	/** The package's folder (default: the current directory); its node and credential files must be built. */
	packageDir?: string;
	/** Install this tarball, unpacked. */
	tarball?: string;
	/** `npm pack` packageDir and install the tarball instead of copying package.json + dist/. */
	pack?: boolean;
}

export declare function installPackage(options: InstallPackageOptions): { name: string; version: string; target: string };

export interface Credential {
	id: string;
	name: string;
	type: string;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** GET /rest/workflows/:id/publication-status once settled. */
export interface PublicationStatus {
	status: 'published' | 'partial' | 'failed' | 'not_published';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

/** Public API execution (with `data` when includeData). */
export interface Execution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>;
			error?: { message: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

export interface ExecutionQuery {
	includeData?: boolean;
	status?: string;
	limit?: number;
}

/** `hint()` adds lines (e.g. from n8n's log) to the timeout error. */
export interface WaitOptions {
	timeoutMs?: number;
	hint?: () => string;
}

export interface N8nClient {
	readonly baseUrl: string;
	/** Where production webhooks are served: baseUrl, or queue mode's webhook process. */
	readonly webhookBaseUrl: string;
	/** Sent as X-N8N-API-KEY; set by ensureApiKey(). */
	apiKey: string;
	/** Internal REST call (`/rest` + restPath) with the owner's session; throws N8nHttpError on a non-2xx status. */
	rest<T = any>(method: string, restPath: string, body?: unknown): Promise<T>;
	/** Public API call (`/api/v1` + apiPath) with the API key; throws N8nHttpError on a non-2xx status. */
	api<T = any>(method: string, apiPath: string, body?: unknown): Promise<T>;
	/** Every page of a public API list. */
	listAll<T = any>(apiPath: string): Promise<T[]>;

	/** Polls /healthz/readiness; `check()` runs before every poll and throws to give up. */
	waitForReady(options?: { intervalMs?: number; check?: () => void | Promise<void> }): Promise<void>;

	setupOwner(owner: { email: string; password: string; firstName: string; lastName: string }): Promise<unknown>;
	login(owner: { email: string; password: string }): Promise<unknown>;
	/** Keeps `reuse` if n8n still accepts it, else creates a key with every scope; sets and returns it. */
	ensureApiKey(options: { label: string; reuse?: string }): Promise<string>;

	listCredentials(): Promise<Array<Credential & Record<string, unknown>>>;
	createCredential(type: string, name: string, data: Record<string, unknown>): Promise<Credential>;
	updateCredential(id: string, data: Record<string, unknown>): Promise<unknown>;
	testCredential(id: string): Promise<CredentialTestResult>;

	workflowsNamed(name: string): Promise<Workflow[]>;
	createWorkflow(json: Record<string, unknown>): Promise<Workflow>;
	publishWorkflow(id: string): Promise<Workflow>;
	unpublishWorkflow(id: string): Promise<Workflow>;
	/** Publish / unpublish answer before n8n (de)registers the triggers: waits until that has settled (needs login()). */
	waitForPublication(id: string, options?: { timeoutMs?: number }): Promise<PublicationStatus>;

	webhookUrl(webhookPath: string): string;
	waitForWebhook(webhookPath: string, options?: WaitOptions & { method?: string }): Promise<void>;

	executions(workflowId: string, options?: ExecutionQuery): Promise<Execution[]>;
	execution(id: string, options?: { includeData?: boolean }): Promise<Execution>;
	waitForExecutions(workflowId: string, count: number, options?: WaitOptions): Promise<Execution[]>;

	/**
	 * Proves that queue mode's worker and webhook process loaded the package (a probe workflow of its
	 * Messingin Trigger, called on the webhook process, run on the worker; removed afterwards). Needs login().
	 */
	verifyQueueProcesses(options: { packageName: string; workerLog: () => string }): Promise<void>;

	/** The bytes of a binary data id of an execution's item (needs login()): what the editor downloads. */
	binaryData(id: string): Promise<Buffer>;

	nodeTypes(prefix?: string): Promise<string[]>;
	/** The node type descriptions the editor gets, including the tool variants n8n generates. */
	nodeTypeDescriptions(prefix?: string): Promise<Array<{ name: string; inputs: unknown; outputs: unknown; properties: Array<{ name: string; type: string; default: unknown }> }>>;
	credentialTypes(): Promise<string[]>;
}

export declare function createN8nClient(options: { baseUrl: string; webhookBaseUrl?: string; apiKey?: string; timeoutMs?: number; errorBodyChars?: number }): N8nClient;

/** Variables of queue mode's processes, to lay over n8nEnv(): `shared` for all three, then the process's own. */
export interface QueueModeEnv {
	shared: Record<string, string>;
	main: Record<string, string>;
	worker: Record<string, string>;
	webhook: Record<string, string>;
}

export declare function queueModeEnv(options: { redisPort: number; prefix: string; encryptionKey: string; webhookUrl: string; workerHealthPort: number }): QueueModeEnv;

export declare const POSTGRES_USER: string;
export declare const POSTGRES_DATABASE: string;
/** n8n's variables for the PostgreSQL of scripts/postgres.mjs on 127.0.0.1:port. */
export declare function postgresEnv(port: number): Record<string, string>;

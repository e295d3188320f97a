/**
 * Helpers for the end-to-end tests against a real n8n server (see n8n-server.ts): Jest hooks that
 * start n8n (and a provider simulator) for a test file, the credential check every provider makes,
 * and workflow JSON built the same way in every file.
 */
import { startN8n, type Credential, type CredentialTestResult, type Execution, type N8nServer, type StartN8nOptions } from './n8n-server';

/** A fresh clone installs the n8n runtime in the first beforeAll (minutes); afterwards ~10-20 s. */
const START_TIMEOUT_MS = 15 * 60_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * Jest hooks for an end-to-end test file: a provider simulator (`start`) and a real n8n with this
 * package installed, both started before all tests and stopped after them. The fields are set
 * once `beforeAll` has run. `options.queue`: n8n in queue mode (Redis, main, worker, webhook process).
 */
export function useN8nWithSandbox<T extends { stop(): Promise<void> }>(start: () => Promise<T>, options: StartN8nOptions = {}): { n8n: N8nServer; sandbox: T } {
	const context = {} as { n8n: N8nServer; sandbox: T };
	beforeAll(async () => {
		context.sandbox = await start();
		context.n8n = await startN8n(options);
	}, START_TIMEOUT_MS);
	afterAll(async () => {
		await context.n8n?.stop();
		await context.sandbox?.stop();
	}, STOP_TIMEOUT_MS);
	return context;
}

/** useN8nWithSandbox without a simulator. */
export function useN8n(options: StartN8nOptions = {}): { n8n: N8nServer } {
	return useN8nWithSandbox(async () => ({ stop: async () => undefined }), options);
}

/**
 * n8n tests a credential of `type` named `goodName` with `data` (it must pass), then one named
 * `wrongName` with `wrong` laid over `data`, whose result is returned for the caller to check.
 */
export async function testGoodAndWrongCredential(
	n8n: N8nServer,
	type: string,
	[goodName, data]: [string, object],
	[wrongName, wrong]: [string, object],
): Promise<CredentialTestResult> {
	const good = await n8n.createCredential(type, goodName, { ...data });
	expect(await n8n.testCredential(good.id)).toMatchObject({ status: 'OK' });
	const bad = await n8n.createCredential(type, wrongName, { ...data, ...wrong });
	return await n8n.testCredential(bad.id);
}

/** A node's `credentials` field: the credential, under its type. */
export function uses(type: string, credential: Credential): Record<string, { id: string; name: string }> {
	return { [type]: { id: credential.id, name: credential.name } };
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	/** Default 1. */
	typeVersion?: number;
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** A node of `type` (typeVersion 1 unless `more` says otherwise). */
export function node(id: string, name: string, type: string, parameters: Record<string, unknown>, more: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id, name, type, parameters, ...more };
}

/** n8n's Webhook trigger (v2), answering a POST to `path` with what its last node gives. */
export function webhookNode(id: string, webhookId: string, path: string): WorkflowNode {
	return node(id, 'Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} }, { typeVersion: 2, webhookId });
}

/** Workflow JSON whose nodes stand in a row, 220 px apart, each one feeding the next. */
export function chainWorkflow(name: string, nodes: WorkflowNode[]) {
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	nodes.slice(1).forEach((next, i) => {
		connections[nodes[i]!.name] = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
	});
	return {
		name,
		nodes: nodes.map(({ id, name: nodeName, type, typeVersion = 1, webhookId, parameters, credentials }, i) => ({
			id,
			name: nodeName,
			type,
			typeVersion,
			position: [i * 220, 0],
			...(webhookId === undefined ? {} : { webhookId }),
			parameters,
			...(credentials === undefined ? {} : { credentials }),
		})),
		connections,
	};
}

/** Publishes a workflow, expecting n8n to report it active; with `webhookPath`, also waits until that production webhook answers. */
export async function publish(n8n: N8nServer, workflowId: string, webhookPath?: string, method?: string): Promise<void> {
	expect((await n8n.activate(workflowId)).active).toBe(true);
	if (webhookPath !== undefined) await n8n.waitForWebhook(webhookPath, undefined, method);
}

/** POSTs `json` to `url` (a webhook of n8n or of the sandbox). */
export async function postJson(url: string, json: unknown): Promise<Response> {
	return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
}

/**
 * The editor's "Execute step" on a trigger, which listens for a test event
 * (POST /rest/workflows/:id/run from the trigger up to itself). Gives `{ waitingForWebhook: true }`
 * while n8n listens; when the trigger refuses, the error the editor shows: `{ status, message }`.
 */
export async function listenForTestEvent(n8n: N8nServer, workflowId: string, triggerName: string): Promise<{ waitingForWebhook?: boolean } | { status: number; message: string }> {
	try {
		return (await n8n.rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName }, destinationNode: { nodeName: triggerName, mode: 'inclusive' } })) as { waitingForWebhook?: boolean };
	} catch (e) {
		const { status, body } = e as { status?: number; body?: { message?: string } };
		if (status === undefined) throw e;
		return { status, message: body?.message ?? '' };
	}
}

/** The editor's "Stop listening" (DELETE /rest/test-webhook/:id): n8n ends the test in the background. */
export async function stopListening(n8n: N8nServer, workflowId: string): Promise<void> {
	await n8n.rest('DELETE', `/test-webhook/${workflowId}`);
}

/** Test URL of a webhook path: `${baseUrl}/webhook-test/${path}`. */
export function testWebhookUrl(n8n: N8nServer, webhookPath: string): string {
	return `${n8n.baseUrl}/webhook-test/${webhookPath.replace(/^\/+/, '')}`;
}

/** The workflow's finished executions started by `mode` ('webhook': published; 'manual': a test), oldest first. */
export async function executionsIn(n8n: N8nServer, workflowId: string, mode: 'webhook' | 'manual'): Promise<Execution[]> {
	const all = await n8n.executions(workflowId, { includeData: true });
	return all.filter((execution) => execution.mode === mode && !['new', 'running', 'waiting'].includes(execution.status)).sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Every provider's simulator at once, and what the end-to-end tests of n8n's distributed engine do
 * with the webhook triggers of all of them in the same way: publish a trigger, let the provider
 * deliver an event (and the same delivery again), forge a call, find an event in an execution.
 *
 *   const env = useN8nWithSandbox(startProviders, { queue: true });
 *   const chatApi = webhookProviders(env.sandbox).chatapi;
 *   const { workflow, webhookId } = await publishTrigger(env.n8n, chatApi, 'E2E: inbound');
 *   const delivery = await chatApi.deliver('event-1');      // { status, again() }
 *   expect(chatApi.keyOf(items[0])).toBe('event-1');
 */
import { randomUUID } from 'node:crypto';

import { deliverBatch, filesUrlOf, messageJson, receiveInbound } from '../../sandbox/chatapi';
import { deliverCallback, inboundBatch, MEHERY_DEMO } from '../../sandbox/mehery';
import { deliverEvent, messageEvent, receiveMessage, type MessinginSession } from '../../sandbox/messingin';
import { startChatApi, type ChatApiSandbox } from './chatapi';
import { startMehery, type MeherySandbox } from './mehery';
import { startMesigic, type MesigicSandbox } from './mesigic';
import { startMessingin, type MessinginSandbox } from './messingin';
import { startMesslo, type MessloSandbox } from './messlo';
import type { Credential, Execution, N8nServer } from './n8n-server';
import { until } from './until';
import { uses } from './use-n8n';

export interface Providers {
	mesigic: MesigicSandbox;
	chatapi: ChatApiSandbox;
	messingin: MessinginSandbox;
	mehery: MeherySandbox;
	messlo: MessloSandbox;
	stop(): Promise<void>;
}

/** The five simulators, each on a free 127.0.0.1 port, with credentials for the nodes. */
export async function startProviders(): Promise<Providers> {
	const [mesigic, chatapi, messingin, mehery, messlo] = await Promise.all([startMesigic(), startChatApi(), startMessingin(), startMehery(), startMesslo()]);
	const all = [mesigic, chatapi, messingin, mehery, messlo];
	return { mesigic, chatapi, messingin, mehery, messlo, stop: async () => void (await Promise.all(all.map(async (s) => await s.stop()))) };
}

/** An HTTP answer the provider got for a delivery (null: no answer, e.g. refused connection), and the same delivery again. */
export interface Delivery {
	status: number | null;
	again(): Promise<number | null>;
}

export type ForgeryKind = 'no secret' | 'wrong secret';

/** One webhook trigger, as the tests drive it whatever the provider. */
export interface WebhookProvider {
	name: 'chatapi' | 'mehery' | 'messingin';
	credentialType: string;
	credentialData: Record<string, unknown>;
	/** The trigger's node type (after the package name) and node name. */
	triggerType: string;
	triggerName: string;
	/** Trigger parameters for inbound messages (plus `options`). */
	parameters(options?: Record<string, unknown>): Record<string, unknown>;
	/** The production path (after /webhook/) a webhook id gives; the one the provider calls first. */
	webhookPath(webhookId: string): string;
	/** Once published: what the provider must be told, where the provider can (Chat API, Mehery: by the trigger itself). */
	connect(n8n: N8nServer, webhookId: string): void;
	/** The URL the provider calls now (undefined: none). */
	registeredUrl(): string | undefined;
	/** A customer writes `key` (the text of the message); the provider delivers it. */
	deliver(key: string): Promise<Delivery>;
	/** A call to the trigger's URL that does not come from the provider. */
	forge(n8n: N8nServer, webhookId: string, kind: ForgeryKind): Promise<number>;
	/** The message text (the key) in an item of the trigger's output. */
	keyOf(json: Record<string, unknown>): string;
	/** A node after the trigger that answers the customer through the provider's action node. */
	replyNode(packageName: string, credential: Credential): { type: string; parameters: Record<string, unknown> };
	/** The replies the provider accepted, their texts. */
	replies(): string[];
}

const CUSTOMER = '17472822486';

async function post(url: string, body: unknown): Promise<number> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	await response.arrayBuffer();
	return response.status;
}

function withoutQuery(url: string): string {
	return url.split('?')[0];
}

/** The three webhook triggers of the package over the running simulators. */
export function webhookProviders(providers: Providers): Record<WebhookProvider['name'], WebhookProvider> {
	const { chatapi, mehery, messingin } = providers;
	let session: MessinginSession | undefined;
	return {
		chatapi: {
			name: 'chatapi',
			credentialType: 'chatApiApi',
			credentialData: chatapi.credentials,
			triggerType: 'chatApiTrigger',
			triggerName: 'Chat API Trigger',
			parameters: (options = {}) => ({ events: ['incomingMessage'], options }),
			webhookPath: (webhookId) => `${webhookId}/webhook`,
			connect: () => undefined,
			registeredUrl: () => chatapi.server.state.webhookUrl || undefined,
			deliver: async (key) => {
				const message = receiveInbound(chatapi.server.state, { chatId: `${CUSTOMER}@c.us`, body: key, senderName: 'Jane' });
				const batch = { messages: [messageJson(message, filesUrlOf(chatapi.server))] };
				const send = async () => (await deliverBatch(chatapi.server, batch)).status;
				return { status: await send(), again: send };
			},
			forge: async (n8n, webhookId, kind) =>
				await post(kind === 'no secret' ? n8n.webhookUrl(`${webhookId}/webhook`) : `${n8n.webhookUrl(`${webhookId}/webhook`)}?n8nSecret=${'0'.repeat(48)}`, {
					messages: [{ id: `forged-${randomUUID()}`, chatId: `${CUSTOMER}@c.us`, body: 'forged', fromMe: false }],
				}),
			keyOf: (json) => String(json.body),
			replyNode: (packageName) => ({
				type: `${packageName}.chatApi`,
				parameters: { resource: 'message', operation: 'sendText', recipient: '={{ $json.chatId }}', text: '={{ "Echo: " + $json.body }}' },
			}),
			replies: () => chatapi.server.accepted('POST /instance12345/sendMessage').map((request) => String((request.body as { body: string }).body)),
		},
		mehery: {
			name: 'mehery',
			credentialType: 'meheryApi',
			credentialData: mehery.credentials,
			triggerType: 'meheryTrigger',
			triggerName: 'Mehery Trigger',
			parameters: (options = {}) => ({ events: ['messageReceive'], contactInfoResponse: 'fields', options }),
			webhookPath: (webhookId) => `${webhookId}/api/v1/message/receive`,
			connect: () => undefined,
			registeredUrl: () => mehery.server.state.webhookUrl || undefined,
			deliver: async (key) => {
				const batch = inboundBatch(mehery.server.state, [{ phone: CUSTOMER, name: 'Jane', text: key }]);
				const send = async () => (await deliverCallback(mehery.server, MEHERY_DEMO.verifyToken, 'messageReceive', batch)).delivery.status;
				return { status: await send(), again: send };
			},
			forge: async (n8n, webhookId, kind) => {
				const response = await fetch(n8n.webhookUrl(`${webhookId}/api/v1/message/receive`), {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...(kind === 'no secret' ? {} : { 'x-verify-token': 'not-the-verify-token' }) },
					body: JSON.stringify({ messages: [{ id: `forged-${randomUUID()}`, from: CUSTOMER, contactId: 'c1', timestamp: 1, type: 'text', text: { body: 'forged' } }], contacts: [] }),
				});
				await response.arrayBuffer();
				return response.status;
			},
			keyOf: (json) => String((json.text as { body?: string } | undefined)?.body),
			replyNode: (packageName) => ({
				type: `${packageName}.mehery`,
				parameters: { resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '={{ $json.from }}', type: 'text', text: '={{ "Echo: " + $json.text.body }}' },
			}),
			replies: () => mehery.server.accepted('POST /api/v1/message/send').map((request) => String((request.body as { text?: { body?: string } }).text?.body)),
		},
		messingin: {
			name: 'messingin',
			credentialType: 'messinginApi',
			credentialData: messingin.credentials,
			triggerType: 'messinginTrigger',
			triggerName: 'Messingin Trigger',
			parameters: (options = {}) => ({ events: ['message.received'], options }),
			webhookPath: (webhookId) => `${webhookId}/messingin`,
			// Messingin has no API to register a webhook: a session gets the trigger's URL and secret.
			connect: (n8n, webhookId) => {
				session = messingin.connectedSession(`${n8n.webhookUrl(`${webhookId}/messingin`)}?secret=${messingin.credentials.webhookSecret}`);
			},
			registeredUrl: () => session?.webhook ?? undefined,
			deliver: async (key) => {
				if (!session) throw new Error('Messingin: connect() first');
				const body = messageEvent('message.received', receiveMessage(messingin.server.state, session.sessionId, { from: `+${CUSTOMER}`, message: key }));
				const current = session;
				const send = async () => (await deliverEvent(messingin.server, current, body)).delivery?.status ?? null;
				return { status: await send(), again: send };
			},
			forge: async (n8n, webhookId, kind) =>
				await post(kind === 'no secret' ? n8n.webhookUrl(`${webhookId}/messingin`) : `${n8n.webhookUrl(`${webhookId}/messingin`)}?secret=not-the-secret`, {
					event: 'message.received',
					data: { id: `forged-${randomUUID()}`, sessionId: session?.sessionId ?? 'session_1', from: `+${CUSTOMER}`, message: 'forged' },
				}),
			keyOf: (json) => String(json.message),
			replyNode: (packageName) => ({
				type: `${packageName}.messingin`,
				parameters: { resource: 'message', operation: 'send', sessionId: '={{ $json.sessionId }}', to: '={{ $json.from }}', message: '={{ "Echo: " + $json.message }}' },
			}),
			replies: () => messingin.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').map((request) => String((request.body as { message: string }).message)),
		},
	};
}

export const WEBHOOK_PROVIDER_NAMES: Array<WebhookProvider['name']> = ['chatapi', 'mehery', 'messingin'];

export interface PublishedTrigger {
	workflowId: string;
	webhookId: string;
	credential: Credential;
}

/**
 * Creates and publishes a workflow of the provider's trigger (and, with `reply`, a node that
 * answers every message through the provider's action node), waits until its production webhook
 * answers and the provider calls it (Chat API, Mehery register themselves; Messingin gets a session).
 */
export async function publishTrigger(
	n8n: N8nServer,
	provider: WebhookProvider,
	name: string,
	{ reply = false, options = {} }: { reply?: boolean; options?: Record<string, unknown> } = {},
): Promise<PublishedTrigger> {
	const credential = await n8n.createCredential(provider.credentialType, `${name} (${provider.name})`, provider.credentialData);
	const webhookId = randomUUID();
	const nodes: Array<Record<string, unknown>> = [
		{
			id: randomUUID(),
			name: provider.triggerName,
			type: `${n8n.packageName}.${provider.triggerType}`,
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: provider.parameters(options),
			credentials: uses(provider.credentialType, credential),
		},
	];
	const connections: Record<string, unknown> = {};
	if (reply) {
		const { type, parameters } = provider.replyNode(n8n.packageName, credential);
		nodes.push({ id: randomUUID(), name: 'Reply', type, typeVersion: 1, position: [220, 0], parameters, credentials: uses(provider.credentialType, credential) });
		connections[provider.triggerName] = { main: [[{ node: 'Reply', type: 'main', index: 0 }]] };
	}
	const workflow = await n8n.createWorkflow({ name, nodes, connections });
	expect((await n8n.activate(workflow.id)).active).toBe(true);
	await n8n.waitForWebhook(provider.webhookPath(webhookId), 20_000, 'POST');
	provider.connect(n8n, webhookId);
	await until(() => (provider.registeredUrl()?.startsWith(n8n.webhookUrl(webhookId)) ? true : undefined), { timeoutMs: 20_000 });
	return { workflowId: workflow.id, webhookId, credential };
}

/** The trigger's output of an execution (empty when it gave no item). */
export function triggerItems(execution: Execution, provider: WebhookProvider): Array<Record<string, unknown>> {
	const run = execution.data?.resultData.runData[provider.triggerName]?.[0];
	return (run?.data?.main[0] ?? []).map((item) => item.json);
}

/** Whether queue mode's worker ran the execution (its log says so; main only enqueues). */
export function ranOnWorker(n8n: N8nServer, executionId: string): boolean {
	const started = `Worker started execution ${executionId} `;
	return Boolean(n8n.processes.worker?.logs().includes(started)) && !n8n.processes.main.logs().includes(started);
}

/** Runs `work` for each of `inputs`, at most `concurrency` at a time; results in input order. */
export async function inPool<T, R>(inputs: readonly T[], concurrency: number, work: (input: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await work(inputs[index]!, index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
	return results;
}

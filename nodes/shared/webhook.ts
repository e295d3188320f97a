import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import { inboundItems, type InboundRecord } from './inbound-media';

/** What a webhook trigger keeps about its registration, in the node's static data. */
export interface Registration {
	/** The URL we registered, secret included. */
	registeredUrl?: string;
	/** The URL the account had before, put back on deactivation. */
	previousUrl?: string;
	secret?: string;
}

export function registrationOf(ctx: { getWorkflowStaticData(type: string): IDataObject }): Registration {
	return ctx.getWorkflowStaticData('node') as Registration;
}

export function newSecret(): string {
	return randomBytes(24).toString('hex');
}

/** `url` with extra query parameters, keeping any it already has. */
export function withQuery(url: string, params: Record<string, string>): string {
	const target = new URL(url);
	for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
	return target.toString();
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison that does not leak the secret's length either. */
export function sameSecret(expected: string | undefined, given: unknown): boolean {
	if (!expected || typeof given !== 'string' || given === '') return false;
	return timingSafeEqual(digest(expected), digest(given));
}

/** Answers the caller directly and starts no workflow run. */
export function refuse(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.status(status).json({ error: message });
	return { noWebhookResponse: true };
}

/** Acknowledges a delivery that carried nothing the workflow listens for. */
export function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

/** The trigger option that turns the drop of repeated deliveries (`markDeliveries`) on or off. */
export function dedupeOption(providerName: string): INodeProperties {
	return {
		displayName: 'Ignore Repeated Deliveries',
		name: 'dedupe',
		type: 'boolean',
		default: true,
		description: `Whether to drop an event ${providerName} sends again (it retries a delivery it thinks failed)`,
	};
}

/**
 * What recognises an event when a provider delivers it again:
 * - a string: the event's identity (its id, in practice), remembered for the last MAX_REMEMBERED events;
 * - `{ content }`: the event has no identity, so its content (hashed) stands for it. The same content
 *   can be a new event later, so it is remembered for CONTENT_MEMORY_MS only (to twice that);
 * - `{ group, state, otherStates }`: an event without identity that reports the state of something
 *   (a session connected or disconnected): a repeat of the state the group was last seen in is
 *   dropped for CONTENT_MEMORY_MS, and any other state of the group makes it new again. A
 *   re-delivery comes within minutes and before the next change, so it is dropped, while a real
 *   reconnect after a disconnect is not.
 */
export type DeliveryKey = string | { content: unknown } | { group: string; state: string; otherStates: readonly string[] };

/**
 * What travels with an emitted item from webhook() to the trigger's execution, where repeats are
 * dropped (see dropRepeatedDeliveries): the keys that stand for the event in n8n's store (any of
 * them already there: a repeat) and those a new event removes from it.
 */
export interface DeliveryMark {
	keys: string[];
	evicts?: string[];
}

/** Where an item carries its mark, beside `json`: never shown, taken off by the trigger's execution. */
const MARK_FIELD = 'deliveryMark';

/**
 * How much is remembered, in n8n's store of processed items (the one n8n's Remove Duplicates node
 * uses): the last MAX_REMEMBERED keys (~24 characters each); a key known only by content counts
 * twice. Content is remembered in buckets of CONTENT_MEMORY_MS: the current one and the one before.
 */
const MAX_REMEMBERED = 5000;
const CONTENT_MEMORY_MS = 10 * 60 * 1000;

/** JSON with the keys of every object sorted, so equal content gives equal text. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const object = value as Record<string, unknown>;
		const fields = Object.keys(object)
			.filter((key) => object[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
		return `{${fields.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

const shortHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** A short, stable hash of any JSON value: equal content, whatever its key order, gives the same hash. */
export function contentHash(value: unknown): string {
	return shortHash(canonicalJson(value));
}

/** The mark of an event delivered at `now`: its keys in n8n's store, and what it makes new again. */
export function markOf(key: DeliveryKey, now = Date.now()): DeliveryMark {
	if (typeof key === 'string') return { keys: [`id:${shortHash(key)}`] };
	const bucket = Math.floor(now / CONTENT_MEMORY_MS);
	const recent = (base: string) => [`${base}:${bucket}`, `${base}:${bucket - 1}`];
	if ('content' in key) return { keys: recent(`content:${contentHash(key.content)}`) };
	const group = shortHash(key.group);
	return {
		keys: recent(`state:${group}:${shortHash(key.state)}`),
		evicts: key.otherStates.filter((state) => state !== key.state).flatMap((state) => recent(`state:${group}:${shortHash(state)}`)),
	};
}

/**
 * Items for webhook() to return, each with its event's mark when repeats are to be dropped
 * (`keys[i]` for `records[i]`). The drop itself happens in the trigger's execution (its execute()
 * calls dropRepeatedDeliveries): webhook() can reach no store that n8n keeps — what it writes to
 * static data is not saved when it starts a run (n8n 2.41) — while an execution reaches n8n's store
 * of processed items, in the database every n8n process shares.
 */
export function emit(ctx: IWebhookFunctions, records: IDataObject[], keys?: DeliveryKey[]): IWebhookResponseData {
	return { workflowData: [marked(records.map((json) => ({ json })), keys)] };
}

/** emit for records whose messages may carry a file: downloaded with the trigger's "Download Media" option (see inboundItems). */
export async function emitInbound(ctx: IWebhookFunctions, records: InboundRecord[], keys?: DeliveryKey[]): Promise<IWebhookResponseData> {
	return { workflowData: [marked(await inboundItems(ctx, records), keys)] };
}

/** Items carrying the keys of their deliveries, for dropRepeatedDeliveries in the trigger's execution. */
function marked(items: INodeExecutionData[], keys?: DeliveryKey[]): INodeExecutionData[] {
	const now = Date.now();
	return items.map((item, index) => {
		const key = keys?.[index];
		return key === undefined ? item : { ...item, [MARK_FIELD]: markOf(key, now) as unknown as IDataObject };
	});
}

/** One store operation at a time per trigger node in this process (n8n's store reads and then writes). */
const turns = new Map<string, Promise<unknown>>();

async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
	const before = turns.get(key) ?? Promise.resolve();
	const mine = before.then(work, work);
	const settled = mine.then(
		() => undefined,
		() => undefined,
	);
	turns.set(key, settled);
	try {
		return await mine;
	} finally {
		if (turns.get(key) === settled) turns.delete(key);
	}
}

/** n8n inserts a node's first record; two processes doing so at once collide once, and one tries again. */
async function withRetry<T>(ctx: IExecuteFunctions, work: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const message = String((error as Error)?.message ?? error);
			if (attempt < 3 && /unique|duplicate|constraint/i.test(message)) continue;
			throw new NodeOperationError(ctx.getNode(), `Could not check this delivery against the events delivered before: ${message}`, {
				description: 'n8n keeps them in its database, in the store its Remove Duplicates node uses. Turn off Options → Ignore Repeated Deliveries to run without it.',
			});
		}
	}
}

function markIn(item: INodeExecutionData): DeliveryMark | undefined {
	const mark = item[MARK_FIELD] as unknown as DeliveryMark | undefined;
	return mark && Array.isArray(mark.keys) ? mark : undefined;
}

/**
 * The execute() of a webhook trigger: its items without the events delivered before. webhook()
 * marked each event (`emit` with keys); here every mark is checked against, and recorded in, n8n's
 * store of processed items for this node (the store of n8n's Remove Duplicates node, in n8n's
 * database), so that it holds across restarts, and in queue mode across the webhook process, the
 * workers and main. A delivery whose events were all delivered before gives no item: the execution
 * ends at the trigger and nothing after it runs. Test runs ("Listen for test event") neither drop
 * nor record anything.
 */
export async function dropRepeatedDeliveries(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const marks = items.map(markIn);
	const unmarked = items.map((item, index): INodeExecutionData => {
		const rest: INodeExecutionData = { ...item, pairedItem: { item: index } };
		delete rest[MARK_FIELD];
		return rest;
	});
	if (ctx.getMode() === 'manual' || marks.every((mark) => mark === undefined)) return unmarked;

	const options = { mode: 'entries' as const, maxEntries: MAX_REMEMBERED };
	const keys = [...new Set(marks.flatMap((mark) => mark?.keys ?? []))];
	return await inTurn(`${ctx.getWorkflow().id}:${ctx.getNode().id}`, async () => {
		const { processed } = await withRetry(ctx, async () => await ctx.helpers.checkProcessedAndRecord(keys, 'node', options));
		// Walk the delivery in order: an event is new unless one of its keys was known before it.
		const known = new Set(processed.map(String));
		const evicted = new Set<string>();
		const fresh = unmarked.filter((_item, index) => {
			const mark = marks[index];
			if (!mark) return true;
			if (mark.keys.some((key) => known.has(key))) return false;
			for (const key of mark.keys) {
				known.add(key);
				evicted.delete(key);
			}
			for (const key of mark.evicts ?? []) {
				known.delete(key);
				evicted.add(key);
			}
			return true;
		});
		if (evicted.size) await ctx.helpers.removeProcessed([...evicted], 'node', options);
		return fresh;
	});
}

/** `path: message` for each thing that did not fit, its path under `prefix`. */
function issuesOf(error: z.ZodError, prefix = ''): string {
	return error.issues
		.map((issue) => {
			const path = [...(prefix === '' ? [] : [prefix]), ...issue.path].join('.');
			return `${path || 'body'}: ${issue.message}`;
		})
		.join('; ');
}

/**
 * Parses a webhook body with the provider's schema. A body that does not fit still reaches the
 * workflow, with the raw body and what did not fit, rather than being dropped.
 */
export function parsePayload<T>(schema: z.ZodType<T>, body: unknown): { payload: T } | { invalid: IDataObject } {
	const result = schema.safeParse(body);
	if (result.success) return { payload: result.data };
	return { invalid: { validationError: issuesOf(result.error), raw: (body ?? null) as IDataObject } };
}

/** An entry of a batch: what its schema read, or the item that says what did not fit. */
export type CheckedEntry<T> = { value: T; raw: unknown } | { invalid: IDataObject; raw: unknown };

/**
 * Checks every entry of a batch (the messages, acks or events of one delivery) on its own: one
 * entry that breaks the contract becomes its own item `{ validationError, raw }`, and the others
 * go on as usual. `pathOf` says where an entry is in the body, for the error's paths (default: its
 * index; `() => ''` for a body that is itself the only entry).
 */
export function checkEntries<T>(schema: z.ZodType<T>, entries: readonly unknown[], pathOf: (index: number) => string = String): Array<CheckedEntry<T>> {
	return entries.map((raw, index) => {
		const result = schema.safeParse(raw);
		if (result.success) return { value: result.data, raw };
		return { invalid: { validationError: issuesOf(result.error, pathOf(index)), raw: (raw ?? null) as IDataObject }, raw };
	});
}

import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { z } from 'zod';

import { inboundItems, type InboundRecord } from './inbound-media';

/** What a webhook trigger keeps about its registration, in the node's static data. */
export interface Registration {
	/** The URL we registered, secret included. */
	registeredUrl?: string;
	/** The URL the account had before, put back on deactivation. */
	previousUrl?: string;
	secret?: string;
	/** Recently delivered events, to drop a re-delivered batch (see firstDeliveries). */
	seen?: SeenDeliveries;
}

/** What `firstDeliveries` remembers. */
export interface SeenDeliveries {
	/** Hashed keys of the events that have an identity (an id), oldest first. */
	ids: string[];
	/** The most events one delivery has carried. */
	largestBatch: number;
	/** Hashed content of the events known only by their content, with when each first came. */
	contents: Array<{ key: string; at: number; group?: string }>;
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

export function emit(ctx: IWebhookFunctions, records: IDataObject[]): IWebhookResponseData {
	return { workflowData: [ctx.helpers.returnJsonArray(records)] };
}

/** emit for records whose messages may carry a file: downloaded with the trigger's "Download Media" option (see inboundItems). */
export async function emitInbound(ctx: IWebhookFunctions, records: InboundRecord[]): Promise<IWebhookResponseData> {
	return { workflowData: [await inboundItems(ctx, records)] };
}

/** The trigger option that turns `firstDeliveries` on or off. */
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
 * - a string: the event's identity (its id, in practice), remembered within the window below;
 * - `{ content }`: the event has no identity, so its content (hashed) stands for it. The same
 *   content can be a new event later (a session that connects again sends the same body as the
 *   last time it connected), so such a key is forgotten after CONTENT_MEMORY_MS, and, when it
 *   has a `group`, as soon as another event of that group comes (the session's next change of
 *   state). A re-delivery comes within minutes of the first try and before the next change, so it
 *   is still dropped, while a real reconnect, after a disconnect or later, is not.
 */
export type DeliveryKey = string | { content: unknown; group?: string };

/**
 * Identities kept: at least MIN_IDS, at most MAX_IDS (16 hex characters each: ~95 kB of static
 * data). Contents kept: those of the last CONTENT_MEMORY_MS, at most MAX_CONTENTS (~45 kB).
 */
const MIN_IDS = 500;
const MAX_IDS = 5000;
const CONTENT_MEMORY_MS = 10 * 60 * 1000;
const MAX_CONTENTS = 1000;

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

function seenOf(registration: Registration): SeenDeliveries {
	const seen = registration.seen;
	// Static data written before `seen` was an object holds a plain list of raw ids: start afresh.
	if (!seen || Array.isArray(seen) || typeof seen !== 'object') return { ids: [], largestBatch: 0, contents: [] };
	return {
		ids: Array.isArray(seen.ids) ? seen.ids.filter((id) => typeof id === 'string') : [],
		largestBatch: typeof seen.largestBatch === 'number' ? seen.largestBatch : 0,
		contents: Array.isArray(seen.contents) ? seen.contents.filter((entry) => typeof entry?.key === 'string' && typeof entry.at === 'number') : [],
	};
}

/**
 * Drops the events of a delivery that were delivered before (providers retry a batch they think
 * failed, and the retry may come after other deliveries). Remembers them in the node's static data.
 *
 * How many identities are kept: a re-delivered batch is only recognised whole when every id of it
 * is still remembered, so the window holds twice the largest batch seen so far (that batch plus as
 * many newer events), at least MIN_IDS; a fixed window of 500 let a re-delivered batch of 600 bring
 * back 100 duplicates. (A hash of the whole batch would need less memory but miss a retry that
 * groups the same events differently.) Only a single delivery of more than MAX_IDS events would be
 * recognised in part.
 */
export function firstDeliveries<T>(registration: Registration, events: T[], keyOf: (event: T) => DeliveryKey, now = Date.now()): T[] {
	const seen = seenOf(registration);
	const ids = new Set(seen.ids);
	const contents = new Map(seen.contents.filter((entry) => now - entry.at < CONTENT_MEMORY_MS).map((entry) => [entry.key, entry]));
	const fresh = events.filter((event) => {
		const key = keyOf(event);
		if (typeof key === 'string') {
			const hashed = shortHash(key);
			if (ids.has(hashed)) return false;
			ids.add(hashed);
			return true;
		}
		const hashed = contentHash(key.content);
		if (contents.has(hashed)) return false;
		const group = key.group === undefined ? undefined : shortHash(key.group);
		if (group !== undefined) for (const entry of contents.values()) if (entry.group === group) contents.delete(entry.key);
		contents.set(hashed, { key: hashed, at: now, ...(group === undefined ? {} : { group }) });
		return true;
	});
	const largestBatch = Math.max(seen.largestBatch, events.length);
	const window = Math.min(MAX_IDS, Math.max(MIN_IDS, 2 * largestBatch));
	registration.seen = { ids: [...ids].slice(-window), largestBatch, contents: [...contents.values()].slice(-MAX_CONTENTS) };
	return fresh;
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

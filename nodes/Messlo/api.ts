import { MessloApi } from '../../credentials/MessloApi.credentials';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import type { ItemReader } from '../shared/item-reader';
import { credentialTest } from '../shared/credential-test';
import { fileKind, isKindConflict } from '../shared/file-kind';
import { MB, type MediaFile, type MediaRule } from '../shared/media';
import type { PageScheme, Provider, ProviderError } from '../shared/operation';
import { toDigits } from '../shared/phone';

export const MESSLO_DEFAULT_BASE_URL = 'https://api.messlo.com';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

// ---------------------------------------------------------------------------------------------
// Errors

/** One entry of an `errors` list as a line: "field: message". */
function problemLine(problem: unknown): string | undefined {
	if (!isRecord(problem)) return text(problem);
	const message = text(problem.message) ?? text(problem.msg);
	if (!message) return undefined;
	const field = text(problem.field) ?? text(problem.path) ?? text(problem.param);
	return field && !message.includes(field) ? `${field}: ${message}` : message;
}

/**
 * Messlo's failure: any answer with an HTTP status of 400 or more, or a 2xx whose body says
 * `success: false`. The text is the body's `message`, else its `error` (Messlo's own client reads
 * them in that order), else the status.
 */
export function messloErrorOf(status: number, body: unknown): ProviderError | undefined {
	if (typeof body === 'string' && body.trim() !== '') {
		return status >= 400 ? { message: `answered HTTP ${status} with something that is not JSON`, description: body.slice(0, 300) } : undefined;
	}
	if (!isRecord(body)) return status >= 400 ? { message: `HTTP ${status}` } : undefined;
	if (status < 400 && body.success !== false) return undefined;
	const problems = (Array.isArray(body.errors) ? body.errors : []).map(problemLine).filter((line): line is string => line !== undefined);
	const nestedError = isRecord(body.error) ? text(body.error.message) : undefined;
	const message = text(body.message) ?? text(body.error) ?? nestedError ?? problems[0] ?? `HTTP ${status}`;
	const lines = problems.filter((line) => line !== message);
	return { message, description: lines.length ? lines.map((line) => `• ${line}`).join('\n') : undefined };
}

function messloHint(error: ProviderError, status: number): string | undefined {
	if (/\btoken\b/i.test(error.message) && !/api[ _-]?key/i.test(error.message)) {
		return 'A verification token is good for one Verify Token call, and only for the login session that gave it: start a new login to get a new one.';
	}
	if (status === 401 || status === 403) {
		return 'Check the API key in the Messlo credential. Keys are made in the Messlo dashboard under Integration Tools → API Credentials and shown only once: create a new one if it is lost.';
	}
	if (/24[- ]?hour|customer[- ]care window|session window/i.test(error.message)) {
		return 'Outside the 24 hours after the customer\'s last message, WhatsApp only delivers approved templates: choose Message Type "Template".';
	}
	if (/not approved|pending approval|approval/i.test(error.message)) {
		return 'Only templates Meta has approved can be sent. Run Template → Sync Approval Status, then try again once the template is approved.';
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Lists

/**
 * Where each list's records may sit. Messlo's answers hold them in `data` (an array), or under a
 * named key at the top or inside `data` (its own client reads `connections`, `phone_numbers`, …).
 */
export const LIST_KEYS = {
	connections: ['connections', 'wabas'],
	phoneNumbers: ['phone_numbers', 'phoneNumbers'],
	contacts: ['contacts'],
	chats: ['chats'],
	messages: ['messages'],
	templates: ['templates'],
	campaigns: ['campaigns'],
	agents: ['agents'],
	tags: ['tags'],
	segments: ['segments'],
	customFields: ['custom_fields', 'customFields', 'fields'],
	flows: ['flows', 'automations'],
	nodeTypes: ['node_types', 'nodeTypes'],
	executions: ['executions'],
	chatbots: ['chatbots'],
	messageBots: ['message_bots', 'messageBots', 'bots'],
	quickReplies: ['quick_replies', 'quickReplies'],
	replyMaterials: ['reply_materials', 'replyMaterials', 'materials'],
	forms: ['forms'],
	packs: ['packs'],
	sequences: ['sequences'],
	funnels: ['funnels', 'kanban_funnels', 'kanbanFunnels'],
	catalogs: ['catalogs'],
	products: ['products'],
	orderWebhooks: ['webhooks'],
} as const;

/** The records of a list answer, or undefined when the answer holds no list. */
export function messloRecords(answer: unknown, keys: readonly string[]): IDataObject[] | undefined {
	const objects = (list: unknown[]) => list.map((record) => (isRecord(record) ? record : { value: record as string }));
	if (Array.isArray(answer)) return objects(answer);
	if (!isRecord(answer)) return undefined;
	if (Array.isArray(answer.data)) return objects(answer.data);
	for (const key of keys) {
		if (Array.isArray(answer[key])) return objects(answer[key] as unknown[]);
		if (isRecord(answer.data) && Array.isArray(answer.data[key])) return objects(answer.data[key] as unknown[]);
	}
	return undefined;
}

const number = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN);

/** Whether a page is followed by another, from whatever paging info the answer carries. */
function hasNextPage(answer: unknown, page: number, pageSize: number, count: number): boolean {
	if (count === 0) return false;
	const holders = isRecord(answer) ? [answer.pagination, isRecord(answer.data) ? answer.data.pagination : undefined, answer.meta].filter(isRecord) : [];
	for (const holder of holders) {
		const totalPages = number(holder.totalPages ?? holder.total_pages ?? holder.last_page ?? holder.lastPage ?? holder.pages);
		if (Number.isFinite(totalPages)) return page < totalPages;
		const more = holder.hasNextPage ?? holder.has_next_page ?? holder.hasMore ?? holder.has_more ?? holder.hasNext;
		if (typeof more === 'boolean') return more;
		const total = number(holder.totalItems ?? holder.total_items ?? holder.total ?? holder.totalCount ?? holder.total_count);
		if (Number.isFinite(total)) return (page - 1) * pageSize + count < total;
	}
	return count >= pageSize;
}

/** Messlo's paged lists: `page` (from 1) and `limit`, as far as the paging info or a short page says. */
export function messloPages(keys: readonly string[], maxPageSize: number): PageScheme<number> {
	return {
		first: () => 1,
		maxPageSize,
		request: (spec, page, pageSize) => ({ ...spec, query: { ...spec.query, page, limit: pageSize } }),
		read: (answer, page, pageSize) => {
			const records = messloRecords(answer, keys) ?? [];
			return { records, next: hasNextPage(answer, page, pageSize, records.length) ? page + 1 : undefined };
		},
	};
}

/** A list Messlo returns whole (no paging parameters): Limit only trims it. */
export function messloWholeList(keys: readonly string[]): PageScheme<number> {
	return {
		first: () => 1,
		maxPageSize: Number.MAX_SAFE_INTEGER,
		request: (spec) => spec,
		read: (answer) => ({ records: messloRecords(answer, keys) ?? [] }),
	};
}

// ---------------------------------------------------------------------------------------------
// Success answers

const notFailed = (body: { success?: unknown }) => body.success !== false;

/** A field of an answer, at its top or inside its `data` (Messlo's answers put fields in either place). */
export function fieldOf(body: unknown, name: string): unknown {
	if (!isRecord(body)) return undefined;
	return body[name] ?? (isRecord(body.data) ? body.data[name] : undefined);
}

/**
 * An action's success answer (send, create, set up, sync, assign): a JSON object that says
 * `success: true`, or carries its `data`. Messlo documents no more than that envelope; an HTML
 * page, an empty body, `null` or `{}` is not it.
 */
export const MESSLO_DONE = z
	.object({ success: z.boolean().optional() })
	.passthrough()
	.refine((body) => body.success === true || (notFailed(body) && body.data !== undefined && body.data !== null), {
		message: 'neither success: true nor data',
	});

/** A list answer: records in `data` or under one of `keys` (at the top or inside `data`), never `success: false`. */
export function messloList(keys: readonly string[]) {
	return z.unknown().refine((body) => (Array.isArray(body) || (isRecord(body) && notFailed(body))) && messloRecords(body, keys) !== undefined, {
		message: 'holds no list',
	});
}

export const MESSLO_SUCCESS = {
	done: MESSLO_DONE,
	connections: messloList(LIST_KEYS.connections),
	phoneNumbers: messloList(LIST_KEYS.phoneNumbers),
	contacts: messloList(LIST_KEYS.contacts),
	chats: messloList(LIST_KEYS.chats),
	messages: messloList(LIST_KEYS.messages),
	templates: messloList(LIST_KEYS.templates),
	campaigns: messloList(LIST_KEYS.campaigns),
	agents: messloList(LIST_KEYS.agents),
	tags: messloList(LIST_KEYS.tags),
	segments: messloList(LIST_KEYS.segments),
	customFields: messloList(LIST_KEYS.customFields),
	flows: messloList(LIST_KEYS.flows),
	nodeTypes: messloList(LIST_KEYS.nodeTypes),
	executions: messloList(LIST_KEYS.executions),
	chatbots: messloList(LIST_KEYS.chatbots),
	messageBots: messloList(LIST_KEYS.messageBots),
	quickReplies: messloList(LIST_KEYS.quickReplies),
	replyMaterials: messloList(LIST_KEYS.replyMaterials),
	forms: messloList(LIST_KEYS.forms),
	packs: messloList(LIST_KEYS.packs),
	sequences: messloList(LIST_KEYS.sequences),
	funnels: messloList(LIST_KEYS.funnels),
	catalogs: messloList(LIST_KEYS.catalogs),
	products: messloList(LIST_KEYS.products),
	orderWebhooks: messloList(LIST_KEYS.orderWebhooks),
	/** Login start: the session, at the top (as Messlo's documentation shows it) or in `data`. */
	loginStarted: z.unknown().refine((body) => isRecord(body) && notFailed(body) && text(fieldOf(body, 'sessionId')) !== undefined, {
		message: 'names no sessionId',
	}),
	/** Login status: the session's state (`verificationToken` once verified). */
	loginStatus: z.unknown().refine((body) => isRecord(body) && notFailed(body) && (fieldOf(body, 'status') !== undefined || fieldOf(body, 'verificationToken') !== undefined), {
		message: 'gives neither a status nor a verificationToken',
	}),
	/** Verify token: `valid: true` and the verified user. */
	tokenVerified: z.unknown().refine((body) => isRecord(body) && fieldOf(body, 'valid') === true && isRecord(fieldOf(body, 'user')), {
		message: 'is not valid: true with the user',
	}),
	/** Validate media URL: Messlo's own client takes `success: true` or `reachable: true`. */
	mediaCheck: z
		.object({ success: z.boolean().optional(), reachable: z.boolean().optional() })
		.passthrough()
		.refine((body) => body.success === true || body.reachable === true, { message: 'neither success: true nor reachable: true' }),
};

/** GET /api/whatsapp/connections answered with the account's WABAs: what a working API key gets. */
export const MESSLO_CONNECTIONS_SUCCESS = MESSLO_SUCCESS.connections;

export const messlo: Provider = {
	displayName: 'Messlo',
	credentialType: 'messloApi',
	baseUrl: (credentials) => String(credentials.baseUrl || MESSLO_DEFAULT_BASE_URL),
	errorOf: messloErrorOf,
	secretFields: ['apiKey'],
	hint: messloHint,
};
/** Listing the WhatsApp connections is the first call Messlo's documentation makes with a new key. */
export const testMessloCredential = credentialTest(messlo, MessloApi, {
	request: { method: 'GET', path: 'api/whatsapp/connections' },
	accepts: [{ status: 200, shape: MESSLO_CONNECTIONS_SUCCESS, what: 'its WhatsApp connections' }],
	baseUrlLabel: 'Base URL',
});

// ---------------------------------------------------------------------------------------------
// Output

/** The useful part of an answer: its `data` when there is one, else the answer without `success`. */
export function dataOf(result: unknown): IDataObject | IDataObject[] {
	if (!isRecord(result)) return { success: true };
	const { data } = result;
	if (Array.isArray(data)) return data.map((record) => (isRecord(record) ? record : { value: record as string }));
	if (isRecord(data)) return data;
	const { success: _success, ...rest } = result;
	return Object.keys(rest).length ? rest : { success: true };
}

/** One output item per record of a list answer. */
export const recordsOf =
	(keys: readonly string[]) =>
	(result: unknown): INodeExecutionData[] =>
		(messloRecords(result, keys) ?? []).map((json) => ({ json }));

/** The id Messlo gives a record: `id`, else `_id` (the order Messlo's own client reads them in). */
export const recordId = (record: IDataObject): string | undefined => text(record.id) ?? (typeof record.id === 'number' ? String(record.id) : undefined) ?? text(record._id);

// ---------------------------------------------------------------------------------------------
// Reading parameters into Messlo's fields

/** A phone number in Messlo's send form: country code and number, digits only (`919876543210`). */
export function messloDigits(item: ItemReader, name: string, value?: string): string {
	return toDigits(item.phone(name, value ?? item.string(name)));
}

/**
 * A list parameter: a list from an expression, or text with one entry per line or separated by
 * commas. Entries are trimmed; empty ones dropped.
 */
export function listEntries(item: ItemReader, name: string, value: unknown = item.raw(name, '')): string[] {
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,;]+/) : value === undefined || value === null ? [] : [value];
	return entries.map((entry, index) => {
		if (typeof entry === 'object' && entry !== null) {
			item.fail(`${item.label(name)}: entry ${index + 1} is an object, not text`, 'Give a list of texts, e.g. {{ $json.items.map(i => i.id) }}.');
		}
		return String(entry ?? '').trim();
	}).filter((entry) => entry !== '');
}

/** Key/value pairs (`[{ key, value }]`) as an object; keys must be unique, values text. */
export function pairsObject(item: ItemReader, label: string, pairs: unknown, keyLabel = 'key'): IDataObject {
	const result: IDataObject = {};
	for (const [index, pair] of (Array.isArray(pairs) ? pairs : []).entries()) {
		const { key: rawKey, value } = (isRecord(pair) ? pair : {}) as { key?: unknown; value?: unknown };
		const key = String(rawKey ?? '').trim();
		if (key === '') item.fail(`${label}: entry ${index + 1} has no ${keyLabel}`, `Give every entry its ${keyLabel}, or remove the empty one.`);
		if (key in result) item.fail(`${label} has the ${keyLabel} "${key}" twice`, 'Give each one once.');
		if (typeof value === 'object' && value !== null) item.fail(`${label}: the value of "${key}" must be text, not ${Array.isArray(value) ? 'a list' : 'an object'}`);
		result[key] = value === undefined || value === null ? '' : String(value);
	}
	return result;
}

/** The key/value pairs of fixedCollection `name` (entries under `option`) as an object. */
export function keyValues(item: ItemReader, name: string, option = 'variable', keyLabel = 'key'): IDataObject {
	return pairsObject(item, item.label(name), item.collection(name)[option], keyLabel);
}

/** The JSON object in `value` (text or an object from an expression), or the item fails naming `label`. */
export function jsonObject(item: ItemReader, label: string, value: unknown): IDataObject {
	let parsed = value;
	if (value === undefined || value === null) return {};
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			item.fail(`${label} is not valid JSON`, `${(error as Error).message}. Enter a JSON object, e.g. {"name": "value"}.`);
		}
	}
	if (!isRecord(parsed)) item.fail(`${label} must be a JSON object ({ … })`, 'Enter the extra fields as one JSON object, e.g. {"name": "value"}.');
	return parsed;
}

/**
 * The JSON list in `value` (text or a list from an expression), its entries objects, or the item
 * fails naming `label`. Empty text is an empty list.
 */
export function jsonObjectList(item: ItemReader, label: string, value: unknown, example: string): IDataObject[] {
	let parsed = value;
	if (value === undefined || value === null) return [];
	if (typeof value === 'string') {
		if (value.trim() === '') return [];
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			item.fail(`${label} is not valid JSON`, `${(error as Error).message}. Enter a JSON list, e.g. ${example}.`);
		}
	}
	if (!Array.isArray(parsed)) item.fail(`${label} must be a JSON list ([ … ]), not ${isRecord(parsed) ? 'an object' : typeof parsed}`, `Enter a list, e.g. ${example}.`);
	parsed.forEach((entry, index) => {
		if (!isRecord(entry)) item.fail(`${label}: entry ${index + 1} must be an object ({ … })`, `Each entry is one object, e.g. ${example}.`);
	});
	return parsed as IDataObject[];
}

export const ADDITIONAL_BODY_FIELDS_NAME = 'additionalBodyFields';

/** The "Additional Body Fields (JSON)" option: fields Messlo accepts that the node does not list. */
export const additionalBodyFieldsOption = {
	displayName: 'Additional Body Fields (JSON)',
	name: ADDITIONAL_BODY_FIELDS_NAME,
	type: 'json' as const,
	default: '{}',
	description:
		'More fields for the request body, as one JSON object, for what Messlo\'s API document does not describe. They are sent as given, beside the fields above (which they cannot replace).',
};

/** Adds the extra fields of collection `collection` to `body`; a field the node already sets is refused. */
export function withAdditionalFields(item: ItemReader, collection: string, body: IDataObject): IDataObject {
	const label = item.label(`${collection}.${ADDITIONAL_BODY_FIELDS_NAME}`);
	const extra = jsonObject(item, label, item.collection(collection)[ADDITIONAL_BODY_FIELDS_NAME]);
	const clash = Object.keys(extra).filter((key) => key in body);
	if (clash.length) {
		item.fail(`${label} sets ${clash.map((key) => `"${key}"`).join(', ')}, which the node already sends`, 'Set it in its own field instead, and remove it from the JSON.');
	}
	return { ...body, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Times

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** How far `timeZone` is ahead of UTC at the instant `utcMs`, in milliseconds. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A date-time parameter as an instant: with its own offset (`Z`, `+02:00`) as given, without one
 * (as the editor's date picker gives it) in the workflow's time zone.
 */
export function instantOf(item: ItemReader, name: string, value: unknown): number {
	let given = value;
	if (isRecord(given) && typeof (given as { toISO?: unknown }).toISO === 'function') given = (given as unknown as { toISO(): string }).toISO();
	if (given instanceof Date) return given.getTime();
	const shown = String(given ?? '').trim();
	const wall = WALL_TIME.exec(shown);
	if (wall) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = wall;
		const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
		const timeZone = item.ctx.getTimezone();
		const first = asUtc - zoneOffsetMs(asUtc, timeZone);
		return asUtc - zoneOffsetMs(first, timeZone);
	}
	const parsed = /\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(shown) ? Date.parse(shown) : NaN;
	if (!Number.isFinite(parsed)) item.fail(`${item.label(name)} is not a date and time: "${shown}"`, 'Pick a date and time, or give one like 2026-04-15T10:00:00Z.');
	return parsed;
}

/** An instant as Messlo's examples write it: ISO 8601 in UTC, `2026-04-15T10:00:00Z`. */
export const isoUtc = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** A date parameter as `YYYY-MM-DD` (the day as given, or in the workflow's time zone for an instant). */
export function dayOf(item: ItemReader, name: string, value: unknown): string {
	const shown = typeof value === 'string' ? value.trim() : '';
	const day = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(shown);
	if (day) return day[1];
	const instant = instantOf(item, name, value);
	return new Date(instant + zoneOffsetMs(instant, item.ctx.getTimezone())).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Files

/** WhatsApp Cloud API's own types and limits for uploaded media (Messlo's document states none of its own). */
export const UPLOAD_RULES: Record<string, MediaRule> = {
	image: { label: 'Image', maxBytes: 5 * MB, extensions: ['jpg', 'jpeg', 'png'] },
	video: { label: 'Video', maxBytes: 16 * MB, extensions: ['mp4', '3gp'] },
	audio: { label: 'Audio', maxBytes: 16 * MB, extensions: ['aac', 'amr', 'm4a', 'mp3', 'ogg', 'opus'] },
	document: { label: 'Document', maxBytes: 100 * MB, extensions: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt'] },
};

/** Which of WhatsApp's media kinds a file is, by its MIME type; anything else is a document. */
export function mediaKindOf(file: MediaFile): string {
	const kind = fileKind(file);
	const [family] = (isKindConflict(kind) ? file.mimeType : kind.mimeType).split('/');
	return ['image', 'video', 'audio'].includes(family) ? family : 'document';
}

/** Body fields as multipart text parts: lists and objects as JSON text, empty values left out. */
export function textParts(body: IDataObject): Array<{ field: string; value: string | number | boolean }> {
	return Object.entries(body)
		.filter(([, value]) => value !== undefined && value !== null && value !== '')
		.map(([field, value]) => ({ field, value: typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean) }));
}

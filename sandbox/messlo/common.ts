/**
 * What every Messlo route shares: the envelope (`{ success, message?, data, pagination? }`), the
 * error body (`{ success: false, message, error, errors? }`), paging by `page` + `limit`, and the
 * zod pieces the contracts are built from.
 */
import { z } from 'zod';

import { routeFor, SandboxError, type ErrorInfo, type ErrorKind, type Problem, type UploadedFile } from '../framework';
import { findConnection, OBJECT_ID, type Connection, type MessloState } from './state';

export const route = routeFor<MessloState>();

// ---------------------------------------------------------------------------------------------
// Answers

/** Messlo's success envelope. */
export function ok(data: unknown, extra: Record<string, unknown> = {}) {
	return { success: true, ...extra, data };
}

export interface Pagination {
	page: number;
	limit: number;
	totalItems: number;
	totalPages: number;
}

/** One page of `items` (already in the order served) and its `pagination`. */
export function slice<T>(items: readonly T[], query: { page: number; limit: number }, toJson: (item: T) => unknown): { records: unknown[]; pagination: Pagination } {
	const start = (query.page - 1) * query.limit;
	const pagination: Pagination = {
		page: query.page,
		limit: query.limit,
		totalItems: items.length,
		totalPages: Math.ceil(items.length / query.limit),
	};
	return { records: items.slice(start, start + query.limit).map(toJson), pagination };
}

/** One page of `items` (already in the order served) in the envelope, with its `pagination`. */
export function page<T>(items: readonly T[], query: { page: number; limit: number }, toJson: (item: T) => unknown) {
	const { records, pagination } = slice(items, query, toJson);
	return ok(records, { pagination });
}

const ERROR_CODES: Record<ErrorKind, string> = {
	validation: 'VALIDATION_ERROR',
	unauthorized: 'UNAUTHORIZED',
	forbidden: 'FORBIDDEN',
	not_found: 'NOT_FOUND',
	method_not_allowed: 'METHOD_NOT_ALLOWED',
	unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
	payload_too_large: 'PAYLOAD_TOO_LARGE',
	bad_request: 'BAD_REQUEST',
	conflict: 'CONFLICT',
	rate_limited: 'TOO_MANY_REQUESTS',
	server_error: 'INTERNAL_SERVER_ERROR',
};

/** Messlo's error body: the text in `message` (what clients show), a code in `error`, fields in `errors`. */
export function errorBody({ kind, code, problems }: ErrorInfo) {
	const message =
		kind === 'validation' && problems.length > 1
			? `Validation failed: ${problems.map((problem) => problem.message).join(' ')}`
			: problems.map((problem) => problem.message).join(' ') || 'Request failed';
	return {
		success: false,
		message,
		error: code ?? ERROR_CODES[kind],
		...(kind === 'validation' ? { errors: problems.map((problem) => ({ field: problem.field ?? '', message: problem.message })) } : {}),
	};
}

/** A refusal by a business rule (the 24-hour window, a template not approved, …): a 400 with a code. */
export const refused = (code: string, message: string, field?: string) =>
	new SandboxError(400, 'bad_request', [{ field, message }], code);

export const missing = (message: string, code = 'NOT_FOUND') => new SandboxError(404, 'not_found', [{ message }], code);

export const conflict = (message: string, code = 'ALREADY_EXISTS') => new SandboxError(409, 'conflict', [{ message }], code);

// ---------------------------------------------------------------------------------------------
// Validation

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** A zod issue in plain words, naming the field. */
export function messloProblems(issue: z.ZodIssue): Problem[] {
	const field = issue.path.join('.') || undefined;
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => {
			const name = field ? `${field}.${key}` : key;
			return { field: name, message: `${name} is not a field of this request.` };
		});
	}
	if (issue.code === 'invalid_type') {
		if (!field) return [{ message: 'The request body must be a JSON object.' }];
		if (issue.received === 'undefined') return [{ field, message: `${field} is required.` }];
		return [{ field, message: `${field} must be ${article(issue.expected)} ${issue.expected}, not ${issue.received}.` }];
	}
	if (issue.code === 'invalid_enum_value') return [{ field, message: `${field} must be one of ${issue.options.join(', ')}.` }];
	if (issue.code === 'invalid_literal') return [{ field, message: `${field} must be ${JSON.stringify(issue.expected)}.` }];
	if (issue.code === 'invalid_union_discriminator') return [{ field, message: `${field} must be one of ${issue.options.join(', ')}.` }];
	return [{ field, message: field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message }];
}

/** Parses or throws the 400 a route's own schemas would give. */
export function parseOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, prefix = ''): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const problems = result.error.issues.flatMap((issue) => messloProblems(issue));
	throw new SandboxError(
		400,
		'validation',
		prefix ? problems.map((problem) => ({ ...problem, field: problem.field && `${prefix}${problem.field}` })) : problems,
	);
}

export const invalidField = (field: string, message: string) => new SandboxError(400, 'validation', [{ field, message }]);

export const nonEmpty = (name: string, max?: number) => {
	const text = z.string().trim().min(1, `${name} must not be empty.`);
	return max === undefined ? text : text.max(max, `${name} must be at most ${max} characters.`);
};

export const objectId = (name: string) => z.string().regex(OBJECT_ID, `${name} must be a Messlo id (24 hexadecimal characters).`);

/** Phone digits with the country code and no `+`, as `contact_no` and `whatsapp_phone_number` take them. */
export const phoneDigits = (name: string) =>
	z
		.string()
		.refine((value) => !value.startsWith('+'), `${name} must be digits with the country code and no + (e.g. 919876543210).`)
		.refine((value) => value.startsWith('+') || /^\d{7,15}$/.test(value), `${name} must be 7 to 15 digits with the country code (e.g. 919876543210).`);

/** A phone number in E.164 (`+919876543210`) or as digits with the country code. */
export const phoneE164 = (name: string) =>
	z.string().regex(/^\+?\d{7,15}$/, `${name} must be a phone number with country code, e.g. +919876543210.`);

export const email = (name: string) => z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, `${name} must be an email address.`);

export function isHttpUrl(value: string, secure = false): boolean {
	try {
		const url = new URL(value);
		return (secure ? url.protocol === 'https:' : /^https?:$/.test(url.protocol)) && url.hostname !== '';
	} catch {
		return false;
	}
}

export const httpUrl = (name: string) => z.string().refine((value) => isHttpUrl(value), `${name} must be a public http or https URL.`);
export const httpsUrl = (name: string) => z.string().refine((value) => isHttpUrl(value, true), `${name} must be a public https URL.`);

/**
 * Whether Meta could fetch a media URL. The sandbox reaches no internet: a URL is "unreachable" when
 * its host ends in `.invalid` or is `unreachable.example`, or its path holds `/missing/` (a 404).
 */
export function urlReachable(value: string): { reachable: true } | { reachable: false; reason: string } {
	const url = new URL(value);
	if (url.hostname.endsWith('.invalid') || url.hostname === 'unreachable.example') {
		return { reachable: false, reason: `The host ${url.hostname} could not be resolved.` };
	}
	if (url.pathname.includes('/missing/')) return { reachable: false, reason: 'The URL answered 404 Not Found.' };
	return { reachable: true };
}

export const MEDIA_KINDS = ['image', 'video', 'audio', 'document'] as const;

const EXTENSIONS: Record<(typeof MEDIA_KINDS)[number], string[]> = {
	image: ['jpg', 'jpeg', 'png', 'webp'],
	video: ['mp4', '3gp'],
	audio: ['mp3', 'aac', 'amr', 'ogg', 'm4a', 'opus'],
	document: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv', 'zip'],
};

/** The media kind a URL's file extension names, if any. */
export function mediaKindOfUrl(value: string): (typeof MEDIA_KINDS)[number] | undefined {
	const name = new URL(value).pathname.toLowerCase();
	const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
	return MEDIA_KINDS.find((kind) => EXTENSIONS[kind].includes(extension));
}

/** Meta Cloud API's media rules (Messlo states none of its own): types and sizes per kind. */
export const MEDIA_RULES: Record<(typeof MEDIA_KINDS)[number], { maxBytes: number; mimeTypes: RegExp; label: string }> = {
	image: { maxBytes: 5 * 1024 * 1024, mimeTypes: /^image\/(jpeg|png)$/, label: 'JPEG or PNG, at most 5 MB' },
	video: { maxBytes: 16 * 1024 * 1024, mimeTypes: /^video\/(mp4|3gpp)$/, label: 'MP4 or 3GPP, at most 16 MB' },
	audio: { maxBytes: 16 * 1024 * 1024, mimeTypes: /^audio\/(aac|mp4|mpeg|amr|ogg)$/, label: 'AAC, MP4, MPEG, AMR or OGG audio, at most 16 MB' },
	document: { maxBytes: 100 * 1024 * 1024, mimeTypes: /^(application|text)\//, label: 'a document (application/* or text/*), at most 100 MB' },
};

/** What is wrong with an uploaded file for a media kind, if anything. */
export function fileProblem(file: UploadedFile, kind: (typeof MEDIA_KINDS)[number], field: string): Problem | undefined {
	const rule = MEDIA_RULES[kind];
	if (!rule.mimeTypes.test(file.contentType)) {
		return { field, message: `${field} is ${file.contentType}; a WhatsApp ${kind} must be ${rule.label}.` };
	}
	if (file.size > rule.maxBytes) {
		return { field, message: `${field} is ${file.size} bytes; a WhatsApp ${kind} must be ${rule.label}.` };
	}
	if (file.size === 0) return { field, message: `${field} is empty.` };
	return undefined;
}

/** Query `page` (1-based) and `limit` with the endpoint's default and maximum. */
export function pageQuery(defaultLimit: number, maxLimit: number) {
	return {
		page: z.coerce.number({ invalid_type_error: 'page must be a whole number from 1.' }).int('page must be a whole number from 1.').min(1, 'page must be a whole number from 1.').default(1),
		limit: z.coerce
			.number({ invalid_type_error: `limit must be a whole number from 1 to ${maxLimit}.` })
			.int(`limit must be a whole number from 1 to ${maxLimit}.`)
			.min(1, `limit must be a whole number from 1 to ${maxLimit}.`)
			.max(maxLimit, `limit must be a whole number from 1 to ${maxLimit}.`)
			.default(defaultLimit),
	};
}

/** A body that must be empty (`{}`) or absent. */
export const emptyBody = z.object({}).strict();

/** The WABA a path or body names (document id or Meta id), or a 404. */
export function requireConnection(state: MessloState, wabaId: string, field = 'waba_id'): Connection {
	const connection = findConnection(state, wabaId);
	if (!connection) throw missing(`No WhatsApp Business Account ${wabaId} is connected to this workspace (${field}: use an id from GET /api/whatsapp/connections).`, 'WABA_NOT_FOUND');
	return connection;
}

/** Text search, case-insensitive, over the given fields. */
export const matches = (search: string | undefined, ...fields: Array<string | null | undefined>) =>
	!search || fields.some((field) => (field ?? '').toLowerCase().includes(search.toLowerCase()));

/** Newest first by an ISO field, ties by id (ids grow with creation). */
export function newestFirst<T extends { _id: string }>(items: readonly T[], at: (item: T) => string | null): T[] {
	return [...items].sort((a, b) => Date.parse(at(b) ?? '') - Date.parse(at(a) ?? '') || (b._id < a._id ? -1 : b._id > a._id ? 1 : 0));
}

/** A multipart string part that carries JSON (objects and arrays are JSON-stringified in Messlo's forms). */
export function jsonPart(field: string) {
	return z.string().transform((text, context) => {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			context.addIssue({ code: z.ZodIssueCode.custom, message: `${field} must be JSON (an array or object sent as a string part).` });
			return z.NEVER;
		}
	});
}

/** A multipart boolean part: `true` / `false`. */
export const booleanPart = (field: string) =>
	z.enum(['true', 'false'], { errorMap: () => ({ message: `${field} must be true or false.` }) }).transform((value) => value === 'true');

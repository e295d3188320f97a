/** What a Laravel API does on the wire: its validation wording, form handling and paginator. */
import { z } from 'zod';

import type { Problem } from './errors';
import { extensionOf, isUploadedFile, type UploadedFile } from './http-body';

/** Laravel's display name of a field: `mobile_code` → `mobile code`. */
export function attributeName(path: readonly (string | number)[]): string {
	return path.map(String).join('.').replace(/_/g, ' ');
}

/**
 * Zod issue → Laravel message. Schemas write their own messages with `:attribute`
 * (e.g. 'The :attribute field must be an integer.'); the rest get Laravel's defaults.
 */
export function laravelProblems(issue: z.ZodIssue): Problem[] {
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => ({
			field: [...issue.path, key].join('.'),
			message: `The ${key} field is prohibited.`,
		}));
	}
	const field = issue.path.join('.') || undefined;
	const attribute = attributeName(issue.path);
	let message: string;
	if (issue.code === 'invalid_type' && (issue.received === 'undefined' || issue.received === 'null')) {
		message = 'The :attribute field is required.';
	} else if (issue.message.includes(':attribute')) {
		message = issue.message;
	} else if (issue.code === 'invalid_type') {
		message = `The :attribute field must be ${issue.expected === 'array' || issue.expected === 'integer' ? 'an' : 'a'} ${issue.expected}.`;
	} else {
		message = `The :attribute field is invalid (${issue.message}).`;
	}
	return [{ field, message: message.replace(/:attribute/g, attribute) }];
}

/** Laravel's ConvertEmptyStringsToNull middleware: a blank form field is null. */
export function blankToNull(value: unknown): unknown {
	if (value === '') return null;
	if (Array.isArray(value)) return value.map(blankToNull);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, blankToNull(entry)]));
	}
	return value;
}

/** Form fields (query string, urlencoded or multipart): blanks are null, unknown fields are refused. */
export function formFields<T extends z.ZodRawShape>(shape: T) {
	return z.preprocess(blankToNull, z.object(shape).strict());
}

export function text(max = 255) {
	return z
		.string({ invalid_type_error: 'The :attribute field must be a string.' })
		.max(max, `The :attribute field must not be greater than ${max} characters.`);
}

export function digits(min: number, max: number, hint = '') {
	return z
		.string({ invalid_type_error: 'The :attribute field must be a string.' })
		.regex(/^\d*$/, `The :attribute field must contain only digits${hint}.`)
		.refine((value) => !/^\d*$/.test(value) || (value.length >= min && value.length <= max), {
			message: `The :attribute field must be between ${min} and ${max} digits.`,
		});
}

export function integer(range: { min?: number; max?: number } = {}) {
	let number = z.number();
	if (range.min !== undefined) number = number.min(range.min, `The :attribute field must be at least ${range.min}.`);
	if (range.max !== undefined) number = number.max(range.max, `The :attribute field must not be greater than ${range.max}.`);
	return z
		.string({ invalid_type_error: 'The :attribute field must be an integer.' })
		.trim()
		.regex(/^[-+]?\d+$/, 'The :attribute field must be an integer.')
		.transform(Number)
		.pipe(number);
}

export function decimal(min: number, max: number) {
	const between = `The :attribute field must be between ${min} and ${max}.`;
	return z
		.string({ invalid_type_error: 'The :attribute field must be a number.' })
		.trim()
		.regex(/^[-+]?(\d+(\.\d*)?|\.\d+)$/, 'The :attribute field must be a number.')
		.transform(Number)
		.pipe(z.number().min(min, between).max(max, between));
}

export interface FileRule {
	/** Laravel's `max` for files, in kilobytes. */
	maxKb: number;
	/** Accepted extensions (Laravel `mimes:`); a file passes on its extension or its content type. */
	extensions?: readonly string[];
	contentTypes?: readonly string[];
	/** A content type prefix that is enough, e.g. 'audio/'. */
	contentTypePrefix?: string;
	/** How the type rule reads in the message, default "a file of type: <extensions>". */
	typeLabel?: string;
}

export function fileTypeAllowed(file: UploadedFile, rule: FileRule): boolean {
	const contentType = file.contentType.toLowerCase();
	return (
		(rule.extensions ?? []).includes(extensionOf(file.filename)) ||
		(rule.contentTypes ?? []).includes(contentType) ||
		(rule.contentTypePrefix !== undefined && contentType.startsWith(rule.contentTypePrefix))
	);
}

export function file(rule: FileRule) {
	const typeLabel = rule.typeLabel ?? `a file of type: ${(rule.extensions ?? []).join(', ')}`;
	return z.custom<UploadedFile>().superRefine((value, context) => {
		if (!isUploadedFile(value)) {
			context.addIssue({ code: 'custom', message: 'The :attribute field must be a file.' });
			return;
		}
		if (!fileTypeAllowed(value, rule)) {
			context.addIssue({ code: 'custom', message: `The :attribute field must be ${typeLabel}.` });
		}
		if (value.size > rule.maxKb * 1024) {
			context.addIssue({ code: 'custom', message: `The :attribute field must not be greater than ${rule.maxKb} kilobytes.` });
		}
	});
}

/** For a body field that must come as an uploaded file: sent as text, it is an error. */
export const uploadOnly = z.null({ invalid_type_error: 'The :attribute field must be a file.' }).optional();

/** Laravel's LengthAwarePaginator as JSON (without `links`). */
export interface LaravelPage<T> {
	current_page: number;
	data: T[];
	first_page_url: string;
	from: number | null;
	last_page: number;
	last_page_url: string;
	next_page_url: string | null;
	path: string;
	per_page: number;
	prev_page_url: string | null;
	to: number | null;
	total: number;
}

/**
 * @param path the endpoint's absolute URL without query
 * @param keep query parameters carried into page URLs (Laravel's withQueryString)
 */
export function paginate<T>(
	items: readonly T[],
	options: { page: number; perPage: number; path: string; keep?: Record<string, string | number | undefined> },
): LaravelPage<T> {
	const { page, perPage, path } = options;
	const total = items.length;
	const lastPage = Math.max(1, Math.ceil(total / perPage));
	const start = (page - 1) * perPage;
	const data = items.slice(start, start + perPage);
	const urlOf = (target: number) => {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(options.keep ?? {})) {
			if (value !== undefined) params.set(key, String(value));
		}
		params.set('page', String(target));
		return `${path}?${params.toString()}`;
	};
	return {
		current_page: page,
		data,
		first_page_url: urlOf(1),
		from: data.length ? start + 1 : null,
		last_page: lastPage,
		last_page_url: urlOf(lastPage),
		next_page_url: page < lastPage ? urlOf(page + 1) : null,
		path,
		per_page: perPage,
		prev_page_url: page > 1 ? urlOf(page - 1) : null,
		to: data.length ? start + data.length : null,
		total,
	};
}

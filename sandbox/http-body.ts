import type { IncomingMessage } from 'node:http';

import { SandboxError } from './errors';

export interface UploadedFile {
	filename: string;
	contentType: string;
	size: number;
	buffer: Buffer;
}

/** Files by form field, as PHP's $_FILES sees them: `image` is one file, `media[]` a list. */
export type FileFields = Record<string, UploadedFile | UploadedFile[]>;

export type FileInfo = Omit<UploadedFile, 'buffer'> & { field: string };

export type BodyFormat = 'json' | 'form' | 'multipart';

export interface ParsedBody {
	/** null when the request had no body; 'other' for a content type no simulator parses. */
	format: BodyFormat | 'other' | null;
	body: unknown;
	files: FileFields;
	/** Set when the body claimed a format but could not be parsed (e.g. broken JSON). */
	error?: string;
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => {
			if (tooLarge) {
				reject(
					new SandboxError(413, 'payload_too_large', [
						{ message: `The request body exceeds the sandbox limit of ${maxBytes} bytes.` },
					]),
				);
			} else resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

export function mediaTypeOf(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function formatOf(contentType: string | undefined, raw: Buffer): ParsedBody['format'] {
	// An empty body is no body, whatever Content-Type a client put on its GET.
	if (raw.length === 0) return null;
	const mediaType = mediaTypeOf(contentType);
	if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
	if (mediaType === 'application/x-www-form-urlencoded') return 'form';
	if (mediaType === 'multipart/form-data') return 'multipart';
	return 'other';
}

export interface ParseOptions {
	/**
	 * A file field sent more than once without `[]`: PHP keeps the last part (default); Node servers
	 * (multer, busboy) keep them all, as a list.
	 */
	repeatedFiles?: 'last' | 'list';
}

export async function parseBody(raw: Buffer, contentType: string | undefined, options: ParseOptions = {}): Promise<ParsedBody> {
	const format = formatOf(contentType, raw);
	switch (format) {
		case null:
			return { format, body: {}, files: {} };
		case 'json':
			try {
				return { format, body: JSON.parse(raw.toString('utf8')), files: {} };
			} catch {
				return { format, body: preview(raw), files: {}, error: 'The request body is not valid JSON.' };
			}
		case 'form':
			return { format, body: parseFormFields(new URLSearchParams(raw.toString('utf8'))), files: {} };
		case 'multipart':
			try {
				return { format, ...(await parseMultipart(raw, contentType!, options)) };
			} catch {
				return { format, body: preview(raw), files: {}, error: 'The multipart/form-data body could not be parsed.' };
			}
		default:
			return { format, body: preview(raw), files: {} };
	}
}

/** Query strings and urlencoded bodies, with PHP's bracket keys (`a[]=1`, `to[phone]=2`). */
export function parseFormFields(params: URLSearchParams): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	params.forEach((value, key) => setFormValue(fields, key, value));
	return fields;
}

async function parseMultipart(
	raw: Buffer,
	contentType: string,
	options: ParseOptions,
): Promise<{ body: Record<string, unknown>; files: FileFields }> {
	// The WHATWG Request built into Node parses multipart for us; copy into a plain ArrayBuffer-backed view.
	const request = new Request('http://sandbox.invalid/', {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: new Uint8Array(raw),
	});
	const form = await request.formData();
	const entries: Array<[string, FormDataEntryValue]> = [];
	form.forEach((value, key) => entries.push([key, value]));

	const body: Record<string, unknown> = {};
	const files: FileFields = {};
	for (const [key, value] of entries) {
		if (typeof value === 'string') {
			setFormValue(body, key, value);
			continue;
		}
		// A file input left empty arrives as a nameless, empty part; PHP treats it as "no upload".
		if (value.name === '' && value.size === 0) continue;
		const buffer = Buffer.from(await value.arrayBuffer());
		addFile(
			files,
			key,
			{ filename: value.name, contentType: value.type || 'application/octet-stream', size: buffer.length, buffer },
			options.repeatedFiles ?? 'last',
		);
	}
	return { body, files };
}

function addFile(files: FileFields, key: string, file: UploadedFile, repeated: 'last' | 'list'): void {
	if (key.endsWith('[]')) {
		const name = key.slice(0, -2);
		const existing = files[name];
		files[name] = Array.isArray(existing) ? [...existing, file] : existing ? [existing, file] : [file];
	} else if (repeated === 'list' && files[key] !== undefined) {
		const existing = files[key]!;
		files[key] = Array.isArray(existing) ? [...existing, file] : [existing, file];
	} else files[key] = file;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function setFormValue(target: Record<string, unknown>, key: string, value: string): void {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	const path = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)] : [key];
	if (path.some((segment) => UNSAFE_KEYS.has(segment))) return;

	let container: Record<string, unknown> | unknown[] = target;
	path.forEach((segment, index) => {
		const last = index === path.length - 1;
		if (last) {
			if (Array.isArray(container)) container.push(value);
			else container[segment] = value;
			return;
		}
		const wantsArray = path[index + 1] === '';
		const fresh = (): Record<string, unknown> | unknown[] => (wantsArray ? [] : {});
		if (Array.isArray(container)) {
			const child = fresh();
			container.push(child);
			container = child;
		} else {
			const existing = container[segment];
			const child = existing !== null && typeof existing === 'object' ? (existing as Record<string, unknown>) : fresh();
			container[segment] = child;
			container = child;
		}
	});
}

export function describeFiles(files: FileFields): FileInfo[] {
	return Object.entries(files).flatMap(([field, entry]) =>
		(Array.isArray(entry) ? entry : [entry]).map(({ filename, contentType, size }) => ({ field, filename, contentType, size })),
	);
}

export function isUploadedFile(value: unknown): value is UploadedFile {
	return (
		typeof value === 'object' &&
		value !== null &&
		Buffer.isBuffer((value as UploadedFile).buffer) &&
		typeof (value as UploadedFile).filename === 'string'
	);
}

export function extensionOf(filename: string): string {
	const dot = filename.lastIndexOf('.');
	return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

const PREVIEW_LIMIT = 64 * 1024;

function preview(raw: Buffer): string {
	const text = raw.subarray(0, PREVIEW_LIMIT).toString('utf8');
	return raw.length > PREVIEW_LIMIT ? `${text}… (${raw.length} bytes)` : text;
}

/** Small HTTP helpers for the sandbox's own tests: real requests with global fetch. */

export type FormPart = string | { content: Buffer | string; filename: string; type?: string };

export interface CallOptions {
	headers?: Record<string, string>;
	/** multipart/form-data */
	form?: Record<string, FormPart>;
	/** application/x-www-form-urlencoded */
	fields?: Record<string, string>;
	json?: unknown;
	signal?: AbortSignal;
}

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function call(method: string, url: string, options: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...options.headers };
	let body: BodyInit | undefined;
	if (options.form) {
		const form = new FormData();
		for (const [name, part] of Object.entries(options.form)) {
			if (typeof part === 'string') form.append(name, part);
			else {
				const bytes = typeof part.content === 'string' ? Buffer.from(part.content) : part.content;
				form.append(name, new Blob([new Uint8Array(bytes)], { type: part.type ?? 'application/octet-stream' }), part.filename);
			}
		}
		body = form;
	} else if (options.fields) {
		body = new URLSearchParams(options.fields);
	} else if (options.json !== undefined) {
		body = JSON.stringify(options.json);
		headers['content-type'] = 'application/json';
	}
	const response = await fetch(url, { method, headers, body, signal: options.signal });
	const text = await response.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

/** A file of the given size (bytes) whose first bytes look like the type it claims. */
export function fakeFile(kind: 'png' | 'jpg' | 'pdf' | 'mp4' | 'ogg' | 'txt', size = 1024): Buffer {
	const magic: Record<typeof kind, number[]> = {
		png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		jpg: [0xff, 0xd8, 0xff, 0xe0],
		pdf: [...Buffer.from('%PDF-1.4\n')],
		mp4: [0, 0, 0, 0x18, ...Buffer.from('ftypmp42')],
		ogg: [...Buffer.from('OggS')],
		txt: [...Buffer.from('hello')],
	};
	const buffer = Buffer.alloc(size, 0x20);
	Buffer.from(magic[kind]).copy(buffer);
	return buffer;
}

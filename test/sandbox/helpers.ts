/** Small helpers for the sandbox's own tests: Jest hooks, and real requests with global fetch. */
import { startReceiver, type ReceivedCall, type Receiver, type ReceiverAnswer } from '../support/receiver';

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

/**
 * `call` for paths below `base()` (read at call time: servers get their port in beforeAll), with
 * `headers` (a provider's auth) that a call's own headers add to or override.
 */
export function caller(base: () => string, headers: Record<string, string> = {}) {
	return async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> =>
		await call(method, base() + path, { ...options, headers: { ...headers, ...options.headers } });
}

/**
 * Jest hooks for a test file (or describe block) of a simulator: `start()` before all its tests,
 * stopped after them, and `reset` before each test. Returns a getter for what `start()` gave.
 */
export function useStarted<T extends { stop(): Promise<unknown> }>(start: () => Promise<T>, reset: (started: T) => void): () => T {
	let started: T | undefined;
	beforeAll(async () => {
		started = await start();
	});
	afterAll(async () => {
		await started?.stop();
	});
	beforeEach(() => reset(started!));
	return () => started!;
}

/**
 * Jest hooks for a webhook receiver on a free 127.0.0.1 port, up for all the tests of the file (or
 * describe block): each call it gets is put in `hooks` as `record` makes it (default: the whole
 * call), `hooks` is emptied before each test, and `answer` says what to answer (default 200
 * `{"received":true}`). `url` is set once `beforeAll` has run.
 */
export function useReceiver<H = ReceivedCall>(
	options: { record?: (call: ReceivedCall) => H; answer?: (call: ReceivedCall) => ReceiverAnswer } = {},
): { hooks: H[]; readonly url: string } {
	const { record = (call: ReceivedCall) => call as H, answer = () => ({ json: { received: true } }) } = options;
	const hooks: H[] = [];
	let receiver: Receiver | undefined;
	beforeAll(async () => {
		receiver = await startReceiver((call) => {
			hooks.push(record(call));
			return answer(call);
		});
	});
	afterAll(async () => {
		await receiver?.close();
	});
	beforeEach(() => {
		hooks.length = 0;
	});
	return {
		hooks,
		get url() {
			return receiver!.url;
		},
	};
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

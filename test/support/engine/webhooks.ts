/**
 * What n8n's server (package `n8n`) puts around a webhook node, rebuilt for the in-process engine:
 *  - the list of a node's webhooks, as WebhookService.getNodeWebhooks computes it (one entry per
 *    description and HTTP method, path and isFullPath resolved from the node's parameters);
 *  - an express-like request as n8n hands it to `webhook()`: lower-cased headers, `query` (already
 *    parsed), `params` (dynamic path segments), `rawBody` (Buffer), `body` parsed the way n8n's
 *    body parser does (JSON, urlencoded, text/plain, XML; anything else stays undefined),
 *    `contentType`, `encoding`, `readRawBody()`; it is a real IncomingMessage whose stream yields
 *    the raw body, for nodes that pipe the request;
 *  - an express-like response recording what the node answers itself (status, headers, body).
 * The n8n contexts themselves (HookContext, WebhookContext) come from n8n-core; see ../engine.ts.
 */
import type {
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, resolveWebhookDescriptionField, sanitizeXmlName } from 'n8n-workflow';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { IncomingMessage, STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

// ---------------------------------------------------------------------------------------------
// The node's webhooks

/**
 * A webhookId for a node spec without one, derived from `seed` (node type and name) so that
 * activating, calling and deactivating the same spec use the same URL. UUID-shaped like n8n's.
 */
export function stableWebhookId(seed: string): string {
	const h = createHash('sha256').update(`harness-webhook:${seed}`).digest('hex');
	const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function describe(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	field: string,
	defaultValue?: boolean | string,
) {
	const native = resolveWebhookDescriptionField(node, description, field);
	if (native.resolved) return native.value;
	return workflow.expression.getSimpleParameterValue(
		node,
		description[field] as string | boolean | undefined,
		'internal',
		{},
		undefined,
		defaultValue,
	);
}

/**
 * The webhooks of a node as n8n's WebhookService.getNodeWebhooks lists them: none for a disabled
 * node; per description, path trimmed of slashes, `${webhookId}/${path}` unless isFullPath, and
 * one entry per HTTP method (a comma-separated or array httpMethod gives several).
 * `restartWebhook` descriptions (Wait node resumes) are left out when activating, as n8n does.
 */
export function listNodeWebhooks(
	workflow: Workflow,
	node: INode,
	nodeType: INodeType,
	additionalData: IWorkflowExecuteAdditionalData,
	ignoreRestartWebhooks = false,
): IWebhookData[] {
	if (node.disabled === true || nodeType.description.webhooks === undefined) return [];
	const workflowId = workflow.id || '__UNSAVED__';
	const result: IWebhookData[] = [];
	for (const webhookDescription of nodeType.description.webhooks) {
		if (ignoreRestartWebhooks && webhookDescription.restartWebhook === true) continue;
		let nodePath = describe(workflow, node, webhookDescription, 'path');
		if (nodePath === undefined || nodePath === null) continue;
		nodePath = nodePath.toString().trim().replace(/^\//, '').replace(/\/$/, '');
		const isFullPath = describe(workflow, node, webhookDescription, 'isFullPath', false) as boolean;
		const restart = describe(workflow, node, webhookDescription, 'restartWebhook', false) as boolean;
		const path = NodeHelpers.getNodeWebhookPath(workflowId, node, nodePath, isFullPath, restart);
		const methods = describe(workflow, node, webhookDescription, 'httpMethod', 'GET');
		if (methods === undefined) continue;
		const dynamic = isDynamicPath(path);
		for (const method of String(methods).split(',')) {
			if (!method) continue;
			result.push({
				httpMethod: method.trim() as IHttpRequestMethods,
				node: node.name,
				path,
				webhookDescription,
				workflowId,
				workflowExecuteAdditionalData: additionalData,
				webhookId: dynamic && node.webhookId ? node.webhookId : undefined,
			});
		}
	}
	return result;
}

/** WebhookService.isDynamicPath: a `:param` segment after the first one. */
function isDynamicPath(rawPath: string): boolean {
	const slash = rawPath.indexOf('/');
	const rest = slash !== -1 ? rawPath.substring(slash + 1) : rawPath;
	if (rest === '' || rest === ':' || rest === '/:') return false;
	return rest.startsWith(':') || rest.includes('/:');
}

/**
 * Request params of a dynamic webhook path as LiveWebhooks fills them: the registered path's
 * `:name` segments matched against the called path (both without the leading webhookId).
 */
export function dynamicParams(registered: string, called: string): Record<string, string> {
	const params: Record<string, string> = {};
	const calledSegments = called.split('/');
	registered.split('/').forEach((segment, index) => {
		if (segment.startsWith(':') && calledSegments[index] !== undefined) {
			params[segment.slice(1)] = calledSegments[index];
		}
	});
	return params;
}

// ---------------------------------------------------------------------------------------------
// Request

export type HeaderValue = string | string[] | number | undefined;

/** The request the provider sends; everything has a default. */
export interface WebhookRequestSpec {
	/** Default: the (first) HTTP method of the webhook. */
	method?: string;
	/**
	 * The path as the node's webhook description gives it, with dynamic segments filled in
	 * (e.g. 'user/42' for 'user/:id'); default: the description's path. For isFullPath false the
	 * URL is `/webhook/<webhookId>/<path>`. A `?query` part is added to `query`.
	 */
	path?: string;
	/** Names are lower-cased. content-type/content-length/host are added when missing. */
	headers?: Record<string, HeaderValue>;
	/** Parsed query, as express' 'extended' query parser gives it. */
	query?: IDataObject;
	/**
	 * A Buffer or string is sent as is (content-type default: application/octet-stream or
	 * text/plain); anything else is sent as JSON (application/json).
	 */
	body?: unknown;
	/** Extra route params (n8n only fills the dynamic path segments). */
	params?: Record<string, string>;
	/** Client address (req.ip); default 127.0.0.1. */
	ip?: string;
}

/** The request object webhook() gets from getRequestObject() (an express Request, in n8n). */
export type HarnessWebhookRequest = IncomingMessage & {
	body: unknown;
	rawBody: Buffer;
	query: IDataObject;
	params: Record<string, string>;
	path: string;
	originalUrl: string;
	baseUrl: string;
	hostname: string;
	protocol: string;
	secure: boolean;
	ip: string;
	ips: string[];
	cookies: Record<string, string>;
	contentType?: string;
	encoding?: BufferEncoding;
	readRawBody(): Promise<void>;
	get(name: string): string | string[] | undefined;
	header(name: string): string | string[] | undefined;
};

function flatQuery(query: IDataObject): string {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null) continue;
		const values = Array.isArray(value) ? value : [value];
		for (const v of values) search.append(key, typeof v === 'object' ? JSON.stringify(v) : String(v));
	}
	const text = search.toString();
	return text ? `?${text}` : '';
}

function parseCookies(header: HeaderValue): Record<string, string> {
	const cookies: Record<string, string> = {};
	if (typeof header !== 'string') return cookies;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq === -1) continue;
		cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
	}
	return cookies;
}

/**
 * Builds the request: `urlPath` is what follows the host (e.g. `/webhook/<id>/<path>`), `baseUrl`
 * the instance's webhook base (for host and protocol).
 */
export function createWebhookRequest(
	spec: WebhookRequestSpec,
	{ method, urlPath, params, baseUrl }: { method: string; urlPath: string; params: Record<string, string>; baseUrl: string },
): HarnessWebhookRequest {
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(spec.headers ?? {})) {
		if (value === undefined) continue;
		headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
	}
	let rawBody: Buffer = Buffer.alloc(0);
	const { body } = spec;
	if (Buffer.isBuffer(body)) {
		rawBody = body;
		headers['content-type'] ??= 'application/octet-stream';
	} else if (typeof body === 'string') {
		rawBody = Buffer.from(body, 'utf8');
		headers['content-type'] ??= 'text/plain';
	} else if (body !== undefined) {
		rawBody = Buffer.from(JSON.stringify(body), 'utf8');
		headers['content-type'] ??= 'application/json';
	}
	if (rawBody.length > 0) headers['content-length'] ??= String(rawBody.length);
	const base = new URL(baseUrl);
	headers.host ??= base.host;

	const [pathPart, queryPart] = urlPath.split('?');
	const query: IDataObject = {
		...(queryPart ? (parseQueryString(queryPart) as IDataObject) : {}),
		...structuredClone(spec.query ?? {}),
	};

	const req = new IncomingMessage(new Socket()) as HarnessWebhookRequest;
	req.method = method.toUpperCase();
	req.url = `${pathPart}${flatQuery(query)}`;
	req.headers = headers;
	req.rawHeaders = Object.entries(headers).flatMap(([name, value]) =>
		(Array.isArray(value) ? value : [value]).flatMap((v) => [name, v]),
	);
	req.httpVersion = '1.1';
	req.httpVersionMajor = 1;
	req.httpVersionMinor = 1;
	req.originalUrl = req.url;
	req.baseUrl = '';
	req.path = pathPart;
	req.query = query;
	req.params = { ...params, ...spec.params };
	req.hostname = base.hostname;
	req.protocol = base.protocol.replace(':', '');
	req.secure = req.protocol === 'https';
	req.ip = spec.ip ?? '127.0.0.1';
	req.ips = [];
	req.cookies = parseCookies(headers.cookie);
	req.rawBody = rawBody;
	req.body = undefined;
	req.get = req.header = (name: string) => {
		const key = name.toLowerCase();
		return key === 'referrer' || key === 'referer' ? (headers.referer ?? headers.referrer) : headers[key];
	};
	// parseIncomingMessage (@n8n/backend-network): type lower-cased, charset default utf-8
	const contentType = headers['content-type'];
	if (typeof contentType === 'string') {
		const [type, ...parameters] = contentType.split(';');
		req.contentType = type.trim().toLowerCase();
		const charset = parameters
			.map((p) => p.trim().split('='))
			.find(([key]) => key.trim().toLowerCase() === 'charset')?.[1];
		req.encoding = (charset?.replace(/"/g, '').toLowerCase() ?? 'utf-8') as BufferEncoding;
	}
	// rawBodyReader has nothing left to read: the body is already here.
	req.readRawBody = async () => {};
	if (rawBody.length > 0) req.push(rawBody);
	req.push(null);
	return req;
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function isParsableContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

type XmlParser = { parseStringPromise(text: string): Promise<unknown> };
let xmlParser: XmlParser | undefined;

function getXmlParser(): XmlParser {
	// xml2js is what n8n's body parser uses; it comes with n8n-workflow.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Parser } = require('xml2js') as { Parser: new (options: object) => XmlParser };
	xmlParser ??= new Parser({
		async: true,
		normalize: true,
		normalizeTags: true,
		explicitArray: false,
		tagNameProcessors: [sanitizeXmlName],
		attrNameProcessors: [sanitizeXmlName],
	});
	return xmlParser;
}

/**
 * Fills `req.body` as n8n does before webhook() runs (webhook-helpers parseRequestBody + the
 * body-parser middleware's parseBody): for node version 1 always tried, for later versions only
 * for parsable content types; JSON, XML, urlencoded and text/plain are parsed, the rest keeps
 * `body` undefined (multipart/form-data is not supported by the harness). A body that does not
 * parse throws (n8n answers 422 "Failed to parse request body" without calling webhook()).
 */
export async function parseWebhookRequestBody(req: HarnessWebhookRequest, nodeVersion: number): Promise<void> {
	const { contentType, rawBody } = req;
	if (contentType?.startsWith('multipart/')) return;
	if (nodeVersion > 1 && !isParsableContentType(contentType)) return;
	if (!rawBody.length) return;
	const text = () => rawBody.toString(req.encoding ?? 'utf-8');
	try {
		if (contentType === 'application/json') {
			req.body = JSON.parse(stripBom(text())) as unknown;
		} else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
			req.body = await getXmlParser().parseStringPromise(text());
		} else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = parseQueryString(stripBom(text()), undefined, undefined, { maxKeys: 1000 });
		} else if (contentType === 'text/plain') {
			req.body = text();
		}
	} catch (error) {
		throw new UnexpectedError('Failed to parse request body', {
			extra: { status: 422, cause: (error as Error).message },
		});
	}
}

// ---------------------------------------------------------------------------------------------
// Response

/** What the node answered through getResponseObject(). */
export interface WebhookHttpResponse {
	status: number;
	/** Header names lower-cased. */
	headers: Record<string, string | string[]>;
	/** JSON-parsed for a JSON content type, a string for textual ones, else a Buffer (undefined when empty). */
	body: unknown;
	/** The bytes written. */
	rawBody: Buffer;
	/** Whether the node finished the response (send/json/end/…); n8n never ends it for a node that returned noWebhookResponse. */
	ended: boolean;
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml)\b)/i;

function withCharset(type: string): string {
	return TEXTUAL.test(type) && !/charset=/i.test(type) ? `${type}; charset=utf-8` : type;
}

const SHORT_TYPES: Record<string, string> = {
	json: 'application/json',
	html: 'text/html',
	text: 'text/plain',
	txt: 'text/plain',
	xml: 'application/xml',
	bin: 'application/octet-stream',
};

/**
 * An express-like response: status(), sendStatus(), json(), send(), end(), write(), setHeader(),
 * getHeader(), removeHeader(), header()/set(), get(), append(), type(), writeHead(), redirect(),
 * cookie(), statusCode, headersSent, writableEnded, locals; emits 'finish' and 'close'.
 * Setting a header after the headers were sent throws like Node does.
 */
export class HarnessWebhookResponse extends EventEmitter {
	statusCode = 200;

	statusMessage = '';

	headersSent = false;

	writableEnded = false;

	finished = false;

	locals: Record<string, unknown> = {};

	/** Whether the node used the response object at all (status, header or body). */
	touched = false;

	private readonly headerMap = new Map<string, string | string[]>();

	private readonly chunks: Buffer[] = [];

	private assertHeadersNotSent(): void {
		if (this.headersSent) {
			const error = new Error('Cannot set headers after they are sent to the client') as Error & { code: string };
			error.code = 'ERR_HTTP_HEADERS_SENT';
			throw error;
		}
	}

	status(code: number): this {
		this.touched = true;
		this.statusCode = code;
		return this;
	}

	sendStatus(code: number): this {
		this.status(code);
		return this.type('text').send(STATUS_CODES[code] ?? String(code));
	}

	setHeader(name: string, value: string | number | readonly string[]): this {
		this.touched = true;
		this.assertHeadersNotSent();
		this.headerMap.set(name.toLowerCase(), Array.isArray(value) ? value.map(String) : String(value));
		return this;
	}

	getHeader(name: string): string | string[] | undefined {
		return this.headerMap.get(name.toLowerCase());
	}

	getHeaders(): Record<string, string | string[]> {
		return Object.fromEntries(this.headerMap);
	}

	getHeaderNames(): string[] {
		return [...this.headerMap.keys()];
	}

	hasHeader(name: string): boolean {
		return this.headerMap.has(name.toLowerCase());
	}

	removeHeader(name: string): void {
		this.assertHeadersNotSent();
		this.headerMap.delete(name.toLowerCase());
	}

	/** express res.set / res.header: one header or an object of them; adds a charset to textual content types. */
	set(field: string | Record<string, string | number | string[]>, value?: string | number | string[]): this {
		if (typeof field === 'object') {
			for (const [name, v] of Object.entries(field)) this.set(name, v);
			return this;
		}
		const text = Array.isArray(value) ? value.map(String) : String(value);
		this.setHeader(field, field.toLowerCase() === 'content-type' && typeof text === 'string' ? withCharset(text) : text);
		return this;
	}

	header(field: string | Record<string, string | number | string[]>, value?: string | number | string[]): this {
		return this.set(field, value);
	}

	get(name: string): string | string[] | undefined {
		return this.getHeader(name);
	}

	append(name: string, value: string | string[]): this {
		const previous = this.getHeader(name);
		const values = [...(previous === undefined ? [] : [previous].flat()), ...[value].flat()];
		return this.setHeader(name, values.length === 1 ? values[0] : values);
	}

	type(type: string): this {
		const full = type.includes('/') ? type : (SHORT_TYPES[type.replace(/^\./, '')] ?? 'application/octet-stream');
		return this.set('Content-Type', full);
	}

	contentType(type: string): this {
		return this.type(type);
	}

	cookie(name: string, value: string, options: { path?: string; httpOnly?: boolean; maxAge?: number } = {}): this {
		const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? '/'}`];
		if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge / 1000)}`);
		if (options.httpOnly) parts.push('HttpOnly');
		return this.append('Set-Cookie', parts.join('; '));
	}

	writeHead(
		statusCode: number,
		reason?: string | Record<string, string | number | string[]>,
		headers?: Record<string, string | number | string[]>,
	): this {
		this.status(statusCode);
		if (typeof reason === 'string') this.statusMessage = reason;
		else headers = reason;
		for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
		this.headersSent = true;
		return this;
	}

	flushHeaders(): void {
		this.headersSent = true;
	}

	write(chunk: string | Buffer | Uint8Array, encoding?: BufferEncoding | (() => void), callback?: () => void): boolean {
		this.touched = true;
		if (this.writableEnded) throw new Error('write after end');
		this.headersSent = true;
		this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
		const done = typeof encoding === 'function' ? encoding : callback;
		done?.();
		return true;
	}

	end(chunk?: string | Buffer | Uint8Array | (() => void), encoding?: BufferEncoding | (() => void), callback?: () => void): this {
		this.touched = true;
		if (this.writableEnded) return this;
		if (typeof chunk === 'function') {
			callback = chunk;
			chunk = undefined;
		}
		if (chunk !== undefined && chunk !== null) this.write(chunk, typeof encoding === 'string' ? encoding : undefined);
		this.headersSent = true;
		this.writableEnded = true;
		this.finished = true;
		const done = typeof encoding === 'function' ? encoding : callback;
		done?.();
		this.emit('finish');
		this.emit('close');
		return this;
	}

	/** express res.send: strings default to text/html, Buffers to application/octet-stream, the rest is JSON. */
	send(body?: unknown): this {
		if (body === undefined || body === null) return this.end();
		if (typeof body === 'string') {
			if (!this.hasHeader('content-type')) this.set('Content-Type', 'text/html');
			const bytes = Buffer.from(body, 'utf8');
			if (!this.hasHeader('content-length')) this.setHeader('Content-Length', bytes.length);
			return this.end(bytes);
		}
		if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
			if (!this.hasHeader('content-type')) this.set('Content-Type', 'application/octet-stream');
			if (!this.hasHeader('content-length')) this.setHeader('Content-Length', body.length);
			return this.end(body);
		}
		return this.json(body);
	}

	json(body: unknown): this {
		if (!this.hasHeader('content-type')) this.set('Content-Type', 'application/json');
		return this.send(JSON.stringify(body) ?? '');
	}

	redirect(statusOrUrl: number | string, url?: string): this {
		const [status, location] = typeof statusOrUrl === 'number' ? [statusOrUrl, url ?? '/'] : [302, statusOrUrl];
		this.status(status).setHeader('Location', location);
		return this.type('text').send(`${STATUS_CODES[status] ?? 'Found'}. Redirecting to ${location}`);
	}

	/** What the node answered; undefined when it never used the response object. */
	snapshot(): WebhookHttpResponse | undefined {
		if (!this.touched) return undefined;
		const rawBody = Buffer.concat(this.chunks);
		const type = String(this.getHeader('content-type') ?? '');
		let body: unknown;
		if (rawBody.length > 0) {
			if (/json/i.test(type)) {
				try {
					body = JSON.parse(rawBody.toString('utf8')) as unknown;
				} catch {
					body = rawBody.toString('utf8');
				}
			} else if (TEXTUAL.test(type)) {
				body = rawBody.toString('utf8');
			} else {
				body = rawBody;
			}
		}
		return { status: this.statusCode, headers: this.getHeaders(), body, rawBody, ended: this.writableEnded };
	}
}

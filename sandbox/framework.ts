import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';

import { builtInControlRoutes, CONTROL_PREFIX, RESET_PARTS, type ResetPart } from './control';
import { SandboxError, type ErrorInfo, type Problem } from './errors';
import { FaultQueue, type Fault, type FaultInput, type QueuedFault } from './faults';
import { FileHost, FILES_PATH, type FileDownload } from './files';
import { credentialKey, LoadModel, loadSchema, type LoadInput, type LoadProfile, type LoadStats } from './load';
import {
	describeFiles,
	mediaTypeOf,
	parseBody,
	parseFormFields,
	readBody,
	type BodyFormat,
	type ParsedBody,
} from './http-body';
import {
	ALWAYS_SECRET_HEADERS,
	Recorder,
	redactFields,
	redactHeaders,
	type ReceivedRequest,
	type RequestFilter,
	type RouteCount,
} from './recording';
import {
	compileRoute,
	matchRoute,
	type AnyRoute,
	type AuthCheck,
	type CompiledRoute,
	type RawInput,
	type RouteResult,
	type StreamResult,
} from './routing';
import { WebhookSender, type DeliveryOptions, type WebhookDelivery } from './webhooks';

export * from './errors';
export * from './faults';
export * from './files';
export * from './http-body';
export * from './load';
export * from './recording';
export * from './routing';
export * from './webhooks';
export { CONTROL_PREFIX, RESET_PARTS, type ResetPart } from './control';

/** Everything that makes one provider's simulator; the server does the rest. */
export interface Simulator<S> {
	/** Lower-case id, also the folder of its control routes: /__sandbox/<name>/... */
	name: string;
	/** Where the provider's API lives on the server, e.g. `/external-api` (only for `apiUrl`). */
	basePath?: string;
	/** Fresh seeded state; called at construction and on every reset. */
	initialState(): S;
	routes: readonly AnyRoute<S>[];
	/** Runs for every route unless the route says `auth: false` or brings its own. */
	authenticate?: AuthCheck<S>;
	/** Body formats routes accept unless they say otherwise (default: all three). */
	accepts?: readonly BodyFormat[];
	/** How a file field sent twice without `[]` is kept (default: the last one, as PHP does). */
	repeatedFiles?: 'last' | 'list';
	/** The provider's error envelope, for every error the server or a route produces. */
	errorBody(error: ErrorInfo): unknown;
	/** Turns a zod issue into the provider's wording (default: zod's message). */
	problemsOf?(issue: z.ZodIssue): Problem[];
	/** Status of a validation failure (default 400). */
	validationStatus?: number;
	/** Request headers and query parameters to redact in recordings (beyond ALWAYS_SECRET_HEADERS). */
	secretHeaders?: readonly string[];
	secretQuery?: readonly string[];
	/** Extra control routes, mounted under /__sandbox/<name>. No auth, JSON in and out. */
	controlRoutes?: readonly AnyRoute<S>[];
	/** What GET /__sandbox/state shows (default: the state itself). */
	snapshot?(state: S): unknown;
	/**
	 * Who is calling, for the load profile's rate limit (one window per credential). Default: the
	 * request's secret headers and query parameters (ALWAYS_SECRET_HEADERS, `secretHeaders`,
	 * `secretQuery`), hashed; the client IP when it carries none.
	 */
	credentialOf?(request: { headers: IncomingMessage['headers']; query: Record<string, unknown>; ip: string }): string;
}

export interface SandboxOptions {
	host?: string;
	maxBodyBytes?: number;
	/** Latency and rate limit, as a real provider under load (see load.ts); none by default. */
	load?: LoadInput;
	/** How many requests the recorder keeps, newest last (default 10,000). */
	recordLimit?: number;
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string | Buffer;
}

interface Policy<S> {
	authenticate?: AuthCheck<S>;
	accepts: readonly BodyFormat[];
	problemsOf(issue: z.ZodIssue): Problem[];
	validationStatus: number;
	errorBody(error: ErrorInfo): unknown;
}

const ALL_FORMATS: readonly BodyFormat[] = ['json', 'form', 'multipart'];
const FORMAT_LABELS: Record<BodyFormat, string> = {
	json: 'application/json',
	form: 'application/x-www-form-urlencoded',
	multipart: 'multipart/form-data',
};

const zodProblems = (issue: z.ZodIssue): Problem[] => [
	{ field: issue.path.join('.') || undefined, message: issue.message },
];

/** One provider simulator on a real node:http server, with recording, faults and a control API. */
export class SandboxServer<S> {
	readonly host: string;
	readonly maxBodyBytes: number;
	private currentState: S;
	private server?: http.Server;
	private readonly routes: CompiledRoute<S>[];
	private readonly controlRoutes: CompiledRoute<S>[];
	private readonly recorder: Recorder;
	private loadModel: LoadModel;
	private readonly faults = new FaultQueue();
	private readonly files = new FileHost();
	private readonly webhooks: WebhookSender;
	private readonly secretHeaders: string[];
	private readonly providerPolicy: Policy<S>;
	private readonly controlPolicy: Policy<S>;
	private readonly pendingDelays = new Set<() => void>();
	private readonly openStreams = new Set<() => void>();

	constructor(
		readonly simulator: Simulator<S>,
		options: SandboxOptions = {},
	) {
		this.host = options.host ?? '127.0.0.1';
		this.maxBodyBytes = options.maxBodyBytes ?? 150 * 1024 * 1024;
		this.currentState = simulator.initialState();
		this.recorder = new Recorder(options.recordLimit);
		this.loadModel = new LoadModel(loadSchema.parse(options.load ?? {}));
		this.routes = simulator.routes.map((route) => compileRoute(route));
		this.controlRoutes = [
			...builtInControlRoutes<S>().map((route) => compileRoute(route, CONTROL_PREFIX)),
			...(simulator.controlRoutes ?? []).map((route) => compileRoute(route, `${CONTROL_PREFIX}/${simulator.name}`)),
		];
		this.secretHeaders = [...ALWAYS_SECRET_HEADERS, ...(simulator.secretHeaders ?? [])];
		this.webhooks = new WebhookSender(this.secretHeaders);
		this.providerPolicy = {
			authenticate: simulator.authenticate,
			accepts: simulator.accepts ?? ALL_FORMATS,
			problemsOf: simulator.problemsOf ?? zodProblems,
			validationStatus: simulator.validationStatus ?? 400,
			errorBody: (error) => simulator.errorBody(error),
		};
		this.controlPolicy = {
			accepts: ALL_FORMATS,
			problemsOf: zodProblems,
			validationStatus: 400,
			errorBody: ({ kind, problems }) => ({
				error: kind,
				message: problems.map((problem) => problem.message).join(' '),
				problems,
			}),
		};
	}

	get name(): string {
		return this.simulator.name;
	}

	get state(): S {
		return this.currentState;
	}

	get port(): number {
		const address = this.server?.address() as AddressInfo | null | undefined;
		if (!address) throw new Error(`The ${this.name} sandbox is not running`);
		return address.port;
	}

	/** http://127.0.0.1:PORT */
	get url(): string {
		return `http://${this.host}:${this.port}`;
	}

	/** The provider API's base URL, as a credential would hold it. */
	get apiUrl(): string {
		return this.url + (this.simulator.basePath ?? '');
	}

	get controlUrl(): string {
		return this.url + CONTROL_PREFIX;
	}

	/** The address of a file served by the file host (see files.ts for the options). */
	fileUrl(name: string, options: Record<string, string | number> = {}): string {
		const query = new URLSearchParams(Object.entries(options).map(([key, value]) => [key, String(value)])).toString();
		return `${this.url}${CONTROL_PREFIX}${FILES_PATH}${encodeURIComponent(name)}${query ? `?${query}` : ''}`;
	}

	get routeKeys(): string[] {
		return this.routes.map((compiled) => compiled.key);
	}

	get controlRouteKeys(): string[] {
		return this.controlRoutes.map((compiled) => compiled.key);
	}

	async start(port = 0): Promise<this> {
		if (this.server) throw new Error(`The ${this.name} sandbox is already running`);
		const server = http.createServer((req, res) => void this.dispatch(req, res));
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, this.host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const release of [...this.pendingDelays]) release();
		for (const abort of [...this.openStreams]) abort();
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	reset(parts: readonly ResetPart[] = RESET_PARTS): void {
		if (parts.includes('state')) {
			this.currentState = this.simulator.initialState();
			// The provider forgets recent calls, and the latency sequence starts again.
			this.loadModel.reset();
		}
		if (parts.includes('received')) {
			this.recorder.clear();
			this.files.clear();
		}
		if (parts.includes('faults')) this.faults.clear();
		if (parts.includes('webhooks')) this.webhooks.clear();
	}

	snapshot(): unknown {
		return this.simulator.snapshot ? this.simulator.snapshot(this.currentState) : this.currentState;
	}

	/** Every request that reached a provider route (or no route), faulted ones included. */
	received(filter?: string | RequestFilter): ReceivedRequest[] {
		return this.recorder.list(filter);
	}

	/** Requests whose handler ran and succeeded: what the provider acted on. */
	accepted(filter: string | RequestFilter = {}): ReceivedRequest[] {
		return this.recorder.list({ ...(typeof filter === 'string' ? { route: filter } : filter), accepted: true });
	}

	/** Files the file host served, with how much of each left the server. */
	downloads(): FileDownload[] {
		return this.files.downloads();
	}

	counts(): Record<string, RouteCount> {
		return this.recorder.counts();
	}

	clearReceived(): void {
		this.recorder.clear();
	}

	/** The load profile in force (latency, rate limit) and what it did since the last reset. */
	get load(): LoadProfile & { stats: LoadStats } {
		return this.loadModel.describe();
	}

	/** Replaces the load profile (undefined or {}: answer at once, no limit); its sequence and windows start afresh. */
	setLoad(load: LoadInput = {}): LoadProfile {
		this.loadModel = new LoadModel(loadSchema.parse(load));
		return this.loadModel.profile;
	}

	/** Queues a fault for the next `times` requests matching the route selector (see selectorMatches). */
	injectFault(route: string, fault: FaultInput, times = 1): QueuedFault {
		return this.faults.add(route, fault, times);
	}

	pendingFaults(): QueuedFault[] {
		return this.faults.pending();
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/** POSTs JSON to a URL (an outbound webhook) and logs the attempt. */
	deliverWebhook(url: string, body: unknown, options?: DeliveryOptions): Promise<WebhookDelivery> {
		return this.webhooks.deliver(url, body, options);
	}

	deliveries(): WebhookDelivery[] {
		return this.webhooks.deliveries();
	}

	describe() {
		return {
			simulator: this.name,
			url: this.url,
			apiUrl: this.apiUrl,
			routes: this.routeKeys,
			control: this.controlRouteKeys,
		};
	}

	private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		try {
			if (req.method === 'GET' && url.pathname.startsWith(`${CONTROL_PREFIX}${FILES_PATH}`)) {
				const name = decodeURIComponent(url.pathname.slice(`${CONTROL_PREFIX}${FILES_PATH}`.length));
				await this.files.serve(res, name, url.searchParams);
			} else if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
				await this.serveControl(req, res, url);
			} else {
				await this.serveProvider(req, res, url);
			}
		} catch (error) {
			console.error(`[sandbox ${this.name}]`, error);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500);
				res.end();
			}
		}
	}

	private async serveProvider(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const match = matchRoute(this.routes, method, url.pathname);
		const query = parseFormFields(url.searchParams);
		const ip = clientIp(req);
		const record = this.recorder.open({
			method,
			path: url.pathname,
			route: match.kind === 'found' ? match.compiled.key : null,
			params: match.kind === 'found' ? match.params : {},
			query: redactFields(query, this.simulator.secretQuery ?? []),
			headers: redactHeaders(req.headers, this.secretHeaders),
			ip,
		});
		const fault = match.kind === 'found' ? this.faults.take(record) : undefined;
		record.fault = fault?.kind ?? null;
		if (fault?.kind === 'reset-before') return resetConnection(res);
		// Drawn on arrival, so the n-th request after a reset always waits the n-th latency.
		const latencyMs = this.loadModel.nextLatencyMs();

		let reply: Reply;
		let handled = false;
		let streamed: StreamResult | undefined;
		try {
			const parsed = await parseBody(await readBody(req, this.maxBodyBytes), req.headers['content-type'], {
				repeatedFiles: this.simulator.repeatedFiles,
			});
			record.body = parsed.body;
			record.files = describeFiles(parsed.files);
			const limited = fault || match.kind !== 'found' ? undefined : this.overRateLimit(req, query, ip);
			if (limited) {
				record.fault = 'rate-limit';
				reply = this.errorReply(limited, this.providerPolicy);
			} else if (fault?.kind === 'rate-limit' || fault?.kind === 'server-error') {
				reply = this.faultReply(fault);
			} else if (fault?.kind === 'answer') {
				reply = { status: fault.status, headers: fault.contentType ? { 'content-type': fault.contentType } : {}, body: fault.body };
			} else if (match.kind === 'none') {
				throw new SandboxError(404, 'not_found', [{ message: `The route ${url.pathname} could not be found.` }]);
			} else if (match.kind === 'method_not_allowed') {
				throw new SandboxError(
					405,
					'method_not_allowed',
					[{ message: `The ${method} method is not supported for route ${url.pathname}. Supported methods: ${match.allowed.join(', ')}.` }],
					undefined,
					{ allow: match.allowed.join(', ') },
				);
			} else {
				const input = { params: match.params, query, body: parsed.body, files: parsed.files };
				const result = await this.run(match.compiled, input, parsed, req, ip, this.providerPolicy);
				if ('stream' in result) {
					streamed = result;
					reply = { status: result.status ?? 200, headers: {}, body: '' };
				} else reply = toReply(result);
				handled = true;
			}
		} catch (error) {
			reply = this.errorReply(error, this.providerPolicy);
		}
		record.accepted = handled && reply.status < 400;
		record.status = reply.status;

		if (latencyMs > 0) await this.delay(latencyMs);
		if (fault?.kind === 'slow') await this.delay(fault.delayMs);
		if (fault?.kind === 'reset-after-receive') {
			record.status = null;
			return resetConnection(res);
		}
		if (streamed && fault?.kind !== 'malformed') return this.stream(res, streamed);
		if (fault?.kind === 'malformed') reply = truncate(reply, fault.status);
		send(res, reply);
	}

	private async stream(res: ServerResponse, result: StreamResult): Promise<void> {
		if (res.destroyed || res.headersSent) return;
		const controller = new AbortController();
		const abort = () => controller.abort();
		res.on('close', abort);
		this.openStreams.add(abort);
		res.writeHead(result.status ?? 200, { 'content-type': result.contentType, 'cache-control': 'no-cache', ...result.headers });
		res.flushHeaders();
		try {
			await result.stream((chunk) => {
				if (!res.destroyed) res.write(chunk);
			}, controller.signal);
		} catch (error) {
			console.error(`[sandbox ${this.name}]`, error);
		} finally {
			this.openStreams.delete(abort);
			res.off('close', abort);
			if (!res.destroyed) res.end();
		}
	}

	/** The 429 of the load profile's rate limit for this request's credential, if it is over. */
	private overRateLimit(req: IncomingMessage, query: Record<string, unknown>, ip: string): SandboxError | undefined {
		if (!this.loadModel.profile.rateLimit) return undefined;
		const request = { headers: req.headers, query, ip };
		const key = this.simulator.credentialOf?.(request) ?? credentialKey(request, this.secretHeaders, this.simulator.secretQuery ?? []);
		return this.loadModel.admit(key);
	}

	private async serveControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const match = matchRoute(this.controlRoutes, method, url.pathname);
		let reply: Reply;
		try {
			const parsed = await parseBody(await readBody(req, this.maxBodyBytes), req.headers['content-type']);
			if (match.kind === 'none') {
				throw new SandboxError(404, 'not_found', [{ message: `No control route ${method} ${url.pathname}; GET ${CONTROL_PREFIX} lists them.` }]);
			}
			if (match.kind === 'method_not_allowed') {
				throw new SandboxError(405, 'method_not_allowed', [{ message: `Use ${match.allowed.join(' or ')} for ${url.pathname}.` }]);
			}
			const input = { params: match.params, query: parseFormFields(url.searchParams), body: parsed.body, files: parsed.files };
			reply = toReply(await this.run(match.compiled, input, parsed, req, clientIp(req), this.controlPolicy));
		} catch (error) {
			reply = this.errorReply(error, this.controlPolicy);
		}
		send(res, reply);
	}

	private async run(
		compiled: CompiledRoute<S>,
		input: RawInput,
		parsed: ParsedBody,
		req: IncomingMessage,
		ip: string,
		policy: Policy<S>,
	): Promise<RouteResult> {
		const { route } = compiled;
		const authenticate = route.auth === false ? undefined : (route.auth ?? policy.authenticate);
		authenticate?.({ headers: req.headers, query: input.query, ip, state: this.currentState });

		const accepts = route.accepts ?? policy.accepts;
		if (parsed.format !== null && (parsed.format === 'other' || !accepts.includes(parsed.format))) {
			const got = mediaTypeOf(req.headers['content-type']) || 'a body without Content-Type';
			throw new SandboxError(415, 'unsupported_media_type', [
				{ message: `This endpoint accepts ${accepts.map((format) => FORMAT_LABELS[format]).join(' or ')} bodies, not ${got}.` },
			]);
		}
		if (parsed.error) throw new SandboxError(400, 'bad_request', [{ message: parsed.error }]);

		const problems: Problem[] = [];
		const parse = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown> | undefined, value: unknown): T => {
			if (!schema) return value as T;
			const result = schema.safeParse(value);
			if (result.success) return result.data;
			problems.push(...result.error.issues.flatMap((issue) => policy.problemsOf(issue)));
			return undefined as T;
		};
		const query = parse(route.query, input.query);
		const body = parse(route.body, input.body);
		const files = parse(route.files, input.files);
		problems.push(...(route.validate?.(input, this.currentState) ?? []));
		if (problems.length) throw new SandboxError(policy.validationStatus, 'validation', problems);

		return route.handle({
			params: input.params,
			query,
			body,
			files,
			headers: req.headers,
			ip,
			state: this.currentState,
			server: this,
		});
	}

	private faultReply(fault: Extract<Fault, { kind: 'rate-limit' | 'server-error' }>): Reply {
		const headers: Record<string, string> = {};
		if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
		const error =
			fault.kind === 'rate-limit'
				? new SandboxError(429, 'rate_limited', [{ message: `Too many requests. Please retry after ${fault.retryAfter} seconds.` }], undefined, headers)
				: new SandboxError(fault.status, 'server_error', [{ message: 'Server Error' }], undefined, headers);
		const reply = this.errorReply(error, this.providerPolicy);
		return fault.body === undefined ? reply : { ...reply, body: JSON.stringify(fault.body) };
	}

	private errorReply(error: unknown, policy: Policy<S>): Reply {
		const failure =
			error instanceof SandboxError
				? error
				: new SandboxError(500, 'server_error', [{ message: `Sandbox failure: ${error instanceof Error ? error.message : String(error)}` }]);
		if (!(error instanceof SandboxError)) console.error(`[sandbox ${this.name}]`, error);
		return {
			status: failure.status,
			headers: { 'content-type': 'application/json', ...failure.headers },
			body: JSON.stringify(policy.errorBody(failure.info)),
		};
	}

	private delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const release = () => {
				clearTimeout(timer);
				this.pendingDelays.delete(release);
				resolve();
			};
			const timer = setTimeout(release, ms);
			this.pendingDelays.add(release);
		});
	}
}

function clientIp(req: IncomingMessage): string {
	const address = req.socket.remoteAddress ?? '';
	return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function toReply(result: RouteResult): Reply {
	if ('stream' in result) throw new Error('A streamed answer is for provider routes only.');
	const status = result.status ?? 200;
	if ('json' in result) {
		return { status, headers: { 'content-type': 'application/json', ...result.headers }, body: JSON.stringify(result.json) };
	}
	return {
		status,
		headers: { 'content-type': result.contentType ?? 'application/octet-stream', ...result.headers },
		body: result.body,
	};
}

/** Half of the real body: an object cut short is never valid JSON. */
function truncate(reply: Reply, status?: number): Reply {
	const text = reply.body.toString();
	return {
		status: status ?? reply.status,
		headers: { ...reply.headers, 'content-type': 'application/json' },
		body: text.slice(0, Math.max(1, Math.floor(text.length / 2))),
	};
}

function send(res: ServerResponse, reply: Reply): void {
	if (res.destroyed || res.headersSent) return;
	res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
	res.end(reply.body);
}

/** A TCP reset (ECONNRESET at the client), not a polite close. */
function resetConnection(res: ServerResponse): void {
	const socket = res.socket;
	if (!socket) return;
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

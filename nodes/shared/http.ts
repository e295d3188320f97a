import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	IHookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import type { ZodTypeAny } from 'zod';

import { describeAnswer, ProviderApiError, Redactor, TRANSPORT_MESSAGES, TransportError, toNodeApiError } from './errors';
import { encodeMultipart } from './multipart';
import type { BinaryResponse, Provider, ProviderError, RequestSpec } from './operation';

export type CallerContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	attempts: number;
	/** The longest Retry-After we wait for; a longer one fails the item with the provider's wait. */
	maxRetryAfterMs: number;
	/** Wait before retrying when the provider gives no Retry-After; doubles each time. */
	backoffMs: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	attempts: 4,
	maxRetryAfterMs: 120_000,
	backoffMs: 500,
	timeoutMs: 60_000,
};

/**
 * Calls are aimed this much under a rate limit: a provider counts calls as they arrive, and they
 * can arrive a little closer together than they left.
 */
export const RATE_HEADROOM = 0.97;

/**
 * Spaces calls so that no more than `perMinute` start in any minute (or any shorter window, at the
 * same rate) of one execution. Starts are aimed at an even pace a little under the limit, and the
 * gap between two starts is never below 60 000 / `perMinute` ms, so late starts never bunch up into
 * a burst that a provider counting a rolling window would refuse. Timers fire late on a busy
 * machine: the throttle learns by how much and asks to be woken that much earlier, and a call that
 * still started late lets the next one make up for it; each of the two by no more than the
 * headroom, which keeps every window within the limit. A long pause (no calls, or a slow answer)
 * is not made up at all.
 */
export class Throttle {
	private lastStart = -Infinity;
	private lastDue = -Infinity;
	private turn: Promise<void> = Promise.resolve();
	/** How late timers have been firing lately (a moving average, ms). */
	private lateness = 0;
	/** The pace aimed at. */
	private readonly intervalMs: number;
	/** The limit itself: never two starts closer than this. */
	private readonly minGapMs: number;

	constructor(
		perMinute: number,
		private readonly now: () => number = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.minGapMs = 60_000 / perMinute;
		this.intervalMs = this.minGapMs / RATE_HEADROOM;
	}

	/** Waits `ms`, waking up as much earlier as timers have been late, and learns from this wait. */
	private async waitAbout(ms: number): Promise<void> {
		const asked = Math.max(0, ms - this.lateness);
		const before = this.now();
		await this.wait(asked);
		const late = Math.max(0, this.now() - before - asked);
		this.lateness = Math.min(this.lateness * 0.8 + late * 0.2, this.intervalMs - this.minGapMs);
	}

	/** Resolves when the caller may start its call; parallel callers take turns. */
	slot(): Promise<void> {
		const mine = this.turn.then(async () => {
			const due = Math.max(this.lastDue + this.intervalMs, this.lastStart + this.minGapMs);
			if (due > this.now()) await this.waitAbout(due - this.now());
			// Woken early on a guess: the limit itself is never crossed.
			const floor = this.lastStart + this.minGapMs;
			if (floor > this.now()) await this.wait(floor - this.now());
			this.lastStart = this.now();
			this.lastDue = Number.isFinite(due) ? due : this.lastStart;
		});
		this.turn = mine;
		return mine;
	}
}

/** Connection failures where the request provably never reached the provider. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
	for (let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}


/** Seconds, or an HTTP date, as milliseconds from now. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(header) ? header[0] : header;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(text));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function decodeBody(data: unknown, headers: Record<string, unknown>): unknown {
	if (!Buffer.isBuffer(data)) return data;
	const type = String(headers['content-type'] ?? '');
	if (!/json|text/.test(type)) return data;
	const text = data.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

export interface ClientOptions extends Partial<RetryPolicy> {
	/** The node's own rate cap (Request Options → Max Requests per Minute); the provider's limit, when lower, wins. */
	maxCallsPerMinute?: number;
}

export interface CallOptions {
	/** Safe to repeat after a 5xx, a timeout, a dropped connection or an unreadable answer. */
	idempotent?: boolean;
	itemIndex?: number;
	/** The provider's documented success answer; any other answer fails the call. */
	success?: ZodTypeAny;
	/**
	 * Statuses handed back as they came instead of being retried or failed, for a caller that
	 * decides itself (a poll that waits on 429 and stops on 410).
	 */
	answerStatuses?: number[];
}

/** An answer as it came: status, headers and the decoded body (before `unwrap`). */
export interface Answer {
	status: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** An answer whose body is still arriving (a stream of events, a long download). */
export interface StreamedAnswer {
	status: number;
	headers: Record<string, unknown>;
	body: AsyncIterable<Buffer> & { destroy(): void };
}

/** The most of a failed streamed answer that is read to say what went wrong. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The values of `fields`, wherever they sit in `body`. */
function valuesOfFields(body: unknown, fields: readonly string[], depth = 0): unknown[] {
	if (depth > 8 || body === null || typeof body !== 'object') return [];
	if (Array.isArray(body)) return body.flatMap((entry) => valuesOfFields(entry, fields, depth + 1));
	return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => [
		...(fields.includes(key) ? [value] : []),
		...valuesOfFields(value, fields, depth + 1),
	]);
}

const contentTypeOf = (headers: Record<string, unknown>) => String(headers['content-type'] ?? '').split(';')[0].trim();

/** Whether a 2xx answer is what the provider documents for success (a file, for a binary request). */
function isSuccessAnswer(spec: RequestSpec, body: unknown, success: ZodTypeAny | undefined): boolean {
	if (spec.binaryResponse && !(Buffer.isBuffer(body) && body.length > 0)) return false;
	return success === undefined || success.safeParse(body).success;
}

/**
 * The one way every node talks to a provider: auth by the credential, explicit timeouts,
 * retries that can never send a message twice, the provider's error shape, redaction.
 */
export class ProviderClient {
	readonly redactor: Redactor;
	private readonly throttle?: Throttle;
	/** The credentials read once for the run, handed to every request instead of being read again each time. */
	private readonly credentialOptions: IAdditionalCredentialOptions;
	/** Set once the provider says nothing more can be sent in this run. */
	private exhausted?: ProviderApiError;

	private constructor(
		private readonly ctx: CallerContext,
		readonly provider: Provider,
		readonly credentials: ICredentialDataDecryptedObject,
		private readonly policy: RetryPolicy,
		maxCallsPerMinute?: number,
	) {
		this.redactor = new Redactor(provider, credentials);
		const { id = '', name = '' } = ctx.getNode().credentials?.[provider.credentialType] ?? {};
		this.credentialOptions = { credentialsDecrypted: { id: id ?? '', name, type: provider.credentialType, data: credentials } };
		const limits = [provider.callsPerMinute?.(credentials), maxCallsPerMinute].filter((limit): limit is number => limit !== undefined && limit > 0);
		if (limits.length) this.throttle = new Throttle(Math.min(...limits));
	}

	static async for(ctx: CallerContext, provider: Provider, options: ClientOptions = {}): Promise<ProviderClient> {
		const { maxCallsPerMinute, ...policy } = options;
		const credentials = await ctx.getCredentials(provider.credentialType);
		return new ProviderClient(ctx, provider, credentials, { ...DEFAULT_RETRY_POLICY, ...policy }, maxCallsPerMinute);
	}

	/** Sends `spec`; returns the unwrapped answer, or throws a NodeApiError safe to show. */
	async call(spec: RequestSpec, options: CallOptions = {}): Promise<unknown> {
		const { body, headers } = await this.exchange(spec, options);
		if (spec.binaryResponse) {
			return { data: body, mimeType: String(headers['content-type'] ?? 'application/octet-stream').split(';')[0] } as BinaryResponse;
		}
		return this.provider.unwrap ? this.provider.unwrap(body) : body;
	}

	/** Sends `spec`; returns the whole answer (status, headers, body), or throws a NodeApiError safe to show. */
	async exchange(spec: RequestSpec, options: CallOptions = {}): Promise<Answer> {
		const redactor = this.redactorFor(spec);
		const outcome = await this.send(spec, options, redactor).then(
			(response) => ({ response }),
			(failure: unknown) => ({ failure }),
		);
		if ('failure' in outcome) throw this.failure(outcome.failure, redactor, options.itemIndex);
		const { response } = outcome;
		return { status: response.statusCode, headers: response.headers ?? {}, body: response.body };
	}

	/**
	 * Opens `spec` and hands back its body as it arrives (a Server-Sent Events stream), once the
	 * provider answered 2xx; any other answer is read (a little) and thrown as the provider's
	 * error. Never retried: the caller decides what a failure means. Destroy the body when done.
	 */
	async open(spec: RequestSpec, options: { itemIndex?: number; accept?: string } = {}): Promise<StreamedAnswer> {
		const redactor = this.redactorFor(spec);
		await this.throttle?.slot();
		let response: StreamedAnswer & { statusCode: number };
		try {
			const request = this.options(spec);
			response = await this.request(spec, { ...request, headers: { ...request.headers, Accept: options.accept ?? '*/*' }, encoding: 'stream', json: false });
		} catch (failure) {
			const code = errorCode(failure);
			throw this.failure(code ? new TransportError(TRANSPORT_MESSAGES[code] ?? code, code) : failure, redactor, options.itemIndex);
		}
		const status = response.statusCode;
		const headers = response.headers ?? {};
		if (status >= 200 && status < 300) return { status, headers, body: response.body };
		const chunks: Buffer[] = [];
		let size = 0;
		try {
			for await (const chunk of response.body) {
				chunks.push(chunk);
				size += chunk.length;
				if (size >= MAX_ERROR_BODY_BYTES) break;
			}
		} catch {
			// What arrived before the break is enough to say what went wrong.
		} finally {
			response.body.destroy();
		}
		const body = decodeBody(Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES), headers);
		if (spec.secretAnswerFields) redactor.add(valuesOfFields(body, spec.secretAnswerFields));
		const failure =
			typeof body === 'string' || Buffer.isBuffer(body)
				? { message: `answered HTTP ${status} with something that is not JSON`, description: this.describeAnswer(status, headers, body, redactor) }
				: (this.provider.errorOf(status, body) ?? { message: `HTTP ${status}` });
		throw this.failure(new ProviderApiError(status, failure, body), redactor, options.itemIndex);
	}

	/**
	 * The redactor of one call: the client's (with the secret fields of a credential override,
	 * which stay hidden from then on) and the call's own secrets.
	 */
	private redactorFor(spec: RequestSpec): Redactor {
		if (spec.credentialOverride) this.redactor.add(this.provider.secretFields.map((field) => spec.credentialOverride![field]));
		return this.redactor.with(spec.secrets ?? []);
	}

	/** A failure of a call as a NodeApiError with nothing secret in it. */
	private failure(failure: unknown, redactor: Redactor, itemIndex: number | undefined): NodeApiError {
		if (failure instanceof ProviderApiError || failure instanceof TransportError) {
			return toNodeApiError(this.ctx.getNode(), this.provider, failure, redactor, itemIndex);
		}
		// Only the redacted message travels on: the raw error holds the request, headers included.
		const message = redactor.text(failure instanceof Error ? failure.message : String(failure));
		return new NodeApiError(this.ctx.getNode(), { message } as JsonObject, { message: `${this.provider.displayName}: ${message}`, itemIndex });
	}

	/** The credential as this request uses it: the stored one, with the request's override. */
	private credentialsFor(spec: RequestSpec): ICredentialDataDecryptedObject {
		return spec.credentialOverride ? { ...this.credentials, ...spec.credentialOverride } : this.credentials;
	}

	/** Sends through the credential's own authentication (with the request's credential override, if any). */
	private async request<T>(spec: RequestSpec, options: IHttpRequestOptions): Promise<T> {
		const credentials: IAdditionalCredentialOptions = spec.credentialOverride
			? { credentialsDecrypted: { ...this.credentialOptions.credentialsDecrypted!, data: this.credentialsFor(spec) } }
			: this.credentialOptions;
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.provider.credentialType, options, credentials)) as T;
	}

	private options(spec: RequestSpec): IHttpRequestOptions {
		if (spec.path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
			throw new Error(`refused to send to a path with a "." or ".." segment (${spec.path}): an ID field holds a dot where an ID belongs`);
		}
		const base = this.provider.baseUrl(this.credentialsFor(spec)).replace(/\/+$/, '');
		const options: IHttpRequestOptions = {
			method: spec.method,
			url: `${base}/${spec.path.replace(/^\/+/, '')}`,
			qs: spec.query,
			headers: { Accept: spec.binaryResponse ? '*/*' : 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.policy.timeoutMs,
			encoding: spec.binaryResponse ? 'arraybuffer' : undefined,
			json: !spec.binaryResponse,
		};
		if (spec.form) {
			const { body, contentType } = encodeMultipart(spec.form);
			options.body = body;
			options.headers!['Content-Type'] = contentType;
			options.json = false;
		} else if (spec.body !== undefined) {
			options.body = spec.body;
			options.headers!['Content-Type'] = 'application/json';
		}
		const cancel = 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal?.() : undefined;
		if (cancel) options.abortSignal = cancel;
		return options;
	}

	/** A 429 we stop waiting for: say how long the provider asked to wait and what to do. */
	private tooManyRequests(status: number, failure: ProviderError | undefined, body: unknown, askedMs: number | undefined, attempts: number): ProviderApiError {
		const name = this.provider.displayName;
		const seconds = askedMs === undefined ? undefined : Math.ceil(askedMs / 1000);
		const capSeconds = Math.round(this.policy.maxRetryAfterMs / 1000);
		const message =
			seconds !== undefined && askedMs! > this.policy.maxRetryAfterMs
				? `${name} asks to wait ${seconds} s before the next call; this node waits at most ${capSeconds} s`
				: `${name} still answered "too many requests" after ${attempts} tries${seconds !== undefined ? ` (it asked to wait ${seconds} s)` : ''}`;
		const advice = `Run the workflow again after that wait. For a broadcast, lower Parallel Requests and spread the messages out (e.g. Loop Over Items with a Wait node) so that ${name}'s rate limit is not reached.`;
		const said = failure?.message && failure.message !== `HTTP ${status}` ? `${name} said: ${failure.message}\n` : '';
		return new ProviderApiError(status, { message, description: `${said}${advice}` }, body);
	}

	/** What came back: status, content type and the first 200 characters, secrets removed. */
	private describeAnswer(status: number, headers: Record<string, unknown>, body: unknown, redactor: Redactor): string {
		const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
		return describeAnswer({ status, contentType: contentTypeOf(headers), text }, redactor);
	}

	private unexpectedAnswer(status: number, headers: Record<string, unknown>, body: unknown, idempotent: boolean, redactor: Redactor): ProviderApiError {
		const name = this.provider.displayName;
		const html = /html/i.test(contentTypeOf(headers)) || (typeof body === 'string' && /^\s*<(!doctype|html)/i.test(body));
		const fix = html
			? `An HTML page usually means the Base URL in the ${name} credential points at a website or a proxy, not at the API.`
			: `Check the Base URL in the ${name} credential; if it is right, ${name} may be having trouble.`;
		const consequence = idempotent ? '' : ` Whether ${name} carried the request out is unknown; it was not sent again.`;
		return new ProviderApiError(
			status,
			{
				message: `the answer is not ${name}'s success answer, so the request does not count as done`,
				description: `It answered ${this.describeAnswer(status, headers, body, redactor)}. ${fix}${consequence}`,
			},
			body,
		);
	}

	private async send(spec: RequestSpec, options: CallOptions, redactor: Redactor): Promise<FullResponse> {
		const idempotent = options.idempotent === true;
		if (this.exhausted) {
			const { status, providerError, body } = this.exhausted;
			throw new ProviderApiError(status, { ...providerError, message: `${providerError.message} (not sent: an earlier item already hit this limit)` }, body);
		}
		const { attempts, backoffMs, maxRetryAfterMs } = this.policy;
		for (let attempt = 1; ; attempt++) {
			const last = attempt >= attempts;
			const waitMs = backoffMs * 2 ** (attempt - 1);
			await this.throttle?.slot();
			const outcome = await this.request<FullResponse>(spec, this.options(spec)).then(
					(response: FullResponse) => ({ response }),
					(failure: unknown) => ({ failure }),
				);
			if ('failure' in outcome) {
				const code = errorCode(outcome.failure);
				if (!code) throw outcome.failure;
				if ((NOT_SENT_CODES.has(code) || idempotent) && !last) {
					await sleep(waitMs);
					continue;
				}
				// A request that may have arrived (anything but a refused or unresolved connection) and is not
				// safe to repeat: its outcome is unknown, and the error must say so rather than "not reached".
				throw new TransportError(TRANSPORT_MESSAGES[code] ?? code, code, !NOT_SENT_CODES.has(code) && !idempotent);
			}
			const { response } = outcome;
			const body = decodeBody(response.body, response.headers ?? {});
			const status = response.statusCode;
			if (spec.secretAnswerFields) redactor.add(valuesOfFields(body, spec.secretAnswerFields));
			if (options.answerStatuses?.includes(status)) return { ...response, body };
			const failure =
				status >= 400 && (typeof body === 'string' || Buffer.isBuffer(body))
					? { message: `answered HTTP ${status} with something that is not JSON`, description: this.describeAnswer(status, response.headers ?? {}, body, redactor) }
					: this.provider.errorOf(status, body);
			if (failure && this.provider.exhausts?.(failure, status)) {
				this.exhausted = new ProviderApiError(status, failure, body);
				throw this.exhausted;
			}
			if (status === 429) {
				const asked = retryAfterMs(response.headers?.['retry-after']);
				const wait = asked ?? waitMs;
				if (!last && wait <= maxRetryAfterMs) {
					await sleep(wait);
					continue;
				}
				throw this.tooManyRequests(status, failure, body, asked, attempt);
			}
			if (status >= 500 && idempotent && !last) {
				await sleep(waitMs);
				continue;
			}
			if (failure) throw new ProviderApiError(status, failure, body);
			if (status >= 400) throw new ProviderApiError(status, { message: `HTTP ${status}` }, body);
			if (!isSuccessAnswer(spec, body, options.success)) {
				// A read that came back unreadable is read again; a send is never repeated.
				if (idempotent && !last) {
					await sleep(waitMs);
					continue;
				}
				throw this.unexpectedAnswer(status, response.headers ?? {}, body, idempotent, redactor);
			}
			return { ...response, body };
		}
	}
}

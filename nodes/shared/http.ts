import type {
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
 * Spaces calls so that no more than `perMinute` start in any minute of one execution. The spacing
 * runs from when each call really started: a call that starts late (a slow wake-up, a slow answer
 * before it) pushes the next ones back instead of letting them catch up in a burst, which a
 * provider counting a rolling minute would refuse.
 */
export class Throttle {
	private lastStart = -Infinity;
	private turn: Promise<void> = Promise.resolve();
	private readonly intervalMs: number;

	constructor(
		perMinute: number,
		private readonly now: () => number = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.intervalMs = 60_000 / perMinute;
	}

	/** Resolves when the caller may start its call; parallel callers take turns. */
	slot(): Promise<void> {
		const mine = this.turn.then(async () => {
			const due = this.lastStart + this.intervalMs;
			const now = this.now();
			if (due > now) await this.wait(due - now);
			this.lastStart = this.now();
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

export interface CallOptions {
	/** Safe to repeat after a 5xx, a timeout, a dropped connection or an unreadable answer. */
	idempotent?: boolean;
	itemIndex?: number;
	/** The provider's documented success answer; any other answer fails the call. */
	success?: ZodTypeAny;
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
	/** Set once the provider says nothing more can be sent in this run. */
	private exhausted?: ProviderApiError;

	private constructor(
		private readonly ctx: CallerContext,
		readonly provider: Provider,
		readonly credentials: ICredentialDataDecryptedObject,
		private readonly policy: RetryPolicy,
	) {
		this.redactor = new Redactor(provider, credentials);
		const perMinute = provider.callsPerMinute?.(credentials);
		if (perMinute && perMinute > 0) this.throttle = new Throttle(perMinute);
	}

	static async for(ctx: CallerContext, provider: Provider, policy: Partial<RetryPolicy> = {}): Promise<ProviderClient> {
		const credentials = await ctx.getCredentials(provider.credentialType);
		return new ProviderClient(ctx, provider, credentials, { ...DEFAULT_RETRY_POLICY, ...policy });
	}

	/** Sends `spec`; returns the unwrapped answer, or throws a NodeApiError safe to show. */
	async call(spec: RequestSpec, options: CallOptions = {}): Promise<unknown> {
		const outcome = await this.send(spec, options.idempotent === true, options.success).then(
			(response) => ({ response }),
			(failure: unknown) => ({ failure }),
		);
		if ('failure' in outcome) {
			const { failure } = outcome;
			if (failure instanceof ProviderApiError || failure instanceof TransportError) {
				throw toNodeApiError(this.ctx.getNode(), this.provider, failure, this.redactor, options.itemIndex);
			}
			// Only the redacted message travels on: the raw error holds the request, headers included.
			const message = this.redactor.text(failure instanceof Error ? failure.message : String(failure));
			throw new NodeApiError(this.ctx.getNode(), { message } as JsonObject, { message: `${this.provider.displayName}: ${message}`, itemIndex: options.itemIndex });
		}
		const { response } = outcome;
		if (spec.binaryResponse) {
			return { data: response.body, mimeType: String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0] } as BinaryResponse;
		}
		return this.provider.unwrap ? this.provider.unwrap(response.body) : response.body;
	}

	private options(spec: RequestSpec): IHttpRequestOptions {
		if (spec.path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
			throw new Error(`refused to send to a path with a "." or ".." segment (${spec.path}): an ID field holds a dot where an ID belongs`);
		}
		const base = this.provider.baseUrl(this.credentials).replace(/\/+$/, '');
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
	private describeAnswer(status: number, headers: Record<string, unknown>, body: unknown): string {
		const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
		return describeAnswer({ status, contentType: contentTypeOf(headers), text }, this.redactor);
	}

	private unexpectedAnswer(status: number, headers: Record<string, unknown>, body: unknown, idempotent: boolean): ProviderApiError {
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
				description: `It answered ${this.describeAnswer(status, headers, body)}. ${fix}${consequence}`,
			},
			body,
		);
	}

	private async send(spec: RequestSpec, idempotent: boolean, success: ZodTypeAny | undefined): Promise<FullResponse> {
		if (this.exhausted) {
			const { status, providerError, body } = this.exhausted;
			throw new ProviderApiError(status, { ...providerError, message: `${providerError.message} (not sent: an earlier item already hit this limit)` }, body);
		}
		const { attempts, backoffMs, maxRetryAfterMs } = this.policy;
		for (let attempt = 1; ; attempt++) {
			const last = attempt >= attempts;
			const waitMs = backoffMs * 2 ** (attempt - 1);
			await this.throttle?.slot();
			const outcome = await this.ctx.helpers.httpRequestWithAuthentication
				.call(this.ctx, this.provider.credentialType, this.options(spec))
				.then(
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
			const failure =
				status >= 400 && (typeof body === 'string' || Buffer.isBuffer(body))
					? { message: `answered HTTP ${status} with something that is not JSON`, description: this.describeAnswer(status, response.headers ?? {}, body) }
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
			if (!isSuccessAnswer(spec, body, success)) {
				// A read that came back unreadable is read again; a send is never repeated.
				if (idempotent && !last) {
					await sleep(waitMs);
					continue;
				}
				throw this.unexpectedAnswer(status, response.headers ?? {}, body, idempotent);
			}
			return { ...response, body };
		}
	}
}

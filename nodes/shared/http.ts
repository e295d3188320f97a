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

import { ProviderApiError, Redactor, TransportError, toNodeApiError } from './errors';
import { encodeMultipart } from './multipart';
import type { BinaryResponse, Provider, RequestSpec } from './operation';

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

const TRANSPORT_MESSAGES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset before an answer came',
	ETIMEDOUT: 'no answer came in time',
	ECONNABORTED: 'no answer came in time',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	EPIPE: 'the connection was closed while sending',
};

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
	async call(spec: RequestSpec, options: { idempotent?: boolean; itemIndex?: number } = {}): Promise<unknown> {
		const outcome = await this.send(spec, options.idempotent === true).then(
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

	private async send(spec: RequestSpec, idempotent: boolean): Promise<FullResponse> {
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
				throw new TransportError(TRANSPORT_MESSAGES[code] ?? code, code);
			}
			const { response } = outcome;
			const body = decodeBody(response.body, response.headers ?? {});
			const status = response.statusCode;
			const failure = this.provider.errorOf(status, body);
			if (failure && this.provider.exhausts?.(failure, status)) {
				this.exhausted = new ProviderApiError(status, failure, body);
				throw this.exhausted;
			}
			if (status === 429 && !last) {
				const wait = retryAfterMs(response.headers?.['retry-after']) ?? waitMs;
				if (wait <= maxRetryAfterMs) {
					await sleep(wait);
					continue;
				}
			}
			if (status >= 500 && idempotent && !last) {
				await sleep(waitMs);
				continue;
			}
			if (failure) throw new ProviderApiError(status, failure, body);
			if (status >= 400) throw new ProviderApiError(status, { message: `HTTP ${status}` }, body);
			return { ...response, body };
		}
	}
}

import { redactHeaders } from './recording';

export interface DeliveryOptions {
	/** Extra headers, e.g. a provider's signature or verify token. */
	headers?: Record<string, string>;
	method?: 'POST' | 'PUT';
	timeoutMs?: number;
}

/** One outbound webhook call made by a simulator, kept for tests to inspect. */
export interface WebhookDelivery {
	seq: number;
	at: string;
	method: string;
	url: string;
	headers: Record<string, string | string[]>;
	body: unknown;
	/** The receiver's status; null when it could not be reached or timed out. */
	status: number | null;
	/** The receiver's reply, parsed as JSON when it is JSON. */
	response: unknown;
	error: string | null;
	durationMs: number;
}

/** POSTs JSON to registered URLs (a simulator's outbound webhooks) and logs every attempt. */
export class WebhookSender {
	private log: WebhookDelivery[] = [];
	private nextSeq = 1;

	constructor(
		private readonly secretHeaders: readonly string[],
		private readonly limit = 1_000,
	) {}

	async deliver(url: string, body: unknown, options: DeliveryOptions = {}): Promise<WebhookDelivery> {
		const { method = 'POST', timeoutMs = 10_000 } = options;
		const headers = { 'content-type': 'application/json', 'user-agent': 'whatsapp-gateways-sandbox', ...options.headers };
		const started = Date.now();
		const delivery: WebhookDelivery = {
			seq: this.nextSeq++,
			at: new Date(started).toISOString(),
			method,
			url,
			headers: redactHeaders(headers, this.secretHeaders),
			body,
			status: null,
			response: null,
			error: null,
			durationMs: 0,
		};
		this.log.push(delivery);
		if (this.log.length > this.limit) this.log.shift();
		try {
			const response = await fetch(url, {
				method,
				headers,
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(timeoutMs),
			});
			delivery.status = response.status;
			const text = await response.text();
			delivery.response = parseMaybeJson(text);
		} catch (error) {
			delivery.error = describeFetchError(error);
		}
		delivery.durationMs = Date.now() - started;
		return delivery;
	}

	deliveries(): WebhookDelivery[] {
		return [...this.log];
	}

	clear(): void {
		this.log = [];
	}
}

function parseMaybeJson(text: string): unknown {
	if (text === '') return null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** fetch hides the reason (ECONNREFUSED, timeout) in `cause`; duck-typed as errors may come from another realm. */
function describeFetchError(error: unknown): string {
	const messageOf = (value: unknown) =>
		typeof value === 'object' && value !== null && 'message' in value ? String((value as Error).message) : String(value);
	const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
	return cause === undefined ? messageOf(error) : `${messageOf(error)}: ${messageOf(cause)}`;
}

import type { ICredentialDataDecryptedObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Provider, ProviderError } from './operation';

const REDACTED = '[redacted]';

/** Replaces every secret value (and its URL-encoded form) in any string of `value`. */
export class Redactor {
	private readonly secrets: string[];

	constructor(provider: Provider, credentials: ICredentialDataDecryptedObject) {
		const values = provider.secretFields
			.map((field) => credentials[field])
			.filter((value): value is string | number => (typeof value === 'string' || typeof value === 'number') && String(value).length >= 4)
			.map(String);
		this.secrets = [...new Set(values.flatMap((secret) => [secret, encodeURIComponent(secret)]))].sort((a, b) => b.length - a.length);
	}

	text(text: string): string {
		return this.secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
	}

	value<T>(value: T): T {
		if (typeof value === 'string') return this.text(value) as T;
		if (Array.isArray(value)) return value.map((entry) => this.value(entry)) as T;
		if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
			return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, this.value(entry)])) as T;
		}
		return value;
	}
}

/** A request the provider answered with a failure. */
export class ProviderApiError extends Error {
	constructor(
		readonly status: number,
		readonly providerError: ProviderError,
		readonly body: unknown,
	) {
		super(providerError.message);
	}
}

/** The request never got an answer (refused, reset, timed out). */
export class TransportError extends Error {
	constructor(
		message: string,
		readonly code: string | undefined,
	) {
		super(message);
	}
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad request',
	401: 'Authorization failed',
	403: 'Forbidden',
	404: 'Not found',
	409: 'Conflict',
	413: 'Payload too large',
	415: 'Unsupported media type',
	422: 'The request was rejected',
	429: 'Too many requests',
	500: 'The provider had an internal error',
	502: 'Bad gateway',
	503: 'The provider is unavailable',
	504: 'The provider timed out',
};

export function statusText(status: number): string {
	return STATUS_TEXT[status] ?? `HTTP ${status}`;
}

/** The NodeApiError n8n shows for a failed call; nothing secret survives into it. */
export function toNodeApiError(
	node: INode,
	provider: Provider,
	error: ProviderApiError | TransportError,
	redactor: Redactor,
	itemIndex?: number,
): NodeApiError {
	if (error instanceof TransportError) {
		const message = redactor.text(`Could not reach ${provider.displayName}: ${error.message}`);
		return new NodeApiError(node, { message, transportError: error.code ?? 'unknown' } as JsonObject, {
			message,
			description: `Check the base URL in the ${provider.displayName} credential and that the service is reachable from the n8n server.`,
			itemIndex,
		});
	}
	const hint = provider.hint?.(error.providerError, error.status);
	const description = [error.providerError.description, hint].filter(Boolean).join('\n');
	const message = redactor.text(`${provider.displayName}: ${error.providerError.message}`);
	return new NodeApiError(node, redactor.value({ status: error.status, body: error.body }) as unknown as JsonObject, {
		message,
		description: redactor.text(description || statusText(error.status)),
		httpCode: String(error.status),
		itemIndex,
	});
}

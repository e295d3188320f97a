import type { ICredentialDataDecryptedObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Provider, ProviderError } from './operation';

const REDACTED = '[redacted]';

const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/** Every byte as %XX, unreserved characters too (some clients escape everything). */
const percentAll = (secret: string) => [...Buffer.from(secret, 'utf8')].map((byte) => `%${hex(byte)}`).join('');

/** RFC 3986: encodeURIComponent plus the five characters it leaves alone. */
const percentStrict = (secret: string) => encodeURIComponent(secret).replace(/[!'()*]/g, (char) => `%${hex(char.charCodeAt(0))}`);

/** application/x-www-form-urlencoded, as URLSearchParams writes a query string. */
const formEncoded = (secret: string) => new URLSearchParams({ s: secret }).toString().slice(2);

/**
 * The forms a secret can take on its way through an HTTP stack and back in an answer or an error:
 * as typed, URL-encoded three ways (with upper- or lower-case hex), form-encoded, JSON-escaped
 * and base64 (as in a Basic auth header).
 */
export function secretForms(secret: string): string[] {
	const encoded = [encodeURIComponent(secret), encodeURI(secret), percentStrict(secret), percentAll(secret), formEncoded(secret)];
	const withLowerHex = encoded.flatMap((form) => [form, form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())]);
	const json = JSON.stringify(secret).slice(1, -1);
	const base64 = Buffer.from(secret, 'utf8').toString('base64');
	return [...new Set([secret, ...withLowerHex, json, base64, base64.replace(/=+$/, '')])];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const isPlainObject = (value: object) => {
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
};

/** Replaces every secret value, in every form it can take, in any string of `value`. */
export class Redactor {
	private secrets: string[] = [];
	/** Finds any of the forms at all: most strings hold none, and are then left as they are at once. */
	private anySecret?: RegExp;
	private shortest = Infinity;

	constructor(provider: Provider, credentials: ICredentialDataDecryptedObject) {
		this.add(provider.secretFields.map((field) => credentials[field]));
	}

	/** Also hides `values` from now on: a key given for one call, a token an answer carried. */
	add(values: unknown[]): this {
		const texts = values
			.filter((value): value is string | number => (typeof value === 'string' || typeof value === 'number') && String(value).length >= 4)
			.map(String);
		this.secrets = [...new Set([...this.secrets, ...texts.flatMap(secretForms)])].sort((a, b) => b.length - a.length);
		this.shortest = this.secrets.length ? this.secrets[this.secrets.length - 1]!.length : Infinity;
		this.anySecret = this.secrets.length ? new RegExp(this.secrets.map(escapeRegExp).join('|')) : undefined;
		return this;
	}

	/** A copy that also hides `values`; this one stays as it is. */
	with(values: unknown[]): Redactor {
		const copy = Object.create(Redactor.prototype) as Redactor;
		copy.secrets = this.secrets;
		copy.shortest = this.shortest;
		copy.anySecret = this.anySecret;
		return copy.add(values);
	}

	text(text: string): string {
		if (text.length < this.shortest || !this.anySecret!.test(text)) return text;
		return this.secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
	}

	/**
	 * `value` with every string redacted. Plain objects and arrays come back as new ones only where
	 * something inside changed; other objects (not JSON: a class instance) come back as plain
	 * objects of their own enumerable fields, and Buffers as they are.
	 */
	value<T>(value: T): T {
		if (typeof value === 'string') return this.text(value) as T;
		if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
		if (Array.isArray(value)) {
			let copy: unknown[] | undefined;
			for (let index = 0; index < value.length; index++) {
				const entry: unknown = value[index];
				const redacted = this.value(entry);
				if (redacted !== entry) (copy ??= value.slice())[index] = redacted;
			}
			return (copy ?? value) as T;
		}
		const entries = Object.entries(value);
		let changed = !isPlainObject(value);
		const redacted = entries.map(([key, entry]) => {
			const after = this.value(entry);
			if (after !== entry) changed = true;
			return [key, after] as const;
		});
		return (changed ? Object.fromEntries(redacted) : value) as T;
	}
}

/** Why a request got no answer, in words, per Node.js error code. */
export const TRANSPORT_MESSAGES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset before an answer came',
	ETIMEDOUT: 'no answer came in time',
	ECONNABORTED: 'no answer came in time',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	EPIPE: 'the connection was closed while sending',
	ERR_INVALID_URL: 'it is not a valid URL',
	CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
	DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
};

/** An answer as it came over the wire. */
export interface RawAnswer {
	status: number;
	contentType: string;
	text: string;
}

const SHOWN_CHARACTERS = 200;

/**
 * `HTTP 200 (text/html): "<!doctype html>…"`: what came back, for a person to recognise. Secrets
 * are removed before the text is cut, so that no part of one can remain.
 */
export function describeAnswer(answer: RawAnswer, redactor: Redactor): string {
	const text = redactor.text(answer.text).replace(/\s+/g, ' ').trim();
	const shown = text === '' ? 'an empty body' : `"${text.slice(0, SHOWN_CHARACTERS)}${text.length > SHOWN_CHARACTERS ? '…' : ''}"`;
	return `HTTP ${answer.status} (${answer.contentType.split(';')[0].trim() || 'no content type'}): ${shown}`;
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
		/** The request may have reached the provider and been carried out (a send whose answer was lost). */
		readonly outcomeUnknown = false,
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
	if (error instanceof TransportError && error.outcomeUnknown) {
		const name = provider.displayName;
		const message = redactor.text(`${name} may have carried this out, but ${error.message}`);
		return new NodeApiError(node, { message, transportError: error.code ?? 'unknown' } as JsonObject, {
			message,
			description: `Whether ${name} carried the request out is unknown, so it was not sent again (nothing is sent twice). Check in ${name} (e.g. the conversation) before sending this item again. If no request gets through at all, check the base URL in the ${name} credential and that the service is reachable from the n8n server.`,
			itemIndex,
		});
	}
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
	const apiError = new NodeApiError(node, redactor.value({ status: error.status, body: error.body }) as unknown as JsonObject, {
		message,
		description: redactor.text(description || statusText(error.status)),
		httpCode: String(error.status),
		itemIndex,
	});
	if (error.providerError.field) apiError.context.field = redactor.text(error.providerError.field);
	return apiError;
}

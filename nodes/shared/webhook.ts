import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { z } from 'zod';

/** What a webhook trigger keeps about its registration, in the node's static data. */
export interface Registration {
	/** The URL we registered, secret included. */
	registeredUrl?: string;
	/** The URL the account had before, put back on deactivation. */
	previousUrl?: string;
	secret?: string;
	/** Ids of recently delivered events, to drop a re-delivered batch. */
	seen?: string[];
}

export function registrationOf(ctx: { getWorkflowStaticData(type: string): IDataObject }): Registration {
	return ctx.getWorkflowStaticData('node') as Registration;
}

export function newSecret(): string {
	return randomBytes(24).toString('hex');
}

/** `url` with extra query parameters, keeping any it already has. */
export function withQuery(url: string, params: Record<string, string>): string {
	const target = new URL(url);
	for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
	return target.toString();
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison that does not leak the secret's length either. */
export function sameSecret(expected: string | undefined, given: unknown): boolean {
	if (!expected || typeof given !== 'string' || given === '') return false;
	return timingSafeEqual(digest(expected), digest(given));
}

/** Answers the caller directly and starts no workflow run. */
export function refuse(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.status(status).json({ error: message });
	return { noWebhookResponse: true };
}

/** Acknowledges a delivery that carried nothing the workflow listens for. */
export function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

export function emit(ctx: IWebhookFunctions, records: IDataObject[]): IWebhookResponseData {
	return { workflowData: [ctx.helpers.returnJsonArray(records)] };
}

/** The trigger option that turns `firstDeliveries` on or off. */
export function dedupeOption(providerName: string): INodeProperties {
	return {
		displayName: 'Ignore Repeated Deliveries',
		name: 'dedupe',
		type: 'boolean',
		default: true,
		description: `Whether to drop an event ${providerName} sends again (it retries a delivery it thinks failed)`,
	};
}

/**
 * Drops events already delivered (providers retry a batch they think failed). Keeps the
 * newest `max` ids in static data.
 */
export function firstDeliveries<T>(registration: Registration, events: T[], idOf: (event: T) => string | undefined, max = 500): T[] {
	const seen = new Set(registration.seen ?? []);
	const fresh = events.filter((event) => {
		const id = idOf(event);
		if (id === undefined) return true;
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
	registration.seen = [...seen].slice(-max);
	return fresh;
}

/**
 * Parses a webhook body with the provider's schema. A body that does not fit still reaches the
 * workflow, with the raw body and what did not fit, rather than being dropped.
 */
export function parsePayload<T>(schema: z.ZodType<T>, body: unknown): { payload: T } | { invalid: IDataObject } {
	const result = schema.safeParse(body);
	if (result.success) return { payload: result.data };
	return {
		invalid: {
			validationError: result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
			raw: (body ?? null) as IDataObject,
		},
	};
}

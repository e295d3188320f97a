import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { isoTime, normalizedMessage, type NormalizedMessage } from '../shared/normalized';
import type { Provider, ProviderError } from '../shared/operation';
import { parsePhoneNumber } from '../shared/phone';
import { credentialTest } from '../shared/credential-test';
import { MessinginApi } from '../../credentials/MessinginApi.credentials';

export const MESSINGIN_DEFAULT_BASE_URL = 'https://api.messingin.com';

/** API calls per minute of each plan, as Messingin's plan table gives them. */
export const PLAN_CALLS_PER_MINUTE: Record<string, number> = {
	free: 100,
	basic: 1_000,
	pro: 10_000,
	enterprise: 20_000,
};

/** The last path segment of the Messingin Trigger's webhook URL. */
export const TRIGGER_WEBHOOK_PATH = 'messingin';

/**
 * Where the Messingin Triggers of a workflow note their Production URL (by node name) when the
 * workflow is published: the workflow's static data, which Session → Create of the same workflow
 * reads to offer "A Messingin Trigger in This Workflow".
 */
const TRIGGER_URLS = 'messinginTriggerUrls';

type StaticDataOwner = { getWorkflowStaticData(type: string): IDataObject };

/** The Production URLs the workflow's Messingin Triggers noted, by node name. Reading changes nothing. */
export function triggerUrlsOf(ctx: StaticDataOwner): Record<string, string> {
	const urls = ctx.getWorkflowStaticData('global')[TRIGGER_URLS];
	return isRecord(urls) ? (urls as Record<string, string>) : {};
}

/** Notes (a URL) or forgets (undefined) the Production URL of the Messingin Trigger `name`. */
export function noteTriggerUrl(ctx: StaticDataOwner, name: string, url: string | undefined): void {
	const global = ctx.getWorkflowStaticData('global');
	const urls: IDataObject = { ...triggerUrlsOf(ctx) };
	if (url === undefined) delete urls[name];
	else urls[name] = url;
	global[TRIGGER_URLS] = urls;
}

/** The query parameter that carries the credential's webhook secret to the trigger. */
export const SECRET_PARAMETER = 'secret';

export const MESSINGIN_EVENTS = ['message.received', 'message.sent', 'message.delivered', 'session.connected', 'session.disconnected'] as const;
export type MessinginEvent = (typeof MESSINGIN_EVENTS)[number];

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The API calls per minute the credential's plan allows. */
export function planCallsPerMinute(credentials: ICredentialDataDecryptedObject): number | undefined {
	const plan = String(credentials.plan ?? 'free');
	if (plan === 'custom') {
		const custom = Number(credentials.callsPerMinute);
		return Number.isFinite(custom) && custom > 0 ? custom : undefined;
	}
	return PLAN_CALLS_PER_MINUTE[plan];
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (isRecord(value) && typeof value.message === 'string') return value.message;
	return undefined;
}

/** Messingin answers `{ success, data }`, and `{ success: false, error | message }` on failure. */
export function messinginErrorOf(status: number, body: unknown): ProviderError | undefined {
	if (isRecord(body) && (body.success === false || status >= 400)) {
		const details = Array.isArray(body.errors) ? body.errors.map((entry) => textOf(entry) ?? JSON.stringify(entry)) : [];
		return {
			message: textOf(body.error) ?? textOf(body.message) ?? details[0] ?? `HTTP ${status}`,
			description: details.length > 1 ? details.map((line) => `• ${line}`).join('\n') : undefined,
		};
	}
	return status >= 400 ? { message: `HTTP ${status}` } : undefined;
}

/** Every Messingin success: `{ success: true, data }`. */
export const MESSINGIN_SUCCESS = z.object({ success: z.literal(true) }).passthrough();

export const MESSINGIN_SESSION_CREATED = MESSINGIN_SUCCESS.extend({
	data: z.object({ sessionId: z.string().min(1), qrCode: z.string() }).passthrough(),
});

const isDailyQuota = (error: ProviderError) => /\bdaily\b|\bper day\b|\btoday\b/i.test(error.message);

export const messingin: Provider = {
	displayName: 'Messingin',
	credentialType: 'messinginApi',
	baseUrl: (credentials) => String(credentials.baseUrl || MESSINGIN_DEFAULT_BASE_URL),
	errorOf: messinginErrorOf,
	unwrap: (body) => (isRecord(body) && body.data !== undefined ? body.data : body),
	secretFields: ['apiKey', 'webhookSecret'],
	// Messingin counts calls in a rolling minute; the shared throttle keeps under it.
	callsPerMinute: planCallsPerMinute,
	exhausts: (error, status) => status === 429 && isDailyQuota(error),
	hint: (error, status) => {
		if (status === 401) return 'Check the API key in the Messingin credential.';
		if (status === 429 && isDailyQuota(error)) {
			return 'The messages per day of your Messingin plan are used up; the items after this one were not sent. Send them again once the quota resets, or move to a larger plan.';
		}
		if (status === 429) {
			return 'Messingin still refused after waiting. Check that the Plan in the Messingin credential matches your subscription: other workflows and apps using the same API key count towards it too.';
		}
		if (status === 403) return 'Your Messingin plan or API key does not allow this (each plan allows a number of sessions).';
		return undefined;
	},
};

/** Messingin's error envelope: `{ success: false, error }` (or `message`). */
export const MESSINGIN_ERROR = z
	.object({ success: z.literal(false), error: z.string().min(1).optional(), message: z.string().min(1).optional() })
	.passthrough()
	.refine((body) => body.error !== undefined || body.message !== undefined, 'names no error');

/**
 * The credential test. Messingin documents no call that reads without sending, so the test sends
 * an empty message to a session that does not exist: with a working key Messingin answers its own
 * error envelope ("not found" or "invalid"), with a wrong one a 401. Nothing is sent.
 */
export const testMessinginCredential = credentialTest(messingin, MessinginApi, {
	request: { method: 'POST', path: 'api/whatsapp/sessions/n8n-credential-test/messages', body: {} },
	accepts: [
		{ status: 404, shape: MESSINGIN_ERROR, what: 'its "not found" for a session that does not exist' },
		{ status: 400, shape: MESSINGIN_ERROR, what: 'its "invalid request" for an empty message' },
	],
	baseUrlLabel: 'Base URL',
});

function e164(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	try {
		return parsePhoneNumber(value).e164;
	} catch {
		return value;
	}
}

/** A message event (received, sent, delivered) in the shape every provider shares. */
export function normalizeMessageEvent(event: MessinginEvent, data: IDataObject): NormalizedMessage {
	const received = event === 'message.received';
	const from = e164(data.from);
	const to = e164(data.to);
	return normalizedMessage({
		provider: 'messingin',
		event,
		raw: data,
		messageId: typeof data.id === 'string' ? data.id : null,
		chatId: received ? from : to,
		from,
		to,
		fromMe: !received,
		type: 'text',
		text: typeof data.message === 'string' ? data.message : null,
		timestamp: isoTime(data.timestamp),
	});
}

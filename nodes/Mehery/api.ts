import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { ItemReader } from '../shared/item-reader';
import { isoTime, normalizedMessage, type MessageType, type NormalizedMessage } from '../shared/normalized';
import type { Provider, ProviderError } from '../shared/operation';
import { toDigits } from '../shared/phone';
import { credentialTest } from '../shared/credential-test';
import { MeheryApi } from '../../credentials/MeheryApi.credentials';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** One entry of Mehery's `errors[]` as a line: "field: description (code)". */
function problemLine(problem: unknown): string | undefined {
	if (!isRecord(problem)) return text(problem);
	const description = text(problem.description) ?? text(problem.code);
	if (!description) return undefined;
	const field = text(problem.field);
	const code = text(problem.code);
	return `${field ? `${field}: ` : ''}${description}${code && code !== description ? ` (${code})` : ''}`;
}

/**
 * Mehery answers `{ error, errors: [{ code, description, field }], message, status, … }` on
 * failure; a success carries an empty `errors` and its `data`.
 */
export function meheryErrorOf(status: number, body: unknown): ProviderError | undefined {
	if (!isRecord(body)) return status >= 400 ? { message: `HTTP ${status}` } : undefined;
	const problems = (Array.isArray(body.errors) ? body.errors : []).map(problemLine).filter((line): line is string => line !== undefined);
	const failed = status >= 400 || (problems.length > 0 && (body.data === undefined || body.data === null));
	if (!failed) return undefined;
	const message = text(body.message) ?? problems[0] ?? text(body.error) ?? `HTTP ${status}`;
	const lines = problems.filter((line) => line !== message);
	const error = text(body.error);
	if (error && error !== message && !lines.length) lines.push(error);
	return { message, description: lines.length ? lines.map((line) => `• ${line}`).join('\n') : undefined };
}

const envelope = <T extends z.ZodTypeAny>(data: T) => z.object({ data }).passthrough();

/** What Mehery's document gives as the success model of each endpoint. */
export const MEHERY_SUCCESS = {
	sent: envelope(z.object({ id: z.string().min(1) }).passthrough()),
	event: envelope(z.object({}).passthrough()),
	webhook: envelope(z.object({}).passthrough()),
	results: z.object({ results: z.array(z.object({}).passthrough()) }).passthrough(),
};

export const mehery: Provider = {
	displayName: 'Mehery',
	credentialType: 'meheryApi',
	baseUrl: (credentials) => String(credentials.baseUrl ?? ''),
	errorOf: meheryErrorOf,
	secretFields: ['apiKey', 'verifyToken'],
	hint: (_error, status) =>
		status === 401 || status === 403 ? 'Check the API key and the base URL in the Mehery credential (Mehery TechSupport gives both).' : undefined,
};

/** Mehery's error envelope (`{ error, errors: [{ code, description, field }], message, … }`). */
export const MEHERY_ERROR = z.object({ error: z.string().min(1), errors: z.array(z.object({}).passthrough()) }).passthrough();

/**
 * The credential test. Mehery has no call that succeeds without an existing ID, so the test reads
 * the messages of a session that does not exist: a valid key gets Mehery's own "not found"
 * envelope, a wrong one a 401. A 404 in any other shape (a web server's page) fails.
 */
export const testMeheryCredential = credentialTest(mehery, MeheryApi, {
	request: { method: 'GET', path: 'api/v1/session/messages', query: { sessionId: 'n8n-credential-test' } },
	accepts: [
		{ status: 404, shape: MEHERY_ERROR, what: 'its "not found" envelope for a session that does not exist' },
		{ status: 200, shape: MEHERY_SUCCESS.results, what: 'the messages of a session' },
	],
	baseUrlLabel: 'Base URL',
});

/** The `data` of a success envelope, with its warnings when there are any. */
export function envelopeData(result: unknown): IDataObject {
	if (!isRecord(result)) return { success: true };
	const data = isRecord(result.data) ? result.data : { success: true, ...(text(result.message) ? { message: result.message } : {}) };
	const warnings = Array.isArray(result.warnings) && result.warnings.length ? { warnings: result.warnings } : {};
	return { ...data, ...warnings };
}

/** The `results` list of a success envelope (or its one `data` record). */
export function envelopeResults(result: unknown): IDataObject[] {
	if (!isRecord(result)) return [];
	if (Array.isArray(result.results)) return result.results.filter(isRecord);
	return isRecord(result.data) ? [result.data] : [];
}

/** The phone number of `to`, as Mehery takes it: country code and number, digits only. */
export function meheryPhone(item: ItemReader, name: string): string {
	return toDigits(item.phone(name));
}

// ---------------------------------------------------------------------------------------------
// Inbound callbacks

/** The callbacks Mehery makes, each at its path under the webhook URL set with config/webhook. */
export const CALLBACK_PATHS = {
	messageReceive: 'api/v1/message/receive',
	contactInfo: 'api/v1/contact/info',
	actionEvent: 'api/v1/action/event',
} as const;

export type CallbackEvent = keyof typeof CALLBACK_PATHS;

const MESSAGE_TYPES: Record<string, MessageType> = {
	audio: 'audio',
	document: 'document',
	image: 'image',
	location: 'location',
	system: 'system',
	text: 'text',
	video: 'video',
	voice: 'voice',
};

const MEDIA_TYPES = new Set(['audio', 'document', 'image', 'video', 'voice']);

/** A number as Mehery gives it (digits, maybe with +) in E.164; anything else as it is. */
function e164(value: unknown): string | null {
	const given = text(value);
	if (!given) return null;
	const digits = given.replace(/[\s()-]/g, '');
	return /^\+?\d{7,15}$/.test(digits) ? `+${digits.replace(/^\+/, '')}` : given;
}

function coordinate(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : Number(text(value));
	return Number.isFinite(number) ? number : undefined;
}

/** A message of the message-receive callback, with its contact, in the shape every provider shares. */
export function normalizeMessage(message: IDataObject, contact: IDataObject | null): NormalizedMessage {
	const type = MESSAGE_TYPES[String(message.type)] ?? 'unknown';
	const content = isRecord(message[String(message.type)]) ? (message[String(message.type)] as IDataObject) : {};
	const session = isRecord(message.session) ? message.session : {};
	const textBody = isRecord(message.text) ? text(message.text.body) : undefined;
	let media: NormalizedMessage['media'] = null;
	if (MEDIA_TYPES.has(type)) {
		media = {};
		if (text(content.link)) media.url = String(content.link);
		if (text(content.mime_type)) media.mimeType = String(content.mime_type);
		if (text(content.caption)) media.caption = String(content.caption);
		if (text(content.filename)) media.fileName = String(content.filename);
	}
	let location: NormalizedMessage['location'] = null;
	const latitude = coordinate(content.latitude);
	const longitude = coordinate(content.longitude);
	if (type === 'location' && latitude !== undefined && longitude !== undefined) {
		location = { latitude, longitude };
		if (text(content.name)) location.name = String(content.name);
		if (text(content.address)) location.address = String(content.address);
	}
	return normalizedMessage({
		provider: 'mehery',
		event: 'message.received',
		raw: { ...message, contact },
		messageId: text(message.id) ?? null,
		chatId: text(session.sessionId) ?? text(message.contactId) ?? null,
		from: e164(message.from) ?? e164(isRecord(contact?.profile) ? contact.profile.mobile : undefined),
		to: e164(contact?.lane),
		fromMe: false,
		type,
		text: media ? (media.caption ?? null) : (textBody ?? null),
		media,
		location,
		timestamp: isoTime(message.timestamp),
	});
}

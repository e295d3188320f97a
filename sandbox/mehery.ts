/**
 * Mehery as its API document describes it (shared/seeds/003_b25db7ac60fe9699.txt): JSON calls under
 * `/api/v1` authenticated by an `x-api-key` header, answered in Mehery's envelope
 * (`{ data, results, errors, warnings, status, timestamp, … }`); errors as
 * `{ error, errors: [{ code, description, field }], message, status, timestamp }` with a 4xx.
 *
 * Mehery calls back the URL set with POST /api/v1/config/webhook at three paths under it
 * (`/api/v1/message/receive`, `/api/v1/contact/info`, `/api/v1/action/event`), each with the
 * `x-verify-token` header. Control routes make it do so (with the right token, a wrong one or none);
 * a contact-info callback's answer is checked against the documented response model and applied to
 * the contact.
 *
 * The document has no base URL, no model for contacts, location or voice bodies of a send, and no
 * way to read or remove the webhook URL; where it is silent the simulator follows the shapes of the
 * inbound callback (location, voice) and WhatsApp's (contact cards), and says so in its errors.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

import {
	notFound,
	routeFor,
	SandboxError,
	type Problem,
	type RawInput,
	type SandboxServer,
	type Simulator,
	type WebhookDelivery,
} from './framework';

export const MEHERY_DEMO = {
	apiKey: 'demo-mehery-api-key',
	verifyToken: 'demo-mehery-verify-token',
	/** The channel sends go over (a WhatsApp business number's channel). */
	channelId: 'wa-demo-channel',
	/** The business number contacts write to: their `lane`. */
	lane: '15550104567',
} as const;

export const MEHERY_SEED = {
	customer: { contactId: 'ct-1001', phone: '17472822486', name: 'Jane Smith', email: 'jane@example.com' },
	sessionId: 'ss-2001',
	template: { id: 'welcome_offer', placeholders: ['first_name', 'code'] },
} as const;

export const CALLBACK_PATHS = {
	messageReceive: '/api/v1/message/receive',
	contactInfo: '/api/v1/contact/info',
	actionEvent: '/api/v1/action/event',
} as const;
export type Callback = keyof typeof CALLBACK_PATHS;

export const SEND_TYPES = ['audio', 'document', 'image', 'location', 'system', 'text', 'video', 'voice', 'contacts', 'template', 'optin', 'optout'] as const;
export type SendType = (typeof SEND_TYPES)[number];
export const INBOUND_TYPES = ['audio', 'document', 'image', 'location', 'system', 'text', 'video', 'voice'] as const;
export type InboundType = (typeof INBOUND_TYPES)[number];
export const CONTACT_TYPES = ['SMS', 'EMAIL', 'WHATSAPP', 'PUSH', 'FACEBOOK', 'TELEGRAM', 'WEBSITE', 'TWITTER', 'INSTAGRAM', 'DUMMY', 'EMPTY'] as const;
const MEDIA_TYPES = ['audio', 'document', 'image', 'video', 'voice'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const TEXT_TYPES = ['system', 'text'] as const;

export interface Label {
	key: string;
	name?: string;
	type?: 'TEXT' | 'DATE' | 'NUMBER' | 'LIST';
	format?: 'MM/DD/YY';
	value: unknown;
}

export interface MeheryContact {
	contactId: string;
	contactType: (typeof CONTACT_TYPES)[number];
	csid: string;
	lane: string;
	profile: { email?: string; mobile?: string; name?: string };
	profileId?: string;
	labels: Label[];
	/** false after an optout message, true after an optin. */
	subscribed: boolean;
}

/** A message as GET /api/v1/session/messages returns it. */
export interface SessionMessage {
	action: string;
	attachments: Array<{ mediaCaption: string; mediaId: string; mediaMimeType: string; mediaName: string; mediaSrc: string; mediaType: 'IMAGE' | 'DOCUMENT' | 'TEXT' | 'PDF' | 'VIDEO'; mediaURL: string }>;
	bulkSessionId: string;
	contact: { channelType: string; contactId: string; contactType: string; csid: string; email: string; lane: string; name: string; phone: string };
	logs: string[];
	messageId: string;
	messageIdExt: string;
	messageIdRef: string;
	meta: Record<string, unknown>;
	name: string;
	replyId: string;
	replyIdExt: string;
	/** CONTACT for inbound messages, API for sends. */
	sender: string;
	sessionId: string;
	stamps: Record<string, number>;
	status: string;
	tags: Tags;
	template: string;
	templateId: string;
	text: string;
	timestamp: number;
	type: string;
}

interface Tags {
	categories: string[];
	cities: string[];
	countries: string[];
	langs: string[];
	locations: string[];
	organizations: string[];
	persons: string[];
	sentimentScore: number;
	sentiments: string[];
}

export interface MeherySession {
	sessionId: string;
	contactId: string;
	channelId: string;
	messages: SessionMessage[];
}

/** A send as the simulator accepted it. */
export interface SentMessage {
	id: string;
	sessionId: string;
	contactId: string;
	request: Record<string, unknown>;
	at: number;
}

export interface PushedEvent {
	eventName: string;
	id: string;
	links: Array<{ linkName: string; linkType: string; linkValue: string }>;
	at: number;
}

/** One callback the simulator made, with what came back. */
export interface CallbackRecord {
	callback: Callback;
	url: string;
	payload: unknown;
	status: number | null;
	response: unknown;
	/** Contact info only: what is wrong with the answer (empty when it fits the response model). */
	replyProblems?: string[];
	/** Contact info only: the contact after the answer was applied. */
	appliedTo?: string;
}

export interface MeheryState {
	channels: string[];
	templates: Record<string, string[]>;
	/** '' until one is set; kept exactly as set. */
	webhookUrl: string;
	webhookHistory: string[];
	contacts: MeheryContact[];
	sessions: MeherySession[];
	sent: SentMessage[];
	events: PushedEvent[];
	callbacks: CallbackRecord[];
	lastId: number;
}

export interface MeheryOptions {
	apiKey?: string;
	verifyToken?: string;
}

// ---------------------------------------------------------------------------------------------
// Small rules

const PHONE = /^\+?\d{7,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const now = () => Date.now();
const traceId = () => randomBytes(8).toString('hex');
const digitsOf = (phone: string) => phone.replace(/^\+/, '');

function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

function isHttpUrl(value: string): boolean {
	try {
		return /^https?:$/.test(new URL(value).protocol) && /^https?:\/\//i.test(value);
	} catch {
		return false;
	}
}

const nextId = (state: MeheryState, prefix: string) => `${prefix}-${++state.lastId}`;

const emptyTags = (): Tags => ({ categories: [], cities: [], countries: [], langs: [], locations: [], organizations: [], persons: [], sentimentScore: 0, sentiments: [] });

/** Mehery's success envelope: every field of the documented response model. */
export function envelope(path: string, data: unknown, results: unknown[] = data === null ? [] : [data], warnings: Problem[] = []) {
	return {
		data,
		details: [],
		error: '',
		errors: [],
		exception: '',
		extra: {},
		logs: [],
		message: 'Success',
		messageKey: '',
		meta: {},
		params: {},
		path,
		redirectUrl: '',
		results,
		status: 'SUCCESS',
		statusKey: 'SUCCESS',
		timestamp: now(),
		traceid: traceId(),
		warningKey: warnings.length ? 'WARNING' : '',
		warnings: warnings.map((warning) => ({ code: warning.code ?? 'WARNING', description: warning.message, field: warning.field ?? '' })),
	};
}

const ERROR_CODES: Record<string, string> = {
	validation: 'INVALID_REQUEST',
	unauthorized: 'UNAUTHORIZED',
	forbidden: 'FORBIDDEN',
	not_found: 'NOT_FOUND',
	method_not_allowed: 'METHOD_NOT_ALLOWED',
	unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
	payload_too_large: 'PAYLOAD_TOO_LARGE',
	bad_request: 'BAD_REQUEST',
	conflict: 'CONFLICT',
	rate_limited: 'TOO_MANY_REQUESTS',
	server_error: 'SERVER_ERROR',
};

/** A zod issue in Mehery's words, with a code. */
function meheryProblems(issue: z.ZodIssue): Problem[] {
	const field = issue.path.join('.') || undefined;
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => ({ field: field ? `${field}.${key}` : key, code: 'UNKNOWN_FIELD', message: `${field ? `${field}.${key}` : key} is not a field of this request.` }));
	}
	if (issue.code === 'invalid_type') {
		if (!field) return [{ code: 'INVALID_BODY', message: 'The request body must be a JSON object.' }];
		if (issue.received === 'undefined') return [{ field, code: 'REQUIRED_FIELD', message: `${field} is required.` }];
		return [{ field, code: 'INVALID_FIELD', message: `${field} must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}.` }];
	}
	if (issue.code === 'invalid_enum_value') {
		return [{ field, code: 'INVALID_FIELD', message: `${field} must be one of ${issue.options.join(', ')}.` }];
	}
	return [{ field, code: 'INVALID_FIELD', message: issue.message }];
}

const missing = (problem: Problem) => new SandboxError(404, 'not_found', [problem]);
const nonEmpty = (name: string) => z.string().trim().min(1, `${name} must not be empty.`);
const httpUrl = (name: string) => z.string().refine(isHttpUrl, `${name} must be a public http or https URL.`);
const coordinate = (name: string, bound: number) =>
	z
		.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, `${name} must be a number.`)])
		.refine((value) => Math.abs(Number(value)) <= bound, `${name} must be between -${bound} and ${bound}.`);

// ---------------------------------------------------------------------------------------------
// State operations, shared by API routes, control routes and tests.

function seedState(): MeheryState {
	const { customer, sessionId, template } = MEHERY_SEED;
	const state: MeheryState = {
		channels: [MEHERY_DEMO.channelId],
		templates: { [template.id]: [...template.placeholders] },
		webhookUrl: '',
		webhookHistory: [],
		contacts: [
			{
				contactId: customer.contactId,
				contactType: 'WHATSAPP',
				csid: customer.phone,
				lane: MEHERY_DEMO.lane,
				profile: { name: customer.name, mobile: customer.phone, email: customer.email },
				labels: [],
				subscribed: true,
			},
		],
		sessions: [{ sessionId, contactId: customer.contactId, channelId: MEHERY_DEMO.channelId, messages: [] }],
		sent: [],
		events: [],
		callbacks: [],
		lastId: 3000,
	};
	const session = state.sessions[0]!;
	const contact = state.contacts[0]!;
	session.messages.push(sessionMessage(state, session, contact, { sender: 'CONTACT', type: 'text', text: 'Hi, is my order shipped?', timestamp: Date.parse('2026-10-10T10:00:00Z') }));
	session.messages.push(sessionMessage(state, session, contact, { sender: 'API', type: 'text', text: 'Yes, it left today. Tracking: DS-1042', timestamp: Date.parse('2026-10-10T10:05:00Z') }));
	return state;
}

export function findContactByPhone(state: MeheryState, phone: string): MeheryContact | undefined {
	const digits = digitsOf(phone);
	return state.contacts.find((contact) => contact.csid === digits || digitsOf(contact.profile.mobile ?? '') === digits);
}

/** The contact of a phone number, created the first time it is seen. */
export function contactFor(state: MeheryState, phone: string, name?: string, email?: string): MeheryContact {
	const digits = digitsOf(phone);
	let contact = findContactByPhone(state, digits);
	if (!contact) {
		contact = { contactId: nextId(state, 'ct'), contactType: 'WHATSAPP', csid: digits, lane: MEHERY_DEMO.lane, profile: { mobile: digits }, labels: [], subscribed: true };
		state.contacts.push(contact);
	}
	if (name && !contact.profile.name) contact.profile.name = name;
	if (email && !contact.profile.email) contact.profile.email = email;
	return contact;
}

/** The open session of a contact on a channel, opened the first time. */
export function sessionFor(state: MeheryState, contact: MeheryContact, channelId: string = MEHERY_DEMO.channelId): MeherySession {
	let session = state.sessions.find((entry) => entry.contactId === contact.contactId && entry.channelId === channelId);
	if (!session) {
		session = { sessionId: nextId(state, 'ss'), contactId: contact.contactId, channelId, messages: [] };
		state.sessions.push(session);
	}
	return session;
}

const ATTACHMENT_TYPES: Record<MediaType, SessionMessage['attachments'][number]['mediaType']> = { audio: 'DOCUMENT', document: 'DOCUMENT', image: 'IMAGE', video: 'VIDEO', voice: 'DOCUMENT' };

function sessionMessage(
	state: MeheryState,
	session: MeherySession,
	contact: MeheryContact,
	fields: { sender: string; type: string; text?: string; name?: string; media?: { link: string; caption?: string; filename?: string; mimeType?: string }; templateId?: string; timestamp?: number },
): SessionMessage {
	const messageId = nextId(state, 'msg');
	const media = fields.media;
	const mediaType = media ? (/\.pdf$/i.test(media.filename ?? media.link) ? 'PDF' : (ATTACHMENT_TYPES[fields.type as MediaType] ?? 'DOCUMENT')) : undefined;
	return {
		action: '',
		attachments: media
			? [{ mediaCaption: media.caption ?? '', mediaId: `media-${messageId}`, mediaMimeType: media.mimeType ?? '', mediaName: media.filename ?? '', mediaSrc: media.link, mediaType: mediaType!, mediaURL: media.link }]
			: [],
		bulkSessionId: '',
		contact: {
			channelType: 'WHATSAPP',
			contactId: contact.contactId,
			contactType: contact.contactType,
			csid: contact.csid,
			email: contact.profile.email ?? '',
			lane: contact.lane,
			name: contact.profile.name ?? '',
			phone: contact.profile.mobile ?? contact.csid,
		},
		logs: [],
		messageId,
		messageIdExt: `wamid.${createHash('sha256').update(messageId).digest('hex').slice(0, 24)}`,
		messageIdRef: '',
		meta: {},
		name: fields.name ?? contact.profile.name ?? '',
		replyId: '',
		replyIdExt: '',
		sender: fields.sender,
		sessionId: session.sessionId,
		stamps: { created: fields.timestamp ?? now() },
		status: fields.sender === 'CONTACT' ? 'RECEIVED' : 'SENT',
		tags: emptyTags(),
		template: fields.templateId ? 'TEMPLATE' : '',
		templateId: fields.templateId ?? '',
		text: fields.text ?? media?.caption ?? '',
		timestamp: fields.timestamp ?? now(),
		type: fields.type,
	};
}

// ---------------------------------------------------------------------------------------------
// Inbound: a contact writes, and Mehery calls /api/v1/message/receive.

const inboundSpec = z
	.object({
		phone: z.string().regex(PHONE, 'phone must be 7 to 15 digits with the country code (a + is allowed).'),
		name: z.string().optional(),
		type: z.enum(INBOUND_TYPES).default('text'),
		text: z.string().optional(),
		link: z.string().optional(),
		mimeType: z.string().optional(),
		caption: z.string().optional(),
		filename: z.string().optional(),
		latitude: z.number().optional(),
		longitude: z.number().optional(),
		locationName: z.string().optional(),
		address: z.string().optional(),
		timestamp: z.number().int().optional(),
	})
	.strict();
export type InboundMessage = z.input<typeof inboundSpec>;

const DEFAULT_MIME: Record<MediaType, string> = { audio: 'audio/mpeg', document: 'application/pdf', image: 'image/jpeg', video: 'video/mp4', voice: 'audio/ogg' };
const DEFAULT_EXTENSION: Record<MediaType, string> = { audio: 'mp3', document: 'pdf', image: 'jpg', video: 'mp4', voice: 'ogg' };

/**
 * A contact writes: the message joins the contact's session, and the message-receive callback
 * body (documented model) is returned with the contact.
 */
export function receiveInbound(state: MeheryState, input: InboundMessage): { message: Record<string, unknown>; contact: MeheryContact } {
	const spec = inboundSpec.parse(input);
	const contact = contactFor(state, spec.phone, spec.name);
	const session = sessionFor(state, contact);
	const timestamp = spec.timestamp ?? now();
	const isMedia = (MEDIA_TYPES as readonly string[]).includes(spec.type);
	const mediaType = spec.type as MediaType;
	const id = `mid-${++state.lastId}`;
	const media = isMedia
		? {
				link: spec.link ?? `https://media.mehery.example/${id}.${DEFAULT_EXTENSION[mediaType]}`,
				mimeType: spec.mimeType ?? DEFAULT_MIME[mediaType],
				caption: spec.caption,
				filename: spec.filename,
			}
		: undefined;
	const stored = sessionMessage(state, session, contact, { sender: 'CONTACT', type: spec.type, text: spec.text, media, timestamp });
	session.messages.push(stored);
	const message: Record<string, unknown> = {
		id: stored.messageId,
		from: contact.csid,
		contactId: contact.contactId,
		type: spec.type,
		messageIdExt: stored.messageIdExt,
		session: { sessionId: session.sessionId, assignedToAgent: '', assignedToDept: '' },
		tags: emptyTags(),
		timestamp,
	};
	if (spec.type === 'text' || (spec.type === 'system' && spec.text !== undefined)) message.text = { body: spec.text ?? '', type: spec.type };
	if (media) {
		message[spec.type] = {
			id: `media-${stored.messageId}`,
			link: media.link,
			mime_type: media.mimeType,
			sha256: createHash('sha256').update(media.link).digest('hex'),
			...(media.caption !== undefined ? { caption: media.caption } : {}),
			...(media.filename !== undefined ? { filename: media.filename } : {}),
			type: spec.type,
		};
	}
	if (spec.type === 'location') {
		message.location = {
			latitude: String(spec.latitude ?? 0),
			longitude: String(spec.longitude ?? 0),
			name: spec.locationName ?? '',
			address: spec.address ?? '',
		};
	}
	return { message, contact };
}

/** The message-receive body of one batch: the messages, the contacts that wrote them, the actions. */
export function inboundBatch(state: MeheryState, specs: InboundMessage[], actionCodes: string[] = []) {
	const received = specs.map((spec) => receiveInbound(state, spec));
	const contacts = [...new Map(received.map(({ contact }) => [contact.contactId, contactJson(contact)])).values()];
	return { actions: actionCodes.map((actionCode) => ({ actionCode })), contacts, messages: received.map(({ message }) => message) };
}

/** A contact as the callbacks carry it (`contacts[]` of message-receive, the body of contact-info). */
export function contactJson(contact: MeheryContact) {
	return {
		contactId: contact.contactId,
		contactType: contact.contactType,
		csid: contact.csid,
		lane: contact.lane,
		profile: { ...contact.profile },
		...(contact.profileId ? { profileId: contact.profileId } : {}),
	};
}

// ---------------------------------------------------------------------------------------------
// Callbacks

/** `undefined`: the right token; `null`: no header; a string: that token (e.g. a wrong one). */
export type TokenChoice = string | null | undefined;

export function callbackUrl(state: MeheryState, callback: Callback): string {
	if (state.webhookUrl === '') throw new SandboxError(409, 'conflict', [{ message: 'No webhook URL is set: POST /api/v1/config/webhook first.' }]);
	return state.webhookUrl.replace(/\/+$/, '') + CALLBACK_PATHS[callback];
}

const labelSchema = z
	.object({
		format: z.enum(['MM/DD/YY']).optional(),
		key: z.string().min(1),
		name: z.string().optional(),
		type: z.enum(['TEXT', 'DATE', 'NUMBER', 'LIST']).optional(),
		value: z.unknown().refine((value) => value !== undefined, 'value is required.'),
	})
	.strict();

/** The documented response model of the contact-info callback. */
export const profileReplySchema = z
	.object({
		email: z.string().optional(),
		labels: z.array(labelSchema).optional(),
		mobile: z.string().optional(),
		name: z.string().optional(),
		profileId: z.string().optional(),
	})
	.strict();

function applyProfile(contact: MeheryContact, reply: z.infer<typeof profileReplySchema>): void {
	if (reply.name !== undefined) contact.profile.name = reply.name;
	if (reply.email !== undefined) contact.profile.email = reply.email;
	if (reply.mobile !== undefined) contact.profile.mobile = reply.mobile;
	if (reply.profileId !== undefined) contact.profileId = reply.profileId;
	for (const label of reply.labels ?? []) {
		contact.labels = [...contact.labels.filter((entry) => entry.key !== label.key), label as Label];
	}
}

export interface MeheryServer {
	readonly state: MeheryState;
	deliverWebhook: SandboxServer<MeheryState>['deliverWebhook'];
}

/** Sends one callback to the registered URL with the verify token of `token` and records it. */
export async function deliverCallback(
	server: MeheryServer,
	verifyToken: string,
	callback: Callback,
	payload: unknown,
	token?: TokenChoice,
): Promise<{ delivery: WebhookDelivery; record: CallbackRecord }> {
	const url = callbackUrl(server.state, callback);
	const sent = token === undefined ? verifyToken : token;
	const delivery = await server.deliverWebhook(url, payload, { headers: sent === null ? {} : { 'x-verify-token': sent } });
	const record: CallbackRecord = { callback, url, payload, status: delivery.status, response: delivery.response };
	if (callback === 'contactInfo' && delivery.status !== null && delivery.status < 300) {
		const parsed = profileReplySchema.safeParse(delivery.response ?? {});
		record.replyProblems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
		const contactId = (payload as { contactId?: unknown } | null)?.contactId;
		const contact = server.state.contacts.find((entry) => entry.contactId === contactId);
		if (parsed.success && contact) {
			applyProfile(contact, parsed.data);
			record.appliedTo = contact.contactId;
		}
	}
	server.state.callbacks.push(record);
	return { delivery, record };
}

// ---------------------------------------------------------------------------------------------
// The simulator

export function meherySimulator(options: MeheryOptions = {}): Simulator<MeheryState> {
	const apiKey = options.apiKey ?? MEHERY_DEMO.apiKey;
	const verifyToken = options.verifyToken ?? MEHERY_DEMO.verifyToken;
	const route = routeFor<MeheryState>();

	const media = z.object({ link: httpUrl('link'), caption: z.string().optional(), filename: z.string().optional() }).strict();
	const sendBody = z
		.object({
			channelId: nonEmpty('channelId'),
			to: z
				.object({
					phone: z.string().regex(PHONE, 'to.phone must be 7 to 15 digits with the country code (a leading + is allowed).'),
					name: z.string().optional(),
					email: z.string().regex(EMAIL, 'to.email must be an email address.').optional(),
				})
				.strict(),
			type: z.enum(SEND_TYPES),
			mask: z.boolean(),
			text: z.object({ body: nonEmpty('text.body'), type: z.string().optional() }).strict().optional(),
			audio: media.optional(),
			document: media.optional(),
			image: media.optional(),
			video: media.optional(),
			voice: media.optional(),
			location: z
				.object({ latitude: coordinate('location.latitude', 90), longitude: coordinate('location.longitude', 180), name: z.string().optional(), address: z.string().optional() })
				.strict()
				.optional(),
			contacts: z.array(z.record(z.unknown())).min(1, 'contacts must hold at least one contact card.').optional(),
			template: z.object({ id: nonEmpty('template.id'), data: z.record(z.union([z.string(), z.number(), z.boolean()])).optional() }).strict().optional(),
		})
		.strict();
	type SendBody = z.infer<typeof sendBody>;
	const CONTENT_KEYS = ['text', ...MEDIA_TYPES, 'location', 'contacts', 'template'] as const;
	const contentKeyOf = (type: string): string | undefined =>
		(TEXT_TYPES as readonly string[]).includes(type) ? 'text' : type === 'optin' || type === 'optout' ? undefined : type;

	const sendProblems = (input: RawInput): Problem[] => {
		const body = (input.body ?? {}) as Record<string, unknown>;
		const type = typeof body.type === 'string' ? body.type : undefined;
		if (!type || !(SEND_TYPES as readonly string[]).includes(type)) return [];
		const wanted = contentKeyOf(type);
		const problems: Problem[] = [];
		if (wanted && body[wanted] === undefined) problems.push({ field: wanted, code: 'REQUIRED_FIELD', message: `${wanted} is required for a ${type} message.` });
		for (const key of CONTENT_KEYS) {
			if (key !== wanted && body[key] !== undefined) problems.push({ field: key, code: 'UNEXPECTED_FIELD', message: `${key} does not belong to a ${type} message.` });
		}
		return problems;
	};

	return {
		name: 'mehery',
		initialState: seedState,
		accepts: ['json'],
		secretHeaders: ['x-verify-token'],
		problemsOf: meheryProblems,
		errorBody: ({ status, kind, code, problems }) => ({
			error: STATUS_CODES[status] ?? 'Error',
			errors: problems.map((problem) => ({ code: problem.code ?? code ?? ERROR_CODES[kind] ?? 'ERROR', description: problem.message, field: problem.field ?? '' })),
			message: problems.length === 1 ? problems[0]!.message : kind === 'validation' ? `The request has ${problems.length} problems.` : problems.map((problem) => problem.message).join(' '),
			status,
			timestamp: now(),
		}),
		snapshot: (state) => ({
			...state,
			// The URLs Mehery calls, for tooling that looks for a trigger's webhook URL in the state.
			callbackUrls: state.webhookUrl === '' ? {} : Object.fromEntries(Object.keys(CALLBACK_PATHS).map((name) => [name, callbackUrl(state, name as Callback)])),
		}),

		authenticate: ({ headers }) => {
			const given = headers['x-api-key'];
			const key = Array.isArray(given) ? given[0] : given;
			if (!key || !sameSecret(key, apiKey)) {
				throw new SandboxError(401, 'unauthorized', [{ field: 'x-api-key', code: 'INVALID_API_KEY', message: key ? 'The API key is not valid.' : 'The x-api-key header is missing.' }]);
			}
		},

		routes: [
			route({
				method: 'POST',
				path: '/api/v1/config/webhook',
				body: z.object({ url: z.string().refine(isHttpUrl, 'url must be an http or https URL.') }).strict(),
				handle: ({ body, state }) => {
					state.webhookUrl = body.url;
					state.webhookHistory.push(body.url);
					return { json: envelope('/api/v1/config/webhook', { description: 'The URL Mehery sends callbacks to', key: 'webhook.url', shared: false, value: { url: body.url } }) };
				},
			}),

			route({
				method: 'POST',
				path: '/api/v1/event/push',
				body: z
					.object({
						eventName: nonEmpty('eventName'),
						id: nonEmpty('id'),
						links: z.array(z.object({ linkName: nonEmpty('linkName'), linkType: nonEmpty('linkType'), linkValue: nonEmpty('linkValue') }).strict()),
					})
					.strict(),
				handle: ({ body, state }) => {
					state.events.push({ ...body, at: now() });
					return { json: envelope('/api/v1/event/push', body) };
				},
			}),

			route({
				method: 'POST',
				path: '/api/v1/message/send',
				body: sendBody,
				validate: (input) => sendProblems(input),
				handle: ({ body, state }) => {
					const send = body as SendBody;
					if (!state.channels.includes(send.channelId)) {
						throw missing({ field: 'channelId', code: 'CHANNEL_NOT_FOUND', message: `No channel ${send.channelId} in this account.` });
					}
					const warnings: Problem[] = [];
					if (send.template) {
						const placeholders = state.templates[send.template.id];
						if (!placeholders) throw missing({ field: 'template.id', code: 'TEMPLATE_NOT_FOUND', message: `No approved template ${send.template.id}.` });
						for (const key of placeholders) {
							if (send.template.data?.[key] === undefined) warnings.push({ field: `template.data.${key}`, code: 'PLACEHOLDER_BLANK', message: `${key} has no value: it was sent blank.` });
						}
					}
					const contact = contactFor(state, send.to.phone, send.to.name, send.to.email);
					if (send.type === 'optin' || send.type === 'optout') contact.subscribed = send.type === 'optin';
					const session = sessionFor(state, contact, send.channelId);
					const mediaBody = (MEDIA_TYPES as readonly string[]).includes(send.type) ? send[send.type as MediaType] : undefined;
					const stored = sessionMessage(state, session, contact, {
						sender: 'API',
						type: send.type,
						name: send.to.name,
						text: send.text?.body,
						media: mediaBody,
						templateId: send.template?.id,
					});
					session.messages.push(stored);
					state.sent.push({ id: stored.messageId, sessionId: session.sessionId, contactId: contact.contactId, request: send as Record<string, unknown>, at: now() });
					return { json: envelope('/api/v1/message/send', { id: stored.messageId }, undefined, warnings) };
				},
			}),

			route({
				method: 'GET',
				path: '/api/v1/session/messages',
				query: z.object({ sessionId: nonEmpty('sessionId') }).strict(),
				handle: ({ query, state }) => {
					const session = state.sessions.find((entry) => entry.sessionId === query.sessionId);
					if (!session) throw missing({ field: 'sessionId', code: 'SESSION_NOT_FOUND', message: `No session ${query.sessionId}.` });
					const messages = session.messages;
					return { json: envelope('/api/v1/session/messages', messages[messages.length - 1] ?? null, messages) };
				},
			}),
		],

		controlRoutes: [
			// A contact writes (one message, or several in one batch): Mehery calls message/receive.
			route({
				method: 'POST',
				path: '/inbound',
				body: z
					.object({
						messages: z.array(z.record(z.unknown())).min(1).optional(),
						actions: z.array(nonEmpty('actionCode')).optional(),
						verifyToken: z.string().nullable().optional(),
						deliver: z.boolean().optional(),
					})
					.passthrough(),
				handle: async ({ body, state, server }) => {
					const { messages: many, actions, verifyToken: token, deliver, ...single } = body;
					const specs = (many ?? [single]) as InboundMessage[];
					const problems = specs.flatMap((spec, index) => {
						const parsed = inboundSpec.safeParse(spec);
						return parsed.success ? [] : parsed.error.issues.map((issue) => ({ field: [many ? `messages.${index}` : '', ...issue.path].filter(Boolean).join('.'), message: issue.message }));
					});
					if (problems.length) throw new SandboxError(400, 'validation', problems);
					const payload = inboundBatch(state, specs, actions);
					if (deliver === false) return { status: 201, json: { payload, delivery: null } };
					const { delivery } = await deliverCallback(server, verifyToken, 'messageReceive', payload, token);
					return { status: 201, json: { payload, delivery } };
				},
			}),

			// Mehery asks for a contact's profile; the answer is checked and applied to the contact.
			route({
				method: 'POST',
				path: '/contact-info',
				body: z
					.object({ contactId: z.string().optional(), phone: z.string().optional(), verifyToken: z.string().nullable().optional() })
					.strict()
					.refine((value) => (value.contactId === undefined) !== (value.phone === undefined), 'Give contactId or phone.'),
				handle: async ({ body, state, server }) => {
					const contact = body.contactId
						? state.contacts.find((entry) => entry.contactId === body.contactId)
						: findContactByPhone(state, body.phone!);
					if (!contact) throw notFound(`No contact ${body.contactId ?? body.phone}.`);
					const { delivery, record } = await deliverCallback(server, verifyToken, 'contactInfo', contactJson(contact), body.verifyToken);
					return { json: { payload: record.payload, delivery, replyProblems: record.replyProblems ?? null, contact } };
				},
			}),

			// An agent or service triggers an action: Mehery calls action/event.
			route({
				method: 'POST',
				path: '/action-event',
				body: z.object({ actionCode: nonEmpty('actionCode'), verifyToken: z.string().nullable().optional() }).strict(),
				handle: async ({ body, server }) => {
					const { delivery } = await deliverCallback(server, verifyToken, 'actionEvent', { actionCode: body.actionCode }, body.verifyToken);
					return { json: { delivery } };
				},
			}),

			// Any body to any callback path (e.g. one that breaks the documented model).
			route({
				method: 'POST',
				path: '/deliver',
				body: z
					.object({ callback: z.enum(['messageReceive', 'contactInfo', 'actionEvent']), payload: z.unknown(), verifyToken: z.string().nullable().optional() })
					.strict(),
				handle: async ({ body, server }) => {
					const { delivery, record } = await deliverCallback(server, verifyToken, body.callback, body.payload, body.verifyToken);
					return { json: { delivery, replyProblems: record.replyProblems ?? null } };
				},
			}),
		],
	};
}

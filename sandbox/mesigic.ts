/**
 * Mesigic (https://mesigic.com/external-api) as its API document describes it: a Laravel API taking
 * form data, authenticated by `client-id` + `client-secret` headers and an IP whitelist, answering
 * `{status, remark, message[], data}`. See shared/seeds/000_3103d8f7f7c5ea62.txt.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

import {
	extensionOf,
	invalid,
	notFound,
	SandboxError,
	routeFor,
	unauthorized,
	type ErrorKind,
	type Problem,
	type RawInput,
	type Simulator,
	type UploadedFile,
} from './framework';
import {
	decimal,
	digits,
	file,
	formFields,
	integer,
	laravelProblems,
	paginate,
	text,
	uploadOnly,
	type FileRule,
} from './laravel';

export const MESIGIC_BASE_PATH = '/external-api';
export const MESIGIC_DEMO_CREDENTIALS = { clientId: 'demo-client-id', clientSecret: 'demo-client-secret' };

export const ConversationStatus = { Done: 1, Pending: 2, Important: 3, Unread: 4 } as const;
export type ConversationStatusValue = (typeof ConversationStatus)[keyof typeof ConversationStatus];

export interface MesigicContact {
	id: number;
	firstname: string;
	lastname: string | null;
	mobile_code: string;
	mobile: string;
	city: string | null;
	state: string | null;
	post_code: string | null;
	address: string | null;
	profile_image: string | null;
	is_blocked: boolean;
	created_at: string;
	updated_at: string;
}

export interface MesigicConversation {
	id: number;
	contact_id: number;
	status: ConversationStatusValue;
	last_message: string | null;
	last_message_at: string | null;
	unread_count: number;
	created_at: string;
	updated_at: string;
	notes: Array<{ id: number; note: string; created_at: string }>;
	tags: Array<{ id: number; name: string; color: string }>;
	lists: Array<{ id: number; name: string }>;
}

export type MessageType = 'text' | 'image' | 'document' | 'video' | 'audio' | 'location' | 'interactive' | 'template';

export interface MesigicMessage {
	id: number;
	conversation_id: number;
	contact_id: number;
	direction: 'inbound' | 'outbound';
	type: MessageType;
	message: string | null;
	status: 'sent' | 'received';
	wamid: string;
	from_number: string | null;
	created_at: string;
	/** What came with it, for tests (not part of the API's message JSON). */
	details: Record<string, unknown>;
}

export interface MesigicTemplate {
	id: number;
	name: string;
	language: string;
	category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
	status: 'APPROVED' | 'PENDING' | 'REJECTED';
	body: string;
}

export interface MesigicState {
	contacts: MesigicContact[];
	conversations: MesigicConversation[];
	messages: MesigicMessage[];
	templates: MesigicTemplate[];
	/** The account's registered WhatsApp Business numbers; the first is the default sender. */
	fromNumbers: Array<{ id: number; number: string; name: string }>;
	ctaUrls: Array<{ id: number; name: string; button_text: string; url: string }>;
	interactiveLists: Array<{ id: number; name: string; button_text: string }>;
	/** null: no whitelist enforced (the sandbox default); otherwise the allowed caller IPs. */
	ipWhitelist: string[] | null;
	profileImages: Record<string, { contentType: string; buffer: Buffer }>;
	lastIds: { contact: number; conversation: number; message: number; image: number };
}

export interface MesigicOptions {
	clientId?: string;
	clientSecret?: string;
}

// ---------------------------------------------------------------------------------------------
// Seed data: four conversations (one per status), a contact without messages, one blocked contact.

function seedState(): MesigicState {
	const contact = (
		id: number,
		firstname: string,
		lastname: string,
		mobile_code: string,
		mobile: string,
		city: string | null,
		created_at: string,
		is_blocked = false,
	): MesigicContact => ({
		id,
		firstname,
		lastname,
		mobile_code,
		mobile,
		city,
		state: null,
		post_code: null,
		address: null,
		profile_image: null,
		is_blocked,
		created_at,
		updated_at: created_at,
	});
	const contacts = [
		contact(1, 'John', 'Doe', '880', '1711000001', 'Dhaka', '2026-10-01T09:00:00.000Z'),
		contact(2, 'Jane', 'Smith', '1', '7472822486', 'Los Angeles', '2026-10-02T09:00:00.000Z'),
		contact(3, 'Anna', 'Müller', '49', '15112345678', 'Berlin', '2026-10-03T09:00:00.000Z'),
		contact(4, 'Rahim', 'Uddin', '880', '1811000002', 'Chattogram', '2026-10-04T09:00:00.000Z', true),
		contact(5, 'Priya', 'Patel', '91', '9876543210', 'Mumbai', '2026-10-05T09:00:00.000Z'),
	];
	const conversation = (
		id: number,
		status: ConversationStatusValue,
		unread_count: number,
		created_at: string,
		extras: Partial<MesigicConversation> = {},
	): MesigicConversation => ({
		id,
		contact_id: id,
		status,
		last_message: null,
		last_message_at: null,
		unread_count,
		created_at,
		updated_at: created_at,
		notes: [],
		tags: [],
		lists: [],
		...extras,
	});
	const conversations = [
		conversation(1, ConversationStatus.Done, 0, '2026-10-10T10:00:00.000Z'),
		conversation(2, ConversationStatus.Pending, 0, '2026-10-11T10:00:00.000Z', {
			lists: [{ id: 1, name: 'Newsletter' }],
		}),
		conversation(3, ConversationStatus.Important, 0, '2026-10-12T10:00:00.000Z', {
			notes: [{ id: 1, note: 'Wants a quote for 50 units.', created_at: '2026-10-12T10:30:00.000Z' }],
			tags: [{ id: 1, name: 'VIP', color: '#f59e0b' }],
			lists: [{ id: 2, name: 'Wholesale' }],
		}),
		conversation(4, ConversationStatus.Unread, 2, '2026-10-13T10:00:00.000Z'),
	];
	const state: MesigicState = {
		contacts,
		conversations,
		messages: [],
		templates: [
			{
				id: 1,
				name: 'order_confirmation',
				language: 'en_US',
				category: 'UTILITY',
				status: 'APPROVED',
				body: 'Hello {{1}}, your order {{2}} is confirmed.',
			},
			{
				id: 2,
				name: 'welcome_offer',
				language: 'en',
				category: 'MARKETING',
				status: 'APPROVED',
				body: 'Welcome to Demo Store! Enjoy 10% off your first order.',
			},
			{
				id: 3,
				name: 'payment_reminder',
				language: 'en',
				category: 'UTILITY',
				status: 'PENDING',
				body: 'Your payment of {{1}} is due on {{2}}.',
			},
		],
		fromNumbers: [
			{ id: 1, number: '17475550100', name: 'Demo Support' },
			{ id: 2, number: '17475550101', name: 'Demo Sales' },
		],
		ctaUrls: [{ id: 1, name: 'Shop link', button_text: 'Visit shop', url: 'https://shop.example.com' }],
		interactiveLists: [{ id: 1, name: 'Main menu', button_text: 'Choose' }],
		ipWhitelist: null,
		profileImages: {},
		lastIds: { contact: 5, conversation: 4, message: 0, image: 0 },
	};
	const history: Array<[number, 'inbound' | 'outbound', string, string]> = [
		[1, 'inbound', 'Hi, is my order shipped?', '2026-10-10T10:00:00.000Z'],
		[1, 'outbound', 'Yes, it left today.', '2026-10-10T10:05:00.000Z'],
		[2, 'inbound', 'Can I change my delivery address?', '2026-10-11T10:00:00.000Z'],
		[3, 'inbound', 'Please send me a quote.', '2026-10-12T10:00:00.000Z'],
		[4, 'inbound', 'Hello?', '2026-10-13T10:00:00.000Z'],
		[4, 'inbound', 'Are you open on Sunday?', '2026-10-13T10:01:00.000Z'],
	];
	const seededStatuses = conversations.map(({ status, unread_count }) => ({ status, unread_count }));
	for (const [conversationId, direction, body, at] of history) {
		const target = state.conversations.find((entry) => entry.id === conversationId)!;
		addMessage(state, target, { direction, type: 'text', message: body, from_number: direction === 'outbound' ? '17475550100' : null, at });
	}
	// Replaying the history marked every conversation unread; put back the seeded statuses.
	state.conversations.forEach((entry, index) => Object.assign(entry, seededStatuses[index]));
	return state;
}

// ---------------------------------------------------------------------------------------------
// State operations, shared by the API routes and the control routes.

const now = () => new Date().toISOString();

function nextId(state: MesigicState, kind: keyof MesigicState['lastIds']): number {
	state.lastIds[kind] += 1;
	return state.lastIds[kind];
}

function findContact(state: MesigicState, id: string | number): MesigicContact | undefined {
	return state.contacts.find((contact) => String(contact.id) === String(id));
}

function findContactByNumber(state: MesigicState, mobileCode: string, mobile: string): MesigicContact | undefined {
	return state.contacts.find((contact) => contact.mobile_code === mobileCode && contact.mobile === mobile);
}

function findConversation(state: MesigicState, id: string | number): MesigicConversation | undefined {
	return state.conversations.find((conversation) => String(conversation.id) === String(id));
}

type ContactFields = Partial<Omit<MesigicContact, 'id' | 'created_at' | 'updated_at' | 'profile_image' | 'is_blocked'>>;

export function createContact(
	state: MesigicState,
	fields: ContactFields & { mobile_code: string; mobile: string },
): MesigicContact {
	const at = now();
	const contact: MesigicContact = {
		id: nextId(state, 'contact'),
		firstname: fields.firstname ?? `+${fields.mobile_code}${fields.mobile}`,
		lastname: fields.lastname ?? null,
		mobile_code: fields.mobile_code,
		mobile: fields.mobile,
		city: fields.city ?? null,
		state: fields.state ?? null,
		post_code: fields.post_code ?? null,
		address: fields.address ?? null,
		profile_image: null,
		is_blocked: false,
		created_at: at,
		updated_at: at,
	};
	state.contacts.push(contact);
	return contact;
}

/** The conversation an outbound send lands in; an unknown number becomes a contact first. */
function outboundConversation(state: MesigicState, recipient: { mobile_code: string; mobile: string }): MesigicConversation {
	const contact =
		findContactByNumber(state, recipient.mobile_code, recipient.mobile) ??
		createContact(state, { mobile_code: recipient.mobile_code, mobile: recipient.mobile });
	return conversationWith(state, contact, ConversationStatus.Pending);
}

function conversationWith(state: MesigicState, contact: MesigicContact, status: ConversationStatusValue): MesigicConversation {
	const existing = state.conversations.find((conversation) => conversation.contact_id === contact.id);
	if (existing) return existing;
	const at = now();
	const conversation: MesigicConversation = {
		id: nextId(state, 'conversation'),
		contact_id: contact.id,
		status,
		last_message: null,
		last_message_at: null,
		unread_count: 0,
		created_at: at,
		updated_at: at,
		notes: [],
		tags: [],
		lists: [],
	};
	state.conversations.push(conversation);
	return conversation;
}

function addMessage(
	state: MesigicState,
	conversation: MesigicConversation,
	entry: {
		direction: 'inbound' | 'outbound';
		type: MessageType;
		message: string | null;
		from_number: string | null;
		details?: Record<string, unknown>;
		at?: string;
	},
): MesigicMessage {
	const at = entry.at ?? now();
	const message: MesigicMessage = {
		id: nextId(state, 'message'),
		conversation_id: conversation.id,
		contact_id: conversation.contact_id,
		direction: entry.direction,
		type: entry.type,
		message: entry.message,
		status: entry.direction === 'outbound' ? 'sent' : 'received',
		wamid: `wamid.${randomBytes(18).toString('base64url')}`,
		from_number: entry.from_number,
		created_at: at,
		details: entry.details ?? {},
	};
	state.messages.push(message);
	conversation.last_message = entry.message ?? `[${entry.type}]`;
	conversation.last_message_at = at;
	conversation.updated_at = at;
	if (entry.direction === 'inbound') {
		conversation.status = ConversationStatus.Unread;
		conversation.unread_count += 1;
	}
	return message;
}

/** A customer writes in: the conversation becomes unread with a new last message. */
export function receiveInbound(
	state: MesigicState,
	inbound: { mobile_code: string; mobile: string; message: string; firstname?: string; lastname?: string },
) {
	const contact =
		findContactByNumber(state, inbound.mobile_code, inbound.mobile) ??
		createContact(state, {
			mobile_code: inbound.mobile_code,
			mobile: inbound.mobile,
			firstname: inbound.firstname,
			lastname: inbound.lastname,
		});
	const conversation = conversationWith(state, contact, ConversationStatus.Unread);
	const message = addMessage(state, conversation, {
		direction: 'inbound',
		type: 'text',
		message: inbound.message,
		from_number: null,
	});
	return { contact, conversation, message };
}

export function changeConversationStatus(conversation: MesigicConversation, status: ConversationStatusValue): void {
	conversation.status = status;
	// Marking a conversation done, pending or important reads it; marking it unread keeps a count.
	conversation.unread_count = status === ConversationStatus.Unread ? Math.max(1, conversation.unread_count) : 0;
	conversation.updated_at = now();
}

const byNewest = <T extends { id: number }>(items: readonly T[]) => [...items].sort((a, b) => b.id - a.id);

const lastActivity = (conversation: MesigicConversation) => conversation.last_message_at ?? conversation.created_at;

// ---------------------------------------------------------------------------------------------
// JSON as the API returns it.

const contactJson = (contact: MesigicContact) => ({ ...contact });

function conversationJson(state: MesigicState, conversation: MesigicConversation) {
	const contact = findContact(state, conversation.contact_id);
	return {
		id: conversation.id,
		contact_id: conversation.contact_id,
		contact: contact ? contactJson(contact) : null,
		status: conversation.status,
		last_message: conversation.last_message,
		last_message_at: conversation.last_message_at,
		unread_count: conversation.unread_count,
		created_at: conversation.created_at,
		updated_at: conversation.updated_at,
	};
}

const messageJson = (message: MesigicMessage) => ({
	id: message.id,
	conversation_id: message.conversation_id,
	contact_id: message.contact_id,
	type: message.type,
	message: message.message,
	status: message.status,
	wamid: message.wamid,
	from_number: message.from_number,
	created_at: message.created_at,
});

const success = (remark: string, message: string, data: unknown) => ({
	json: { status: 'success', remark, message: [message], data },
});

const REMARKS: Record<ErrorKind, string> = {
	validation: 'validation_error',
	unauthorized: 'Unauthorized',
	forbidden: 'forbidden',
	not_found: 'not_found',
	method_not_allowed: 'method_not_allowed',
	unsupported_media_type: 'unsupported_media_type',
	payload_too_large: 'payload_too_large',
	bad_request: 'bad_request',
	conflict: 'conflict',
	rate_limited: 'too_many_requests',
	server_error: 'server_error',
};

// ---------------------------------------------------------------------------------------------
// Field rules.

const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();

const mobileCode = digits(1, 4, ' (the country calling code without the + sign)');
const mobile = digits(4, 15);
const conversationStatus = integer().refine((value) => value >= 1 && value <= 4, {
	message: 'The selected :attribute is invalid.',
});
const page = optional(integer({ min: 1 }));
const perPage = optional(integer({ min: 1, max: 100 }));

const IMAGE_TYPES = { extensions: ['jpg', 'jpeg', 'png'], contentTypes: ['image/jpeg', 'image/png'] } as const;
export const MESIGIC_FILE_RULES = {
	// The document gives no limit for a profile image: the one for images sent in messages holds.
	profile_image: { ...IMAGE_TYPES, maxKb: 5 * 1024 },
	image: { ...IMAGE_TYPES, maxKb: 5 * 1024 },
	document: {
		extensions: ['pdf', 'doc', 'docx'],
		contentTypes: [
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		],
		maxKb: 100 * 1024,
	},
	video: { extensions: ['mp4'], contentTypes: ['video/mp4'], maxKb: 16 * 1024 },
	audio: {
		extensions: ['aac', 'amr', 'mp3', 'm4a', 'ogg', 'opus'],
		contentTypePrefix: 'audio/',
		typeLabel: 'an audio file',
		maxKb: 16 * 1024,
	},
} satisfies Record<string, FileRule>;

const contactShape = {
	firstname: text(),
	lastname: text(),
	mobile_code: mobileCode,
	mobile,
	city: optional(text()),
	state: optional(text()),
	post_code: optional(text(20)),
	address: optional(text(500)),
	profile_image: uploadOnly,
};
const contactFiles = z.object({ profile_image: file(MESIGIC_FILE_RULES.profile_image).optional() }).strict();

const contactUpdateShape = {
	...contactShape,
	// "sometimes|required": may be left out, may not be blanked.
	firstname: contactShape.firstname.optional(),
	lastname: contactShape.lastname.optional(),
	mobile_code: contactShape.mobile_code.optional(),
	mobile: contactShape.mobile.optional(),
};

const recipientShape = {
	mobile_code: mobileCode,
	mobile,
	from_number: optional(text(20)),
};

const sendMessageBody = formFields({
	...recipientShape,
	message: optional(text(4096)),
	latitude: optional(decimal(-90, 90)),
	longitude: optional(decimal(-180, 180)),
	cta_url_id: optional(integer({ min: 1 })),
	interactive_list_id: optional(integer({ min: 1 })),
	image: uploadOnly,
	document: uploadOnly,
	video: uploadOnly,
	audio: uploadOnly,
});
const sendMessageFiles = z
	.object({
		image: file(MESIGIC_FILE_RULES.image).optional(),
		document: file(MESIGIC_FILE_RULES.document).optional(),
		video: file(MESIGIC_FILE_RULES.video).optional(),
		audio: file(MESIGIC_FILE_RULES.audio).optional(),
	})
	.strict();

const noFiles = z.object({}).strict();

/** Raw form values: Laravel's "present" means given and not blank. */
const given = (value: unknown) => value !== undefined && value !== null && value !== '';
const fieldsOf = (input: RawInput) => (input.body ?? {}) as Record<string, unknown>;

function fromNumberProblems(state: MesigicState, fromNumber: unknown): Problem[] {
	if (typeof fromNumber !== 'string' || fromNumber.trim() === '') return [];
	const wanted = fromNumber.replace(/\D/g, '');
	return state.fromNumbers.some((entry) => entry.number === wanted)
		? []
		: [{ field: 'from_number', message: 'The selected from number is invalid.' }];
}

function existsProblem(
	items: ReadonlyArray<{ id: number }>,
	value: unknown,
	field: string,
): Problem[] {
	if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return [];
	return items.some((item) => item.id === Number(value))
		? []
		: [{ field, message: `The selected ${field.replace(/_/g, ' ')} is invalid.` }];
}

function duplicateMobileProblem(state: MesigicState, mobileCodeValue: unknown, mobileValue: unknown, exceptId?: number): Problem[] {
	if (typeof mobileCodeValue !== 'string' || typeof mobileValue !== 'string') return [];
	const taken = findContactByNumber(state, mobileCodeValue, mobileValue);
	return taken && taken.id !== exceptId ? [{ field: 'mobile', message: 'The mobile has already been taken.' }] : [];
}

const ATTACHMENT_FILES = ['image', 'document', 'video', 'audio'] as const;

function sendMessageProblems(input: RawInput, state: MesigicState): Problem[] {
	const fields = fieldsOf(input);
	const problems: Problem[] = [];
	const hasLatitude = given(fields.latitude);
	const hasLongitude = given(fields.longitude);
	const contents = [
		...ATTACHMENT_FILES.filter((name) => input.files[name] !== undefined),
		...(hasLatitude || hasLongitude ? ['location'] : []),
		...(['cta_url_id', 'interactive_list_id'] as const).filter((name) => given(fields[name])),
	];
	if (!given(fields.message) && contents.length === 0) {
		problems.push({
			field: 'message',
			message:
				'The message field is required when none of image / document / video / audio / latitude / longitude / cta url id / interactive list id are present.',
		});
	}
	if (hasLatitude && !hasLongitude) {
		problems.push({ field: 'longitude', message: 'The longitude field is required when latitude is present.' });
	}
	if (hasLongitude && !hasLatitude) {
		problems.push({ field: 'latitude', message: 'The latitude field is required when longitude is present.' });
	}
	if (contents.length > 1) {
		problems.push({
			message: `Only one of image, document, video, audio, location, cta url id or interactive list id can be sent in one message; got ${contents.join(', ')}.`,
		});
	}
	problems.push(
		...fromNumberProblems(state, fields.from_number),
		...existsProblem(state.ctaUrls, fields.cta_url_id, 'cta_url_id'),
		...existsProblem(state.interactiveLists, fields.interactive_list_id, 'interactive_list_id'),
	);
	return problems;
}

// ---------------------------------------------------------------------------------------------
// The simulator.

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined || first === '' ? undefined : first;
}

function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

function requireContact(state: MesigicState, id: string): MesigicContact {
	const contact = /^\d+$/.test(id) ? findContact(state, id) : undefined;
	if (!contact) throw notFound('Contact not found');
	return contact;
}

function requireConversation(state: MesigicState, id: string): MesigicConversation {
	const conversation = /^\d+$/.test(id) ? findConversation(state, id) : undefined;
	if (!conversation) throw notFound('Conversation not found');
	return conversation;
}

/** The sender: the given registered number, else the account's default (first) number. */
function senderOf(state: MesigicState, fromNumber: string | null | undefined): string {
	return fromNumber ? fromNumber.replace(/\D/g, '') : state.fromNumbers[0]!.number;
}

function storeProfileImage(state: MesigicState, contact: MesigicContact, image: UploadedFile, baseUrl: string): void {
	const extension = extensionOf(image.filename);
	const suffix = ['jpg', 'jpeg', 'png'].includes(extension) ? extension : image.contentType === 'image/png' ? 'png' : 'jpg';
	const name = `${contact.id}_${nextId(state, 'image')}.${suffix}`;
	state.profileImages[name] = { contentType: image.contentType, buffer: image.buffer };
	contact.profile_image = `${baseUrl}/assets/images/contact/${name}`;
}

export function mesigicSimulator(options: MesigicOptions = {}): Simulator<MesigicState> {
	const clientId = options.clientId ?? MESIGIC_DEMO_CREDENTIALS.clientId;
	const clientSecret = options.clientSecret ?? MESIGIC_DEMO_CREDENTIALS.clientSecret;
	const route = routeFor<MesigicState>();
	const api = (path: string) => MESIGIC_BASE_PATH + path;

	return {
		name: 'mesigic',
		basePath: MESIGIC_BASE_PATH,
		initialState: seedState,
		accepts: ['form', 'multipart'],
		validationStatus: 422,
		secretHeaders: ['client-secret'],
		problemsOf: laravelProblems,
		errorBody: ({ kind, code, problems }) => ({
			remark: code ?? REMARKS[kind],
			status: 'error',
			message: problems.map((problem) => problem.message),
		}),
		snapshot: ({ profileImages, ...state }) => ({
			...state,
			profileImages: Object.fromEntries(
				Object.entries(profileImages).map(([name, image]) => [name, { contentType: image.contentType, size: image.buffer.length }]),
			),
		}),

		authenticate: ({ headers, ip, state }) => {
			const id = headerValue(headers, 'client-id');
			const secret = headerValue(headers, 'client-secret');
			const missing = [
				...(id ? [] : ['The client id is required']),
				...(secret ? [] : ['The client secret is required']),
			];
			if (missing.length) throw unauthorized(missing);
			if (!sameSecret(id!, clientId) || !sameSecret(secret!, clientSecret)) {
				throw unauthorized('Invalid client credentials');
			}
			if (state.ipWhitelist && !state.ipWhitelist.includes(ip)) {
				throw unauthorized([
					'Access to this API endpoint is restricted to IP addresses that have been explicitly whitelisted.',
					`In order to access this API endpoint, please add your IP address (${ip}) to the white list from the user dashboard.`,
				]);
			}
		},

		routes: [
			route({
				method: 'GET',
				path: api('/contact/list'),
				query: formFields({ page, paginate: perPage, search: optional(text()) }),
				handle: ({ query, state, server }) => {
					const term = query.search?.trim().toLowerCase() ?? '';
					const phoneTerm = /^[+\d\s().-]+$/.test(term) ? term.replace(/\D/g, '') : '';
					const contacts = byNewest(state.contacts).filter(
						(contact) =>
							term === '' ||
							[contact.firstname, contact.lastname ?? '', contact.mobile].some((value) =>
								value.toLowerCase().includes(term),
							) ||
							(phoneTerm !== '' && `${contact.mobile_code}${contact.mobile}`.includes(phoneTerm)),
					);
					const listing = paginate(contacts.map(contactJson), {
						page: query.page ?? 1,
						perPage: query.paginate ?? 20,
						path: `${server.apiUrl}/contact/list`,
						keep: { paginate: query.paginate ?? undefined, search: query.search ?? undefined },
					});
					return success('contact_list', 'Contact list fetched successfully', { contacts: listing });
				},
			}),

			route({
				method: 'POST',
				path: api('/contact/store'),
				body: formFields(contactShape),
				files: contactFiles,
				validate: (input, state) => {
					const fields = fieldsOf(input);
					return duplicateMobileProblem(state, fields.mobile_code, fields.mobile);
				},
				handle: ({ body, files, state, server }) => {
					const { profile_image: _ignored, ...fields } = body;
					const contact = createContact(state, fields);
					if (files.profile_image) storeProfileImage(state, contact, files.profile_image, server.url);
					return success('contact_created', 'Contact created successfully', { contact: contactJson(contact) });
				},
			}),

			route({
				method: 'POST',
				path: api('/contact/update/:id'),
				body: formFields(contactUpdateShape),
				files: contactFiles,
				validate: (input, state) => {
					const contact = requireContact(state, input.params.id!);
					const fields = fieldsOf(input);
					const changes = Object.keys(fields).length + Object.keys(input.files).length;
					return [
						...(changes === 0
							? [
									{
										message:
											'At least one field is required: firstname, lastname, mobile_code, mobile, city, state, post_code, address or profile_image.',
									},
								]
							: []),
						...duplicateMobileProblem(
							state,
							fields.mobile_code ?? contact.mobile_code,
							fields.mobile ?? contact.mobile,
							contact.id,
						),
					];
				},
				handle: ({ params, body, files, state, server }) => {
					const contact = requireContact(state, params.id!);
					const { profile_image: _ignored, ...fields } = body;
					for (const [key, value] of Object.entries(fields)) {
						if (value !== undefined) Object.assign(contact, { [key]: value });
					}
					if (files.profile_image) storeProfileImage(state, contact, files.profile_image, server.url);
					contact.updated_at = now();
					return success('contact_updated', 'Contact updated successfully', { contact: contactJson(contact) });
				},
			}),

			route({
				method: 'DELETE',
				path: api('/contact/delete/:id'),
				handle: ({ params, state }) => {
					const contact = requireContact(state, params.id!);
					if (contact.is_blocked) {
						throw invalid(['Blocked contacts cannot be deleted.'], 422, 'contact_delete_restricted');
					}
					if (state.messages.some((message) => message.contact_id === contact.id)) {
						throw invalid(['This contact has messages and cannot be deleted.'], 422, 'contact_delete_restricted');
					}
					state.contacts = state.contacts.filter((entry) => entry !== contact);
					state.conversations = state.conversations.filter((entry) => entry.contact_id !== contact.id);
					return success('contact_deleted', 'Contact deleted successfully', null);
				},
			}),

			route({
				method: 'GET',
				path: api('/inbox/conversation-list'),
				query: formFields({ status: optional(conversationStatus), page, paginate: perPage }),
				handle: ({ query, state, server }) => {
					const conversations = state.conversations
						.filter((conversation) => !query.status || conversation.status === query.status)
						.sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)) || b.id - a.id)
						.map((conversation) => conversationJson(state, conversation));
					const listing = paginate(conversations, {
						page: query.page ?? 1,
						perPage: query.paginate ?? 20,
						path: `${server.apiUrl}/inbox/conversation-list`,
						keep: { status: query.status ?? undefined, paginate: query.paginate ?? undefined },
					});
					return success('conversation_list', 'Conversation list fetched successfully', { conversations: listing });
				},
			}),

			route({
				method: 'POST',
				path: api('/inbox/change-conversation-status/:conversation_id'),
				body: formFields({ status: conversationStatus }),
				files: noFiles,
				validate: (input, state) => {
					requireConversation(state, input.params.conversation_id!);
					return [];
				},
				handle: ({ params, body, state }) => {
					const conversation = requireConversation(state, params.conversation_id!);
					changeConversationStatus(conversation, body.status as ConversationStatusValue);
					return success('conversation_status_updated', 'Conversation status updated successfully', {
						conversation: conversationJson(state, conversation),
					});
				},
			}),

			route({
				method: 'GET',
				path: api('/inbox/conversation-details/:conversation_id'),
				handle: ({ params, state }) => {
					const conversation = requireConversation(state, params.conversation_id!);
					return success('conversation_details', 'Conversation details fetched successfully', {
						conversation: {
							...conversationJson(state, conversation),
							notes: conversation.notes,
							tags: conversation.tags,
							lists: conversation.lists,
						},
					});
				},
			}),

			route({
				method: 'POST',
				path: api('/inbox/send-message'),
				body: sendMessageBody,
				files: sendMessageFiles,
				validate: sendMessageProblems,
				handle: ({ body, files, state }) => {
					const attachment = ATTACHMENT_FILES.find((name) => files[name] !== undefined);
					const type: MessageType = attachment
						? attachment
						: body.latitude != null
							? 'location'
							: body.cta_url_id != null || body.interactive_list_id != null
								? 'interactive'
								: 'text';
					const upload = attachment ? files[attachment]! : undefined;
					const conversation = outboundConversation(state, body);
					const message = addMessage(state, conversation, {
						direction: 'outbound',
						type,
						message: body.message ?? null,
						from_number: senderOf(state, body.from_number),
						details: {
							...(upload && {
								file: { field: attachment, filename: upload.filename, contentType: upload.contentType, size: upload.size },
							}),
							...(type === 'location' && { latitude: body.latitude, longitude: body.longitude }),
							...(body.cta_url_id != null && { cta_url_id: body.cta_url_id }),
							...(body.interactive_list_id != null && { interactive_list_id: body.interactive_list_id }),
						},
					});
					return success('message_sent', 'Message sent successfully', { message: messageJson(message) });
				},
			}),

			route({
				method: 'POST',
				path: api('/inbox/send-template-message'),
				body: formFields({ ...recipientShape, template_id: integer({ min: 1 }) }),
				files: noFiles,
				validate: (input, state) => {
					const fields = fieldsOf(input);
					const problems = fromNumberProblems(state, fields.from_number);
					const templateId = fields.template_id;
					if (typeof templateId === 'string' && /^\s*\d+\s*$/.test(templateId)) {
						const template = state.templates.find((entry) => entry.id === Number(templateId));
						if (!template) problems.push({ field: 'template_id', message: 'The selected template id is invalid.' });
						else if (template.status !== 'APPROVED') {
							problems.push({
								field: 'template_id',
								message: `The selected template is not approved (status ${template.status}).`,
							});
						}
					}
					return problems;
				},
				handle: ({ body, state }) => {
					const template = state.templates.find((entry) => entry.id === body.template_id)!;
					const conversation = outboundConversation(state, body);
					const message = addMessage(state, conversation, {
						direction: 'outbound',
						type: 'template',
						message: template.body,
						from_number: senderOf(state, body.from_number),
						details: { template_id: template.id, template_name: template.name },
					});
					return success('template_message_sent', 'Template message sent successfully', {
						message: messageJson(message),
					});
				},
			}),

			route({
				method: 'GET',
				path: api('/inbox/template-list'),
				handle: ({ state }) =>
					success('template_list', 'Template list fetched successfully', {
						templates: state.templates.map((template) => ({ ...template })),
					}),
			}),

			// Where profile_image URLs point (public, like the real site's asset folder).
			route({
				method: 'GET',
				path: '/assets/images/contact/:file',
				auth: false,
				handle: ({ params, state }) => {
					const image = state.profileImages[params.file!];
					if (!image) throw notFound('Image not found');
					return { body: image.buffer, contentType: image.contentType };
				},
			}),
		],

		controlRoutes: [
			route({
				method: 'GET',
				path: '/ip-whitelist',
				handle: ({ state }) => ({ json: { ips: state.ipWhitelist } }),
			}),
			route({
				method: 'PUT',
				path: '/ip-whitelist',
				body: z.object({ ips: z.array(z.string().min(1)).nullable() }).strict(),
				handle: ({ body, state }) => {
					state.ipWhitelist = body.ips;
					return { json: { ips: state.ipWhitelist } };
				},
			}),
			route({
				method: 'POST',
				path: '/contacts',
				body: z
					.object({
						firstname: z.string().min(1),
						lastname: z.string().optional(),
						mobile_code: z.string().regex(/^\d{1,4}$/),
						mobile: z.string().regex(/^\d{4,15}$/),
						city: z.string().optional(),
						state: z.string().optional(),
						post_code: z.string().optional(),
						address: z.string().optional(),
					})
					.strict(),
				handle: ({ body, state }) => {
					if (findContactByNumber(state, body.mobile_code, body.mobile)) {
						throw new SandboxError(409, 'conflict', [{ field: 'mobile', message: 'The mobile has already been taken.' }]);
					}
					return { status: 201, json: { contact: contactJson(createContact(state, body)) } };
				},
			}),
			route({
				method: 'POST',
				path: '/inbound',
				body: z
					.object({
						mobile_code: z.string().regex(/^\d{1,4}$/),
						mobile: z.string().regex(/^\d{4,15}$/),
						message: z.string().min(1),
						firstname: z.string().min(1).optional(),
						lastname: z.string().optional(),
					})
					.strict(),
				handle: ({ body, state }) => {
					const { contact, conversation, message } = receiveInbound(state, body);
					return {
						status: 201,
						json: {
							contact: contactJson(contact),
							conversation: conversationJson(state, conversation),
							message: messageJson(message),
						},
					};
				},
			}),
			route({
				method: 'POST',
				path: '/conversations/:conversation_id/status',
				body: z.object({ status: z.number().int().min(1).max(4) }).strict(),
				handle: ({ params, body, state }) => {
					const conversation = requireConversation(state, params.conversation_id!);
					changeConversationStatus(conversation, body.status as ConversationStatusValue);
					return { json: { conversation: conversationJson(state, conversation) } };
				},
			}),
		],
	};
}

/**
 * The account a Mesigic simulator serves: contacts, conversations, messages, templates, sender
 * numbers, and the operations API routes and control routes share.
 */
import { randomBytes } from 'node:crypto';

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

export function seedState(): MesigicState {
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

export const now = () => new Date().toISOString();

export function nextId(state: MesigicState, kind: keyof MesigicState['lastIds']): number {
	state.lastIds[kind] += 1;
	return state.lastIds[kind];
}

export function findContact(state: MesigicState, id: string | number): MesigicContact | undefined {
	return state.contacts.find((contact) => String(contact.id) === String(id));
}

export function findContactByNumber(state: MesigicState, mobileCode: string, mobile: string): MesigicContact | undefined {
	return state.contacts.find((contact) => contact.mobile_code === mobileCode && contact.mobile === mobile);
}

export function findConversation(state: MesigicState, id: string | number): MesigicConversation | undefined {
	return state.conversations.find((conversation) => String(conversation.id) === String(id));
}

export type ContactFields = Partial<Omit<MesigicContact, 'id' | 'created_at' | 'updated_at' | 'profile_image' | 'is_blocked'>>;

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
export function outboundConversation(state: MesigicState, recipient: { mobile_code: string; mobile: string }): MesigicConversation {
	const contact =
		findContactByNumber(state, recipient.mobile_code, recipient.mobile) ??
		createContact(state, { mobile_code: recipient.mobile_code, mobile: recipient.mobile });
	return conversationWith(state, contact, ConversationStatus.Pending);
}

export function conversationWith(state: MesigicState, contact: MesigicContact, status: ConversationStatusValue): MesigicConversation {
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

export function addMessage(
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

export const byNewest = <T extends { id: number }>(items: readonly T[]) => [...items].sort((a, b) => b.id - a.id);

export const lastActivity = (conversation: MesigicConversation) => conversation.last_message_at ?? conversation.created_at;

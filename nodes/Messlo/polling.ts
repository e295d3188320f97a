/**
 * What the Messlo Trigger polls. Messlo pushes no message or contact events to customers, and its
 * lists take no "since" parameter: a poll reads the most recently active chats of each number,
 * then the new messages of each chat that changed, and the newest contacts. What was seen is kept
 * in the workflow's static data as times (Messlo's own, so no clock is compared with n8n's) plus
 * the IDs seen at the newest time, so nothing fires twice and the first poll replays nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ProviderClient } from '../shared/http';
import { isoTime, normalizedMessage, type MessageType, type NormalizedMessage } from '../shared/normalized';
import { keepNewest, readPages } from '../shared/polling';
import { LIST_KEYS, messloPages, messloRecords, MESSLO_SUCCESS, recordId } from './api';

/** How much one poll reads at most; what does not fit waits for the next poll. */
export const POLL_LIMITS = {
	/** The most recently active chats read per number: 2 pages of 50. */
	chatPageSize: 50,
	chatPages: 2,
	/** Changed chats whose messages one poll reads (over all numbers), the longest-waiting first. */
	changedChats: 20,
	/** New messages read per changed chat: 2 pages of 100. */
	messagePageSize: 100,
	messagePages: 2,
	/** New contacts read per poll: 5 pages of 100. */
	contactPageSize: 100,
	contactPages: 5,
	/**
	 * Chats remembered per number (those with the newest messages). A chat forgotten is still
	 * handled: active again, it is later than the number's cursor, and read from there.
	 */
	rememberedChats: 200,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The cursor of a list that was empty: whatever appears in it is new. */
const BEGINNING = new Date(0).toISOString();

interface ChatCursor {
	/** What the chat list said about the chat's latest activity when last seen. */
	activity: string;
	/** The time of the newest message seen in the chat (ISO 8601). */
	newest: string;
	/** IDs of the messages seen at exactly `newest`; empty: every message at that time was seen. */
	ids: string[];
}

interface NumberCursor {
	/** The latest chat activity seen on this number: a chat not remembered is new if it is later. */
	since: string;
	chats: Record<string, ChatCursor>;
}

interface ContactCursor {
	/** The newest contact's creation time seen. */
	since: string;
	/** IDs of the contacts created at exactly `since`. */
	ids: string[];
}

export interface MessloCursor {
	/** Per WhatsApp number (Messlo's ID of it). */
	numbers?: Record<string, NumberCursor>;
	contacts?: ContactCursor;
}

export interface InboundMessage {
	message: IDataObject;
	/** The chat's contact as the chat list gives it (at least its ID). */
	contact: IDataObject;
	/** The business number the customer wrote to, digits. */
	businessNumber: string;
}

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);
const digits = (value: unknown) => (text(value) ?? '').replace(/\D/g, '');

/** The first of `fields` that holds a time, as ISO 8601 ('' when none does). */
function timeOf(record: IDataObject | undefined, fields: string[]): string {
	for (const field of fields) {
		const time = record && record[field] !== undefined && record[field] !== null ? isoTime(record[field]) : null;
		if (time) return time;
	}
	return '';
}

const MESSAGE_TIME = ['created_at', 'createdAt', 'timestamp', 'sent_at', 'sentAt', 'date'];
const CONTACT_TIME = ['created_at', 'createdAt'];

export const messageTime = (message: IDataObject) => timeOf(message, MESSAGE_TIME);
const contactTime = (contact: IDataObject) => timeOf(contact, CONTACT_TIME);
const lastMessageOf = (chat: IDataObject) => (isRecord(chat.last_message) ? chat.last_message : isRecord(chat.lastMessage) ? chat.lastMessage : undefined);

/** When a chat last had a message, as the chat list says. */
function chatActivity(chat: IDataObject): string {
	return timeOf(chat, ['last_message_at', 'lastMessageAt', 'last_activity_at', 'updated_at', 'updatedAt']) || timeOf(lastMessageOf(chat), MESSAGE_TIME);
}

/** What tells that a chat moved: its activity time, else its last message's ID. */
const chatMarker = (chat: IDataObject) => chatActivity(chat) || recordId(lastMessageOf(chat) ?? {}) || '';

function chatContact(chat: IDataObject): (IDataObject & { _id: string }) | undefined {
	const contact = isRecord(chat.contact) ? chat.contact : {};
	const id = text(chat.contact_id) ?? text(chat.contactId) ?? recordId(contact);
	return id === undefined ? undefined : { ...contact, _id: id };
}

const chatKey = (chat: IDataObject) => recordId(chat) ?? chatContact(chat)?._id;

const INBOUND = new Set(['inbound', 'incoming', 'in', 'received', 'customer']);
const OUTBOUND = new Set(['outbound', 'outgoing', 'out', 'sent', 'agent', 'business']);

/**
 * Whether the customer wrote a message: by its direction, else by who sent it. A message whose
 * sender cannot be told is not taken as inbound: a reply the workflow sent must never start it again.
 */
export function isInbound(message: IDataObject, contact: IDataObject, businessNumber: string): boolean {
	const direction = (text(message.direction) ?? '').toLowerCase();
	if (INBOUND.has(direction)) return true;
	if (OUTBOUND.has(direction)) return false;
	for (const flag of [message.fromMe, message.from_me, message.is_outgoing]) if (typeof flag === 'boolean') return !flag;
	const from = digits(message.from);
	if (from === '') return false;
	if (from === businessNumber) return false;
	return from === digits(contact.phone_number ?? contact.phone);
}

/**
 * Oldest first by `timeOf`; records of the same moment by ID: Messlo's IDs are MongoDB ObjectIds,
 * which begin with their creation time and count up within it.
 */
const oldestFirst =
	(timeOf: (record: IDataObject) => string) =>
	(a: IDataObject, b: IDataObject): number => {
		const [timeA, timeB, idA, idB] = [timeOf(a), timeOf(b), recordId(a) ?? '', recordId(b) ?? ''];
		if (timeA !== timeB) return timeA < timeB ? -1 : 1;
		return idA < idB ? -1 : idA > idB ? 1 : 0;
	};

function newest(times: string[], start: string): string {
	return times.reduce((latest, time) => (time > latest ? time : latest), start);
}

/**
 * Records that came after a cursor's time, or at that very time but not among the IDs seen then.
 * A cursor without a time (records whose times could not be read) counts nothing as new: replaying
 * a whole history to a workflow that answers customers is worse than missing one message.
 */
function isAfter(time: string, id: string | undefined, since: string, seenIds: string[]): boolean {
	if (time === '' || since === '') return false;
	return time > since || (time === since && seenIds.length > 0 && id !== undefined && !seenIds.includes(id));
}

/**
 * The cursor after a read: the newest time among the new `records` (all those read, for a cursor
 * without a time) and the IDs seen at it.
 */
function advanced(records: IDataObject[], timeOfRecord: (record: IDataObject) => string, since: string, seenIds: string[]): { since: string; ids: string[] } {
	const latest = newest(records.map(timeOfRecord), since);
	const atLatest = records.filter((record) => timeOfRecord(record) === latest).map((record) => recordId(record)).filter((id): id is string => id !== undefined);
	return { since: latest, ids: [...new Set([...(latest === since ? seenIds : []), ...atLatest])] };
}

// ---------------------------------------------------------------------------------------------
// Numbers

export interface BusinessNumber {
	id: string;
	digits: string;
}

/** The account's WhatsApp numbers, with Messlo's ID and the number's digits. */
export async function businessNumbers(client: ProviderClient): Promise<BusinessNumber[]> {
	const answer = await client.call({ method: 'GET', path: 'api/whatsapp/phone-numbers' }, { idempotent: true, success: MESSLO_SUCCESS.phoneNumbers });
	return (messloRecords(answer, LIST_KEYS.phoneNumbers) ?? []).flatMap((phone) => {
		const id = recordId(phone);
		return id === undefined ? [] : [{ id, digits: digits(phone.phone_number) || digits(phone.display_phone_number) }];
	});
}

// ---------------------------------------------------------------------------------------------
// New inbound messages

async function recentChats(client: ProviderClient, number: BusinessNumber, since: string | undefined): Promise<IDataObject[]> {
	return await readPages(client, { method: 'GET', path: 'api/whatsapp/chats', query: { whatsapp_phone_number_id: number.id } }, messloPages(LIST_KEYS.chats, POLL_LIMITS.chatPageSize), {
		success: MESSLO_SUCCESS.chats,
		pageSize: POLL_LIMITS.chatPageSize,
		maxPages: since === undefined ? 1 : POLL_LIMITS.chatPages,
		// The list is most recent first: a page that reaches back to known activity ends the read.
		seenEnough: (page) => since !== undefined && page.some((chat) => chatActivity(chat) !== '' && chatActivity(chat) <= since),
	});
}

/** The messages of one chat from the day before `from` on (Messlo filters by whole days, in a zone it does not name). */
async function chatMessages(client: ProviderClient, number: BusinessNumber, contactId: string, from: string, pages: number, pageSize: number): Promise<IDataObject[]> {
	const query: IDataObject = { contact_id: contactId, whatsapp_phone_number_id: number.id };
	if (from !== '' && from !== BEGINNING) query.start_date = new Date(Date.parse(from) - DAY_MS).toISOString().slice(0, 10);
	return await readPages(client, { method: 'GET', path: 'api/whatsapp/messages', query }, messloPages(LIST_KEYS.messages, pageSize), {
		success: MESSLO_SUCCESS.messages,
		pageSize,
		maxPages: pages,
		seenEnough: (page) => from !== '' && page.some((message) => messageTime(message) !== '' && messageTime(message) < from),
	});
}

/**
 * One poll of one number: the chats whose activity moved since the cursor, and in each the
 * messages after the newest one seen. Changes the cursor in place; `budget.chats` counts down the
 * changed chats this poll may still read.
 */
async function pollNumber(client: ProviderClient, number: BusinessNumber, cursor: NumberCursor | undefined, budget: { chats: number }): Promise<{ cursor: NumberCursor; messages: InboundMessage[]; chats: IDataObject[] }> {
	const chats = await recentChats(client, number, cursor?.since);
	if (cursor === undefined) {
		// The first poll: where things stand, without events.
		const remembered: Record<string, ChatCursor> = {};
		for (const chat of chats) {
			const key = chatKey(chat);
			if (key !== undefined) remembered[key] = { activity: chatMarker(chat), newest: chatActivity(chat), ids: [] };
		}
		return { cursor: { since: chats.length ? newest(chats.map(chatActivity), '') : BEGINNING, chats: remembered }, messages: [], chats };
	}

	const changed: Array<{ chat: IDataObject; key: string; known?: ChatCursor }> = [];
	for (const chat of chats) {
		const key = chatKey(chat);
		if (key === undefined) continue;
		const known = cursor.chats[key];
		const activity = chatActivity(chat);
		if (known ? known.activity !== chatMarker(chat) : activity === '' || activity > cursor.since) changed.push({ chat, key, known });
		else if (!known) cursor.chats[key] = { activity: chatMarker(chat), newest: activity, ids: [] };
	}
	// The longest-waiting first, so that chats left for the next poll are the most recent ones
	// (the list is most recent first: reversed, chats active at the same moment keep their order).
	changed.reverse().sort((a, b) => (chatActivity(a.chat) < chatActivity(b.chat) ? -1 : chatActivity(a.chat) > chatActivity(b.chat) ? 1 : 0));

	const messages: InboundMessage[] = [];
	for (const { chat, key, known } of changed) {
		const contact = chatContact(chat);
		if (budget.chats <= 0 || contact === undefined) {
			// Left for the next poll: remembered as changed, new messages counted from the old cursor.
			cursor.chats[key] = known ?? { activity: '', newest: cursor.since, ids: [] };
			continue;
		}
		budget.chats -= 1;
		const from = known?.newest ?? cursor.since;
		const seen = known?.ids ?? [];
		const read = await chatMessages(client, number, String(contact._id), from, POLL_LIMITS.messagePages, POLL_LIMITS.messagePageSize);
		const fresh = read.filter((message) => isAfter(messageTime(message), recordId(message), from, seen));
		const next = advanced(from === '' ? read : fresh, messageTime, from, seen);
		cursor.chats[key] = { activity: chatMarker(chat), newest: next.since, ids: next.ids };
		for (const message of fresh) {
			if (isInbound(message, contact, number.digits)) messages.push({ message, contact, businessNumber: number.digits });
		}
	}
	cursor.since = newest(chats.map(chatActivity), cursor.since);
	cursor.chats = keepNewest(cursor.chats, POLL_LIMITS.rememberedChats, (chat) => chat.newest);
	return { cursor, messages, chats };
}

/**
 * A poll for new inbound messages on `numbers`, oldest first. The cursor of a number no longer
 * watched is dropped (watching it again starts from that moment).
 */
export async function pollInboundMessages(client: ProviderClient, numbers: BusinessNumber[], state: MessloCursor): Promise<{ messages: InboundMessage[]; recentChats: Array<{ number: BusinessNumber; chat: IDataObject }> }> {
	const previous = state.numbers ?? {};
	const cursors: Record<string, NumberCursor> = {};
	const budget = { chats: POLL_LIMITS.changedChats };
	const messages: InboundMessage[] = [];
	const recent: Array<{ number: BusinessNumber; chat: IDataObject }> = [];
	for (const number of numbers) {
		const result = await pollNumber(client, number, previous[number.id], budget);
		cursors[number.id] = result.cursor;
		messages.push(...result.messages);
		recent.push(...result.chats.map((chat) => ({ number, chat })));
	}
	state.numbers = cursors;
	const byTime = oldestFirst(messageTime);
	messages.sort((a, b) => byTime(a.message, b.message));
	return { messages, recentChats: recent };
}

/** The newest message a customer wrote in the most recently active chat: what a manual run shows when nothing is new. */
export async function latestInboundMessage(client: ProviderClient, recent: Array<{ number: BusinessNumber; chat: IDataObject }>): Promise<InboundMessage | undefined> {
	const byActivity = [...recent].sort((a, b) => (chatActivity(a.chat) > chatActivity(b.chat) ? -1 : chatActivity(a.chat) < chatActivity(b.chat) ? 1 : 0));
	for (const { number, chat } of byActivity.slice(0, 3)) {
		const contact = chatContact(chat);
		if (contact === undefined) continue;
		const read = await chatMessages(client, number, String(contact._id), '', 1, 20);
		const latest = read.filter((message) => isInbound(message, contact, number.digits)).sort(oldestFirst(messageTime)).pop();
		if (latest) return { message: latest, contact, businessNumber: number.digits };
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// New contacts

/** A poll for new contacts, oldest first; the first poll only notes the newest contact. */
export async function pollNewContacts(client: ProviderClient, state: MessloCursor): Promise<{ contacts: IDataObject[]; newestContact?: IDataObject }> {
	const cursor = state.contacts;
	const read = await readPages(client, { method: 'GET', path: 'api/contacts' }, messloPages(LIST_KEYS.contacts, POLL_LIMITS.contactPageSize), {
		success: MESSLO_SUCCESS.contacts,
		pageSize: POLL_LIMITS.contactPageSize,
		maxPages: cursor === undefined ? 1 : POLL_LIMITS.contactPages,
		seenEnough: (page) => cursor !== undefined && page.some((contact) => contactTime(contact) !== '' && contactTime(contact) < cursor.since),
	});
	const byTime = oldestFirst(contactTime);
	const newestContact = [...read].sort(byTime).pop();
	if (cursor === undefined) {
		state.contacts = read.length ? advanced(read, contactTime, '', []) : { since: BEGINNING, ids: [] };
		return { contacts: [], newestContact };
	}
	const fresh = read.filter((contact) => isAfter(contactTime(contact), recordId(contact), cursor.since, cursor.ids)).sort(byTime);
	state.contacts = advanced(cursor.since === '' ? read : fresh, contactTime, cursor.since, cursor.ids);
	return { contacts: fresh, newestContact };
}

// ---------------------------------------------------------------------------------------------
// Output

const MESSAGE_TYPES: Record<string, MessageType> = {
	text: 'text',
	image: 'image',
	video: 'video',
	audio: 'audio',
	voice: 'voice',
	document: 'document',
	sticker: 'sticker',
	location: 'location',
	contacts: 'contacts',
};

const e164 = (value: unknown) => {
	const number = digits(value);
	return number === '' ? null : `+${number}`;
};

const coordinate = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN);

/** The trigger's item for a message: Messlo's record, with the chat's contact and the number written to. */
export function messageItem({ message, contact, businessNumber }: InboundMessage): IDataObject {
	return { event: 'newInboundMessage', ...message, contact, whatsapp_phone_number: businessNumber };
}

/** A message a customer wrote, in the shape every provider's trigger shares. */
export function normalizeMessage({ message, contact, businessNumber }: InboundMessage): NormalizedMessage {
	const kind = text(message.message_type) ?? text(message.messageType) ?? text(message.type) ?? 'text';
	const type = MESSAGE_TYPES[kind] ?? 'unknown';
	const body = text(message.message) ?? text(message.text) ?? text(message.body) ?? text(message.caption);
	const url = text(message.media_url) ?? text(message.mediaUrl);
	const isMedia = ['image', 'video', 'audio', 'voice', 'document', 'sticker'].includes(type);
	let media: NormalizedMessage['media'] = null;
	if (isMedia) {
		media = {};
		if (url) media.url = url;
		if (text(message.mime_type)) media.mimeType = text(message.mime_type);
		if (body) media.caption = body;
		if (text(message.file_name)) media.fileName = text(message.file_name);
	}
	const latitude = coordinate(message.latitude);
	const longitude = coordinate(message.longitude);
	return normalizedMessage({
		provider: 'messlo',
		event: 'message.received',
		raw: { ...message, contact },
		messageId: recordId(message) ?? text(message.wamid) ?? null,
		chatId: text(message.chat_id) ?? text(contact._id) ?? null,
		from: e164(contact.phone_number ?? contact.phone) ?? e164(message.from),
		to: e164(businessNumber),
		fromMe: false,
		type,
		text: isMedia ? null : (body ?? null),
		media,
		location: type === 'location' && Number.isFinite(latitude) && Number.isFinite(longitude) ? { latitude, longitude } : null,
		timestamp: messageTime(message) || null,
	});
}

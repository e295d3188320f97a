import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { ItemReader } from '../shared/item-reader';
import { normalizedMessage, isoTime, type MessageType, type NormalizedMessage } from '../shared/normalized';
import type { Provider, ProviderError } from '../shared/operation';
import { toDigits } from '../shared/phone';
import { credentialTest } from '../shared/credential-test';
import { ChatApiApi } from '../../credentials/ChatApiApi.credentials';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Chat API answers `{ error }` on failure, and `{ sent: false, message }` when a send is refused. */
export function chatApiErrorOf(status: number, body: unknown): ProviderError | undefined {
	if (isRecord(body)) {
		if (typeof body.error === 'string') return { message: body.error };
		if (body.sent === false) return { message: String(body.message ?? 'the message was not accepted') };
	}
	return status >= 400 ? { message: `HTTP ${status}` } : undefined;
}

const answer = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();

/** What Chat API documents for a success, per endpoint. */
export const CHAT_API_SUCCESS = {
	status: answer({ accountStatus: z.string().min(1) }),
	image: z.instanceof(Buffer),
	logout: answer({ result: z.string() }),
	reboot: answer({ success: z.literal(true) }),
	/** Undocumented: any answer that is not an error and says something. */
	settings: answer({}).refine((body) => Object.keys(body).length > 0, 'is empty'),
	sent: answer({ sent: z.literal(true) }),
	messages: answer({ messages: z.array(z.unknown()) }),
	/** Undocumented beyond "chatId is returned if the group was created within 20 seconds". */
	group: answer({ chatId: z.string().optional() }).refine((body) => Object.keys(body).length > 0, 'is empty'),
	queue: answer({ totalMessages: z.number(), first100: z.array(z.unknown()) }),
	queueCleared: answer({ message: z.string() }),
	webhook: answer({ webhookUrl: z.string().nullable() }),
};

export const chatApi: Provider = {
	displayName: 'Chat API',
	credentialType: 'chatApiApi',
	baseUrl: (credentials) => String(credentials.instanceUrl ?? ''),
	errorOf: chatApiErrorOf,
	secretFields: ['token'],
	hint: (_error, status) =>
		status === 401 || status === 403 ? 'Check the token and the instance URL in the Chat API credential (both are on the instance page of your Chat API account).' : undefined,
};

/** The credential test: the instance's status, in the shape the document shows. */
export const testChatApiCredential = credentialTest(chatApi, ChatApiApi, {
	request: { method: 'GET', path: 'status' },
	accepts: [{ status: 200, shape: CHAT_API_SUCCESS.status, what: 'the status of the instance' }],
	baseUrlLabel: 'Instance API URL',
});

/** The message events both triggers offer. */
export const MESSAGE_EVENTS = [
	{ name: 'Incoming Message', value: 'incomingMessage', description: 'A message someone sent to the instance' },
	{ name: 'Outgoing Message', value: 'outgoingMessage', description: 'A message the instance sent (from n8n or from the phone)' },
];

const CHAT_ID = /^\d{5,20}(-\d{5,20})?@(c|g)\.us$/;

/** `{ phone }` for a typed number, `{ chatId }` for a chat ID such as 17472822486@c.us or a group's …@g.us. */
export function recipient(item: ItemReader, name = 'recipient'): { phone: string } | { chatId: string } {
	const text = item.string(name);
	if (text.includes('@')) {
		if (!CHAT_ID.test(text)) {
			item.fail(`${item.label(name)}: "${text}" is not a chat ID`, 'A chat ID looks like 17472822486@c.us (a person) or 17472822486-1528320463@g.us (a group). Or enter a phone number.', name);
		}
		return { chatId: text };
	}
	return { phone: toDigits(item.phone(name, text)) };
}

const TYPES: Record<string, MessageType> = {
	chat: 'text',
	image: 'image',
	video: 'video',
	audio: 'audio',
	ptt: 'voice',
	document: 'document',
	sticker: 'sticker',
	location: 'location',
	vcard: 'contacts',
	call_log: 'call',
};

const phoneOfChat = (chatId: unknown) => (typeof chatId === 'string' && /^\d+@c\.us$/.test(chatId) ? `+${chatId.split('@')[0]}` : null);

/** A Chat API message (from /messages or a webhook) in the shape every provider shares. */
export function normalizeMessage(message: IDataObject): NormalizedMessage {
	const type = TYPES[String(message.type)] ?? 'unknown';
	const body = typeof message.body === 'string' ? message.body : null;
	const isFile = ['image', 'video', 'audio', 'voice', 'document', 'sticker'].includes(type);
	const fromMe = message.fromMe === true;
	const author = phoneOfChat(message.author);
	const chatPhone = phoneOfChat(message.chatId);
	let location: NormalizedMessage['location'] = null;
	if (type === 'location' && body) {
		const [latitude, longitude] = body.split(/[;,]/).map(Number);
		if (Number.isFinite(latitude) && Number.isFinite(longitude)) location = { latitude, longitude };
	}
	return normalizedMessage({
		provider: 'chatApi',
		event: fromMe ? 'message.sent' : 'message.received',
		raw: message,
		messageId: message.id ? String(message.id) : null,
		chatId: message.chatId ? String(message.chatId) : null,
		from: fromMe ? null : (author ?? chatPhone),
		to: fromMe ? chatPhone : null,
		fromMe,
		type,
		text: isFile || type === 'location' ? ((message.caption as string) ?? null) : body,
		media: isFile && body ? { url: body, ...(message.caption ? { caption: String(message.caption) } : {}) } : null,
		location,
		timestamp: isoTime(message.time),
	});
}

/** The event a Chat API message is for a trigger: one someone sent to the instance, or one it sent. */
export const messageEventOf = (message: IDataObject) => (message.fromMe === true ? 'outgoingMessage' : 'incomingMessage');

/**
 * A message as both triggers output it: the event it is, Chat API's record as it came, and its
 * time (Chat API's Unix seconds in `time`) as an ISO 8601 `timestamp`.
 */
export function messageItem(message: IDataObject): IDataObject {
	const timestamp = isoTime(message.time);
	return { event: messageEventOf(message), ...message, ...(timestamp ? { timestamp } : {}) };
}

/** A delivery or read receipt in the shared shape. */
export function normalizeAck(ack: IDataObject): NormalizedMessage {
	return normalizedMessage({
		provider: 'chatApi',
		event: ack.status === 'viewed' ? 'message.viewed' : 'message.delivered',
		raw: ack,
		messageId: ack.id ? String(ack.id) : null,
		chatId: ack.chatId ? String(ack.chatId) : null,
		to: phoneOfChat(ack.chatId),
		fromMe: true,
		type: 'system',
	});
}

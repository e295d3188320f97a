/**
 * The instance a Chat API simulator serves: its account status, messages and their queue, groups,
 * stored files and webhook URL; the identifiers, file rules and operations the routes share.
 */
import { createHash, randomBytes } from 'node:crypto';

import { extensionOf, invalid, notFound, type SandboxServer, type UploadedFile, type WebhookDelivery } from '../framework';
import { encodeGreyscalePng, qrLikePng } from '../png';

export const CHAT_API_DEMO = {
	instanceId: 'instance12345',
	token: 'demo-chat-api-token',
	/** The instance's own WhatsApp account. */
	phone: '15550101234',
	name: 'Demo Shop',
} as const;

export const CHAT_API_WRONG_TOKEN = 'Wrong token. Please provide token as a GET parameter.';
export const CHAT_API_LOGOUT_RESULT = 'Logout request sent to messengers';

export const ACCOUNT_STATUSES = ['init', 'loading', 'got qr code', 'authenticated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const MESSAGE_TYPES = ['chat', 'image', 'ptt', 'document', 'audio', 'video', 'call_log'] as const;
export type ChatApiMessageType = (typeof MESSAGE_TYPES)[number];
export type FileMessageType = 'image' | 'document' | 'audio' | 'video';

export type AckStatus = 'delivered' | 'viewed';
/** Where an outgoing message is; incoming ones are 'received'. 'cancelled': cleared from the queue, never sent. */
export type ChatApiMessageStatus = 'queued' | 'sent' | 'delivered' | 'viewed' | 'cancelled' | 'received';

export interface ChatApiMessage {
	id: string;
	messageNumber: number;
	type: ChatApiMessageType;
	/** The text of chat and call_log messages; null for media (their body is the file's download URL). */
	text: string | null;
	/** Key in `files` for media messages. */
	file: string | null;
	/** A file's caption (kept for tests; the message JSON has no caption field). */
	caption: string | null;
	senderName: string;
	fromMe: boolean;
	author: string;
	/** Unix seconds. */
	time: number;
	chatId: string;
	/** Outgoing messages only. */
	queueNumber: number | null;
	status: ChatApiMessageStatus;
	/** Outgoing: when the instance last tried to send it (unix ms), the queue's `last_try`. */
	lastTry: number | null;
}

export interface StoredFile {
	filename: string;
	contentType: string;
	/** The bytes, for files that came as a data URI or an upload. */
	buffer?: Buffer;
	/** The original URL, for files that came as a link (the download URL redirects there). */
	url?: string;
}

export interface ChatApiGroup {
	chatId: string;
	name: string;
	participants: string[];
	inviteLink: string;
	createdAt: number;
}

export interface MessageJson {
	id: string;
	body: string;
	type: ChatApiMessageType;
	senderName: string;
	fromMe: boolean;
	author: string;
	time: number;
	chatId: string;
	messageNumber: number;
}

export interface AckJson {
	id: string;
	queueNumber: number | null;
	chatId: string;
	status: AckStatus;
}

export interface WebhookBatch {
	messages?: MessageJson[];
	ack?: AckJson[];
}

export interface ChatApiState {
	instanceId: string;
	me: { phone: string; name: string };
	accountStatus: AccountStatus;
	/** Bumped on every logout: a new QR code. */
	qrGeneration: number;
	ackNotificationsOn: boolean;
	/** '' when none is set. Kept exactly as registered (query string included). */
	webhookUrl: string;
	messages: ChatApiMessage[];
	/** Display names by chat id (`<digits>@c.us`). */
	contacts: Record<string, string>;
	groups: ChatApiGroup[];
	files: Record<string, StoredFile>;
	lastMessageNumber: number;
	lastQueueNumber: number;
	lastFile: number;
	reboots: number;
	/** The last webhook batch sent, for re-delivery (`deliver { repeat: true }`). */
	lastBatch: { url: string; body: unknown } | null;
}

export interface ChatApiOptions {
	instanceId?: string;
	token?: string;
	/** Start state (default 'got qr code'). */
	accountStatus?: AccountStatus;
	/** Start value (default false). */
	ackNotificationsOn?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Identifiers and small rules.

export const PHONE = /^\d{7,15}$/;
const PRIVATE_CHAT = /^\d{7,15}@c\.us$/;
const GROUP_CHAT = /^\d{7,15}-\d{1,12}@g\.us$/;

export const chatIdOfPhone = (phone: string) => `${phone}@c.us`;
export const isGroupChat = (chatId: string) => chatId.endsWith('@g.us');
export const nowSeconds = () => Math.floor(Date.now() / 1000);
const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

function messageIdFor(fromMe: boolean, chatId: string, author: string, suffix = hex(10)): string {
	return `${fromMe}_${chatId}_${suffix}${isGroupChat(chatId) && !fromMe ? `_${author}` : ''}`;
}

export function phoneProblem(value: string, name: string): string | undefined {
	return PHONE.test(value)
		? undefined
		: `${name} must be 7 to 15 digits with the country code, without + or spaces (e.g. 17472822486).`;
}

export function chatIdProblem(value: string, name = 'chatId'): string | undefined {
	return PRIVATE_CHAT.test(value) || GROUP_CHAT.test(value)
		? undefined
		: `${name} must be <digits>@c.us for a private chat or <digits>-<digits>@g.us for a group (e.g. 17472822486@c.us).`;
}

export function httpUrlProblem(value: string, name: string): string | undefined {
	try {
		const url = new URL(value);
		if ((url.protocol === 'http:' || url.protocol === 'https:') && /^https?:\/\//i.test(value)) return undefined;
	} catch {
		// fall through
	}
	return `${name} must be an http or https URL.`;
}

const DATA_URI = /^data:([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)((?:;[a-z0-9_.-]+=[^;,]*)*);base64,(.*)$/is;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `data:<mime>[;param=value];base64,<data>` → the bytes, or a problem in words. */
export function parseDataUri(value: string): { contentType: string; buffer: Buffer } | { problem: string } {
	const match = DATA_URI.exec(value);
	if (!match) return { problem: 'body must be an http(s) URL or a data URI (data:<mime>;base64,<data>).' };
	const data = match[3]!;
	if (data === '') return { problem: 'body is a data URI without data.' };
	if (data.length % 4 !== 0 || !BASE64.test(data)) return { problem: 'body is a data URI whose base64 data does not decode.' };
	return { contentType: match[1]!.toLowerCase(), buffer: Buffer.from(data, 'base64') };
}

/** A file body (sendFile, media inbound): an http(s) URL or a data URI. */
export function fileSourceProblem(value: string): string | undefined {
	if (/^data:/i.test(value)) {
		const parsed = parseDataUri(value);
		return 'problem' in parsed ? parsed.problem : undefined;
	}
	if (/^https?:\/\//i.test(value)) return httpUrlProblem(value, 'body');
	return 'body must be an http(s) URL or a data URI (data:<mime>;base64,<data>).';
}

const EXTENSION_TYPES: Record<string, FileMessageType> = {};
for (const ext of ['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp']) EXTENSION_TYPES[ext] = 'image';
for (const ext of ['mp4', '3gp', 'mov', 'avi', 'mkv', 'webm', 'm4v']) EXTENSION_TYPES[ext] = 'video';
for (const ext of ['mp3', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'amr', 'wav', 'flac']) EXTENSION_TYPES[ext] = 'audio';

const EXTENSION_CONTENT_TYPES: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	gif: 'image/gif',
	webp: 'image/webp',
	mp4: 'video/mp4',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	pdf: 'application/pdf',
	txt: 'text/plain',
	csv: 'text/csv',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The message type of a file: by its content type when it has a specific one, else by extension. */
export function fileMessageType(contentType: string | undefined, ...names: string[]): FileMessageType {
	const mime = (contentType ?? '').toLowerCase();
	if (mime && mime !== 'application/octet-stream') {
		if (mime.startsWith('image/') && mime !== 'image/svg+xml') return 'image';
		if (mime.startsWith('video/')) return 'video';
		if (mime.startsWith('audio/')) return 'audio';
		return 'document';
	}
	for (const name of names) {
		const type = EXTENSION_TYPES[extensionOf(name)];
		if (type) return type;
	}
	return 'document';
}

const contentTypeFor = (filename: string) => EXTENSION_CONTENT_TYPES[extensionOf(filename)] ?? 'application/octet-stream';

function urlPathName(url: string): string {
	try {
		return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
	} catch {
		return '';
	}
}

const INVITE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const inviteCode = () => [...randomBytes(22)].map((byte) => INVITE_ALPHABET[byte % INVITE_ALPHABET.length]).join('');

// ---------------------------------------------------------------------------------------------
// Seed data: a private chat (incoming text, outgoing text, incoming photo) and a group chat.

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const seedSuffix = (n: number) => createHash('sha256').update(`chatapi-seed-${n}`).digest('hex').slice(0, 20).toUpperCase();

/** A small greyscale gradient, the seeded customer photo. */
function seedPhoto(): Buffer {
	const side = 16;
	const pixels = new Uint8Array(side * side).map((_, index) => ((index % side) + Math.floor(index / side)) * 8);
	return encodeGreyscalePng(side, side, pixels);
}

export const CHAT_API_SEED = {
	customer: { phone: '17472822486', chatId: '17472822486@c.us', name: 'Jane Smith' },
	groupMember: { phone: '4915112345678', chatId: '4915112345678@c.us', name: 'Anna Müller' },
	group: { chatId: `${CHAT_API_DEMO.phone}-1760000000@g.us`, name: 'Wholesale' },
	firstMessageNumber: 100,
	lastMessageNumber: 104,
} as const;

export function seedState(options: Required<ChatApiOptions>): ChatApiState {
	const me = { phone: CHAT_API_DEMO.phone, name: CHAT_API_DEMO.name };
	const myId = chatIdOfPhone(me.phone);
	const { customer, groupMember, group } = CHAT_API_SEED;
	const state: ChatApiState = {
		instanceId: options.instanceId,
		me,
		accountStatus: options.accountStatus,
		qrGeneration: 1,
		ackNotificationsOn: options.ackNotificationsOn,
		webhookUrl: '',
		messages: [],
		contacts: { [customer.chatId]: customer.name, [groupMember.chatId]: groupMember.name },
		groups: [
			{
				chatId: group.chatId,
				name: group.name,
				participants: [groupMember.chatId],
				inviteLink: 'https://chat.whatsapp.com/SeedWholesaleInvite01',
				createdAt: 1760000000,
			},
		],
		files: { '1_photo.png': { filename: 'photo.png', contentType: 'image/png', buffer: seedPhoto() } },
		lastMessageNumber: CHAT_API_SEED.firstMessageNumber - 1,
		lastQueueNumber: 0,
		lastFile: 1,
		reboots: 0,
		lastBatch: null,
	};
	const seed = (
		fromMe: boolean,
		chatId: string,
		author: string,
		type: ChatApiMessageType,
		content: { text?: string; file?: string },
		iso: string,
	) => {
		const messageNumber = ++state.lastMessageNumber;
		state.messages.push({
			id: messageIdFor(fromMe, chatId, author, seedSuffix(messageNumber)),
			messageNumber,
			type,
			text: content.text ?? null,
			file: content.file ?? null,
			caption: null,
			senderName: fromMe ? me.name : state.contacts[author]!,
			fromMe,
			author,
			time: at(iso),
			chatId,
			queueNumber: fromMe ? ++state.lastQueueNumber : null,
			status: fromMe ? 'viewed' : 'received',
			lastTry: fromMe ? at(iso) * 1000 : null,
		});
	};
	seed(false, customer.chatId, customer.chatId, 'chat', { text: 'Hi, is my order shipped?' }, '2026-10-10T10:00:00Z');
	seed(true, customer.chatId, myId, 'chat', { text: 'Yes, it left today. Tracking: DS-1042' }, '2026-10-10T10:05:00Z');
	seed(false, customer.chatId, customer.chatId, 'image', { file: '1_photo.png' }, '2026-10-10T10:07:00Z');
	seed(false, group.chatId, groupMember.chatId, 'chat', { text: 'Can we get the wholesale price list?' }, '2026-10-11T09:00:00Z');
	seed(true, group.chatId, myId, 'chat', { text: 'Sure, I will send it today.' }, '2026-10-11T09:10:00Z');
	return state;
}

// ---------------------------------------------------------------------------------------------
// State operations, shared by the API routes, the control routes and tests.

/** The instance's current QR code as PNG bytes (a new one after every logout). */
export function qrCodePng(state: ChatApiState): Buffer {
	return qrLikePng(`${state.instanceId}:${state.qrGeneration}`);
}

/** Where a file message's body points: `<apiUrl>/files/<name>`. */
export const filesUrlOf = (server: { apiUrl: string }) => `${server.apiUrl}/files`;

export function messageJson(message: ChatApiMessage, filesUrl: string): MessageJson {
	return {
		id: message.id,
		body: message.file !== null ? `${filesUrl}/${encodeURIComponent(message.file)}` : (message.text ?? ''),
		type: message.type,
		senderName: message.senderName,
		fromMe: message.fromMe,
		author: message.author,
		time: message.time,
		chatId: message.chatId,
		messageNumber: message.messageNumber,
	};
}

/** The outbound queue, oldest first. */
export const queuedMessages = (state: ChatApiState) => state.messages.filter((message) => message.status === 'queued');

export function queueEntryJson(message: ChatApiMessage, filesUrl: string) {
	const file = message.file !== null ? message : undefined;
	return {
		id: message.queueNumber!,
		body: messageJson(message, filesUrl).body,
		type: message.type === 'chat' ? 'text' : message.type,
		chatId: message.chatId,
		last_try: message.lastTry!,
		metadata: file ? JSON.stringify({ caption: file.caption ?? undefined }) : '{}',
	};
}

function storeFile(state: ChatApiState, file: StoredFile): string {
	const safe = file.filename.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-100) || 'file';
	const name = `${++state.lastFile}_${safe}`;
	state.files[name] = file;
	return name;
}

/** A file body (URL, data URI or upload) → a stored file and its message type. */
export function fileFromBody(
	state: ChatApiState,
	body: string | UploadedFile,
	filename: string | undefined,
): { name: string; type: FileMessageType } {
	if (typeof body !== 'string') {
		const name = filename || body.filename || 'file';
		const contentType = body.contentType === 'application/octet-stream' ? contentTypeFor(name) : body.contentType;
		return {
			name: storeFile(state, { filename: name, contentType, buffer: body.buffer }),
			type: fileMessageType(body.contentType, name, body.filename),
		};
	}
	const data = /^data:/i.test(body) ? parseDataUri(body) : undefined;
	if (data && 'problem' in data) throw invalid(data.problem, 400);
	if (data) {
		const name = filename || `file.${data.contentType.split('/')[1]?.split('+')[0] ?? 'bin'}`;
		return {
			name: storeFile(state, { filename: name, contentType: data.contentType, buffer: data.buffer }),
			type: fileMessageType(data.contentType, name),
		};
	}
	const fromUrl = urlPathName(body);
	const name = filename || fromUrl || 'file';
	return {
		name: storeFile(state, { filename: name, contentType: contentTypeFor(name || fromUrl), url: body }),
		type: fileMessageType(undefined, name, fromUrl),
	};
}

/** An API send: an outgoing message, queued with the next message and queue numbers. */
export function sendOutgoing(
	state: ChatApiState,
	outgoing: { chatId: string; type: ChatApiMessageType; text?: string; file?: string; caption?: string },
): ChatApiMessage {
	const author = chatIdOfPhone(state.me.phone);
	const message: ChatApiMessage = {
		id: messageIdFor(true, outgoing.chatId, author),
		messageNumber: ++state.lastMessageNumber,
		type: outgoing.type,
		text: outgoing.text ?? null,
		file: outgoing.file ?? null,
		caption: outgoing.caption ?? null,
		senderName: state.me.name,
		fromMe: true,
		author,
		time: nowSeconds(),
		chatId: outgoing.chatId,
		queueNumber: ++state.lastQueueNumber,
		status: 'queued',
		lastTry: Date.now(),
	};
	state.messages.push(message);
	return message;
}

export interface InboundMessage {
	chatId: string;
	/** Text (chat, call_log) or, for media, an http(s) URL or data URI. */
	body: string;
	type?: ChatApiMessageType;
	senderName?: string;
	/** Who wrote in a group: `<digits>@c.us`. Private chats: the chat itself. */
	author?: string;
	/** Typed by the account owner on the phone (not through the API): outgoing, already sent. */
	fromMe?: boolean;
	caption?: string;
	filename?: string;
	/** Unix seconds (default now). */
	time?: number;
}

/** A customer writes (or the owner types on the phone): a new message with the next messageNumber. */
export function receiveInbound(state: ChatApiState, inbound: InboundMessage): ChatApiMessage {
	const type = inbound.type ?? 'chat';
	const fromMe = inbound.fromMe ?? false;
	const myId = chatIdOfPhone(state.me.phone);
	if (!fromMe && isGroupChat(inbound.chatId) && !inbound.author) throw new Error('An incoming group message needs its author');
	const author = fromMe ? myId : isGroupChat(inbound.chatId) ? inbound.author! : inbound.chatId;
	if (!fromMe && inbound.senderName) state.contacts[author] = inbound.senderName;
	const isText = type === 'chat' || type === 'call_log';
	const file = isText ? undefined : fileFromBody(state, inbound.body, inbound.filename);
	const message: ChatApiMessage = {
		id: messageIdFor(fromMe, inbound.chatId, author),
		messageNumber: ++state.lastMessageNumber,
		type,
		text: isText ? inbound.body : null,
		file: file?.name ?? null,
		caption: inbound.caption ?? null,
		senderName: fromMe ? state.me.name : (state.contacts[author] ?? `+${author.split('@')[0]}`),
		fromMe,
		author,
		time: inbound.time ?? nowSeconds(),
		chatId: inbound.chatId,
		queueNumber: fromMe ? ++state.lastQueueNumber : null,
		status: fromMe ? 'sent' : 'received',
		lastTry: fromMe ? Date.now() : null,
	};
	state.messages.push(message);
	return message;
}

const ACK_RANK: Record<ChatApiMessageStatus, number> = { cancelled: -1, received: -1, queued: 0, sent: 1, delivered: 2, viewed: 3 };

/**
 * Marks outgoing messages delivered or viewed (they leave the queue) and returns their acks.
 * Without ids: every outgoing message not yet at that status. Unknown, incoming or cleared ids throw.
 */
export function ackMessages(state: ChatApiState, ids: readonly string[] | undefined, status: AckStatus): AckJson[] {
	const targets = ids
		? ids.map((id) => {
				const message = state.messages.find((entry) => entry.id === id);
				if (!message) throw notFound(`No message with id ${id}.`);
				if (!message.fromMe) throw invalid(`Message ${id} is incoming: only outgoing messages get acks.`, 400);
				if (message.status === 'cancelled') throw invalid(`Message ${id} was cleared from the queue and never sent.`, 400);
				return message;
			})
		: state.messages.filter((message) => message.fromMe && ACK_RANK[message.status] >= 0 && ACK_RANK[message.status] < ACK_RANK[status]);
	return targets.map((message) => {
		if (ACK_RANK[message.status] < ACK_RANK[status]) message.status = status;
		return { id: message.id, queueNumber: message.queueNumber, chatId: message.chatId, status };
	});
}

/** The instance sends everything queued: the queue empties, the messages are 'sent'. */
export function flushQueue(state: ChatApiState): ChatApiMessage[] {
	const flushed = queuedMessages(state);
	const now = Date.now();
	for (const message of flushed) {
		message.status = 'sent';
		message.lastTry = now;
	}
	return flushed;
}

/** GET /clearMessagesQueue: the queued messages are dropped (they stay in the history as 'cancelled'). */
export function clearQueue(state: ChatApiState): ChatApiMessage[] {
	const cleared = queuedMessages(state);
	for (const message of cleared) message.status = 'cancelled';
	return cleared;
}

/** POSTs a batch to the webhook URL (the registered one by default) and remembers it for re-delivery. */
export async function deliverBatch(
	server: SandboxServer<ChatApiState>,
	body: unknown,
	url = server.state.webhookUrl,
): Promise<WebhookDelivery> {
	server.state.lastBatch = { url, body };
	return server.deliverWebhook(url, body);
}

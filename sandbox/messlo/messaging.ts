/**
 * Messaging (rows 12–23, 73, 81): one POST /api/whatsapp/send for every kind of message (JSON, or
 * multipart for a file from the local device), recent chats, the messages of a thread, assigning a
 * chat.
 *
 * The rules a sender meets on the Cloud API hold: a free-form message (anything but a template)
 * only within 24 hours of the customer's last message; a template only when approved, with exactly
 * its variables; a dynamic header (`mediaUrl`) only for a template with a media header.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

import { mediaTypeOf, SandboxError, type FileFields, type Problem, type UploadedFile } from '../framework';
import {
	fileProblem,
	httpUrl,
	invalidField,
	matches,
	MEDIA_KINDS,
	mediaKindOfUrl,
	missing,
	newestFirst,
	nonEmpty,
	objectId,
	ok,
	page,
	pageQuery,
	parseOrThrow,
	phoneDigits,
	refused,
	route,
} from './common';
import { requireContact } from './contacts';
import {
	addMessage,
	chatFor,
	contactFor,
	digitsOf,
	findContactByPhone,
	newId,
	nowIso,
	primaryPhone,
	sha256,
	templateVariables,
	windowOpen,
	type Chat,
	type Contact,
	type MediaKind,
	type Message,
	type MessageFields,
	type MessloState,
	type PhoneNumber,
	type Template,
} from './state';
import { chatJson, messageJson } from './views';

export const SEND_TYPES = ['text', 'image', 'video', 'audio', 'document', 'location', 'carousel', 'template'] as const;
const OMNICHANNEL_PLATFORMS = ['telegram', 'facebook', 'instagram'] as const;

/** The JSON body of POST /api/whatsapp/send: every field the contract names, nothing else. */
export const sendBody = z
	.object({
		contact_no: phoneDigits('contact_no').optional(),
		whatsapp_phone_number: phoneDigits('whatsapp_phone_number').optional(),
		messageType: z.enum(SEND_TYPES).optional(),
		message: z.string().max(4096, 'message must be at most 4096 characters.').optional(),
		mediaUrl: httpUrl('mediaUrl').optional(),
		mediaUrls: z.array(httpUrl('mediaUrls[]')).min(1, 'mediaUrls must hold at least one URL.').max(10, 'mediaUrls holds at most 10 URLs.').optional(),
		latitude: z.number().min(-90, 'latitude must be between -90 and 90.').max(90, 'latitude must be between -90 and 90.').optional(),
		longitude: z.number().min(-180, 'longitude must be between -180 and 180.').max(180, 'longitude must be between -180 and 180.').optional(),
		templateName: nonEmpty('templateName').optional(),
		templateId: objectId('templateId').optional(),
		templateVariables: z.record(z.union([z.string(), z.number()])).optional(),
		languageCode: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'languageCode must be a locale code such as en_US or en.').optional(),
		buttons: z.array(z.record(z.unknown())).min(1, 'buttons must hold at least one button.').max(3, 'buttons holds at most 3 buttons.').optional(),
		buttonParams: z.record(z.unknown()).optional(),
		reactionMessageId: nonEmpty('reactionMessageId').optional(),
		reactionEmoji: nonEmpty('reactionEmoji', 8).optional(),
		carouselCardsData: z.array(z.record(z.unknown())).min(2, 'carouselCardsData must hold 2 to 10 cards.').max(10, 'carouselCardsData must hold 2 to 10 cards.').optional(),
		contact_id: objectId('contact_id').optional(),
		platform: z.enum(OMNICHANNEL_PLATFORMS).optional(),
		recipient_id: nonEmpty('recipient_id').optional(),
		workspace_id: objectId('workspace_id').optional(),
	})
	.strict();
export type SendBody = z.infer<typeof sendBody>;

/** The multipart body of the local-device send (row 19): string parts, the file in `file_url`. */
export const localDeviceBody = z
	.object({
		whatsapp_phone_number_id: objectId('whatsapp_phone_number_id'),
		contact_id: objectId('contact_id'),
		message: z.string().max(1024, 'message (the caption) must be at most 1024 characters.').optional(),
		provider: z.literal('business_api'),
		messageType: z.enum(MEDIA_KINDS),
	})
	.strict();

type SendKind = (typeof SEND_TYPES)[number] | 'media_urls';
const ADDRESSING = ['contact_no', 'whatsapp_phone_number', 'contact_id', 'workspace_id'] as const;
/** The content fields each kind of message may carry (besides the addressing). */
const FIELDS_OF: Record<SendKind, { required: Array<keyof SendBody>; optional: Array<keyof SendBody> }> = {
	text: { required: [], optional: ['message', 'buttons', 'buttonParams', 'reactionMessageId', 'reactionEmoji'] },
	image: { required: ['mediaUrl'], optional: ['message'] },
	video: { required: ['mediaUrl'], optional: ['message'] },
	document: { required: ['mediaUrl'], optional: ['message'] },
	audio: { required: ['mediaUrl'], optional: [] },
	location: { required: ['latitude', 'longitude'], optional: ['message'] },
	carousel: { required: ['carouselCardsData'], optional: ['message'] },
	template: { required: [], optional: ['templateName', 'templateId', 'templateVariables', 'mediaUrl', 'languageCode', 'buttonParams'] },
	media_urls: { required: ['mediaUrls'], optional: ['message'] },
};

/** What does not fit together in a send body: fields of another message type, missing ones. */
function shapeProblems(body: SendBody): Problem[] {
	const kind: SendKind | undefined = body.mediaUrls !== undefined ? 'media_urls' : body.messageType;
	const problems: Problem[] = [];
	if (body.platform === undefined) {
		if (body.whatsapp_phone_number === undefined) problems.push({ field: 'whatsapp_phone_number', message: 'whatsapp_phone_number (the sender number) is required.' });
		if (body.contact_no === undefined && body.contact_id === undefined) {
			problems.push({ field: 'contact_no', message: 'contact_no (the recipient number) is required.' });
		}
		if (body.recipient_id !== undefined) problems.push({ field: 'recipient_id', message: 'recipient_id is for Telegram sends (with platform); WhatsApp uses contact_no.' });
	}
	if (kind === undefined) {
		problems.push({ field: 'messageType', message: `messageType is required: one of ${SEND_TYPES.join(', ')} (or mediaUrls for several media).` });
		return problems;
	}
	if (kind === 'media_urls' && body.messageType !== undefined && !(MEDIA_KINDS as readonly string[]).includes(body.messageType)) {
		problems.push({ field: 'messageType', message: `mediaUrls sends media: messageType must be left out or one of ${MEDIA_KINDS.join(', ')}.` });
	}
	const label = kind === 'media_urls' ? 'multiple-media' : kind;
	const allowed = new Set<string>([...ADDRESSING, 'messageType', 'platform', 'recipient_id', ...FIELDS_OF[kind].required, ...FIELDS_OF[kind].optional]);
	for (const key of Object.keys(body)) {
		if (!allowed.has(key)) problems.push({ field: key, message: `${key} does not belong to a ${label} message.` });
	}
	for (const key of FIELDS_OF[kind].required) {
		if (body[key] === undefined) problems.push({ field: key, message: `${key} is required for a ${label} message.` });
	}
	if (kind === 'text' && body.reactionMessageId === undefined && (body.message ?? '').trim() === '') {
		problems.push({ field: 'message', message: 'message (the text) is required for a text message.' });
	}
	if ((body.reactionMessageId === undefined) !== (body.reactionEmoji === undefined)) {
		problems.push({ field: 'reactionEmoji', message: 'reactionMessageId and reactionEmoji go together.' });
	}
	if (kind === 'template' && body.templateName === undefined && body.templateId === undefined) {
		problems.push({ field: 'templateName', message: 'templateName (or templateId) is required for a template message.' });
	}
	return problems;
}

// ---------------------------------------------------------------------------------------------
// Rules

function requireSender(state: MessloState, digits: string): PhoneNumber {
	const phone = state.phoneNumbers.find((entry) => entry.phone_number === digits);
	if (!phone) {
		throw refused(
			'SENDER_NOT_FOUND',
			`whatsapp_phone_number ${digits} is not a number of a WhatsApp Business Account connected to this workspace (GET /api/whatsapp/phone-numbers lists them).`,
			'whatsapp_phone_number',
		);
	}
	if (phone.status !== 'CONNECTED') throw refused('SENDER_DISCONNECTED', `The sender number ${digits} is disconnected.`, 'whatsapp_phone_number');
	return phone;
}

function requirePhoneById(state: MessloState, id: string, field = 'whatsapp_phone_number_id'): PhoneNumber {
	const phone = state.phoneNumbers.find((entry) => entry._id === id);
	if (!phone) throw missing(`${field}: no WhatsApp number ${id} in this workspace (GET /api/whatsapp/phone-numbers lists them).`, 'PHONE_NUMBER_NOT_FOUND');
	return phone;
}

const existingChat = (state: MessloState, contact: Contact | undefined, phone: PhoneNumber): Chat | undefined =>
	contact && state.chats.find((chat) => chat.contact_id === contact._id && chat.whatsapp_phone_number_id === phone._id);

/** Meta's re-engagement rule (error 131047): free-form only within 24 hours of the customer's last message. */
function requireOpenWindow(chat: Chat | undefined, recipient: string, phone: PhoneNumber): void {
	if (chat && windowOpen(chat)) return;
	const last = chat?.last_customer_message_at;
	throw refused(
		'OUTSIDE_24H_WINDOW',
		`Re-engagement message: ${recipient} has ${last ? `not written to ${phone.phone_number} since ${last}` : `never written to ${phone.phone_number}`}, and free-form messages can only be sent within 24 hours of the customer's last message (Meta error 131047). Send an approved template instead.`,
		'contact_no',
	);
}

/** The template a send names, in the sender's WABA, approved, with exactly its variables filled. */
function requireSendableTemplate(state: MessloState, body: SendBody, phone: PhoneNumber): { template: Template; variables: Record<string, string> } {
	const inWaba = state.templates.filter((template) => template.connection_id === phone.connection_id);
	let template: Template | undefined;
	if (body.templateId !== undefined) {
		template = inWaba.find((entry) => entry._id === body.templateId);
		if (!template) throw missing(`templateId: no template ${body.templateId} in the WhatsApp Business Account of sender ${phone.phone_number}.`, 'TEMPLATE_NOT_FOUND');
		if (body.templateName !== undefined && body.templateName !== template.template_name) {
			throw invalidField('templateName', `templateName ${body.templateName} is not the name of template ${body.templateId} (${template.template_name}).`);
		}
	} else {
		const named = inWaba.filter((entry) => entry.template_name === body.templateName);
		const candidates = body.languageCode ? named.filter((entry) => entry.language === body.languageCode) : named;
		if (candidates.length === 0) {
			throw missing(
				`templateName: no template ${body.templateName}${body.languageCode ? ` in ${body.languageCode}` : ''} in the WhatsApp Business Account of sender ${phone.phone_number}.`,
				'TEMPLATE_NOT_FOUND',
			);
		}
		if (candidates.length > 1) {
			throw invalidField('languageCode', `Template ${body.templateName} exists in ${candidates.map((entry) => entry.language).join(', ')}: give languageCode.`);
		}
		template = candidates[0]!;
	}
	if (body.languageCode !== undefined && body.languageCode !== template.language) {
		throw invalidField('languageCode', `Template ${template.template_name} is in ${template.language}, not ${body.languageCode}.`);
	}
	if (template.status !== 'APPROVED') {
		throw refused(
			'TEMPLATE_NOT_APPROVED',
			`Template ${template.template_name} is ${template.status}${template.rejected_reason ? ` (${template.rejected_reason})` : ''}, not approved: only templates Meta has approved can be sent. POST /api/template/sync-status refreshes the status.`,
			'templateName',
		);
	}
	const variables = checkVariables(template, body.templateVariables ?? {}, 'templateVariables');
	if (body.mediaUrl !== undefined) {
		if (!template.header_media_type) {
			throw refused('NO_MEDIA_HEADER', `mediaUrl: template ${template.template_name} has no media header, so it takes no mediaUrl.`, 'mediaUrl');
		}
		const kind = mediaKindOfUrl(body.mediaUrl);
		if (kind && kind !== template.header_media_type) {
			throw invalidField('mediaUrl', `mediaUrl looks like ${kind === 'image' || kind === 'audio' ? 'an' : 'a'} ${kind}; template ${template.template_name} has a ${template.header_media_type} header.`);
		}
	}
	return { template, variables };
}

/** The variables given must be exactly the template's, none empty. */
export function checkVariables(template: Template, given: Record<string, string | number>, field: string): Record<string, string> {
	const expected = templateVariables(template);
	const problems: Problem[] = [];
	for (const name of expected) {
		if (given[name] === undefined) problems.push({ field: `${field}.${name}`, message: `${field}.${name} is missing: template ${template.template_name} uses {{${name}}}.` });
		else if (String(given[name]).trim() === '') problems.push({ field: `${field}.${name}`, message: `${field}.${name} must not be empty.` });
	}
	for (const name of Object.keys(given)) {
		if (!expected.includes(name)) {
			problems.push({
				field: `${field}.${name}`,
				message: `${field}.${name}: template ${template.template_name} has no variable {{${name}}} (its variables: ${expected.length ? expected.map((entry) => `{{${entry}}}`).join(', ') : 'none'}).`,
			});
		}
	}
	if (problems.length) throw new SandboxError(400, 'validation', problems, 'TEMPLATE_VARIABLES_MISMATCH');
	return Object.fromEntries(Object.entries(given).map(([name, value]) => [name, String(value)]));
}

function sendAnswer(chat: Chat, messages: Message[]) {
	const first = messages[0]!;
	return {
		json: ok(
			{
				message_id: first._id,
				wamid: first.wamid,
				status: first.status,
				message_type: first.message_type,
				contact_id: chat.contact_id,
				chat_id: chat._id,
				whatsapp_phone_number_id: chat.whatsapp_phone_number_id,
				created_at: first.created_at,
				messages: messages.map(messageJson),
			},
			{ message: messages.length > 1 ? `${messages.length} messages sent successfully` : 'Message sent successfully' },
		),
	};
}

// ---------------------------------------------------------------------------------------------
// The sends

function sendJson(state: MessloState, raw: unknown) {
	const body = parseOrThrow(sendBody, raw);
	const problems = shapeProblems(body);
	if (problems.length) throw new SandboxError(400, 'validation', problems);
	if (body.platform !== undefined) {
		throw missing(`No ${body.platform} channel is connected to this workspace (only WhatsApp is).`, 'CHANNEL_NOT_CONNECTED');
	}

	const phone = requireSender(state, body.whatsapp_phone_number!);
	let contact = body.contact_id !== undefined ? requireContact(state, body.contact_id, 'contact_id') : undefined;
	if (contact && body.contact_no !== undefined && digitsOf(contact.phone_number) !== body.contact_no) {
		throw invalidField('contact_no', `contact_no ${body.contact_no} is not the number of contact ${contact._id} (${contact.phone_number}).`);
	}
	contact ??= findContactByPhone(state, body.contact_no!);
	const recipient = body.contact_no ?? digitsOf(contact!.phone_number);
	const chat = existingChat(state, contact, phone);

	if (body.messageType === 'template' && body.mediaUrls === undefined) {
		const { template, variables } = requireSendableTemplate(state, body, phone);
		const target = chatFor(state, contact ?? contactFor(state, recipient, 'api'), phone);
		const message = addMessage(state, target, 'outbound', {
			message_type: 'template',
			template_id: template._id,
			template_name: template.template_name,
			template_variables: variables,
			media_url: body.mediaUrl ?? template.header_url,
			extra: body.buttonParams ? { buttonParams: body.buttonParams } : {},
		});
		return sendAnswer(target, [message]);
	}

	requireOpenWindow(chat, recipient, phone);
	const open = chat!;
	if (body.reactionMessageId !== undefined) {
		const target = state.messages.find((message) => message.chat_id === open._id && (message._id === body.reactionMessageId || message.wamid === body.reactionMessageId));
		if (!target) throw missing(`reactionMessageId: no message ${body.reactionMessageId} in this chat.`, 'MESSAGE_NOT_FOUND');
	}
	const fields: MessageFields[] = [];
	if (body.mediaUrls !== undefined) {
		body.mediaUrls.forEach((url, index) => {
			const kind = (body.messageType as MediaKind | undefined) ?? mediaKindOfUrl(url);
			if (!kind) {
				throw invalidField(`mediaUrls.${index}`, `mediaUrls.${index}: the media kind cannot be told from the file extension of ${url} (use .jpg, .png, .mp4, .mp3, .pdf, …).`);
			}
			fields.push({ message_type: kind, media_url: url, message: index === 0 ? body.message : undefined });
		});
	} else {
		const extra: Record<string, unknown> = {};
		for (const key of ['buttons', 'buttonParams', 'reactionMessageId', 'reactionEmoji', 'carouselCardsData'] as const) {
			if (body[key] !== undefined) extra[key] = body[key];
		}
		fields.push({
			message_type: body.messageType!,
			message: body.message,
			media_url: body.mediaUrl,
			latitude: body.latitude,
			longitude: body.longitude,
			extra,
		});
	}
	const messages = fields.map((entry) => addMessage(state, open, 'outbound', entry));
	return sendAnswer(open, messages);
}

function sendLocalFile(state: MessloState, raw: unknown, files: FileFields) {
	const body = parseOrThrow(localDeviceBody, raw);
	const problems: Problem[] = [];
	for (const field of Object.keys(files)) {
		if (field !== 'file_url') problems.push({ field, message: `${field} is not a file field of this request: the file goes in file_url.` });
	}
	const upload = files.file_url;
	if (upload === undefined) problems.push({ field: 'file_url', message: 'file_url (the file) is required.' });
	else if (Array.isArray(upload)) problems.push({ field: 'file_url', message: 'file_url takes one file.' });
	else {
		const problem = fileProblem(upload, body.messageType, 'file_url');
		if (problem) problems.push(problem);
	}
	if (body.messageType === 'audio' && (body.message ?? '') !== '') problems.push({ field: 'message', message: 'An audio message carries no caption: leave message empty.' });
	if (problems.length) throw new SandboxError(400, 'validation', problems);

	const file = upload as UploadedFile;
	const phone = requirePhoneById(state, body.whatsapp_phone_number_id);
	const contact = requireContact(state, body.contact_id, 'contact_id');
	const chat = existingChat(state, contact, phone);
	requireOpenWindow(chat, digitsOf(contact.phone_number), phone);
	const uploadId = newId(state);
	state.uploads.push({ _id: uploadId, field: 'file_url', file_name: file.filename, mime_type: file.contentType, size: file.size, sha256: sha256(file.buffer), at: nowIso() });
	const message = addMessage(state, chat!, 'outbound', {
		message_type: body.messageType,
		message: body.message,
		file_name: file.filename,
		mime_type: file.contentType,
		extra: { upload_id: uploadId, file_size: file.size },
	});
	return sendAnswer(chat!, [message]);
}

const isMultipart = (headers: IncomingHttpHeaders) => mediaTypeOf(headers['content-type']) === 'multipart/form-data';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (name: string) =>
	z.string().refine((value) => ISO_DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), `${name} must be a date as YYYY-MM-DD.`);

export const messagingRoutes = [
	// Rows 12–19, 23, 81
	route({
		method: 'POST',
		path: '/api/whatsapp/send',
		accepts: ['json', 'multipart'],
		handle: ({ body, files, headers, state }) => (isMultipart(headers) ? sendLocalFile(state, body, files) : sendJson(state, body)),
	}),

	// Row 20: most recent first; the primary number's chats unless a number is named
	route({
		method: 'GET',
		path: '/api/whatsapp/chats',
		query: z
			.object({
				...pageQuery(15, 50),
				whatsapp_phone_number_id: objectId('whatsapp_phone_number_id').optional(),
				platform: z.enum(['whatsapp', ...OMNICHANNEL_PLATFORMS]).optional(),
				search: z.string().optional(),
				provider: z.string().optional(),
			})
			.strict(),
		handle: ({ query, state }) => {
			const phone = query.whatsapp_phone_number_id ? requirePhoneById(state, query.whatsapp_phone_number_id) : primaryPhone(state);
			const whatsapp = (query.platform ?? 'whatsapp') === 'whatsapp' && (query.provider ?? 'business_api') === 'business_api';
			const chats = whatsapp
				? state.chats.filter((chat) => {
						if (chat.whatsapp_phone_number_id !== phone?._id) return false;
						const contact = state.contacts.find((entry) => entry._id === chat.contact_id)!;
						return matches(query.search, contact.name, contact.phone_number);
					})
				: [];
			return { json: page(newestFirst(chats, (chat) => chat.last_message_at), query, (chat) => chatJson(state, chat)) };
		},
	}),

	// Row 21: newest first
	route({
		method: 'GET',
		path: '/api/whatsapp/messages',
		query: z
			.object({
				...pageQuery(30, 100),
				contact_id: objectId('contact_id'),
				whatsapp_phone_number_id: objectId('whatsapp_phone_number_id').optional(),
				search: z.string().optional(),
				start_date: day('start_date').optional(),
				end_date: day('end_date').optional(),
			})
			.strict()
			.refine((query) => !query.start_date || !query.end_date || query.start_date <= query.end_date, {
				message: 'start_date must not be after end_date.',
				path: ['start_date'],
			}),
		handle: ({ query, state }) => {
			const contact = requireContact(state, query.contact_id, 'contact_id');
			if (query.whatsapp_phone_number_id) requirePhoneById(state, query.whatsapp_phone_number_id);
			const found = state.messages.filter((message) => {
				const dayOf = message.created_at.slice(0, 10);
				return (
					message.contact_id === contact._id &&
					(!query.whatsapp_phone_number_id || message.whatsapp_phone_number_id === query.whatsapp_phone_number_id) &&
					(!query.start_date || dayOf >= query.start_date) &&
					(!query.end_date || dayOf <= query.end_date) &&
					matches(query.search, message.message)
				);
			});
			return { json: page(newestFirst(found, (message) => message.created_at), query, messageJson) };
		},
	}),

	// Rows 22 and 73: to an agent or to a chatbot
	route({
		method: 'POST',
		path: '/api/whatsapp/assign-chat',
		body: z
			.object({
				contact_id: objectId('contact_id'),
				whatsapp_phone_number_id: objectId('whatsapp_phone_number_id'),
				agent_id: objectId('agent_id').optional(),
				chatbot_id: objectId('chatbot_id').optional(),
			})
			.strict()
			.refine((body) => (body.agent_id === undefined) !== (body.chatbot_id === undefined), {
				message: 'Give agent_id or chatbot_id (one of them).',
				path: ['agent_id'],
			}),
		handle: ({ body, state }) => {
			const contact = requireContact(state, body.contact_id, 'contact_id');
			const phone = requirePhoneById(state, body.whatsapp_phone_number_id);
			const chat = existingChat(state, contact, phone);
			if (!chat) throw missing(`No chat between contact ${contact._id} and number ${phone.phone_number}.`, 'CHAT_NOT_FOUND');
			if (body.agent_id !== undefined) {
				const agent = state.agents.find((entry) => entry._id === body.agent_id);
				if (!agent) throw missing(`agent_id: no agent ${body.agent_id} in this workspace (GET /api/agent/all lists them).`, 'AGENT_NOT_FOUND');
				if (!agent.status) throw refused('AGENT_INACTIVE', `Agent ${agent.name} is inactive.`, 'agent_id');
				chat.assigned_agent_id = agent._id;
				chat.assigned_chatbot_id = null;
			} else {
				const chatbot = state.chatbots.find((entry) => entry._id === body.chatbot_id);
				if (!chatbot) throw missing(`chatbot_id: no chatbot ${body.chatbot_id} in this workspace.`, 'CHATBOT_NOT_FOUND');
				chat.assigned_chatbot_id = chatbot._id;
				chat.assigned_agent_id = null;
			}
			return { json: ok(chatJson(state, chat), { message: 'Chat assigned successfully' }) };
		},
	}),
];

/** What Mesigic's routes share: the JSON of records, the success envelope, field rules, lookups. */
import { z } from 'zod';

import { notFound, routeFor, type ErrorKind, type Problem, type RawInput } from '../framework';
import { digits, integer, text, type FileRule } from '../laravel';
import {
	findContact,
	findContactByNumber,
	findConversation,
	MESIGIC_BASE_PATH,
	type MesigicContact,
	type MesigicConversation,
	type MesigicMessage,
	type MesigicState,
} from './state';

export const route = routeFor<MesigicState>();
export const api = (path: string) => MESIGIC_BASE_PATH + path;

// ---------------------------------------------------------------------------------------------
// JSON as the API returns it.

export const contactJson = (contact: MesigicContact) => ({ ...contact });

export function conversationJson(state: MesigicState, conversation: MesigicConversation) {
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

export const messageJson = (message: MesigicMessage) => ({
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

export const success = (remark: string, message: string, data: unknown) => ({
	json: { status: 'success', remark, message: [message], data },
});

export const REMARKS: Record<ErrorKind, string> = {
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

export const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();

export const mobileCode = digits(1, 4, ' (the country calling code without the + sign)');
export const mobile = digits(4, 15);
export const conversationStatus = integer().refine((value) => value >= 1 && value <= 4, {
	message: 'The selected :attribute is invalid.',
});
export const page = optional(integer({ min: 1 }));
export const perPage = optional(integer({ min: 1, max: 100 }));

export const IMAGE_TYPES = { extensions: ['jpg', 'jpeg', 'png'], contentTypes: ['image/jpeg', 'image/png'] } as const;
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

export const recipientShape = {
	mobile_code: mobileCode,
	mobile,
	from_number: optional(text(20)),
};

export const noFiles = z.object({}).strict();

/** Raw form values: Laravel's "present" means given and not blank. */
export const given = (value: unknown) => value !== undefined && value !== null && value !== '';
export const fieldsOf = (input: RawInput) => (input.body ?? {}) as Record<string, unknown>;

export function fromNumberProblems(state: MesigicState, fromNumber: unknown): Problem[] {
	if (typeof fromNumber !== 'string' || fromNumber.trim() === '') return [];
	const wanted = fromNumber.replace(/\D/g, '');
	return state.fromNumbers.some((entry) => entry.number === wanted)
		? []
		: [{ field: 'from_number', message: 'The selected from number is invalid.' }];
}

export function existsProblem(
	items: ReadonlyArray<{ id: number }>,
	value: unknown,
	field: string,
): Problem[] {
	if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return [];
	return items.some((item) => item.id === Number(value))
		? []
		: [{ field, message: `The selected ${field.replace(/_/g, ' ')} is invalid.` }];
}

export function duplicateMobileProblem(state: MesigicState, mobileCodeValue: unknown, mobileValue: unknown, exceptId?: number): Problem[] {
	if (typeof mobileCodeValue !== 'string' || typeof mobileValue !== 'string') return [];
	const taken = findContactByNumber(state, mobileCodeValue, mobileValue);
	return taken && taken.id !== exceptId ? [{ field: 'mobile', message: 'The mobile has already been taken.' }] : [];
}

export function requireContact(state: MesigicState, id: string): MesigicContact {
	const contact = /^\d+$/.test(id) ? findContact(state, id) : undefined;
	if (!contact) throw notFound('Contact not found');
	return contact;
}

export function requireConversation(state: MesigicState, id: string): MesigicConversation {
	const conversation = /^\d+$/.test(id) ? findConversation(state, id) : undefined;
	if (!conversation) throw notFound('Conversation not found');
	return conversation;
}

/** The sender: the given registered number, else the account's default (first) number. */
export function senderOf(state: MesigicState, fromNumber: string | null | undefined): string {
	return fromNumber ? fromNumber.replace(/\D/g, '') : state.fromNumbers[0]!.number;
}


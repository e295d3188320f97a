import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

/**
 * The payloads of Mehery's three callbacks, as its document describes them. The document marks
 * every field required, including the objects of every other message type; a message carries only
 * the object of its own type, so these schemas require what a workflow relies on and let the rest
 * through as it comes.
 */

export const CONTACT_TYPES = ['SMS', 'EMAIL', 'WHATSAPP', 'PUSH', 'FACEBOOK', 'TELEGRAM', 'WEBSITE', 'TWITTER', 'INSTAGRAM', 'DUMMY', 'EMPTY'] as const;

export const contactSchema = z
	.object({
		contactId: z.string().min(1),
		contactType: z.enum(CONTACT_TYPES),
		csid: z.string().optional(),
		lane: z.string(),
		profile: z.object({ email: z.string().optional(), mobile: z.string().optional(), name: z.string().optional() }).passthrough(),
		profileId: z.string().optional(),
	})
	.passthrough();

export const actionSchema = z.object({ actionCode: z.string().min(1) }).passthrough();

const media = z
	.object({
		id: z.string().min(1),
		link: z.string().min(1),
		mime_type: z.string().min(1),
		sha256: z.string().optional(),
		caption: z.string().optional(),
		filename: z.string().optional(),
		type: z.string().optional(),
	})
	.passthrough();

const textContent = z.object({ body: z.string(), type: z.string().optional() }).passthrough();

const coordinate = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'must be a number')]);

const common = {
	id: z.string().min(1),
	from: z.string().min(1),
	contactId: z.string().min(1),
	timestamp: z.union([z.number().int(), z.string().regex(/^\d+$/, 'must be a whole number')]),
	messageIdExt: z.string().optional(),
	originalMessage: z.record(z.unknown()).optional(),
	session: z.object({ sessionId: z.string(), assignedToAgent: z.string().optional(), assignedToDept: z.string().optional() }).passthrough().optional(),
	tags: z.record(z.unknown()).optional(),
};

export const messageSchema = z.discriminatedUnion('type', [
	z.object({ ...common, type: z.literal('text'), text: textContent }).passthrough(),
	z.object({ ...common, type: z.literal('audio'), audio: media }).passthrough(),
	z.object({ ...common, type: z.literal('document'), document: media }).passthrough(),
	z.object({ ...common, type: z.literal('image'), image: media }).passthrough(),
	z.object({ ...common, type: z.literal('video'), video: media }).passthrough(),
	z.object({ ...common, type: z.literal('voice'), voice: media }).passthrough(),
	z
		.object({
			...common,
			type: z.literal('location'),
			location: z.object({ latitude: coordinate, longitude: coordinate, name: z.string().optional(), address: z.string().optional() }).passthrough(),
		})
		.passthrough(),
	z.object({ ...common, type: z.literal('system'), text: textContent.optional() }).passthrough(),
]);

/**
 * The message callback as a batch: read leniently, so that each message, contact and action in it
 * is checked on its own (with the schemas above) and one that does not fit takes no other down.
 */
export const messageReceiveSchema = z
	.object({
		actions: z.array(z.unknown()).optional(),
		contacts: z.array(z.unknown()).optional(),
		messages: z.array(z.unknown()),
	})
	.passthrough();

export type MeheryMessage = z.infer<typeof messageSchema> & IDataObject;
export type MeheryContact = z.infer<typeof contactSchema> & IDataObject;
export type MeheryAction = z.infer<typeof actionSchema> & IDataObject;
export type MessageReceiveBatch = z.infer<typeof messageReceiveSchema>;

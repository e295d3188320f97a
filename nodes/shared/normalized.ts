import type { IDataObject, INodeProperties } from 'n8n-workflow';

export type MessageType =
	| 'text'
	| 'image'
	| 'video'
	| 'audio'
	| 'voice'
	| 'document'
	| 'sticker'
	| 'location'
	| 'contacts'
	| 'call'
	| 'system'
	| 'unknown';

/**
 * One shape for a message or message event from any provider, so a workflow survives a change of
 * provider. Phone numbers are E.164 (`+17472822486`) where the provider gives one.
 */
export interface NormalizedMessage extends IDataObject {
	provider: string;
	event: string;
	messageId: string | null;
	chatId: string | null;
	from: string | null;
	to: string | null;
	fromMe: boolean;
	type: MessageType;
	text: string | null;
	media: { url?: string; mimeType?: string; caption?: string; fileName?: string } | null;
	location: { latitude: number; longitude: number; name?: string; address?: string } | null;
	/** ISO 8601. */
	timestamp: string | null;
	/** The provider's own record, untouched. */
	raw: IDataObject;
}

export function normalizedMessage(fields: Pick<NormalizedMessage, 'provider' | 'event' | 'raw'> & Partial<NormalizedMessage>): NormalizedMessage {
	return {
		messageId: null,
		chatId: null,
		from: null,
		to: null,
		fromMe: false,
		type: 'unknown',
		text: null,
		media: null,
		location: null,
		timestamp: null,
		...fields,
	};
}

/** Unix seconds or milliseconds, or a date string, as ISO 8601. */
export function isoTime(time: unknown): string | null {
	if (typeof time === 'string' && !/^\d+$/.test(time.trim())) {
		const parsed = Date.parse(time);
		return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
	}
	const value = Number(time);
	if (!Number.isFinite(value) || value <= 0) return null;
	return new Date(value < 1e12 ? value * 1000 : value).toISOString();
}

/** The trigger option that switches between the provider's record and the normalized shape. */
export const NORMALIZED_OUTPUT_OPTION: INodeProperties = {
	displayName: 'Normalized Output',
	name: 'normalized',
	type: 'boolean',
	default: false,
	description:
		'Whether to output every event in the same shape for all WhatsApp providers (provider, event, message ID, chat, from, to, type, text, media, location, ISO timestamp), with the original under "raw"',
};

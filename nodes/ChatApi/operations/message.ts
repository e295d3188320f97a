import { MESSAGE_TEXT, CAPTION } from '../../shared/fields';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { MB, mediaSourceFields, readMedia, toDataUri } from '../../shared/media';
import type { Operation, PageScheme } from '../../shared/operation';
import { findRecords } from '../../shared/pagination';
import { CHAT_API_SUCCESS, recipient } from '../api';

const recipientField: INodeProperties = {
	displayName: 'Recipient',
	name: 'recipient',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+1 (747) 282-2486 or 17472822486@c.us',
	description: 'A phone number with its country code, or a chat ID from a message (…@c.us for a person, …@g.us for a group)',
};

/** WhatsApp's own ceiling for a document; Chat API documents no smaller one. */
const FILE_RULE = { label: 'File', maxBytes: 100 * MB, extensions: [] };

interface MessageCursor {
	after: number;
	lastHundred: boolean;
}

/** GET /messages pages by message number: each page starts after the last one seen. */
export const messagePages: PageScheme<MessageCursor> = {
	first: (spec) => ({ after: Number(spec.query?.lastMessageNumber ?? 0), lastHundred: spec.query?.last !== undefined }),
	maxPageSize: 100,
	request: (spec, cursor) => (cursor.lastHundred ? spec : { ...spec, query: { ...spec.query, lastMessageNumber: cursor.after } }),
	read(answer, cursor) {
		const { records } = findRecords(answer);
		const last = Number((answer as IDataObject).lastMessageNumber ?? cursor.after);
		const more = !cursor.lastHundred && records.length >= 100 && last > cursor.after;
		return { records, next: more ? { after: last, lastHundred: false } : undefined };
	},
};

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		value: 'sendText',
		success: CHAT_API_SUCCESS.sent,
		recipientField: 'recipient',
		name: 'Send Text',
		action: 'Send a text message',
		description: 'Queue a text message to a person or a group',
		fields: [
			recipientField,
			{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: 'The message; emoji are fine' },
		],
		request: (item) => ({ method: 'POST', path: 'sendMessage', body: { ...recipient(item), body: item.string('text', MESSAGE_TEXT) } }),
	},
	{
		resource: 'message',
		value: 'sendFile',
		success: CHAT_API_SUCCESS.sent,
		recipientField: 'recipient',
		name: 'Send File',
		action: 'Send a file',
		description: 'Send an image, document, audio or video by link or from the workflow\'s binary data',
		fields: [
			recipientField,
			...mediaSourceFields(undefined, { urlFetchedBy: 'provider' }),
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'invoice.pdf',
				description: 'The name the recipient sees; its extension tells WhatsApp the file type. Empty: the name of the file.',
				displayOptions: { hide: { mediaSource: ['base64'] } },
			},
			{ displayName: 'Caption', name: 'caption', type: 'string', default: '', description: 'Text shown under the file' },
		],
		async request(item) {
			const to = recipient(item);
			const caption = item.optionalString('caption', CAPTION);
			if (item.string('mediaSource') === 'url') {
				// Chat API downloads a link itself: the file never passes through n8n.
				const url = item.string('mediaUrl');
				if (!/^https?:\/\//i.test(url)) item.fail(`File URL must start with http:// or https://: "${url}"`, undefined, 'mediaUrl');
				const fileName = item.optionalString('fileName') ?? decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file');
				return { method: 'POST', path: 'sendFile', body: { ...to, body: url, filename: fileName, ...(caption ? { caption } : {}) } };
			}
			const file = await readMedia(item, FILE_RULE, { fileName: item.optionalString('fileName') });
			return { method: 'POST', path: 'sendFile', body: { ...to, body: toDataUri(file), filename: file.fileName, ...(caption ? { caption } : {}) } };
		},
	},
	{
		resource: 'message',
		value: 'getAll',
		success: CHAT_API_SUCCESS.messages,
		name: 'Get Many',
		action: 'Get many messages',
		description: 'Messages in the order they arrived: after a message number, or the last 100',
		fields: [
			{
				displayName: 'Messages',
				name: 'since',
				type: 'options',
				default: 'afterNumber',
				options: [
					{ name: 'After a Message Number', value: 'afterNumber' },
					{ name: 'The Last 100', value: 'last100' },
				],
			},
			{
				displayName: 'After Message Number',
				name: 'lastMessageNumber',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Only messages after this one (the "messageNumber" of the last message you have); 0 starts from the oldest kept',
				displayOptions: { show: { since: ['afterNumber'] } },
			},
		],
		idempotent: true,
		pages: messagePages,
		request: (item) => ({
			method: 'GET',
			path: 'messages',
			query: item.string('since') === 'last100' ? { last: 1 } : { lastMessageNumber: item.optionalNumber('lastMessageNumber') ?? 0 },
		}),
	},
];

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CAPTION, coordinateFields, MESSAGE_TEXT, phoneField } from '../../shared/fields';
import type { ItemReader } from '../../shared/item-reader';
import { mediaSourceFields, readMedia } from '../../shared/media';
import type { MultipartPart } from '../../shared/multipart';
import type { Operation, RequestSpec } from '../../shared/operation';
import { checkHttpUrl, httpUrl } from '../../shared/url';
import { additionalBodyFieldsOption, dataOf, keyValues, listEntries, mediaKindOf, messloDigits, MESSLO_SUCCESS, textParts, UPLOAD_RULES, withAdditionalFields } from '../api';
import { contactIdField, keyValueField, phoneNumberIdField, senderField, templateNameField } from '../fields';

const URL_MEDIA_TYPES = ['audio', 'document', 'image', 'video'];
const CAPTIONED_TYPES = ['document', 'image', 'multipleMedia', 'upload', 'video'];

const forTypes = (...types: string[]): INodeProperties['displayOptions'] => ({ show: { messageType: types } });
const exceptTypes = (...types: string[]): INodeProperties['displayOptions'] => ({ hide: { messageType: types } });

/** The message's own fields in Messlo's names, for a message sent by phone numbers (JSON). */
function content(item: ItemReader, type: string): IDataObject {
	switch (type) {
		case 'text':
			return { messageType: 'text', message: item.string('message', MESSAGE_TEXT) };
		case 'location':
			return { messageType: 'location', latitude: item.number('latitude'), longitude: item.number('longitude') };
		case 'multipleMedia': {
			const urls = listEntries(item, 'mediaUrls').map((url) => checkHttpUrl(item, 'mediaUrls', url, { fix: 'Messlo downloads each file from its link, so every link must be public.' }));
			if (!urls.length) item.fail('Media URLs is empty', 'Enter at least one public link to a file, one per line.');
			// Messlo's example of this call has no messageType: the files' own types decide.
			return { mediaUrls: urls, ...optional('message', item.optionalString('caption', CAPTION)) };
		}
		case 'template': {
			const variables = keyValues(item, 'templateVariables');
			return {
				messageType: 'template',
				templateName: item.string('templateName'),
				...(Object.keys(variables).length ? { templateVariables: variables } : {}),
				...optional('mediaUrl', item.optionalString('templateMediaUrl') && httpUrl(item, 'templateMediaUrl')),
				...optional('languageCode', item.optionalString('languageCode')),
			};
		}
		default: {
			if (!URL_MEDIA_TYPES.includes(type)) item.fail(`Message Type "${type}" is not one this node sends`, 'Choose a Message Type from the list.');
			const mediaUrl = httpUrl(item, 'mediaUrl', { fix: 'Messlo downloads the file from this link, so it must be public.' });
			const caption = type === 'audio' ? undefined : item.optionalString('caption', CAPTION);
			return { messageType: type, ...optional('message', caption), mediaUrl };
		}
	}
}

const optional = (key: string, value: unknown): IDataObject => (value === undefined || value === '' ? {} : { [key]: value as string });

/** A file from the input item, uploaded as multipart with Messlo's IDs of the sender and the contact. */
async function uploadRequest(item: ItemReader): Promise<RequestSpec> {
	const addressing = {
		whatsapp_phone_number_id: item.string('whatsappPhoneNumberId'),
		contact_id: item.string('contactId'),
		...optional('message', item.optionalString('caption', CAPTION)),
		provider: 'business_api',
	};
	const chosen = item.string('uploadMediaType');
	const file = await readMedia(item, UPLOAD_RULES.document, { ruleFor: (read) => UPLOAD_RULES[chosen === 'auto' ? mediaKindOf(read) : chosen] });
	const kind = chosen === 'auto' ? mediaKindOf(file) : chosen;
	const fields = withAdditionalFields(item, 'options', { ...addressing, messageType: kind });
	const parts: MultipartPart[] = [{ field: 'file_url', file }, ...textParts(fields)];
	return { method: 'POST', path: 'api/whatsapp/send', form: parts };
}

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		value: 'send',
		success: MESSLO_SUCCESS.done,
		name: 'Send',
		action: 'Send a message',
		description: 'Send a text, a file by link, a location, several files, an approved template, or a file from the input item',
		fields: [
			{
				displayName: 'Message Type',
				name: 'messageType',
				type: 'options',
				default: 'text',
				options: [
					{ name: 'Audio by URL', value: 'audio', description: 'An audio file from a public link' },
					{ name: 'Document by URL', value: 'document', description: 'A document (e.g. a PDF) from a public link' },
					{ name: 'File Upload', value: 'upload', description: 'A file from the input item\'s binary data (or downloaded by n8n), uploaded to Messlo' },
					{ name: 'Image by URL', value: 'image', description: 'An image from a public link' },
					{ name: 'Location', value: 'location', description: 'A point on the map' },
					{ name: 'Multiple Media by URLs', value: 'multipleMedia', description: 'Several files from public links, sent one after another' },
					{ name: 'Template', value: 'template', description: 'An approved template, with its variables; the only kind WhatsApp delivers outside the 24 hours after the customer\'s last message' },
					{ name: 'Text', value: 'text' },
					{ name: 'Video by URL', value: 'video', description: 'A video from a public link' },
				],
			},
			phoneField({
				displayName: 'Recipient',
				description: 'The recipient\'s WhatsApp number with its country code, in any common form, e.g. +91 98765 43210 (Messlo gets 919876543210)',
				displayOptions: exceptTypes('upload'),
			}),
			{ ...senderField, displayOptions: exceptTypes('upload') },
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				description: 'The text; emoji are fine',
				displayOptions: forTypes('text'),
			},
			{
				displayName: 'Media URL',
				name: 'mediaUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/report.pdf',
				description: 'A public link to the file: Messlo downloads it from there',
				displayOptions: forTypes(...URL_MEDIA_TYPES),
			},
			{
				displayName: 'Media URLs',
				name: 'mediaUrls',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: 'https://example.com/image1.jpg\nhttps://example.com/video.mp4',
				description: 'Public links to the files, one per line or separated by commas (or an expression giving a list); they are sent in this order',
				displayOptions: forTypes('multipleMedia'),
			},
			...coordinateFields(forTypes('location')),
			{ ...templateNameField(), displayOptions: forTypes('template') },
			{
				...keyValueField('Template Variables', 'templateVariables', 'Values for the template\'s variables, each by its number: key 1 fills {{1}}, key 2 fills {{2}}, …'),
				displayOptions: forTypes('template'),
			},
			{
				displayName: 'Header Media URL',
				name: 'templateMediaUrl',
				type: 'string',
				default: '',
				placeholder: 'https://cdn.example.com/invoices/order-123.pdf',
				description: 'For a template with a media header: the file of this message, e.g. this order\'s invoice PDF (public link)',
				displayOptions: forTypes('template'),
			},
			{
				displayName: 'Language Code',
				name: 'languageCode',
				type: 'string',
				default: '',
				placeholder: 'en_US',
				description: 'Which language version of the template to send; empty lets Messlo choose',
				displayOptions: forTypes('template'),
			},
			...mediaSourceFields(forTypes('upload')),
			{
				displayName: 'Media Type',
				name: 'uploadMediaType',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Audio (Max 16 MB)', value: 'audio' },
					{ name: 'Document (PDF, Office, TXT; Max 100 MB)', value: 'document' },
					{ name: 'From the File\'s Type', value: 'auto', description: 'Image, video or audio by the file\'s MIME type; anything else as a document' },
					{ name: 'Image (JPG, PNG; Max 5 MB)', value: 'image' },
					{ name: 'Video (MP4, 3GP; Max 16 MB)', value: 'video' },
				],
				displayOptions: forTypes('upload'),
			},
			{ ...phoneNumberIdField({ displayName: 'Sender Number Name or ID' }), displayOptions: forTypes('upload') },
			{ ...contactIdField, description: 'Messlo\'s ID of the recipient contact, as Contact → Get Many gives it: a file upload addresses the contact by ID, not by number', displayOptions: forTypes('upload') },
			{
				displayName: 'Caption',
				name: 'caption',
				type: 'string',
				default: '',
				description: 'Text sent with the file',
				displayOptions: forTypes(...CAPTIONED_TYPES),
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						...additionalBodyFieldsOption,
						description: `${additionalBodyFieldsOption.description} E.g. a location's name and address, which Messlo's document does not name.`,
					},
				],
			},
		],
		async request(item) {
			const type = item.string('messageType');
			if (type === 'upload') return await uploadRequest(item);
			const body = withAdditionalFields(item, 'options', {
				contact_no: messloDigits(item, 'phone'),
				whatsapp_phone_number: messloDigits(item, 'sender'),
				...content(item, type),
			});
			return { method: 'POST', path: 'api/whatsapp/send', body };
		},
		output: dataOf,
	},
];

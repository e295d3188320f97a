import type { INodeProperties } from 'n8n-workflow';

import { CAPTION, MESSAGE_TEXT, phoneField } from '../../shared/fields';
import type { ItemReader } from '../../shared/item-reader';
import { MB, mediaSourceFields, readMedia, type MediaRule } from '../../shared/media';
import { formFields, type MultipartPart } from '../../shared/multipart';
import type { Operation } from '../../shared/operation';
import { toCountryAndNational, toDigits } from '../../shared/phone';
import { MESIGIC_SUCCESS, pick } from '../api';

const ATTACHMENT_RULES: Record<string, MediaRule> = {
	image: { label: 'Image', maxBytes: 5 * MB, extensions: ['jpg', 'jpeg', 'png'] },
	document: { label: 'Document', maxBytes: 100 * MB, extensions: ['pdf', 'doc', 'docx'] },
	video: { label: 'Video', maxBytes: 16 * MB, extensions: ['mp4'] },
	audio: { label: 'Audio', maxBytes: 16 * MB, extensions: [] },
};

const recipient = phoneField({ displayName: 'To', description: 'The recipient\'s WhatsApp number with its country code, e.g. +880 1988-123456' });

const fromNumber: INodeProperties = {
	displayName: 'From Number',
	name: 'fromNumber',
	type: 'string',
	default: '',
	description: 'One of your WhatsApp Business numbers registered in Mesigic and Meta, with its country code, e.g. +1 747 555 0100; empty sends from the default one',
};

function senderFields(item: ItemReader, additionalFields = item.collection('additionalFields')) {
	const { mobileCode, mobile } = toCountryAndNational(item.phone('phone'));
	const typedFrom = additionalFields.fromNumber;
	const from = typedFrom === undefined || typedFrom === null ? '' : String(typedFrom).trim();
	// Mesigic matches it against the account's registered numbers: country code and number, digits only.
	const fromNumber = from === '' ? undefined : toDigits(item.phone('additionalFields.fromNumber', from));
	return formFields({ mobile_code: mobileCode, mobile, from_number: fromNumber });
}

function optionalInteger(item: ItemReader, values: Record<string, unknown>, key: string): number | undefined {
	const value = values[key];
	if (value === undefined || value === '' || value === null) return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number <= 0) item.fail(`${item.label(`additionalFields.${key}`)} must be a positive whole number: "${String(value)}" is not`, undefined, `additionalFields.${key}`);
	return number;
}

function coordinate(item: ItemReader, values: Record<string, unknown>, key: 'latitude' | 'longitude'): number | undefined {
	const value = values[key];
	if (value === undefined || value === '' || value === null) return undefined;
	const number = Number(value);
	const bound = key === 'latitude' ? 90 : 180;
	if (!Number.isFinite(number) || Math.abs(number) > bound) {
		item.fail(`${key === 'latitude' ? 'Latitude' : 'Longitude'} must be a number from -${bound} to ${bound}: "${String(value)}" is not`, undefined, `additionalFields.${key}`);
	}
	return number;
}

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		value: 'send',
		success: MESIGIC_SUCCESS,
		recipientField: 'phone',
		name: 'Send',
		action: 'Send a message',
		description: 'Send a text, a file, a location, a CTA URL button or an interactive list',
		fields: [
			recipient,
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'The text. Needed unless you attach a file, a location, a CTA URL or an interactive list; with a file it is sent beside it.',
			},
			{
				displayName: 'Attachment',
				name: 'attachment',
				type: 'options',
				default: 'none',
				options: [
					{ name: 'Audio (Max 16 MB)', value: 'audio' },
					{ name: 'Document (PDF, DOC, DOCX; Max 100 MB)', value: 'document' },
					{ name: 'Image (JPG, PNG; Max 5 MB)', value: 'image' },
					{ name: 'None', value: 'none' },
					{ name: 'Video (MP4; Max 16 MB)', value: 'video' },
				],
			},
			...mediaSourceFields({ hide: { attachment: ['none'] } }),
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [
					{ displayName: 'CTA URL ID', name: 'ctaUrlId', type: 'number', default: 0, description: 'ID of a CTA URL button set up in Mesigic' },
					fromNumber,
					{ displayName: 'Interactive List ID', name: 'interactiveListId', type: 'number', default: 0, description: 'ID of an interactive list set up in Mesigic' },
					{ displayName: 'Latitude', name: 'latitude', type: 'number', typeOptions: { numberPrecision: 6 }, default: 0, description: 'Sends a location; needs Longitude too' },
					{ displayName: 'Longitude', name: 'longitude', type: 'number', typeOptions: { numberPrecision: 6 }, default: 0, description: 'Sends a location; needs Latitude too' },
				],
			},
		],
		async request(item) {
			const extra = item.collection('additionalFields');
			const latitude = coordinate(item, extra, 'latitude');
			const longitude = coordinate(item, extra, 'longitude');
			if ((latitude === undefined) !== (longitude === undefined)) {
				item.fail('A location needs both Latitude and Longitude', `Add ${latitude === undefined ? 'Latitude' : 'Longitude'} under "Additional Fields", or remove the other.`, `additionalFields.${latitude === undefined ? 'latitude' : 'longitude'}`);
			}
			const ctaUrlId = optionalInteger(item, extra, 'ctaUrlId');
			const interactiveListId = optionalInteger(item, extra, 'interactiveListId');
			const attachment = item.string('attachment');
			const text = item.optionalString('message', attachment === 'none' ? MESSAGE_TEXT : CAPTION);
			if (!text && attachment === 'none' && latitude === undefined && !ctaUrlId && !interactiveListId) {
				item.fail('Message is empty', 'Enter the text to send, or attach a file, a location, a CTA URL ID or an interactive list ID.', 'message');
			}
			const form: MultipartPart[] = [
				...senderFields(item, extra),
				...formFields({ message: text, latitude, longitude, cta_url_id: ctaUrlId, interactive_list_id: interactiveListId }),
			];
			if (attachment !== 'none') {
				form.push({ field: attachment, file: await readMedia(item, ATTACHMENT_RULES[attachment]) });
			}
			return { method: 'POST', path: 'inbox/send-message', form };
		},
		output: pick('message'),
	},
	{
		resource: 'message',
		value: 'sendTemplate',
		success: MESIGIC_SUCCESS,
		recipientField: 'phone',
		name: 'Send Template',
		action: 'Send a template message',
		description: 'Send an approved WhatsApp template, e.g. to start a conversation',
		fields: [
			recipient,
			{
				displayName: 'Template Name or ID',
				name: 'templateId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getTemplates' },
				default: '',
				required: true,
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [fromNumber],
			},
		],
		request: (item) => ({
			method: 'POST',
			path: 'inbox/send-template-message',
			form: [...senderFields(item), { field: 'template_id', value: item.id('templateId') }],
		}),
		output: pick('message'),
	},
];

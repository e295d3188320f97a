import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CAPTION, coordinateFields, MESSAGE_TEXT, phoneField } from '../../shared/fields';
import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { envelopeData, MEHERY_SUCCESS, meheryPhone } from '../api';
import { httpUrl } from '../../shared/url';

const MEDIA_TYPES = ['audio', 'document', 'image', 'video', 'voice'];
const TEXT_TYPES = ['system', 'text'];

const forTypes = (...types: string[]): INodeProperties['displayOptions'] => ({ show: { type: types } });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const CONTACTS_EXAMPLE = JSON.stringify([{ name: { formatted_name: 'Jane Smith', first_name: 'Jane' }, phones: [{ phone: '+17472822486', type: 'CELL' }] }], null, 2);

function coordinate(item: ItemReader, name: 'latitude' | 'longitude'): string {
	const value = item.number(name);
	const bound = name === 'latitude' ? 90 : 180;
	if (Math.abs(value) > bound) item.fail(`${item.label(name)} must be a number from -${bound} to ${bound}: ${value} is not`);
	return String(value);
}

function recipient(item: ItemReader): IDataObject {
	const to: IDataObject = { phone: meheryPhone(item, 'phone') };
	const name = item.optionalString('recipientName');
	const email = item.optionalString('recipientEmail');
	if (email !== undefined && !EMAIL.test(email)) item.fail(`Recipient Email "${email}" is not an email address`, 'Enter an address such as jane@example.com, or leave the field empty.');
	if (name !== undefined) to.name = name;
	if (email !== undefined) to.email = email;
	return to;
}

function contactCards(item: ItemReader): IDataObject[] {
	let value = item.raw('contacts', '');
	if (typeof value === 'string') {
		if (value.trim() === '') item.fail('Contacts is empty', 'Enter the contact cards to send as a JSON list.');
		try {
			value = JSON.parse(value);
		} catch {
			item.fail('Contacts is not valid JSON', `Enter a JSON list of contact cards, e.g. ${JSON.stringify(JSON.parse(CONTACTS_EXAMPLE))}`);
		}
	}
	const cards = Array.isArray(value) ? value : [value];
	if (!cards.length || !cards.every((card) => typeof card === 'object' && card !== null && !Array.isArray(card))) {
		item.fail('Contacts must be a JSON list of contact cards (objects)', `For example ${JSON.stringify(JSON.parse(CONTACTS_EXAMPLE))}`);
	}
	return cards as IDataObject[];
}

function templateData(item: ItemReader): IDataObject {
	const { placeholders } = item.collection('templateData') as { placeholders?: Array<{ key?: string; value?: unknown }> };
	const data: IDataObject = {};
	for (const { key, value } of placeholders ?? []) {
		const name = String(key ?? '').trim();
		if (name === '') item.fail('Template Data has a placeholder without a key', 'Give every placeholder the key the template uses, or remove the empty one.');
		if (name in data) item.fail(`Template Data has the key "${name}" twice`, 'Give each placeholder once.');
		data[name] = value === undefined || value === null ? '' : String(value);
	}
	return data;
}

/** The type's own part of the body: `text`, `image`, `location`, … (none for opt-in and opt-out). */
function content(item: ItemReader, type: string): IDataObject {
	if (TEXT_TYPES.includes(type)) return { text: { body: item.string('text', MESSAGE_TEXT), type } };
	if (MEDIA_TYPES.includes(type)) {
		const media: IDataObject = { link: httpUrl(item, 'mediaUrl', { fix: 'Mehery downloads the file from this link itself, so it must be public.' }) };
		const caption = item.optionalString('caption', CAPTION);
		const filename = item.optionalString('fileName');
		if (caption !== undefined) media.caption = caption;
		if (filename !== undefined) media.filename = filename;
		return { [type]: media };
	}
	if (type === 'location') {
		const location: IDataObject = { latitude: coordinate(item, 'latitude'), longitude: coordinate(item, 'longitude') };
		const name = item.optionalString('locationName');
		const address = item.optionalString('address');
		if (name !== undefined) location.name = name;
		if (address !== undefined) location.address = address;
		return { location };
	}
	if (type === 'contacts') return { contacts: contactCards(item) };
	if (type === 'template') {
		const data = templateData(item);
		return { template: { id: item.string('templateId'), ...(Object.keys(data).length ? { data } : {}) } };
	}
	return {};
}

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		value: 'send',
		success: MEHERY_SUCCESS.sent,
		name: 'Send',
		action: 'Send a message',
		description: 'Send a text, a file from a link, a location, contact cards, a template, a system message, or an opt-in / opt-out',
		fields: [
			{
				displayName: 'Channel ID',
				name: 'channelId',
				type: 'string',
				default: '',
				required: true,
				description: 'The ID of the Mehery channel to send over, e.g. your WhatsApp business number\'s channel',
			},
			phoneField({ displayName: 'To Phone Number', description: 'The recipient\'s number with its country code, e.g. +1 747 282 2486 (Mehery gets the digits)' }),
			{
				displayName: 'Message Type',
				name: 'type',
				type: 'options',
				default: 'text',
				options: [
					{ name: 'Audio', value: 'audio', description: 'An audio file from a public link' },
					{ name: 'Contacts', value: 'contacts', description: 'Contact cards' },
					{ name: 'Document', value: 'document', description: 'A document from a public link' },
					{ name: 'Image', value: 'image', description: 'An image from a public link' },
					{ name: 'Location', value: 'location', description: 'A point on the map' },
					{ name: 'Opt In', value: 'optin', description: 'Record that the recipient agreed to receive messages' },
					{ name: 'Opt Out', value: 'optout', description: 'Record that the recipient no longer wants messages' },
					{ name: 'System', value: 'system', description: 'A system message' },
					{ name: 'Template', value: 'template', description: 'An approved template, with its placeholders filled' },
					{ name: 'Text', value: 'text' },
					{ name: 'Video', value: 'video', description: 'A video from a public link' },
					{ name: 'Voice', value: 'voice', description: 'A voice note from a public link' },
				],
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				description: 'The message; emoji are fine',
				displayOptions: forTypes(...TEXT_TYPES),
			},
			{
				displayName: 'Media URL',
				name: 'mediaUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/brochure.pdf',
				description: 'A public link to the file: Mehery downloads it from there',
				displayOptions: forTypes(...MEDIA_TYPES),
			},
			{
				displayName: 'Caption',
				name: 'caption',
				type: 'string',
				default: '',
				description: 'Text shown with the file',
				displayOptions: forTypes(...MEDIA_TYPES),
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'brochure.pdf',
				description: 'The name the recipient sees',
				displayOptions: forTypes(...MEDIA_TYPES),
			},
			...coordinateFields(forTypes('location')),
			{ displayName: 'Location Name', name: 'locationName', type: 'string', default: '', placeholder: 'Head office', displayOptions: forTypes('location') },
			{ displayName: 'Address', name: 'address', type: 'string', default: '', placeholder: '1 Main Street, Springfield', displayOptions: forTypes('location') },
			{
				displayName: 'Contacts',
				name: 'contacts',
				type: 'json',
				default: CONTACTS_EXAMPLE,
				required: true,
				description: 'The contact cards as a JSON list. Mehery\'s document gives no model for them; this is WhatsApp\'s format.',
				displayOptions: forTypes('contacts'),
			},
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				default: '',
				required: true,
				description: 'The unique ID of the approved template',
				displayOptions: forTypes('template'),
			},
			{
				displayName: 'Template Data',
				name: 'templateData',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Placeholder',
				default: {},
				description: 'Values for the template\'s placeholders. A missing one is sent blank, and Mehery may reject a message that no longer matches the approved template.',
				displayOptions: forTypes('template'),
				options: [
					{
						displayName: 'Placeholder',
						name: 'placeholders',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'first_name' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{ displayName: 'Recipient Name', name: 'recipientName', type: 'string', default: '', description: 'Used instead of the name Mehery has for the contact' },
			{ displayName: 'Recipient Email', name: 'recipientEmail', type: 'string', default: '', placeholder: 'name@email.com', description: 'The contact\'s email address' },
			{ displayName: 'Mask', name: 'mask', type: 'boolean', default: false, description: 'Whether Mehery masks the message data (e.g. in its logs and inbox)' },
		],
		request(item) {
			const type = item.string('type');
			const body: IDataObject = {
				channelId: item.string('channelId'),
				to: recipient(item),
				type,
				mask: item.boolean('mask'),
				...content(item, type),
			};
			return { method: 'POST', path: 'api/v1/message/send', body };
		},
		output: (result) => envelopeData(result),
	},
];

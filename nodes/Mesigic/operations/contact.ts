import type { INodeProperties } from 'n8n-workflow';

import { idField, phoneField } from '../../shared/fields';
import type { ItemReader } from '../../shared/item-reader';
import { checkMedia, MB } from '../../shared/media';
import { formFields, type MultipartPart } from '../../shared/multipart';
import type { Operation } from '../../shared/operation';
import { toCountryAndNational } from '../../shared/phone';
import { MESIGIC_LIST, MESIGIC_SUCCESS, mesigicPages, pick } from '../api';

const addressFields: INodeProperties[] = [
	{ displayName: 'Address', name: 'address', type: 'string', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{ displayName: 'Post Code', name: 'postCode', type: 'string', default: '' },
	{
		displayName: 'Profile Image Binary Field',
		name: 'profileImageBinaryField',
		type: 'string',
		default: 'data',
		description: 'Name of the input binary field holding the profile picture (jpg or png)',
	},
	{ displayName: 'State', name: 'state', type: 'string', default: '' },
];

const nameFields: INodeProperties[] = [
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
];

const PROFILE_IMAGE = { label: 'Profile image', maxBytes: 5 * MB, extensions: ['jpg', 'jpeg', 'png'] };

/** The contact form fields of a collection (Additional Fields / Update Fields) in Mesigic's names. */
async function contactParts(item: ItemReader, collection: string): Promise<MultipartPart[]> {
	const values = item.collection(collection);
	const text = (key: string) => (values[key] === undefined ? undefined : String(values[key]).trim());
	const phone = text('phone') ? toCountryAndNational(item.phone(`${collection}.phone`, text('phone'))) : undefined;
	const parts: MultipartPart[] = formFields({
		firstname: text('firstName'),
		lastname: text('lastName'),
		mobile_code: phone?.mobileCode,
		mobile: phone?.mobile,
		city: text('city'),
		state: text('state'),
		post_code: text('postCode'),
		address: text('address'),
	});
	const imageField = text('profileImageBinaryField');
	if (imageField) {
		const binary = item.ctx.getInputData()[item.index]?.binary?.[imageField];
		if (!binary) item.fail(`The input item has no binary field "${imageField}" for the profile image`, 'Enter the binary field that holds the picture in "Profile Image Binary Field", or remove that field.');
		const data = await item.ctx.helpers.getBinaryDataBuffer(item.index, imageField);
		const file = checkMedia(item, { data, fileName: binary.fileName ?? 'profile.jpg', mimeType: binary.mimeType }, PROFILE_IMAGE, `the input binary field "${imageField}"`);
		parts.push({ field: 'profile_image', file });
	}
	return parts;
}

export const contactOperations: Operation[] = [
	{
		resource: 'contact',
		value: 'create',
		success: MESIGIC_SUCCESS,
		name: 'Create',
		action: 'Create a contact',
		fields: [
			{ ...nameFields[0], required: true },
			{ ...nameFields[1], required: true },
			phoneField({ description: 'The contact\'s mobile number with its country code, e.g. +880 1988-123456' }),
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: addressFields,
			},
		],
		async request(item) {
			const { mobileCode, mobile } = toCountryAndNational(item.phone('phone'));
			return {
				method: 'POST',
				path: 'contact/store',
				form: [
					...formFields({ firstname: item.string('firstName'), lastname: item.string('lastName'), mobile_code: mobileCode, mobile }),
					...(await contactParts(item, 'additionalFields')),
				],
			};
		},
		output: pick('contact'),
	},
	{
		resource: 'contact',
		value: 'update',
		success: MESIGIC_SUCCESS,
		name: 'Update',
		action: 'Update a contact',
		fields: [
			idField('Contact ID', 'contactId', 'The ID of the contact to change'),
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				description: 'Only the fields you add are changed',
				options: [...addressFields, ...nameFields, phoneField({ required: false })].sort((a, b) => a.displayName.localeCompare(b.displayName)),
			},
		],
		async request(item) {
			const id = item.id('contactId');
			const form = await contactParts(item, 'updateFields');
			if (!form.length) item.fail('Nothing to update', 'Add at least one field under "Update Fields".');
			return { method: 'POST', path: `contact/update/${id}`, form };
		},
		output: pick('contact'),
	},
	{
		resource: 'contact',
		value: 'delete',
		success: MESIGIC_SUCCESS,
		name: 'Delete',
		action: 'Delete a contact',
		description: 'Mesigic may refuse to delete a contact that has messages or is blocked',
		fields: [idField('Contact ID', 'contactId', 'The ID of the contact to delete')],
		idempotent: true,
		request: (item) => ({ method: 'DELETE', path: `contact/delete/${item.id('contactId')}` }),
		output: (_result, item) => ({ id: item.id('contactId'), deleted: true }),
	},
	{
		resource: 'contact',
		value: 'getAll',
		success: MESIGIC_LIST,
		name: 'Get Many',
		action: 'Get many contacts',
		fields: [
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Only contacts whose first name, last name or mobile number contains this text',
			},
		],
		idempotent: true,
		pages: mesigicPages,
		request: (item) => ({ method: 'GET', path: 'contact/list', query: item.optionalString('search') ? { search: item.optionalString('search') } : {} }),
	},
];

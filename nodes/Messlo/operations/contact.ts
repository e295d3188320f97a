import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { phoneField } from '../../shared/fields';
import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { toE164 } from '../../shared/phone';
import { additionalBodyFieldsOption, dataOf, LIST_KEYS, listEntries, messloPages, MESSLO_SUCCESS, pairsObject, withAdditionalFields } from '../api';
import { contactIdField, segmentsField, tagsField } from '../fields';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const nameOption: INodeProperties = { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The contact\'s name' };
const emailOption: INodeProperties = { displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'The contact\'s email address' };

function email(item: ItemReader, collection: string, value: unknown): string | undefined {
	const address = item.text(`${collection}.email`, value);
	if (address !== undefined && !EMAIL.test(address)) {
		item.fail(`${item.label(`${collection}.email`)} "${address}" is not an email address`, 'Enter an address such as jane@example.com, or remove the field.');
	}
	return address;
}

/** Name and email of a collection, as Messlo names them, leaving out the ones not given. */
function nameAndEmail(item: ItemReader, collection: string): IDataObject {
	const values = item.collection(collection);
	const body: IDataObject = {};
	const name = item.text(`${collection}.name`, values.name);
	const address = email(item, collection, values.email);
	if (name !== undefined) body.name = name;
	if (address !== undefined) body.email = address;
	return body;
}

export const contactOperations: Operation[] = [
	{
		resource: 'contact',
		value: 'getAll',
		success: MESSLO_SUCCESS.contacts,
		name: 'Get Many',
		action: 'Get many contacts',
		fields: [{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only contacts that match this text (name, number, …)' }],
		idempotent: true,
		pages: messloPages(LIST_KEYS.contacts, 100),
		request: (item) => {
			const search = item.optionalString('search');
			return { method: 'GET', path: 'api/contacts', query: search ? { search } : {} };
		},
	},
	{
		resource: 'contact',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a contact',
		fields: [
			phoneField({ description: 'The contact\'s number with its country code, in any common form, e.g. +91 98765 43210 (Messlo gets +919876543210)' }),
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [additionalBodyFieldsOption, emailOption, nameOption],
			},
		],
		request: (item) => ({
			method: 'POST',
			path: 'api/contacts',
			body: withAdditionalFields(item, 'additionalFields', { phone_number: toE164(item.phone('phone')), ...nameAndEmail(item, 'additionalFields') }),
		}),
		output: dataOf,
	},
	{
		resource: 'contact',
		value: 'update',
		success: MESSLO_SUCCESS.done,
		name: 'Update',
		action: 'Update a contact',
		fields: [
			contactIdField,
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				description: 'Only the fields you add are changed',
				options: [
					additionalBodyFieldsOption,
					{
						displayName: 'Custom Fields',
						name: 'customFields',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Custom Field',
						default: {},
						description: 'Values of the account\'s custom fields, each by the field\'s name (see the custom fields list in Messlo)',
						options: [
							{
								displayName: 'Field',
								name: 'field',
								values: [
									{ displayName: 'Name', name: 'key', type: 'string', default: '', placeholder: 'interest' },
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
					emailOption,
					nameOption,
					phoneField({ required: false, description: 'The contact\'s new number with its country code, in any common form' }),
					segmentsField({ displayName: 'Segment Names or IDs', name: 'segments' }),
					tagsField({ displayName: 'Tag Names or IDs', name: 'tags' }),
				],
			},
		],
		idempotent: true,
		request: (item) => {
			const id = item.pathSegment('contactId');
			const values = item.collection('updateFields');
			const body: IDataObject = nameAndEmail(item, 'updateFields');
			const phone = item.text('updateFields.phone', values.phone);
			if (phone !== undefined) body.phone_number = toE164(item.phone('updateFields.phone', phone));
			if (values.customFields !== undefined) {
				const fields = pairsObject(item, item.label('updateFields.customFields'), (values.customFields as IDataObject).field, 'name');
				if (Object.keys(fields).length) body.custom_fields = fields;
			}
			if (values.tags !== undefined) body.tags = listEntries(item, 'updateFields.tags', values.tags);
			if (values.segments !== undefined) body.segments = listEntries(item, 'updateFields.segments', values.segments);
			const full = withAdditionalFields(item, 'updateFields', body);
			if (!Object.keys(full).length) item.fail('Nothing to update', 'Add at least one field under "Update Fields".');
			return { method: 'PUT', path: `api/contacts/${id}`, body: full };
		},
		output: dataOf,
	},
];

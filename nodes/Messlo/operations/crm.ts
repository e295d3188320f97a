import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { additionalBodyFieldsOption, dataOf, LIST_KEYS, messloPages, MESSLO_SUCCESS, withAdditionalFields } from '../api';

const searchField = (what: string): INodeProperties => ({ displayName: 'Search', name: 'search', type: 'string', default: '', description: `Only ${what} that match this text` });

/** A list's search as its query, when one is given. */
function searchQuery(item: ItemReader): IDataObject {
	const search = item.optionalString('search');
	return search === undefined ? {} : { search };
}

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

export const crmOperations: Operation[] = [
	{
		resource: 'segment',
		value: 'getAll',
		success: MESSLO_SUCCESS.segments,
		name: 'Get Many',
		action: 'Get many segments',
		fields: [searchField('segments')],
		idempotent: true,
		pages: messloPages(LIST_KEYS.segments, 100),
		request: (item) => ({ method: 'GET', path: 'api/segments', query: searchQuery(item) }),
	},
	{
		resource: 'segment',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a segment',
		description: 'A group of contacts that automations (add_to_segment) and campaigns work with',
		fields: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'Active buyers' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [additionalBodyFieldsOption, { displayName: 'Description', name: 'description', type: 'string', default: '' }],
			},
		],
		request: (item) => {
			const description = item.text('options.description', item.collection('options').description);
			const body: IDataObject = { name: item.string('name'), ...(description === undefined ? {} : { description }) };
			return { method: 'POST', path: 'api/segments', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
	{
		resource: 'tag',
		value: 'getAll',
		success: MESSLO_SUCCESS.tags,
		name: 'Get Many',
		action: 'Get many tags',
		fields: [searchField('tags')],
		idempotent: true,
		pages: messloPages(LIST_KEYS.tags, 100),
		request: (item) => ({ method: 'GET', path: 'api/tags', query: searchQuery(item) }),
	},
	{
		resource: 'tag',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a tag',
		fields: [
			{ displayName: 'Label', name: 'label', type: 'string', default: '', required: true, placeholder: 'VIP', description: 'The tag\'s name as contacts show it' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [additionalBodyFieldsOption, { displayName: 'Color', name: 'color', type: 'color', default: '#e11d48', description: 'The tag\'s colour, as #rrggbb' }],
			},
		],
		request: (item) => {
			const color = item.text('options.color', item.collection('options').color);
			if (color !== undefined && !HEX_COLOUR.test(color)) item.fail(`Color "${color}" is not a colour like #e11d48`, 'Pick a colour, or give one as # and six hexadecimal digits.');
			const body: IDataObject = { label: item.string('label'), ...(color === undefined ? {} : { color }) };
			return { method: 'POST', path: 'api/tags', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
	{
		resource: 'customField',
		value: 'getAll',
		success: MESSLO_SUCCESS.customFields,
		name: 'Get Many',
		action: 'Get many custom fields',
		description: 'The account\'s custom contact fields; each one\'s name is its key in Contact → Update → Custom Fields',
		fields: [],
		idempotent: true,
		pages: messloPages(LIST_KEYS.customFields, 100),
		request: () => ({ method: 'GET', path: 'api/custom-fields' }),
	},
];

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { additionalBodyFieldsOption, dataOf, jsonObject, keyValues, LIST_KEYS, MESSLO_SUCCESS, recordsOf, withAdditionalFields } from '../api';
import { keyValueField } from '../fields';

const packField: INodeProperties = {
	displayName: 'Industry Pack Name or ID',
	name: 'packSlug',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getIndustryPacks' },
	default: '',
	required: true,
	description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'The pack\'s slug, e.g. real_estate_builder, school or ngo',
};

const personalizationField = (description: string): INodeProperties => ({
	...keyValueField('Personalization', 'personalization', description, 'company_name'),
	placeholder: 'Add Value',
});

export const packOperations: Operation[] = [
	{
		resource: 'industryPack',
		value: 'getAll',
		success: MESSLO_SUCCESS.packs,
		name: 'Get Many',
		action: 'Get the public industry packs',
		description: 'The ready-made setups per industry (tags, segments, custom fields, flows), one item each',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'api/industry-packs/public' }),
		output: recordsOf(LIST_KEYS.packs),
	},
	{
		resource: 'industryPack',
		value: 'preview',
		success: MESSLO_SUCCESS.done,
		name: 'Preview',
		action: 'Preview an industry pack',
		description: 'What a pack would set up, with your business\'s details filled in',
		fields: [packField, personalizationField('Values filled into the pack\'s texts, e.g. company_name = Acme School, city = Pune')],
		idempotent: true,
		request: (item) => ({ method: 'GET', path: `api/industry-packs/public/${item.pathSegment('packSlug')}/preview`, query: keyValues(item, 'personalization', 'variable', 'name') }),
		output: dataOf,
	},
	{
		resource: 'industryPack',
		value: 'apply',
		success: MESSLO_SUCCESS.done,
		name: 'Apply',
		action: 'Apply an industry pack',
		description: 'Add a pack\'s tags, segments, custom fields and flows to the workspace (what exists stays)',
		fields: [
			packField,
			personalizationField('Your business\'s details for the pack\'s texts, e.g. company_name = Acme School'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					additionalBodyFieldsOption,
					{
						displayName: 'Setup Overrides (JSON)',
						name: 'setupOverrides',
						type: 'json',
						default: '{}',
						description: 'Changes to the pack\'s setup as one JSON object: projects, property_types, integrations',
					},
				],
			},
		],
		request: (item) => {
			const personalization = keyValues(item, 'personalization', 'variable', 'name');
			const overrides = jsonObject(item, item.label('options.setupOverrides'), item.collection('options').setupOverrides);
			const body: IDataObject = {
				pack_slug: item.string('packSlug'),
				...(Object.keys(personalization).length ? { personalization } : {}),
				...(Object.keys(overrides).length ? { setup_overrides: overrides } : {}),
			};
			return { method: 'POST', path: 'api/industry-packs/apply', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
];

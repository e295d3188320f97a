import type { IDataObject } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { additionalBodyFieldsOption, dataOf, jsonObject, jsonObjectList, LIST_KEYS, messloPages, MESSLO_SUCCESS, withAdditionalFields } from '../api';
import { wabaField } from '../fields';

const FIELDS_EXAMPLE = '[{"type": "text", "label": "Full name", "required": true}, {"type": "email", "label": "Email"}]';

const nonEmptyText = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/** The form's fields: objects with a type and a label each. */
function formFields(item: ItemReader): IDataObject[] {
	const label = item.label('fields');
	const fields = jsonObjectList(item, label, item.raw('fields', ''), FIELDS_EXAMPLE);
	if (!fields.length) item.fail(`${label} is empty`, `A form needs at least one field, e.g. ${FIELDS_EXAMPLE}.`);
	fields.forEach((field, index) => {
		for (const key of ['type', 'label']) {
			if (!nonEmptyText(field[key])) item.fail(`${label}: field ${index + 1} has no "${key}"`, `Give every field its type and label, e.g. ${FIELDS_EXAMPLE}.`);
		}
		if (field.options !== undefined && !(Array.isArray(field.options) && field.options.every((option) => typeof option === 'object' && option !== null && !Array.isArray(option)))) {
			item.fail(`${label}: field ${index + 1} ("${field.label as string}"): "options" must be a list of objects`, 'E.g. "options": [{"id": "a", "title": "Option A"}].');
		}
	});
	return fields;
}

export const formOperations: Operation[] = [
	{
		resource: 'form',
		value: 'getAll',
		success: MESSLO_SUCCESS.forms,
		name: 'Get Many',
		action: 'Get many forms',
		description: 'The WhatsApp Flow forms of a WhatsApp Business Account',
		fields: [
			wabaField(),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{ displayName: 'Category', name: 'category', type: 'string', default: '', placeholder: 'CUSTOM' },
					{ displayName: 'Meta Status', name: 'metaStatus', type: 'string', default: '', placeholder: 'PUBLISHED', description: 'Only forms in this state at Meta, e.g. DRAFT or PUBLISHED' },
					{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only forms whose name contains this text' },
				],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.forms, 100),
		request: (item) => {
			const filters = item.collection('filters');
			const query: IDataObject = { waba_id: item.string('wabaId') };
			for (const [key, name] of [
				['search', 'search'],
				['metaStatus', 'meta_status'],
				['category', 'category'],
			]) {
				const value = item.text(`filters.${key}`, filters[key]);
				if (value !== undefined) query[name] = value;
			}
			return { method: 'GET', path: 'api/forms', query };
		},
	},
	{
		resource: 'form',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a form',
		description: 'Create a WhatsApp Flow lead form (publish it before use)',
		fields: [
			wabaField(),
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'Book a demo' },
			{
				displayName: 'Fields (JSON)',
				name: 'fields',
				type: 'json',
				default: '[]',
				required: true,
				placeholder: FIELDS_EXAMPLE,
				description: 'The form\'s fields as a JSON list of objects, each with its type and label (and optionally its ID, name, required, step, order and options)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'Active', name: 'isActive', type: 'boolean', default: true, description: 'Whether the form is in use' },
					additionalBodyFieldsOption,
					{ displayName: 'Category', name: 'category', type: 'string', default: 'CUSTOM', description: 'The form\'s category; Messlo\'s default is CUSTOM' },
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
					{ displayName: 'Submit Settings (JSON)', name: 'submitSettings', type: 'json', default: '{}', description: 'What happens on submit, as one JSON object' },
				],
			},
		],
		request: (item) => {
			const options = item.collection('options');
			const body: IDataObject = { waba_id: item.string('wabaId'), name: item.string('name'), fields: formFields(item) };
			const category = item.text('options.category', options.category);
			const description = item.text('options.description', options.description);
			if (category !== undefined) body.category = category;
			if (description !== undefined) body.description = description;
			if (options.isActive !== undefined) body.is_active = options.isActive === true;
			const submit = jsonObject(item, item.label('options.submitSettings'), options.submitSettings);
			if (Object.keys(submit).length) body.submit_settings = submit;
			return { method: 'POST', path: 'api/forms', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
	{
		resource: 'form',
		value: 'publish',
		success: MESSLO_SUCCESS.done,
		name: 'Publish',
		action: 'Publish a form',
		description: 'Publish a form at Meta, so that it can be sent on WhatsApp',
		fields: [
			{
				displayName: 'Form Name or ID',
				name: 'formId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getForms' },
				default: '',
				required: true,
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Messlo\'s ID of the form (not the Meta flow ID)',
			},
		],
		idempotent: true,
		request: (item) => ({ method: 'PATCH', path: `api/forms/${item.pathSegment('formId')}/publish` }),
		output: dataOf,
	},
];

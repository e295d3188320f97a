import type { IDataObject } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { additionalBodyFieldsOption, dataOf, keyValues, LIST_KEYS, messloPages, MESSLO_SUCCESS, withAdditionalFields } from '../api';
import { keyValueField, wabaField } from '../fields';

/** Where Messlo's answer to a new order webhook holds its secret (shown once). */
const WEBHOOK_SECRETS = ['secret_key', 'secretKey', 'secret', 'webhook_secret'];

/** A dot path into the store's order payload, e.g. customer.phone. */
const DOT_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

const optionsField = {
	displayName: 'Options',
	name: 'options',
	type: 'collection' as const,
	placeholder: 'Add Option',
	default: {},
	options: [additionalBodyFieldsOption],
};

export const commerceOperations: Operation[] = [
	{
		resource: 'catalog',
		value: 'sync',
		success: MESSLO_SUCCESS.done,
		name: 'Sync',
		action: 'Sync the catalogs of a WABA',
		description: 'Pull a WhatsApp Business Account\'s catalogs from Meta Commerce Manager into Messlo',
		fields: [wabaField()],
		idempotent: true,
		request: (item) => ({ method: 'POST', path: `api/ecommerce-catalog/waba/${item.pathSegment('wabaId')}/sync-catalogs`, body: {} }),
		output: dataOf,
	},
	{
		resource: 'catalog',
		value: 'getProducts',
		success: MESSLO_SUCCESS.products,
		name: 'Get Products',
		action: 'Get the products of a catalog',
		fields: [
			{
				displayName: 'Catalog Name or ID',
				name: 'catalogId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCatalogs' },
				default: '',
				required: true,
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Messlo\'s ID of the catalog (not Meta\'s catalog ID)',
			},
			{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only products whose name or retailer ID matches this text' },
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.products, 100),
		request: (item) => {
			const search = item.optionalString('search');
			return { method: 'GET', path: `api/ecommerce-catalog/catalog/${item.pathSegment('catalogId')}/products`, query: search === undefined ? {} : { search } };
		},
	},
	{
		resource: 'orderWebhook',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create an order webhook',
		description: 'A Messlo address your store (Shopify, WooCommerce, …) calls on each order; Messlo then sends the mapped template',
		fields: [
			{ displayName: 'Name', name: 'webhookName', type: 'string', default: '', required: true, placeholder: 'Shopify orders' },
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				default: 'POST',
				options: [
					{ name: 'GET', value: 'GET' },
					{ name: 'POST', value: 'POST' },
					{ name: 'PUT', value: 'PUT' },
				],
				description: 'The HTTP method the store calls the webhook with',
			},
			{ displayName: 'Require Auth', name: 'requireAuth', type: 'boolean', default: false, description: 'Whether the store must send the webhook\'s secret key with each call' },
			optionsField,
			{
				displayName: 'The answer holds the webhook\'s secret key, which Messlo shows only this once: store it where the store\'s settings can use it. The node never puts it in an error.',
				name: 'secretNotice',
				type: 'notice',
				default: '',
			},
		],
		request: (item) => ({
			method: 'POST',
			path: 'api/ecommerce-webhook/create',
			body: withAdditionalFields(item, 'options', { webhook_name: item.string('webhookName'), require_auth: item.boolean('requireAuth'), method: item.string('method') }),
			secretAnswerFields: WEBHOOK_SECRETS,
		}),
		output: dataOf,
	},
	{
		resource: 'orderWebhook',
		value: 'mapTemplate',
		success: MESSLO_SUCCESS.done,
		name: 'Map Template',
		action: 'Map a template to an order webhook',
		description: 'Choose the approved template each order sends, the order\'s phone number field, and which order fields fill its variables',
		fields: [
			{
				displayName: 'Order Webhook Name or ID',
				name: 'webhookId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getOrderWebhooks' },
				default: '',
				required: true,
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Template Name or ID',
				name: 'templateId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getTemplateIds' },
				default: '',
				required: true,
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'An approved template (approved ones are listed first)',
			},
			{
				displayName: 'Phone Number Field',
				name: 'phoneNumberField',
				type: 'string',
				default: 'customer.phone',
				required: true,
				description: 'Where the customer\'s number is in the store\'s order, as a dot path',
			},
			keyValueField(
				'Variables',
				'variables',
				'Which field of the order fills each template variable, as a dot path: key 1 fills {{1}} (e.g. order.name), key header gives the header\'s media link (e.g. invoice.pdf_url)',
			),
			optionsField,
			{
				displayName: 'Map the template after the store has sent its first order to the webhook: Messlo checks the fields against it',
				name: 'mapNotice',
				type: 'notice',
				default: '',
			},
		],
		idempotent: true,
		request: (item) => {
			const phoneField = item.string('phoneNumberField');
			if (!DOT_PATH.test(phoneField)) item.fail(`Phone Number Field "${phoneField}" is not a dot path`, 'Name the field as a path through the order, e.g. customer.phone or billing.phone.');
			const variables = keyValues(item, 'variables');
			for (const [key, path] of Object.entries(variables)) {
				if (!DOT_PATH.test(String(path))) item.fail(`Variables: the field for "${key}" is not a dot path: "${String(path)}"`, 'Name the order field as a path, e.g. order.name.');
			}
			const body: IDataObject = { template_id: item.string('templateId'), phone_number_field: phoneField, ...(Object.keys(variables).length ? { variables } : {}) };
			return { method: 'POST', path: `api/ecommerce-webhook/${item.pathSegment('webhookId')}/map-template`, body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
];

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import { checkMedia, inputBinaryFile } from '../../shared/media';
import type { MultipartPart } from '../../shared/multipart';
import type { Operation, RequestSpec } from '../../shared/operation';
import { httpUrl } from '../../shared/url';
import {
	additionalBodyFieldsOption,
	dataOf,
	instantOf,
	isoUtc,
	keyValues,
	LIST_KEYS,
	listEntries,
	mediaKindOf,
	messloDigits,
	MESSLO_SUCCESS,
	messloWholeList,
	textParts,
	UPLOAD_RULES,
	withAdditionalFields,
} from '../api';
import { keyValueField, tagsField, templateNameField, wabaField } from '../fields';

const forTypes = (...types: string[]): INodeProperties['displayOptions'] => ({ show: { campaignType: types } });

/** The campaign variants of Messlo's document, each with the fields its template needs. */
const CAMPAIGN_TYPES = [
	{ name: 'Dynamic Coupon', value: 'coupon', description: 'For a coupon code template: the code to send' },
	{ name: 'Limited-Time Offer', value: 'limitedTimeOffer', description: 'For a limited-time offer template: when the offer expires' },
	{ name: 'Media Carousel by URLs', value: 'mediaCarousel', description: 'For a media carousel template, with the cards\' media given by links' },
	{ name: 'Media Carousel From Files', value: 'mediaCarouselUpload', description: 'For a media carousel template, with the cards\' media uploaded from the input item\'s binary data' },
	{ name: 'Media Header', value: 'media', description: 'For a template with an image, video or document header: the file by link' },
	{ name: 'Product Carousel', value: 'productCarousel', description: 'For a product carousel template: the catalog products of the cards' },
	{ name: 'Template Only', value: 'standard', description: 'A template with at most text variables' },
];

const CAROUSEL_NOTICE =
	'Messlo\'s API document gives no fields for the cards of a media carousel campaign. Give them under Options → Additional Body Fields (JSON), as Messlo expects them.';

/** The contact numbers of a specific-contacts campaign, in Messlo's digits, each once. */
function contactNumbers(item: ItemReader): string[] {
	const numbers = [...new Set(listEntries(item, 'contactNumbers').map((entry) => messloDigits(item, 'contactNumbers', entry)))];
	if (!numbers.length) item.fail('Contact Numbers is empty', 'Enter at least one WhatsApp number, one per line, or choose another Recipients option.');
	return numbers;
}

function recipients(item: ItemReader): IDataObject {
	const type = item.string('recipientType');
	if (type === 'specific_contacts') return { recipient_type: type, contact_numbers: contactNumbers(item) };
	if (type === 'tags') {
		const tags = listEntries(item, 'tagIds');
		if (!tags.length) item.fail('Tag Names or IDs is empty', 'Choose at least one tag, or another Recipients option.');
		return { recipient_type: type, tag_ids: tags };
	}
	return { recipient_type: 'all_contacts' };
}

function schedule(item: ItemReader): IDataObject {
	if (!item.boolean('schedule')) return {};
	const at = instantOf(item, 'scheduledAt', item.raw('scheduledAt', ''));
	if (at < Date.now()) {
		item.fail(`Send At (${isoUtc(at)}) is in the past`, 'Pick a time in the future, or turn Schedule off to send without a set time.');
	}
	return { is_scheduled: true, scheduled_at: isoUtc(at) };
}

function carouselProducts(item: ItemReader): IDataObject[] {
	const products = ((item.collection('carouselProducts').product as IDataObject[] | undefined) ?? []).map((product, index) => {
		const retailerId = item.text('carouselProducts', product.productRetailerId);
		const catalogId = item.text('carouselProducts', product.catalogId);
		if (retailerId === undefined || catalogId === undefined) {
			item.fail(`Products: product ${index + 1} has no ${retailerId === undefined ? 'Product Retailer ID' : 'Catalog ID'}`, 'Give every product both IDs, or remove it.');
		}
		return { product_retailer_id: retailerId, catalog_id: catalogId };
	});
	if (!products.length) item.fail('Products is empty', 'Add the catalog products of the carousel cards.');
	return products;
}

/** The fields of the chosen campaign type, in Messlo's names. */
function typeFields(item: ItemReader, type: string): IDataObject {
	switch (type) {
		case 'media':
			return { media_url: httpUrl(item, 'mediaUrl', { fix: 'Messlo sends the file from this link to every recipient, so it must be public.' }) };
		case 'coupon':
			return { coupon_code: item.string('couponCode') };
		case 'limitedTimeOffer':
			return { offer_expiration_minutes: item.number('offerExpirationMinutes') };
		case 'productCarousel':
			return { carousel_products: carouselProducts(item) };
		default:
			return {};
	}
}

async function uploadRequest(item: ItemReader, body: IDataObject): Promise<RequestSpec> {
	const part = item.string('filePartName');
	const properties = listEntries(item, 'binaryPropertyNames');
	if (!properties.length) item.fail('Input Binary Fields is empty', 'Enter the binary fields of the input item that hold the cards\' images or videos, e.g. card1, card2.');
	const files: MultipartPart[] = [];
	for (const property of properties) {
		const file = await inputBinaryFile(item, property, 'binaryPropertyNames');
		files.push({ field: part, file: checkMedia(item, file, UPLOAD_RULES[mediaKindOf(file)]) });
	}
	return { method: 'POST', path: 'api/campaigns', form: [...textParts(body), ...files] };
}

export const campaignOperations: Operation[] = [
	{
		resource: 'campaign',
		value: 'getAll',
		success: MESSLO_SUCCESS.campaigns,
		name: 'Get Many',
		action: 'Get many campaigns',
		description: 'The broadcast campaigns of the account, with their status',
		fields: [],
		idempotent: true,
		pages: messloWholeList(LIST_KEYS.campaigns),
		request: () => ({ method: 'GET', path: 'api/campaigns' }),
	},
	{
		resource: 'campaign',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a broadcast campaign',
		description: 'Broadcast an approved template to all contacts, to given numbers or to tagged contacts, now or at a set time',
		fields: [
			{ displayName: 'Campaign Name', name: 'campaignName', type: 'string', default: '', required: true, placeholder: 'March Newsletter' },
			wabaField(),
			templateNameField({ typeOptions: { loadOptionsMethod: 'getTemplates', loadOptionsDependsOn: ['wabaId'] }, hint: 'An approved template of the WABA above, by name' }),
			{ displayName: 'Campaign Type', name: 'campaignType', type: 'options', default: 'standard', options: CAMPAIGN_TYPES },
			{
				displayName: 'Recipients',
				name: 'recipientType',
				type: 'options',
				default: 'all_contacts',
				options: [
					{ name: 'All Contacts', value: 'all_contacts' },
					{ name: 'Contacts With Tags', value: 'tags' },
					{ name: 'Specific Numbers', value: 'specific_contacts' },
				],
			},
			{
				displayName: 'Contact Numbers',
				name: 'contactNumbers',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: '+91 98765 43210\n+44 20 7946 0958',
				description: 'WhatsApp numbers with their country code, in any common form, one per line or separated by commas (or an expression giving a list)',
				displayOptions: { show: { recipientType: ['specific_contacts'] } },
			},
			tagsField({ required: true, displayOptions: { show: { recipientType: ['tags'] } } }),
			keyValueField('Template Variables', 'variablesMapping', 'Values for the template\'s variables, the same for every recipient: key 1 fills {{1}}, …'),
			{
				displayName: 'Media URL',
				name: 'mediaUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/banner.jpg',
				description: 'A public link to the header\'s image, video or document',
				displayOptions: forTypes('media'),
			},
			{ displayName: 'Coupon Code', name: 'couponCode', type: 'string', default: '', required: true, placeholder: 'SPRING20', displayOptions: forTypes('coupon') },
			{
				displayName: 'Offer Expires After (Minutes)',
				name: 'offerExpirationMinutes',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 60,
				required: true,
				displayOptions: forTypes('limitedTimeOffer'),
			},
			{
				displayName: 'Products',
				name: 'carouselProducts',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Product',
				default: {},
				description: 'The catalog product of each card, in order',
				displayOptions: forTypes('productCarousel'),
				options: [
					{
						displayName: 'Product',
						name: 'product',
						values: [
							{ displayName: 'Product Retailer ID', name: 'productRetailerId', type: 'string', default: '', placeholder: 'prod_1' },
							{ displayName: 'Catalog ID', name: 'catalogId', type: 'string', default: '', placeholder: 'cat_1' },
						],
					},
				],
			},
			{ displayName: CAROUSEL_NOTICE, name: 'mediaCarouselNotice', type: 'notice', default: '', displayOptions: forTypes('mediaCarousel') },
			{
				displayName: 'Input Binary Fields',
				name: 'binaryPropertyNames',
				type: 'string',
				default: 'data',
				required: true,
				placeholder: 'card1, card2, card3',
				description: 'The input item\'s binary fields holding the cards\' images or videos, in card order, separated by commas',
				displayOptions: forTypes('mediaCarouselUpload'),
			},
			{
				displayName: 'File Field Name',
				name: 'filePartName',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'files',
				description:
					'The name of the form field the files are uploaded in. Messlo\'s API document does not name it (nor the other fields of this variant): enter the name Messlo gives you. The campaign fields above are sent beside the files, lists as JSON text.',
				displayOptions: forTypes('mediaCarouselUpload'),
			},
			{ displayName: 'Schedule', name: 'schedule', type: 'boolean', default: false, description: 'Whether to send at a set time' },
			{
				displayName: 'Send At',
				name: 'scheduledAt',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'When Messlo sends the campaign (in the workflow\'s time zone unless the value has its own)',
				displayOptions: { show: { schedule: [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [additionalBodyFieldsOption],
			},
		],
		async request(item) {
			const type = item.string('campaignType');
			const variables = keyValues(item, 'variablesMapping');
			const body = withAdditionalFields(item, 'options', {
				name: item.string('campaignName'),
				waba_id: item.string('wabaId'),
				template_name: item.string('templateName'),
				...recipients(item),
				...(Object.keys(variables).length ? { variables_mapping: variables } : {}),
				...schedule(item),
				...typeFields(item, type),
			});
			if (type === 'mediaCarouselUpload') return await uploadRequest(item, body);
			return { method: 'POST', path: 'api/campaigns', body };
		},
		output: dataOf,
	},
];

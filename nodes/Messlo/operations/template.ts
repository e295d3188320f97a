import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemReader, TextRules } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { toE164 } from '../../shared/phone';
import { checkHttpUrl, httpUrl } from '../../shared/url';
import { additionalBodyFieldsOption, dataOf, listEntries, MESSLO_SUCCESS, pairsObject, withAdditionalFields } from '../api';
import { wabaField } from '../fields';

/** The kinds of template Messlo's document shows, each with its own fields. */
const KINDS = [
	{ name: 'Call Permission', value: 'callPermission', description: 'Asks the customer for permission to call them' },
	{ name: 'Call-to-Action Buttons', value: 'ctaButtons', description: 'A phone call button and website buttons' },
	{ name: 'Carousel', value: 'carousel', description: 'Scrollable cards' },
	{ name: 'Catalog Button', value: 'catalog', description: 'A button that opens your WhatsApp catalog' },
	{ name: 'Coupon Code', value: 'couponCode', description: 'A button that copies a coupon code' },
	{ name: 'Limited-Time Offer', value: 'limitedTimeOffer', description: 'An offer with a countdown' },
	{ name: 'Media Header by URL', value: 'mediaHeader', description: 'A document, image, video or audio header from a public link, e.g. a sample invoice PDF' },
	{ name: 'OTP (Authentication)', value: 'otp', description: 'A one-time password with a copy button (category Authentication)' },
	{ name: 'Quick Reply Buttons', value: 'quickReplies', description: 'Buttons the customer taps to answer' },
	{ name: 'Simple', value: 'simple', description: 'A body and an optional footer' },
	{ name: 'With Variables', value: 'variables', description: 'A body with variables {{1}}, {{2}}, … and a header' },
];

/** WhatsApp's limits on a template's texts. */
const BODY: TextRules = { maxLength: 1024 };
const HEADER_OR_FOOTER: TextRules = { maxLength: 60 };
const BUTTON: TextRules = { maxLength: 25 };

const forKinds = (...kinds: string[]): INodeProperties['displayOptions'] => ({ show: { templateKind: kinds } });
const exceptKinds = (...kinds: string[]): INodeProperties['displayOptions'] => ({ hide: { templateKind: kinds } });

const MEDIA_TYPES = [
	{ name: 'Audio', value: 'audio' },
	{ name: 'Document', value: 'document' },
	{ name: 'Image', value: 'image' },
	{ name: 'Video', value: 'video' },
];

const variableExamplesField = (kinds: string[], description: string): INodeProperties => ({
	displayName: 'Variable Examples',
	name: 'variableExamples',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Example',
	default: {},
	description,
	displayOptions: forKinds(...kinds),
	options: [
		{
			displayName: 'Example',
			name: 'example',
			values: [
				{ displayName: 'Variable', name: 'key', type: 'string', default: '', placeholder: '1', description: 'The variable\'s number: 1 for {{1}}' },
				{ displayName: 'Example', name: 'value', type: 'string', default: '', placeholder: 'John' },
			],
		},
	],
});

const buttonText = (displayName: string, name: string, kinds: string[], fallback: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: fallback,
	required: true,
	description,
	displayOptions: forKinds(...kinds),
});

/** The entries of fixedCollection `name` under `option`. */
const entries = (item: ItemReader, name: string, option: string) => (item.collection(name)[option] as IDataObject[] | undefined) ?? [];

function variableExamples(item: ItemReader): IDataObject {
	const examples = pairsObject(item, item.label('variableExamples'), entries(item, 'variableExamples', 'example'), 'variable');
	return Object.keys(examples).length ? { variable_examples: Object.entries(examples).map(([key, example]) => ({ key, example })) } : {};
}

function buttonEntryText(item: ItemReader, name: string, value: unknown, index: number): string {
	const text = item.text(name, value, BUTTON);
	if (text === undefined) item.fail(`${item.label(name)}: button ${index + 1} has no text`, 'Give every button its text, or remove it.');
	return text;
}

function quickReplyButtons(item: ItemReader): IDataObject[] {
	const buttons = entries(item, 'quickReplyButtons', 'button').map((button, index) => ({ type: 'quick_reply', text: buttonEntryText(item, 'quickReplyButtons', button.text, index) }));
	if (!buttons.length) item.fail(`${item.label('quickReplyButtons')} is empty`, 'Add at least one button.');
	return buttons;
}

function ctaButtons(item: ItemReader): IDataObject[] {
	const name = 'ctaButtons';
	const calls = entries(item, name, 'phoneCall').map((button, index) => {
		const number = item.text(name, button.phoneNumber);
		if (number === undefined) item.fail(`${item.label(name)}: phone call button ${index + 1} has no phone number`);
		return { type: 'phone_call', text: buttonEntryText(item, name, button.text, index), phone_number: toE164(item.phone(name, number)) };
	});
	const websites = entries(item, name, 'website').map((button, index) => ({
		type: 'website',
		text: buttonEntryText(item, name, button.text, index),
		website_url: checkHttpUrl(item, name, item.text(name, button.url) ?? '', { fix: 'Give each website button a full address, e.g. https://example.com.' }),
	}));
	if (!calls.length && !websites.length) item.fail(`${item.label(name)} is empty`, 'Add a phone call button, a website button, or both.');
	return [...calls, ...websites];
}

function carouselCards(item: ItemReader): IDataObject[] {
	const label = item.label('carouselCards');
	let cards = item.raw('carouselCards', '');
	if (typeof cards === 'string') {
		try {
			cards = JSON.parse(cards);
		} catch (error) {
			item.fail(`${label} is not valid JSON`, `${(error as Error).message}. Enter a JSON list of card objects.`);
		}
	}
	const list = Array.isArray(cards) ? cards : [cards];
	if (!list.length || !list.every((card) => typeof card === 'object' && card !== null && !Array.isArray(card))) {
		item.fail(`${label} must be a JSON list of card objects`, 'For example [{ … }, { … }]: one object per card, with the fields Messlo expects for a card.');
	}
	return list as IDataObject[];
}

/** The fields of the chosen kind, in Messlo's names. */
function kindFields(item: ItemReader, kind: string): IDataObject {
	if (kind === 'otp') {
		return {
			category: 'AUTHENTICATION',
			add_security_recommendation: item.boolean('addSecurityRecommendation'),
			code_expiration_minutes: item.number('codeExpirationMinutes'),
			otp_code_length: item.number('otpCodeLength'),
			otp_buttons: [{ otp_type: 'COPY_CODE', copy_button_text: item.string('copyButtonText', BUTTON) }],
		};
	}
	const footer = item.optionalString('footerText', HEADER_OR_FOOTER);
	const common: IDataObject = { message_body: item.string('messageBody', BODY), ...(footer === undefined ? {} : { footer_text: footer }) };
	switch (kind) {
		case 'simple':
			return common;
		case 'variables': {
			const header = item.optionalString('headerText', HEADER_OR_FOOTER);
			return { template_type: 'standard', ...(header === undefined ? {} : { header_text: header }), ...common, ...variableExamples(item) };
		}
		case 'quickReplies':
			return { ...common, buttons: quickReplyButtons(item) };
		case 'ctaButtons':
			return { ...common, buttons: ctaButtons(item) };
		case 'couponCode':
			return { ...common, buttons: [{ type: 'copy_code', text: item.string('couponCode') }] };
		case 'limitedTimeOffer':
			return { ...common, is_limited_time_offer: true, offer_text: item.string('offerText'), has_expiration: item.boolean('hasExpiration') };
		case 'catalog':
			return { ...common, buttons: [{ type: 'catalog', text: item.string('catalogButtonText', BUTTON) }] };
		case 'callPermission':
			return { ...common, call_permission: true };
		case 'carousel':
			return { ...common, carousel_cards: carouselCards(item) };
		case 'mediaHeader':
			return {
				...common,
				header_url: httpUrl(item, 'headerUrl', { httpsOnly: true, fix: 'Meta fetches the sample when the template is created: give a public https:// link (check it with Template → Validate Media URL).' }),
				header_media_type: item.string('headerMediaType'),
				...variableExamples(item),
			};
		default:
			return item.fail(`Template Kind "${kind}" is not one this node creates`, 'Choose a Template Kind from the list.');
	}
}

function templateName(item: ItemReader): string {
	const name = item.string('name');
	if (!/^[a-z0-9_]+$/.test(name)) {
		const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
		item.fail(`Name "${name}" is not a valid template name`, `Use lowercase letters, digits and underscores only${suggestion ? `, e.g. ${suggestion}` : ''}.`);
	}
	return name;
}

export const templateOperations: Operation[] = [
	{
		resource: 'template',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a template',
		description: 'Create a message template of any kind Messlo offers and submit it to Meta for approval',
		fields: [
			wabaField(),
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'order_update',
				description: 'The template\'s name: lowercase letters, digits and underscores',
			},
			{ displayName: 'Template Kind', name: 'templateKind', type: 'options', default: 'simple', options: KINDS },
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				default: 'MARKETING',
				options: [
					{ name: 'Authentication', value: 'AUTHENTICATION' },
					{ name: 'Marketing', value: 'MARKETING' },
					{ name: 'Utility', value: 'UTILITY' },
				],
				description: 'Meta\'s category of the template; an OTP template is always Authentication',
				displayOptions: exceptKinds('otp'),
			},
			{ displayName: 'Language', name: 'language', type: 'string', default: 'en_US', required: true, description: 'The template\'s language code, e.g. en_US' },
			{
				displayName: 'Header Text',
				name: 'headerText',
				type: 'string',
				default: '',
				placeholder: 'Hello {{name}}!',
				description: 'Text shown above the body',
				displayOptions: forKinds('variables'),
			},
			{
				displayName: 'Header URL',
				name: 'headerUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://cdn.example.com/samples/invoice-sample.pdf',
				description: 'A public https link to a sample of the header media; Meta fetches it when the template is created. Each send then gives its own file as Header Media URL.',
				displayOptions: forKinds('mediaHeader'),
			},
			{ displayName: 'Header Media Type', name: 'headerMediaType', type: 'options', default: 'document', options: MEDIA_TYPES, displayOptions: forKinds('mediaHeader') },
			{
				displayName: 'Message Body',
				name: 'messageBody',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: 'Hi {{1}}, your order {{2}} has been confirmed.',
				description: 'The template\'s text; {{1}}, {{2}}, … are variables filled in when it is sent',
				displayOptions: exceptKinds('otp'),
			},
			variableExamplesField(['variables'], 'An example value for each variable of the body, for Meta\'s review'),
			variableExamplesField(['mediaHeader'], 'An example value for each variable of the body ({{1}}, {{2}}, …), for Meta\'s review'),
			{
				displayName: 'Quick Reply Buttons',
				name: 'quickReplyButtons',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Button',
				default: {},
				displayOptions: forKinds('quickReplies'),
				options: [{ displayName: 'Button', name: 'button', values: [{ displayName: 'Text', name: 'text', type: 'string', default: '', placeholder: 'Excellent' }] }],
			},
			{
				displayName: 'Buttons',
				name: 'ctaButtons',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Button',
				default: {},
				description: 'Phone call buttons come first, then website buttons',
				displayOptions: forKinds('ctaButtons'),
				options: [
					{
						displayName: 'Phone Call',
						name: 'phoneCall',
						values: [
							{ displayName: 'Text', name: 'text', type: 'string', default: '', placeholder: 'Call Support' },
							{ displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '', placeholder: '+1 234 567 890', description: 'With its country code, in any common form' },
						],
					},
					{
						displayName: 'Website',
						name: 'website',
						values: [
							{ displayName: 'Text', name: 'text', type: 'string', default: '', placeholder: 'Visit Website' },
							{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com' },
						],
					},
				],
			},
			{
				displayName: 'Coupon Code',
				name: 'couponCode',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'SAVE20',
				description: 'The code the button copies',
				displayOptions: forKinds('couponCode'),
			},
			{
				displayName: 'Offer Text',
				name: 'offerText',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'Use code FLASH at checkout',
				displayOptions: forKinds('limitedTimeOffer'),
			},
			{ displayName: 'Has Expiration', name: 'hasExpiration', type: 'boolean', default: true, description: 'Whether the offer shows when it expires', displayOptions: forKinds('limitedTimeOffer') },
			buttonText('Catalog Button Text', 'catalogButtonText', ['catalog'], 'View Catalog', 'The text of the button that opens the catalog'),
			{
				displayName: 'Carousel Cards (JSON)',
				name: 'carouselCards',
				type: 'json',
				default: '[]',
				required: true,
				description: 'The cards as a JSON list of objects. Messlo\'s document gives no model for a card: write each card as Messlo expects it.',
				displayOptions: forKinds('carousel'),
			},
			{
				displayName: 'Add Security Recommendation',
				name: 'addSecurityRecommendation',
				type: 'boolean',
				default: true,
				description: 'Whether the message adds "For your security, do not share this code"',
				displayOptions: forKinds('otp'),
			},
			{
				displayName: 'Code Expiration (Minutes)',
				name: 'codeExpirationMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 90, numberPrecision: 0 },
				default: 10,
				description: 'How long the code is valid; WhatsApp shows it under the code',
				displayOptions: forKinds('otp'),
			},
			{
				displayName: 'Code Length',
				name: 'otpCodeLength',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 6,
				description: 'How many characters the code has',
				displayOptions: forKinds('otp'),
			},
			buttonText('Copy Button Text', 'copyButtonText', ['otp'], 'Copy Code', 'The text of the button that copies the code'),
			{ displayName: 'Footer Text', name: 'footerText', type: 'string', default: '', placeholder: 'Reply STOP to unsubscribe', displayOptions: exceptKinds('otp') },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [additionalBodyFieldsOption],
			},
		],
		request(item) {
			const kind = item.string('templateKind');
			const body: IDataObject = {
				waba_id: item.string('wabaId'),
				template_name: templateName(item),
				category: kind === 'otp' ? 'AUTHENTICATION' : item.string('category'),
				language: item.string('language'),
				...kindFields(item, kind),
			};
			return { method: 'POST', path: 'api/template/create', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
	{
		resource: 'template',
		value: 'validateMediaUrl',
		success: MESSLO_SUCCESS.mediaCheck,
		name: 'Validate Media URL',
		action: 'Validate a template media URL',
		description: 'Check that a media link is public and reachable, as Meta requires for a template header',
		fields: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true, placeholder: 'https://cdn.example.com/samples/invoice-sample.pdf' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [{ displayName: 'Media Type', name: 'mediaType', type: 'options', default: 'document', options: MEDIA_TYPES }],
			},
		],
		idempotent: true,
		request: (item) => {
			const mediaType = item.collection('options').mediaType;
			return {
				method: 'POST',
				path: 'api/template/validate-media-url',
				body: { url: httpUrl(item, 'url'), ...(mediaType ? { media_type: String(mediaType) } : {}) },
			};
		},
		output: dataOf,
	},
	{
		resource: 'template',
		value: 'syncStatus',
		success: MESSLO_SUCCESS.done,
		name: 'Sync Approval Status',
		action: 'Sync template approval status',
		description: 'Refresh the Meta approval status of the templates of a WABA',
		fields: [
			wabaField(),
			{
				displayName: 'Template Names or IDs',
				name: 'templateIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTemplateIds', loadOptionsDependsOn: ['wabaId'] },
				default: [],
				description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'None chosen: every template of the WABA',
			},
		],
		idempotent: true,
		request: (item) => {
			const ids = listEntries(item, 'templateIds');
			return { method: 'POST', path: 'api/template/sync-status', body: { waba_id: item.string('wabaId'), ...(ids.length ? { template_ids: ids } : {}) } };
		},
		output: dataOf,
	},
];

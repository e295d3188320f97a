/**
 * The Messlo node's templates (rows 24–36) and broadcast campaigns (rows 37–46) through the real
 * n8n-core engine against the Messlo simulator: every template kind and every campaign variant,
 * each asserting the exact body Messlo received.
 */
import type { IDataObject, INodeParameters, IWorkflowSettings } from 'n8n-workflow';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import type { InputItem } from '../support/engine';
import { startMesslo } from '../support/messlo';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesslo);

const run = (parameters: INodeParameters, options: { inputItems?: InputItem[]; settings?: IWorkflowSettings; inputJson?: IDataObject[] } = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Messlo', type: 'messlo', parameters }],
		credentials: { messloApi: env.sandbox.credentials },
		inputItems: options.inputItems,
		inputJson: options.inputJson,
		settings: options.settings,
	});

const received = (route: string) => env.sandbox.server.received(route).map((request) => request.body);
const accepted = (route: string) => env.sandbox.server.accepted(route).map((request) => request.body);

const CREATE = 'POST /api/template/create';
const waba = MESSLO_DEMO.wabaId;

describe('Messlo template create: every kind (rows 24–34)', () => {
	const create = (parameters: INodeParameters) => run({ resource: 'template', operation: 'create', wabaId: waba, language: 'en_US', ...parameters });
	const base = (name: string, category = 'MARKETING') => ({ waba_id: waba, template_name: name, category, language: 'en_US' });

	it.each<[string, INodeParameters, IDataObject]>([
		[
			'simple (row 24)',
			{ name: 'simple_announcement', templateKind: 'simple', messageBody: 'This is a simple announcement for the season.', footerText: 'Thank you' },
			{ ...base('simple_announcement'), message_body: 'This is a simple announcement for the season.', footer_text: 'Thank you' },
		],
		[
			'with variables (row 25)',
			{
				name: 'welcome_order',
				templateKind: 'variables',
				headerText: 'Hello {{name}}!',
				messageBody: 'Hi {{1}}, your order {{2}} has been confirmed. Total: {{3}}.',
				footerText: 'Reply STOP to unsubscribe',
				variableExamples: { example: [{ key: '1', value: 'John' }, { key: '2', value: 'ORD-9876' }, { key: '3', value: '$49.99' }] },
			},
			{
				...base('welcome_order'),
				template_type: 'standard',
				header_text: 'Hello {{name}}!',
				message_body: 'Hi {{1}}, your order {{2}} has been confirmed. Total: {{3}}.',
				footer_text: 'Reply STOP to unsubscribe',
				variable_examples: [
					{ key: '1', example: 'John' },
					{ key: '2', example: 'ORD-9876' },
					{ key: '3', example: '$49.99' },
				],
			},
		],
		[
			'quick reply buttons (row 26)',
			{ name: 'feedback_request', templateKind: 'quickReplies', category: 'UTILITY', messageBody: 'How was your experience?', quickReplyButtons: { button: [{ text: 'Excellent' }, { text: 'Good' }, { text: 'Poor' }] } },
			{
				...base('feedback_request', 'UTILITY'),
				message_body: 'How was your experience?',
				buttons: [
					{ type: 'quick_reply', text: 'Excellent' },
					{ type: 'quick_reply', text: 'Good' },
					{ type: 'quick_reply', text: 'Poor' },
				],
			},
		],
		[
			'call-to-action buttons (row 27)',
			{
				name: 'contact_us',
				templateKind: 'ctaButtons',
				messageBody: 'Please contact us or visit our website.',
				ctaButtons: { website: [{ text: 'Visit Website', url: 'https://example.com' }], phoneCall: [{ text: 'Call Support', phoneNumber: '+1 (747) 282-2486' }] },
			},
			{
				...base('contact_us'),
				message_body: 'Please contact us or visit our website.',
				buttons: [
					{ type: 'phone_call', text: 'Call Support', phone_number: '+17472822486' },
					{ type: 'website', text: 'Visit Website', website_url: 'https://example.com' },
				],
			},
		],
		[
			'coupon code (row 28)',
			{ name: 'discount_coupon', templateKind: 'couponCode', messageBody: 'Here is your discount code!', couponCode: 'SAVE20' },
			{ ...base('discount_coupon'), message_body: 'Here is your discount code!', buttons: [{ type: 'copy_code', text: 'SAVE20' }] },
		],
		[
			'OTP / authentication (row 29)',
			{ name: 'otp_verification', templateKind: 'otp', category: 'MARKETING', addSecurityRecommendation: true, codeExpirationMinutes: 10, otpCodeLength: 6, copyButtonText: 'Copy Code' },
			{
				...base('otp_verification', 'AUTHENTICATION'),
				add_security_recommendation: true,
				code_expiration_minutes: 10,
				otp_code_length: 6,
				otp_buttons: [{ otp_type: 'COPY_CODE', copy_button_text: 'Copy Code' }],
			},
		],
		[
			'limited-time offer (row 30)',
			{ name: 'flash_sale', templateKind: 'limitedTimeOffer', messageBody: 'Flash sale is ending soon!', offerText: 'Use code FLASH', hasExpiration: true },
			{ ...base('flash_sale'), message_body: 'Flash sale is ending soon!', is_limited_time_offer: true, offer_text: 'Use code FLASH', has_expiration: true },
		],
		[
			'catalog button (row 31)',
			{ name: 'shop_catalog', templateKind: 'catalog', messageBody: 'Check out our new catalog!' },
			{ ...base('shop_catalog'), message_body: 'Check out our new catalog!', buttons: [{ type: 'catalog', text: 'View Catalog' }] },
		],
		[
			'call permission (row 32)',
			{ name: 'call_request', templateKind: 'callPermission', messageBody: 'Can we call you to discuss our offers?' },
			{ ...base('call_request'), message_body: 'Can we call you to discuss our offers?', call_permission: true },
		],
		[
			'carousel (row 33)',
			{
				name: 'new_arrivals',
				templateKind: 'carousel',
				messageBody: 'New arrivals picked for you.',
				carouselCards: '[{"header_media_type":"image","body_text":"Linen shirt"},{"header_media_type":"image","body_text":"Canvas shoes"}]',
			},
			{
				...base('new_arrivals'),
				message_body: 'New arrivals picked for you.',
				carousel_cards: [
					{ header_media_type: 'image', body_text: 'Linen shirt' },
					{ header_media_type: 'image', body_text: 'Canvas shoes' },
				],
			},
		],
		[
			'document header by URL (row 34)',
			{
				name: 'checkout_receipt',
				templateKind: 'mediaHeader',
				category: 'UTILITY',
				headerUrl: 'https://cdn.example.com/samples/invoice-sample.pdf',
				headerMediaType: 'document',
				messageBody: 'Hi {{1}}, your order {{2}} is ready.',
				variableExamples: { example: [{ key: '1', value: 'Jane' }, { key: '2', value: 'ORDER-123' }] },
			},
			{
				...base('checkout_receipt', 'UTILITY'),
				message_body: 'Hi {{1}}, your order {{2}} is ready.',
				header_url: 'https://cdn.example.com/samples/invoice-sample.pdf',
				header_media_type: 'document',
				variable_examples: [
					{ key: '1', example: 'Jane' },
					{ key: '2', example: 'ORDER-123' },
				],
			},
		],
	])('creates a template: %s', async (_kind, parameters, body) => {
		const result = await create(parameters);
		expect(result.error).toBeUndefined();
		expect(accepted(CREATE)).toEqual([body]);
		expect(result.json()).toEqual([expect.objectContaining({ template_name: body.template_name, status: 'PENDING' })]);
	});

	it('adds extra body fields to any kind', async () => {
		const result = await create({ name: 'plain_note', templateKind: 'simple', messageBody: 'Hello', options: { additionalBodyFields: { template_type: 'standard' } } });
		expect(result.error).toBeUndefined();
		expect(accepted(CREATE)).toEqual([{ ...base('plain_note'), message_body: 'Hello', template_type: 'standard' }]);
	});

	it.each<[string, INodeParameters, string]>([
		['a name Meta would refuse', { name: 'Order Update!', templateKind: 'simple', messageBody: 'x' }, 'Use lowercase letters, digits and underscores only, e.g. order_update'],
		['an http header link', { name: 'a', templateKind: 'mediaHeader', headerUrl: 'http://cdn.example.com/a.pdf', messageBody: 'x' }, 'Header URL must be an https:// address'],
		['no quick reply button', { name: 'a', templateKind: 'quickReplies', messageBody: 'x' }, 'Quick Reply Buttons is empty'],
		['a call button without a number', { name: 'a', templateKind: 'ctaButtons', messageBody: 'x', ctaButtons: { phoneCall: [{ text: 'Call' }] } }, 'Buttons: phone call button 1 has no phone number'],
		['carousel cards that are not a list of objects', { name: 'a', templateKind: 'carousel', messageBody: 'x', carouselCards: '[1, 2]' }, 'Carousel Cards (JSON) must be a JSON list of card objects'],
		['a body over WhatsApp\'s 1024 characters', { name: 'a', templateKind: 'simple', messageBody: 'x'.repeat(1025) }, 'Message Body is too long: 1025 characters (WhatsApp allows 1024)'],
		['a button text over 25 characters', { name: 'a', templateKind: 'quickReplies', messageBody: 'x', quickReplyButtons: { button: [{ text: 'y'.repeat(26) }] } }, 'Quick Reply Buttons is too long: 26 characters'],
		['a body an expression left empty', { name: 'a', templateKind: 'simple', messageBody: '={{ "" }}' }, 'Message Body is empty'],
	])('fails an item with %s before any request', async (_case, parameters, message) => {
		const result = await create(parameters);
		expect(`${result.error?.message} ${result.error?.description}`).toContain(message);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('shows Messlo\'s refusal of a header Meta cannot fetch', async () => {
		const result = await create({ name: 'bad_header', templateKind: 'mediaHeader', headerUrl: 'https://cdn.example.com/missing/a.pdf', headerMediaType: 'document', messageBody: 'Your receipt' });
		expect(result.error).toMatchObject({ message: expect.stringContaining('Meta could not fetch the sample header'), httpCode: '400' });
	});
});

describe('Messlo template checks (rows 35, 36)', () => {
	it('validates a media URL, with and without a media type', async () => {
		const result = await run({ resource: 'template', operation: 'validateMediaUrl', url: 'https://cdn.example.com/samples/invoice-sample.pdf', options: { mediaType: 'document' } });
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([expect.objectContaining({ url: 'https://cdn.example.com/samples/invoice-sample.pdf' })]);
		await run({ resource: 'template', operation: 'validateMediaUrl', url: 'https://cdn.example.com/banner.jpg' });
		expect(accepted('POST /api/template/validate-media-url')).toEqual([
			{ url: 'https://cdn.example.com/samples/invoice-sample.pdf', media_type: 'document' },
			{ url: 'https://cdn.example.com/banner.jpg' },
		]);
	});

	it('fails the item for a media URL Messlo cannot reach', async () => {
		const result = await run({ resource: 'template', operation: 'validateMediaUrl', url: 'https://unreachable.example/a.pdf' });
		expect(result.error).toMatchObject({ message: expect.stringMatching(/^Messlo: /), httpCode: '400' });
	});

	it('syncs the approval status of every template of a WABA, or of chosen ones; an approved template can then be sent', async () => {
		const created = await run({ resource: 'template', operation: 'create', wabaId: waba, name: 'fresh_news', templateKind: 'simple', language: 'en_US', messageBody: 'Fresh news!' });
		const id = String(created.json()[0].id);
		const chosen = await run({ resource: 'template', operation: 'syncStatus', wabaId: waba, templateIds: [id] });
		expect(chosen.error).toBeUndefined();
		expect(chosen.json()).toEqual([expect.objectContaining({ updated: [expect.objectContaining({ template_name: 'fresh_news', previous_status: 'PENDING', status: 'APPROVED' })] })]);
		await run({ resource: 'template', operation: 'syncStatus', wabaId: waba, templateIds: '={{ [] }}' });
		expect(accepted('POST /api/template/sync-status')).toEqual([{ waba_id: waba, template_ids: [id] }, { waba_id: waba }]);
		const sent = await run({ resource: 'message', operation: 'send', phone: `+${MESSLO_SEED.tom.phone}`, sender: MESSLO_DEMO.senderNumber, messageType: 'template', templateName: 'fresh_news' });
		expect(sent.error).toBeUndefined();
	});
});

describe('Messlo campaigns (rows 37–46)', () => {
	const CAMPAIGNS = 'POST /api/campaigns';
	const create = (parameters: INodeParameters, options?: Parameters<typeof run>[1]) =>
		run({ resource: 'campaign', operation: 'create', campaignName: 'Spring push', wabaId: waba, recipientType: 'all_contacts', campaignType: 'standard', ...parameters }, options);
	const base = (template: string) => ({ name: 'Spring push', waba_id: waba, template_name: template, recipient_type: 'all_contacts' });
	const future = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
	future.setUTCHours(10, 0, 0, 0);
	const futureIso = future.toISOString().replace('.000Z', 'Z');

	it('lists the campaigns (row 37)', async () => {
		const result = await run({ resource: 'campaign', operation: 'getAll', returnAll: true });
		expect(result.json().map((campaign) => campaign.name)).toEqual([MESSLO_SEED.campaign.name]);
		expect(env.sandbox.server.received('GET /api/campaigns')[0].query).toEqual({});
	});

	it.each<[string, INodeParameters, IDataObject]>([
		[
			'to all contacts with variables (row 38)',
			{ templateName: 'welcome_offer', variablesMapping: { variable: [{ key: '1', value: 'friend' }, { key: '2', value: 'SPRING10' }] } },
			{ ...base('welcome_offer'), variables_mapping: { 1: 'friend', 2: 'SPRING10' } },
		],
		[
			'to numbers typed any way, each once (row 39)',
			{ templateName: 'hello_world', recipientType: 'specific_contacts', contactNumbers: '+91 98765 43210\n0044 7700 900123, +91 (987) 654-3210' },
			{ ...base('hello_world'), recipient_type: 'specific_contacts', contact_numbers: ['919876543210', '447700900123'] },
		],
		[
			'with a media header (row 41)',
			{
				templateName: 'checkout_invoice',
				campaignType: 'media',
				mediaUrl: 'https://cdn.example.com/catalog/spring.pdf',
				variablesMapping: { variable: [{ key: '1', value: 'there' }, { key: '2', value: 'SPRING' }] },
			},
			{ ...base('checkout_invoice'), variables_mapping: { 1: 'there', 2: 'SPRING' }, media_url: 'https://cdn.example.com/catalog/spring.pdf' },
		],
		[
			'with a dynamic coupon (row 42)',
			{ templateName: 'coupon_offer', campaignType: 'coupon', couponCode: 'SPRING20', variablesMapping: { variable: [{ key: '1', value: 'friend' }] } },
			{ ...base('coupon_offer'), variables_mapping: { 1: 'friend' }, coupon_code: 'SPRING20' },
		],
		['for a limited-time offer (row 43)', { templateName: 'flash_deal', campaignType: 'limitedTimeOffer', offerExpirationMinutes: 60 }, { ...base('flash_deal'), offer_expiration_minutes: 60 }],
		[
			'with a product carousel (row 44)',
			{ templateName: 'product_carousel', campaignType: 'productCarousel', carouselProducts: { product: [{ productRetailerId: 'prod_1', catalogId: 'cat_1' }, { productRetailerId: 'prod_2', catalogId: 'cat_1' }] } },
			{
				...base('product_carousel'),
				carousel_products: [
					{ product_retailer_id: 'prod_1', catalog_id: 'cat_1' },
					{ product_retailer_id: 'prod_2', catalog_id: 'cat_1' },
				],
			},
		],
		[
			'with a media carousel by URLs, its cards as extra fields (row 45)',
			{
				templateName: 'product_carousel',
				campaignType: 'mediaCarousel',
				options: { additionalBodyFields: '{"carousel_cards":[{"media_url":"https://cdn.example.com/c1.jpg"},{"media_url":"https://cdn.example.com/c2.jpg"}]}' },
			},
			{ ...base('product_carousel'), carousel_cards: [{ media_url: 'https://cdn.example.com/c1.jpg' }, { media_url: 'https://cdn.example.com/c2.jpg' }] },
		],
	])('creates a campaign %s', async (_variant, parameters, body) => {
		const result = await create(parameters);
		expect(result.error).toBeUndefined();
		expect(accepted(CAMPAIGNS)).toEqual([body]);
		expect(result.json()).toEqual([expect.objectContaining({ name: 'Spring push', status: 'completed' })]);
	});

	it('creates a scheduled campaign for tagged contacts (row 40)', async () => {
		const result = await create({ templateName: 'hello_world', recipientType: 'tags', tagIds: [MESSLO_SEED.tags.vip.id], schedule: true, scheduledAt: futureIso });
		expect(result.error).toBeUndefined();
		expect(accepted(CAMPAIGNS)).toEqual([{ ...base('hello_world'), recipient_type: 'tags', tag_ids: [MESSLO_SEED.tags.vip.id], is_scheduled: true, scheduled_at: futureIso }]);
		expect(result.json()).toEqual([expect.objectContaining({ status: 'scheduled' })]);
	});

	it('reads a send time without a zone in the workflow\'s time zone, and tags from an expression', async () => {
		const wall = `${future.getUTCFullYear()}-${String(future.getUTCMonth() + 1).padStart(2, '0')}-${String(future.getUTCDate()).padStart(2, '0')}T15:30:00`;
		const result = await create(
			{ templateName: 'hello_world', recipientType: 'tags', tagIds: '={{ $json.tags }}', schedule: true, scheduledAt: wall },
			{ settings: { timezone: 'Asia/Kolkata' }, inputJson: [{ tags: `${MESSLO_SEED.tags.vip.id}, ${MESSLO_SEED.tags.newsletter.id}` }] },
		);
		expect(result.error).toBeUndefined();
		expect(accepted(CAMPAIGNS)).toEqual([expect.objectContaining({ tag_ids: [MESSLO_SEED.tags.vip.id, MESSLO_SEED.tags.newsletter.id], scheduled_at: futureIso })]);
	});

	it('creates a media carousel campaign from binary files, one file part per card (row 46)', async () => {
		const jpeg = (text: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(text)]);
		const result = await create(
			{
				templateName: 'product_carousel',
				campaignType: 'mediaCarouselUpload',
				binaryPropertyNames: 'card1, card2',
				filePartName: 'carousel_files',
				recipientType: 'specific_contacts',
				contactNumbers: '+49 151 12345678',
			},
			{
				inputItems: [
					{
						json: {},
						binary: { card1: { data: jpeg('one'), fileName: 'shirt.jpg', mimeType: 'image/jpeg' }, card2: { data: jpeg('two'), fileName: 'shoes.jpg', mimeType: 'image/jpeg' } },
					},
				],
			},
		);
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.server.accepted(CAMPAIGNS);
		expect(request.body).toEqual({ ...base('product_carousel'), recipient_type: 'specific_contacts', contact_numbers: '["4915112345678"]' });
		expect(request.files.map((file) => [file.field, file.filename, file.contentType])).toEqual([
			['carousel_files', 'shirt.jpg', 'image/jpeg'],
			['carousel_files', 'shoes.jpg', 'image/jpeg'],
		]);
		expect(result.json()).toEqual([expect.objectContaining({ carousel_files: [expect.objectContaining({ file_name: 'shirt.jpg' }), expect.objectContaining({ file_name: 'shoes.jpg' })] })]);
	});

	it.each<[string, INodeParameters, string]>([
		['no numbers', { templateName: 'hello_world', recipientType: 'specific_contacts', contactNumbers: ' , ' }, 'Contact Numbers is empty'],
		['an impossible number', { templateName: 'hello_world', recipientType: 'specific_contacts', contactNumbers: '+91 98765 43210\n123' }, 'Contact Numbers: '],
		['no tags from an expression', { templateName: 'hello_world', recipientType: 'tags', tagIds: '={{ [] }}' }, 'Tag Names or IDs is empty'],
		['a send time in the past', { templateName: 'hello_world', schedule: true, scheduledAt: '2020-01-01T10:00:00Z' }, 'Send At (2020-01-01T10:00:00Z) is in the past'],
		['a send time that is not one', { templateName: 'hello_world', schedule: true, scheduledAt: 'next tuesday' }, 'Send At is not a date and time'],
		['a product without a catalog', { templateName: 'product_carousel', campaignType: 'productCarousel', carouselProducts: { product: [{ productRetailerId: 'prod_1' }] } }, 'Products: product 1 has no Catalog ID'],
		['a card file that is not there', { templateName: 'product_carousel', campaignType: 'mediaCarouselUpload', binaryPropertyNames: 'card1', filePartName: 'carousel_files' }, 'The input item has no binary field "card1"'],
	])('fails an item with %s before any request', async (_case, parameters, message) => {
		const result = await create(parameters);
		expect(result.error?.message).toContain(message);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('shows Messlo\'s refusal of a template that is not approved, and sends nothing', async () => {
		const result = await create({ templateName: 'spring_sale' });
		expect(result.error).toMatchObject({ message: expect.stringContaining('not approved'), httpCode: '400' });
		expect(result.error?.description).toContain('Sync Approval Status');
		expect(received(CAMPAIGNS)).toHaveLength(1);
		expect(env.sandbox.server.accepted(CAMPAIGNS)).toHaveLength(0);
	});
});

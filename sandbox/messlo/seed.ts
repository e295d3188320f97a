/**
 * The workspace a Messlo simulator starts with (and returns to on reset): two WABAs with a number
 * each, three customers (one wrote an hour ago, one three days ago, one never), templates in every
 * status and kind, tags, agents, a chatbot, a flow, a form, a catalog, and the ids tests use.
 */
import { addMessage, DAY_MS, receiveInbound, type Contact, type MessloState, type Template } from './state';

export const MESSLO_DEMO = {
	apiKey: 'demo-messlo-api-key',
	/** The first WABA: its Messlo document id and its Meta business-account id (both name it). */
	wabaId: '5eed0a000000000000000001',
	metaWabaId: '1248119146671221',
	/** Its primary sender number: digits as `whatsapp_phone_number` takes them, and its ids. */
	senderNumber: '911234567890',
	phoneNumberId: '5eed0b000000000000000001',
	metaPhoneNumberId: '123456789012345',
	/** A second WABA with one number, so "this WABA's numbers" and scoping can be told apart. */
	secondWabaId: '5eed0a000000000000000002',
	secondMetaWabaId: '2209876543210987',
	secondSenderNumber: '14155550100',
	secondPhoneNumberId: '5eed0b000000000000000002',
} as const;

/** The seeded workspace, for tests and demos. */
export const MESSLO_SEED = {
	/** Wrote an hour ago: free-form messages are allowed. */
	asha: { contactId: '5eed0c000000000000000001', phone: '919876543210', name: 'Asha Rao', email: 'asha@example.com' },
	/** Wrote three days ago: only templates reach him. */
	tom: { contactId: '5eed0c000000000000000002', phone: '447700900123', name: 'Tom Baker', email: 'tom@example.com' },
	/** Never wrote (imported contact, tagged VIP). */
	lena: { contactId: '5eed0c000000000000000003', phone: '4915112345678', name: 'Lena Vogel', email: 'lena@example.com' },
	tags: {
		vip: { id: '5eed0d000000000000000001', label: 'VIP' },
		newsletter: { id: '5eed0d000000000000000002', label: 'Newsletter' },
	},
	segment: { id: '5eed10000000000000000001', name: 'Active buyers' },
	customField: { id: '5eed11000000000000000001', name: 'interest' },
	agents: {
		priya: { id: '5eed0e000000000000000001', name: 'Priya Shah' },
		omar: { id: '5eed0e000000000000000002', name: 'Omar Haddad' },
	},
	chatbot: { id: '5eed0f000000000000000001', name: 'Support bot' },
	/** Templates of the first WABA, by name. */
	templates: {
		hello_world: '5eed12000000000000000001',
		welcome_offer: '5eed12000000000000000002',
		order_update: '5eed12000000000000000003',
		checkout_invoice: '5eed12000000000000000004',
		coupon_offer: '5eed12000000000000000005',
		flash_deal: '5eed12000000000000000006',
		product_carousel: '5eed12000000000000000007',
		login_code: '5eed12000000000000000008',
		spring_sale: '5eed12000000000000000009',
		old_promo: '5eed1200000000000000000a',
	},
	/** A template of the second WABA. */
	secondWabaTemplate: { id: '5eed1200000000000000000b', name: 'us_welcome' },
	campaign: { id: '5eed13000000000000000001', name: 'October newsletter' },
	flow: { id: '5eed14000000000000000001', name: 'Welcome menu' },
	quickReply: { id: '5eed15000000000000000001' },
	messageBot: { id: '5eed16000000000000000001' },
	form: { id: '5eed17000000000000000001', name: 'Book a demo', flowId: '1357924680135792' },
	sequence: { id: '5eed18000000000000000001', name: 'Onboarding drip' },
	funnel: { id: '5eed19000000000000000001', name: 'Sales pipeline' },
	/** A catalog synced from Meta Commerce Manager: its Messlo id and Meta's. */
	catalog: { id: '5eed1a000000000000000001', metaCatalogId: '884422006644228' },
	/** Messlo's shared number for Login with WhatsApp (use_messlo_phone). */
	messloLoginNumber: '919000000000',
} as const;

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const HOUR_MS = 60 * 60 * 1000;

function template(fields: Partial<Template> & Pick<Template, '_id' | 'template_name' | 'category'>): Template {
	const at = ago(30 * DAY_MS);
	return {
		connection_id: MESSLO_DEMO.wabaId,
		waba_id: MESSLO_DEMO.metaWabaId,
		platform: 'whatsapp',
		meta_template_id: `9${fields._id.slice(-14).replace(/\D/g, '0')}`,
		language: 'en_US',
		template_type: 'standard',
		status: 'APPROVED',
		rejected_reason: null,
		review_outcome: 'APPROVED',
		header_text: null,
		header_url: null,
		header_media_type: null,
		message_body: null,
		footer_text: null,
		variable_examples: [],
		buttons: [],
		otp_buttons: [],
		add_security_recommendation: null,
		code_expiration_minutes: null,
		otp_code_length: null,
		is_limited_time_offer: false,
		offer_text: null,
		has_expiration: false,
		call_permission: false,
		carousel_cards: [],
		created_at: at,
		updated_at: at,
		...fields,
	};
}

export function seedState(): MessloState {
	const { asha, tom, lena, tags, agents, chatbot, segment, customField, templates: ids } = MESSLO_SEED;
	const created = ago(90 * DAY_MS);
	const state: MessloState = {
		connections: [
			{
				_id: MESSLO_DEMO.wabaId,
				waba_id: MESSLO_DEMO.metaWabaId,
				name: 'Acme India',
				business_name: 'Acme Retail Pvt Ltd',
				provider: 'business_api',
				status: 'connected',
				webhook_subscribed: true,
				webhook_subscribed_at: created,
				last_synced_at: null,
				created_at: created,
			},
			{
				_id: MESSLO_DEMO.secondWabaId,
				waba_id: MESSLO_DEMO.secondMetaWabaId,
				name: 'Acme US',
				business_name: 'Acme Retail Inc',
				provider: 'business_api',
				status: 'connected',
				webhook_subscribed: false,
				webhook_subscribed_at: null,
				last_synced_at: null,
				created_at: created,
			},
		],
		phoneNumbers: [
			{
				_id: MESSLO_DEMO.phoneNumberId,
				phone_number_id: MESSLO_DEMO.metaPhoneNumberId,
				connection_id: MESSLO_DEMO.wabaId,
				waba_id: MESSLO_DEMO.metaWabaId,
				phone_number: MESSLO_DEMO.senderNumber,
				display_phone_number: '+91 12345 67890',
				verified_name: 'Acme India',
				is_primary: true,
				status: 'CONNECTED',
				quality_rating: 'GREEN',
				provider: 'business_api',
				created_at: created,
			},
			{
				_id: MESSLO_DEMO.secondPhoneNumberId,
				phone_number_id: '109876543210987',
				connection_id: MESSLO_DEMO.secondWabaId,
				waba_id: MESSLO_DEMO.secondMetaWabaId,
				phone_number: MESSLO_DEMO.secondSenderNumber,
				display_phone_number: '+1 415-555-0100',
				verified_name: 'Acme US',
				is_primary: false,
				status: 'CONNECTED',
				quality_rating: 'GREEN',
				provider: 'business_api',
				created_at: created,
			},
		],
		contacts: [],
		chats: [],
		messages: [],
		templates: [
			template({ _id: ids.hello_world, template_name: 'hello_world', category: 'MARKETING', message_body: 'Hello from Acme! Reply to this message to chat with us.' }),
			template({
				_id: ids.welcome_offer,
				template_name: 'welcome_offer',
				category: 'MARKETING',
				message_body: 'Hi {{1}}, welcome to Acme! Use code {{2}} for 10% off your first order.',
				footer_text: 'Reply STOP to opt out',
				variable_examples: [
					{ key: '1', example: 'John' },
					{ key: '2', example: 'WELCOME10' },
				],
			}),
			template({
				_id: ids.order_update,
				template_name: 'order_update',
				category: 'UTILITY',
				header_text: 'Hello {{name}}!',
				message_body: 'Your order {{1}} is {{2}}.',
				variable_examples: [
					{ key: '1', example: 'ORD-9876' },
					{ key: '2', example: 'on its way' },
				],
				buttons: [
					{ type: 'quick_reply', text: 'Track order' },
					{ type: 'quick_reply', text: 'Talk to us' },
				],
			}),
			template({
				_id: ids.checkout_invoice,
				template_name: 'checkout_invoice',
				category: 'UTILITY',
				header_url: 'https://cdn.example.com/samples/invoice.pdf',
				header_media_type: 'document',
				message_body: 'Hi {{1}}, thanks for order {{2}}. Your invoice is attached.',
				variable_examples: [
					{ key: '1', example: 'Jane' },
					{ key: '2', example: 'ORDER-123' },
				],
			}),
			template({
				_id: ids.coupon_offer,
				template_name: 'coupon_offer',
				category: 'MARKETING',
				message_body: 'Spring is here, {{1}}! Copy your coupon below.',
				variable_examples: [{ key: '1', example: 'John' }],
				buttons: [{ type: 'copy_code', text: 'SAVE20' }],
			}),
			template({
				_id: ids.flash_deal,
				template_name: 'flash_deal',
				category: 'MARKETING',
				message_body: 'Flash deal: 30% off everything until midnight.',
				is_limited_time_offer: true,
				offer_text: 'Flash deal',
				has_expiration: true,
			}),
			template({
				_id: ids.product_carousel,
				template_name: 'product_carousel',
				category: 'MARKETING',
				message_body: 'New arrivals picked for you.',
				carousel_cards: [
					{ header_media_type: 'image', body_text: 'Linen shirt' },
					{ header_media_type: 'image', body_text: 'Canvas shoes' },
				],
			}),
			template({
				_id: ids.login_code,
				template_name: 'login_code',
				category: 'AUTHENTICATION',
				add_security_recommendation: true,
				code_expiration_minutes: 10,
				otp_code_length: 6,
				otp_buttons: [{ otp_type: 'COPY_CODE', copy_button_text: 'Copy Code' }],
			}),
			template({ _id: ids.spring_sale, template_name: 'spring_sale', category: 'MARKETING', status: 'PENDING', message_body: 'Our spring sale starts tomorrow!' }),
			template({
				_id: ids.old_promo,
				template_name: 'old_promo',
				category: 'MARKETING',
				status: 'REJECTED',
				review_outcome: 'REJECTED',
				rejected_reason: 'INVALID_FORMAT',
				message_body: 'CLICK NOW!!!',
			}),
			template({
				_id: MESSLO_SEED.secondWabaTemplate.id,
				template_name: MESSLO_SEED.secondWabaTemplate.name,
				category: 'MARKETING',
				connection_id: MESSLO_DEMO.secondWabaId,
				waba_id: MESSLO_DEMO.secondMetaWabaId,
				message_body: 'Welcome to Acme US, {{1}}!',
				variable_examples: [{ key: '1', example: 'Sam' }],
			}),
		],
		campaigns: [],
		tags: [
			{ _id: tags.vip.id, label: tags.vip.label, color: '#e11d48', created_at: created },
			{ _id: tags.newsletter.id, label: tags.newsletter.label, color: '#2563eb', created_at: created },
		],
		segments: [{ _id: segment.id, name: segment.name, description: 'Bought in the last 90 days', created_at: created }],
		customFields: [
			{ _id: customField.id, name: customField.name, label: 'Interest', type: 'text', required: false, options: [], created_at: created },
		],
		agents: [
			{ _id: agents.priya.id, name: agents.priya.name, email: 'priya@acme.example', country_code: '+91', phone: '9000000001', status: true, team_id: null, created_at: created },
			{ _id: agents.omar.id, name: agents.omar.name, email: 'omar@acme.example', country_code: '+971', phone: '500000002', status: true, team_id: null, created_at: created },
		],
		chatbots: [{ _id: chatbot.id, connection_id: MESSLO_DEMO.wabaId, name: chatbot.name, status: 'active', trained: { qna_pairs: 12, texts: 1 }, created_at: created }],
		uploads: [],
		workspaceSyncs: [],
		loginSessions: [],
		flows: [
			{
				_id: MESSLO_SEED.flow.id,
				name: MESSLO_SEED.flow.name,
				description: 'Greets new customers with a menu',
				nodes: [
					{ id: 'trigger_1', type: 'trigger', position: { x: 0, y: 0 }, name: 'Message received', parameters: { event_type: 'message_received' } },
					{ id: 'send_1', type: 'send_message', position: { x: 240, y: 0 }, name: 'Menu', parameters: { recipient: '{{senderNumber}}', message_body: 'Hi {{contact_name}}! Reply 1 for orders, 2 for support.', provider_type: 'business_api' } },
				],
				connections: [{ id: 'c1', source: 'trigger_1', target: 'send_1', sourceHandle: 'src', targetHandle: 'tgt' }],
				triggers: [{ event_type: 'message_received', conditions: {} }],
				settings: {},
				is_active: true,
				created_at: created,
				updated_at: created,
			},
		],
		executions: [],
		messageBots: [
			{
				_id: MESSLO_SEED.messageBot.id,
				connection_id: MESSLO_DEMO.wabaId,
				keywords: ['price', 'pricing'],
				matching_method: 'contains',
				partial_percentage: null,
				reply_type: 'text',
				reply_id: '5eed1c000000000000000001',
				status: 'active',
				created_at: created,
			},
		],
		quickReplies: [{ _id: MESSLO_SEED.quickReply.id, content: 'Thanks {{contact_name}}, we will get back to you shortly.', created_at: created }],
		forms: [
			{
				_id: MESSLO_SEED.form.id,
				connection_id: MESSLO_DEMO.wabaId,
				name: MESSLO_SEED.form.name,
				category: 'CUSTOM',
				description: 'Lead form',
				fields: [{ type: 'text', label: 'Your name', required: true }],
				is_active: true,
				submit_settings: {},
				meta_status: 'PUBLISHED',
				flow: { flow_id: MESSLO_SEED.form.flowId, status: 'PUBLISHED' },
				created_at: created,
			},
		],
		sequences: [
			{
				_id: MESSLO_SEED.sequence.id,
				connection_id: MESSLO_DEMO.wabaId,
				name: MESSLO_SEED.sequence.name,
				steps: [
					{ reply_material_id: '5eed1c000000000000000001', delay_value: 1, delay_unit: 'days', sort: 1 },
					{ reply_material_id: '5eed1c000000000000000002', delay_value: 3, delay_unit: 'days', sort: 2 },
				],
				created_at: created,
			},
		],
		funnels: [
			{
				_id: MESSLO_SEED.funnel.id,
				name: MESSLO_SEED.funnel.name,
				funnelType: 'contact',
				stages: ['New', 'Qualified', 'Won'].map((name, index) => ({ _id: `5eed1d00000000000000000${index + 1}`, name, position: index })),
				created_at: created,
			},
		],
		catalogs: [{ _id: MESSLO_SEED.catalog.id, connection_id: MESSLO_DEMO.wabaId, catalog_id: MESSLO_SEED.catalog.metaCatalogId, name: 'Acme store', last_synced_at: created }],
		products: ['Linen shirt', 'Canvas shoes', 'Leather belt'].map((name, index) => ({
			_id: `5eed1e00000000000000000${index + 1}`,
			catalog_id: MESSLO_SEED.catalog.id,
			product_retailer_id: `prod_${index + 1}`,
			name,
			price: ['1499.00', '2499.00', '899.00'][index]!,
			currency: 'INR',
			availability: index === 2 ? 'out of stock' : 'in stock',
			image_url: `https://cdn.example.com/products/${index + 1}.jpg`,
		})),
		orderWebhooks: [],
		appliedPacks: [],
		lastId: 0x1000,
	};

	const person = (seed: { contactId: string; phone: string; name: string; email: string }, at: string, source: Contact['source'], tagIds: string[] = []) => {
		state.contacts.push({
			_id: seed.contactId,
			name: seed.name,
			phone_number: `+${seed.phone}`,
			email: seed.email,
			tags: tagIds,
			segments: [],
			custom_fields: {},
			source,
			created_at: at,
			updated_at: at,
		});
	};
	person(lena, ago(60 * DAY_MS), 'import', [tags.vip.id, tags.newsletter.id]);
	person(tom, ago(10 * DAY_MS), 'whatsapp', [tags.newsletter.id]);
	person(asha, ago(5 * DAY_MS), 'whatsapp', [tags.vip.id]);

	receiveInbound(state, { from: tom.phone, text: 'Do you ship to London?', at: ago(3 * DAY_MS + 2 * HOUR_MS) });
	const tomChat = state.chats[0]!;
	addMessage(state, tomChat, 'outbound', { message_type: 'text', message: 'Yes, within 5 working days.', created_at: ago(3 * DAY_MS) });
	receiveInbound(state, { from: asha.phone, text: 'Hi, is my order shipped?', at: ago(2 * HOUR_MS) });
	const ashaChat = state.chats[1]!;
	addMessage(state, ashaChat, 'outbound', { message_type: 'text', message: 'Yes, it left today. Tracking: DS-1042', created_at: ago(90 * 60 * 1000) });
	receiveInbound(state, { from: asha.phone, text: 'Thanks!', at: ago(HOUR_MS) });
	ashaChat.assigned_agent_id = agents.priya.id;

	state.campaigns.push({
		_id: MESSLO_SEED.campaign.id,
		name: MESSLO_SEED.campaign.name,
		connection_id: MESSLO_DEMO.wabaId,
		waba_id: MESSLO_DEMO.metaWabaId,
		platform: 'whatsapp',
		template_id: ids.hello_world,
		template_name: 'hello_world',
		recipient_type: 'tags',
		contact_numbers: [],
		tag_ids: [tags.newsletter.id],
		variables_mapping: {},
		is_scheduled: false,
		scheduled_at: null,
		media_url: null,
		coupon_code: null,
		offer_expiration_minutes: null,
		carousel_products: [],
		carousel_cards: [],
		carousel_files: [],
		status: 'completed',
		stats: { total_recipients: 2, sent: 2, failed: 0 },
		sent_at: ago(20 * DAY_MS),
		created_at: ago(20 * DAY_MS),
	});
	return state;
}

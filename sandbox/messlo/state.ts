/**
 * The account a Messlo simulator serves: WABA connections and their numbers, contacts, chats and
 * messages, templates with their approval status, campaigns, tags, agents, and the rest of a
 * workspace. Plain data plus the operations routes and control routes share.
 *
 * Ids are 24-hex strings, as Messlo's (MongoDB) ids are. Times are ISO-8601 strings.
 */
import { createHash } from 'node:crypto';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Meta's customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = DAY_MS;

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

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED';
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type MediaKind = 'image' | 'video' | 'audio' | 'document';
export type MessageType = 'text' | MediaKind | 'location' | 'template' | 'carousel';

export interface Connection {
	_id: string;
	/** Meta's WhatsApp Business Account id. */
	waba_id: string;
	name: string;
	business_name: string;
	provider: 'business_api';
	status: 'connected';
	webhook_subscribed: boolean;
	webhook_subscribed_at: string | null;
	last_synced_at: string | null;
	created_at: string;
}

export interface PhoneNumber {
	_id: string;
	/** Meta's phone-number id. */
	phone_number_id: string;
	/** The connection's `_id`. */
	connection_id: string;
	/** Meta's WABA id (as on the connection). */
	waba_id: string;
	/** Digits with country code, as `whatsapp_phone_number` takes them. */
	phone_number: string;
	display_phone_number: string;
	verified_name: string;
	is_primary: boolean;
	status: 'CONNECTED' | 'DISCONNECTED';
	quality_rating: 'GREEN' | 'YELLOW' | 'RED';
	provider: 'business_api';
	created_at: string;
}

export interface Contact {
	_id: string;
	name: string;
	/** As given (E.164 with `+`, or digits). */
	phone_number: string;
	email: string;
	tags: string[];
	segments: string[];
	custom_fields: Record<string, unknown>;
	source: 'api' | 'import' | 'whatsapp' | 'campaign';
	created_at: string;
	updated_at: string;
}

export interface Chat {
	_id: string;
	contact_id: string;
	whatsapp_phone_number_id: string;
	platform: 'whatsapp';
	provider: 'business_api';
	status: 'open';
	unread_count: number;
	assigned_agent_id: string | null;
	assigned_chatbot_id: string | null;
	/** When the customer last wrote: the start of the 24-hour window. */
	last_customer_message_at: string | null;
	last_message_id: string | null;
	last_message_at: string | null;
	created_at: string;
}

export interface Message {
	_id: string;
	wamid: string;
	chat_id: string;
	contact_id: string;
	whatsapp_phone_number_id: string;
	direction: 'inbound' | 'outbound';
	message_type: MessageType;
	/** Text, or a caption. */
	message: string;
	media_url: string | null;
	file_name: string | null;
	mime_type: string | null;
	latitude: number | null;
	longitude: number | null;
	template_id: string | null;
	template_name: string | null;
	template_variables: Record<string, string> | null;
	/** Anything else the send carried (buttons, carousel cards, reaction). */
	extra: Record<string, unknown>;
	campaign_id: string | null;
	status: 'received' | 'sent' | 'delivered' | 'read' | 'failed';
	/** The customer's number (inbound) or the business number (outbound), digits. */
	from: string;
	to: string;
	created_at: string;
}

export interface TemplateButton {
	type: 'quick_reply' | 'phone_call' | 'website' | 'copy_code' | 'catalog';
	text: string;
	phone_number?: string;
	website_url?: string;
}

export interface Template {
	_id: string;
	/** The connection's `_id`, or null for an omnichannel template. */
	connection_id: string | null;
	waba_id: string | null;
	platform: 'whatsapp' | 'instagram' | 'facebook' | 'telegram';
	meta_template_id: string | null;
	template_name: string;
	category: TemplateCategory;
	language: string;
	template_type: string;
	status: TemplateStatus;
	rejected_reason: string | null;
	/** What the next sync-status turns a PENDING template into (Meta's review, as the sandbox plays it). */
	review_outcome: 'APPROVED' | 'REJECTED';
	header_text: string | null;
	header_url: string | null;
	header_media_type: MediaKind | null;
	message_body: string | null;
	footer_text: string | null;
	variable_examples: Array<{ key: string; example: string }>;
	buttons: TemplateButton[];
	otp_buttons: Array<Record<string, unknown>>;
	add_security_recommendation: boolean | null;
	code_expiration_minutes: number | null;
	otp_code_length: number | null;
	is_limited_time_offer: boolean;
	offer_text: string | null;
	has_expiration: boolean;
	call_permission: boolean;
	carousel_cards: Array<Record<string, unknown>>;
	created_at: string;
	updated_at: string;
}

export interface Campaign {
	_id: string;
	name: string;
	connection_id: string;
	waba_id: string;
	platform: 'whatsapp';
	template_id: string;
	template_name: string;
	recipient_type: 'all_contacts' | 'specific_contacts' | 'tags';
	contact_numbers: string[];
	tag_ids: string[];
	variables_mapping: Record<string, string>;
	is_scheduled: boolean;
	scheduled_at: string | null;
	media_url: string | null;
	coupon_code: string | null;
	offer_expiration_minutes: number | null;
	carousel_products: Array<{ product_retailer_id: string; catalog_id: string }>;
	carousel_cards: Array<{ media_url: string; media_type?: MediaKind }>;
	/** Local files of a media-carousel campaign, as received. */
	carousel_files: Array<{ file_name: string; mime_type: string; size: number; sha256: string }>;
	status: 'scheduled' | 'completed';
	stats: { total_recipients: number; sent: number; failed: number };
	sent_at: string | null;
	created_at: string;
}

export interface Tag {
	_id: string;
	label: string;
	color: string;
	created_at: string;
}

export interface Segment {
	_id: string;
	name: string;
	description: string;
	created_at: string;
}

export interface CustomField {
	_id: string;
	name: string;
	label: string;
	type: 'text' | 'number' | 'date' | 'boolean' | 'select' | 'textarea' | 'email' | 'phone';
	required: boolean;
	options: string[];
	created_at: string;
}

export interface Agent {
	_id: string;
	name: string;
	email: string;
	country_code: string;
	phone: string;
	status: boolean;
	team_id: string | null;
	created_at: string;
}

export interface Chatbot {
	_id: string;
	connection_id: string;
	name: string;
	status: 'active' | 'inactive' | 'draft';
	/** What training it has had (row 61). */
	trained: { qna_pairs: number; texts: number };
	created_at: string;
}

/** A file received by a multipart send, kept by its digest (not its bytes). */
export interface Upload {
	_id: string;
	field: string;
	file_name: string;
	mime_type: string;
	size: number;
	sha256: string;
	at: string;
}

export type LoginStatus = 'pending' | 'success' | 'expired';

/** A Login with WhatsApp session (rows 6–9). */
export interface LoginSession {
	sessionId: string;
	/** The code of the pre-filled `LOGIN <code>` message. */
	code: string;
	subscribeToken: string;
	/** The number the user writes to (digits). */
	loginNumber: string;
	device_hash: string | null;
	status: LoginStatus;
	created_at: string;
	expires_at: string;
	/** Who wrote the LOGIN message, once they did. */
	user: { phone: string; name: string } | null;
	verificationToken: string | null;
	tokenUsed: boolean;
}

export const FLOW_NODE_TYPES = [
	'trigger', 'condition', 'action', 'delay', 'filter', 'transform', 'webhook', 'ai_response', 'send_message', 'send_template',
	'add_tag', 'cta_button', 'assign_chatbot', 'assign_agent', 'update_contact', 'response_saver', 'save_to_google_sheet',
	'create_calendar_event', 'resolve_site_visit_slot', 'appointment_flow', 'api', 'wait_for_reply', 'form_flow',
	'add_to_segment', 'property_carousel', 'custom',
] as const;
export const EXECUTION_STATUSES = ['running', 'waiting', 'success', 'failed', 'cancelled'] as const;

export interface Flow {
	_id: string;
	name: string;
	description: string;
	nodes: Array<Record<string, unknown>>;
	connections: Array<Record<string, unknown>>;
	triggers: Array<Record<string, unknown>>;
	settings: Record<string, unknown>;
	is_active: boolean;
	created_at: string;
	updated_at: string;
}

export interface Execution {
	_id: string;
	flow_id: string;
	status: (typeof EXECUTION_STATUSES)[number];
	test: boolean;
	trigger_data: Record<string, unknown>;
	execution_log: Array<{ node_id: string; type: string; status: 'success'; at: string }>;
	started_at: string;
	finished_at: string | null;
}

export interface MessageBot {
	_id: string;
	connection_id: string;
	keywords: string[];
	matching_method: 'exact' | 'contains' | 'starts_with' | 'ends_with' | 'partial';
	partial_percentage: number | null;
	reply_type: string;
	reply_id: string | null;
	status: 'active' | 'inactive';
	created_at: string;
}

export interface QuickReply {
	_id: string;
	content: string;
	created_at: string;
}

export interface Form {
	_id: string;
	connection_id: string;
	name: string;
	category: string;
	description: string;
	fields: Array<Record<string, unknown>>;
	is_active: boolean;
	submit_settings: Record<string, unknown>;
	meta_status: 'DRAFT' | 'PUBLISHED';
	/** Meta's flow, made when the form is saved. */
	flow: { flow_id: string; status: 'DRAFT' | 'PUBLISHED' };
	created_at: string;
}

export interface Sequence {
	_id: string;
	connection_id: string;
	name: string;
	steps: Array<{ reply_material_id: string; delay_value: number; delay_unit: 'minutes' | 'hours' | 'days'; sort: number }>;
	created_at: string;
}

export interface Funnel {
	_id: string;
	name: string;
	funnelType: string;
	stages: Array<{ _id: string; name: string; position: number }>;
	created_at: string;
}

export interface Catalog {
	_id: string;
	connection_id: string;
	/** Meta's catalog id. */
	catalog_id: string;
	name: string;
	last_synced_at: string | null;
}

export interface Product {
	_id: string;
	catalog_id: string;
	product_retailer_id: string;
	name: string;
	price: string;
	currency: string;
	availability: 'in stock' | 'out of stock';
	image_url: string;
}

export interface OrderWebhook {
	_id: string;
	webhook_name: string;
	require_auth: boolean;
	method: 'POST' | 'GET' | 'PUT';
	webhook_url: string;
	secret_key: string;
	is_active: boolean;
	template_mapping: { template_id: string; phone_number_field: string; variables: Record<string, string> } | null;
	/** The last order the store sent, null until one came. */
	last_payload: unknown;
	orders_received: number;
	created_at: string;
}

export interface MessloState {
	connections: Connection[];
	phoneNumbers: PhoneNumber[];
	contacts: Contact[];
	chats: Chat[];
	messages: Message[];
	templates: Template[];
	campaigns: Campaign[];
	tags: Tag[];
	segments: Segment[];
	customFields: CustomField[];
	agents: Agent[];
	chatbots: Chatbot[];
	uploads: Upload[];
	/** Every POST /api/whatsapp/workspace/sync, when. */
	workspaceSyncs: string[];
	loginSessions: LoginSession[];
	flows: Flow[];
	executions: Execution[];
	messageBots: MessageBot[];
	quickReplies: QuickReply[];
	forms: Form[];
	sequences: Sequence[];
	funnels: Funnel[];
	catalogs: Catalog[];
	products: Product[];
	orderWebhooks: OrderWebhook[];
	/** Industry packs applied, by slug. */
	appliedPacks: string[];
	lastId: number;
}

// ---------------------------------------------------------------------------------------------
// Small rules

export const nowIso = () => new Date().toISOString();
export const digitsOf = (phone: string) => phone.replace(/\D/g, '');
export const OBJECT_ID = /^[0-9a-f]{24}$/;

/** A fresh 24-hex id; the counter keeps ids unique and in creation order. */
export function newId(state: MessloState): string {
	state.lastId += 1;
	return `66${state.lastId.toString(16).padStart(22, '0')}`;
}

export function wamidOf(id: string): string {
	return `wamid.${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
}

export const sha256 = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

/** `{{1}}`, `{{2}}`, `{{name}}`: the variables a text names, in order of first use. */
export function placeholdersOf(text: string | null | undefined): string[] {
	const names: string[] = [];
	for (const match of (text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
		if (!names.includes(match[1]!)) names.push(match[1]!);
	}
	return names;
}

/**
 * The variables a send of this template must fill: the header's and the body's; an
 * authentication template has one, the code.
 */
export function templateVariables(template: Template): string[] {
	if (template.category === 'AUTHENTICATION') return ['1'];
	const names = [...placeholdersOf(template.header_text), ...placeholdersOf(template.message_body)];
	return [...new Set(names)];
}

export const isCarouselTemplate = (template: Template) => template.carousel_cards.length > 0;
export const hasCouponButton = (template: Template) => template.buttons.some((button) => button.type === 'copy_code');

// ---------------------------------------------------------------------------------------------
// Lookups

/** A WABA by its Messlo document id or its Meta business-account id. */
export function findConnection(state: MessloState, wabaId: string): Connection | undefined {
	return state.connections.find((connection) => connection._id === wabaId || connection.waba_id === wabaId);
}

export const phonesOf = (state: MessloState, connection: Connection) =>
	state.phoneNumbers.filter((phone) => phone.connection_id === connection._id);

export function primaryPhone(state: MessloState, connection?: Connection): PhoneNumber | undefined {
	const phones = connection ? phonesOf(state, connection) : state.phoneNumbers;
	return phones.find((phone) => phone.is_primary) ?? phones[0];
}

export function findContactByPhone(state: MessloState, phone: string): Contact | undefined {
	const digits = digitsOf(phone);
	return state.contacts.find((contact) => digitsOf(contact.phone_number) === digits);
}

export function createContact(
	state: MessloState,
	fields: { phone_number: string; name?: string; email?: string; source: Contact['source']; tags?: string[]; at?: string },
): Contact {
	const at = fields.at ?? nowIso();
	const contact: Contact = {
		_id: newId(state),
		name: fields.name ?? '',
		phone_number: fields.phone_number,
		email: fields.email ?? '',
		tags: fields.tags ?? [],
		segments: [],
		custom_fields: {},
		source: fields.source,
		created_at: at,
		updated_at: at,
	};
	state.contacts.push(contact);
	return contact;
}

/** The contact of a number, created the first time it is seen. */
export function contactFor(state: MessloState, phone: string, source: Contact['source'], name?: string, at?: string): Contact {
	const existing = findContactByPhone(state, phone);
	if (existing) {
		if (name && !existing.name) existing.name = name;
		return existing;
	}
	return createContact(state, { phone_number: `+${digitsOf(phone)}`, name, source, at });
}

/** The thread between a contact and one of the business's numbers, opened the first time. */
export function chatFor(state: MessloState, contact: Contact, phone: PhoneNumber, at?: string): Chat {
	let chat = state.chats.find((entry) => entry.contact_id === contact._id && entry.whatsapp_phone_number_id === phone._id);
	if (!chat) {
		chat = {
			_id: newId(state),
			contact_id: contact._id,
			whatsapp_phone_number_id: phone._id,
			platform: 'whatsapp',
			provider: 'business_api',
			status: 'open',
			unread_count: 0,
			assigned_agent_id: null,
			assigned_chatbot_id: null,
			last_customer_message_at: null,
			last_message_id: null,
			last_message_at: null,
			created_at: at ?? nowIso(),
		};
		state.chats.push(chat);
	}
	return chat;
}

/** Whether a free-form message may go to this chat now (the customer wrote within 24 hours). */
export function windowOpen(chat: Chat, now = Date.now()): boolean {
	return chat.last_customer_message_at !== null && now - Date.parse(chat.last_customer_message_at) < SERVICE_WINDOW_MS;
}

export type MessageFields = Partial<
	Pick<
		Message,
		| 'message'
		| 'media_url'
		| 'file_name'
		| 'mime_type'
		| 'latitude'
		| 'longitude'
		| 'template_id'
		| 'template_name'
		| 'template_variables'
		| 'extra'
		| 'campaign_id'
		| 'created_at'
	>
> & { message_type: MessageType };

/** Stores a message in a chat and moves the chat's "last message" (and, inbound, its window). */
export function addMessage(state: MessloState, chat: Chat, direction: Message['direction'], fields: MessageFields): Message {
	const contact = state.contacts.find((entry) => entry._id === chat.contact_id)!;
	const phone = state.phoneNumbers.find((entry) => entry._id === chat.whatsapp_phone_number_id)!;
	const _id = newId(state);
	const at = fields.created_at ?? nowIso();
	const message: Message = {
		_id,
		wamid: wamidOf(_id),
		chat_id: chat._id,
		contact_id: contact._id,
		whatsapp_phone_number_id: phone._id,
		direction,
		message_type: fields.message_type,
		message: fields.message ?? '',
		media_url: fields.media_url ?? null,
		file_name: fields.file_name ?? null,
		mime_type: fields.mime_type ?? null,
		latitude: fields.latitude ?? null,
		longitude: fields.longitude ?? null,
		template_id: fields.template_id ?? null,
		template_name: fields.template_name ?? null,
		template_variables: fields.template_variables ?? null,
		extra: fields.extra ?? {},
		campaign_id: fields.campaign_id ?? null,
		status: direction === 'inbound' ? 'received' : 'sent',
		from: direction === 'inbound' ? digitsOf(contact.phone_number) : phone.phone_number,
		to: direction === 'inbound' ? phone.phone_number : digitsOf(contact.phone_number),
		created_at: at,
	};
	state.messages.push(message);
	if (chat.last_message_at === null || Date.parse(at) >= Date.parse(chat.last_message_at)) {
		chat.last_message_id = message._id;
		chat.last_message_at = at;
	}
	if (direction === 'inbound') {
		chat.unread_count += 1;
		if (chat.last_customer_message_at === null || Date.parse(at) > Date.parse(chat.last_customer_message_at)) {
			chat.last_customer_message_at = at;
		}
	} else chat.unread_count = 0;
	return message;
}

export interface InboundSpec {
	/** The customer's number, any common form. */
	from: string;
	name?: string;
	/** The business number written to (digits); the primary number when left out. */
	to?: string;
	type?: 'text' | MediaKind | 'location';
	text?: string;
	mediaUrl?: string;
	latitude?: number;
	longitude?: number;
	/** When the customer wrote (default now): a time 25 hours ago puts the chat outside the window. */
	at?: string;
}

/** A customer writes in: the contact (created if new), the chat and the message, as Meta's webhook gives Messlo. */
export function receiveInbound(state: MessloState, spec: InboundSpec): { contact: Contact; chat: Chat; message: Message } {
	const phone = spec.to ? state.phoneNumbers.find((entry) => entry.phone_number === digitsOf(spec.to!)) : primaryPhone(state);
	if (!phone) throw new Error(`No business number ${spec.to} in the workspace.`);
	const at = spec.at ?? nowIso();
	const contact = contactFor(state, spec.from, 'whatsapp', spec.name, at);
	const chat = chatFor(state, contact, phone, at);
	const type = spec.type ?? 'text';
	const message = addMessage(state, chat, 'inbound', {
		message_type: type,
		message: spec.text ?? '',
		media_url: spec.mediaUrl ?? null,
		latitude: spec.latitude ?? null,
		longitude: spec.longitude ?? null,
		created_at: at,
	});
	return { contact, chat, message };
}

// ---------------------------------------------------------------------------------------------
// The seeded workspace

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

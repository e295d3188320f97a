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

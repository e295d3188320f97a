/**
 * The Messlo simulator for tests, and what it answers.
 *
 * ## Envelope
 * Success: `{ "success": true, "message"?: string, "data": <record | record[]>, ...extra }`, HTTP 200
 * (201 for creates). Lists add `"pagination": { "page", "limit", "totalItems", "totalPages" }`.
 * Every record carries its id as both `_id` and `id` (24 hex characters).
 * Error: `{ "success": false, "message": string, "error": CODE, "errors"?: [{ "field", "message" }] }`
 * with 400 (validation, or a business rule: `error` names it), 401 (key), 404 (an id not found),
 * 405, 409 (already exists), 415 (a body format the endpoint does not take), 429 (fault injection,
 * with Retry-After). A validation error lists every problem in `errors`.
 *
 * ## Per endpoint (row of shared/MESSLO-CONTRACT.md → success answer)
 * - 1  GET  /api/whatsapp/connections            → { success, data: Connection[], total_wabas }
 * - 2  GET  /api/whatsapp/phone-numbers          → { success, data: PhoneNumber[] }
 * - 3  GET  /api/whatsapp/:wabaId/phone-numbers  → { success, data: PhoneNumber[], waba_id }   (wabaId: `_id` or Meta `waba_id`)
 * - 4  POST /api/whatsapp/:wabaId/webhooks/setup {} → { success, message, data: { waba_id, connection_id, subscribed: true, subscribed_fields[], subscribed_at } }
 * - 5  POST /api/whatsapp/workspace/sync {}      → { success, message, data: { wabas, phone_numbers, synced_at } }
 * - 10 GET  /api/contacts?page&limit(≤100, 20)&search → { success, data: Contact[], pagination } (newest first)
 * -    GET  /api/contacts/:id                    → { success, data: Contact }
 * - 11 POST /api/contacts {phone_number, name?, email?} → 201 { success, message, data: Contact }  (409 if the number exists)
 * - 58 PUT  /api/contacts/:id {name?, email?, phone_number?, custom_fields?, tags?, segments?} → { success, message, data: Contact }
 * - 12–19, 23, 81 POST /api/whatsapp/send        → { success, message, data: SendResult }
 * - 20 GET  /api/whatsapp/chats?page&limit(≤50, 15)&whatsapp_phone_number_id&platform&search&provider
 *                                                → { success, data: Chat[], pagination } (latest activity first; the primary number's chats by default)
 * - 21 GET  /api/whatsapp/messages?contact_id&page&limit(≤100, 30)&whatsapp_phone_number_id&search&start_date&end_date
 *                                                → { success, data: Message[], pagination } (newest first)
 * - 22, 73 POST /api/whatsapp/assign-chat {contact_id, whatsapp_phone_number_id, agent_id | chatbot_id}
 *                                                → { success, message, data: Chat }
 * - 24–34 POST /api/template/create              → 201 { success, message, data: Template } (status PENDING)
 * - 35 POST /api/template/validate-media-url {url, media_type?}
 *                                                → { success: true, reachable: true, message, data: { url, media_type } };
 *                                                  unreachable / not https: 400 { success: false, reachable: false, message, error }
 * - 36 POST /api/template/sync-status {waba_id, template_ids?}
 *                                                → { success, message, data: { waba_id, synced, updated: [{ _id, template_name, previous_status, status }], templates: Template[] } }
 * -    GET  /api/template?waba_id&platform&page&limit(≤100, 20) → { success, data: Template[], pagination }
 * -    GET  /api/template/:id                    → { success, data: Template }
 * - 37 GET  /api/campaigns (no query)            → { success, data: Campaign[], total } (newest first, no paging)
 * - 38–46 POST /api/campaigns                    → 201 { success, message, data: Campaign } (sent at once unless scheduled)
 * -    POST /api/campaigns/:id/send {}           → { success, message, data: Campaign }
 * - 53 GET  /api/segments?page&limit(≤100, 50)&search → { success, data: Segment[], pagination }
 * - 54 POST /api/segments {name, description?}   → 201 { success, message, data: Segment }
 * - 55 GET  /api/tags?page&limit(≤100, 50)&search → { success, data: Tag[], pagination }
 * - 56 POST /api/tags {label, color?}            → 201 { success, message, data: Tag }
 * - 57 GET  /api/custom-fields?page&limit(≤100, 50) → { success, data: CustomField[], pagination }
 * - 72 GET  /api/agent/all?page&limit(≤100, 20)&search → { success, data: Agent[], pagination }
 *
 * Beyond the messaging half (test/sandbox/messlo-workspace.test.ts):
 * - 6  POST /v1/auth/whatsapp/start {use_messlo_phone?, phone_number_id? (Meta id), device_hash?}
 *                                                → 201 { success, sessionId, waLink, subscribeToken, authAppId, authAppName, expires_at } (top level)
 * - 7  GET  /v1/auth/whatsapp/events/:sessionId?token=<subscribeToken> (no API key): text/event-stream;
 *                                                  ": connected", then "event: verified" (or "event: expired"), data { sessionId, status }, then it ends
 * - 8  GET  /v1/auth/whatsapp/status/:sessionId  → { success, status: "pending", sessionId, expires_at } |
 *                                                  { success, status: "success", sessionId, verificationToken }; expired: 410 { success: false, status: "expired", message, error }
 * - 9  POST /v1/auth/verify-token {token}        → { success, valid: true, user: { phone, name } }; used or forged: 401 { success: false, valid: false, message, error }
 * - 47 GET  /api/automation?page&limit(≤100, 20)&search&is_active → { success, data: Flow[], pagination }
 * - 48 GET  /api/automation/node-types           → { success, data: [{ type, description, parameters[] }] }
 * - 49 POST /api/automation {name, description?, nodes[], connections[], triggers?, settings?, is_active?} → 201 { success, message, data: Flow }
 * - 50 PATCH /api/automation/:flowId/toggle {is_active} → { success, message, data: Flow }
 * - 51 POST /api/automation/:flowId/test {test_data?} → { success, message, data: Execution } (400 FLOW_INACTIVE unless active)
 * - 52 GET  /api/automation/:flowId/executions?page&limit&status → { success, data: Execution[], pagination }
 * - 59 GET  /api/chatbots?waba_id&search         → { success, data: Chatbot[] }
 * - 60 POST /api/chatbots {waba_id, name, business_name?, business_description?, system_prompt?} → 201 { success, message, data: Chatbot }
 * - 61 POST /api/chatbots/:id/train {training_data?, raw_training_text?, knowledgeType?, …} → { success, message, data: Chatbot }
 * - 62 GET  /api/message-bots?waba_id&page&limit&search&status → { success, data: MessageBot[], pagination }
 * - 63 POST /api/message-bots {waba_id, keywords[], matching_method?, partial_percentage?, reply_type, reply_id, status?} → 201 { success, message, data }
 * - 64 GET  /api/quick-replies?page&limit(≤100, 50)&search → { success, data: [{ _id, id, content, created_at }], pagination }
 * - 65 GET  /api/forms?waba_id&page&limit&search&meta_status&category → { success, data: Form[], pagination }
 * -    GET  /api/forms/:id                       → { success, data: Form } (Form.flow.flow_id is Meta's, for form_flow nodes)
 * - 66 POST /api/forms {waba_id, name, category?, description?, fields[], is_active?, submit_settings?} → 201 { success, message, data: Form }
 * - 67 PATCH /api/forms/:id/publish (no body)    → { success, message, data: Form }
 * - 68 GET  /api/industry-packs/public (no API key) → { success, data: Pack[] }
 * - 69 GET  /api/industry-packs/public/:slug/preview?<personalization> (no API key) → { success, data: Pack }
 * - 70 POST /api/industry-packs/apply {pack_slug, personalization?, setup_overrides?} → { success, message, data: { pack_slug, created: { tags, segments, custom_fields, flows }, setup_overrides } }
 * - 71 GET  /api/subscriptions/usage and /api/subscription/usage → { success, data: { plan, limits, usage } } (a limit of 0 is unlimited)
 * - 74 GET  /api/google/connect?return_to        → { success, data: { url, return_to } }
 * - 75 GET  /api/sequences?waba_id               → { success, data: Sequence[] }
 * - 76 GET  /api/kanban-funnels?page&limit&search&funnelType → { success, data: Funnel[], pagination }
 * - 77 POST /api/ecommerce-catalog/waba/:waba_id/sync-catalogs {} → { success, message, data: { waba_id, synced, catalogs[] } }
 * - 78 GET  /api/ecommerce-catalog/catalog/:catalog_id/products?page&limit&search → { success, data: Product[], pagination }
 * - 79 POST /api/ecommerce-webhook/create {webhook_name, require_auth?, method?} → 201 { success, message, data: { …, webhook_url, secret_key } }
 * - 80 POST /api/ecommerce-webhook/:id/map-template {template_id, phone_number_field?, variables?} → { success, message, data: OrderWebhook }
 *      (400 NO_PAYLOAD_CAPTURED until the store sent an order to webhook_url; paths are checked against that order)
 * Query and body objects are strict: a field not listed is a 400 naming it. `page` past the end
 * gives `data: []`.
 *
 * ## Records
 * - Connection: { _id, id, waba_id (Meta's), name, business_name, provider: "business_api", status: "connected",
 *   webhook_subscribed, phone_numbers_count, last_synced_at, created_at }
 * - PhoneNumber: { _id, id, phone_number_id (Meta's), waba_id (Meta's), connection_id, phone_number (digits),
 *   display_phone_number, verified_name, is_primary, status: "CONNECTED", quality_rating, provider }
 * - Contact: { _id, id, name, phone_number ("+digits"), email, tags: tagId[], segments: segmentId[],
 *   custom_fields: {}, source, created_at, updated_at }
 * - Chat: { _id, id, contact_id, whatsapp_phone_number_id, platform: "whatsapp", provider, status: "open",
 *   unread_count, assigned_agent_id, assigned_chatbot_id, last_customer_message_at, last_message_id,
 *   last_message_at, created_at, contact: { _id, name, phone_number }, last_message: Message | null }
 * - Message: { _id, id, wamid, chat_id, contact_id, whatsapp_phone_number_id, direction: "inbound" | "outbound",
 *   message_type, message, media_url, file_name, mime_type, latitude, longitude, template_id, template_name,
 *   template_variables, campaign_id, status ("received" | "sent" | "delivered" | "read" | "failed"),
 *   from (digits), to (digits), created_at, …and any of buttons, buttonParams, reactionMessageId,
 *   reactionEmoji, carouselCardsData, upload_id, file_size the send carried }
 * - SendResult: { message_id, wamid, status: "sent", message_type, contact_id, chat_id,
 *   whatsapp_phone_number_id, created_at, messages: Message[] } (several messages for mediaUrls)
 * - Template: { _id, id, waba_id, platform, meta_template_id, template_name, category, language, template_type,
 *   status ("APPROVED" | "PENDING" | "REJECTED"), rejected_reason, header_text, header_url, header_media_type,
 *   message_body, footer_text, variable_examples, buttons, otp_buttons, add_security_recommendation,
 *   code_expiration_minutes, otp_code_length, is_limited_time_offer, offer_text, has_expiration,
 *   call_permission, carousel_cards, created_at, updated_at }
 * - Campaign: { _id, id, name, connection_id, waba_id, platform, template_id, template_name, recipient_type,
 *   contact_numbers, tag_ids, variables_mapping, is_scheduled, scheduled_at, media_url, coupon_code,
 *   offer_expiration_minutes, carousel_products, carousel_cards, carousel_files, status ("scheduled" | "completed"),
 *   stats: { total_recipients, sent, failed }, sent_at, created_at }
 * - Tag: { _id, id, label, color, contacts_count, created_at }; Agent: { _id, id, name, email, country_code,
 *   phone, status, team_id, created_at }; Segment: { _id, id, name, description, created_at };
 *   CustomField: { _id, id, name, label, type, required, options, created_at }
 *
 * ## Bodies of POST /api/whatsapp/send (JSON; strict)
 * Addressing: `contact_no` + `whatsapp_phone_number` (digits, no `+`); `contact_id` may stand for contact_no.
 * - text: messageType "text", message (≤ 4096) [, buttons, buttonParams, reactionMessageId + reactionEmoji]
 * - image | video | document: messageType, mediaUrl [, message (caption)]
 * - audio: messageType "audio", mediaUrl (no caption)
 * - location: messageType "location", latitude, longitude (numbers) [, message]
 * - several media: mediaUrls (1–10 URLs) [, message (caption of the first)]; messageType left out (each URL's
 *   kind comes from its extension) or one media kind for all
 * - template: messageType "template", templateName or templateId [, templateVariables { "1": …, "name": … },
 *   mediaUrl (only for a template with a media header), languageCode, buttonParams]
 * - carousel: messageType "carousel", carouselCardsData (2–10 objects) [, message]
 * A field of another type is a 400 ("x does not belong to a text message").
 * Local device (row 19): multipart, string parts whatsapp_phone_number_id, contact_id, message (may be empty),
 * provider "business_api", messageType (image | video | audio | document); the file in part `file_url`
 * (Meta's limits: image JPEG/PNG ≤ 5 MB, video MP4/3GPP ≤ 16 MB, audio ≤ 16 MB, document ≤ 100 MB).
 *
 * ## Rules (all 400 with `error` naming the rule)
 * - OUTSIDE_24H_WINDOW: anything but a template to a customer who has not written to that sender number
 *   in the last 24 hours (Meta error 131047).
 * - TEMPLATE_NOT_APPROVED: a PENDING or REJECTED template (send or campaign).
 * - TEMPLATE_VARIABLES_MISMATCH: templateVariables / variables_mapping must name exactly the template's
 *   variables ({{1}}, … of the body, a named {{x}} of the header; an AUTHENTICATION template has "1", the code).
 * - NO_MEDIA_HEADER: mediaUrl for a template without a media header. SENDER_NOT_FOUND: an unknown sender.
 * - MEDIA_URL_UNREACHABLE: a template header_url on a host ending `.invalid`, `unreachable.example`, or a
 *   path with `/missing/` (the sandbox's stand-in for "Meta could not fetch it").
 *
 * ## Control routes (POST, JSON, under /__sandbox/messlo)
 * - /inbound {from, name?, to?, type?, text?, mediaUrl?, latitude?, longitude?, at? | hoursAgo?} → 201 { contact, chat, message }:
 *   a customer writes in (new contact if new; the chat moves to the top of GET /api/whatsapp/chats; the 24-hour
 *   window opens from `at`). A text `LOGIN <code>` to a login session's number verifies that session.
 * - /template-status {template_id | template_name, status? (now), review? (at the next sync-status), reason?}
 * - /campaigns/run-due {all?}: scheduled campaigns whose time came are sent.
 * - /message-status {message_id (id or wamid), status: delivered | read | failed}
 * - /login/verify {sessionId, phone, name?}; /login/expire {sessionId}
 *
 * ## Campaign bodies (POST /api/campaigns; strict)
 * name, waba_id, template_name, recipient_type (all_contacts | specific_contacts + contact_numbers (digits) |
 * tags + tag_ids), variables_mapping, is_scheduled + scheduled_at (future, `…Z`), media_url (template with
 * media header), coupon_code (required by, and only for, a template with a copy-code button),
 * offer_expiration_minutes (limited-time-offer template), carousel_products [{product_retailer_id, catalog_id}]
 * (carousel template, one per card), platform.
 * Not documented by Messlo, the simulator's choice for rows 45–46: media carousel by URLs is
 * `carousel_cards: [{ media_url, media_type? ("image" | "video") }]`; by local files it is a multipart body:
 * the same fields as string parts (arrays and objects JSON-stringified, booleans "true"/"false"), and one
 * file part named `carousel_files` per card (sent several times).
 *
 * ## Template bodies (POST /api/template/create; strict)
 * waba_id, template_name (lowercase snake_case), category, language, template_type ("standard"),
 * message_body (required unless AUTHENTICATION; positional {{1}}… each with a variable_examples entry),
 * header_text (≤ 60, one variable at most) | header_url (https) + header_media_type, footer_text,
 * buttons [quick_reply {text} | phone_call {text, phone_number "+…"} | website {text, website_url} |
 * copy_code {text = the code} | catalog {text} (alone)], AUTHENTICATION: otp_buttons [{otp_type, copy_button_text?}],
 * add_security_recommendation, code_expiration_minutes, otp_code_length; limited-time offer: is_limited_time_offer,
 * offer_text (≤ 16), has_expiration (MARKETING, no footer); call_permission; carousel_cards (2–10 objects,
 * no header or buttons beside them); platform (instagram | facebook | telegram) instead of waba_id.
 */
import { SandboxServer } from '../../sandbox/framework';
import { MESSLO_DEMO, messloSimulator, receiveInbound, type InboundSpec, type MessloState, type TemplateStatus } from '../../sandbox/messlo';

export interface MessloSandbox {
	server: SandboxServer<MessloState>;
	credentials: { baseUrl: string; apiKey: string };
	/** A customer writes in (opens the 24-hour window; a polling trigger sees the chat move). */
	inbound(spec: InboundSpec): ReturnType<typeof receiveInbound>;
	/** Meta's verdict on a template, now. */
	setTemplateStatus(templateName: string, status: TemplateStatus): void;
	stop(): Promise<void>;
}

/** The Messlo simulator on a free 127.0.0.1 port, with credentials for the node. */
export async function startMesslo(): Promise<MessloSandbox> {
	const server = await new SandboxServer(messloSimulator()).start();
	return {
		server,
		credentials: { baseUrl: server.apiUrl, apiKey: MESSLO_DEMO.apiKey },
		inbound: (spec) => receiveInbound(server.state, spec),
		setTemplateStatus: (templateName, status) => {
			for (const template of server.state.templates.filter((entry) => entry.template_name === templateName)) {
				template.status = status;
				template.rejected_reason = status === 'REJECTED' ? 'INVALID_FORMAT' : null;
			}
		},
		stop: () => server.stop(),
	};
}

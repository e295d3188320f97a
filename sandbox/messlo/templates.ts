/**
 * Templates (rows 24–36, and GET /api/template of Messlo's client, which the node's template list
 * needs): create in every documented kind, validate a media URL, sync the approval status.
 *
 * A WhatsApp template starts PENDING; the next sync-status gives it Meta's verdict (approved,
 * unless a control route said it is to be rejected). Omnichannel templates are approved at once.
 */
import { z } from 'zod';

import { SandboxError, type Problem } from '../framework';
import {
	conflict,
	httpUrl,
	httpsUrl,
	isHttpUrl,
	MEDIA_KINDS,
	mediaKindOfUrl,
	missing,
	newestFirst,
	nonEmpty,
	objectId,
	ok,
	page,
	pageQuery,
	refused,
	requireConnection,
	route,
	urlReachable,
} from './common';
import { newId, nowIso, placeholdersOf, type MessloState, type Template } from './state';
import { templateJson } from './views';

const OMNICHANNEL = ['instagram', 'facebook', 'telegram'] as const;

const button = z.discriminatedUnion('type', [
	z.object({ type: z.literal('quick_reply'), text: nonEmpty('buttons[].text', 25) }).strict(),
	z
		.object({
			type: z.literal('phone_call'),
			text: nonEmpty('buttons[].text', 25),
			phone_number: z.string().regex(/^\+\d{7,15}$/, 'buttons[].phone_number must be in E.164 with a + (e.g. +1234567890).'),
		})
		.strict(),
	z.object({ type: z.literal('website'), text: nonEmpty('buttons[].text', 25), website_url: httpUrl('buttons[].website_url') }).strict(),
	z.object({ type: z.literal('copy_code'), text: nonEmpty('buttons[].text (the coupon code)', 15) }).strict(),
	z.object({ type: z.literal('catalog'), text: nonEmpty('buttons[].text', 25) }).strict(),
]);

export const templateBody = z
	.object({
		waba_id: nonEmpty('waba_id').optional(),
		platform: z.enum(OMNICHANNEL).optional(),
		template_name: z
			.string()
			.regex(/^[a-z0-9_]+$/, 'template_name must be lowercase letters, digits and underscores (e.g. order_update).')
			.max(512, 'template_name must be at most 512 characters.'),
		category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
		language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'language must be a locale code such as en_US.'),
		template_type: z.enum(['standard']).optional(),
		message_body: z.string().trim().min(1, 'message_body must not be empty.').max(1024, 'message_body must be at most 1024 characters.').optional(),
		header_text: z.string().trim().min(1, 'header_text must not be empty.').max(60, 'header_text must be at most 60 characters.').optional(),
		footer_text: z.string().trim().min(1, 'footer_text must not be empty.').max(60, 'footer_text must be at most 60 characters.').optional(),
		header_url: httpsUrl('header_url').optional(),
		header_media_type: z.enum(MEDIA_KINDS).optional(),
		variable_examples: z
			.array(z.object({ key: nonEmpty('variable_examples[].key'), example: nonEmpty('variable_examples[].example') }).strict())
			.optional(),
		buttons: z.array(button).min(1, 'buttons must hold at least one button.').max(10, 'buttons holds at most 10 buttons.').optional(),
		otp_buttons: z
			.array(z.object({ otp_type: z.enum(['COPY_CODE', 'ONE_TAP', 'ZERO_TAP']), copy_button_text: nonEmpty('otp_buttons[].copy_button_text', 25).optional() }).strict())
			.min(1, 'otp_buttons must hold one button.')
			.max(1, 'otp_buttons must hold one button.')
			.optional(),
		add_security_recommendation: z.boolean().optional(),
		code_expiration_minutes: z.number().int().min(1, 'code_expiration_minutes must be 1 to 90.').max(90, 'code_expiration_minutes must be 1 to 90.').optional(),
		otp_code_length: z.number().int().min(4, 'otp_code_length must be 4 to 8.').max(8, 'otp_code_length must be 4 to 8.').optional(),
		is_limited_time_offer: z.boolean().optional(),
		offer_text: nonEmpty('offer_text', 16).optional(),
		has_expiration: z.boolean().optional(),
		call_permission: z.boolean().optional(),
		carousel_cards: z.array(z.record(z.unknown())).min(2, 'carousel_cards must hold 2 to 10 cards.').max(10, 'carousel_cards must hold 2 to 10 cards.').optional(),
	})
	.strict();
type TemplateBody = z.infer<typeof templateBody>;

const OTP_FIELDS = ['otp_buttons', 'add_security_recommendation', 'code_expiration_minutes', 'otp_code_length'] as const;
const NOT_IN_AUTHENTICATION = ['message_body', 'header_text', 'header_url', 'header_media_type', 'buttons', 'variable_examples', 'carousel_cards', 'is_limited_time_offer'] as const;

/** What does not fit together in a template: the rules of the kind the body makes. */
function templateProblems(body: TemplateBody): Problem[] {
	const problems: Problem[] = [];
	const problem = (field: string, message: string) => problems.push({ field, message });

	if (body.platform === undefined && body.waba_id === undefined) problem('waba_id', 'waba_id is required (GET /api/whatsapp/connections lists them).');
	if (body.platform !== undefined && body.waba_id !== undefined) problem('waba_id', `A ${body.platform} template takes no waba_id.`);

	if (body.category === 'AUTHENTICATION') {
		for (const key of NOT_IN_AUTHENTICATION) {
			if (body[key] !== undefined) problem(key, `${key} does not belong to an AUTHENTICATION template (Meta writes its text).`);
		}
		if (body.otp_buttons === undefined) problem('otp_buttons', 'otp_buttons is required for an AUTHENTICATION template.');
	} else {
		for (const key of OTP_FIELDS) {
			if (body[key] !== undefined) problem(key, `${key} belongs to OTP templates: category must be AUTHENTICATION.`);
		}
		if (body.message_body === undefined) problem('message_body', 'message_body is required.');
	}

	// Variables: positional in the body, one example each.
	const bodyVariables = placeholdersOf(body.message_body);
	const named = bodyVariables.filter((name) => !/^\d+$/.test(name));
	if (named.length) problem('message_body', `message_body uses positional variables {{1}}, {{2}}, …, not ${named.map((name) => `{{${name}}}`).join(', ')}.`);
	const positions = bodyVariables.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
	if (positions.some((position, index) => position !== index + 1)) {
		problem('message_body', `message_body's variables must be numbered from {{1}} without gaps (found ${positions.map((n) => `{{${n}}}`).join(', ')}).`);
	}
	const examples = new Map((body.variable_examples ?? []).map((entry) => [entry.key, entry.example]));
	for (const position of positions) {
		if (!examples.has(String(position))) problem('variable_examples', `variable_examples needs an example for {{${position}}} (Meta reviews templates with examples).`);
	}
	for (const key of examples.keys()) {
		if (!bodyVariables.includes(key) && !placeholdersOf(body.header_text).includes(key)) {
			problem('variable_examples', `variable_examples has key ${key}, which the template does not use.`);
		}
	}
	if (placeholdersOf(body.header_text).length > 1) problem('header_text', 'header_text may hold one variable at most.');

	// Header: text or media, not both.
	if (body.header_text !== undefined && body.header_url !== undefined) problem('header_url', 'A template has one header: header_text or header_url, not both.');
	if (body.header_media_type !== undefined && body.header_url === undefined) problem('header_media_type', 'header_media_type goes with header_url.');
	if (body.header_url !== undefined && isHttpUrl(body.header_url, true)) {
		const kind = mediaKindOfUrl(body.header_url);
		if (body.header_media_type === undefined && kind === undefined) {
			problem('header_media_type', `header_media_type is required: the media kind cannot be told from ${body.header_url}.`);
		} else if (body.header_media_type !== undefined && kind !== undefined && kind !== body.header_media_type) {
			problem('header_url', `header_url looks like ${kind === 'image' || kind === 'audio' ? 'an' : 'a'} ${kind}, but header_media_type is ${body.header_media_type}.`);
		}
	}

	// Buttons, by Meta's limits.
	const buttons = body.buttons ?? [];
	const count = (type: string) => buttons.filter((entry) => entry.type === type).length;
	if (count('phone_call') > 1) problem('buttons', 'A template has at most one phone_call button.');
	if (count('website') > 2) problem('buttons', 'A template has at most two website buttons.');
	if (count('copy_code') > 1) problem('buttons', 'A template has at most one copy_code button.');
	if (count('catalog') > 0 && buttons.length > 1) problem('buttons', 'A catalog button is the template\'s only button.');

	// Limited-time offer.
	if (body.is_limited_time_offer) {
		if (body.offer_text === undefined) problem('offer_text', 'offer_text is required for a limited-time offer.');
		if (body.category !== 'MARKETING') problem('category', 'A limited-time offer is a MARKETING template.');
		if (body.footer_text !== undefined) problem('footer_text', 'A limited-time offer has no footer.');
	} else {
		if (body.offer_text !== undefined) problem('offer_text', 'offer_text goes with is_limited_time_offer: true.');
		if (body.has_expiration !== undefined) problem('has_expiration', 'has_expiration goes with is_limited_time_offer: true.');
	}

	// Carousel: the cards carry the media and buttons.
	if (body.carousel_cards !== undefined) {
		for (const key of ['header_text', 'header_url', 'header_media_type', 'buttons'] as const) {
			if (body[key] !== undefined) problem(key, `${key} does not belong to a carousel template: each card carries its own.`);
		}
	}
	return problems;
}

function requireTemplate(state: MessloState, id: string): Template {
	const template = state.templates.find((entry) => entry._id === id);
	if (!template) throw missing(`No template ${id} in this workspace.`, 'TEMPLATE_NOT_FOUND');
	return template;
}

export const templateRoutes = [
	// Rows 24–34
	route({
		method: 'POST',
		path: '/api/template/create',
		body: templateBody,
		handle: ({ body, state }) => {
			const problems = templateProblems(body);
			if (problems.length) throw new SandboxError(400, 'validation', problems);
			const connection = body.waba_id !== undefined ? requireConnection(state, body.waba_id) : undefined;
			if (body.header_url !== undefined) {
				const check = urlReachable(body.header_url);
				if (!check.reachable) {
					throw refused('MEDIA_URL_UNREACHABLE', `header_url: Meta could not fetch the sample header (${check.reason}) A template header URL must be public and reachable when the template is created.`, 'header_url');
				}
			}
			const platform = body.platform ?? 'whatsapp';
			const duplicate = state.templates.find(
				(entry) => entry.template_name === body.template_name && entry.language === body.language && entry.platform === platform && entry.connection_id === (connection?._id ?? null),
			);
			if (duplicate) throw conflict(`A template named ${body.template_name} in ${body.language} already exists (${duplicate._id}).`, 'TEMPLATE_EXISTS');

			const at = nowIso();
			const _id = newId(state);
			const template: Template = {
				_id,
				connection_id: connection?._id ?? null,
				waba_id: connection?.waba_id ?? null,
				platform,
				meta_template_id: connection ? String(BigInt(`0x${_id.slice(-12)}`) + 900_000_000_000_000n) : null,
				template_name: body.template_name,
				category: body.category,
				language: body.language,
				template_type: body.template_type ?? 'standard',
				status: connection ? 'PENDING' : 'APPROVED',
				rejected_reason: null,
				review_outcome: 'APPROVED',
				header_text: body.header_text ?? null,
				header_url: body.header_url ?? null,
				header_media_type: body.header_url !== undefined ? (body.header_media_type ?? mediaKindOfUrl(body.header_url)!) : null,
				message_body: body.message_body ?? null,
				footer_text: body.footer_text ?? null,
				variable_examples: body.variable_examples ?? [],
				buttons: body.buttons ?? [],
				otp_buttons: body.otp_buttons ?? [],
				add_security_recommendation: body.add_security_recommendation ?? null,
				code_expiration_minutes: body.code_expiration_minutes ?? null,
				otp_code_length: body.otp_code_length ?? null,
				is_limited_time_offer: body.is_limited_time_offer ?? false,
				offer_text: body.offer_text ?? null,
				has_expiration: body.has_expiration ?? false,
				call_permission: body.call_permission ?? false,
				carousel_cards: body.carousel_cards ?? [],
				created_at: at,
				updated_at: at,
			};
			state.templates.push(template);
			return {
				status: 201,
				json: ok(templateJson(template), {
					message: connection ? 'Template created and submitted to Meta for approval' : `Template created for ${platform}`,
				}),
			};
		},
	}),

	// Row 35: an unreachable URL is a 400 that says why
	route({
		method: 'POST',
		path: '/api/template/validate-media-url',
		body: z.object({ url: httpUrl('url'), media_type: z.enum(MEDIA_KINDS).optional() }).strict(),
		handle: ({ body }) => {
			const unreachable = (message: string) => ({ status: 400, json: { success: false, reachable: false, message, error: 'MEDIA_URL_UNREACHABLE' } });
			if (!isHttpUrl(body.url, true)) return unreachable('Meta fetches template media over https only: use an https URL.');
			const check = urlReachable(body.url);
			if (!check.reachable) return unreachable(`The URL is not reachable: ${check.reason}`);
			const kind = mediaKindOfUrl(body.url);
			if (body.media_type !== undefined && kind !== undefined && kind !== body.media_type) {
				return { status: 400, json: { success: false, reachable: true, message: `The URL looks like ${kind === 'image' || kind === 'audio' ? 'an' : 'a'} ${kind}, not ${body.media_type}.`, error: 'MEDIA_TYPE_MISMATCH' } };
			}
			return {
				json: ok({ url: body.url, media_type: body.media_type ?? kind ?? null }, { reachable: true, message: 'The media URL is reachable' }),
			};
		},
	}),

	// Row 36: PENDING templates get Meta's verdict
	route({
		method: 'POST',
		path: '/api/template/sync-status',
		body: z
			.object({
				waba_id: nonEmpty('waba_id'),
				template_ids: z.array(objectId('template_ids[]')).min(1, 'template_ids must hold at least one id (or be left out).').optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			const connection = requireConnection(state, body.waba_id);
			const inWaba = state.templates.filter((template) => template.connection_id === connection._id);
			for (const id of body.template_ids ?? []) {
				if (!inWaba.some((template) => template._id === id)) throw missing(`template_ids: no template ${id} in this WhatsApp Business Account.`, 'TEMPLATE_NOT_FOUND');
			}
			const chosen = body.template_ids ? inWaba.filter((template) => body.template_ids!.includes(template._id)) : inWaba;
			const updated: Array<{ _id: string; template_name: string; previous_status: string; status: string }> = [];
			const at = nowIso();
			for (const template of chosen) {
				if (template.status !== 'PENDING') continue;
				updated.push({ _id: template._id, template_name: template.template_name, previous_status: template.status, status: template.review_outcome });
				template.status = template.review_outcome;
				template.rejected_reason = template.status === 'REJECTED' ? 'INVALID_FORMAT' : null;
				template.updated_at = at;
			}
			return {
				json: ok(
					{ waba_id: connection.waba_id, synced: chosen.length, updated, templates: chosen.map(templateJson) },
					{ message: `${chosen.length} template statuses synced` },
				),
			};
		},
	}),

	// The template list (not among the 81 rows): newest first
	route({
		method: 'GET',
		path: '/api/template',
		query: z
			.object({ ...pageQuery(20, 100), waba_id: nonEmpty('waba_id').optional(), platform: z.enum(['whatsapp', ...OMNICHANNEL]).optional() })
			.strict(),
		handle: ({ query, state }) => {
			const platform = query.platform ?? 'whatsapp';
			if (platform === 'whatsapp' && query.waba_id === undefined) {
				throw new SandboxError(400, 'validation', [{ field: 'waba_id', message: 'waba_id is required for WhatsApp templates.' }]);
			}
			const connection = query.waba_id !== undefined ? requireConnection(state, query.waba_id) : undefined;
			const found = state.templates.filter((template) => template.platform === platform && (!connection || template.connection_id === connection._id));
			return { json: page(newestFirst(found, (template) => template.created_at), query, templateJson) };
		},
	}),

	route({
		method: 'GET',
		path: '/api/template/:id',
		query: z.object({}).strict(),
		handle: ({ params, state }) => ({ json: ok(templateJson(requireTemplate(state, params.id!))) }),
	}),
];


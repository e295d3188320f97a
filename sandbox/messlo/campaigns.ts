/**
 * Broadcast campaigns (rows 37–46, and POST /api/campaigns/:id/send of Messlo's client).
 *
 * A campaign that is not scheduled is sent when it is created (the document: "sends an approved
 * template to every contact"); a scheduled one waits for its time or for /send. Templates go out
 * whatever the 24-hour window (that is what templates are for), but only approved ones, with
 * exactly their variables, and only with the extras their kind takes (coupon, offer expiry,
 * dynamic header media, carousel cards).
 *
 * Rows 45 and 46 (media carousel) have no documented fields. The simulator takes, for URLs,
 * `carousel_cards: [{ media_url, media_type? }]` (one per card of the template), and for local
 * files a multipart body whose files are parts named `carousel_files` (one per card) and whose
 * other fields are string parts, arrays and objects JSON-stringified (Messlo's multipart form).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

import { mediaTypeOf, SandboxError, type FileFields, type Problem, type UploadedFile } from '../framework';
import {
	booleanPart,
	conflict,
	fileProblem,
	httpUrl,
	jsonPart,
	mediaKindOfUrl,
	missing,
	newestFirst,
	nonEmpty,
	objectId,
	ok,
	parseOrThrow,
	phoneDigits,
	refused,
	requireConnection,
	route,
} from './common';
import { checkVariables } from './messaging';
import {
	addMessage,
	chatFor,
	contactFor,
	hasCouponButton,
	isCarouselTemplate,
	newId,
	nowIso,
	primaryPhone,
	sha256,
	type Campaign,
	type Contact,
	type MessloState,
	type Template,
} from './state';
import { campaignJson } from './views';

const PLATFORMS = ['whatsapp', 'telegram', 'facebook', 'instagram', 'all'] as const;
const RECIPIENT_TYPES = ['all_contacts', 'specific_contacts', 'tags'] as const;

const shape = {
	name: nonEmpty('name', 256),
	waba_id: nonEmpty('waba_id').optional(),
	platform: z.enum(PLATFORMS).optional(),
	template_name: nonEmpty('template_name'),
	recipient_type: z.enum(RECIPIENT_TYPES),
	contact_numbers: z.array(phoneDigits('contact_numbers[]')).min(1, 'contact_numbers must hold at least one number.').optional(),
	tag_ids: z.array(objectId('tag_ids[]')).min(1, 'tag_ids must hold at least one tag id.').optional(),
	variables_mapping: z.record(z.string()).optional(),
	is_scheduled: z.boolean().optional(),
	scheduled_at: z
		.string()
		.refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(value) && !Number.isNaN(Date.parse(value)), 'scheduled_at must be an ISO-8601 UTC time such as 2026-04-15T10:00:00Z.')
		.optional(),
	media_url: httpUrl('media_url').optional(),
	coupon_code: nonEmpty('coupon_code', 15).optional(),
	offer_expiration_minutes: z.number().int('offer_expiration_minutes must be a whole number of minutes.').min(1, 'offer_expiration_minutes must be at least 1.').optional(),
	carousel_products: z
		.array(z.object({ product_retailer_id: nonEmpty('carousel_products[].product_retailer_id'), catalog_id: nonEmpty('carousel_products[].catalog_id') }).strict())
		.min(2, 'carousel_products must hold 2 to 10 products.')
		.max(10, 'carousel_products must hold 2 to 10 products.')
		.optional(),
	carousel_cards: z
		.array(z.object({ media_url: httpUrl('carousel_cards[].media_url'), media_type: z.enum(['image', 'video']).optional() }).strict())
		.min(2, 'carousel_cards must hold 2 to 10 cards.')
		.max(10, 'carousel_cards must hold 2 to 10 cards.')
		.optional(),
};

export const campaignBody = z.object(shape).strict();
type CampaignBody = z.infer<typeof campaignBody>;

/** Row 46 as multipart: the same fields as string parts (no carousel_cards: the files are the cards). */
const campaignForm = z
	.object({
		...shape,
		contact_numbers: jsonPart('contact_numbers').pipe(shape.contact_numbers).optional(),
		tag_ids: jsonPart('tag_ids').pipe(shape.tag_ids).optional(),
		variables_mapping: jsonPart('variables_mapping').pipe(shape.variables_mapping).optional(),
		carousel_products: jsonPart('carousel_products').pipe(shape.carousel_products).optional(),
		is_scheduled: booleanPart('is_scheduled').optional(),
		offer_expiration_minutes: z.coerce.number({ invalid_type_error: 'offer_expiration_minutes must be a whole number of minutes.' }).pipe(shape.offer_expiration_minutes.unwrap()).optional(),
		carousel_cards: z.never({ invalid_type_error: 'carousel_cards does not belong to a multipart campaign: send the files as carousel_files.' }).optional(),
	})
	.strict();

function campaignProblems(body: CampaignBody, carouselFiles: UploadedFile[] | undefined): Problem[] {
	const problems: Problem[] = [];
	const problem = (field: string, message: string) => problems.push({ field, message });
	const platform = body.platform ?? 'whatsapp';
	if ((platform === 'whatsapp' || platform === 'all') && body.waba_id === undefined) problem('waba_id', 'waba_id is required for a WhatsApp campaign.');
	if (body.recipient_type === 'specific_contacts' && body.contact_numbers === undefined) problem('contact_numbers', 'contact_numbers is required when recipient_type is specific_contacts.');
	if (body.recipient_type !== 'specific_contacts' && body.contact_numbers !== undefined) problem('contact_numbers', 'contact_numbers goes with recipient_type specific_contacts.');
	if (body.recipient_type === 'tags' && body.tag_ids === undefined) problem('tag_ids', 'tag_ids is required when recipient_type is tags.');
	if (body.recipient_type !== 'tags' && body.tag_ids !== undefined) problem('tag_ids', 'tag_ids goes with recipient_type tags.');
	if (body.is_scheduled && body.scheduled_at === undefined) problem('scheduled_at', 'scheduled_at is required when is_scheduled is true.');
	if (!body.is_scheduled && body.scheduled_at !== undefined) problem('scheduled_at', 'scheduled_at goes with is_scheduled: true.');
	if (body.is_scheduled && body.scheduled_at !== undefined && Date.parse(body.scheduled_at) <= Date.now()) {
		problem('scheduled_at', `scheduled_at must be in the future (it is ${body.scheduled_at}).`);
	}
	const carousels = [body.carousel_products && 'carousel_products', body.carousel_cards && 'carousel_cards', carouselFiles && 'carousel_files'].filter(Boolean);
	if (carousels.length > 1) problem(carousels[1]!, `Give one of carousel_products, carousel_cards, carousel_files, not ${carousels.join(' and ')}.`);
	return problems;
}

/** The extras a campaign gives must be the ones its template takes. */
function templateFitProblems(body: CampaignBody, template: Template, carouselFiles: UploadedFile[] | undefined): Problem[] {
	const problems: Problem[] = [];
	const problem = (field: string, message: string) => problems.push({ field, message });
	const name = template.template_name;
	if (body.media_url !== undefined) {
		if (!template.header_media_type) problem('media_url', `media_url: template ${name} has no media header.`);
		else {
			const kind = mediaKindOfUrl(body.media_url);
			if (kind && kind !== template.header_media_type) problem('media_url', `media_url looks like ${kind === 'image' || kind === 'audio' ? 'an' : 'a'} ${kind}; template ${name} has a ${template.header_media_type} header.`);
		}
	}
	if (hasCouponButton(template) && body.coupon_code === undefined) problem('coupon_code', `coupon_code is required: template ${name} has a copy-code button.`);
	if (!hasCouponButton(template) && body.coupon_code !== undefined) problem('coupon_code', `coupon_code: template ${name} has no copy-code button.`);
	if (!template.is_limited_time_offer && body.offer_expiration_minutes !== undefined) problem('offer_expiration_minutes', `offer_expiration_minutes: template ${name} is not a limited-time offer.`);
	if (template.is_limited_time_offer && template.has_expiration && body.offer_expiration_minutes === undefined) {
		problem('offer_expiration_minutes', `offer_expiration_minutes is required: template ${name} is a limited-time offer that expires.`);
	}
	const cards = body.carousel_products?.length ?? body.carousel_cards?.length ?? carouselFiles?.length;
	const field = body.carousel_products ? 'carousel_products' : body.carousel_cards ? 'carousel_cards' : 'carousel_files';
	if (isCarouselTemplate(template)) {
		if (cards === undefined) problem('carousel_products', `Template ${name} is a carousel: give carousel_products, carousel_cards or carousel_files (${template.carousel_cards.length} cards).`);
		else if (cards !== template.carousel_cards.length) problem(field, `${field} has ${cards} cards; template ${name} has ${template.carousel_cards.length}.`);
	} else if (cards !== undefined) problem(field, `${field}: template ${name} is not a carousel template.`);
	carouselFiles?.forEach((file, index) => {
		const kind = file.contentType.startsWith('video/') ? 'video' : 'image';
		const wrong = fileProblem(file, kind, `carousel_files.${index}`);
		if (wrong) problems.push(wrong);
	});
	return problems;
}

function recipientsOf(state: MessloState, campaign: Campaign): Contact[] {
	if (campaign.recipient_type === 'all_contacts') return [...state.contacts];
	if (campaign.recipient_type === 'tags') return state.contacts.filter((contact) => contact.tags.some((tag) => campaign.tag_ids.includes(tag)));
	return [...new Set(campaign.contact_numbers)].map((number) => contactFor(state, number, 'campaign'));
}

/** Sends the campaign's template to each recipient from the WABA's primary number. */
export function runCampaign(state: MessloState, campaign: Campaign): void {
	const connection = state.connections.find((entry) => entry._id === campaign.connection_id)!;
	const phone = primaryPhone(state, connection)!;
	const template = state.templates.find((entry) => entry._id === campaign.template_id)!;
	const recipients = recipientsOf(state, campaign);
	const at = nowIso();
	for (const contact of recipients) {
		addMessage(state, chatFor(state, contact, phone, at), 'outbound', {
			message_type: 'template',
			template_id: template._id,
			template_name: template.template_name,
			template_variables: campaign.variables_mapping,
			media_url: campaign.media_url ?? template.header_url,
			campaign_id: campaign._id,
			created_at: at,
		});
	}
	campaign.status = 'completed';
	campaign.sent_at = at;
	campaign.stats = { total_recipients: recipients.length, sent: recipients.length, failed: 0 };
}

function createCampaign(state: MessloState, rawBody: unknown, files: FileFields, multipart: boolean) {
	let body: CampaignBody;
	let carouselFiles: UploadedFile[] | undefined;
	if (multipart) {
		body = parseOrThrow(campaignForm, rawBody) as CampaignBody;
		const problems: Problem[] = Object.keys(files)
			.filter((field) => field !== 'carousel_files')
			.map((field) => ({ field, message: `${field} is not a file field of this request: the card files go in carousel_files.` }));
		if (problems.length) throw new SandboxError(400, 'validation', problems);
		const given = files.carousel_files;
		carouselFiles = given === undefined ? undefined : Array.isArray(given) ? given : [given];
		if (carouselFiles === undefined) throw new SandboxError(400, 'validation', [{ field: 'carousel_files', message: 'carousel_files is required in a multipart campaign (one file per carousel card).' }]);
	} else {
		body = parseOrThrow(campaignBody, rawBody);
	}
	const problems = campaignProblems(body, carouselFiles);
	if (problems.length) throw new SandboxError(400, 'validation', problems);

	const platform = body.platform ?? 'whatsapp';
	if (platform !== 'whatsapp' && platform !== 'all') throw missing(`No ${platform} channel is connected to this workspace (only WhatsApp is).`, 'CHANNEL_NOT_CONNECTED');
	const connection = requireConnection(state, body.waba_id!);
	for (const id of body.tag_ids ?? []) {
		if (!state.tags.some((tag) => tag._id === id)) throw missing(`tag_ids: no tag ${id} in this workspace (GET /api/tags lists them).`, 'TAG_NOT_FOUND');
	}
	const template = state.templates.find((entry) => entry.connection_id === connection._id && entry.template_name === body.template_name);
	if (!template) throw missing(`template_name: no template ${body.template_name} in WhatsApp Business Account ${connection.waba_id}.`, 'TEMPLATE_NOT_FOUND');
	if (template.status !== 'APPROVED') {
		throw refused('TEMPLATE_NOT_APPROVED', `Template ${template.template_name} is ${template.status}, not approved: a campaign sends approved templates only.`, 'template_name');
	}
	const fit = templateFitProblems(body, template, carouselFiles);
	if (fit.length) throw new SandboxError(400, 'validation', fit);
	const variables = checkVariables(template, body.variables_mapping ?? {}, 'variables_mapping');
	if (state.campaigns.some((campaign) => campaign.name === body.name)) throw conflict(`A campaign named ${body.name} already exists.`, 'CAMPAIGN_EXISTS');

	const campaign: Campaign = {
		_id: newId(state),
		name: body.name,
		connection_id: connection._id,
		waba_id: connection.waba_id,
		platform: 'whatsapp',
		template_id: template._id,
		template_name: template.template_name,
		recipient_type: body.recipient_type,
		contact_numbers: body.contact_numbers ?? [],
		tag_ids: body.tag_ids ?? [],
		variables_mapping: variables,
		is_scheduled: body.is_scheduled ?? false,
		scheduled_at: body.scheduled_at ?? null,
		media_url: body.media_url ?? null,
		coupon_code: body.coupon_code ?? null,
		offer_expiration_minutes: body.offer_expiration_minutes ?? null,
		carousel_products: body.carousel_products ?? [],
		carousel_cards: body.carousel_cards ?? [],
		carousel_files: (carouselFiles ?? []).map((file) => ({ file_name: file.filename, mime_type: file.contentType, size: file.size, sha256: sha256(file.buffer) })),
		status: 'scheduled',
		stats: { total_recipients: 0, sent: 0, failed: 0 },
		sent_at: null,
		created_at: nowIso(),
	};
	const recipients = recipientsOf(state, campaign).length;
	if (recipients === 0) throw refused('NO_RECIPIENTS', 'The campaign has no recipients: no contact matches its recipient_type.', 'recipient_type');
	campaign.stats.total_recipients = recipients;
	state.campaigns.push(campaign);
	if (!campaign.is_scheduled) runCampaign(state, campaign);
	return {
		status: 201,
		json: ok(campaignJson(campaign), {
			message: campaign.is_scheduled ? `Campaign scheduled for ${campaign.scheduled_at}` : `Campaign sent to ${campaign.stats.sent} contacts`,
		}),
	};
}

const isMultipart = (headers: IncomingHttpHeaders) => mediaTypeOf(headers['content-type']) === 'multipart/form-data';

export const campaignRoutes = [
	// Row 37: every campaign, newest first (no paging is documented)
	route({
		method: 'GET',
		path: '/api/campaigns',
		query: z.object({}).strict(),
		handle: ({ state }) => ({ json: ok(newestFirst(state.campaigns, (campaign) => campaign.created_at).map(campaignJson), { total: state.campaigns.length }) }),
	}),

	// Rows 38–46
	route({
		method: 'POST',
		path: '/api/campaigns',
		accepts: ['json', 'multipart'],
		handle: ({ body, files, headers, state }) => createCampaign(state, body, files, isMultipart(headers)),
	}),

	route({
		method: 'POST',
		path: '/api/campaigns/:id/send',
		body: z.object({}).strict(),
		handle: ({ params, state }) => {
			const campaign = state.campaigns.find((entry) => entry._id === params.id);
			if (!campaign) throw missing(`No campaign ${params.id} in this workspace.`, 'CAMPAIGN_NOT_FOUND');
			if (campaign.status === 'completed') throw conflict(`Campaign ${campaign.name} was already sent at ${campaign.sent_at}.`, 'CAMPAIGN_ALREADY_SENT');
			runCampaign(state, campaign);
			return { json: ok(campaignJson(campaign), { message: `Campaign sent to ${campaign.stats.sent} contacts` }) };
		},
	}),
];

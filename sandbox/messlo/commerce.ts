/**
 * Commerce & checkout (rows 77–80): sync a WABA's catalogs, list a catalog's products, order
 * webhooks (a URL the store calls) and the template each one sends.
 *
 * A store's call to the webhook URL (served here, like Messlo's) is captured; a template can be
 * mapped once a payload has been captured (its dot paths are checked against it); from then on
 * each order sends the mapped template to the number at `phone_number_field`, if it is approved.
 * With `require_auth`, the store sends the secret key as `X-Webhook-Secret` (Messlo does not
 * document how; the sandbox's choice).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

import { SandboxError, type Problem } from '../framework';
import { emptyBody, matches, missing, nonEmpty, objectId, ok, page, pageQuery, refused, requireConnection, route } from './common';
import { addMessage, chatFor, contactFor, digitsOf, newId, nowIso, primaryPhone, templateVariables, type MessloState, type OrderWebhook } from './state';
import { recordJson } from './views';

function valueAt(payload: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}

function requireWebhook(state: MessloState, id: string): OrderWebhook {
	const webhook = state.orderWebhooks.find((entry) => entry._id === id);
	if (!webhook) throw missing(`No order webhook ${id}.`, 'WEBHOOK_NOT_FOUND');
	return webhook;
}

const webhookJson = (webhook: OrderWebhook) => {
	const { secret_key: _secret, ...rest } = recordJson(webhook);
	return rest;
};

/** An order reaches a webhook: captured, and the mapped template sent when it can be. */
export function receiveOrder(state: MessloState, webhook: OrderWebhook, payload: unknown) {
	webhook.last_payload = payload;
	webhook.orders_received += 1;
	const mapping = webhook.template_mapping;
	if (!mapping) return { sent: null, skipped: 'No template is mapped yet.' };
	const template = state.templates.find((entry) => entry._id === mapping.template_id);
	if (!template || template.status !== 'APPROVED') return { sent: null, skipped: 'The mapped template is not approved.' };
	const phone = valueAt(payload, mapping.phone_number_field);
	if (typeof phone !== 'string' && typeof phone !== 'number') return { sent: null, skipped: `No phone number at ${mapping.phone_number_field}.` };
	const sender = primaryPhone(state, state.connections.find((connection) => connection._id === template.connection_id));
	if (!sender) return { sent: null, skipped: 'The template\'s WABA has no number.' };
	const variables = Object.fromEntries(
		Object.entries(mapping.variables)
			.filter(([key]) => key !== 'header')
			.map(([key, path]) => [key, String(valueAt(payload, path) ?? '')]),
	);
	const header = mapping.variables.header ? valueAt(payload, mapping.variables.header) : undefined;
	const contact = contactFor(state, digitsOf(String(phone)), 'api');
	const message = addMessage(state, chatFor(state, contact, sender), 'outbound', {
		message_type: 'template',
		template_id: template._id,
		template_name: template.template_name,
		template_variables: variables,
		media_url: typeof header === 'string' ? header : template.header_url,
		extra: { order_webhook_id: webhook._id },
	});
	return { sent: message._id, skipped: null };
}

const orderRoute = (method: 'POST' | 'GET' | 'PUT') =>
	route({
		method,
		path: '/api/ecommerce-webhook/receive/:id',
		auth: false,
		accepts: ['json', 'form'],
		handle: ({ params, body, query, headers, state }) => {
			const webhook = requireWebhook(state, params.id!);
			if (!webhook.is_active) throw refused('WEBHOOK_INACTIVE', 'This order webhook is inactive.');
			if (webhook.method !== method) throw new SandboxError(405, 'method_not_allowed', [{ message: `This webhook takes ${webhook.method} requests.` }]);
			if (webhook.require_auth) {
				const given = Buffer.from(String(headers['x-webhook-secret'] ?? ''));
				const expected = Buffer.from(webhook.secret_key);
				if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
					throw new SandboxError(401, 'unauthorized', [{ message: 'The X-Webhook-Secret header does not match this webhook\'s secret key.' }], 'UNAUTHORIZED');
				}
			}
			return { json: { success: true, received: true, ...receiveOrder(state, webhook, method === 'GET' ? query : body) } };
		},
	});

export const commerceRoutes = [
	// Row 77
	route({
		method: 'POST',
		path: '/api/ecommerce-catalog/waba/:waba_id/sync-catalogs',
		body: emptyBody,
		handle: ({ params, state }) => {
			const connection = requireConnection(state, params.waba_id!, 'waba_id');
			const catalogs = state.catalogs.filter((catalog) => catalog.connection_id === connection._id);
			const at = nowIso();
			for (const catalog of catalogs) catalog.last_synced_at = at;
			return { json: ok({ waba_id: connection.waba_id, synced: catalogs.length, catalogs: catalogs.map(recordJson) }, { message: `${catalogs.length} catalogs synced from Meta Commerce Manager` }) };
		},
	}),

	// Row 78: the catalog's Messlo id (Meta's catalog id is a 404 that says so)
	route({
		method: 'GET',
		path: '/api/ecommerce-catalog/catalog/:catalog_id/products',
		query: z.object({ ...pageQuery(20, 100), search: z.string().optional() }).strict(),
		handle: ({ params, query, state }) => {
			const catalog = state.catalogs.find((entry) => entry._id === params.catalog_id);
			if (!catalog) {
				const byMeta = state.catalogs.find((entry) => entry.catalog_id === params.catalog_id);
				throw missing(byMeta ? `${params.catalog_id} is Meta's catalog id: use Messlo's catalog id ${byMeta._id}.` : `No catalog ${params.catalog_id}.`, 'CATALOG_NOT_FOUND');
			}
			const found = state.products.filter((product) => product.catalog_id === catalog._id && matches(query.search, product.name, product.product_retailer_id));
			return { json: page(found, query, recordJson) };
		},
	}),

	// Row 79: the secret key is shown once
	route({
		method: 'POST',
		path: '/api/ecommerce-webhook/create',
		body: z.object({ webhook_name: nonEmpty('webhook_name', 128), require_auth: z.boolean().default(false), method: z.enum(['POST', 'GET', 'PUT']).default('POST') }).strict(),
		handle: ({ body, state, server }) => {
			const _id = newId(state);
			const webhook: OrderWebhook = {
				_id,
				webhook_name: body.webhook_name,
				require_auth: body.require_auth,
				method: body.method,
				webhook_url: `${server.apiUrl}/api/ecommerce-webhook/receive/${_id}`,
				secret_key: randomBytes(24).toString('hex'),
				is_active: true,
				template_mapping: null,
				last_payload: null,
				orders_received: 0,
				created_at: nowIso(),
			};
			state.orderWebhooks.push(webhook);
			return { status: 201, json: ok({ ...webhookJson(webhook), secret_key: webhook.secret_key }, { message: 'Order webhook created: keep the secret key, it is shown once' }) };
		},
	}),

	// Row 80
	route({
		method: 'POST',
		path: '/api/ecommerce-webhook/:id/map-template',
		body: z
			.object({
				template_id: objectId('template_id'),
				phone_number_field: nonEmpty('phone_number_field').default('customer.phone'),
				variables: z.record(nonEmpty('variables.*')).default({}),
			})
			.strict(),
		handle: ({ params, body, state }) => {
			const webhook = requireWebhook(state, params.id!);
			const template = state.templates.find((entry) => entry._id === body.template_id);
			if (!template) throw missing(`template_id: no template ${body.template_id}.`, 'TEMPLATE_NOT_FOUND');
			if (template.status !== 'APPROVED') throw refused('TEMPLATE_NOT_APPROVED', `Template ${template.template_name} is ${template.status}, not approved: map an approved template.`, 'template_id');
			if (webhook.last_payload === null) {
				throw refused('NO_PAYLOAD_CAPTURED', `No order has reached this webhook yet: send a test order to ${webhook.webhook_url} first, so the fields can be checked.`);
			}
			const problems: Problem[] = [];
			const expected = templateVariables(template);
			for (const name of expected) {
				if (body.variables[name] === undefined) problems.push({ field: `variables.${name}`, message: `variables.${name} is missing: template ${template.template_name} uses {{${name}}}.` });
			}
			for (const [key, path] of Object.entries(body.variables)) {
				if (key === 'header' ? !template.header_media_type : !expected.includes(key)) {
					problems.push({ field: `variables.${key}`, message: key === 'header' ? `variables.header: template ${template.template_name} has no media header.` : `variables.${key}: template ${template.template_name} has no variable {{${key}}}.` });
				} else if (valueAt(webhook.last_payload, path) === undefined) {
					problems.push({ field: `variables.${key}`, message: `variables.${key}: the captured order has nothing at ${path}.` });
				}
			}
			if (valueAt(webhook.last_payload, body.phone_number_field) === undefined) {
				problems.push({ field: 'phone_number_field', message: `phone_number_field: the captured order has nothing at ${body.phone_number_field}.` });
			}
			if (problems.length) throw new SandboxError(400, 'validation', problems);
			webhook.template_mapping = { template_id: template._id, phone_number_field: body.phone_number_field, variables: body.variables };
			return { json: ok(webhookJson(webhook), { message: `Template ${template.template_name} mapped` }) };
		},
	}),

	orderRoute('POST'),
	orderRoute('GET'),
	orderRoute('PUT'),
];

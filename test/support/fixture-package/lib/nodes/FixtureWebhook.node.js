'use strict';

const { createHmac, randomBytes, timingSafeEqual } = require('crypto');

// Fixture webhook trigger for a provider that keeps one callback URL per account
// (GET/PUT {baseUrl}/webhook-config). On publish it registers our URL with a `?secret=` query
// and remembers the URL the account had before; on unpublish it puts that URL back. webhook()
// refuses calls without the secret (401 through the response object), checks an optional HMAC
// signature over the raw body, and splits a batched body into one item per event. A GET 'setup'
// webhook answers the provider's verification handshake (hub.challenge) itself; the path is a
// parameter, so it may hold `:param` segments.

function sameText(a, b) {
	if (typeof a !== 'string' || typeof b !== 'string' || a === '' || a.length !== b.length) return false;
	return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

async function providerRequest(ctx, method, body) {
	const credentials = await ctx.getCredentials('fixtureApi');
	return await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'fixtureApi', {
		method,
		url: `${credentials.baseUrl}/webhook-config`,
		body,
		json: true,
	});
}

class FixtureWebhook {
	constructor() {
		this.description = {
			displayName: 'Fixture Webhook Trigger',
			name: 'fixtureWebhook',
			icon: 'fa:bolt',
			group: ['trigger'],
			version: 1,
			description: 'Starts the workflow when the fixture provider delivers events',
			defaults: { name: 'Fixture Webhook Trigger' },
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'fixtureApi', required: true }],
			webhooks: [
				{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: '={{$parameter["path"]}}' },
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '={{$parameter["path"]}}' },
			],
			properties: [
				{ displayName: 'Path', name: 'path', type: 'string', default: 'webhook' },
				{ displayName: 'Verify Token', name: 'verifyToken', type: 'string', default: 'verify-me' },
				{
					displayName: 'Events',
					name: 'events',
					type: 'multiOptions',
					options: [
						{ name: 'Message', value: 'message' },
						{ name: 'Status', value: 'status' },
					],
					default: ['message'],
				},
			],
		};

		this.webhookMethods = {
			default: {
				async checkExists() {
					const registration = this.getWorkflowStaticData('node');
					if (!registration.secret || !registration.registeredUrl) return false;
					const current = await providerRequest(this, 'GET');
					return current.url === registration.registeredUrl;
				},
				async create() {
					const registration = this.getWorkflowStaticData('node');
					const current = await providerRequest(this, 'GET');
					const secret = randomBytes(16).toString('hex');
					const url = new URL(this.getNodeWebhookUrl('default'));
					url.searchParams.set('secret', secret);
					await providerRequest(this, 'PUT', {
						url: url.toString(),
						events: this.getNodeParameter('events'),
						activation: this.getActivationMode(),
					});
					// Keep what the account had before, unless we replaced our own registration.
					if (current.url !== registration.registeredUrl) registration.previousUrl = current.url ?? null;
					registration.secret = secret;
					registration.registeredUrl = url.toString();
					return true;
				},
				async delete() {
					const registration = this.getWorkflowStaticData('node');
					if (!registration.registeredUrl) return true;
					await providerRequest(this, 'PUT', { url: registration.previousUrl ?? null });
					delete registration.secret;
					delete registration.registeredUrl;
					delete registration.previousUrl;
					delete registration.lastDelivery;
					return true;
				},
			},
		};
	}

	async webhook() {
		const registration = this.getWorkflowStaticData('node');
		const query = this.getQueryData();
		const headers = this.getHeaderData();
		const req = this.getRequestObject();
		const res = this.getResponseObject();

		if (this.getWebhookName() === 'setup') {
			if (query['hub.mode'] === 'subscribe' && sameText(this.getNodeParameter('verifyToken'), query['hub.verify_token'])) {
				res.writeHead(200, { 'Content-Type': 'text/plain' });
				res.end(String(query['hub.challenge']));
			} else {
				res.header('X-Reason', 'verify token').sendStatus(403);
			}
			return { noWebhookResponse: true };
		}

		if (!sameText(registration.secret, query.secret)) {
			res.status(401).json({ error: 'Unknown caller' });
			return { noWebhookResponse: true };
		}
		const signature = headers['x-fixture-signature'];
		if (signature !== undefined) {
			const expected = createHmac('sha256', registration.secret).update(req.rawBody).digest('hex');
			if (!sameText(expected, signature)) {
				res.setHeader('WWW-Authenticate', 'FixtureSignature');
				res.status(401).send('Bad signature');
				return { noWebhookResponse: true };
			}
		}

		const body = this.getBodyData() || {};
		const events = Array.isArray(body.events) ? body.events : [body];
		const wanted = this.getNodeParameter('events');
		const selected = events.filter((event) => wanted.includes(event.type));
		registration.lastDelivery = headers['x-delivery-id'] || null;
		if (selected.length === 0) {
			return { webhookResponse: { received: true, ignored: events.length } };
		}
		return {
			workflowData: [
				this.helpers.returnJsonArray(
					selected.map((event) => ({
						...event,
						deliveryId: headers['x-delivery-id'],
						webhook: this.getWebhookName(),
						path: req.url.split('?')[0],
						params: this.getParamsData(),
						webhookUrl: this.getNodeWebhookUrl('default'),
					})),
				),
			],
		};
	}
}

module.exports = { FixtureWebhook };

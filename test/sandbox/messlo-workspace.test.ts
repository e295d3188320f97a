/** The Messlo simulator's rows beyond messaging: Login with WhatsApp, automation, bots, forms, industry packs, ops, commerce. */
import { SandboxServer } from '../../sandbox/framework';
import { MESSLO_DEMO, MESSLO_SEED, messloSimulator, PLAN_LIMITS } from '../../sandbox/messlo';
import { call, caller, useStarted } from './helpers';

const server = new SandboxServer(messloSimulator());
useStarted(() => server.start(), () => server.reset());

const api = caller(() => server.url, { 'x-api-key': MESSLO_DEMO.apiKey });
const control = (path: string, json: unknown) => call('POST', `${server.controlUrl}/messlo${path}`, { json });
const fieldsOf = (response: { json: { errors?: Array<{ field: string }> } }) => (response.json.errors ?? []).map((error) => error.field).sort();
const ids = (response: { json: { data: Array<{ _id: string }> } }) => response.json.data.map((record) => record._id);

describe('Login with WhatsApp (rows 6–9)', () => {
	const start = (json: Record<string, unknown> = {}) => api('POST', '/v1/auth/whatsapp/start', { json });
	const events = (sessionId: string, token: string, signal?: AbortSignal) =>
		fetch(`${server.url}/v1/auth/whatsapp/events/${sessionId}?token=${encodeURIComponent(token)}`, { signal });

	it('starts a session on the primary number, Messlo\'s shared number, or a chosen one', async () => {
		const response = await start({ device_hash: 'abc123' });
		expect(response.status).toBe(201);
		expect(response.json).toEqual({
			success: true,
			sessionId: expect.stringMatching(/^[0-9a-f]{24}$/),
			waLink: expect.stringMatching(new RegExp(`^https://wa\\.me/${MESSLO_DEMO.senderNumber}\\?text=LOGIN%20[0-9A-F]{6}$`)),
			subscribeToken: expect.any(String),
			authAppId: expect.any(String),
			authAppName: 'Acme Login',
			expires_at: expect.any(String),
		});
		expect(Date.parse(response.json.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);
		expect((await start({ use_messlo_phone: true })).json.waLink).toContain(`wa.me/${MESSLO_SEED.messloLoginNumber}?`);
		expect((await start({ phone_number_id: '109876543210987' })).json.waLink).toContain(`wa.me/${MESSLO_DEMO.secondSenderNumber}?`);
		expect((await start({ phone_number_id: '999999999999999' })).status).toBe(404);
		expect(fieldsOf(await start({ use_messlo_phone: true, phone_number_id: MESSLO_DEMO.metaPhoneNumberId }))).toEqual(['phone_number_id']);
		expect(fieldsOf(await start({ phone: MESSLO_DEMO.senderNumber }))).toEqual(['phone']);
	});

	it('streams `verified` over SSE when the user sends the LOGIN message, and the status gives a single-use token', async () => {
		const { json: session } = await start();
		const stream = await events(session.sessionId, session.subscribeToken);
		// The headers come at once, before anything happened.
		expect(stream.status).toBe(200);
		expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		const pending = await api('GET', `/v1/auth/whatsapp/status/${session.sessionId}`);
		expect(pending.json).toEqual({ success: true, status: 'pending', sessionId: session.sessionId, expires_at: session.expires_at });

		const code = decodeURIComponent(session.waLink.split('text=')[1]);
		const inbound = await control('/inbound', { from: '+1 747 282 2486', name: 'Jane Smith', text: code.toLowerCase() });
		expect(inbound.json.login).toEqual({ sessionId: session.sessionId, status: 'success' });
		const body = await stream.text();
		expect(body).toBe(`: connected\n\nevent: verified\ndata: ${JSON.stringify({ sessionId: session.sessionId, status: 'success' })}\n\n`);

		const status = await api('GET', `/v1/auth/whatsapp/status/${session.sessionId}`);
		expect(status.json).toEqual({ success: true, status: 'success', sessionId: session.sessionId, verificationToken: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/) });
		const token = status.json.verificationToken;
		const verified = await api('POST', '/v1/auth/verify-token', { json: { token } });
		expect(verified.json).toEqual({ success: true, valid: true, user: { phone: '17472822486', name: 'Jane Smith' } });
		const again = await api('POST', '/v1/auth/verify-token', { json: { token } });
		expect(again.status).toBe(401);
		expect(again.json).toEqual({ success: false, valid: false, message: expect.stringContaining('already used'), error: 'INVALID_TOKEN' });
		const forged = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
		expect((await api('POST', '/v1/auth/verify-token', { json: { token: forged } })).json.valid).toBe(false);
	});

	it('answers an already verified session\'s stream at once; refuses a wrong subscribe token', async () => {
		const { json: session } = await start({ use_messlo_phone: true });
		const verified = await control('/login/verify', { sessionId: session.sessionId, phone: '447700900123', name: 'Tom' });
		expect(verified.json).toEqual({ sessionId: session.sessionId, status: 'success', user: { phone: '447700900123', name: 'Tom' } });
		// Messlo's shared number is not a number of this workspace: no chat message.
		expect(server.state.messages.some((message) => message.message.startsWith('LOGIN'))).toBe(false);
		expect(await (await events(session.sessionId, session.subscribeToken)).text()).toContain('event: verified');
		const wrong = await events(session.sessionId, 'nope');
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({ success: false, message: 'The subscribe token does not belong to this session.', error: 'INVALID_SUBSCRIBE_TOKEN' });
		expect((await call('GET', `${server.url}/v1/auth/whatsapp/events/${session.sessionId}`)).status).toBe(400);
	});

	it('expires: the status is a 410 and the stream says `expired`', async () => {
		const { json: session } = await start();
		const stream = await events(session.sessionId, session.subscribeToken);
		await control('/login/expire', { sessionId: session.sessionId });
		expect(await stream.text()).toContain('event: expired');
		const status = await api('GET', `/v1/auth/whatsapp/status/${session.sessionId}`);
		expect(status.status).toBe(410);
		expect(status.json).toEqual({ success: false, status: 'expired', message: 'The login session has expired: start a new one.', error: 'SESSION_EXPIRED' });
		expect((await control('/login/verify', { sessionId: session.sessionId, phone: '447700900123' })).status).toBe(409);
	});

	it('ends an open stream when the client leaves', async () => {
		const { json: session } = await start();
		const leaving = new AbortController();
		const stream = await events(session.sessionId, session.subscribeToken, leaving.signal);
		expect(stream.status).toBe(200);
		leaving.abort();
		await expect(stream.text()).rejects.toThrow();
		expect((await api('GET', `/v1/auth/whatsapp/status/${session.sessionId}`)).json.status).toBe('pending');
	});

	it('ends an open stream when the server stops', async () => {
		const own = await new SandboxServer(messloSimulator()).start();
		const started = await call('POST', `${own.url}/v1/auth/whatsapp/start`, { headers: { 'x-api-key': MESSLO_DEMO.apiKey }, json: {} });
		const stream = await fetch(`${own.url}/v1/auth/whatsapp/events/${started.json.sessionId}?token=${encodeURIComponent(started.json.subscribeToken)}`);
		const body = stream.text().catch(() => 'cut');
		const stopping = Date.now();
		await own.stop();
		expect(Date.now() - stopping).toBeLessThan(10_000);
		expect(await body).toMatch(/^(: connected\n\n|cut)$/);
	});

	it('wants the API key for start, status and verify', async () => {
		for (const [method, path] of [
			['POST', '/v1/auth/whatsapp/start'],
			['GET', '/v1/auth/whatsapp/status/x'],
			['POST', '/v1/auth/verify-token'],
		]) {
			expect((await call(method!, `${server.url}${path}`, { json: method === 'POST' ? {} : undefined })).status).toBe(401);
		}
	});
});

describe('automation flows (rows 47–52)', () => {
	const flow = {
		name: 'Order status',
		description: 'Answers where is my order',
		nodes: [
			{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, parameters: { event_type: 'message_received' } },
			{ id: 'm', type: 'send_message', position: { x: 200, y: 0 }, name: 'Reply', parameters: { recipient: '{{senderNumber}}', message_body: 'Checking…' } },
		],
		connections: [{ id: 'c', source: 't', target: 'm', sourceHandle: 'src', targetHandle: 'tgt' }],
	};

	it('lists flows with paging, search and is_active; lists node types', async () => {
		const list = await api('GET', '/api/automation');
		expect(list.json).toEqual({ success: true, pagination: { page: 1, limit: 20, totalItems: 1, totalPages: 1 }, data: [expect.objectContaining({ _id: MESSLO_SEED.flow.id, name: 'Welcome menu', is_active: true })] });
		expect((await api('GET', '/api/automation?is_active=false')).json.data).toEqual([]);
		expect((await api('GET', '/api/automation?is_active=yes')).status).toBe(400);
		const types = await api('GET', '/api/automation/node-types');
		expect(types.json.data).toContainEqual({ type: 'send_template', description: 'Sends an approved template', parameters: ['template_name', 'template_id', 'body_variables', 'header_media_url'] });
		expect(types.json.data).toHaveLength(26);
	});

	it('creates a flow (inactive), tests it only once active, and lists its executions', async () => {
		const created = await api('POST', '/api/automation', { json: flow });
		expect(created.status).toBe(201);
		expect(created.json.data).toMatchObject({ name: 'Order status', is_active: false, triggers: [{ event_type: 'message_received', conditions: {} }] });
		const id = created.json.data._id;
		const inactive = await api('POST', `/api/automation/${id}/test`, { json: {} });
		expect(inactive.json).toEqual({ success: false, message: expect.stringContaining('is inactive'), error: 'FLOW_INACTIVE' });

		expect((await api('PATCH', `/api/automation/${id}/toggle`, { json: { is_active: true } })).json).toMatchObject({ message: 'Automation flow activated', data: { is_active: true } });
		const test = await api('POST', `/api/automation/${id}/test`, { json: { test_data: { senderNumber: '919876543210', message: { body: 'where is my order' } } } });
		expect(test.json.data).toMatchObject({ flow_id: id, status: 'success', test: true, execution_log: [{ node_id: 't', status: 'success' }, { node_id: 'm', status: 'success' }] });
		expect(ids(await api('GET', `/api/automation/${id}/executions?status=success`))).toEqual([test.json.data._id]);
		expect((await api('GET', `/api/automation/${id}/executions?status=failed`)).json.data).toEqual([]);
		expect(fieldsOf(await api('PATCH', `/api/automation/${id}/toggle`, { json: {} }))).toEqual(['is_active']);
		expect((await api('POST', '/api/automation/5eed14000000000000000fff/test', { json: {} })).status).toBe(404);
	});

	it('refuses unknown node types, dangling connections, duplicate ids and an empty flow', async () => {
		expect(fieldsOf(await api('POST', '/api/automation', { json: { ...flow, nodes: [{ ...flow.nodes[0], type: 'sms' }] } }))).toEqual(['nodes.0.type']);
		expect(fieldsOf(await api('POST', '/api/automation', { json: { ...flow, connections: [{ id: 'c', source: 't', target: 'x' }] } }))).toEqual(['connections.0.target']);
		expect(fieldsOf(await api('POST', '/api/automation', { json: { ...flow, nodes: [flow.nodes[0], { ...flow.nodes[1], id: 't' }], connections: [] } }))).toEqual(['nodes.1.id']);
		expect(fieldsOf(await api('POST', '/api/automation', { json: { name: 'x', nodes: [] } }))).toEqual(['nodes']);
	});
});

describe('chatbots, message bots, quick replies (rows 59–64)', () => {
	it('lists and creates chatbots of a WABA, and trains one', async () => {
		expect(fieldsOf(await api('GET', '/api/chatbots'))).toEqual(['waba_id']);
		expect(ids(await api('GET', `/api/chatbots?waba_id=${MESSLO_DEMO.metaWabaId}`))).toEqual([MESSLO_SEED.chatbot.id]);
		const created = await api('POST', '/api/chatbots', { json: { waba_id: MESSLO_DEMO.wabaId, name: 'Sales bot', system_prompt: 'Be brief.' } });
		expect(created.json.data).toMatchObject({ name: 'Sales bot', status: 'draft', trained: { qna_pairs: 0, texts: 0 } });
		const id = created.json.data._id;
		expect((await api('POST', `/api/chatbots/${id}/train`, { json: {} })).status).toBe(400);
		const trained = await api('POST', `/api/chatbots/${id}/train`, { json: { training_data: [{ question: 'Hours?', answer: '9 to 5' }], knowledgeType: 'q&a' } });
		expect(trained.json.data).toMatchObject({ status: 'active', trained: { qna_pairs: 1, texts: 0 } });
		expect(fieldsOf(await api('POST', `/api/chatbots/${id}/train`, { json: { knowledgeType: 'pdf' } }))).toEqual(['knowledgeType']);
	});

	it('lists and creates keyword bots; lists quick replies', async () => {
		const list = await api('GET', `/api/message-bots?waba_id=${MESSLO_DEMO.wabaId}&search=price`);
		expect(ids(list)).toEqual([MESSLO_SEED.messageBot.id]);
		const created = await api('POST', '/api/message-bots', {
			json: { waba_id: MESSLO_DEMO.wabaId, keywords: ['hours'], matching_method: 'partial', partial_percentage: 80, reply_type: 'text', reply_id: '5eed1c000000000000000001' },
		});
		expect(created.json.data).toMatchObject({ keywords: ['hours'], matching_method: 'partial', partial_percentage: 80, status: 'active' });
		expect(fieldsOf(await api('POST', '/api/message-bots', { json: { waba_id: MESSLO_DEMO.wabaId, keywords: ['x'], partial_percentage: 80, reply_type: 'text', reply_id: '5eed1c000000000000000001' } }))).toEqual([
			'partial_percentage',
		]);
		expect(fieldsOf(await api('POST', '/api/message-bots', { json: { waba_id: MESSLO_DEMO.wabaId, keywords: [], reply_type: 'fax' } }))).toEqual(['keywords', 'reply_type']);
		expect((await api('GET', '/api/quick-replies?search=shortly')).json.data).toEqual([expect.objectContaining({ _id: MESSLO_SEED.quickReply.id })]);
	});
});

describe('forms (rows 65–67)', () => {
	it('creates a form as a draft Meta Flow, publishes it, lists and reads it', async () => {
		const created = await api('POST', '/api/forms', {
			json: { waba_id: MESSLO_DEMO.wabaId, name: 'Callback', fields: [{ type: 'text', label: 'Name', required: true }, { type: 'dropdown', label: 'When', options: [{ id: 'am', title: 'Morning' }], hint: 'kept' }] },
		});
		expect(created.status).toBe(201);
		expect(created.json.data).toMatchObject({ category: 'CUSTOM', meta_status: 'DRAFT', flow: { flow_id: expect.stringMatching(/^\d{16}$/), status: 'DRAFT' } });
		expect(created.json.data.fields[1].hint).toBe('kept');
		const id = created.json.data._id;
		expect((await api('PATCH', `/api/forms/${id}/publish`, { json: { now: true } })).status).toBe(400);
		expect((await api('PATCH', `/api/forms/${id}/publish`)).json.data).toMatchObject({ meta_status: 'PUBLISHED', flow: { status: 'PUBLISHED' } });
		expect((await api('GET', `/api/forms/${id}`)).json.data.flow.status).toBe('PUBLISHED');
		expect(ids(await api('GET', `/api/forms?waba_id=${MESSLO_DEMO.wabaId}&meta_status=published&search=call`))).toEqual([id]);
		expect(fieldsOf(await api('GET', '/api/forms'))).toEqual(['waba_id']);
		expect(fieldsOf(await api('POST', '/api/forms', { json: { waba_id: MESSLO_DEMO.wabaId, name: 'x', fields: [{ type: 'text' }] } }))).toEqual(['fields.0.label']);
	});
});

describe('industry packs (rows 68–70)', () => {
	it('lists and previews packs without an API key, personalized', async () => {
		const list = await call('GET', `${server.url}/api/industry-packs/public`);
		expect(list.json.data.map((pack: { slug: string }) => pack.slug)).toEqual(['real_estate_builder', 'school', 'ngo']);
		const preview = await call('GET', `${server.url}/api/industry-packs/public/school/preview?company_name=Acme%20School&city=Pune`);
		expect(preview.json.data.flows[0].greeting).toBe('Welcome to Acme School admissions.');
		expect((await call('GET', `${server.url}/api/industry-packs/public/bakery/preview`)).status).toBe(404);
	});

	it('applies a pack once: its tags, segments, fields and flows are added, then nothing more', async () => {
		expect((await call('POST', `${server.url}/api/industry-packs/apply`, { json: { pack_slug: 'ngo' } })).status).toBe(401);
		const applied = await api('POST', '/api/industry-packs/apply', { json: { pack_slug: 'ngo', personalization: { company_name: 'Green Earth' } } });
		expect(applied.json.data).toEqual({ pack_slug: 'ngo', created: { tags: 2, segments: 1, custom_fields: 1, flows: 1 }, setup_overrides: {} });
		expect(server.state.flows.at(-1)!.nodes[1]!.parameters).toMatchObject({ message_body: 'Thank you for supporting Green Earth!' });
		expect((await api('POST', '/api/industry-packs/apply', { json: { pack_slug: 'ngo' } })).json.data.created).toEqual({ tags: 0, segments: 0, custom_fields: 0, flows: 0 });
		expect(fieldsOf(await api('POST', '/api/industry-packs/apply', { json: { pack_slug: 'ngo', setup_overrides: { theme: 'dark' } } }))).toEqual(['setup_overrides.theme']);
	});
});

describe('ops (rows 71, 74–76)', () => {
	it('reports plan usage at the plural and the singular path', async () => {
		const plural = await api('GET', '/api/subscriptions/usage');
		expect(plural.json).toEqual({ success: true, data: { plan: 'Growth', limits: PLAN_LIMITS, usage: expect.objectContaining({ contacts: 3, templates: 11, tags: 2, bot_flows: 1 }) } });
		expect((await api('GET', '/api/subscription/usage')).json).toEqual(plural.json);
	});

	it('gives a Google OAuth URL that carries return_to', async () => {
		const response = await api('GET', '/api/google/connect?return_to=/settings');
		const url = new URL(response.json.data.url);
		expect(url.origin).toBe('https://accounts.google.com');
		expect(JSON.parse(Buffer.from(url.searchParams.get('state')!, 'base64url').toString())).toEqual({ return_to: '/settings' });
		expect((await api('GET', '/api/google/connect')).json.data.return_to).toBe('/google_account');
		expect(fieldsOf(await api('GET', '/api/google/connect?return_to=https://evil.example'))).toEqual(['return_to']);
	});

	it('lists sequences of a WABA and kanban funnels by type', async () => {
		expect(ids(await api('GET', `/api/sequences?waba_id=${MESSLO_DEMO.wabaId}`))).toEqual([MESSLO_SEED.sequence.id]);
		expect((await api('GET', `/api/sequences?waba_id=${MESSLO_DEMO.secondWabaId}`)).json.data).toEqual([]);
		expect(fieldsOf(await api('GET', '/api/sequences'))).toEqual(['waba_id']);
		expect(ids(await api('GET', '/api/kanban-funnels?funnelType=contact'))).toEqual([MESSLO_SEED.funnel.id]);
		expect((await api('GET', '/api/kanban-funnels?funnelType=deal')).json.data).toEqual([]);
		expect((await api('GET', '/api/kanban-funnels?funnel_type=deal')).status).toBe(400);
	});
});

describe('commerce (rows 77–80)', () => {
	it('syncs a WABA\'s catalogs and pages a catalog\'s products by Messlo\'s catalog id', async () => {
		const synced = await api('POST', `/api/ecommerce-catalog/waba/${MESSLO_DEMO.metaWabaId}/sync-catalogs`, { json: {} });
		expect(synced.json.data).toMatchObject({ waba_id: MESSLO_DEMO.metaWabaId, synced: 1, catalogs: [{ _id: MESSLO_SEED.catalog.id, catalog_id: MESSLO_SEED.catalog.metaCatalogId }] });
		const products = await api('GET', `/api/ecommerce-catalog/catalog/${MESSLO_SEED.catalog.id}/products?limit=2`);
		expect(products.json.pagination).toEqual({ page: 1, limit: 2, totalItems: 3, totalPages: 2 });
		expect(products.json.data[0]).toMatchObject({ product_retailer_id: 'prod_1', name: 'Linen shirt', currency: 'INR' });
		expect((await api('GET', `/api/ecommerce-catalog/catalog/${MESSLO_SEED.catalog.id}/products?search=belt`)).json.data).toHaveLength(1);
		const byMetaId = await api('GET', `/api/ecommerce-catalog/catalog/${MESSLO_SEED.catalog.metaCatalogId}/products`);
		expect(byMetaId.json.message).toContain(`use Messlo's catalog id ${MESSLO_SEED.catalog.id}`);
	});

	it('creates an order webhook, maps a template once an order was captured, then sends it for each order', async () => {
		const created = await api('POST', '/api/ecommerce-webhook/create', { json: { webhook_name: 'Shopify orders' } });
		expect(created.status).toBe(201);
		expect(created.json.data).toMatchObject({ webhook_name: 'Shopify orders', require_auth: false, method: 'POST', is_active: true, secret_key: expect.stringMatching(/^[0-9a-f]{48}$/) });
		const { _id: id, webhook_url: webhookUrl } = created.json.data;
		const mapping = { template_id: MESSLO_SEED.templates.checkout_invoice, variables: { 1: 'customer.first_name', 2: 'order.name', header: 'invoice.pdf_url' } };
		expect((await api('POST', `/api/ecommerce-webhook/${id}/map-template`, { json: mapping })).json.error).toBe('NO_PAYLOAD_CAPTURED');

		const order = { customer: { first_name: 'Asha', phone: '+91 98765 43210' }, order: { name: '#1001' }, invoice: { pdf_url: 'https://shop.example.com/1001.pdf' } };
		expect((await call('POST', webhookUrl, { json: order })).json).toEqual({ success: true, received: true, sent: null, skipped: 'No template is mapped yet.' });
		expect(fieldsOf(await api('POST', `/api/ecommerce-webhook/${id}/map-template`, { json: { ...mapping, variables: { 1: 'customer.last_name', 2: 'order.name' } } }))).toEqual(['variables.1']);
		expect(fieldsOf(await api('POST', `/api/ecommerce-webhook/${id}/map-template`, { json: { template_id: MESSLO_SEED.templates.welcome_offer, variables: { 1: 'order.name', header: 'invoice.pdf_url' } } }))).toEqual([
			'variables.2',
			'variables.header',
		]);
		expect((await api('POST', `/api/ecommerce-webhook/${id}/map-template`, { json: { template_id: MESSLO_SEED.templates.spring_sale } })).json.error).toBe('TEMPLATE_NOT_APPROVED');
		const mapped = await api('POST', `/api/ecommerce-webhook/${id}/map-template`, { json: mapping });
		expect(mapped.json.data).toMatchObject({ template_mapping: { template_id: MESSLO_SEED.templates.checkout_invoice, phone_number_field: 'customer.phone' } });
		expect(mapped.json.data.secret_key).toBeUndefined();

		const next = await call('POST', webhookUrl, { json: { ...order, order: { name: '#1002' } } });
		expect(next.json.sent).toMatch(/^[0-9a-f]{24}$/);
		expect(server.state.messages.find((message) => message._id === next.json.sent)).toMatchObject({
			template_name: 'checkout_invoice',
			template_variables: { 1: 'Asha', 2: '#1002' },
			media_url: 'https://shop.example.com/1001.pdf',
			to: '919876543210',
			contact_id: MESSLO_SEED.asha.contactId,
		});
	});

	it('checks the secret key of a webhook that requires it, and its method', async () => {
		const { json } = await api('POST', '/api/ecommerce-webhook/create', { json: { webhook_name: 'Woo', require_auth: true, method: 'PUT' } });
		const url = json.data.webhook_url;
		expect((await call('PUT', url, { json: { a: 1 } })).status).toBe(401);
		expect((await call('PUT', url, { json: { a: 1 }, headers: { 'x-webhook-secret': json.data.secret_key } })).json.received).toBe(true);
		expect((await call('POST', url, { json: { a: 1 }, headers: { 'x-webhook-secret': json.data.secret_key } })).status).toBe(405);
		expect(fieldsOf(await api('POST', '/api/ecommerce-webhook/create', { json: { webhook_name: 'x', method: 'PATCH' } }))).toEqual(['method']);
	});
});

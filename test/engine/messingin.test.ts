import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import demo from '../../demo/workflows/messingin-session-qr-and-echo.json';

import { MESSINGIN_DEMO } from '../../sandbox/messingin';
import { inspectPng } from '../../sandbox/png';
import { startMessingin, WEBHOOK_SECRET } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMessingin);

const SEND = 'POST /api/whatsapp/sessions/:sessionId/messages';
const CREATE = 'POST /api/whatsapp/sessions';

const run = (parameters: INodeParameters, options: { inputJson?: IDataObject[]; credentials?: ICredentialDataDecryptedObject; continueOnFail?: boolean } = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Messingin', type: 'messingin', parameters, ...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}) }],
		credentials: { messinginApi: options.credentials ?? { ...env.sandbox.credentials } },
		inputJson: options.inputJson,
	});

const bodies = (route: string) => env.sandbox.server.accepted(route).map((request) => request.body);
const TRIGGER_URL = 'https://n8n.example.com/webhook/6f1c2d3e-0000-4000-8000-00000000abcd/messingin';

describe('Session → Create', () => {
	it('returns the session id, and the QR code as a PNG an image decoder accepts', async () => {
		const result = await run({ resource: 'session', operation: 'create', name: 'Support line', binaryPropertyName: 'qrCode' });
		expect(result.error).toBeUndefined();
		const [item] = result.output();
		expect(item.json).toEqual({ sessionId: 'session_1', qrCode: true });
		expect(item.binary?.qrCode).toMatchObject({ mimeType: 'image/png', fileName: 'qr-code-session_1.png', fileExtension: 'png' });
		const png = inspectPng(await result.binary(item, 'qrCode'));
		expect(png).toMatchObject({ width: 264, height: 264, chunks: ['IHDR', 'IDAT', 'IEND'] });
		expect(bodies(CREATE)).toEqual([{ name: 'Support line' }]);
		expect(env.sandbox.server.received(CREATE)[0].headers.authorization).toBe('[redacted]');
	});

	it('adds the credential\'s webhook secret to a Messingin Trigger\'s URL', async () => {
		await run({ resource: 'session', operation: 'create', name: 'Sales', webhook: TRIGGER_URL });
		expect(bodies(CREATE)).toEqual([{ name: 'Sales', webhook: `${TRIGGER_URL}?secret=${WEBHOOK_SECRET}` }]);
		expect(env.sandbox.server.state.sessions[0].webhook).toBe(`${TRIGGER_URL}?secret=${WEBHOOK_SECRET}`);
	});

	it('keeps any other URL as typed, and a trigger URL that already has its secret', async () => {
		const other = 'https://crm.example.com/hooks/whatsapp?team=7';
		await run({ resource: 'session', operation: 'create', name: '={{ $json.name }}', webhook: '={{ $json.webhook }}' }, {
			inputJson: [
				{ name: 'CRM', webhook: other },
				{ name: 'Already signed', webhook: `${TRIGGER_URL}?secret=mine` },
			],
		});
		expect(bodies(CREATE)).toEqual([
			{ name: 'CRM', webhook: other },
			{ name: 'Already signed', webhook: `${TRIGGER_URL}?secret=mine` },
		]);
	});

	it('fails before any request for a trigger URL when the credential has no webhook secret, or for a URL that is not http(s)', async () => {
		const noSecret = await run({ resource: 'session', operation: 'create', name: 'Sales', webhook: TRIGGER_URL }, { credentials: { ...env.sandbox.credentials, webhookSecret: '' } });
		expect(noSecret.error?.message).toBe("Webhook URL is a Messingin Trigger's URL, but the Messingin credential has no Webhook Secret");
		expect(noSecret.error?.description).toMatch(/Set a Webhook Secret/);
		const ftp = await run({ resource: 'session', operation: 'create', name: 'Sales', webhook: 'ftp://example.com/x' });
		expect(ftp.error?.message).toBe('Webhook URL must be an http:// or https:// address: "ftp://example.com/x"');
		const noName = await run({ resource: 'session', operation: 'create', name: '  ' });
		expect(noName.error?.message).toBe('Name is empty');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	/** Publishes the Messingin Trigger `name` of a workflow: the workflow's static data as n8n saves it then. */
	async function publishTrigger(name: string, webhookId: string) {
		const active = await env.pkg.activateWebhooks({ node: { name, type: 'messinginTrigger', webhookId, parameters: { events: ['message.received'] } }, credentials: { messinginApi: env.sandbox.credentials } });
		expect(active.error).toBeUndefined();
		return active;
	}

	const createIn = (staticData: IDataObject, parameters: INodeParameters) =>
		env.pkg.runWorkflow({
			nodes: [{ name: 'Messingin', type: 'messingin', parameters: { resource: 'session', operation: 'create', name: 'Sales', webhookTarget: 'trigger', ...parameters } }],
			credentials: { messinginApi: env.sandbox.credentials },
			staticData,
		});

	it('offers the Production URL of the workflow\'s own Messingin Trigger, noted when it was published, with the secret', async () => {
		const published = await publishTrigger('Customer Writes In', '6f1c2d3e-0000-4000-8000-00000000cafe');
		const result = await createIn(published.staticData, {});
		expect(result.error).toBeUndefined();
		expect(bodies(CREATE)).toEqual([{ name: 'Sales', webhook: `${published.webhookUrl}?secret=${WEBHOOK_SECRET}` }]);
	});

	it('says to publish first when the workflow\'s trigger has no URL yet, and which trigger to name when it has several', async () => {
		const unpublished = await createIn({}, {});
		expect(unpublished.error?.message).toBe('This workflow\'s Messingin Trigger has no Production URL yet');
		expect(unpublished.error?.description).toMatch(/^Publish the workflow first/);
		// Looking changes nothing: a run must never overwrite what a publication noted.
		expect(unpublished.staticData).not.toHaveProperty('global.messinginTriggerUrls');
		const first = await publishTrigger('Sales Inbox', '6f1c2d3e-0000-4000-8000-0000000000a1');
		const both = await env.pkg.activateWebhooks({ node: { name: 'Support Inbox', type: 'messinginTrigger', webhookId: '6f1c2d3e-0000-4000-8000-0000000000a2', parameters: {} }, credentials: { messinginApi: env.sandbox.credentials }, staticData: first.staticData });
		expect((await createIn(both.staticData, {})).error?.message).toBe('This workflow has 2 Messingin Triggers: Sales Inbox, Support Inbox');
		expect((await createIn(both.staticData, { triggerName: 'Support Inbox' })).error).toBeUndefined();
		expect(bodies(CREATE)).toEqual([{ name: 'Sales', webhook: `${both.webhookUrl}?secret=${WEBHOOK_SECRET}` }]);
		expect(env.sandbox.server.received(CREATE)).toHaveLength(1);
	});

	it('forgets the URL when the workflow is unpublished', async () => {
		const published = await publishTrigger('Customer Writes In', '6f1c2d3e-0000-4000-8000-00000000cafe');
		const off = await env.pkg.deactivateWebhooks({ node: { name: 'Customer Writes In', type: 'messinginTrigger', webhookId: '6f1c2d3e-0000-4000-8000-00000000cafe', parameters: {} }, credentials: { messinginApi: env.sandbox.credentials }, staticData: published.staticData });
		expect((await createIn(off.staticData, {})).error?.message).toBe('This workflow\'s Messingin Trigger has no Production URL yet');
	});

	it('in the npm start demo, points the session at the demo\'s own trigger without an expression', async () => {
		const create = demo.nodes.find((candidate) => candidate.name === 'Create Session')!;
		const trigger = demo.nodes.find((candidate) => candidate.name === 'Customer Writes In')!;
		expect(JSON.stringify(create.parameters)).not.toContain('{{');
		const published = await publishTrigger(trigger.name, trigger.webhookId!);
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: create.name, type: 'messingin', parameters: create.parameters as INodeParameters }],
			credentials: { messinginApi: env.sandbox.credentials },
			staticData: published.staticData,
		});
		expect(result.error).toBeUndefined();
		expect(bodies(CREATE)[0]).toEqual({ name: 'Demo shop', webhook: `http://127.0.0.1:5678/webhook/${trigger.webhookId}/messingin?secret=${WEBHOOK_SECRET}` });
	});

	it('shows the plan\'s session limit', async () => {
		env.sandbox.server.state.account.limits.sessions = 1;
		const result = await run({ resource: 'session', operation: 'create', name: 'x' }, { inputJson: [{}, {}], continueOnFail: true });
		expect(result.json()[1]).toEqual({
			error: 'Messingin: Session limit reached: the Enterprise plan allows 1 session.',
			details: { description: 'Your Messingin plan or API key does not allow this (each plan allows a number of sessions).', field: null },
		});
	});
});

describe('Message → Send', () => {
	it('sends to numbers typed any common way, as +E.164', async () => {
		const session = env.sandbox.connectedSession();
		const result = await run(
			{ resource: 'message', operation: 'send', sessionId: session.sessionId, to: '={{ $json.phone }}', message: '={{ "Hello " + $json.name + " 👋" }}' },
			{ inputJson: [{ phone: '+1 (747) 282-2486', name: 'Jane' }, { phone: '0044 20 7946 0958', name: 'Tom' }, { phone: '8801988123456', name: 'Rafi' }] },
		);
		expect(result.error).toBeUndefined();
		expect(bodies(SEND)).toEqual([
			{ to: '+17472822486', message: 'Hello Jane 👋' },
			{ to: '+442079460958', message: 'Hello Tom 👋' },
			{ to: '+8801988123456', message: 'Hello Rafi 👋' },
		]);
		expect(result.json()).toEqual([
			{ recipient: '+17472822486', messageId: 'msg_001', id: 'msg_001', sessionId: 'session_1', to: '+17472822486', message: 'Hello Jane 👋', status: 'sent', timestamp: expect.stringMatching(/Z$/) },
			expect.objectContaining({ id: 'msg_002', to: '+442079460958' }),
			expect.objectContaining({ id: 'msg_003', to: '+8801988123456' }),
		]);
		expect(result.unpairedItems()).toEqual([]);
	});

	it('fails an impossible number on its own item, before any request', async () => {
		const session = env.sandbox.connectedSession();
		const result = await run(
			{ resource: 'message', operation: 'send', sessionId: session.sessionId, to: '={{ $json.phone }}', message: 'hi' },
			{ inputJson: [{ phone: '12345' }, { phone: '+17472822486' }], continueOnFail: true },
		);
		expect(result.json()[0].error).toMatch(/^To: "12345" is not a valid phone number: without a \+ it is read with its country code first, and it has 4 digits after \+1 /);
		expect(result.json()[1]).toMatchObject({ id: 'msg_001' });
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
	});

	it('shows the provider\'s message for a session that is not connected or does not exist', async () => {
		const pending = env.sandbox.connectedSession();
		pending.status = 'qr';
		const notConnected = await run({ resource: 'message', operation: 'send', sessionId: pending.sessionId, to: '+17472822486', message: 'hi' });
		expect(notConnected.error?.message).toBe('Messingin: Session session_1 is not connected: scan its QR code first.');
		const missing = await run({ resource: 'message', operation: 'send', sessionId: 'session_404', to: '+17472822486', message: 'hi' });
		expect(missing.error).toMatchObject({ message: 'Messingin: Session not found', httpCode: '404' });
	});
});

describe('the credential', () => {
	const apiKey = 'mk-WRONG-0123456789';

	it('is tested by an authenticated call that tells a wrong key from a working one', async () => {
		expect(await env.pkg.testCredential({ type: 'messinginApi', data: env.sandbox.credentials })).toMatchObject({ status: 'OK' });
		const wrong = await env.pkg.testCredential({ type: 'messinginApi', data: { ...env.sandbox.credentials, apiKey } });
		expect(wrong).toEqual({ status: 'Error', message: expect.stringMatching(/^Messingin refused the credential: Invalid or missing API key \(HTTP 401\)\. Check the API key in the Messingin credential\./) });
		expect(wrong.message).not.toContain(apiKey);
		expect(env.sandbox.server.received().map((request) => request.status)).toEqual([404, 401]);
		expect(env.sandbox.server.accepted()).toHaveLength(0);
	});

	it('authenticates with a Bearer header, and never shows the key or the webhook secret', async () => {
		const session = env.sandbox.connectedSession();
		const result = await run({ resource: 'message', operation: 'send', sessionId: session.sessionId, to: '+17472822486', message: `key ${MESSINGIN_DEMO.apiKey}` });
		expect(result.json()[0].message).toBe('key [redacted]');
		const refused = await run({ resource: 'message', operation: 'send', sessionId: session.sessionId, to: '+17472822486', message: 'x' }, { credentials: { ...env.sandbox.credentials, apiKey }, continueOnFail: true });
		expect(refused.json()[0]).toEqual({ error: 'Messingin: Invalid or missing API key', details: { description: 'Check the API key in the Messingin credential.', field: null, recipient: '+17472822486' } });
		expect(JSON.stringify(refused.run)).not.toContain(apiKey);
		const created = await run({ resource: 'session', operation: 'create', name: 'x', webhook: TRIGGER_URL });
		expect(JSON.stringify(created.run)).not.toContain(WEBHOOK_SECRET);
	});
});

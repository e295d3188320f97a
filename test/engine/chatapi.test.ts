import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { receiveInbound } from '../../sandbox/chatapi';
import { inspectPng } from '../../sandbox/png';
import type { InputItem } from '../support/engine';
import { startChatApi } from '../support/chatapi';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startChatApi);

const run = (parameters: INodeParameters, options: { inputJson?: IDataObject[]; inputItems?: InputItem[]; credentials?: ICredentialDataDecryptedObject; continueOnFail?: boolean } = {}) =>
	env.pkg.runWorkflow({
		nodes: [{ name: 'Chat API', type: 'chatApi', parameters, ...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}) }],
		credentials: { chatApiApi: options.credentials ?? env.sandbox.credentials },
		inputJson: options.inputJson,
		inputItems: options.inputItems,
	});

const body = (route: string) => env.sandbox.server.accepted(route).map((request) => request.body);

describe('Chat API instance', () => {
	it('gets the status with the QR code as a PNG image', async () => {
		const result = await run({ resource: 'instance', operation: 'getStatus', binaryPropertyName: 'qrCode' });
		expect(result.error).toBeUndefined();
		const [item] = result.output();
		expect(item.json).toEqual({ accountStatus: 'got qr code', qrCode: true });
		expect(item.binary?.qrCode).toMatchObject({ mimeType: 'image/png', fileName: 'qr-code.png' });
		expect(inspectPng(await result.binary(item, 'qrCode')).width).toBeGreaterThan(0);
	});

	it('gets the status without an image once authenticated', async () => {
		env.sandbox.server.state.accountStatus = 'authenticated';
		const result = await run({ resource: 'instance', operation: 'getStatus', binaryPropertyName: 'qrCode' });
		expect(result.output()[0]).toEqual(expect.objectContaining({ json: { accountStatus: 'authenticated' } }));
		expect(result.output()[0].binary).toBeUndefined();
	});

	it('gets the QR code as a binary image', async () => {
		const result = await run({ resource: 'instance', operation: 'getQrCode', binaryPropertyName: 'data' });
		const [item] = result.output();
		expect(item.json).toMatchObject({ mimeType: 'image/png' });
		expect(inspectPng(await result.binary(item, 'data')).width).toBeGreaterThan(0);
	});

	it('logs out, reboots and switches ack notifications', async () => {
		expect((await run({ resource: 'instance', operation: 'logout' })).json()).toEqual([{ result: 'Logout request sent to messengers' }]);
		expect((await run({ resource: 'instance', operation: 'reboot' })).json()).toEqual([{ success: true }]);
		expect((await run({ resource: 'instance', operation: 'setAckNotifications', enabled: true })).json()).toEqual([{ set: true, ackNotificationsOn: true }]);
		expect(body('POST /instance12345/settings/ackNotificationsOn')).toEqual([{ ackNotificationsOn: 1 }]);
		expect(env.sandbox.server.received('GET /instance12345/logout')[0].query).toEqual({ token: '[redacted]' });
	});
});

describe('Chat API messages', () => {
	it('sends a text to a typed phone number and to a chat ID', async () => {
		const result = await run({ resource: 'message', operation: 'sendText', recipient: '={{ $json.to }}', text: 'Hello, world! 🍏' }, { inputJson: [{ to: '+1 (747) 282-2486' }, { to: '15550101234-1760000000@g.us' }] });
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([expect.objectContaining({ sent: true }), expect.objectContaining({ sent: true })]);
		expect(body('POST /instance12345/sendMessage')).toEqual([
			{ phone: '17472822486', body: 'Hello, world! 🍏' },
			{ chatId: '15550101234-1760000000@g.us', body: 'Hello, world! 🍏' },
		]);
	});

	it('refuses a malformed chat ID before sending', async () => {
		const result = await run({ resource: 'message', operation: 'sendText', recipient: 'someone@example.com', text: 'hi' });
		expect(result.error?.message).toBe('Recipient: "someone@example.com" is not a chat ID');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('sends a file by link, leaving the download to Chat API', async () => {
		const url = 'https://upload.example.org/covers/NatureCover2001.jpg';
		await run({ resource: 'message', operation: 'sendFile', recipient: '+1 747 282 2486', mediaSource: 'url', mediaUrl: url, caption: 'Cover' });
		expect(body('POST /instance12345/sendFile')).toEqual([{ phone: '17472822486', body: url, filename: 'NatureCover2001.jpg', caption: 'Cover' }]);
	});

	it('sends a file from binary data as a data URI', async () => {
		const pdf = Buffer.from('%PDF-1.4 invoice');
		const result = await run(
			{ resource: 'message', operation: 'sendFile', recipient: '17472822486@c.us', mediaSource: 'binary', binaryPropertyName: 'data', fileName: 'invoice-42.pdf' },
			{ inputItems: [{ json: {}, binary: { data: { data: pdf, fileName: 'x.pdf', mimeType: 'application/pdf' } } }] },
		);
		expect(result.error).toBeUndefined();
		expect(body('POST /instance12345/sendFile')).toEqual([{ chatId: '17472822486@c.us', body: `data:application/pdf;base64,${pdf.toString('base64')}`, filename: 'invoice-42.pdf' }]);
	});

	it('gets messages after a message number, following pages', async () => {
		for (let i = 0; i < 120; i++) receiveInbound(env.sandbox.server.state, { chatId: '4915112345678@c.us', body: `m${i}` });
		const result = await run({ resource: 'message', operation: 'getAll', since: 'afterNumber', lastMessageNumber: 104, returnAll: true });
		expect(result.json().map((message) => message.body)).toEqual(Array.from({ length: 120 }, (_, i) => `m${i}`));
		expect(env.sandbox.server.received('GET /instance12345/messages').map((request) => request.query.lastMessageNumber)).toEqual(['104', '204']);
	});

	it('gets the last 100 messages once', async () => {
		const result = await run({ resource: 'message', operation: 'getAll', since: 'last100', returnAll: true });
		expect(result.json().map((message) => message.messageNumber)).toEqual([100, 101, 102, 103, 104]);
		expect(env.sandbox.server.received('GET /instance12345/messages')).toHaveLength(1);
	});

	it('limits the messages returned', async () => {
		const result = await run({ resource: 'message', operation: 'getAll', since: 'afterNumber', lastMessageNumber: 0, returnAll: false, limit: 2 });
		expect(result.json()).toHaveLength(2);
	});
});

describe('Chat API groups, queue and webhook', () => {
	it('creates a group from typed phone numbers', async () => {
		const result = await run({ resource: 'group', operation: 'create', groupName: 'Browsers', phones: '+1 747 282 2486, +7 968 056-53-72', messageText: 'Safari is the new IE' });
		expect(result.json()[0]).toMatchObject({ created: true, chatId: expect.stringMatching(/@g\.us$/) });
		expect(body('POST /instance12345/group')).toEqual([{ groupName: 'Browsers', phones: ['17472822486', '79680565372'], messageText: 'Safari is the new IE' }]);
	});

	it('shows and clears the queue', async () => {
		await run({ resource: 'message', operation: 'sendText', recipient: '+1 747 282 2486', text: 'queued' });
		const queue = await run({ resource: 'queue', operation: 'get' });
		expect(queue.json()[0]).toMatchObject({ totalMessages: 1, first100: [expect.objectContaining({ body: 'queued' })] });
		const cleared = await run({ resource: 'queue', operation: 'clear' });
		expect(cleared.json()[0]).toEqual({ message: 'Cleared 1 messages', messageTextsExample: ['queued'] });
	});

	it('sets and gets the webhook URL', async () => {
		await run({ resource: 'webhook', operation: 'set', webhookUrl: 'https://example.com/hook' });
		expect((await run({ resource: 'webhook', operation: 'get' })).json()).toEqual([{ set: true, webhookUrl: 'https://example.com/hook' }]);
	});

	it('refuses a webhook URL that is not http(s)', async () => {
		const result = await run({ resource: 'webhook', operation: 'set', webhookUrl: 'ftp://example.com' });
		expect(result.error?.message).toMatch(/must be an http:\/\/ or https:\/\/ address/);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});
});

describe('the token stays secret', () => {
	const token = 'tok-SECRET-9876543210';

	it('in a 401 error and its description', async () => {
		const result = await run({ resource: 'instance', operation: 'reboot' }, { credentials: { ...env.sandbox.credentials, token }, continueOnFail: true });
		expect(result.json()[0].error).toMatch(/^Chat API: Wrong token/);
		expect((result.json()[0].details as IDataObject).description).toMatch(/Check the token and the instance URL/);
		expect(JSON.stringify(result.run)).not.toContain(token);
	});

	it('in a 5xx error', async () => {
		env.sandbox.server.injectFault('POST /instance12345/sendMessage', { kind: 'server-error', status: 500, body: { error: `upstream failed for ?token=${env.sandbox.credentials.token}` } });
		const result = await run({ resource: 'message', operation: 'sendText', recipient: '+1 747 282 2486', text: 'x' }, { continueOnFail: true });
		expect(JSON.stringify(result.run)).not.toContain(env.sandbox.credentials.token);
		expect(env.sandbox.server.received('POST /instance12345/sendMessage')).toHaveLength(1);
	});

	it('in a network failure', async () => {
		const result = await run({ resource: 'queue', operation: 'get' }, { credentials: { instanceUrl: 'http://127.0.0.1:9/instance1', token }, continueOnFail: true });
		expect(result.json()[0].error).toMatch(/Could not reach Chat API: the connection was refused/);
		expect(JSON.stringify(result.run)).not.toContain(token);
	});

	it('in the credential test', async () => {
		const failed = await env.pkg.testCredential({ type: 'chatApiApi', data: { ...env.sandbox.credentials, token } });
		expect(failed.status).toBe('Error');
		expect(failed.message).not.toContain(token);
		expect(await env.pkg.testCredential({ type: 'chatApiApi', data: env.sandbox.credentials })).toMatchObject({ status: 'OK' });
	});
});

describe('Chat API Polling Trigger', () => {
	const poll = (staticData?: IDataObject, parameters: INodeParameters = { events: ['incomingMessage'] }) =>
		env.pkg.runPoll({ node: { name: 'Poll', type: 'chatApiPollingTrigger', parameters }, credentials: { chatApiApi: env.sandbox.credentials }, staticData });

	it('starts from now, then emits each new incoming message once', async () => {
		const first = await poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		receiveInbound(env.sandbox.server.state, { chatId: '4915112345678@c.us', body: 'Hallo' });
		receiveInbound(env.sandbox.server.state, { chatId: '17472822486@c.us', body: 'sent from my phone', fromMe: true });
		const second = await poll(first.staticData);
		expect(second.items?.[0].map((item) => item.json.body)).toEqual(['Hallo']);
		expect((await poll(second.staticData)).items).toBeNull();
	});

	it('filters outgoing messages and outputs the normalized shape', async () => {
		const first = await poll(undefined, { events: ['outgoingMessage'], options: { normalized: true } });
		receiveInbound(env.sandbox.server.state, { chatId: '4915112345678@c.us', body: 'Hallo' });
		receiveInbound(env.sandbox.server.state, { chatId: '17472822486@c.us', body: 'On my way', fromMe: true });
		const second = await poll(first.staticData, { events: ['outgoingMessage'], options: { normalized: true } });
		expect(second.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ provider: 'chatApi', event: 'message.sent', fromMe: true, to: '+17472822486', text: 'On my way', type: 'text' }),
		]);
	});
});

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { startMesigic } from '../support/mesigic';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesigic);

const SEND = 'POST /external-api/inbox/send-message';
const LIST = 'GET /external-api/contact/list';

const send = (phones: string[], options: { continueOnFail?: boolean; parameters?: INodeParameters; credentials?: ICredentialDataDecryptedObject } = {}) =>
	env.pkg.runWorkflow({
		nodes: [
			{
				name: 'Mesigic',
				type: 'mesigic',
				parameters: { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', message: '={{ "Hello " + $json.phone }}', attachment: 'none', ...options.parameters },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		credentials: { mesigicApi: options.credentials ?? env.sandbox.credentials },
		inputJson: phones.map((phone) => ({ phone })),
	});

describe('no duplicate sends', () => {
	it('waits out a 429 and delivers the message exactly once', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'rate-limit', retryAfter: 1 });
		const result = await send(['+880 1711000001']);
		expect(result.error).toBeUndefined();
		expect(result.json()[0]).toMatchObject({ status: 'sent' });
		expect(env.sandbox.server.received(SEND)).toHaveLength(2);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(1);
	});

	it('turns a 500 on a send into an error item and does not send again', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'server-error', status: 500 });
		const result = await send(['+880 1711000001'], { continueOnFail: true });
		expect(result.json()).toEqual([{ error: expect.stringMatching(/^Mesigic: /), details: { description: expect.any(String), field: null, recipient: '+8801711000001' } }]);
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
	});

	it('never resends when the connection drops after Mesigic took the message', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'reset-after-receive' });
		const result = await send(['+880 1711000001'], { continueOnFail: true });
		expect(result.json()[0].error).toBe('Mesigic may have carried this out, but the connection was reset before an answer came');
		expect((result.json()[0].details as { description: string }).description).toMatch(/^Whether Mesigic carried the request out is unknown, so it was not sent again/);
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(1);
	});

	it('does not resend after an unreadable answer', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'malformed' });
		const result = await send(['+880 1711000001'], { continueOnFail: true });
		expect(result.json()[0].error).toMatch(/the answer is not Mesigic's success answer/);
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
	});

	it('gives up on a send that times out, without sending again', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'slow', delayMs: 3000 });
		const result = await send(['+880 1711000001'], { continueOnFail: true, parameters: { requestOptions: { timeoutSeconds: 1 } } });
		expect(result.json()[0].error).toBe('Mesigic may have carried this out, but no answer came in time');
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
	});
});

describe('reads are retried', () => {
	it('retries a GET whose connection was reset', async () => {
		env.sandbox.server.injectFault(LIST, { kind: 'reset-before' });
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'contact', operation: 'getAll', returnAll: true } }],
			credentials: { mesigicApi: env.sandbox.credentials },
		});
		expect(result.error).toBeUndefined();
		expect(result.json()).toHaveLength(5);
		expect(env.sandbox.server.received(LIST)).toHaveLength(2);
	});

	it('retries a GET after a 503', async () => {
		env.sandbox.server.injectFault(LIST, { kind: 'server-error', status: 503 }, 2);
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'contact', operation: 'getAll', returnAll: false, limit: 1 } }],
			credentials: { mesigicApi: env.sandbox.credentials },
		});
		expect(result.error).toBeUndefined();
		expect(env.sandbox.server.received(LIST)).toHaveLength(3);
	});
});

describe('bad input fails before any request', () => {
	it.each([
		['an impossible phone number', { phone: '+999 1234' }, /Phone Number|To: .*not a valid phone number/],
		['letters in the phone number', { phone: 'call me' }, /not a valid phone number/],
		['no text and nothing attached', { message: '' }, /^Message is empty$/],
		['half a location', { additionalFields: { latitude: 10 } }, /needs both Latitude and Longitude/],
		['a latitude out of range', { additionalFields: { latitude: 100, longitude: 10 } }, /Latitude must be a number from -90 to 90/],
	])('%s', async (_case, parameters, message) => {
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', message: 'hi', attachment: 'none', ...parameters } }],
			credentials: { mesigicApi: env.sandbox.credentials },
		});
		expect(result.error?.message).toMatch(message);
		expect(result.error?.itemIndex).toBe(0);
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('an image over 5 MB', async () => {
		const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'image', mediaSource: 'binary', binaryPropertyName: 'data' } }],
			credentials: { mesigicApi: env.sandbox.credentials },
			inputItems: [{ json: {}, binary: { data: { data: big, fileName: 'poster.jpg', mimeType: 'image/jpeg' } } }],
		});
		expect(result.error?.message).toBe('Image is too large: 5.0 MB (the limit is 5.0 MB)');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('a file of the wrong type', async () => {
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'video', mediaSource: 'base64', mediaBase64: 'AAAA', mediaFileName: 'clip.avi' } }],
			credentials: { mesigicApi: env.sandbox.credentials },
		});
		expect(result.error?.message).toBe('Video must be mp4: "clip.avi" is not');
		expect(env.sandbox.server.received()).toHaveLength(0);
	});

	it('a missing binary field names the fields there are', async () => {
		const result = await env.pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'image', mediaSource: 'binary', binaryPropertyName: 'data' } }],
			credentials: { mesigicApi: env.sandbox.credentials },
			inputItems: [{ json: {}, binary: { photo: { data: Buffer.from('x'), fileName: 'a.png', mimeType: 'image/png' } } }],
		});
		expect(result.error?.message).toBe('The input item has no binary field "data"');
		expect(result.error?.description).toMatch(/photo/);
	});
});

describe('Continue On Fail', () => {
	it('keeps every other item, in order, each paired with its input', async () => {
		env.sandbox.server.injectFault('POST /external-api/inbox/send-message', { kind: 'server-error', status: 502 });
		const phones = ['+880 1711000001', 'not a number', '+1 747 282 2486', '+49 151 12345678', '+91 98765 43210'];
		const result = await send(phones, { continueOnFail: true });
		const out = result.output();
		expect(out).toHaveLength(5);
		expect(out.map((item) => item.pairedItem)).toEqual(phones.map((_, index) => ({ item: index })));
		expect(out[0].json.error).toMatch(/Mesigic/);
		expect(out[1].json.error).toMatch(/not a valid phone number/);
		expect(out.slice(2).map((item) => item.json.status)).toEqual(['sent', 'sent', 'sent']);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(3);
		expect(result.unpairedItems()).toEqual([]);
	});

	it('without it, the run stops at the failing item and says which', async () => {
		const result = await send(['+880 1711000001', 'nope', '+1 747 282 2486']);
		expect(result.error?.itemIndex).toBe(1);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(1);
	});

	it('sends items in parallel and keeps the output order', async () => {
		const phones = Array.from({ length: 30 }, (_, index) => `+44 7700 9${String(index).padStart(5, '0')}`);
		env.sandbox.server.injectFault(SEND, { kind: 'slow', delayMs: 30 }, 10);
		const result = await send(phones, { parameters: { requestOptions: { parallelRequests: 5 } } });
		expect(result.error).toBeUndefined();
		expect(result.json().map((message) => message.message)).toEqual(phones.map((phone) => `Hello ${phone}`));
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(30);
	});
});

describe('errors the user can act on, with no secret in them', () => {
	it('says to whitelist the IP', async () => {
		env.sandbox.server.state.ipWhitelist = ['203.0.113.7'];
		const result = await send(['+880 1711000001'], { continueOnFail: true });
		expect(result.json()[0].error).toMatch(/whitelist/i);
		expect((result.json()[0].details as IDataObject).description).toMatch(/IP Whitelist in the Mesigic dashboard/);
	});

	it('keeps a wrong secret out of the error and the output', async () => {
		const secret = 'super-secret-value-123';
		const result = await send(['+880 1711000001'], { continueOnFail: true, credentials: { ...env.sandbox.credentials, clientSecret: secret } });
		expect((result.json()[0].details as IDataObject).description).toMatch(/Client ID and Client Secret/);
		expect(JSON.stringify(result.run)).not.toContain(secret);
	});

	it('keeps the secret out of a network failure', async () => {
		const secret = 'another-secret-456';
		const result = await send(['+880 1711000001'], { continueOnFail: true, credentials: { ...env.sandbox.credentials, clientSecret: secret, baseUrl: 'http://127.0.0.1:9/external-api' } });
		expect(result.json()[0].error).toMatch(/Could not reach Mesigic: the connection was refused/);
		expect(JSON.stringify(result.run)).not.toContain(secret);
	});
});

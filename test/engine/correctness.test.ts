/**
 * What every action node must get right whatever the provider: success only on the provider's own
 * success answer, options and text fields checked before anything is sent, secrets gone in every
 * encoding, a clear word on long Retry-After waits, and the error output.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { MEHERY_DEMO, MEHERY_SEED } from '../../sandbox/mehery';
import type { FaultInput } from '../../sandbox/faults';
import { startChatApi } from '../support/chatapi';
import { startMehery } from '../support/mehery';
import { startMesigic } from '../support/mesigic';
import { startMessingin } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const mesigic = useSandbox(startMesigic);
const chatApi = useSandbox(startChatApi);
const mehery = useSandbox(startMehery);
const messingin = useSandbox(startMessingin);

interface ProviderCase {
	name: string;
	type: string;
	credentialType: string;
	env: { pkg: typeof mesigic.pkg; sandbox: { server: typeof mesigic.sandbox.server | typeof chatApi.sandbox.server | typeof mehery.sandbox.server | typeof messingin.sandbox.server; credentials: object } };
	sendRoute: string;
	/** Send parameters; `text` is the message text field's value. */
	send(text: unknown): INodeParameters;
	textField: string;
	secretField: string;
}

const PROVIDERS: ProviderCase[] = [
	{
		name: 'Mesigic',
		type: 'mesigic',
		credentialType: 'mesigicApi',
		env: mesigic,
		sendRoute: 'POST /external-api/inbox/send-message',
		send: (text) => ({ resource: 'message', operation: 'send', phone: '+880 1711-000001', message: text as string, attachment: 'none' }),
		textField: 'Message',
		secretField: 'clientSecret',
	},
	{
		name: 'Chat API',
		type: 'chatApi',
		credentialType: 'chatApiApi',
		env: chatApi,
		sendRoute: 'POST /instance12345/sendMessage',
		send: (text) => ({ resource: 'message', operation: 'sendText', recipient: '+1 (747) 282-2486', text: text as string }),
		textField: 'Text',
		secretField: 'token',
	},
	{
		name: 'Mehery',
		type: 'mehery',
		credentialType: 'meheryApi',
		env: mehery,
		sendRoute: 'POST /api/v1/message/send',
		send: (text) => ({ resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '+1 (747) 282-2486', type: 'text', text: text as string }),
		textField: 'Text',
		secretField: 'apiKey',
	},
	{
		name: 'Messingin',
		type: 'messingin',
		credentialType: 'messinginApi',
		env: messingin,
		sendRoute: 'POST /api/whatsapp/sessions/:sessionId/messages',
		send: (text) => ({ resource: 'message', operation: 'send', sessionId: 'session_1', to: '+1 (747) 282-2486', message: text as string }),
		textField: 'Message',
		secretField: 'apiKey',
	},
];

function run(provider: ProviderCase, parameters: INodeParameters, options: { inputJson?: IDataObject[]; onError?: 'continueRegularOutput' | 'continueErrorOutput'; credentials?: IDataObject } = {}) {
	if (provider.type === 'messingin') messingin.sandbox.connectedSession();
	return provider.env.pkg.runWorkflow({
		nodes: [{ name: provider.name, type: provider.type, parameters, ...(options.onError ? { onError: options.onError } : {}) }],
		credentials: { [provider.credentialType]: { ...provider.env.sandbox.credentials, ...options.credentials } as ICredentialDataDecryptedObject },
		inputJson: options.inputJson,
	});
}

const server = (provider: ProviderCase) => provider.env.sandbox.server;

const BAD_ANSWERS: Array<[string, FaultInput, RegExp]> = [
	['an HTML page', { kind: 'answer', contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>' }, /HTTP 200 \(text\/html\): "<!DOCTYPE html><html><body><h1>Welcome to nginx!/],
	['plain text', { kind: 'answer', contentType: 'text/plain', body: 'OK' }, /HTTP 200 \(text\/plain\): "OK"/],
	['truncated JSON', { kind: 'malformed' }, /.+/],
	['an empty body', { kind: 'answer', contentType: 'application/json', body: '' }, /HTTP 200 \(application\/json\): an empty body/],
	['null', { kind: 'answer', contentType: 'application/json', body: 'null' }, /HTTP 200 \(application\/json\): "null"/],
	['{}', { kind: 'answer', contentType: 'application/json', body: '{}' }, /HTTP 200 \(application\/json\): "\{\}"/],
	['an empty body without a content type', { kind: 'answer', body: '' }, /HTTP 200 \(no content type\): an empty body/],
];

describe.each(PROVIDERS)('$name: a send counts only on the success answer', (provider) => {
	it.each(BAD_ANSWERS)('fails the item when a 200 brings %s, and does not send it again', async (_label, fault, shown) => {
		server(provider).injectFault(provider.sendRoute, fault);
		const result = await run(provider, provider.send('Your order shipped'), { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const [item] = result.json();
		expect(item.error).toMatch(new RegExp(`^${provider.name}: `));
		expect(`${item.error} ${(item.details as IDataObject).description}`).toMatch(shown);
		expect(server(provider).received(provider.sendRoute)).toHaveLength(1);
	});

	it('still succeeds on the provider\'s real answer', async () => {
		const result = await run(provider, provider.send('Your order shipped'));
		expect(result.error).toBeUndefined();
		expect(server(provider).accepted(provider.sendRoute)).toHaveLength(1);
	});
});

describe('lists that cannot be read are errors, never empty lists', () => {
	const [mesigicCase, , meheryCase] = PROVIDERS;
	const getMessages = { resource: 'session', operation: 'getMessages', sessionId: MEHERY_SEED.sessionId, returnAll: true };
	const MESSAGES = 'GET /api/v1/session/messages';

	it.each(BAD_ANSWERS.filter(([label]) => ['an HTML page', 'an empty body', '{}'].includes(label)))('Mehery Session → Get Messages retries %s, then fails', async (_label, fault) => {
		server(meheryCase).injectFault(MESSAGES, fault, 4);
		const result = await run(meheryCase, getMessages);
		expect(result.error?.message).toMatch(/^Mehery: the answer is not Mehery's success answer/);
		expect(server(meheryCase).received(MESSAGES)).toHaveLength(4);
	});

	it('Mehery Session → Get Messages reads again after one unreadable page and returns the messages', async () => {
		server(meheryCase).injectFault(MESSAGES, { kind: 'malformed' });
		const result = await run(meheryCase, getMessages);
		expect(result.error).toBeUndefined();
		expect(result.json().length).toBeGreaterThan(0);
		expect(server(meheryCase).received(MESSAGES)).toHaveLength(2);
	});

	it('Mesigic Contact → Get Many fails on a page without a list', async () => {
		server(mesigicCase).injectFault('GET /external-api/contact/list', { kind: 'answer', contentType: 'application/json', body: '{"status":"success","data":null}' }, 4);
		const result = await run(mesigicCase, { resource: 'contact', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toMatch(/^Mesigic: the answer is not Mesigic's success answer/);
	});
});

describe.each(PROVIDERS)('$name: options that resolve to garbage stop the run before any request', (provider) => {
	it.each<[string, INodeParameters, RegExp]>([
		['Parallel Requests of "abc"', { parallelRequests: '={{ "abc" }}' }, /^Request Options → Parallel Requests must be a number from 1 to 20: "abc" is not$/],
		['Parallel Requests of 50', { parallelRequests: '={{ 50 }}' }, /^Request Options → Parallel Requests must be from 1 to 20: 50 is not$/],
		['Parallel Requests of 2.5', { parallelRequests: '={{ 2.5 }}' }, /^Request Options → Parallel Requests must be a whole number from 1 to 20: 2.5 is not$/],
		['Timeout of "soon"', { timeoutSeconds: '={{ "soon" }}' }, /^Request Options → Timeout \(Seconds\) must be a number from 1 to 600: "soon" is not$/],
		['Timeout of 0', { timeoutSeconds: '={{ 0 }}' }, /^Request Options → Timeout \(Seconds\) must be from 1 to 600: 0 is not$/],
		['Timeout of an object', { timeoutSeconds: '={{ { s: 5 } }}' }, /^Request Options → Timeout \(Seconds\) must be a number from 1 to 600: an object is not$/],
	])('%s', async (_label, requestOptions, message) => {
		const result = await run(provider, { ...provider.send('Hi'), requestOptions }, { inputJson: [{}, {}, {}], onError: 'continueRegularOutput' });
		expect(result.error?.message).toMatch(message);
		expect(server(provider).received(provider.sendRoute)).toHaveLength(0);
	});
});

describe.each(PROVIDERS)('$name: text fields take text only, within WhatsApp\'s length', (provider) => {
	it('fails an item whose text is an object or a list, names the field, and sends the others', async () => {
		const result = await run(provider, provider.send('={{ $json.text }}'), {
			inputJson: [{ text: { order: 17 } }, { text: 'Hello' }, { text: ['a', 'b'] }],
			onError: 'continueRegularOutput',
		});
		const items = result.json();
		expect(items[0].error).toBe(`${provider.textField} must be text, but the expression gave an object`);
		expect(items[1].error).toBeUndefined();
		expect(items[2].error).toBe(`${provider.textField} must be text, but the expression gave a list (2 entries)`);
		expect(server(provider).received(provider.sendRoute)).toHaveLength(1);
	});

	it('fails a text longer than 4,096 characters before sending, and takes one of exactly 4,096', async () => {
		const result = await run(provider, provider.send('={{ "x".repeat($json.length) }}'), { inputJson: [{ length: 4097 }, { length: 4096 }], onError: 'continueRegularOutput' });
		expect(result.json()[0].error).toBe(`${provider.textField} is too long: 4097 characters (WhatsApp allows 4096)`);
		expect(result.json()[1].error).toBeUndefined();
		expect(server(provider).received(provider.sendRoute)).toHaveLength(1);
	});
});

describe('captions within WhatsApp\'s 1,024 characters', () => {
	it('Chat API Send File refuses a longer caption before sending', async () => {
		const [, chatApiCase] = PROVIDERS;
		const result = await run(chatApiCase, {
			resource: 'message',
			operation: 'sendFile',
			recipient: '+1 (747) 282-2486',
			mediaSource: 'url',
			mediaUrl: 'https://cdn.example.com/files/brochure.pdf',
			caption: '={{ "c".repeat(1025) }}',
		});
		expect(result.error?.message).toBe('Caption is too long: 1025 characters (WhatsApp allows 1024)');
		expect(chatApi.sandbox.server.received('POST /instance12345/sendFile')).toHaveLength(0);
	});
});

describe('path segments', () => {
	it.each(['..', '.'])('Messingin refuses the Session ID "%s" instead of sending to another path', async (sessionId) => {
		const provider = PROVIDERS[3];
		const result = await run(provider, { ...provider.send('Hi'), sessionId });
		expect(result.error?.message).toBe(`Session ID cannot be "${sessionId}"`);
		expect(messingin.sandbox.server.received()).toHaveLength(0);
	});

	it('Messingin sends a Session ID with a slash as one encoded segment', async () => {
		const provider = PROVIDERS[3];
		await run(provider, { ...provider.send('Hi'), sessionId: 'a/b' }, { onError: 'continueRegularOutput' });
		expect(messingin.sandbox.server.received().map((request) => request.path)).toEqual(['/api/whatsapp/sessions/a%2Fb/messages']);
	});
});

describe.each(PROVIDERS)('$name: secrets never come back, in any encoding', (provider) => {
	const secret = "S3cr!t*'(Key) +/=é";
	const forms = [
		secret,
		encodeURIComponent(secret),
		encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
		encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
		new URLSearchParams({ s: secret }).toString().slice(2),
		[...Buffer.from(secret)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''),
		Buffer.from(secret).toString('base64'),
	];

	it('when the provider echoes the request URL in an error page', async () => {
		const echo = forms.map((form) => `<p>GET /x?${provider.secretField}=${form}</p>`).join('');
		server(provider).injectFault(provider.sendRoute, { kind: 'answer', status: 200, contentType: 'text/html', body: `<html>${echo}</html>`.slice(0, 190) });
		server(provider).injectFault(provider.sendRoute, { kind: 'server-error', status: 502, body: { error: echo, message: echo, errors: [{ description: echo }] } });
		const result = await run(provider, provider.send('Hi'), { inputJson: [{}, {}], onError: 'continueRegularOutput', credentials: { [provider.secretField]: secret } });
		const shown = JSON.stringify(result.json());
		expect(result.json()).toHaveLength(2);
		for (const form of forms) expect(shown).not.toContain(form);
		expect(shown).toContain('[redacted]');
	});
});

describe('a Retry-After longer than the node waits', () => {
	it('says how long the provider asked to wait, and what to do', async () => {
		const provider = PROVIDERS[1];
		chatApi.sandbox.server.injectFault(provider.sendRoute, { kind: 'rate-limit', retryAfter: 600 });
		const result = await run(provider, provider.send('Hi'), { onError: 'continueRegularOutput' });
		const [item] = result.json();
		expect(item.error).toBe('Chat API: Chat API asks to wait 600 s before the next call; this node waits at most 120 s');
		expect((item.details as IDataObject).description).toMatch(/Run the workflow again after that wait/);
		expect(chatApi.sandbox.server.received(provider.sendRoute)).toHaveLength(1);
	});
});

describe.each(PROVIDERS)('$name: On Error → Continue (using error output)', (provider) => {
	it('sends failed items to the error output, paired with their input, and the others to the main output', async () => {
		const phones = ['+1 (747) 282-2486', 'not a number', '+44 20 7946 0958'];
		const parameters = provider.send('={{ "Hi " + $json.n }}');
		const phoneField = Object.keys(parameters).find((key) => ['phone', 'recipient', 'to'].includes(key))!;
		const result = await run(provider, { ...parameters, [phoneField]: '={{ $json.phone }}' }, {
			inputJson: phones.map((phone, n) => ({ phone, n })),
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		const [main, errors] = result.outputs();
		expect(main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(errors[0].json.error).toMatch(/not a number/);
		expect(server(provider).accepted(provider.sendRoute)).toHaveLength(2);
	});
});

describe('parallel sends without error handling', () => {
	it('warn on the node and name the items already sent when one fails', async () => {
		const provider = PROVIDERS[1];
		chatApi.sandbox.server.injectFault(provider.sendRoute, { kind: 'slow', delayMs: 300 }, 3);
		const result = await run(provider, { ...provider.send('={{ "Hi " + $json.n }}'), recipient: '={{ $json.phone }}', requestOptions: { parallelRequests: 4 } }, {
			inputJson: [{ phone: '+1 (747) 282-2486', n: 1 }, { phone: '+1 (747) 282-2487', n: 2 }, { phone: '+1 (747) 282-2488', n: 3 }, { phone: 'nope', n: 4 }],
		});
		expect(result.error?.message).toMatch(/nope/);
		expect(result.error?.description).toMatch(/Already done before the run stopped \(sent in parallel, not in the output\): items 1, 2, 3\./);
		expect(chatApi.sandbox.server.accepted(provider.sendRoute)).toHaveLength(3);
	});

	it('show a warning in the output pane of a run that went well', async () => {
		const provider = PROVIDERS[1];
		const result = await run(provider, { ...provider.send('Hi'), requestOptions: { parallelRequests: 4 } });
		expect(result.error).toBeUndefined();
		expect(result.taskData()?.hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Parallel Requests is above 1 while On Error is "Stop Workflow"/) })]);
	});

	it('show no warning with the error output on', async () => {
		const provider = PROVIDERS[1];
		const result = await run(provider, { ...provider.send('Hi'), requestOptions: { parallelRequests: 4 } }, { onError: 'continueErrorOutput' });
		expect(result.taskData()?.hints ?? []).toEqual([]);
	});
});

describe.each(PROVIDERS)('$name: results a bulk sender can act on', (provider) => {
	const RECIPIENT_LABEL: Record<string, string> = { Mesigic: 'To', 'Chat API': 'Recipient', Mehery: 'To Phone Number', Messingin: 'To' };
	const recipientField = (parameters: INodeParameters) => Object.keys(parameters).find((key) => ['phone', 'recipient', 'to'].includes(key))!;

	it('starts every sent item with the recipient as sent and the provider\'s message ID', async () => {
		const parameters = provider.send('Your order shipped');
		const result = await run(provider, { ...parameters, [recipientField(parameters)]: '={{ $json.phone }}' }, { inputJson: [{ phone: '0044 20 7946 0958' }, { phone: '+49 151 12345678' }] });
		expect(result.error).toBeUndefined();
		const items = result.json();
		expect(items.map((item) => item.recipient)).toEqual(['+442079460958', '+4915112345678']);
		for (const item of items) {
			expect(Object.keys(item).slice(0, 2)).toEqual(['recipient', 'messageId']);
			expect(item.messageId).toBe(item.id);
			expect(item.messageId).toEqual(expect.anything());
		}
	});

	it('gives a failed item the recipient and the field at fault, on the error output beside the input', async () => {
		const parameters = provider.send('Hi');
		const result = await run(provider, { ...parameters, [recipientField(parameters)]: '={{ $json.phone }}' }, {
			inputJson: [{ phone: '+1 (747) 282-2486', row: 1 }, { phone: '12', row: 2 }],
			onError: 'continueErrorOutput',
		});
		const [main, errors] = result.outputs();
		expect(main.map((item) => item.json.recipient)).toEqual(['+17472822486']);
		expect(errors.map((item) => item.json)).toEqual([
			{ phone: '12', row: 2, error: expect.stringMatching(/^[A-Za-z ]+: "12" is not a valid phone number/), details: { field: RECIPIENT_LABEL[provider.name], recipient: '12' } },
		]);
	});

	it('sends a refusal by the provider, with what to do about it, to the error output with its recipient', async () => {
		server(provider).injectFault(provider.sendRoute, { kind: 'server-error', status: 500 });
		const parameters = provider.send('Hi');
		const result = await run(provider, { ...parameters, [recipientField(parameters)]: '={{ $json.phone }}' }, {
			inputJson: [{ phone: '+1 (747) 282-2486' }, { phone: '+44 20 7946 0958' }],
			onError: 'continueErrorOutput',
		});
		const [main, errors] = result.outputs();
		expect(main.map((item) => item.json.recipient)).toEqual(['+442079460958']);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({ phone: '+1 (747) 282-2486', error: expect.stringMatching(new RegExp(`^${provider.name}: `)), details: { description: expect.any(String), field: null, recipient: '+17472822486' } });
		expect(errors[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('error items name the field at fault, whichever check failed', () => {
	it.each<[string, number, INodeParameters, string, string]>([
		['a chat ID that is none', 1, { resource: 'message', operation: 'sendText', recipient: 'shop@c.us', text: 'Hi' }, 'Recipient', 'shop@c.us'],
		['a bad email', 2, { ...PROVIDERS[2].send('Hi'), recipientEmail: 'jane-at-example' }, 'Recipient Email', '+17472822486'],
		['a location without its longitude', 0, { ...PROVIDERS[0].send(''), additionalFields: { latitude: 52.5 } }, 'Additional Fields → Longitude', '+8801711000001'],
	])('%s', async (_case, providerIndex, parameters, field, recipient) => {
		const provider = PROVIDERS[providerIndex];
		const result = await run(provider, parameters, { onError: 'continueErrorOutput' });
		const [, errors] = result.outputs();
		expect(errors.map((item) => item.json.details)).toEqual([expect.objectContaining({ field, recipient })]);
		expect(server(provider).received(provider.sendRoute)).toHaveLength(0);
	});
});

/**
 * The Messlo node when Messlo (or something in front of it) misbehaves: no message is sent twice,
 * nothing counts as sent unless Messlo's success answer says so, reads are read again.
 */
import type { INodeParameters } from 'n8n-workflow';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import { startMesslo } from '../support/messlo';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesslo);

const SEND = 'POST /api/whatsapp/send';
const CONTACTS = 'GET /api/contacts';

const send = (options: { continueOnFail?: boolean; items?: number; parameters?: INodeParameters } = {}) =>
	env.pkg.runWorkflow({
		nodes: [
			{
				name: 'Messlo',
				type: 'messlo',
				parameters: { resource: 'message', operation: 'send', phone: `+${MESSLO_SEED.asha.phone}`, sender: MESSLO_DEMO.senderNumber, messageType: 'text', message: 'Your order has shipped', ...options.parameters },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		credentials: { messloApi: env.sandbox.credentials },
		inputJson: Array.from({ length: options.items ?? 1 }, () => ({})),
	});

describe('Messlo sends are never repeated', () => {
	it('waits out a 429 and sends the message exactly once', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'rate-limit', retryAfter: 1 });
		const result = await send();
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([expect.objectContaining({ status: 'sent' })]);
		expect(env.sandbox.server.received(SEND)).toHaveLength(2);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(1);
	});

	it('turns a 500 on a send into an error item without sending again', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'server-error', status: 500 });
		const result = await send({ continueOnFail: true });
		expect(result.json()).toEqual([{ error: expect.stringMatching(/^Messlo: /), details: expect.objectContaining({ description: expect.any(String) }) }]);
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(0);
	});

	it('does not resend when the connection drops after Messlo took the message', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'reset-after-receive' });
		const result = await send({ continueOnFail: true });
		expect(result.json()[0].error).toBe('Messlo may have carried this out, but the connection was reset before an answer came');
		expect(env.sandbox.server.received(SEND)).toHaveLength(1);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(1);
	});

	it.each<[string, { status?: number; contentType?: string; body: string }]>([
		['an HTML page', { contentType: 'text/html', body: '<!doctype html><html><body>Sign in</body></html>' }],
		['an empty body', { contentType: 'application/json', body: '' }],
		['null', { contentType: 'application/json', body: 'null' }],
		['an empty object', { contentType: 'application/json', body: '{}' }],
		['a success flag that is not true, without data', { contentType: 'application/json', body: '{"message":"queued"}' }],
	])('turns a 200 that is %s into an error item, not a sent message, and does not resend', async (_case, answer) => {
		env.sandbox.server.injectFault(SEND, { kind: 'answer', status: 200, ...answer });
		const result = await send({ continueOnFail: true, items: 2 });
		const [first, second] = result.json();
		expect(first).toEqual({ error: expect.stringContaining('not Messlo\'s success answer'), details: expect.objectContaining({ description: expect.stringContaining('it was not sent again') }) });
		expect(second).toEqual(expect.objectContaining({ status: 'sent' }));
		expect(env.sandbox.server.received(SEND)).toHaveLength(2);
	});

	it('says a 200 holding success: false is Messlo\'s refusal', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'answer', status: 200, contentType: 'application/json', body: '{"success":false,"message":"Sender number is blocked"}' });
		const result = await send({ continueOnFail: true });
		expect(result.json()).toEqual([{ error: 'Messlo: Sender number is blocked', details: expect.objectContaining({ description: expect.any(String) }) }]);
	});

	it('sends each item once when several go in parallel and one hits a 429', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'rate-limit', retryAfter: 1 });
		const result = await send({ items: 4, parameters: { requestOptions: { parallelRequests: 3 } } });
		expect(result.error).toBeUndefined();
		expect(result.json()).toHaveLength(4);
		expect(env.sandbox.server.accepted(SEND)).toHaveLength(4);
	});
});

describe('Messlo reads are read again', () => {
	const list = () =>
		env.pkg.runWorkflow({
			nodes: [{ name: 'Messlo', type: 'messlo', parameters: { resource: 'contact', operation: 'getAll', returnAll: true } }],
			credentials: { messloApi: env.sandbox.credentials },
		});

	it('after a 503', async () => {
		env.sandbox.server.injectFault(CONTACTS, { kind: 'server-error', status: 503 }, 2);
		const result = await list();
		expect(result.error).toBeUndefined();
		expect(result.json()).toHaveLength(3);
		expect(env.sandbox.server.received(CONTACTS)).toHaveLength(3);
	});

	it('after an HTML page in a 200', async () => {
		env.sandbox.server.injectFault(CONTACTS, { kind: 'answer', status: 200, contentType: 'text/html', body: '<html>maintenance</html>' });
		const result = await list();
		expect(result.error).toBeUndefined();
		expect(result.json()).toHaveLength(3);
	});

	it('and fail with the base URL to check when the answer is never a list', async () => {
		env.sandbox.server.injectFault(CONTACTS, { kind: 'answer', status: 200, contentType: 'text/html', body: '<html>proxy login</html>' }, 4);
		const result = await list();
		expect(result.error?.message).toContain('not Messlo\'s success answer');
		expect(result.error?.description).toContain('Base URL in the Messlo credential');
		expect(env.sandbox.server.received(CONTACTS)).toHaveLength(4);
	});
});

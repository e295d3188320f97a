/**
 * Message → Send and Wait for Response through the real n8n-core engine, on every provider: the
 * message goes out through the provider's own send with a signed link to the node's restart
 * webhook, and the execution waits; the link's page (a GET, from a person or a preview bot)
 * resumes nothing; the POST from the page resumes it with the answer; the wait limit resumes it
 * with a "no response" item. The waiting-webhook handling around the node is n8n's, rebuilt by
 * the harness (test/support/engine.ts callWaitingWebhook); the real n8n does it in
 * test/e2e/send-and-wait.e2e.test.ts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { MEHERY_DEMO } from '../../sandbox/mehery';
import { startChatApi, type ChatApiSandbox } from '../support/chatapi';
import { loadPackage, type CredentialsMap, type LoadedPackage, type WaitingWebhookResult, type WorkflowResult } from '../support/engine';
import { startMehery, type MeherySandbox } from '../support/mehery';
import { startMesigic, type MesigicSandbox } from '../support/mesigic';
import { startMessingin, type MessinginSandbox } from '../support/messingin';
import { startMesslo, type MessloSandbox } from '../support/messlo';
import { MESSLO_DEMO } from '../../sandbox/messlo';

const WHATSAPP_PREVIEW = 'WhatsApp/2.23.20.0 A';
const FACEBOOK_PREVIEW = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

const env = {} as { pkg: LoadedPackage; mesigic: MesigicSandbox; chatApi: ChatApiSandbox; mehery: MeherySandbox; messingin: MessinginSandbox; messlo: MessloSandbox };

beforeAll(async () => {
	env.pkg = await loadPackage();
	[env.mesigic, env.chatApi, env.mehery, env.messingin, env.messlo] = await Promise.all([startMesigic(), startChatApi(), startMehery(), startMessingin(), startMesslo()]);
});
afterAll(async () => {
	await Promise.all([env.mesigic, env.chatApi, env.mehery, env.messingin, env.messlo].map((sandbox) => sandbox?.stop()));
});
beforeEach(() => {
	for (const sandbox of [env.mesigic, env.chatApi, env.mehery, env.messingin, env.messlo]) sandbox.server.reset();
});

interface Provider {
	name: string;
	type: string;
	credentials(): CredentialsMap;
	/** The provider's own fields of the operation: recipient and what its send needs. */
	parameters(): INodeParameters;
	/** The texts the sandbox accepted for sending. */
	sentTexts(): string[];
	/** The recipient as the provider received it. */
	sentTo(): unknown[];
}

const PROVIDERS: Provider[] = [
	{
		name: 'Mesigic',
		type: 'mesigic',
		credentials: () => ({ mesigicApi: env.mesigic.credentials }),
		parameters: () => ({ phone: '+880 1711-000001' }),
		sentTexts: () => env.mesigic.server.accepted('POST /external-api/inbox/send-message').map((request) => (request.body as IDataObject).message as string),
		sentTo: () => env.mesigic.server.accepted('POST /external-api/inbox/send-message').map(({ body }) => `${(body as IDataObject).mobile_code} ${(body as IDataObject).mobile}`),
	},
	{
		name: 'Chat API',
		type: 'chatApi',
		credentials: () => ({ chatApiApi: env.chatApi.credentials }),
		parameters: () => ({ recipient: '+1 (747) 282-2486' }),
		sentTexts: () => env.chatApi.server.accepted('POST /instance12345/sendMessage').map((request) => (request.body as IDataObject).body as string),
		sentTo: () => env.chatApi.server.accepted('POST /instance12345/sendMessage').map((request) => (request.body as IDataObject).phone),
	},
	{
		name: 'Mehery',
		type: 'mehery',
		credentials: () => ({ meheryApi: env.mehery.credentials }),
		parameters: () => ({ channelId: MEHERY_DEMO.channelId, phone: '+1 747 282 2486' }),
		sentTexts: () => env.mehery.server.accepted('POST /api/v1/message/send').map((request) => ((request.body as IDataObject).text as IDataObject).body as string),
		sentTo: () => env.mehery.server.accepted('POST /api/v1/message/send').map((request) => ((request.body as IDataObject).to as IDataObject).phone),
	},
	{
		name: 'Messingin',
		type: 'messingin',
		credentials: () => ({ messinginApi: env.messingin.credentials }),
		parameters: () => ({ sessionId: env.messingin.connectedSession().sessionId, to: '0044 20 7946 0958' }),
		sentTexts: () => env.messingin.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').map((request) => (request.body as IDataObject).message as string),
		sentTo: () => env.messingin.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').map((request) => (request.body as IDataObject).to),
	},
	{
		name: 'Messlo',
		type: 'messlo',
		credentials: () => ({ messloApi: env.messlo.credentials }),
		parameters: () => ({ phone: '+91 98765 43210', sender: MESSLO_DEMO.senderNumber }),
		sentTexts: () => env.messlo.server.accepted('POST /api/whatsapp/send').map((request) => (request.body as IDataObject).message as string),
		sentTo: () => env.messlo.server.accepted('POST /api/whatsapp/send').map((request) => (request.body as IDataObject).contact_no),
	},
];
const [mesigic] = PROVIDERS;
const SENT_TO: Record<string, unknown> = { Mesigic: '880 1711000001', 'Chat API': '17472822486', Mehery: '17472822486', Messingin: '+442079460958', Messlo: '919876543210' };

const NODE = 'Ask';
const LINK = /(http:\/\/127\.0\.0\.1:5678\/webhook-waiting\/\S+)$/;

async function ask(provider: Provider, parameters: INodeParameters, inputJson: IDataObject[] = [{ order: 1042, amount: 120 }], continueOnFail = false) {
	return await env.pkg.runWorkflow({
		nodes: [
			{
				name: NODE,
				type: provider.type,
				parameters: { resource: 'message', operation: 'sendAndWait', ...provider.parameters(), message: '=Refund ${{ $json.amount }} for order {{ $json.order }}?', ...parameters },
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		credentials: provider.credentials(),
		inputJson,
	});
}

/** The answer link in the last text the provider sent. */
function linkIn(provider: Provider): string {
	const text = provider.sentTexts().at(-1) ?? '';
	const match = LINK.exec(text);
	if (!match) throw new Error(`no answer link in ${JSON.stringify(text)}`);
	return match[1];
}

const open = (waiting: WorkflowResult, url: string, userAgent = BROWSER) => env.pkg.callWaitingWebhook({ waiting, url, headers: { 'user-agent': userAgent } });
const post = (waiting: WorkflowResult, url: string, form: Record<string, string | string[]>) => env.pkg.callWaitingWebhook({ waiting, url, method: 'POST', form, headers: { 'user-agent': BROWSER } });
const page = (answer: WaitingWebhookResult) => String(answer.response?.body ?? '');

function expectWaiting(result: WorkflowResult) {
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('waiting');
}

describe.each(PROVIDERS)('$name: Send and Wait for Response', (provider) => {
	it('sends the message with a signed link to the node\'s restart webhook; the execution waits; opening the link resumes nothing; approving does', async () => {
		const waiting = await ask(provider, {});
		expectWaiting(waiting);
		expect(waiting.run.waitTill).toEqual(WAIT_INDEFINITELY);
		const [text] = provider.sentTexts();
		const nodeId = waiting.workflow.getNode(NODE)!.id;
		expect(text).toBe(`Refund $120 for order 1042?\n\nApprove: http://127.0.0.1:5678/webhook-waiting/${waiting.executionId}/${nodeId}?signature=${text.split('signature=')[1]}`);
		expect(text).toMatch(/signature=[0-9a-f]{64}$/);
		expect(provider.sentTo()).toEqual([SENT_TO[provider.name]]);
		const [pending] = waiting.json(NODE);
		expect(pending).toEqual({ order: 1042, amount: 120, responded: false, sentMessageId: expect.any(String) });
		expect(pending.sentMessageId).not.toBe('');

		const link = linkIn(provider);
		for (const userAgent of [WHATSAPP_PREVIEW, FACEBOOK_PREVIEW, BROWSER]) {
			const opened = await open(waiting, link, userAgent);
			expect([opened.status, opened.workflowData, opened.run]).toEqual([200, undefined, undefined]);
			expect(opened.response?.headers['content-type']).toBe('text/html; charset=utf-8');
			expect(page(opened)).toContain('<p>Refund $120 for order 1042?</p>');
			expect(page(opened)).toContain('<button type="submit" name="answer" value="approve">Approve</button>');
			expect(page(opened)).not.toContain('value="decline"');
		}

		const approved = await post(waiting, link, { answer: 'approve' });
		expect([approved.status, page(approved)]).toEqual([200, expect.stringContaining('Your answer was recorded')]);
		expect(approved.run?.status).toBe('success');
		expect(approved.run?.json(NODE)).toEqual([{ responded: true, data: { approved: true, respondedAt: expect.any(String) }, sentMessageId: pending.sentMessageId }]);
		expect(provider.sentTexts()).toHaveLength(1);

		// Once the execution is over, the link says so and changes nothing.
		const late = await post(approved.run!, link, { answer: 'approve' });
		expect([late.status, late.noActionRequired, late.run]).toEqual([200, true, undefined]);
	});

	it('goes on with a "no response" item when the wait limit is reached', async () => {
		const before = Date.now();
		const waiting = await ask(provider, { options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' } } } });
		expectWaiting(waiting);
		const until = new Date(waiting.run.waitTill!).getTime();
		expect(until).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
		expect(until).toBeLessThan(Date.now() + 2 * 3_600_000 + 1000);
		const resumed = await env.pkg.resumeAfterWaitLimit(waiting);
		expect(resumed.status).toBe('success');
		expect(resumed.json(NODE)).toEqual([{ order: 1042, amount: 120, responded: false, sentMessageId: waiting.json(NODE)[0].sentMessageId }]);
		const late = await post(resumed, linkIn(provider), { answer: 'approve' });
		expect(late.noActionRequired).toBe(true);
	});
});

describe('answers', () => {
	it('approve and decline: two buttons, each answer resumes with approved true / false; anything else shows the page again', async () => {
		const approval = { approvalOptions: { values: { approvalType: 'double', approveLabel: 'Yes, refund', disapproveLabel: 'No' } } };
		const waiting = await ask(mesigic, approval);
		expect(mesigic.sentTexts()[0]).toMatch(/\n\nApprove or decline: http/);
		const link = linkIn(mesigic);
		const opened = await open(waiting, link);
		expect(page(opened)).toContain('<button type="submit" name="answer" value="decline" class="secondary">No</button><button type="submit" name="answer" value="approve">Yes, refund</button>');

		for (const form of [{}, { answer: 'maybe' }, { answer: '' }] as Array<Record<string, string>>) {
			const refused = await post(waiting, link, form);
			expect([refused.status, refused.run]).toEqual([400, undefined]);
			expect(page(refused)).toContain('<p class="problem">Choose one of the buttons.</p>');
		}
		const declined = await post(waiting, link, { answer: 'decline' });
		expect(declined.run?.json(NODE)).toEqual([{ responded: true, data: { approved: false, respondedAt: expect.any(String) }, sentMessageId: expect.any(String) }]);
		const approved = await post(waiting, link, { answer: 'approve' });
		expect(approved.run?.json(NODE)[0].data).toEqual({ approved: true, respondedAt: expect.any(String) });
	});

	it('approve only: "decline" is not an answer', async () => {
		const waiting = await ask(mesigic, {});
		const refused = await post(waiting, linkIn(mesigic), { answer: 'decline' });
		expect([refused.status, refused.run]).toEqual([400, undefined]);
	});

	it('free text: the page has a text box; an empty answer is refused, a written one resumes with it', async () => {
		const waiting = await ask(mesigic, { responseType: 'freeText', options: { linkLabel: 'Tell us why', responseFormTitle: 'Refund feedback', responseFormButtonLabel: 'Send' } });
		expect(mesigic.sentTexts()[0]).toMatch(/\n\nTell us why: http/);
		const link = linkIn(mesigic);
		const opened = await open(waiting, link);
		expect(page(opened)).toContain('<title>Refund feedback</title>');
		expect(page(opened)).toContain('<textarea id="text" name="text" required></textarea>');
		expect(page(opened)).toContain('<form method="post" enctype="multipart/form-data">');
		const empty = await post(waiting, link, { text: '   ' });
		expect([empty.status, page(empty)]).toEqual([400, expect.stringContaining('&quot;Your answer&quot; is required.')]);
		const answered = await post(waiting, link, { text: 'The parcel arrived broken' });
		expect(answered.run?.json(NODE)).toEqual([{ responded: true, data: { text: 'The parcel arrived broken', respondedAt: expect.any(String) }, sentMessageId: expect.any(String) }]);
	});

	it('custom form: fields as defined; values checked against their type; the answer comes out under the labels', async () => {
		const formFields = {
			values: [
				{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
				{ fieldLabel: 'Reason', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'Broken' }, { option: 'Late' }] }, requiredField: true },
				{ fieldLabel: 'Refund by', fieldType: 'date' },
				{ fieldLabel: 'Notify', fieldType: 'checkbox', fieldOptions: { values: [{ option: 'Email' }, { option: 'SMS' }] } },
				{ fieldLabel: 'Email', fieldType: 'email' },
				{ fieldLabel: 'Note', fieldType: 'textarea', placeholder: 'Anything else?' },
			],
		};
		const waiting = await ask(mesigic, { responseType: 'customForm', formFields });
		expect(mesigic.sentTexts()[0]).toMatch(/\n\nAnswer: http/);
		const link = linkIn(mesigic);
		const html = page(await open(waiting, link));
		expect(html).toContain('<input id="field-0" name="field-0" type="number" step="any" required>');
		expect(html).toContain('<select id="field-1" name="field-1" required><option value=""></option><option value="Broken">Broken</option><option value="Late">Late</option></select>');
		expect(html).toContain('<input type="checkbox" name="field-3" value="SMS"> SMS');
		expect(html).toContain('<textarea id="field-5" name="field-5" placeholder="Anything else?"></textarea>');

		const wrong: Array<[Record<string, string | string[]>, string]> = [
			[{ 'field-1': 'Broken' }, '&quot;Amount&quot; is required.'],
			[{ 'field-0': 'ten', 'field-1': 'Broken' }, '&quot;Amount&quot; must be a number.'],
			[{ 'field-0': '10', 'field-1': 'Lost' }, '&quot;Reason&quot;: choose from the list.'],
			[{ 'field-0': '10', 'field-1': 'Late', 'field-2': '31/12/2026' }, '&quot;Refund by&quot; must be a date.'],
			[{ 'field-0': '10', 'field-1': 'Late', 'field-3': ['Email', 'Fax'] }, '&quot;Notify&quot;: choose from the list.'],
			[{ 'field-0': '10', 'field-1': 'Late', 'field-4': 'jane' }, '&quot;Email&quot; must be an email address.'],
		];
		for (const [form, problem] of wrong) {
			const refused = await post(waiting, link, form);
			expect([refused.status, refused.run]).toEqual([400, undefined]);
			expect(page(refused)).toContain(problem);
		}
		// n8n itself refuses a custom form posted without multipart/form-data.
		expect((await env.pkg.callWaitingWebhook({ waiting, url: link, method: 'POST', body: { 'field-0': '10' } })).status).toBe(415);

		const answered = await post(waiting, link, { 'field-0': '12.5', 'field-1': 'Late', 'field-2': '2026-12-31', 'field-3': ['Email', 'SMS'], 'field-4': 'jane@example.com', 'field-5': '' });
		expect(answered.run?.json(NODE)).toEqual([
			{
				responded: true,
				data: { Amount: 12.5, Reason: 'Late', 'Refund by': '2026-12-31', Notify: ['Email', 'SMS'], Email: 'jane@example.com', Note: null, respondedAt: expect.any(String) },
				sentMessageId: expect.any(String),
			},
		]);
	});

	it('shows the message escaped: what a workflow puts in it cannot add markup to the page', async () => {
		const waiting = await ask(mesigic, { message: '<script>alert(1)</script> & "quotes"\nsecond line\n\nnext paragraph', options: { responseFormTitle: '<b>Title</b>' } });
		const html = page(await open(waiting, linkIn(mesigic)));
		expect(html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;<br>second line</p>\n<p>next paragraph</p>');
		expect(html).toContain('<title>&lt;b&gt;Title&lt;/b&gt;</title>');
		expect(html).not.toContain('<script>');
	});
});

describe('the link', () => {
	it('is refused with a changed, missing or extended signature, or for another execution', async () => {
		const waiting = await ask(mesigic, {});
		const link = linkIn(mesigic);
		const url = new URL(link);
		const forged = new URL(link);
		forged.searchParams.set('signature', 'f'.repeat(64));
		const unsigned = new URL(link);
		unsigned.searchParams.delete('signature');
		const extra = new URL(link);
		extra.searchParams.set('approved', 'true');
		for (const bad of [forged, unsigned, extra]) {
			const answer = await post(waiting, bad.toString(), { answer: 'approve' });
			expect([answer.status, answer.run]).toEqual([401, undefined]);
		}
		const otherExecution = link.replace(`/webhook-waiting/${waiting.executionId}/`, '/webhook-waiting/999999/');
		expect((await post(waiting, otherExecution, { answer: 'approve' })).status).toBe(404);
		expect(url.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('the wait limit', () => {
	it('at a date: the execution waits until then', async () => {
		const at = new Date(Date.now() + 86_400_000).toISOString();
		const waiting = await ask(mesigic, { options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at } } } });
		expectWaiting(waiting);
		expect(new Date(waiting.run.waitTill!).toISOString()).toBe(at);
	});

	it.each<[string, IDataObject, string]>([
		['a date in the past', { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' }, 'Limit Wait Time → Max Date and Time is in the past: 2020-01-01T00:00:00.000Z'],
		['no date', { limitType: 'atSpecifiedTime', maxDateAndTime: 'next week' }, 'Limit Wait Time → Max Date and Time is not a date: "next week"'],
		['an amount of 0', { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'hours' }, 'Limit Wait Time → Amount must be a number above 0: "0" is not'],
	])('with %s fails the node before anything is sent', async (_case, values, message) => {
		const result = await ask(mesigic, { options: { limitWaitTime: { values } } } as INodeParameters);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(message);
		expect(mesigic.sentTexts()).toEqual([]);
	});
});

describe('sending', () => {
	it('uses only the first item (one message, one answer), and says so', async () => {
		const waiting = await ask(mesigic, {}, [{ order: 1, amount: 10 }, { order: 2, amount: 20 }, { order: 3, amount: 30 }]);
		expectWaiting(waiting);
		expect(mesigic.sentTexts()).toEqual([expect.stringMatching(/^Refund \$10 for order 1\?/)]);
		expect(waiting.taskData(NODE)?.hints).toEqual([expect.objectContaining({ message: expect.stringContaining('uses only the first input item: 2 more items were left out') })]);
	});

	it('refuses a message that is too long with the link, naming the field, before sending', async () => {
		const result = await ask(mesigic, { message: 'x'.repeat(4000) });
		expect(result.error?.message).toMatch(/^Message is too long: with the answer link the text has \d+ characters \(WhatsApp allows 4096\)$/);
		expect(result.error?.description).toMatch(/^Shorten "Message" to \d+ characters or fewer/);
		expect(mesigic.sentTexts()).toEqual([]);
	});

	it('checks the custom form before sending: a form that cannot be shown is never sent', async () => {
		const result = await ask(mesigic, { responseType: 'customForm', formFields: { values: [{ fieldLabel: 'Reason', fieldType: 'dropdown' }] } });
		expect(result.error?.message).toBe('Form Fields: "Reason" has no choices');
		const twice = await ask(mesigic, { responseType: 'customForm', formFields: { values: [{ fieldLabel: 'A' }, { fieldLabel: 'A' }] } });
		expect(twice.error?.message).toBe('Form Fields: the label "A" is used twice');
		expect(mesigic.sentTexts()).toEqual([]);
	});

	it('a failed send does not wait: an error item with Continue On Fail, else the node fails; nothing is sent twice', async () => {
		env.mesigic.server.injectFault('POST /external-api/inbox/send-message', { kind: 'server-error', status: 500 }, 2);
		const continued = await ask(mesigic, {}, undefined, true);
		expect(continued.status).toBe('success');
		expect(continued.json(NODE)).toEqual([{ error: 'Mesigic: Server Error', description: expect.anything() }]);
		const failed = await ask(mesigic, {});
		expect(failed.status).toBe('error');
		expect(env.mesigic.server.received('POST /external-api/inbox/send-message')).toHaveLength(2);
	});

	it('an invalid recipient fails before anything is sent', async () => {
		const result = await ask(mesigic, { phone: '12' });
		expect(result.error?.message).toMatch(/^To: /);
		expect(mesigic.sentTexts()).toEqual([]);
	});
});

describe('Mehery: as a template, for recipients outside the 24-hour window', () => {
	const mehery = PROVIDERS.find((provider) => provider.name === 'Mehery')!;
	const sentBodies = () => env.mehery.server.accepted('POST /api/v1/message/send').map((request) => request.body as IDataObject);
	beforeEach(() => {
		env.mehery.server.state.templates.approval_request = ['first_name', 'link'];
	});

	it('puts the link in the template variable; the answer resumes as with a text', async () => {
		const waiting = await ask(mehery, {
			sendAs: 'template',
			templateId: 'approval_request',
			templateData: { placeholders: [{ key: 'first_name', value: 'Jane' }] },
			templateLinkVariable: 'link',
		});
		expectWaiting(waiting);
		const [body] = sentBodies();
		const { data } = body.template as { data: IDataObject };
		expect(body).toEqual({ channelId: MEHERY_DEMO.channelId, to: { phone: '17472822486' }, type: 'template', mask: false, template: { id: 'approval_request', data: { first_name: 'Jane', link: expect.stringMatching(LINK) } } });
		const opened = await open(waiting, data.link as string);
		expect(page(opened)).toContain('<p>Refund $120 for order 1042?</p>');
		const approved = await post(waiting, data.link as string, { answer: 'approve' });
		expect(approved.run?.json(NODE)[0]).toMatchObject({ responded: true, data: { approved: true } });
	});

	it('with a Template Link Prefix the variable gets the rest of the link (for a URL button with a fixed beginning)', async () => {
		const waiting = await ask(mehery, { sendAs: 'template', templateId: 'approval_request', templateLinkVariable: 'link', options: { templateLinkPrefix: 'http://127.0.0.1:5678/webhook-waiting/' } });
		const { data } = sentBodies()[0].template as { data: IDataObject };
		expect(data.link).toMatch(new RegExp(`^${waiting.executionId}/[0-9a-f-]+\\?signature=[0-9a-f]{64}$`));
		const wrongPrefix = await ask(mehery, { sendAs: 'template', templateId: 'approval_request', templateLinkVariable: 'link', options: { templateLinkPrefix: 'https://n8n.example.com/webhook-waiting/' } });
		expect(wrongPrefix.error?.message).toBe('The answer link does not start with the Template Link Prefix "https://n8n.example.com/webhook-waiting/"');
		expect(sentBodies()).toHaveLength(1);
	});

	it('refuses a Link Variable that Template Data gives too', async () => {
		const result = await ask(mehery, { sendAs: 'template', templateId: 'approval_request', templateData: { placeholders: [{ key: 'link', value: 'x' }] }, templateLinkVariable: 'link' });
		expect(result.error?.message).toBe('Template Data also has the Link Variable "link"');
		expect(sentBodies()).toEqual([]);
	});
});

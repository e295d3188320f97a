/**
 * Message → Send and Wait for Response on a real n8n 2.41 server, for every provider (one n8n and
 * the five simulators per test file): a published workflow is started through a Webhook trigger;
 * the execution waits and the provider received the message with the answer link; a GET of the
 * link (a preview bot's, or a person's) resumes nothing; approving, declining, a free-text answer
 * and a form answer each resume it with that answer; the wait limit resumes it with no response.
 * n8n checks the link's signature itself (it keys that on the `sendAndWait` operation).
 *
 * In queue mode the link must point at the webhook process, resume the waiting execution there,
 * and every part of the run — the send before the wait and the rest after it — must run on the
 * worker.
 */
import type { IDataObject } from 'n8n-workflow';

import { MEHERY_DEMO } from '../../sandbox/mehery';
import { startChatApi } from './chatapi';
import { startMehery } from './mehery';
import { startMesigic } from './mesigic';
import { startMessingin } from './messingin';
import { startMesslo } from './messlo';
import { MESSLO_DEMO } from '../../sandbox/messlo';
import type { Credential, Execution, N8nServer, StartN8nOptions } from './n8n-server';
import { until } from './until';
import { chainWorkflow, node, postJson, publish, useN8nWithSandbox, uses } from './use-n8n';

import { ranOnWorker } from './providers';

export function sendAndWaitSuite(options: StartN8nOptions = {}) {
	const env = useN8nWithSandbox(async () => {
		const [mesigic, chatApi, mehery, messingin, messlo] = await Promise.all([startMesigic(), startChatApi(), startMehery(), startMessingin(), startMesslo()]);
		return { mesigic, chatApi, mehery, messingin, messlo, stop: async () => void (await Promise.all([mesigic, chatApi, mehery, messingin, messlo].map((sandbox) => sandbox.stop()))) };
	}, options);

		const queue = options.queue === true;

	const WHATSAPP_PREVIEW = 'WhatsApp/2.23.20.0 A';
	const FACEBOOK_PREVIEW = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
	const BROWSER = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
	const NODE = 'Ask';

	interface Provider {
		name: string;
		key: string;
		type: string;
		credentialType: string;
		credentials(): object;
		parameters(): IDataObject;
		sentTexts(): string[];
	}

	const PROVIDERS: Provider[] = [
		{
			name: 'Mesigic',
			key: 'mesigic',
			type: 'mesigic',
			credentialType: 'mesigicApi',
			credentials: () => env.sandbox.mesigic.credentials,
			parameters: () => ({ phone: '+880 1711-000001' }),
			sentTexts: () => env.sandbox.mesigic.server.accepted('POST /external-api/inbox/send-message').map((request) => String((request.body as IDataObject).message)),
		},
		{
			name: 'Chat API',
			key: 'chatapi',
			type: 'chatApi',
			credentialType: 'chatApiApi',
			credentials: () => env.sandbox.chatApi.credentials,
			parameters: () => ({ recipient: '+1 (747) 282-2486' }),
			sentTexts: () => env.sandbox.chatApi.server.accepted('POST /instance12345/sendMessage').map((request) => String((request.body as IDataObject).body)),
		},
		{
			name: 'Mehery',
			key: 'mehery',
			type: 'mehery',
			credentialType: 'meheryApi',
			credentials: () => env.sandbox.mehery.credentials,
			parameters: () => ({ channelId: MEHERY_DEMO.channelId, phone: '+1 747 282 2486' }),
			sentTexts: () => env.sandbox.mehery.server.accepted('POST /api/v1/message/send').map((request) => String(((request.body as IDataObject).text as IDataObject).body)),
		},
		{
			name: 'Messingin',
			key: 'messingin',
			type: 'messingin',
			credentialType: 'messinginApi',
			credentials: () => env.sandbox.messingin.credentials,
			parameters: () => ({ sessionId: env.sandbox.messingin.connectedSession().sessionId, to: '0044 20 7946 0958' }),
			sentTexts: () => env.sandbox.messingin.server.accepted('POST /api/whatsapp/sessions/:sessionId/messages').map((request) => String((request.body as IDataObject).message)),
		},
		{
			name: 'Messlo',
			key: 'messlo',
			type: 'messlo',
			credentialType: 'messloApi',
			credentials: () => env.sandbox.messlo.credentials,
			parameters: () => ({ phone: '+91 98765 43210', sender: MESSLO_DEMO.senderNumber }),
			sentTexts: () => env.sandbox.messlo.server.accepted('POST /api/whatsapp/send').map((request) => String((request.body as IDataObject).message)),
		},
	];

	/** Per provider: the published workflow and the executions started for the wait-limit test. */
	const workflows = new Map<string, string>();
	const limited = new Map<string, string>();

	const startPath = (provider: Provider) => `send-and-wait-${provider.key}`;

	/** The Send and Wait node, its response type, approval type and wait limit taken from the request that starts the run. */
	function askNode(n8n: N8nServer, provider: Provider, credential: Credential) {
		return node(
			`5a3d0000-0000-4000-8000-00000000000${PROVIDERS.indexOf(provider)}`,
			NODE,
			`${n8n.packageName}.${provider.type}`,
			{
				resource: 'message',
				operation: 'sendAndWait',
				...provider.parameters(),
				message: '=Refund ${{ $json.body.amount }} for order {{ $json.body.order }}?',
				responseType: '={{ $json.body.responseType }}',
				approvalOptions: { values: { approvalType: 'double', approveLabel: 'Refund', disapproveLabel: 'Keep' } },
				formFields: {
					values: [
						{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
						{ fieldLabel: 'Reason', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'Broken' }, { option: 'Late' }] } },
					],
				},
				options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: '={{ $json.body.waitMinutes ?? 600 }}', resumeUnit: 'minutes' } } },
			},
			{ credentials: uses(provider.credentialType, credential) },
		);
	}

	/** Starts a run; returns its execution once it waits, with the link the provider received. */
	async function start(provider: Provider, body: IDataObject): Promise<{ execution: Execution; link: string }> {
		const { n8n } = env;
		const workflowId = workflows.get(provider.key)!;
		const before = new Set((await n8n.executions(workflowId)).map((execution) => execution.id));
		const sentBefore = provider.sentTexts().length;
		const started = await postJson(n8n.webhookUrl(startPath(provider)), { order: 1042, amount: 120, ...body });
		expect(started.status).toBe(200);
		const execution = await until(async () => (await n8n.executions(workflowId, { status: 'waiting' })).find((candidate) => !before.has(candidate.id)));
		const text = await until(() => provider.sentTexts()[sentBefore]);
		const match = /\n\n(?:Approve or decline|Answer): (http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/(\d+)\/[0-9a-f-]+\?signature=[0-9a-f]{64})$/.exec(text);
		expect(match).not.toBeNull();
		expect(text.startsWith('Refund $120 for order 1042?\n\n')).toBe(true);
		expect(match![2]).toBe(String(execution.id));
		if (queue) expect(match![1].startsWith(`${n8n.webhookBaseUrl}/webhook-waiting/`)).toBe(true);
		return { execution, link: match![1] };
	}

	async function statusOf(id: string | number): Promise<string> {
		return (await env.n8n.execution(String(id), { includeData: false })).status;
	}

	/** The Send and Wait node's output items once the execution finished. */
	async function outputOf(id: string | number): Promise<IDataObject[]> {
		const execution = await until(async () => {
			const candidate = await env.n8n.execution(String(id));
			return ['success', 'error'].includes(candidate.status) ? candidate : undefined;
		}, { timeoutMs: 20_000 });
		expect(execution.status).toBe('success');
		if (queue) {
			// the send before the wait and the rest after it: two jobs, both on the worker
			expect(ranOnWorker(env.n8n, String(id))).toBe(true);
			expect(env.n8n.processes.worker!.logs().split(`Worker started execution ${id} `).length - 1).toBe(2);
		}
		return execution.data!.resultData.runData[NODE][0].data!.main[0]!.map((item) => item.json as IDataObject);
	}

	function form(fields: Record<string, string>): FormData {
		const data = new FormData();
		for (const [name, value] of Object.entries(fields)) data.append(name, value);
		return data;
	}

	const submit = (link: string, fields: Record<string, string>) => fetch(link, { method: 'POST', body: form(fields), headers: { 'user-agent': BROWSER } });

	test('set-up: credentials, one published workflow per provider; runs with a short wait limit start first (n8n checks wait limits once a minute)', async () => {
		const { n8n } = env;
		for (const provider of PROVIDERS) {
			const credential = await n8n.createCredential(provider.credentialType, `${provider.name} for Send and Wait`, { ...provider.credentials() });
			const index = PROVIDERS.indexOf(provider);
			const workflow = await n8n.createWorkflow(
				chainWorkflow(`E2E: ${provider.name} Send and Wait`, [
					// Answers at once: the run goes on (and waits) after the trigger has answered.
					node(`5a3d0000-0000-4000-8000-00000000010${index}`, 'Start', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: startPath(provider), responseMode: 'onReceived', options: {} }, { typeVersion: 2, webhookId: `5a3d0000-0000-4000-8000-00000000020${index}` }),
					askNode(n8n, provider, credential),
				]),
			);
			workflows.set(provider.key, workflow.id);
			await publish(n8n, workflow.id, startPath(provider), 'POST');
		}
		for (const provider of PROVIDERS) {
			const { execution } = await start(provider, { responseType: 'approval', waitMinutes: 0.05 });
			limited.set(provider.key, String(execution.id));
		}
	}, 120_000);

	describe.each(PROVIDERS)('$name', (provider) => {
		test('the run waits; opening the link (preview bots, a person) resumes nothing; approving resumes it with approved: true; later the link says no action is required', async () => {
			const { execution, link } = await start(provider, { responseType: 'approval' });
			for (const userAgent of [WHATSAPP_PREVIEW, FACEBOOK_PREVIEW, BROWSER, '']) {
				const opened = await fetch(link, { headers: { 'user-agent': userAgent } });
				expect(opened.status).toBe(200);
				const html = await opened.text();
				expect(html).toContain('<p>Refund $120 for order 1042?</p>');
				expect(html).toContain('<button type="submit" name="answer" value="decline" class="secondary">Keep</button><button type="submit" name="answer" value="approve">Refund</button>');
			}
			// n8n's own style of link, ?approved=true, is no answer either: it breaks the signature.
			expect((await fetch(`${link}&approved=true`)).status).toBe(401);
			expect(await statusOf(execution.id)).toBe('waiting');

			const answered = await submit(link, { answer: 'approve' });
			expect(answered.status).toBe(200);
			expect(await answered.text()).toContain('Your answer was recorded');
			expect(await outputOf(execution.id)).toEqual([{ responded: true, data: { approved: true, respondedAt: expect.any(String) }, sentMessageId: expect.any(String) }]);

			const late = await submit(link, { answer: 'decline' });
			expect(late.status).toBe(200);
			expect(await late.text()).toMatch(/no action required/i);
			expect(await outputOf(execution.id)).toEqual([expect.objectContaining({ data: expect.objectContaining({ approved: true }) })]);
		}, 60_000);

		test('declining resumes it with approved: false; a forged signature is refused', async () => {
			const { execution, link } = await start(provider, { responseType: 'approval' });
			const forged = new URL(link);
			forged.searchParams.set('signature', '0'.repeat(64));
			expect((await submit(forged.toString(), { answer: 'approve' })).status).toBe(401);
			expect(await statusOf(execution.id)).toBe('waiting');
			expect((await submit(link, { answer: 'decline' })).status).toBe(200);
			expect(await outputOf(execution.id)).toEqual([{ responded: true, data: { approved: false, respondedAt: expect.any(String) }, sentMessageId: expect.any(String) }]);
		}, 60_000);

		test('a free-text answer resumes it with the text', async () => {
			const { execution, link } = await start(provider, { responseType: 'freeText' });
			expect(await (await fetch(link)).text()).toContain('<textarea id="text" name="text" required></textarea>');
			const empty = await submit(link, { text: '' });
			expect(empty.status).toBe(400);
			expect(await statusOf(execution.id)).toBe('waiting');
			expect((await submit(link, { text: 'Refund only half, the box was opened' })).status).toBe(200);
			expect(await outputOf(execution.id)).toEqual([{ responded: true, data: { text: 'Refund only half, the box was opened', respondedAt: expect.any(String) }, sentMessageId: expect.any(String) }]);
		}, 60_000);

		test('a form answer resumes it with the fields', async () => {
			const { execution, link } = await start(provider, { responseType: 'customForm' });
			const html = await (await fetch(link)).text();
			expect(html).toContain('<input id="field-0" name="field-0" type="number" step="any" required>');
			const incomplete = await submit(link, { 'field-1': 'Late' });
			expect(incomplete.status).toBe(400);
			expect(await incomplete.text()).toContain('&quot;Amount&quot; is required.');
			expect(await statusOf(execution.id)).toBe('waiting');
			expect((await submit(link, { 'field-0': '60', 'field-1': 'Late' })).status).toBe(200);
			expect(await outputOf(execution.id)).toEqual([{ responded: true, data: { Amount: 60, Reason: 'Late', respondedAt: expect.any(String) }, sentMessageId: expect.any(String) }]);
		}, 60_000);
	});

	test('the wait limit resumes every provider\'s run with a "no response" item (the trigger\'s item, responded: false, the sent message\'s ID)', async () => {
		for (const provider of PROVIDERS) {
			const output = await until(async () => (['success', 'error'].includes(await statusOf(limited.get(provider.key)!)) ? outputOf(limited.get(provider.key)!) : undefined), { timeoutMs: 100_000, intervalMs: 500 });
			expect(output).toEqual([expect.objectContaining({ body: expect.objectContaining({ order: 1042, waitMinutes: 0.05 }), responded: false, sentMessageId: expect.any(String) })]);
			expect(output[0].sentMessageId).not.toBe('');
		}
	}, 120_000);


	return { env, providers: PROVIDERS, submit, previewAgent: WHATSAPP_PREVIEW };
}

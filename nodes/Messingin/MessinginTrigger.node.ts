import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { NORMALIZED_OUTPUT_OPTION } from '../shared/normalized';
import { checkEntries, contentHash, dedupeOption, dropRepeatedDeliveries, emit, ignore, refuse, sameSecret, type CheckedEntry, type DeliveryKey } from '../shared/webhook';
import { triggerEvents, triggerNotice, triggerOptions } from '../shared/trigger-fields';
import { isTestListen, testRefusal } from '../shared/test-listen';
import { MESSINGIN_EVENTS, messingin, normalizeMessageEvent, SECRET_PARAMETER, TRIGGER_WEBHOOK_PATH, noteTriggerUrl, type MessinginEvent, testMessinginCredential } from './api';

const eventDataSchema = z
	.object({
		id: z.string().optional(),
		sessionId: z.string().optional(),
		from: z.string().optional(),
		to: z.string().optional(),
		message: z.string().optional(),
		timestamp: z.union([z.string(), z.number()]).optional(),
	})
	.passthrough();
const eventSchema = z.object({ event: z.string(), data: eventDataSchema }).passthrough();

type Event = z.infer<typeof eventSchema>;

const isKnownEvent = (name: unknown): name is MessinginEvent => (MESSINGIN_EVENTS as readonly unknown[]).includes(name);

const SESSION_EVENTS: readonly string[] = MESSINGIN_EVENTS.filter((name) => name.startsWith('session.'));

/**
 * What tells a re-delivered event apart. A message event has its id. A session event has none and,
 * as far as the document shows, no time either: with a timestamp its body is unique to it; without
 * one it is the session's state (connected, disconnected), a repeat of which is dropped until the
 * session's next change of state or for a few minutes (see DeliveryKey), because a session that
 * connects again later sends the very same body.
 */
function deliveryKey(entry: CheckedEntry<Event>): DeliveryKey {
	if ('invalid' in entry) return { content: entry.raw };
	const { event, data } = entry.value;
	if (data.id) return `${event}:${data.id}`;
	if (data.timestamp !== undefined) return `body:${contentHash(entry.value)}`;
	if (SESSION_EVENTS.includes(event) && data.sessionId !== undefined) return { group: `session:${data.sessionId}`, state: event, otherStates: SESSION_EVENTS };
	return { content: entry.value };
}

/**
 * Whether an event is for this workflow: one of the selected events, of the chosen session. One that
 * broke the contract is shown unless what can be read of it names another event or session.
 */
function isWanted(entry: CheckedEntry<Event>, selected: MessinginEvent[], onlySession: string | undefined): boolean {
	const body = ('invalid' in entry ? entry.raw : entry.value) as { event?: unknown; data?: { sessionId?: unknown } | null } | null | undefined;
	const name = body?.event;
	const sessionId = body?.data?.sessionId;
	if ('invalid' in entry) {
		const otherEvent = typeof name === 'string' && !(selected as string[]).includes(name);
		const otherSession = Boolean(onlySession) && typeof sessionId === 'string' && sessionId !== onlySession;
		return !otherEvent && !otherSession;
	}
	return isKnownEvent(name) && selected.includes(name) && (!onlySession || sessionId === onlySession);
}

async function webhookSecret(ctx: IHookFunctions | IWebhookFunctions): Promise<string | undefined> {
	const { webhookSecret: secret } = await ctx.getCredentials(messingin.credentialType);
	return typeof secret === 'string' && secret !== '' ? secret : undefined;
}

export class MessinginTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messingin Trigger',
		name: 'messinginTrigger',
		icon: { light: 'file:../../icons/messingin.svg', dark: 'file:../../icons/messingin.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow the moment a Messingin WhatsApp session receives, sends or delivers a message, or connects or disconnects (webhook)',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#messingin-trigger',
		defaults: { name: 'Messingin Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'messinginApi', required: true, testedBy: 'messinginApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: TRIGGER_WEBHOOK_PATH }],
		properties: [
			triggerNotice(
				'Messingin sends events to the webhook URL of a session (Session → Create in the Messingin node: choose "A Messingin Trigger in This Workflow", or paste this node\'s Production URL; the secret is added for you) or to the one set in the Messingin dashboard: there, enter the Production URL followed by ?secret= and the Webhook Secret of the credential. Calls without the secret are refused.',
			),
			triggerEvents(
				[
					{ name: 'Message Delivered', value: 'message.delivered', description: 'A sent message reached the recipient\'s phone' },
					{ name: 'Message Received', value: 'message.received', description: 'Someone sent a message to a session' },
					{ name: 'Message Sent', value: 'message.sent', description: 'A session sent a message' },
					{ name: 'Session Connected', value: 'session.connected', description: 'A session\'s QR code was scanned, or it reconnected' },
					{ name: 'Session Disconnected', value: 'session.disconnected', description: 'A session was logged out or lost its connection' },
				],
				['message.received'],
			),
			triggerOptions([
				dedupeOption('Messingin'),
				NORMALIZED_OUTPUT_OPTION,
				{
					displayName: 'Session ID',
					name: 'sessionId',
					type: 'string',
					default: '',
					placeholder: 'session_123',
					description: 'Only events of this session (the dashboard webhook gets the events of every session)',
				},
				{
					displayName: 'Test URL Set on a Session',
					name: 'testUrlOnSession',
					type: 'boolean',
					default: false,
					description:
						'Whether a session (or the dashboard) sends its events to this node\'s Test URL, so that "Listen for test event" can receive them. Off: the test stops at once, since Messingin calls only the URL set on a session, normally the Production URL.',
				},
			]),
		],
	};

	methods = { credentialTest: { messinginApiTest: testMessinginCredential } };

	webhookMethods = {
		default: {
			// Messingin has no API to register a webhook: the URL goes into a session or the dashboard.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (!(await webhookSecret(this))) {
					throw new NodeOperationError(this.getNode(), 'The Messingin credential has no Webhook Secret', {
						description: `Set a Webhook Secret (any long random text) in the Messingin credential, then give Messingin this trigger's URL followed by ?${SECRET_PARAMETER}= and that text. Without it every call would be refused.`,
					});
				}
				const { testUrlOnSession } = this.getNodeParameter('options', {}) as { testUrlOnSession?: boolean };
				if (isTestListen(this) && testUrlOnSession !== true) {
					throw testRefusal(
						this,
						'Messingin never calls this test URL: it sends events only to the webhook URL set on a session or in its dashboard. To see real events, publish the workflow and open its executions; to test here, create a session whose webhook is the Test URL (Session → Create) and turn on Options → Test URL Set on a Session.',
						`A session's webhook normally holds this node's Production URL, so a test here would wait for ever. Session → Create in the Messingin node adds ?${SECRET_PARAMETER}= to the Test URL for you.`,
					);
				}
				// Session → Create of this workflow offers the URL (a test's URL lives only while it listens).
				if (!isTestListen(this)) noteTriggerUrl(this, this.getNode().name, this.getNodeWebhookUrl('default') as string);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (!isTestListen(this)) noteTriggerUrl(this, this.getNode().name, undefined);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as IDataObject;
		if (!sameSecret(await webhookSecret(this), query[SECRET_PARAMETER])) {
			return refuse(this, 401, 'This webhook only accepts calls that carry the Webhook Secret of its Messingin credential.');
		}
		// Messingin documents one event per call; a list is taken too rather than refused.
		const body = this.getBodyData();
		const entries = Array.isArray(body) ? checkEntries(eventSchema, body) : checkEntries(eventSchema, [body], () => '');

		const selected = this.getNodeParameter('events') as MessinginEvent[];
		const options = this.getNodeParameter('options', {}) as { dedupe?: boolean; normalized?: boolean; sessionId?: string };
		const onlySession = options.sessionId?.trim();
		const wanted = entries.filter((entry) => isWanted(entry, selected, onlySession));
		if (!wanted.length) return ignore('no selected event in this delivery');
		const records = wanted.map((entry) => {
			if ('invalid' in entry) return entry.invalid;
			const { event: name, data } = entry.value;
			return options.normalized && name.startsWith('message.') ? normalizeMessageEvent(name as MessinginEvent, data as IDataObject) : { event: name, ...(data as IDataObject) };
		});
		// Repeats are dropped in execute(), where n8n's store of processed items can be reached.
		return emit(this, records, options.dedupe !== false ? wanted.map(deliveryKey) : undefined);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await dropRepeatedDeliveries(this)];
	}
}

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
import { NodeConnectionTypes } from 'n8n-workflow';
import { z } from 'zod';

import { ProviderClient } from '../shared/http';
import { NORMALIZED_OUTPUT_OPTION } from '../shared/normalized';
import { INBOUND_MEDIA_OPTIONS, type InboundRecord } from '../shared/inbound-media';
import { checkEntries, dedupeOption, dropRepeatedDeliveries, emitInbound, ignore, newSecret, parsePayload, refuse, registrationOf, sameSecret, withQuery, type DeliveryKey } from '../shared/webhook';
import { triggerEvents, triggerNotice, triggerOptions } from '../shared/trigger-fields';
import { isOwnPublishedUrl, isTestListen, takeOverWhileTestingOption, testRefusal } from '../shared/test-listen';
import { chatApi, MESSAGE_EVENTS, messageEventOf, messageItem, normalizeAck, normalizeMessage, testChatApiCredential } from './api';

type Event = 'incomingMessage' | 'outgoingMessage' | 'messageDelivered' | 'messageViewed';

const SECRET_PARAMETER = 'n8nSecret';

const message = z.object({ id: z.string(), chatId: z.string(), fromMe: z.boolean().optional(), type: z.string().optional(), body: z.string().nullish(), time: z.number().optional() }).passthrough();
const ack = z.object({ id: z.string(), chatId: z.string().optional(), status: z.string() }).passthrough();
/** The batch is read leniently; each message and ack in it is then checked on its own. */
const payload = z.object({ messages: z.array(z.unknown()).optional(), ack: z.array(z.unknown()).optional() }).passthrough();

type List = 'messages' | 'ack';

/** The events an entry of each list can be. */
const LIST_EVENTS: Record<List, Event[]> = { messages: ['incomingMessage', 'outgoingMessage'], ack: ['messageDelivered', 'messageViewed'] };

/** A message or ack of a batch, tagged with the event it is; or one that broke the contract (`list` 'body': the batch itself). */
type Delivery = { event: Event; record: IDataObject } | { invalid: IDataObject; list: List | 'body'; raw: unknown };

/** One delivery per message and per ack of a batch. */
function deliveriesOf(body: z.infer<typeof payload>): Delivery[] {
	const messages = checkEntries(message, body.messages ?? [], (index) => `messages.${index}`).map((entry): Delivery =>
		'invalid' in entry ? { ...entry, list: 'messages' } : { event: messageEventOf(entry.value as IDataObject), record: entry.value as IDataObject },
	);
	const acks = checkEntries(ack, body.ack ?? [], (index) => `ack.${index}`).map((entry): Delivery =>
		'invalid' in entry ? { ...entry, list: 'ack' } : { event: entry.value.status === 'viewed' ? 'messageViewed' : 'messageDelivered', record: entry.value as IDataObject },
	);
	return [...messages, ...acks];
}

/** A message or ack by its id (an ack shares the id of its message); one that broke the contract by its content. */
const deliveryKey = (delivery: Delivery): DeliveryKey => ('invalid' in delivery ? { content: [delivery.list, delivery.raw] } : `${delivery.event}:${String(delivery.record.id)}`);

/** An entry that broke the contract is shown when the events its list holds are selected. */
const isSelected = (delivery: Delivery, events: Event[]) =>
	'invalid' in delivery ? delivery.list === 'body' || LIST_EVENTS[delivery.list].some((event) => events.includes(event)) : events.includes(delivery.event);

async function currentWebhookUrl(client: ProviderClient): Promise<string> {
	const answer = (await client.call({ method: 'GET', path: 'webhook' }, { idempotent: true })) as IDataObject;
	return typeof answer?.webhookUrl === 'string' ? answer.webhookUrl : '';
}

/**
 * A test may point the instance at the test URL when nobody else is listening; when a published
 * workflow or another application holds the instance's one webhook, only with the user's leave,
 * since every message goes to the test until it ends.
 */
function assertTestMayTakeOver(ctx: IHookFunctions, currentUrl: string): void {
	const { takeOverWhileTesting } = ctx.getNodeParameter('options', {}) as { takeOverWhileTesting?: boolean };
	if (takeOverWhileTesting === true) return;
	const putBack = 'With the option on, the URL is put back when the test ends: a message arrives, you stop it, or it times out.';
	if (isOwnPublishedUrl(ctx, currentUrl)) {
		throw testRefusal(
			ctx,
			'This workflow is published and the Chat API instance\'s only webhook points at it: while a test listens, its messages would reach only the test. Open the published workflow\'s executions, unpublish it to test here, or turn on Options → Take Over the Webhook While Testing.',
			putBack,
		);
	}
	throw testRefusal(
		ctx,
		'The Chat API instance\'s only webhook points at another application: while a test listens, its messages would reach only the test. Clear the instance\'s webhook (Webhook → Set in the Chat API node), or turn on Options → Take Over the Webhook While Testing.',
		putBack,
	);
}

export class ChatApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat API Trigger',
		name: 'chatApiTrigger',
		icon: { light: 'file:../../icons/chatapi.svg', dark: 'file:../../icons/chatapi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow the moment a Chat API WhatsApp instance receives or sends a message, or a message is delivered or viewed (webhook)',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#chat-api-trigger',
		defaults: { name: 'Chat API Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chatApiApi', required: true, testedBy: 'chatApiApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: [
			triggerNotice(
				'Publishing the workflow points the instance\'s webhook at this node (the URL it had before is put back when you unpublish). An instance has one webhook URL, so one published workflow per instance.',
			),
			triggerEvents(
				[
					...MESSAGE_EVENTS,
					{ name: 'Message Delivered', value: 'messageDelivered', description: 'A sent message reached the recipient\'s phone' },
					{ name: 'Message Viewed', value: 'messageViewed', description: 'The recipient read a sent message' },
				],
				['incomingMessage'],
			),
			triggerOptions([
				dedupeOption('Chat API'),
				NORMALIZED_OUTPUT_OPTION,
				...INBOUND_MEDIA_OPTIONS,
				takeOverWhileTestingOption(
					'Whether "Listen for test event" may point the instance\'s webhook at the test URL while a published workflow or another application holds it. Meanwhile every message reaches only the test; when the test ends (a message arrives, you stop it, or it times out) the URL is put back. Off: the test stops at once and says why; an instance without a webhook is always free to test.',
				),
			]),
		],
	};

	methods = { credentialTest: { chatApiApiTest: testChatApiCredential } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { registeredUrl } = registrationOf(this);
				if (!registeredUrl) return false;
				const client = await ProviderClient.for(this, chatApi);
				return (await currentWebhookUrl(client)) === registeredUrl;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const client = await ProviderClient.for(this, chatApi);
				const registration = registrationOf(this);
				const previousUrl = await currentWebhookUrl(client);
				const ownUrl = this.getNodeWebhookUrl('default') as string;
				if (isTestListen(this) && previousUrl !== '' && !previousUrl.startsWith(ownUrl)) assertTestMayTakeOver(this, previousUrl);
				registration.secret = newSecret();
				registration.registeredUrl = withQuery(ownUrl, { [SECRET_PARAMETER]: registration.secret });
				if (!previousUrl.startsWith(ownUrl)) registration.previousUrl = previousUrl;
				// Acks first, so no ack is missed once the instance points here.
				const events = this.getNodeParameter('events') as Event[];
				if (events.includes('messageDelivered') || events.includes('messageViewed')) {
					await client.call({ method: 'POST', path: 'settings/ackNotificationsOn', body: { ackNotificationsOn: 1 } }, { idempotent: true });
				}
				await client.call({ method: 'POST', path: 'webhook', body: { webhookUrl: registration.registeredUrl } }, { idempotent: true });
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const registration = registrationOf(this);
				const client = await ProviderClient.for(this, chatApi);
				// Only undo our own registration: someone may have pointed the instance elsewhere since.
				if (registration.registeredUrl && (await currentWebhookUrl(client)) === registration.registeredUrl) {
					await client.call({ method: 'POST', path: 'webhook', body: { webhookUrl: registration.previousUrl ?? '' } }, { idempotent: true });
				}
				delete registration.registeredUrl;
				delete registration.previousUrl;
				delete registration.secret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const registration = registrationOf(this);
		const query = this.getQueryData() as IDataObject;
		if (!sameSecret(registration.secret, query[SECRET_PARAMETER])) {
			return refuse(this, 401, 'This webhook only accepts calls from the Chat API instance it was registered with.');
		}
		const body = this.getBodyData();
		const parsed = parsePayload(payload, body);
		const events = this.getNodeParameter('events') as Event[];
		const options = this.getNodeParameter('options', {}) as { dedupe?: boolean; normalized?: boolean };
		const deliveries: Delivery[] = 'invalid' in parsed ? [{ invalid: parsed.invalid, list: 'body', raw: body }] : deliveriesOf(parsed.payload);
		const selected = deliveries.filter((delivery) => isSelected(delivery, events));
		if (!selected.length) return ignore('no selected event in this delivery');
		const records = selected.map((delivery): InboundRecord => {
			if ('invalid' in delivery) return { json: delivery.invalid };
			const { event, record } = delivery;
			if (event === 'messageDelivered' || event === 'messageViewed') return { json: options.normalized ? normalizeAck(record) : { event, ...record } };
			const normalized = normalizeMessage(record);
			return { json: options.normalized ? normalized : messageItem(record), media: normalized.media };
		});
		// Repeats are dropped in execute(), where n8n's store of processed items can be reached.
		return await emitInbound(this, records, options.dedupe !== false ? selected.map(deliveryKey) : undefined);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await dropRepeatedDeliveries(this)];
	}
}

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

import { ProviderClient } from '../shared/http';
import { INBOUND_MEDIA_OPTIONS, type InboundRecord } from '../shared/inbound-media';
import { NORMALIZED_OUTPUT_OPTION } from '../shared/normalized';
import { checkEntries, dedupeOption, dropRepeatedDeliveries, emitInbound, ignore, parsePayload, refuse, registrationOf, sameSecret, type CheckedEntry, type DeliveryKey } from '../shared/webhook';
import { triggerEvents, triggerNotice, triggerOptions } from '../shared/trigger-fields';
import { isTestListen, productionUrlOf, takeOverWhileTestingOption, testRefusal } from '../shared/test-listen';
import { CALLBACK_PATHS, mehery, normalizeMessage, type CallbackEvent, testMeheryCredential } from './api';
import { actionSchema, contactSchema, messageReceiveSchema, messageSchema, type MeheryAction, type MeheryContact, type MeheryMessage, type MessageReceiveBatch } from './callbacks';

type ContactInfoResponse = 'fields' | 'lastNode' | 'responseNode';

interface TriggerOptions {
	dedupe?: boolean;
	normalized?: boolean;
	takeOverWhileTesting?: boolean;
	webhookUrlAfterUnpublish?: string;
}

interface LabelField {
	key?: string;
	name?: string;
	type?: 'DATE' | 'LIST' | 'NUMBER' | 'TEXT';
	value?: unknown;
}

interface ProfileFields {
	email?: string;
	labels?: { label?: LabelField[] };
	mobile?: string;
	name?: string;
	profileId?: string;
}

/** The URL registered with Mehery: the one the three callback paths hang under. */
function callbackBaseUrl(ctx: IHookFunctions): string {
	const messageUrl = ctx.getNodeWebhookUrl('default') as string;
	return messageUrl.slice(0, messageUrl.length - CALLBACK_PATHS.messageReceive.length).replace(/\/+$/, '');
}

/**
 * Where Mehery is pointed back when a test ends. Mehery cannot say which URL it holds, so a test
 * may only take it over when the user allows it, and then gives it to this node's Production URL.
 */
function urlAfterTest(ctx: IHookFunctions): string {
	const { takeOverWhileTesting } = ctx.getNodeParameter('options', {}) as TriggerOptions;
	if (takeOverWhileTesting !== true) {
		throw testRefusal(
			ctx,
			'Mehery has one webhook URL per account and cannot say which it holds, so a test would take callbacks away from a published workflow. To see real callbacks, publish the workflow and open its executions; to test here anyway, turn on Options → Take Over the Webhook While Testing.',
			'While a test listens, Mehery calls only the test URL. With the option on, Mehery is pointed at this node\'s Production URL when the test ends: a callback arrives, you stop it, or it times out.',
		);
	}
	const productionUrl = productionUrlOf(callbackBaseUrl(ctx));
	if (productionUrl === undefined) {
		throw testRefusal(
			ctx,
			'This n8n renamed its webhook paths, so the trigger cannot tell which Production URL to give Mehery back after a test. To see real callbacks, publish the workflow and open its executions.',
			'The trigger finds its Production URL from the test URL by n8n\'s default "webhook-test" path.',
		);
	}
	return productionUrl;
}

function labelValue(label: LabelField): unknown {
	const text = String(label.value ?? '').trim();
	if (label.type === 'NUMBER' && text !== '' && Number.isFinite(Number(text))) return Number(text);
	if (label.type === 'LIST') return text.split(',').map((entry) => entry.trim()).filter(Boolean);
	return text;
}

/** The contact-info answer from the trigger's own fields, in the documented response shape. */
function profileReply(ctx: IWebhookFunctions): IDataObject {
	const fields = ctx.getNodeParameter('profile', {}) as ProfileFields;
	const reply: IDataObject = {};
	for (const key of ['profileId', 'name', 'email', 'mobile'] as const) {
		const value = String(fields[key] ?? '').trim();
		if (value !== '') reply[key] = value;
	}
	const labels = (fields.labels?.label ?? [])
		.filter((label) => String(label.key ?? '').trim() !== '')
		.map((label) => {
			const type = label.type ?? 'TEXT';
			const entry: IDataObject = { key: String(label.key).trim(), type, value: labelValue(label) as IDataObject };
			if (String(label.name ?? '').trim() !== '') entry.name = String(label.name).trim();
			if (type === 'DATE') entry.format = 'MM/DD/YY';
			return entry;
		});
	if (labels.length) reply.labels = labels;
	return reply;
}

const NOT_SELECTED_REPLY: Record<CallbackEvent, IDataObject> = {
	// An empty profile asks Mehery to change nothing.
	contactInfo: {},
	messageReceive: { received: true, ignored: 'Message Received is not selected in the trigger' },
	actionEvent: { received: true, ignored: 'Action Event is not selected in the trigger' },
};

/** Which callback a request is, by its path under the registered URL. */
function callbackOf(ctx: IWebhookFunctions): CallbackEvent | undefined {
	const path = ctx.getRequestObject().path.replace(/\/+$/, '');
	return (Object.keys(CALLBACK_PATHS) as CallbackEvent[]).find((event) => path.endsWith(`/${CALLBACK_PATHS[event]}`));
}

/**
 * A message of a callback; the actions of a callback without a message; or a message, contact or
 * action (`list` 'body': the callback itself) that broke the contract.
 */
type MessageDelivery = { message: MeheryMessage } | { actionsOnly: true; raw: unknown } | { invalid: IDataObject; raw: unknown; list: string };

/** A message callback checked entry by entry: what goes out, and its valid contacts and actions. */
interface CheckedBatch {
	deliveries: MessageDelivery[];
	contacts: MeheryContact[];
	actions: MeheryAction[];
}

function checkBatch(batch: MessageReceiveBatch): CheckedBatch {
	const messages = checkEntries(messageSchema, batch.messages, (index) => `messages.${index}`);
	const contacts = checkEntries(contactSchema, batch.contacts ?? [], (index) => `contacts.${index}`);
	const actions = checkEntries(actionSchema, batch.actions ?? [], (index) => `actions.${index}`);
	const valid = <T>(entries: Array<CheckedEntry<T>>) => entries.flatMap((entry) => ('value' in entry ? [entry.value] : []));
	const invalid = (list: string, entries: Array<CheckedEntry<unknown>>): MessageDelivery[] =>
		entries.flatMap((entry) => ('invalid' in entry ? [{ invalid: entry.invalid, raw: entry.raw, list }] : []));
	const validActions = valid(actions) as MeheryAction[];
	const deliveries: MessageDelivery[] = messages.map((entry) =>
		'invalid' in entry ? { invalid: entry.invalid, raw: entry.raw, list: 'messages' } : { message: entry.value as MeheryMessage },
	);
	// Actions go out with the messages of their callback, or on their own when it has none.
	if (!deliveries.some((delivery) => 'message' in delivery) && validActions.length) deliveries.push({ actionsOnly: true, raw: batch });
	deliveries.push(...invalid('contacts', contacts), ...invalid('actions', actions));
	return { deliveries, contacts: valid(contacts) as MeheryContact[], actions: validActions };
}

/** A message by its id; anything else by its content (it has no id). */
const messageDeliveryKey = (delivery: MessageDelivery): DeliveryKey => {
	if ('message' in delivery) return `message:${delivery.message.id}`;
	return 'invalid' in delivery ? { content: [delivery.list, delivery.raw] } : { content: delivery.raw };
};

export class MeheryTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mehery Trigger',
		name: 'meheryTrigger',
		icon: { light: 'file:../../icons/mehery.svg', dark: 'file:../../icons/mehery.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow the moment Mehery delivers an inbound WhatsApp message, asks for a contact\'s profile or reports an action (webhook)',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mehery-trigger',
		defaults: { name: 'Mehery Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'meheryApi', required: true, testedBy: 'meheryApiTest' }],
		webhooks: [
			// One webhook per callback path. All are "default": n8n runs the registration methods for
			// each, and the first registration makes the others find it in place (checkExists).
			// responseData '' makes n8n answer with the webhookResponse of webhook() even when a run
			// starts (without it, n8n 2.41 answers such a call with its default, "firstEntryJson").
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'api/v1/message/receive' },
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["contactInfoResponse"] === "fields" ? "onReceived" : $parameter["contactInfoResponse"]}}',
				responseData: '={{$parameter["contactInfoResponse"] === "lastNode" ? "firstEntryJson" : ""}}',
				path: 'api/v1/contact/info',
			},
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'api/v1/action/event' },
		],
		properties: [
			triggerNotice(
				'Publishing the workflow sets Mehery\'s webhook URL to this node; Mehery then calls /api/v1/message/receive, /api/v1/contact/info and /api/v1/action/event under it with the credential\'s Callback Verification Token. An account has one webhook URL, so publish one such workflow per account. Mehery cannot read or remove a webhook URL: see "Webhook URL After Unpublishing".',
			),
			triggerEvents(
				[
					{ name: 'Action Event', value: 'actionEvent', description: 'An agent or service triggered an action (its action code)' },
					{ name: 'Contact Info Requested', value: 'contactInfo', description: 'Mehery asks for a contact\'s profile; the answer updates the contact' },
					{ name: 'Message Received', value: 'messageReceive', description: 'A contact sent a message: one item per message, with its contact' },
				],
				['messageReceive'],
			),
			{
				displayName: 'Answer Contact Info With',
				name: 'contactInfoResponse',
				type: 'options',
				default: 'fields',
				description: 'Where the profile in the answer to a contact-info request comes from; Mehery updates the contact with it',
				displayOptions: { show: { events: ['contactInfo'] } },
				options: [
					{ name: 'Profile Fields Below', value: 'fields', description: 'Answer at once with the fields below (empty: change nothing)' },
					{ name: 'Respond to Webhook Node', value: 'responseNode', description: 'Answer with what a Respond to Webhook node (version 1) sends' },
					{ name: 'When Last Node Finishes', value: 'lastNode', description: 'Answer with the first item of the last node that runs, e.g. after a lookup' },
				],
			},
			{
				displayName:
					'n8n\'s Respond to Webhook node works after this trigger only in version 1 (later versions accept no trigger but n8n\'s own Webhook node): add it with "typeVersion": 1 in its JSON, or choose "When Last Node Finishes".',
				name: 'respondToWebhookNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { events: ['contactInfo'], contactInfoResponse: ['responseNode'] } },
			},
			{
				displayName: 'Profile',
				name: 'profile',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				description: 'The answer to every contact-info request; only the fields you add are changed',
				displayOptions: { show: { events: ['contactInfo'], contactInfoResponse: ['fields'] } },
				options: [
					{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'name@email.com', description: 'A new email address for the contact' },
					{
						displayName: 'Labels',
						name: 'labels',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Label',
						default: {},
						options: [
							{
								displayName: 'Label',
								name: 'label',
								values: [
									{ displayName: 'Key', name: 'key', type: 'string', default: '', description: 'The unique label type, e.g. tier' },
									{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Shown in Mehery; labels of one name are grouped. Empty: the key.' },
									{
										displayName: 'Type',
										name: 'type',
										type: 'options',
										default: 'TEXT',
										options: [
											{ name: 'Date (MM/DD/YY)', value: 'DATE' },
											{ name: 'List (Comma-Separated)', value: 'LIST' },
											{ name: 'Number', value: 'NUMBER' },
											{ name: 'Text', value: 'TEXT' },
										],
									},
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
					{ displayName: 'Mobile', name: 'mobile', type: 'string', default: '', description: 'A new mobile number for the contact' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'A new name for the contact' },
					{ displayName: 'Profile ID', name: 'profileId', type: 'string', default: '', description: 'The contact\'s ID in your own application' },
				],
			},
			triggerOptions([
				dedupeOption('Mehery'),
				NORMALIZED_OUTPUT_OPTION,
				...INBOUND_MEDIA_OPTIONS,
				takeOverWhileTestingOption(
					'Whether "Listen for test event" may point the account\'s only webhook URL at the test URL. Meanwhile every callback reaches only the test, none a published workflow; when the test ends (a callback arrives, you stop it, or it times out) Mehery is pointed at this node\'s Production URL. Off: the test stops at once and says why.',
				),
				{
					displayName: 'Webhook URL After Unpublishing',
					name: 'webhookUrlAfterUnpublish',
					type: 'string',
					default: '',
					placeholder: 'https://crm.example.com/mehery',
					description:
						'Where Mehery sends its callbacks once the workflow is unpublished. Empty: Mehery keeps calling this node\'s URL (it cannot read the URL it had before, nor remove one).',
				},
			]),
		],
	};

	methods = { credentialTest: { meheryApiTest: testMeheryCredential } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Mehery cannot tell which URL it holds: the registration this node made is all there is.
				// It also tells the second and third webhook that the first one registered the URL.
				return registrationOf(this).registeredUrl === callbackBaseUrl(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const client = await ProviderClient.for(this, mehery);
				if (String(client.credentials.verifyToken ?? '') === '') {
					throw new NodeOperationError(this.getNode(), 'The Mehery credential has no Callback Verification Token', {
						description: 'Enter the token Mehery sends in the x-verify-token header of its callbacks in the credential: without it the trigger has to refuse every callback.',
					});
				}
				const afterTest = isTestListen(this) ? urlAfterTest(this) : undefined;
				const url = callbackBaseUrl(this);
				const registration = registrationOf(this);
				// Noted first: should the call fail after Mehery took the URL, a test's end still points it back.
				registration.registeredUrl = url;
				if (afterTest !== undefined) registration.previousUrl = afterTest;
				await client.call({ method: 'POST', path: 'api/v1/config/webhook', body: { url } }, { idempotent: true });
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const registration = registrationOf(this);
				const { webhookUrlAfterUnpublish } = this.getNodeParameter('options', {}) as TriggerOptions;
				// A test's end (its event, a stop, the timeout) points Mehery back; unpublishing, where told.
				const nextUrl = registration.previousUrl ?? String(webhookUrlAfterUnpublish ?? '').trim();
				if (registration.registeredUrl && nextUrl !== '') {
					const client = await ProviderClient.for(this, mehery);
					await client.call({ method: 'POST', path: 'api/v1/config/webhook', body: { url: nextUrl } }, { idempotent: true });
				}
				delete registration.registeredUrl;
				delete registration.previousUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials('meheryApi');
		const expected = typeof credentials.verifyToken === 'string' ? credentials.verifyToken : undefined;
		if (!sameSecret(expected, this.getHeaderData()['x-verify-token'])) {
			return refuse(this, 401, expected ? 'Wrong or missing x-verify-token.' : 'The Mehery credential in n8n has no Callback Verification Token, so every callback is refused.');
		}
		const event = callbackOf(this);
		if (!event) return refuse(this, 404, `Mehery calls ${Object.values(CALLBACK_PATHS).join(', ')} under this URL.`);
		const events = this.getNodeParameter('events') as CallbackEvent[];
		if (!events.includes(event)) return { webhookResponse: NOT_SELECTED_REPLY[event] };
		const body = this.getBodyData();
		const items = (records: IDataObject[]) => [this.helpers.returnJsonArray(records)];

		if (event === 'contactInfo') {
			const parsed = parsePayload(contactSchema, body);
			const record: IDataObject = { event, ...('invalid' in parsed ? parsed.invalid : parsed.payload) };
			const mode = this.getNodeParameter('contactInfoResponse', 'fields') as ContactInfoResponse;
			return mode === 'fields' ? { workflowData: items([record]), webhookResponse: profileReply(this) } : { workflowData: items([record]) };
		}

		if (event === 'actionEvent') {
			const parsed = parsePayload(actionSchema, body);
			if ('invalid' in parsed) return { workflowData: items([{ event, ...parsed.invalid }]), webhookResponse: { received: true } };
			// The documented answer to an action callback is the action code.
			return { workflowData: items([{ event, ...parsed.payload }]), webhookResponse: { actionCode: parsed.payload.actionCode } };
		}

		const parsed = parsePayload(messageReceiveSchema, body);
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const { deliveries, contacts, actions }: CheckedBatch =
			'invalid' in parsed ? { deliveries: [{ invalid: parsed.invalid, raw: body, list: 'body' }], contacts: [], actions: [] } : checkBatch(parsed.payload);
		if (!deliveries.length) return ignore('no message in this delivery');
		// The documented answer to a message callback is the message.
		const firstMessage = deliveries.find((delivery): delivery is { message: MeheryMessage } => 'message' in delivery);
		const webhookResponse: IDataObject = firstMessage?.message ?? { received: true };
		const contactOf = (message: MeheryMessage) => contacts.find((contact) => contact.contactId === message.contactId) ?? null;
		const records = deliveries.map((delivery): InboundRecord => {
			if ('invalid' in delivery) return { json: { event, ...delivery.invalid } };
			if (!('message' in delivery)) return { json: { event, messages: [], contacts, actions } };
			const { message } = delivery;
			const normalized = normalizeMessage(message, contactOf(message));
			const json = options.normalized ? normalized : { event, ...message, contact: contactOf(message), ...(actions.length ? { actions } : {}) };
			return { json, media: normalized.media };
		});
		// Repeats are dropped in execute(), where n8n's store of processed items can be reached.
		return { ...(await emitInbound(this, records, options.dedupe !== false ? deliveries.map(messageDeliveryKey) : undefined)), webhookResponse };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await dropRepeatedDeliveries(this)];
	}
}

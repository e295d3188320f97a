import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { ProviderClient } from '../shared/http';
import { NORMALIZED_OUTPUT_OPTION } from '../shared/normalized';
import { pollResult } from '../shared/polling';
import { triggerEvents, triggerOptions } from '../shared/trigger-fields';
import { messlo, testMessloCredential } from './api';
import { phoneNumberIdField } from './fields';
import { getPhoneNumberIds } from './options';
import { businessNumbers, latestInboundMessage, messageItem, normalizeMessage, pollInboundMessages, pollNewContacts, type InboundMessage, type MessloCursor } from './polling';

const NEW_MESSAGE = 'newInboundMessage';
const NEW_CONTACT = 'newContact';

export class MessloTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messlo Trigger',
		name: 'messloTrigger',
		icon: { light: 'file:../../icons/messlo.svg', dark: 'file:../../icons/messlo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a customer writes to your Messlo WhatsApp numbers or a contact is added (checked on a schedule, polling: Messlo sends no such webhooks)',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#messlo-trigger',
		defaults: { name: 'Messlo Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'messloApi', required: true, testedBy: 'messloApiTest' }],
		properties: [
			triggerEvents(
				[
					{ name: 'New Inbound Message', value: NEW_MESSAGE, description: 'A customer wrote to one of your WhatsApp numbers' },
					{ name: 'New Contact', value: NEW_CONTACT, description: 'A contact was added: by hand, by an import, through the API, or by a new customer writing in' },
				],
				[NEW_MESSAGE],
			),
			triggerOptions([
				{
					...NORMALIZED_OUTPUT_OPTION,
					description:
						'Whether to output messages in the same shape for all WhatsApp providers (provider, event, message ID, chat, from, to, type, text, media, location, ISO timestamp), with the original under "raw"; new contacts stay as Messlo gives them',
				},
				phoneNumberIdField({
					required: false,
					hint: 'Only messages to this number. Empty: every number of the account.',
				}),
			]),
		],
	};

	methods = { loadOptions: { getPhoneNumberIds }, credentialTest: { messloApiTest: testMessloCredential } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as { normalized?: boolean; whatsappPhoneNumberId?: string };
		const chosenNumber = typeof options.whatsappPhoneNumberId === 'string' && options.whatsappPhoneNumberId.trim() !== '' ? options.whatsappPhoneNumberId.trim() : undefined;
		const stored = this.getWorkflowStaticData('node') as MessloCursor & IDataObject;
		const manual = this.getMode() === 'manual';
		// Worked on a copy: a manual run ("Fetch Test Event") must not move the cursor, and a poll that
		// fails half-way leaves it where it was, so the next poll reads the same again.
		const state = JSON.parse(JSON.stringify(stored)) as MessloCursor;
		const client = await ProviderClient.for(this, messlo);
		const shape = (message: InboundMessage) => (options.normalized ? normalizeMessage(message) : messageItem(message));

		const items: IDataObject[] = [];
		const samples: IDataObject[] = [];
		// An event no longer chosen forgets its cursor: choosing it again starts from that moment.
		if (events.includes(NEW_MESSAGE)) {
			const numbers = await businessNumbers(client);
			const watched = chosenNumber === undefined ? numbers : numbers.filter((number) => number.id === chosenNumber);
			if (chosenNumber !== undefined && watched.length === 0) {
				throw new NodeOperationError(this.getNode(), `WhatsApp Number "${chosenNumber}" is not one of the account's numbers`, {
					description: `The account's numbers: ${numbers.map((number) => `${number.id} (${number.digits})`).join(', ') || 'none'}. Choose one from the list, or leave the option empty to watch every number.`,
				});
			}
			const { messages, recentChats } = await pollInboundMessages(client, watched, state);
			items.push(...messages.map(shape));
			if (manual && messages.length === 0) {
				const latest = await latestInboundMessage(client, recentChats);
				if (latest) samples.push(shape(latest));
			}
		} else delete state.numbers;
		if (events.includes(NEW_CONTACT)) {
			const { contacts, newestContact } = await pollNewContacts(client, state);
			items.push(...contacts.map((contact) => ({ event: NEW_CONTACT, ...contact })));
			if (newestContact) samples.push({ event: NEW_CONTACT, ...newestContact });
		} else delete state.contacts;

		if (!manual) {
			for (const key of Object.keys(stored)) delete stored[key];
			Object.assign(stored, state);
		}
		return pollResult(this, items, samples);
	}
}

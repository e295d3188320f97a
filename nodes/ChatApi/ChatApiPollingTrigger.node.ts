import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ProviderClient } from '../shared/http';
import { NORMALIZED_OUTPUT_OPTION } from '../shared/normalized';
import { findRecords } from '../shared/pagination';
import { pollResult } from '../shared/polling';
import { chatApi, normalizeMessage } from './api';

type Event = 'incomingMessage' | 'outgoingMessage';

interface Cursor {
	lastMessageNumber?: number;
}

/** Pages read in one poll at most (100 messages each); the rest waits for the next poll. */
const MAX_PAGES = 10;

async function messagesAfter(client: ProviderClient, query: IDataObject): Promise<{ messages: IDataObject[]; lastMessageNumber: number }> {
	const answer = (await client.call({ method: 'GET', path: 'messages', query }, { idempotent: true })) as IDataObject;
	return { messages: findRecords(answer).records, lastMessageNumber: Number(answer.lastMessageNumber ?? query.lastMessageNumber ?? 0) };
}

export class ChatApiPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat API Polling Trigger',
		name: 'chatApiPollingTrigger',
		icon: { light: 'file:../../icons/chatapi.svg', dark: 'file:../../icons/chatapi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow for new Chat API messages, checked on a schedule (for n8n instances without a public URL)',
		defaults: { name: 'Chat API Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chatApiApi', required: true }],
		properties: [
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['incomingMessage'],
				options: [
					{ name: 'Incoming Message', value: 'incomingMessage' },
					{ name: 'Outgoing Message', value: 'outgoingMessage' },
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [NORMALIZED_OUTPUT_OPTION],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events') as Event[];
		const { normalized } = this.getNodeParameter('options', {}) as { normalized?: boolean };
		const stored = this.getWorkflowStaticData('node') as Cursor;
		const manual = this.getMode() === 'manual';
		const client = await ProviderClient.for(this, chatApi);

		if (stored.lastMessageNumber === undefined || manual) {
			// Start from now: the newest message only marks the cursor (and is the sample of a manual run).
			const { messages, lastMessageNumber } = await messagesAfter(client, { last: 1 });
			if (!manual) stored.lastMessageNumber = lastMessageNumber;
			const newest = messages[messages.length - 1];
			return pollResult(this, [], newest && (normalized ? normalizeMessage(newest) : newest));
		}

		const found: IDataObject[] = [];
		for (let page = 0; page < MAX_PAGES; page++) {
			const { messages, lastMessageNumber } = await messagesAfter(client, { lastMessageNumber: stored.lastMessageNumber });
			found.push(...messages);
			if (lastMessageNumber <= stored.lastMessageNumber) break;
			stored.lastMessageNumber = lastMessageNumber;
			if (messages.length < 100) break;
		}
		const wanted = found.filter((message) => events.includes(message.fromMe === true ? 'outgoingMessage' : 'incomingMessage'));
		return pollResult(this, wanted.map((message) => (normalized ? normalizeMessage(message) : message)));
	}
}

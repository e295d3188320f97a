import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ProviderClient } from '../shared/http';
import { NORMALIZED_OUTPUT_OPTION } from '../shared/normalized';
import { findRecords } from '../shared/pagination';
import { INBOUND_MEDIA_OPTIONS, type InboundRecord } from '../shared/inbound-media';
import { inboundPollResult, readPages } from '../shared/polling';
import { triggerEvents, triggerOptions } from '../shared/trigger-fields';
import { CHAT_API_SUCCESS, chatApi, MESSAGE_EVENTS, messageEventOf, messageItem, normalizeMessage, testChatApiCredential } from './api';
import { messagePages } from './operations/message';

interface Cursor {
	lastMessageNumber?: number;
}

/** Pages read in one poll at most (100 messages each); the rest waits for the next poll. */
const MAX_PAGES = 10;

export class ChatApiPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat API Polling Trigger',
		name: 'chatApiPollingTrigger',
		icon: { light: 'file:../../icons/chatapi.svg', dark: 'file:../../icons/chatapi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow for new WhatsApp messages of a Chat API instance, checked on a schedule (polling, for n8n instances without a public URL)',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#chat-api-polling-trigger',
		defaults: { name: 'Chat API Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chatApiApi', required: true, testedBy: 'chatApiApiTest' }],
		properties: [
			triggerEvents(MESSAGE_EVENTS, ['incomingMessage']),
			triggerOptions([NORMALIZED_OUTPUT_OPTION, ...INBOUND_MEDIA_OPTIONS]),
		],
	};

	methods = { credentialTest: { chatApiApiTest: testChatApiCredential } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events') as string[];
		const { normalized } = this.getNodeParameter('options', {}) as { normalized?: boolean };
		// The same items as the Chat API Trigger's for the same message.
		const shape = (message: IDataObject): InboundRecord => {
			const normalizedMessage = normalizeMessage(message);
			return { json: normalized ? normalizedMessage : messageItem(message), media: normalizedMessage.media };
		};
		const stored = this.getWorkflowStaticData('node') as Cursor;
		const manual = this.getMode() === 'manual';
		const client = await ProviderClient.for(this, chatApi);

		if (stored.lastMessageNumber === undefined || manual) {
			// Start from now: the newest message only marks the cursor (and is the sample of a manual run).
			const answer = (await client.call({ method: 'GET', path: 'messages', query: { last: 1 } }, { idempotent: true, success: CHAT_API_SUCCESS.messages })) as IDataObject;
			if (!manual) stored.lastMessageNumber = Number(answer.lastMessageNumber ?? 0);
			const newest = findRecords(answer).records.pop();
			return await inboundPollResult(this, [], newest && shape(newest));
		}

		const messages = await readPages(client, { method: 'GET', path: 'messages', query: { lastMessageNumber: stored.lastMessageNumber } }, messagePages, {
			success: CHAT_API_SUCCESS.messages,
			pageSize: messagePages.maxPageSize,
			maxPages: MAX_PAGES,
		});
		stored.lastMessageNumber = Math.max(stored.lastMessageNumber, ...messages.map((message) => Number(message.messageNumber) || 0));
		const wanted = messages.filter((message) => events.includes(messageEventOf(message)));
		return await inboundPollResult(this, wanted.map(shape));
	}
}

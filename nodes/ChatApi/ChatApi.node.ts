import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, operationSubtitle } from '../shared/describe';
import { runOperations } from '../shared/execute';
import { SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../shared/send-and-wait';
import { chatApi, testChatApiCredential } from './api';
import { chatApiOperations } from './operations';

const CHAT_API_RESOURCES = { group: 'Group', instance: 'Instance', message: 'Message', queue: 'Queue', webhook: 'Webhook' };

export class ChatApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat API',
		name: 'chatApi',
		icon: { light: 'file:../../icons/chatapi.svg', dark: 'file:../../icons/chatapi.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(chatApiOperations, CHAT_API_RESOURCES),
		description: 'Send WhatsApp messages and files, create groups and manage a Chat API instance',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#chat-api-operations',
		defaults: { name: 'Chat API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [{ name: 'chatApiApi', required: true, testedBy: 'chatApiApiTest' }],
		properties: nodeProperties(chatApiOperations, CHAT_API_RESOURCES),
	};

	methods = { credentialTest: { chatApiApiTest: testChatApiCredential } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runOperations.call(this, chatApi, chatApiOperations);
	}
}

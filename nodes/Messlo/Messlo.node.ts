import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, operationSubtitle } from '../shared/describe';
import { runOperations } from '../shared/execute';
import { explainedLoaders } from '../shared/load-options';
import { SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../shared/send-and-wait';
import { messlo, testMessloCredential } from './api';
import { MESSLO_RESOURCES, messloOperations } from './operations';
import { messloLoadOptions } from './options';

export class Messlo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messlo',
		name: 'messlo',
		icon: { light: 'file:../../icons/messlo.svg', dark: 'file:../../icons/messlo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(messloOperations, MESSLO_RESOURCES),
		description: 'Send WhatsApp messages and templates, run broadcast campaigns, and manage contacts, chats and templates in Messlo',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#messlo-operations',
		defaults: { name: 'Messlo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [{ name: 'messloApi', required: true, testedBy: 'messloApiTest' }],
		properties: nodeProperties(messloOperations, MESSLO_RESOURCES),
	};

	methods = { loadOptions: explainedLoaders(messloLoadOptions), credentialTest: { messloApiTest: testMessloCredential } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runOperations.call(this, messlo, messloOperations);
	}
}

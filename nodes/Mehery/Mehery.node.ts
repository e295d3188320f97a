import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, operationSubtitle } from '../shared/describe';
import { runOperations } from '../shared/execute';
import { SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../shared/send-and-wait';
import { mehery, testMeheryCredential } from './api';
import { MEHERY_RESOURCES, meheryOperations } from './operations';

export class Mehery implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mehery',
		name: 'mehery',
		icon: { light: 'file:../../icons/mehery.svg', dark: 'file:../../icons/mehery.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(meheryOperations, MEHERY_RESOURCES),
		description: 'Send WhatsApp messages of every type, read session messages, push analytics events and set the webhook in Mehery',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mehery-operations',
		defaults: { name: 'Mehery' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [{ name: 'meheryApi', required: true, testedBy: 'meheryApiTest' }],
		properties: nodeProperties(meheryOperations, MEHERY_RESOURCES),
	};

	methods = { credentialTest: { meheryApiTest: testMeheryCredential } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runOperations.call(this, mehery, meheryOperations);
	}
}

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, operationSubtitle } from '../shared/describe';
import { runOperations } from '../shared/execute';
import { SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../shared/send-and-wait';
import { messingin, testMessinginCredential } from './api';
import { messinginOperations } from './operations';

const MESSINGIN_RESOURCES = { message: 'Message', session: 'Session' };

export class Messingin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messingin',
		name: 'messingin',
		icon: { light: 'file:../../icons/messingin.svg', dark: 'file:../../icons/messingin.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(messinginOperations, MESSINGIN_RESOURCES),
		description: 'Create WhatsApp sessions with their QR code and send messages through Messingin, within your plan\'s rate',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#messingin-operations',
		defaults: { name: 'Messingin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [{ name: 'messinginApi', required: true, testedBy: 'messinginApiTest' }],
		properties: nodeProperties(messinginOperations, MESSINGIN_RESOURCES),
	};

	methods = { credentialTest: { messinginApiTest: testMessinginCredential } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runOperations.call(this, messingin, messinginOperations);
	}
}

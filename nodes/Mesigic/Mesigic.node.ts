import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, operationSubtitle } from '../shared/describe';
import { runOperations } from '../shared/execute';
import { SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../shared/send-and-wait';
import { explainedLoaders } from '../shared/load-options';
import { mesigic, testMesigicCredential } from './api';
import { mesigicOperations } from './operations';
import { loadTemplates } from './operations/template';

const MESIGIC_RESOURCES = { contact: 'Contact', conversation: 'Conversation', message: 'Message', template: 'Template' };

export class Mesigic implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mesigic',
		name: 'mesigic',
		icon: { light: 'file:../../icons/mesigic.svg', dark: 'file:../../icons/mesigic.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(mesigicOperations, MESIGIC_RESOURCES),
		description: 'Send WhatsApp messages and templates, and manage contacts and conversations in Mesigic',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mesigic-operations',
		defaults: { name: 'Mesigic' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [{ name: 'mesigicApi', required: true, testedBy: 'mesigicApiTest' }],
		properties: nodeProperties(mesigicOperations, MESIGIC_RESOURCES),
	};

	methods = { loadOptions: explainedLoaders({ getTemplates: loadTemplates }), credentialTest: { mesigicApiTest: testMesigicCredential } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runOperations.call(this, mesigic, mesigicOperations);
	}
}

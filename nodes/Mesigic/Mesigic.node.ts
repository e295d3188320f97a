import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { describeNode } from '../shared/describe';
import { runOperations } from '../shared/execute';
import { mesigic } from './api';
import { mesigicOperations } from './operations';
import { loadTemplates } from './operations/template';

export class Mesigic implements INodeType {
	description: INodeTypeDescription = describeNode(mesigic, mesigicOperations, {
		displayName: 'Mesigic',
		name: 'mesigic',
		icon: { light: '../../icons/mesigic.svg', dark: '../../icons/mesigic.dark.svg' },
		description: 'Send WhatsApp messages and templates, and manage contacts and conversations in Mesigic',
		resources: { contact: 'Contact', conversation: 'Conversation', message: 'Message', template: 'Template' },
	});

	methods = { loadOptions: { getTemplates: loadTemplates } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runOperations.call(this, mesigic, mesigicOperations);
	}
}

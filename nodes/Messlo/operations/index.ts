import type { Operation } from '../../shared/operation';
import { accountOperations } from './account';
import { automationOperations } from './automation';
import { botOperations } from './bot';
import { campaignOperations } from './campaign';
import { chatOperations } from './chat';
import { commerceOperations } from './commerce';
import { contactOperations } from './contact';
import { crmOperations } from './crm';
import { formOperations } from './form';
import { loginOperations } from './login';
import { messageOperations } from './message';
import { packOperations } from './pack';
import { sendAndWait } from './send-and-wait';
import { templateOperations } from './template';
import { workspaceOperations } from './workspace';

export const messloOperations: Operation[] = [
	...accountOperations,
	...loginOperations,
	...contactOperations,
	...messageOperations,
	sendAndWait,
	...chatOperations,
	...templateOperations,
	...campaignOperations,
	...automationOperations,
	...crmOperations,
	...botOperations,
	...formOperations,
	...packOperations,
	...workspaceOperations,
	...commerceOperations,
];

export const MESSLO_RESOURCES = {
	account: 'WhatsApp Account',
	agent: 'Agent',
	automation: 'Automation Flow',
	campaign: 'Campaign',
	catalog: 'Catalog',
	chat: 'Chat',
	chatbot: 'AI Chatbot',
	contact: 'Contact',
	customField: 'Custom Field',
	form: 'Form',
	industryPack: 'Industry Pack',
	kanbanFunnel: 'Kanban Funnel',
	login: 'Login With WhatsApp',
	message: 'Message',
	messageBot: 'Keyword Bot',
	orderWebhook: 'Order Webhook',
	quickReply: 'Quick Reply',
	segment: 'Segment',
	sequence: 'Sequence',
	tag: 'Tag',
	template: 'Template',
	workspace: 'Workspace',
};

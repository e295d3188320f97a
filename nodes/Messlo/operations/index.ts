import type { Operation } from '../../shared/operation';
import { accountOperations } from './account';
import { campaignOperations } from './campaign';
import { chatOperations } from './chat';
import { contactOperations } from './contact';
import { messageOperations } from './message';
import { sendAndWait } from './send-and-wait';
import { templateOperations } from './template';

export const messloOperations: Operation[] = [
	...accountOperations,
	...contactOperations,
	...messageOperations,
	sendAndWait,
	...chatOperations,
	...templateOperations,
	...campaignOperations,
];

export const MESSLO_RESOURCES = {
	account: 'WhatsApp Account',
	campaign: 'Campaign',
	chat: 'Chat',
	contact: 'Contact',
	message: 'Message',
	template: 'Template',
};

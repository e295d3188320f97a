import type { Operation } from '../../shared/operation';
import { CHAT_API_SUCCESS } from '../api';

export const webhookOperations: Operation[] = [
	{
		resource: 'webhook',
		value: 'set',
		success: CHAT_API_SUCCESS.webhook,
		name: 'Set',
		action: 'Set the webhook URL',
		description: 'Where Chat API sends new messages and delivery notifications. The Chat API Trigger node sets this itself.',
		fields: [
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/whatsapp-events',
				description: 'An http or https URL; empty stops the notifications',
			},
		],
		idempotent: true,
		request(item) {
			const webhookUrl = item.optionalString('webhookUrl') ?? '';
			if (webhookUrl && !/^https?:\/\/\S+$/i.test(webhookUrl)) {
				item.fail(`Webhook URL must be an http:// or https:// address: "${webhookUrl}"`, 'Leave it empty to stop notifications.', 'webhookUrl');
			}
			return { method: 'POST', path: 'webhook', body: { webhookUrl } };
		},
	},
	{
		resource: 'webhook',
		value: 'get',
		success: CHAT_API_SUCCESS.webhook,
		name: 'Get',
		action: 'Get the webhook URL',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'webhook' }),
	},
];

import type { Operation } from '../../shared/operation';
import { envelopeData, MEHERY_SUCCESS } from '../api';
import { httpUrl } from '../../shared/url';

export const configOperations: Operation[] = [
	{
		resource: 'config',
		value: 'setWebhook',
		success: MEHERY_SUCCESS.webhook,
		name: 'Set Webhook',
		action: 'Set the webhook URL',
		description: 'Where Mehery sends inbound messages, contact-info requests and action events. The Mehery Trigger sets this itself.',
		fields: [
			{
				displayName: 'Webhook URL',
				name: 'url',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/mehery',
				description: 'Mehery calls /api/v1/message/receive, /api/v1/contact/info and /api/v1/action/event under it',
			},
		],
		idempotent: true,
		request: (item) => ({ method: 'POST', path: 'api/v1/config/webhook', body: { url: httpUrl(item, 'url') } }),
		output: (result) => envelopeData(result),
	},
];

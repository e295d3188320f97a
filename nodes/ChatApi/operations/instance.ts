import type { IDataObject } from 'n8n-workflow';

import { binaryItem, binaryOutputField, parseDataUri } from '../../shared/media';
import type { BinaryResponse, Operation } from '../../shared/operation';
import { CHAT_API_SUCCESS } from '../api';

const extensionOf = (mimeType: string) => (mimeType.split('/')[1] ?? 'png').replace('jpeg', 'jpg');

export const instanceOperations: Operation[] = [
	{
		resource: 'instance',
		value: 'getStatus',
		success: CHAT_API_SUCCESS.status,
		name: 'Get Status',
		action: 'Get the status of the instance',
		description: 'Whether the account is authorized; while it is not, the QR code to scan, also as an image',
		fields: [binaryOutputField('Put QR Code in Field', 'qrCode')],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'status' }),
		async output(result, item) {
			const { qrCode, ...status } = result as IDataObject;
			const image = parseDataUri(qrCode);
			if (!image) return status;
			const file = { ...image, fileName: `qr-code.${extensionOf(image.mimeType)}` };
			return [await binaryItem(item, { ...status, qrCode: true }, file, item.string('binaryPropertyName'))];
		},
	},
	{
		resource: 'instance',
		value: 'getQrCode',
		success: CHAT_API_SUCCESS.image,
		name: 'Get QR Code',
		action: 'Get the QR code as an image',
		description: 'The QR code to scan in WhatsApp (Linked Devices), as an image file',
		fields: [binaryOutputField('Put QR Code in Field', 'qrCode')],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'qr_code', binaryResponse: true }),
		async output(result, item) {
			const { data, mimeType } = result as BinaryResponse;
			const file = { data, mimeType, fileName: `qr-code.${extensionOf(mimeType)}` };
			return [await binaryItem(item, { mimeType, size: data.length }, file, item.string('binaryPropertyName'))];
		},
	},
	{
		resource: 'instance',
		value: 'logout',
		success: CHAT_API_SUCCESS.logout,
		name: 'Logout',
		action: 'Log out of WhatsApp Web',
		description: 'Log the instance out so a new QR code can be scanned',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'logout' }),
	},
	{
		resource: 'instance',
		value: 'reboot',
		success: CHAT_API_SUCCESS.reboot,
		name: 'Reboot',
		action: 'Reboot the instance',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'reboot' }),
	},
	{
		resource: 'instance',
		value: 'setAckNotifications',
		success: CHAT_API_SUCCESS.settings,
		name: 'Set Ack Notifications',
		action: 'Turn delivery and read notifications on or off',
		description: 'Whether webhooks also report messages delivered and viewed',
		fields: [
			{
				displayName: 'Send Delivered and Viewed Notifications',
				name: 'enabled',
				type: 'boolean',
				default: true,
				description: 'Whether the webhook also receives an "ack" each time a sent message is delivered or viewed',
			},
		],
		idempotent: true,
		request: (item) => ({ method: 'POST', path: 'settings/ackNotificationsOn', body: { ackNotificationsOn: item.boolean('enabled') ? 1 : 0 } }),
	},
];

import type { IDataObject } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import { binaryItem, binaryOutputField, parseDataUri } from '../../shared/media';
import type { Operation } from '../../shared/operation';
import { withQuery } from '../../shared/webhook';
import { messingin, MESSINGIN_SESSION_CREATED, SECRET_PARAMETER, TRIGGER_WEBHOOK_PATH } from '../api';

const isTriggerUrl = (url: URL) => url.pathname.replace(/\/+$/, '').split('/').pop() === TRIGGER_WEBHOOK_PATH;

/**
 * The session's webhook URL as typed, with the credential's webhook secret added when it is a
 * Messingin Trigger's URL (the trigger refuses calls without it).
 */
async function webhookUrl(item: ItemReader): Promise<string | undefined> {
	const typed = item.optionalString('webhook');
	if (typed === undefined) return undefined;
	let url: URL | undefined;
	try {
		url = new URL(typed);
	} catch {
		url = undefined;
	}
	if (!url || !/^https?:$/.test(url.protocol)) {
		return item.fail(`Webhook URL must be an http:// or https:// address: "${typed}"`, 'Paste the Production URL of a Messingin Trigger, or leave it empty.');
	}
	if (!isTriggerUrl(url) || url.searchParams.has(SECRET_PARAMETER)) return typed;
	const { webhookSecret } = await item.ctx.getCredentials(messingin.credentialType);
	if (typeof webhookSecret !== 'string' || webhookSecret === '') {
		return item.fail(
			'Webhook URL is a Messingin Trigger\'s URL, but the Messingin credential has no Webhook Secret',
			'Set a Webhook Secret (any long random text) in the Messingin credential: the trigger refuses calls that do not carry it.',
		);
	}
	return withQuery(typed, { [SECRET_PARAMETER]: webhookSecret });
}

export const sessionOperations: Operation[] = [
	{
		resource: 'session',
		value: 'create',
		success: MESSINGIN_SESSION_CREATED,
		name: 'Create',
		action: 'Create a session',
		description: 'Create a WhatsApp session and get the QR code to scan with the phone, also as a PNG image',
		fields: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'Support line', description: 'A name to tell the session apart in Messingin' },
			{
				displayName: 'Webhook URL',
				name: 'webhook',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/messingin',
				hint: 'To start a workflow on this session\'s messages, paste the Production URL of its Messingin Trigger: the Webhook Secret of the credential is added for you',
				description: 'Where Messingin sends the session\'s events; empty uses the webhook set in the Messingin dashboard',
			},
			binaryOutputField('Put QR Code in Field', 'qrCode'),
		],
		async request(item) {
			const webhook = await webhookUrl(item);
			return { method: 'POST', path: 'api/whatsapp/sessions', body: { name: item.string('name'), ...(webhook ? { webhook } : {}) } };
		},
		async output(result, item) {
			const { qrCode, ...session } = result as IDataObject;
			const image = parseDataUri(qrCode);
			if (!image) return result as IDataObject;
			const file = { ...image, fileName: `qr-code-${String(session.sessionId ?? 'session')}.png` };
			return [await binaryItem(item, { ...session, qrCode: true }, file, item.string('binaryPropertyName'))];
		},
	},
];

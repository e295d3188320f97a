import type { IDataObject } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import { binaryItem, binaryOutputField, parseDataUri } from '../../shared/media';
import type { Operation } from '../../shared/operation';
import { withQuery } from '../../shared/webhook';
import { messingin, MESSINGIN_SESSION_CREATED, SECRET_PARAMETER, TRIGGER_WEBHOOK_PATH, triggerUrlsOf } from '../api';

const isTriggerUrl = (url: URL) => url.pathname.replace(/\/+$/, '').split('/').pop() === TRIGGER_WEBHOOK_PATH;

/** The Production URL of the workflow's Messingin Trigger, as it noted it when the workflow was published. */
function workflowTriggerUrl(item: ItemReader): string {
	const urls = triggerUrlsOf(item.ctx);
	const names = Object.keys(urls).sort();
	const wanted = item.optionalString('triggerName');
	if (wanted !== undefined) {
		if (urls[wanted]) return urls[wanted];
		return item.fail(
			`This workflow has no published Messingin Trigger named "${wanted}"`,
			names.length ? `Its published Messingin Triggers: ${names.join(', ')}.` : 'Publish the workflow first: its Messingin Trigger notes its Production URL then.',
			'triggerName',
		);
	}
	if (names.length === 1) return urls[names[0]];
	if (names.length > 1) {
		return item.fail(`This workflow has ${names.length} Messingin Triggers: ${names.join(', ')}`, 'Enter the one to use in "Trigger Name".', 'triggerName');
	}
	return item.fail(
		'This workflow\'s Messingin Trigger has no Production URL yet',
		'Publish the workflow first: its Messingin Trigger notes its Production URL then, and Session → Create can use it. Or choose "URL" in "Send Events To" and paste a Messingin Trigger\'s Production URL.',
		'webhookTarget',
	);
}

/**
 * The session's webhook URL: the workflow's Messingin Trigger or a URL as typed, with the
 * credential's webhook secret added when it is a Messingin Trigger's URL (the trigger refuses
 * calls without it).
 */
async function webhookUrl(item: ItemReader): Promise<string | undefined> {
	const typed = item.string('webhookTarget') === 'trigger' ? workflowTriggerUrl(item) : item.optionalString('webhook');
	if (typed === undefined) return undefined;
	let url: URL | undefined;
	try {
		url = new URL(typed);
	} catch {
		url = undefined;
	}
	if (!url || !/^https?:$/.test(url.protocol)) {
		return item.fail(`Webhook URL must be an http:// or https:// address: "${typed}"`, 'Paste the Production URL of a Messingin Trigger, or leave it empty.', 'webhook');
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
				displayName: 'Send Events To',
				name: 'webhookTarget',
				type: 'options',
				default: 'url',
				description: 'Where Messingin sends the session\'s events (messages, deliveries, connects); the Webhook Secret of the credential is added to a Messingin Trigger\'s URL for you',
				options: [
					{
						name: 'A Messingin Trigger in This Workflow',
						value: 'trigger',
						description: 'Its Production URL, which it notes when the workflow is published',
					},
					{
						name: 'URL',
						value: 'url',
						description: 'A URL you enter, e.g. the Production URL of a Messingin Trigger in another workflow; empty uses the webhook set in the Messingin dashboard',
					},
				],
			},
			{
				displayName: 'Trigger Name',
				name: 'triggerName',
				type: 'string',
				default: '',
				placeholder: 'Messingin Trigger',
				description: 'The name of the Messingin Trigger node to use; needed only when the workflow has several',
				displayOptions: { show: { webhookTarget: ['trigger'] } },
			},
			{
				displayName: 'Webhook URL',
				name: 'webhook',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/messingin',
				hint: 'A Messingin Trigger\'s Production URL (shown in the trigger), or any other receiver; empty uses the webhook set in the Messingin dashboard',
				description: 'Where Messingin sends the session\'s events',
				displayOptions: { show: { webhookTarget: ['url'] } },
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

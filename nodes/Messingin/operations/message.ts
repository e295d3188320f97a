import { MESSAGE_TEXT, phoneField } from '../../shared/fields';
import type { Operation } from '../../shared/operation';
import { toE164 } from '../../shared/phone';
import { MESSINGIN_SUCCESS } from '../api';

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		value: 'send',
		success: MESSINGIN_SUCCESS,
		recipientField: 'to',
		name: 'Send',
		action: 'Send a message',
		description: 'Send a text message from a session, within the API calls per minute of the plan',
		fields: [
			{ displayName: 'Session ID', name: 'sessionId', type: 'string', default: '', required: true, placeholder: 'session_123', description: 'The "sessionId" that Session → Create returned; the session must be connected (its QR code scanned)' },
			phoneField({ displayName: 'To', name: 'to', description: 'The recipient\'s WhatsApp number with its country code, in any common form: +1 (747) 282-2486, 0044 20…' }),
			{ displayName: 'Message', name: 'message', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: 'The text; emoji are fine' },
		],
		request(item) {
			const to = toE164(item.phone('to'));
			const sessionId = item.pathSegment('sessionId');
			return { method: 'POST', path: `api/whatsapp/sessions/${sessionId}/messages`, body: { to, message: item.string('message', MESSAGE_TEXT) } };
		},
	},
];

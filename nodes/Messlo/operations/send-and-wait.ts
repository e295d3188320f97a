import type { IDataObject } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { sendAndWaitOperation } from '../../shared/send-and-wait';
import { messageOperations } from './message';

const send = messageOperations.find((operation) => operation.value === 'send')!;
const fieldsNamed = (...names: string[]) => send.fields.filter((field) => names.includes(field.name));

/**
 * Message → Send and Wait for Response: a text through Message → Send, or — for someone outside
 * the 24-hour window — an approved template with the link in one of its variables.
 */
export const sendAndWait: Operation = sendAndWaitOperation({
	fields: fieldsNamed('phone', 'sender'),
	recipient: 'phone',
	text: { operation: send, parameters: (text) => ({ messageType: 'text', message: text }) },
	template: {
		operation: send,
		fields: fieldsNamed('templateName', 'templateVariables', 'languageCode'),
		parameters(item, key, value) {
			const given = ((item.raw('templateVariables', {}) as IDataObject)?.variable ?? []) as IDataObject[];
			if (given.some((variable) => String(variable.key ?? '').trim() === key)) {
				item.fail(`Template Variables also has the Link Variable "${key}"`, 'Remove that variable from Template Variables: the node fills it with the answer link.');
			}
			return { messageType: 'template', templateVariables: { variable: [...given, { key, value }] } };
		},
	},
	messageId: (sent) => (typeof sent.message_id === 'string' ? sent.message_id : typeof sent.wamid === 'string' ? sent.wamid : undefined),
});

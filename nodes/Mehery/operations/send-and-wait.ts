import type { IDataObject } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { sendAndWaitOperation } from '../../shared/send-and-wait';
import { messageOperations } from './message';

const send = messageOperations.find((operation) => operation.value === 'send')!;
const fieldsNamed = (...names: string[]) => send.fields.filter((field) => names.includes(field.name));

/**
 * Message → Send and Wait for Response: a text through Message → Send, or — for someone outside
 * the 24-hour window — an approved template with the link in one of its placeholders.
 */
export const sendAndWait: Operation = sendAndWaitOperation({
	fields: fieldsNamed('channelId', 'phone'),
	recipient: 'phone',
	text: { operation: send, parameters: (text) => ({ type: 'text', text }) },
	template: {
		operation: send,
		fields: fieldsNamed('templateId', 'templateData'),
		parameters(item, key, value) {
			const given = ((item.raw('templateData', {}) as IDataObject)?.placeholders ?? []) as IDataObject[];
			if (given.some((placeholder) => String(placeholder.key ?? '').trim() === key)) {
				item.fail(`Template Data also has the Link Variable "${key}"`, 'Remove that placeholder from Template Data: the node fills it with the answer link.');
			}
			return { type: 'template', templateData: { placeholders: [...given, { key, value }] } };
		},
	},
});

import type { Operation } from '../../shared/operation';
import { sendAndWaitOperation } from '../../shared/send-and-wait';
import { messageOperations } from './message';

const send = messageOperations.find((operation) => operation.value === 'send')!;
const sendTemplate = messageOperations.find((operation) => operation.value === 'sendTemplate')!;

/**
 * Message → Send and Wait for Response: the text goes out through Message → Send (recipient and
 * From Number as Send Template has them; no attachment).
 */
export const sendAndWait: Operation = sendAndWaitOperation({
	fields: sendTemplate.fields.filter((field) => field.name === 'phone' || field.name === 'additionalFields'),
	recipient: 'phone',
	text: { operation: send, parameters: (text) => ({ message: text, attachment: 'none' }) },
});

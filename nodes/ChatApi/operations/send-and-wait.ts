import type { Operation } from '../../shared/operation';
import { sendAndWaitOperation } from '../../shared/send-and-wait';
import { messageOperations } from './message';

const sendText = messageOperations.find((operation) => operation.value === 'sendText')!;

/** Message → Send and Wait for Response: the text goes out through Message → Send Text. */
export const sendAndWait: Operation = sendAndWaitOperation({
	fields: sendText.fields.filter((field) => field.name === 'recipient'),
	recipient: 'recipient',
	text: { operation: sendText, parameters: (text) => ({ text }) },
});

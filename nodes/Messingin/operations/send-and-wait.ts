import type { Operation } from '../../shared/operation';
import { sendAndWaitOperation } from '../../shared/send-and-wait';
import { messageOperations } from './message';

const send = messageOperations.find((operation) => operation.value === 'send')!;

/** Message → Send and Wait for Response: the text goes out through Message → Send, from a session. */
export const sendAndWait: Operation = sendAndWaitOperation({
	fields: send.fields.filter((field) => field.name === 'sessionId' || field.name === 'to'),
	recipient: 'to',
	text: { operation: send, parameters: (text) => ({ message: text }) },
});

import type { Operation } from '../../shared/operation';
import { CHAT_API_SUCCESS } from '../api';

export const queueOperations: Operation[] = [
	{
		resource: 'queue',
		value: 'get',
		success: CHAT_API_SUCCESS.queue,
		name: 'Get',
		action: 'Get the outbound message queue',
		description: 'How many messages wait to be sent, and the first 100 of them',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'showMessagesQueue' }),
	},
	{
		resource: 'queue',
		value: 'clear',
		success: CHAT_API_SUCCESS.queueCleared,
		name: 'Clear',
		action: 'Clear the outbound message queue',
		description: 'Drop every message still waiting to be sent, e.g. after sending thousands by mistake',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'clearMessagesQueue' }),
	},
];

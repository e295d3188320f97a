import { idField } from '../../shared/fields';
import type { Operation } from '../../shared/operation';
import { CONVERSATION_STATUSES, MESIGIC_LIST, MESIGIC_SUCCESS, mesigicPages, pick } from '../api';

export const conversationOperations: Operation[] = [
	{
		resource: 'conversation',
		value: 'getAll',
		success: MESIGIC_LIST,
		name: 'Get Many',
		action: 'Get many conversations',
		fields: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 0,
				description: 'Only conversations with this status',
				options: [{ name: 'All', value: 0 }, ...CONVERSATION_STATUSES],
			},
		],
		idempotent: true,
		pages: mesigicPages,
		request(item) {
			const status = item.optionalNumber('status');
			return { method: 'GET', path: 'inbox/conversation-list', query: status ? { status } : {} };
		},
	},
	{
		resource: 'conversation',
		value: 'get',
		success: MESIGIC_SUCCESS,
		name: 'Get',
		action: 'Get a conversation',
		description: 'Get a conversation with its contact, notes, tags and lists',
		fields: [idField('Conversation ID', 'conversationId')],
		idempotent: true,
		request: (item) => ({ method: 'GET', path: `inbox/conversation-details/${item.id('conversationId')}` }),
		output: pick('conversation'),
	},
	{
		resource: 'conversation',
		value: 'updateStatus',
		success: MESIGIC_SUCCESS,
		name: 'Update Status',
		action: 'Update the status of a conversation',
		fields: [
			idField('Conversation ID', 'conversationId'),
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 1,
				required: true,
				options: CONVERSATION_STATUSES,
			},
		],
		idempotent: true,
		request: (item) => ({
			method: 'POST',
			path: `inbox/change-conversation-status/${item.id('conversationId')}`,
			form: [{ field: 'status', value: item.number('status') }],
		}),
		output: pick('conversation'),
	},
];

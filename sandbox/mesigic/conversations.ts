/** Conversations: list (by status), change status, details. */
import { formFields, paginate } from '../laravel';
import { api, conversationJson, conversationStatus, noFiles, optional, page, perPage, requireConversation, route, success } from './common';
import { changeConversationStatus, lastActivity, type ConversationStatusValue } from './state';

export const conversationRoutes = [
	route({
		method: 'GET',
		path: api('/inbox/conversation-list'),
		query: formFields({ status: optional(conversationStatus), page, paginate: perPage }),
		handle: ({ query, state, server }) => {
			const conversations = state.conversations
				.filter((conversation) => !query.status || conversation.status === query.status)
				.sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)) || b.id - a.id)
				.map((conversation) => conversationJson(state, conversation));
			const listing = paginate(conversations, {
				page: query.page ?? 1,
				perPage: query.paginate ?? 20,
				path: `${server.apiUrl}/inbox/conversation-list`,
				keep: { status: query.status ?? undefined, paginate: query.paginate ?? undefined },
			});
			return success('conversation_list', 'Conversation list fetched successfully', { conversations: listing });
		},
	}),

	route({
		method: 'POST',
		path: api('/inbox/change-conversation-status/:conversation_id'),
		body: formFields({ status: conversationStatus }),
		files: noFiles,
		validate: (input, state) => {
			requireConversation(state, input.params.conversation_id!);
			return [];
		},
		handle: ({ params, body, state }) => {
			const conversation = requireConversation(state, params.conversation_id!);
			changeConversationStatus(conversation, body.status as ConversationStatusValue);
			return success('conversation_status_updated', 'Conversation status updated successfully', {
				conversation: conversationJson(state, conversation),
			});
		},
	}),

	route({
		method: 'GET',
		path: api('/inbox/conversation-details/:conversation_id'),
		handle: ({ params, state }) => {
			const conversation = requireConversation(state, params.conversation_id!);
			return success('conversation_details', 'Conversation details fetched successfully', {
				conversation: {
					...conversationJson(state, conversation),
					notes: conversation.notes,
					tags: conversation.tags,
					lists: conversation.lists,
				},
			});
		},
	}),
];

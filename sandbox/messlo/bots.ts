/** AI chatbots and keyword bots (rows 59–64): chatbots, training, message bots, quick replies. */
import { z } from 'zod';

import { SandboxError } from '../framework';
import { conflict, matches, missing, newestFirst, nonEmpty, objectId, ok, page, pageQuery, requireConnection, route } from './common';
import { newId, nowIso, type Chatbot, type MessageBot, type MessloState } from './state';
import { chatbotJson, recordJson } from './views';

const MATCHING = ['exact', 'contains', 'starts_with', 'ends_with', 'partial'] as const;
const REPLY_TYPES = ['text', 'media', 'template', 'catalog', 'chatbot', 'agent', 'sequence', 'flow', 'appointment_flow'] as const;

const messageBotJson = (bot: MessageBot) => recordJson(bot);

function requireChatbot(state: MessloState, id: string): Chatbot {
	const chatbot = state.chatbots.find((entry) => entry._id === id);
	if (!chatbot) throw missing(`No chatbot ${id}.`, 'CHATBOT_NOT_FOUND');
	return chatbot;
}

export const botRoutes = [
	// Row 59
	route({
		method: 'GET',
		path: '/api/chatbots',
		query: z.object({ waba_id: nonEmpty('waba_id'), search: z.string().optional() }).strict(),
		handle: ({ query, state }) => {
			const connection = requireConnection(state, query.waba_id);
			const found = state.chatbots.filter((chatbot) => chatbot.connection_id === connection._id && matches(query.search, chatbot.name));
			return { json: ok(newestFirst(found, (chatbot) => chatbot.created_at).map(chatbotJson)) };
		},
	}),

	// Row 60
	route({
		method: 'POST',
		path: '/api/chatbots',
		body: z
			.object({
				waba_id: nonEmpty('waba_id'),
				name: nonEmpty('name', 128),
				business_name: z.string().optional(),
				business_description: z.string().optional(),
				system_prompt: z.string().optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			const connection = requireConnection(state, body.waba_id);
			if (state.chatbots.some((chatbot) => chatbot.connection_id === connection._id && chatbot.name === body.name)) throw conflict(`A chatbot named ${body.name} already exists.`, 'CHATBOT_EXISTS');
			const chatbot: Chatbot = { _id: newId(state), connection_id: connection._id, name: body.name, status: 'draft', trained: { qna_pairs: 0, texts: 0 }, created_at: nowIso() };
			state.chatbots.push(chatbot);
			return { status: 201, json: ok({ ...chatbotJson(chatbot), business_name: body.business_name ?? null, business_description: body.business_description ?? null, system_prompt: body.system_prompt ?? null }, { message: 'Chatbot created' }) };
		},
	}),

	// Row 61
	route({
		method: 'POST',
		path: '/api/chatbots/:id/train',
		body: z
			.object({
				training_data: z.array(z.object({ question: nonEmpty('training_data[].question'), answer: nonEmpty('training_data[].answer') }).strict()).optional(),
				business_name: z.string().optional(),
				business_description: z.string().optional(),
				raw_training_text: z.string().optional(),
				knowledgeType: z.enum(['q&a', 'text', 'website']).optional(),
				system_prompt: z.string().optional(),
			})
			.strict(),
		handle: ({ params, body, state }) => {
			const chatbot = requireChatbot(state, params.id!);
			if (!body.training_data?.length && !body.raw_training_text?.trim() && !body.business_description && !body.system_prompt) {
				throw new SandboxError(400, 'validation', [{ field: 'training_data', message: 'Give something to learn: training_data, raw_training_text, business_description or system_prompt.' }]);
			}
			chatbot.trained.qna_pairs += body.training_data?.length ?? 0;
			chatbot.trained.texts += body.raw_training_text?.trim() ? 1 : 0;
			chatbot.status = 'active';
			return { json: ok(chatbotJson(chatbot), { message: 'Chatbot trained' }) };
		},
	}),

	// Row 62
	route({
		method: 'GET',
		path: '/api/message-bots',
		query: z.object({ ...pageQuery(20, 100), waba_id: nonEmpty('waba_id'), search: z.string().optional(), status: z.enum(['active', 'inactive']).optional() }).strict(),
		handle: ({ query, state }) => {
			const connection = requireConnection(state, query.waba_id);
			const found = state.messageBots.filter(
				(bot) => bot.connection_id === connection._id && (!query.status || bot.status === query.status) && (!query.search || bot.keywords.some((keyword) => matches(query.search, keyword))),
			);
			return { json: page(newestFirst(found, (bot) => bot.created_at), query, messageBotJson) };
		},
	}),

	// Row 63
	route({
		method: 'POST',
		path: '/api/message-bots',
		body: z
			.object({
				waba_id: nonEmpty('waba_id'),
				keywords: z.array(nonEmpty('keywords[]')).min(1, 'keywords must hold at least one keyword.'),
				matching_method: z.enum(MATCHING).default('contains'),
				partial_percentage: z.number().min(0, 'partial_percentage must be 0 to 100.').max(100, 'partial_percentage must be 0 to 100.').optional(),
				reply_type: z.enum(REPLY_TYPES),
				reply_id: objectId('reply_id').optional(),
				status: z.enum(['active', 'inactive']).default('active'),
			})
			.strict()
			.refine((body) => body.matching_method === 'partial' || body.partial_percentage === undefined, { message: 'partial_percentage goes with matching_method partial.', path: ['partial_percentage'] })
			.refine((body) => body.reply_type === 'agent' || body.reply_id !== undefined, { message: 'reply_id is required: the id of what the bot replies with.', path: ['reply_id'] }),
		handle: ({ body, state }) => {
			const connection = requireConnection(state, body.waba_id);
			const bot: MessageBot = {
				_id: newId(state),
				connection_id: connection._id,
				keywords: body.keywords,
				matching_method: body.matching_method,
				partial_percentage: body.partial_percentage ?? null,
				reply_type: body.reply_type,
				reply_id: body.reply_id ?? null,
				status: body.status,
				created_at: nowIso(),
			};
			state.messageBots.push(bot);
			return { status: 201, json: ok(messageBotJson(bot), { message: 'Message bot created' }) };
		},
	}),

	// Row 64
	route({
		method: 'GET',
		path: '/api/quick-replies',
		query: z.object({ ...pageQuery(50, 100), search: z.string().optional() }).strict(),
		handle: ({ query, state }) => {
			const found = state.quickReplies.filter((reply) => matches(query.search, reply.content));
			return { json: page(newestFirst(found, (reply) => reply.created_at), query, recordJson) };
		},
	}),
];

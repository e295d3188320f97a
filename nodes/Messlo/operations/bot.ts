import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { additionalBodyFieldsOption, dataOf, LIST_KEYS, listEntries, messloPages, MESSLO_SUCCESS, messloWholeList, withAdditionalFields } from '../api';
import { chatbotField, wabaField } from '../fields';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const businessOptions: INodeProperties[] = [
	{ displayName: 'Business Description', name: 'businessDescription', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'What the business does, for the chatbot to know' },
	{ displayName: 'Business Name', name: 'businessName', type: 'string', default: '' },
	{ displayName: 'System Prompt', name: 'systemPrompt', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'Instructions that set how the chatbot answers' },
];

/** The business options of a collection, in Messlo's names, leaving out the ones not given. */
function businessFields(item: ItemReader, collection: string): IDataObject {
	const values = item.collection(collection);
	const body: IDataObject = {};
	for (const [option, field] of [
		['businessName', 'business_name'],
		['businessDescription', 'business_description'],
		['systemPrompt', 'system_prompt'],
	]) {
		const value = item.text(`${collection}.${option}`, values[option]);
		if (value !== undefined) body[field] = value;
	}
	return body;
}

function trainingPairs(item: ItemReader): IDataObject[] {
	const pairs = (item.collection('trainingData').pair as unknown[] | undefined) ?? [];
	return pairs.map((pair, index) => {
		const { question, answer } = isRecord(pair) ? pair : {};
		const q = item.text('trainingData', question);
		const a = item.text('trainingData', answer);
		if (q === undefined || a === undefined) {
			item.fail(`Questions and Answers: pair ${index + 1} has no ${q === undefined ? 'question' : 'answer'}`, 'Give every pair both a question and its answer, or remove it.');
		}
		return { question: q, answer: a };
	});
}

const MATCHING_METHODS = [
	{ name: 'Contains', value: 'contains', description: 'The message contains a keyword' },
	{ name: 'Ends With', value: 'ends_with', description: 'The message ends with a keyword' },
	{ name: 'Exact', value: 'exact', description: 'The message is a keyword' },
	{ name: 'Partial', value: 'partial', description: 'The message is similar enough to a keyword' },
	{ name: 'Starts With', value: 'starts_with', description: 'The message starts with a keyword' },
];

export const REPLY_TYPES = [
	{ name: 'Agent', value: 'agent', description: 'Hand the chat to an agent' },
	{ name: 'Appointment Flow', value: 'appointment_flow' },
	{ name: 'Catalog', value: 'catalog' },
	{ name: 'Chatbot', value: 'chatbot', description: 'Hand the chat to an AI chatbot' },
	{ name: 'Flow Form', value: 'flow', description: 'Send a WhatsApp Flow form' },
	{ name: 'Media', value: 'media', description: 'Reply with a saved media reply' },
	{ name: 'Sequence', value: 'sequence', description: 'Start a drip sequence' },
	{ name: 'Template', value: 'template', description: 'Reply with an approved template' },
	{ name: 'Text', value: 'text', description: 'Reply with a saved text reply' },
];

const BOT_STATUSES = [
	{ name: 'Active', value: 'active' },
	{ name: 'Inactive', value: 'inactive' },
];

export const botOperations: Operation[] = [
	{
		resource: 'chatbot',
		value: 'getAll',
		success: MESSLO_SUCCESS.chatbots,
		name: 'Get Many',
		action: 'Get many AI chatbots',
		description: 'The AI chatbots of a WhatsApp Business Account',
		fields: [wabaField(), { displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only chatbots whose name matches this text' }],
		idempotent: true,
		pages: messloWholeList(LIST_KEYS.chatbots),
		request: (item) => {
			const search = item.optionalString('search');
			return { method: 'GET', path: 'api/chatbots', query: { waba_id: item.string('wabaId'), ...(search === undefined ? {} : { search }) } };
		},
	},
	{
		resource: 'chatbot',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create an AI chatbot',
		fields: [
			wabaField(),
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'Support bot' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [additionalBodyFieldsOption, ...businessOptions],
			},
		],
		request: (item) => ({
			method: 'POST',
			path: 'api/chatbots',
			body: withAdditionalFields(item, 'options', { waba_id: item.string('wabaId'), name: item.string('name'), ...businessFields(item, 'options') }),
		}),
		output: dataOf,
	},
	{
		resource: 'chatbot',
		value: 'train',
		success: MESSLO_SUCCESS.done,
		name: 'Train',
		action: 'Train an AI chatbot',
		description: 'Teach a chatbot question–answer pairs, a text, or about the business',
		fields: [
			chatbotField(),
			{
				displayName: 'Questions and Answers',
				name: 'trainingData',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Pair',
				default: {},
				options: [
					{
						displayName: 'Pair',
						name: 'pair',
						values: [
							{ displayName: 'Question', name: 'question', type: 'string', default: '', placeholder: 'What are your opening hours?' },
							{ displayName: 'Answer', name: 'answer', type: 'string', typeOptions: { rows: 2 }, default: '', placeholder: 'Monday to Saturday, 9 am to 7 pm.' },
						],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					additionalBodyFieldsOption,
					...businessOptions,
					{
						displayName: 'Knowledge Type',
						name: 'knowledgeType',
						type: 'options',
						default: 'q&a',
						options: [
							{ name: 'Questions and Answers', value: 'q&a' },
							{ name: 'Text', value: 'text' },
							{ name: 'Website', value: 'website' },
						],
						description: 'What kind of knowledge this training gives',
					},
					{ displayName: 'Training Text', name: 'rawTrainingText', type: 'string', typeOptions: { rows: 6 }, default: '', description: 'Free text for the chatbot to learn from' },
				].sort((a, b) => a.displayName.localeCompare(b.displayName)) as INodeProperties[],
			},
		],
		request: (item) => {
			const options = item.collection('options');
			const body: IDataObject = businessFields(item, 'options');
			const pairs = trainingPairs(item);
			if (pairs.length) body.training_data = pairs;
			const raw = item.text('options.rawTrainingText', options.rawTrainingText);
			if (raw !== undefined) body.raw_training_text = raw;
			const knowledgeType = item.text('options.knowledgeType', options.knowledgeType);
			if (knowledgeType !== undefined) body.knowledgeType = knowledgeType;
			const full = withAdditionalFields(item, 'options', body);
			if (!Object.keys(full).length) item.fail('Nothing to train on', 'Add questions and answers, a training text, or a business description.');
			return { method: 'POST', path: `api/chatbots/${item.pathSegment('chatbotId')}/train`, body: full };
		},
		output: dataOf,
	},
	{
		resource: 'messageBot',
		value: 'getAll',
		success: MESSLO_SUCCESS.messageBots,
		name: 'Get Many',
		action: 'Get many keyword bots',
		description: 'The keyword auto-replies of a WhatsApp Business Account',
		fields: [
			wabaField(),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only bots with a keyword that matches this text' },
					{ displayName: 'Status', name: 'status', type: 'options', default: 'active', options: BOT_STATUSES },
				],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.messageBots, 100),
		request: (item) => {
			const filters = item.collection('filters');
			const query: IDataObject = { waba_id: item.string('wabaId') };
			for (const key of ['search', 'status']) {
				const value = item.text(`filters.${key}`, filters[key]);
				if (value !== undefined) query[key] = value;
			}
			return { method: 'GET', path: 'api/message-bots', query };
		},
	},
	{
		resource: 'messageBot',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create a keyword bot',
		description: 'An automatic reply to messages that match keywords',
		fields: [
			wabaField(),
			{
				displayName: 'Keywords',
				name: 'keywords',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'price, pricing, cost',
				description: 'The words that trigger the reply, separated by commas or one per line (or an expression giving a list)',
			},
			{ displayName: 'Matching', name: 'matchingMethod', type: 'options', default: 'contains', options: MATCHING_METHODS, description: 'How a message must match a keyword' },
			{
				displayName: 'Similarity (%)',
				name: 'partialPercentage',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 80,
				description: 'How similar a message must be to a keyword',
				displayOptions: { show: { matchingMethod: ['partial'] } },
			},
			{ displayName: 'Reply Type', name: 'replyType', type: 'options', default: 'text', options: REPLY_TYPES, description: 'What the bot replies with' },
			{
				displayName: 'Reply Name or ID',
				name: 'replyId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getReplyTargets', loadOptionsDependsOn: ['wabaId', 'replyType'] },
				default: '',
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Messlo\'s ID of what the bot replies with: a saved reply, a template, a chatbot, a sequence, a form, …',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [additionalBodyFieldsOption, { displayName: 'Status', name: 'status', type: 'options', default: 'active', options: BOT_STATUSES }],
			},
		],
		request: (item) => {
			const keywords = [...new Set(listEntries(item, 'keywords'))];
			if (!keywords.length) item.fail('Keywords is empty', 'Enter at least one keyword.');
			const matching = item.string('matchingMethod');
			const replyType = item.string('replyType');
			const replyId = item.optionalString('replyId');
			if (replyId === undefined && replyType !== 'agent') item.fail('Reply Name or ID is empty', `Choose what the bot replies with: Messlo needs the ID of the ${replyType} reply.`);
			const status = item.text('options.status', item.collection('options').status);
			const body: IDataObject = {
				waba_id: item.string('wabaId'),
				keywords,
				matching_method: matching,
				...(matching === 'partial' ? { partial_percentage: item.number('partialPercentage') } : {}),
				reply_type: replyType,
				...(replyId === undefined ? {} : { reply_id: replyId }),
				...(status === undefined ? {} : { status }),
			};
			return { method: 'POST', path: 'api/message-bots', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
	{
		resource: 'quickReply',
		value: 'getAll',
		success: MESSLO_SUCCESS.quickReplies,
		name: 'Get Many',
		action: 'Get many quick replies',
		description: 'The agents\' saved replies of the inbox',
		fields: [{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only quick replies that contain this text' }],
		idempotent: true,
		pages: messloPages(LIST_KEYS.quickReplies, 100),
		request: (item) => {
			const search = item.optionalString('search');
			return { method: 'GET', path: 'api/quick-replies', query: search === undefined ? {} : { search } };
		},
	},
];

import type { IDataObject } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { dataOf, dayOf, LIST_KEYS, messloPages, MESSLO_SUCCESS } from '../api';
import { agentField, chatbotField, contactIdField, phoneNumberIdField } from '../fields';

const optionalNumberId = phoneNumberIdField({ required: false, hint: 'Empty: your primary number' });

export const chatOperations: Operation[] = [
	{
		resource: 'chat',
		value: 'getAll',
		success: MESSLO_SUCCESS.chats,
		name: 'Get Many',
		action: 'Get recent chats',
		description: 'The inbox threads, most recent first; each gives the contact ID its messages are read with',
		fields: [
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Platform',
						name: 'platform',
						type: 'options',
						default: 'whatsapp',
						options: [
							{ name: 'Facebook', value: 'facebook' },
							{ name: 'Instagram', value: 'instagram' },
							{ name: 'Telegram', value: 'telegram' },
							{ name: 'WhatsApp', value: 'whatsapp' },
						],
					},
					{ displayName: 'Provider', name: 'provider', type: 'string', default: 'business_api', description: 'The provider type of the chats, e.g. business_api' },
					{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only chats that match this text' },
					optionalNumberId,
				],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.chats, 50),
		request: (item) => {
			const filters = item.collection('filters');
			const query: IDataObject = {};
			for (const [key, name] of [
				['whatsappPhoneNumberId', 'whatsapp_phone_number_id'],
				['platform', 'platform'],
				['search', 'search'],
				['provider', 'provider'],
			]) {
				const value = item.text(`filters.${key}`, filters[key]);
				if (value !== undefined) query[name] = value;
			}
			return { method: 'GET', path: 'api/whatsapp/chats', query };
		},
	},
	{
		resource: 'chat',
		value: 'getMessages',
		success: MESSLO_SUCCESS.messages,
		name: 'Get Messages',
		action: 'Get the messages of a chat',
		description: 'The messages of one contact\'s thread',
		fields: [
			contactIdField,
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{ displayName: 'From Day', name: 'startDate', type: 'dateTime', default: '', description: 'Only messages from this day on (Messlo filters by whole days)' },
					{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only messages that contain this text' },
					{ displayName: 'To Day', name: 'endDate', type: 'dateTime', default: '', description: 'Only messages up to this day (Messlo filters by whole days)' },
					optionalNumberId,
				],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.messages, 100),
		request: (item) => {
			const filters = item.collection('filters');
			const query: IDataObject = { contact_id: item.string('contactId') };
			const phoneId = item.text('filters.whatsappPhoneNumberId', filters.whatsappPhoneNumberId);
			const search = item.text('filters.search', filters.search);
			if (phoneId !== undefined) query.whatsapp_phone_number_id = phoneId;
			if (search !== undefined) query.search = search;
			if (filters.startDate) query.start_date = dayOf(item, 'filters.startDate', filters.startDate);
			if (filters.endDate) query.end_date = dayOf(item, 'filters.endDate', filters.endDate);
			if (query.start_date && query.end_date && String(query.start_date) > String(query.end_date)) {
				item.fail(`From Day (${String(query.start_date)}) is after To Day (${String(query.end_date)})`, 'Swap the two days, or remove one of them.');
			}
			return { method: 'GET', path: 'api/whatsapp/messages', query };
		},
	},
	{
		resource: 'chat',
		value: 'assign',
		success: MESSLO_SUCCESS.done,
		name: 'Assign',
		action: 'Assign a chat to an agent or a chatbot',
		description: 'Hand one contact\'s chat on one of your numbers to a team member or an AI chatbot',
		fields: [
			contactIdField,
			phoneNumberIdField(),
			{
				displayName: 'Assign To',
				name: 'assignTo',
				type: 'options',
				default: 'agent',
				options: [
					{ name: 'Agent', value: 'agent', description: 'A member of your team' },
					{ name: 'Chatbot', value: 'chatbot', description: 'One of your AI chatbots' },
				],
			},
			{ ...agentField, displayOptions: { show: { assignTo: ['agent'] } } },
			chatbotField({ displayOptions: { show: { assignTo: ['chatbot'] } } }),
		],
		idempotent: true,
		request: (item) => {
			const target = item.string('assignTo') === 'chatbot' ? { chatbot_id: item.string('chatbotId') } : { agent_id: item.string('agentId') };
			return {
				method: 'POST',
				path: 'api/whatsapp/assign-chat',
				body: { contact_id: item.string('contactId'), whatsapp_phone_number_id: item.string('whatsappPhoneNumberId'), ...target },
			};
		},
		output: dataOf,
	},
];

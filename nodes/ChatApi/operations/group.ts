import type { Operation } from '../../shared/operation';
import { toDigits } from '../../shared/phone';
import { CHAT_API_SUCCESS } from '../api';

export const groupOperations: Operation[] = [
	{
		resource: 'group',
		value: 'create',
		success: CHAT_API_SUCCESS.group,
		name: 'Create',
		action: 'Create a group',
		description: 'Create a group with these members and send it a first message',
		fields: [
			{ displayName: 'Group Name', name: 'groupName', type: 'string', default: '', required: true },
			{
				displayName: 'Phone Numbers',
				name: 'phones',
				type: 'string',
				default: '',
				required: true,
				placeholder: '+1 747 282 2486, +7 968 056 5372',
				description: 'The members, with country codes, separated by commas or new lines (not your own number). On an iPhone host every member must be in its contacts.',
			},
			{ displayName: 'First Message', name: 'messageText', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Sent to the group once it exists' },
		],
		request(item) {
			const raw = item.raw('phones', '');
			const typed = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(/[,;\n]/)).map((phone) => phone.trim()).filter(Boolean);
			if (!typed.length) item.fail('Phone Numbers is empty', 'Enter at least one member\'s number, with its country code.', 'phones');
			const phones = typed.map((phone) => toDigits(item.phone('phones', phone)));
			const messageText = item.optionalString('messageText');
			return { method: 'POST', path: 'group', body: { groupName: item.string('groupName'), phones, ...(messageText ? { messageText } : {}) } };
		},
	},
];

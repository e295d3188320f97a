/** Groups: create one (optionally with a first message). */
import { z } from 'zod';

import { nonEmpty, route, tokenOnly, type ApiPath } from './common';
import { chatIdOfPhone, inviteCode, nowSeconds, PHONE, sendOutgoing, type ChatApiGroup } from './state';

export const groupRoutes = (api: ApiPath) => [
	route({
		method: 'POST',
		path: api('/group'),
		query: tokenOnly,
		body: z
			.object({
				groupName: z.string().trim().min(1, 'groupName must not be empty.'),
				phones: z
					.array(
						z.string().superRefine((value, context) => {
							if (!PHONE.test(value)) {
								context.addIssue({
									code: 'custom',
									message: `Every phone in phones must be 7 to 15 digits with the country code, without + or spaces (got "${value}").`,
								});
							}
						}),
					)
					.min(1, 'phones must list at least one phone number.'),
				messageText: nonEmpty('messageText').optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			let created = nowSeconds();
			const idOf = (seconds: number) => `${state.me.phone}-${seconds}@g.us`;
			while (state.groups.some((group) => group.chatId === idOf(created))) created += 1;
			const participants = [...new Set(body.phones)].filter((entry) => entry !== state.me.phone).map(chatIdOfPhone);
			const group: ChatApiGroup = {
				chatId: idOf(created),
				name: body.groupName,
				participants,
				inviteLink: `https://chat.whatsapp.com/${inviteCode()}`,
				createdAt: created,
			};
			state.groups.push(group);
			if (body.messageText) sendOutgoing(state, { chatId: group.chatId, type: 'chat', text: body.messageText });
			return { json: { created: true, message: 'Group created', chatId: group.chatId, groupInviteLink: group.inviteLink } };
		},
	}),
];

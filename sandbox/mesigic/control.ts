/** Control routes under /__sandbox/mesigic: the IP whitelist, contacts made in the dashboard, a customer writes in. */
import { z } from 'zod';

import { SandboxError } from '../framework';
import { contactJson, conversationJson, messageJson, requireConversation, route } from './common';
import { changeConversationStatus, createContact, findContactByNumber, receiveInbound, type ConversationStatusValue } from './state';

export const controlRoutes = [
	route({
		method: 'GET',
		path: '/ip-whitelist',
		handle: ({ state }) => ({ json: { ips: state.ipWhitelist } }),
	}),
	route({
		method: 'PUT',
		path: '/ip-whitelist',
		body: z.object({ ips: z.array(z.string().min(1)).nullable() }).strict(),
		handle: ({ body, state }) => {
			state.ipWhitelist = body.ips;
			return { json: { ips: state.ipWhitelist } };
		},
	}),
	route({
		method: 'POST',
		path: '/contacts',
		body: z
			.object({
				firstname: z.string().min(1),
				lastname: z.string().optional(),
				mobile_code: z.string().regex(/^\d{1,4}$/),
				mobile: z.string().regex(/^\d{4,15}$/),
				city: z.string().optional(),
				state: z.string().optional(),
				post_code: z.string().optional(),
				address: z.string().optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			if (findContactByNumber(state, body.mobile_code, body.mobile)) {
				throw new SandboxError(409, 'conflict', [{ field: 'mobile', message: 'The mobile has already been taken.' }]);
			}
			return { status: 201, json: { contact: contactJson(createContact(state, body)) } };
		},
	}),
	route({
		method: 'POST',
		path: '/inbound',
		body: z
			.object({
				mobile_code: z.string().regex(/^\d{1,4}$/),
				mobile: z.string().regex(/^\d{4,15}$/),
				message: z.string().min(1),
				firstname: z.string().min(1).optional(),
				lastname: z.string().optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			const { contact, conversation, message } = receiveInbound(state, body);
			return {
				status: 201,
				json: {
					contact: contactJson(contact),
					conversation: conversationJson(state, conversation),
					message: messageJson(message),
				},
			};
		},
	}),
	route({
		method: 'POST',
		path: '/conversations/:conversation_id/status',
		body: z.object({ status: z.number().int().min(1).max(4) }).strict(),
		handle: ({ params, body, state }) => {
			const conversation = requireConversation(state, params.conversation_id!);
			changeConversationStatus(conversation, body.status as ConversationStatusValue);
			return { json: { conversation: conversationJson(state, conversation) } };
		},
	}),
];

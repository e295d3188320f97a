/**
 * Control routes under /__sandbox/chatapi: a contact writes (delivered as a webhook batch), acks,
 * any batch to any URL, the account status, flushing the queue.
 */
import { z } from 'zod';

import { notFound, SandboxError } from '../framework';
import { chatId, fieldsOf, nonEmpty, phone, recipientProblems, route } from './common';
import {
	ACCOUNT_STATUSES,
	ackMessages,
	chatIdOfPhone,
	chatIdProblem,
	deliverBatch,
	fileSourceProblem,
	filesUrlOf,
	flushQueue,
	isGroupChat,
	MESSAGE_TYPES,
	messageJson,
	receiveInbound,
} from './state';

const inboundBody = z
	.object({
		phone: phone.optional(),
		chatId: chatId.optional(),
		body: nonEmpty('body'),
		type: z.enum(MESSAGE_TYPES).optional(),
		senderName: nonEmpty('senderName').optional(),
		author: z.string().optional(),
		fromMe: z.boolean().optional(),
		caption: z.string().optional(),
		filename: nonEmpty('filename').optional(),
		time: z.number().int().min(0).optional(),
		deliver: z.boolean().optional(),
	})
	.strict();

export const controlRoutes = [
	route({
		method: 'POST',
		path: '/inbound',
		body: inboundBody,
		validate: (input) => {
			const fields = fieldsOf(input);
			const problems = recipientProblems(input);
			const type = fields.type ?? 'chat';
			const target = typeof fields.chatId === 'string' ? fields.chatId : undefined;
			if (target && isGroupChat(target) && fields.fromMe !== true) {
				if (typeof fields.author !== 'string') problems.push({ field: 'author', message: 'author (<digits>@c.us) is required for a group chat.' });
				else {
					const problem = chatIdProblem(fields.author, 'author');
					if (problem || isGroupChat(fields.author)) problems.push({ field: 'author', message: 'author must be <digits>@c.us.' });
				}
			} else if (fields.author !== undefined) {
				problems.push({ field: 'author', message: 'author is only for incoming group messages.' });
			}
			if (type !== 'chat' && type !== 'call_log' && typeof fields.body === 'string') {
				const problem = fileSourceProblem(fields.body);
				if (problem) problems.push({ field: 'body', message: `${problem} (a ${String(type)} message carries a file)` });
			}
			return problems;
		},
		handle: async ({ body, state, server }) => {
			const { deliver, phone: from, chatId: target, ...rest } = body;
			const message = receiveInbound(state, { ...rest, chatId: target ?? chatIdOfPhone(from!) });
			const json = messageJson(message, filesUrlOf(server));
			const notDelivered = deliver === false ? 'deliver: false' : state.webhookUrl === '' ? 'No webhook URL is set.' : null;
			const delivery = notDelivered ? null : await deliverBatch(server, { messages: [json] });
			return { status: 201, json: { message: json, delivery, notDelivered } };
		},
	}),

	route({
		method: 'POST',
		path: '/ack',
		body: z
			.object({
				messageIds: z.array(z.string().min(1)).min(1).optional(),
				status: z.enum(['delivered', 'viewed']),
				deliver: z.boolean().optional(),
			})
			.strict(),
		handle: async ({ body, state, server }) => {
			const acks = ackMessages(state, body.messageIds, body.status);
			const notDelivered =
				body.deliver === false
					? 'deliver: false'
					: !state.ackNotificationsOn
						? 'Ack notifications are off (POST /settings/ackNotificationsOn).'
						: state.webhookUrl === ''
							? 'No webhook URL is set.'
							: acks.length === 0
								? 'No message to acknowledge.'
								: null;
			const delivery = notDelivered ? null : await deliverBatch(server, { ack: acks });
			return { json: { acks, delivery, notDelivered } };
		},
	}),

	route({
		method: 'POST',
		path: '/deliver',
		body: z
			.object({
				batch: z.record(z.unknown()).optional(),
				messageIds: z.array(z.string().min(1)).optional(),
				acks: z.array(z.object({ id: z.string().min(1), status: z.enum(['delivered', 'viewed']) }).strict()).optional(),
				repeat: z.literal(true).optional(),
				url: z.string().url().optional(),
			})
			.strict()
			.superRefine((value, context) => {
				const modes = [value.batch !== undefined, value.messageIds !== undefined || value.acks !== undefined, value.repeat === true];
				if (modes.filter(Boolean).length !== 1) {
					context.addIssue({ code: 'custom', message: 'Give exactly one of batch, messageIds/acks or repeat: true.' });
				}
			}),
		handle: async ({ body, state, server }) => {
			let payload: unknown;
			let url = body.url ?? state.webhookUrl;
			if (body.repeat) {
				if (!state.lastBatch) throw new SandboxError(409, 'conflict', [{ message: 'No batch has been delivered yet.' }]);
				payload = state.lastBatch.body;
				url = body.url ?? state.lastBatch.url;
			} else if (body.batch) {
				payload = body.batch;
			} else {
				const filesUrl = filesUrlOf(server);
				const messages = (body.messageIds ?? []).map((id) => {
					const message = state.messages.find((entry) => entry.id === id);
					if (!message) throw notFound(`No message with id ${id}.`);
					return messageJson(message, filesUrl);
				});
				const acks = (body.acks ?? []).flatMap((ack) => ackMessages(state, [ack.id], ack.status));
				payload = { ...(messages.length ? { messages } : {}), ...(acks.length ? { ack: acks } : {}) };
			}
			if (url === '') throw new SandboxError(409, 'conflict', [{ message: 'No webhook URL is set: set one or give url.' }]);
			return { json: { delivery: await deliverBatch(server, payload, url) } };
		},
	}),

	route({
		method: 'POST',
		path: '/authenticate',
		body: z.object({}).strict(),
		handle: ({ state }) => {
			state.accountStatus = 'authenticated';
			return { json: { accountStatus: state.accountStatus } };
		},
	}),

	route({
		method: 'POST',
		path: '/logout',
		body: z.object({}).strict(),
		handle: ({ state }) => {
			state.accountStatus = 'got qr code';
			state.qrGeneration += 1;
			return { json: { accountStatus: state.accountStatus } };
		},
	}),

	route({
		method: 'PUT',
		path: '/account-status',
		body: z.object({ accountStatus: z.enum(ACCOUNT_STATUSES) }).strict(),
		handle: ({ body, state }) => {
			if (body.accountStatus === 'got qr code' && state.accountStatus !== 'got qr code') state.qrGeneration += 1;
			state.accountStatus = body.accountStatus;
			return { json: { accountStatus: state.accountStatus } };
		},
	}),

	route({
		method: 'POST',
		path: '/flush-queue',
		body: z.object({}).strict(),
		handle: ({ state }) => {
			const flushed = flushQueue(state);
			return { json: { flushed: flushed.length, ids: flushed.map((message) => message.id) } };
		},
	}),
];

/** Messages: send a text, send a file (URL, data URI or form-data upload), read messages; where file messages point. */
import { z } from 'zod';

import { isUploadedFile, notFound, type RouteResult, type UploadedFile } from '../framework';
import { chatId, checked, fieldsOf, nonEmpty, phone, recipientOf, recipientProblems, route, tokenOnly, type ApiPath } from './common';
import { fileFromBody, fileSourceProblem, filesUrlOf, messageJson, sendOutgoing } from './state';

const sendFileBody = z
	.object({
		phone: phone.optional(),
		chatId: chatId.optional(),
		body: nonEmpty('body').pipe(checked(fileSourceProblem)).optional(),
		filename: nonEmpty('filename').max(255, 'filename must be at most 255 characters.'),
		caption: z.string().optional(),
	})
	.strict();

export const messageRoutes = (api: ApiPath) => [
	route({
		method: 'POST',
		path: api('/sendMessage'),
		query: tokenOnly,
		body: z.object({ phone: phone.optional(), chatId: chatId.optional(), body: nonEmpty('body') }).strict(),
		validate: recipientProblems,
		handle: ({ body, state }) => {
			const target = recipientOf(body);
			const message = sendOutgoing(state, { chatId: target, type: 'chat', text: body.body });
			return { json: { sent: true, message: `Sent to ${target}`, id: message.id, queueNumber: message.queueNumber } };
		},
	}),

	route({
		method: 'POST',
		path: api('/sendFile'),
		accepts: ['json', 'multipart'],
		query: tokenOnly,
		body: sendFileBody,
		files: z.object({ body: z.custom<UploadedFile>(isUploadedFile, 'body must be a file.').optional() }).strict(),
		validate: (input) => {
			const problems = recipientProblems(input);
			const text = fieldsOf(input).body;
			const upload = input.files.body;
			if (text === undefined && upload === undefined) {
				problems.push({ field: 'body', message: 'body is required: an http(s) URL, a data URI (data:<mime>;base64,<data>) or a file in form-data.' });
			}
			if (text !== undefined && upload !== undefined) problems.push({ field: 'body', message: 'Give body as text or as a file, not both.' });
			if (Array.isArray(upload)) problems.push({ field: 'body', message: 'Send one file per request.' });
			return problems;
		},
		handle: ({ body, files, state }) => {
			const target = recipientOf(body);
			const file = fileFromBody(state, body.body ?? files.body!, body.filename);
			const message = sendOutgoing(state, { chatId: target, type: file.type, file: file.name, caption: body.caption });
			return { json: { sent: true, message: `Sent to ${target}`, id: message.id, queueNumber: message.queueNumber } };
		},
	}),

	route({
		method: 'GET',
		path: api('/messages'),
		query: z
			.object({
				token: z.unknown().optional(),
				lastMessageNumber: z
					.string()
					.regex(/^\d+$/, 'lastMessageNumber must be a whole number (0 or more).')
					.transform(Number)
					.optional(),
				last: z
					.enum(['', '1', 'true', '0', 'false'], {
						errorMap: () => ({ message: 'last takes no value (or 1/true, 0/false).' }),
					})
					.optional(),
			})
			.strict(),
		handle: ({ query, state, server }) => {
			const last = query.last !== undefined && query.last !== '0' && query.last !== 'false';
			const after = query.lastMessageNumber ?? 0;
			const ordered = [...state.messages].sort((a, b) => a.messageNumber - b.messageNumber);
			const selected = last ? ordered.slice(-100) : ordered.filter((message) => message.messageNumber > after).slice(0, 100);
			const filesUrl = filesUrlOf(server);
			return {
				json: {
					messages: selected.map((message) => messageJson(message, filesUrl)),
					lastMessageNumber: selected.length ? selected.at(-1)!.messageNumber : last ? 0 : after,
				},
			};
		},
	}),

	// Where file messages' bodies point; public, like the provider's file storage links.
	route({
		method: 'GET',
		path: api('/files/:name'),
		auth: false,
		handle: ({ params, state }): RouteResult => {
			const file = state.files[params.name!];
			if (!file) throw notFound('File not found.');
			if (file.url) return { status: 302, headers: { location: file.url }, body: '', contentType: 'text/plain' };
			return {
				body: file.buffer!,
				contentType: file.contentType,
				headers: { 'content-disposition': `inline; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"` },
			};
		},
	}),
];

/** Messages: send (text, media files, location, CTA URL, interactive list) and send a template. */
import { z } from 'zod';

import type { Problem, RawInput } from '../framework';
import { decimal, file, formFields, integer, text, uploadOnly } from '../laravel';
import { api, existsProblem, MESIGIC_FILE_RULES, fieldsOf, fromNumberProblems, given, messageJson, noFiles, optional, recipientShape, route, senderOf, success } from './common';
import { addMessage, outboundConversation, type MesigicState, type MessageType } from './state';

const sendMessageBody = formFields({
	...recipientShape,
	message: optional(text(4096)),
	latitude: optional(decimal(-90, 90)),
	longitude: optional(decimal(-180, 180)),
	cta_url_id: optional(integer({ min: 1 })),
	interactive_list_id: optional(integer({ min: 1 })),
	image: uploadOnly,
	document: uploadOnly,
	video: uploadOnly,
	audio: uploadOnly,
});
const sendMessageFiles = z
	.object({
		image: file(MESIGIC_FILE_RULES.image).optional(),
		document: file(MESIGIC_FILE_RULES.document).optional(),
		video: file(MESIGIC_FILE_RULES.video).optional(),
		audio: file(MESIGIC_FILE_RULES.audio).optional(),
	})
	.strict();

const ATTACHMENT_FILES = ['image', 'document', 'video', 'audio'] as const;

function sendMessageProblems(input: RawInput, state: MesigicState): Problem[] {
	const fields = fieldsOf(input);
	const problems: Problem[] = [];
	const hasLatitude = given(fields.latitude);
	const hasLongitude = given(fields.longitude);
	const contents = [
		...ATTACHMENT_FILES.filter((name) => input.files[name] !== undefined),
		...(hasLatitude || hasLongitude ? ['location'] : []),
		...(['cta_url_id', 'interactive_list_id'] as const).filter((name) => given(fields[name])),
	];
	if (!given(fields.message) && contents.length === 0) {
		problems.push({
			field: 'message',
			message:
				'The message field is required when none of image / document / video / audio / latitude / longitude / cta url id / interactive list id are present.',
		});
	}
	if (hasLatitude && !hasLongitude) {
		problems.push({ field: 'longitude', message: 'The longitude field is required when latitude is present.' });
	}
	if (hasLongitude && !hasLatitude) {
		problems.push({ field: 'latitude', message: 'The latitude field is required when longitude is present.' });
	}
	if (contents.length > 1) {
		problems.push({
			message: `Only one of image, document, video, audio, location, cta url id or interactive list id can be sent in one message; got ${contents.join(', ')}.`,
		});
	}
	problems.push(
		...fromNumberProblems(state, fields.from_number),
		...existsProblem(state.ctaUrls, fields.cta_url_id, 'cta_url_id'),
		...existsProblem(state.interactiveLists, fields.interactive_list_id, 'interactive_list_id'),
	);
	return problems;
}

export const messageRoutes = [
	route({
		method: 'POST',
		path: api('/inbox/send-message'),
		body: sendMessageBody,
		files: sendMessageFiles,
		validate: sendMessageProblems,
		handle: ({ body, files, state }) => {
			const attachment = ATTACHMENT_FILES.find((name) => files[name] !== undefined);
			const type: MessageType = attachment
				? attachment
				: body.latitude != null
					? 'location'
					: body.cta_url_id != null || body.interactive_list_id != null
						? 'interactive'
						: 'text';
			const upload = attachment ? files[attachment]! : undefined;
			const conversation = outboundConversation(state, body);
			const message = addMessage(state, conversation, {
				direction: 'outbound',
				type,
				message: body.message ?? null,
				from_number: senderOf(state, body.from_number),
				details: {
					...(upload && {
						file: { field: attachment, filename: upload.filename, contentType: upload.contentType, size: upload.size },
					}),
					...(type === 'location' && { latitude: body.latitude, longitude: body.longitude }),
					...(body.cta_url_id != null && { cta_url_id: body.cta_url_id }),
					...(body.interactive_list_id != null && { interactive_list_id: body.interactive_list_id }),
				},
			});
			return success('message_sent', 'Message sent successfully', { message: messageJson(message) });
		},
	}),

	route({
		method: 'POST',
		path: api('/inbox/send-template-message'),
		body: formFields({ ...recipientShape, template_id: integer({ min: 1 }) }),
		files: noFiles,
		validate: (input, state) => {
			const fields = fieldsOf(input);
			const problems = fromNumberProblems(state, fields.from_number);
			const templateId = fields.template_id;
			if (typeof templateId === 'string' && /^\s*\d+\s*$/.test(templateId)) {
				const template = state.templates.find((entry) => entry.id === Number(templateId));
				if (!template) problems.push({ field: 'template_id', message: 'The selected template id is invalid.' });
				else if (template.status !== 'APPROVED') {
					problems.push({
						field: 'template_id',
						message: `The selected template is not approved (status ${template.status}).`,
					});
				}
			}
			return problems;
		},
		handle: ({ body, state }) => {
			const template = state.templates.find((entry) => entry.id === body.template_id)!;
			const conversation = outboundConversation(state, body);
			const message = addMessage(state, conversation, {
				direction: 'outbound',
				type: 'template',
				message: template.body,
				from_number: senderOf(state, body.from_number),
				details: { template_id: template.id, template_name: template.name },
			});
			return success('template_message_sent', 'Template message sent successfully', {
				message: messageJson(message),
			});
		},
	}),
];

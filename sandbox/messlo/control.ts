/**
 * Control routes under /__sandbox/messlo: what happens on the customer's and Meta's side, which no
 * API call can cause: a customer writes in, Meta decides on a template, a scheduled campaign's time
 * comes.
 */
import { z } from 'zod';

import { SandboxError } from '../framework';
import { MEDIA_KINDS, missing, nonEmpty, route } from './common';
import { runCampaign } from './campaigns';
import { sessionOfLoginText, verifyLogin } from './login';
import { digitsOf, receiveInbound, type Template } from './state';
import { chatJson, contactJson, messageJson } from './views';

const inboundSpec = z
	.object({
		from: z.string().refine((value) => /^\d{7,15}$/.test(digitsOf(value)), 'from must be the customer\'s phone number with country code.'),
		name: z.string().optional(),
		to: z.string().optional(),
		type: z.enum(['text', ...MEDIA_KINDS, 'location']).default('text'),
		text: z.string().optional(),
		mediaUrl: z.string().url().optional(),
		latitude: z.number().optional(),
		longitude: z.number().optional(),
		at: z
			.string()
			.refine((value) => !Number.isNaN(Date.parse(value)), 'at must be an ISO-8601 time.')
			.optional(),
		hoursAgo: z.number().min(0).optional(),
	})
	.strict()
	.refine((spec) => spec.at === undefined || spec.hoursAgo === undefined, 'Give at or hoursAgo, not both.');

export const controlRoutes = [
	// A customer writes in: the contact (new or known), the chat and its 24-hour window, the message.
	route({
		method: 'POST',
		path: '/inbound',
		body: inboundSpec,
		handle: ({ body, state }) => {
			const { hoursAgo, at, ...spec } = body;
			if (spec.to !== undefined && !state.phoneNumbers.some((phone) => phone.phone_number === digitsOf(spec.to!))) {
				throw missing(`to: no business number ${spec.to} (the numbers: ${state.phoneNumbers.map((phone) => phone.phone_number).join(', ')}).`);
			}
			const when = hoursAgo !== undefined ? new Date(Date.now() - hoursAgo * 3_600_000).toISOString() : at && new Date(at).toISOString();
			const { contact, chat, message } = receiveInbound(state, { ...spec, at: when });
			// Messlo reads a `LOGIN <code>` message before anything else: it verifies a login session.
			const session = sessionOfLoginText(state, message.message, message.to);
			if (session) verifyLogin(session, { phone: message.from, name: contact.name });
			return {
				status: 201,
				json: { contact: contactJson(contact), chat: chatJson(state, chat), message: messageJson(message), ...(session ? { login: { sessionId: session.sessionId, status: session.status } } : {}) },
			};
		},
	}),

	// Meta's verdict on a template: now (`status`), or at the next sync-status (`review`).
	route({
		method: 'POST',
		path: '/template-status',
		body: z
			.object({
				template_id: z.string().optional(),
				template_name: nonEmpty('template_name').optional(),
				status: z.enum(['APPROVED', 'PENDING', 'REJECTED']).optional(),
				review: z.enum(['APPROVED', 'REJECTED']).optional(),
				reason: z.string().optional(),
			})
			.strict()
			.refine((body) => (body.template_id === undefined) !== (body.template_name === undefined), 'Give template_id or template_name.')
			.refine((body) => body.status !== undefined || body.review !== undefined, 'Give status (now) or review (at the next sync-status).'),
		handle: ({ body, state }) => {
			const found: Template[] = state.templates.filter((template) => template._id === body.template_id || template.template_name === body.template_name);
			if (found.length === 0) throw missing(`No template ${body.template_id ?? body.template_name}.`);
			for (const template of found) {
				if (body.review) template.review_outcome = body.review;
				if (body.status) {
					template.status = body.status;
					template.rejected_reason = body.status === 'REJECTED' ? (body.reason ?? 'INVALID_FORMAT') : null;
					template.updated_at = new Date().toISOString();
				}
			}
			return { json: { templates: found.map((template) => ({ _id: template._id, template_name: template.template_name, status: template.status, review: template.review_outcome })) } };
		},
	}),

	// Scheduled campaigns whose time has come (or all of them with `all: true`) are sent.
	route({
		method: 'POST',
		path: '/campaigns/run-due',
		body: z.object({ all: z.boolean().optional() }).strict(),
		handle: ({ body, state }) => {
			const due = state.campaigns.filter(
				(campaign) => campaign.status === 'scheduled' && (body.all || (campaign.scheduled_at !== null && Date.parse(campaign.scheduled_at) <= Date.now())),
			);
			for (const campaign of due) runCampaign(state, campaign);
			return { json: { sent: due.map((campaign) => ({ _id: campaign._id, name: campaign.name, stats: campaign.stats })) } };
		},
	}),

	// A message's delivery moves on (sent → delivered → read), or it fails.
	route({
		method: 'POST',
		path: '/message-status',
		body: z.object({ message_id: nonEmpty('message_id'), status: z.enum(['delivered', 'read', 'failed']) }).strict(),
		handle: ({ body, state }) => {
			const message = state.messages.find((entry) => entry._id === body.message_id || entry.wamid === body.message_id);
			if (!message) throw missing(`No message ${body.message_id}.`);
			if (message.direction !== 'outbound') throw new SandboxError(409, 'conflict', [{ message: 'Only outbound messages have a delivery status.' }]);
			message.status = body.status;
			return { json: { message: messageJson(message) } };
		},
	}),
];

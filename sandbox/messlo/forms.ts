/**
 * WhatsApp Flow forms (rows 65–67, and GET /api/forms/:id of Messlo's client). Saving a form makes
 * its Meta Flow (a draft, with Meta's `flow.flow_id`, which automation `form_flow` nodes use);
 * publishing makes it usable in WhatsApp.
 */
import { z } from 'zod';

import { missing, newestFirst, nonEmpty, ok, page, pageQuery, requireConnection, route } from './common';
import { newId, nowIso, type Form, type MessloState } from './state';
import { recordJson } from './views';

const field = z
	.object({
		type: nonEmpty('fields[].type'),
		label: nonEmpty('fields[].label'),
		id: z.string().optional(),
		name: z.string().optional(),
		required: z.boolean().optional(),
		step: z.number().int().min(0).optional(),
		order: z.number().int().min(0).optional(),
		options: z.array(z.record(z.unknown())).optional(),
	})
	// Messlo's client passes a field's other keys through.
	.passthrough();

function requireForm(state: MessloState, id: string): Form {
	const form = state.forms.find((entry) => entry._id === id);
	if (!form) throw missing(`No form ${id}.`, 'FORM_NOT_FOUND');
	return form;
}

export const formRoutes = [
	// Row 65
	route({
		method: 'GET',
		path: '/api/forms',
		query: z
			.object({ ...pageQuery(20, 100), waba_id: nonEmpty('waba_id'), search: z.string().optional(), meta_status: z.string().optional(), category: z.string().optional() })
			.strict(),
		handle: ({ query, state }) => {
			const connection = requireConnection(state, query.waba_id);
			const found = state.forms.filter(
				(form) =>
					form.connection_id === connection._id &&
					(!query.search || form.name.toLowerCase().includes(query.search.toLowerCase())) &&
					(!query.meta_status || form.meta_status === query.meta_status.toUpperCase()) &&
					(!query.category || form.category === query.category.toUpperCase()),
			);
			return { json: page(newestFirst(found, (form) => form.created_at), query, recordJson) };
		},
	}),

	route({
		method: 'GET',
		path: '/api/forms/:id',
		query: z.object({}).strict(),
		handle: ({ params, state }) => ({ json: ok(recordJson(requireForm(state, params.id!))) }),
	}),

	// Row 66
	route({
		method: 'POST',
		path: '/api/forms',
		body: z
			.object({
				waba_id: nonEmpty('waba_id'),
				name: nonEmpty('name', 128),
				category: nonEmpty('category').default('CUSTOM'),
				description: z.string().optional(),
				fields: z.array(field).min(1, 'fields must hold at least one field.'),
				is_active: z.boolean().optional(),
				submit_settings: z.record(z.unknown()).optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			const connection = requireConnection(state, body.waba_id);
			const _id = newId(state);
			const form: Form = {
				_id,
				connection_id: connection._id,
				name: body.name,
				category: body.category.toUpperCase(),
				description: body.description ?? '',
				fields: body.fields,
				is_active: body.is_active ?? true,
				submit_settings: body.submit_settings ?? {},
				meta_status: 'DRAFT',
				flow: { flow_id: String(BigInt(`0x${_id.slice(-12)}`) + 1_000_000_000_000_000n), status: 'DRAFT' },
				created_at: nowIso(),
			};
			state.forms.push(form);
			return { status: 201, json: ok(recordJson(form), { message: 'Form created; publish it before use' }) };
		},
	}),

	// Row 67: no body
	route({
		method: 'PATCH',
		path: '/api/forms/:id/publish',
		body: z.object({}).strict(),
		handle: ({ params, state }) => {
			const form = requireForm(state, params.id!);
			form.meta_status = 'PUBLISHED';
			form.flow.status = 'PUBLISHED';
			return { json: ok(recordJson(form), { message: 'Form published' }) };
		},
	}),
];

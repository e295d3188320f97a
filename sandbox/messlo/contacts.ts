/** Contacts (rows 10, 11, 58, and GET /api/contacts/:id of Messlo's client). */
import { z } from 'zod';

import { SandboxError } from '../framework';
import { conflict, email, invalidField, matches, missing, newestFirst, nonEmpty, objectId, ok, page, pageQuery, phoneE164, route } from './common';
import { createContact, digitsOf, findContactByPhone, nowIso, OBJECT_ID, type Contact, type MessloState } from './state';
import { contactJson } from './views';

export function requireContact(state: MessloState, id: string, field = 'id'): Contact {
	if (!OBJECT_ID.test(id)) throw invalidField(field, `${field} must be a Messlo id (24 hexadecimal characters).`);
	const contact = state.contacts.find((entry) => entry._id === id);
	if (!contact) throw missing(`No contact ${id} in this workspace.`, 'CONTACT_NOT_FOUND');
	return contact;
}

function duplicateCheck(state: MessloState, phone: string, except?: Contact): void {
	const existing = findContactByPhone(state, phone);
	if (existing && existing !== except) throw conflict(`A contact with phone number ${phone} already exists (${existing._id}).`, 'CONTACT_EXISTS');
}

export const contactRoutes = [
	// Row 10: newest first
	route({
		method: 'GET',
		path: '/api/contacts',
		query: z.object({ ...pageQuery(20, 100), search: z.string().optional() }).strict(),
		handle: ({ query, state }) => {
			const found = state.contacts.filter((contact) => matches(query.search, contact.name, contact.phone_number, contact.email));
			return { json: page(newestFirst(found, (contact) => contact.created_at), query, contactJson) };
		},
	}),

	route({
		method: 'GET',
		path: '/api/contacts/:id',
		query: z.object({}).strict(),
		handle: ({ params, state }) => ({ json: ok(contactJson(requireContact(state, params.id!))) }),
	}),

	// Row 11
	route({
		method: 'POST',
		path: '/api/contacts',
		body: z
			.object({
				phone_number: phoneE164('phone_number'),
				name: nonEmpty('name', 256).optional(),
				email: email('email').optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			duplicateCheck(state, body.phone_number);
			const contact = createContact(state, {
				phone_number: body.phone_number.startsWith('+') ? body.phone_number : `+${digitsOf(body.phone_number)}`,
				name: body.name,
				email: body.email,
				source: 'api',
			});
			return { status: 201, json: ok(contactJson(contact), { message: 'Contact created successfully' }) };
		},
	}),

	// Row 58: only the fields given change; tags and segments replace the lists
	route({
		method: 'PUT',
		path: '/api/contacts/:id',
		body: z
			.object({
				name: nonEmpty('name', 256).optional(),
				email: email('email').optional(),
				phone_number: phoneE164('phone_number').optional(),
				custom_fields: z.record(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
				tags: z.array(objectId('tags[]')).optional(),
				segments: z.array(objectId('segments[]')).optional(),
			})
			.strict(),
		handle: ({ params, body, state }) => {
			const contact = requireContact(state, params.id!);
			if (Object.keys(body).length === 0) {
				throw new SandboxError(400, 'validation', [{ message: 'Give at least one field to update: name, email, phone_number, custom_fields, tags or segments.' }]);
			}
			if (body.phone_number !== undefined) duplicateCheck(state, body.phone_number, contact);
			for (const key of Object.keys(body.custom_fields ?? {})) {
				if (!state.customFields.some((field) => field.name === key)) {
					throw invalidField(`custom_fields.${key}`, `custom_fields.${key}: no custom field is named ${key} (GET /api/custom-fields lists their names).`);
				}
			}
			for (const id of body.tags ?? []) {
				if (!state.tags.some((tag) => tag._id === id)) throw invalidField('tags', `tags: no tag ${id} in this workspace.`);
			}
			for (const id of body.segments ?? []) {
				if (!state.segments.some((segment) => segment._id === id)) throw invalidField('segments', `segments: no segment ${id} in this workspace.`);
			}
			if (body.name !== undefined) contact.name = body.name;
			if (body.email !== undefined) contact.email = body.email;
			if (body.phone_number !== undefined) contact.phone_number = body.phone_number.startsWith('+') ? body.phone_number : `+${body.phone_number}`;
			if (body.custom_fields) contact.custom_fields = { ...contact.custom_fields, ...body.custom_fields };
			if (body.tags) contact.tags = [...new Set(body.tags)];
			if (body.segments) contact.segments = [...new Set(body.segments)];
			contact.updated_at = nowIso();
			return { json: ok(contactJson(contact), { message: 'Contact updated successfully' }) };
		},
	}),
];

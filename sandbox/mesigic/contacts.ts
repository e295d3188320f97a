/** Contacts: list, create, update (with a profile image), delete; and where profile images are served. */
import { z } from 'zod';

import { extensionOf, invalid, notFound, type UploadedFile } from '../framework';
import { file, formFields, paginate, text, uploadOnly } from '../laravel';
import { api, contactJson, MESIGIC_FILE_RULES, duplicateMobileProblem, fieldsOf, mobile, mobileCode, optional, page, perPage, requireContact, route, success } from './common';
import { byNewest, createContact, nextId, now, type MesigicContact, type MesigicState } from './state';

const contactShape = {
	firstname: text(),
	lastname: text(),
	mobile_code: mobileCode,
	mobile,
	city: optional(text()),
	state: optional(text()),
	post_code: optional(text(20)),
	address: optional(text(500)),
	profile_image: uploadOnly,
};
const contactFiles = z.object({ profile_image: file(MESIGIC_FILE_RULES.profile_image).optional() }).strict();

const contactUpdateShape = {
	...contactShape,
	// "sometimes|required": may be left out, may not be blanked.
	firstname: contactShape.firstname.optional(),
	lastname: contactShape.lastname.optional(),
	mobile_code: contactShape.mobile_code.optional(),
	mobile: contactShape.mobile.optional(),
};

function storeProfileImage(state: MesigicState, contact: MesigicContact, image: UploadedFile, baseUrl: string): void {
	const extension = extensionOf(image.filename);
	const suffix = ['jpg', 'jpeg', 'png'].includes(extension) ? extension : image.contentType === 'image/png' ? 'png' : 'jpg';
	const name = `${contact.id}_${nextId(state, 'image')}.${suffix}`;
	state.profileImages[name] = { contentType: image.contentType, buffer: image.buffer };
	contact.profile_image = `${baseUrl}/assets/images/contact/${name}`;
}

export const contactRoutes = [
	route({
		method: 'GET',
		path: api('/contact/list'),
		query: formFields({ page, paginate: perPage, search: optional(text()) }),
		handle: ({ query, state, server }) => {
			const term = query.search?.trim().toLowerCase() ?? '';
			const phoneTerm = /^[+\d\s().-]+$/.test(term) ? term.replace(/\D/g, '') : '';
			const contacts = byNewest(state.contacts).filter(
				(contact) =>
					term === '' ||
					[contact.firstname, contact.lastname ?? '', contact.mobile].some((value) =>
						value.toLowerCase().includes(term),
					) ||
					(phoneTerm !== '' && `${contact.mobile_code}${contact.mobile}`.includes(phoneTerm)),
			);
			const listing = paginate(contacts.map(contactJson), {
				page: query.page ?? 1,
				perPage: query.paginate ?? 20,
				path: `${server.apiUrl}/contact/list`,
				keep: { paginate: query.paginate ?? undefined, search: query.search ?? undefined },
			});
			return success('contact_list', 'Contact list fetched successfully', { contacts: listing });
		},
	}),

	route({
		method: 'POST',
		path: api('/contact/store'),
		body: formFields(contactShape),
		files: contactFiles,
		validate: (input, state) => {
			const fields = fieldsOf(input);
			return duplicateMobileProblem(state, fields.mobile_code, fields.mobile);
		},
		handle: ({ body, files, state, server }) => {
			const { profile_image: _ignored, ...fields } = body;
			const contact = createContact(state, fields);
			if (files.profile_image) storeProfileImage(state, contact, files.profile_image, server.url);
			return success('contact_created', 'Contact created successfully', { contact: contactJson(contact) });
		},
	}),

	route({
		method: 'POST',
		path: api('/contact/update/:id'),
		body: formFields(contactUpdateShape),
		files: contactFiles,
		validate: (input, state) => {
			const contact = requireContact(state, input.params.id!);
			const fields = fieldsOf(input);
			const changes = Object.keys(fields).length + Object.keys(input.files).length;
			return [
				...(changes === 0
					? [
							{
								message:
									'At least one field is required: firstname, lastname, mobile_code, mobile, city, state, post_code, address or profile_image.',
							},
						]
					: []),
				...duplicateMobileProblem(
					state,
					fields.mobile_code ?? contact.mobile_code,
					fields.mobile ?? contact.mobile,
					contact.id,
				),
			];
		},
		handle: ({ params, body, files, state, server }) => {
			const contact = requireContact(state, params.id!);
			const { profile_image: _ignored, ...fields } = body;
			for (const [key, value] of Object.entries(fields)) {
				if (value !== undefined) Object.assign(contact, { [key]: value });
			}
			if (files.profile_image) storeProfileImage(state, contact, files.profile_image, server.url);
			contact.updated_at = now();
			return success('contact_updated', 'Contact updated successfully', { contact: contactJson(contact) });
		},
	}),

	route({
		method: 'DELETE',
		path: api('/contact/delete/:id'),
		handle: ({ params, state }) => {
			const contact = requireContact(state, params.id!);
			if (contact.is_blocked) {
				throw invalid(['Blocked contacts cannot be deleted.'], 422, 'contact_delete_restricted');
			}
			if (state.messages.some((message) => message.contact_id === contact.id)) {
				throw invalid(['This contact has messages and cannot be deleted.'], 422, 'contact_delete_restricted');
			}
			state.contacts = state.contacts.filter((entry) => entry !== contact);
			state.conversations = state.conversations.filter((entry) => entry.contact_id !== contact.id);
			return success('contact_deleted', 'Contact deleted successfully', null);
		},
	}),

	// Where profile_image URLs point (public, like the real site's asset folder).
	route({
		method: 'GET',
		path: '/assets/images/contact/:file',
		auth: false,
		handle: ({ params, state }) => {
			const image = state.profileImages[params.file!];
			if (!image) throw notFound('Image not found');
			return { body: image.buffer, contentType: image.contentType };
		},
	}),
];

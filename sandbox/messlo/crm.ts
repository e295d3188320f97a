/** CRM (rows 53–57): segments, tags, custom fields. Tags also fill the node's tag lists. */
import { z } from 'zod';

import { conflict, matches, newestFirst, nonEmpty, ok, page, pageQuery, route } from './common';
import { newId, nowIso } from './state';
import { customFieldJson, segmentJson, tagJson } from './views';

const listQuery = z.object({ ...pageQuery(50, 100), search: z.string().optional() }).strict();

export const crmRoutes = [
	// Row 53
	route({
		method: 'GET',
		path: '/api/segments',
		query: listQuery,
		handle: ({ query, state }) => {
			const found = state.segments.filter((segment) => matches(query.search, segment.name, segment.description));
			return { json: page(newestFirst(found, (segment) => segment.created_at), query, segmentJson) };
		},
	}),

	// Row 54
	route({
		method: 'POST',
		path: '/api/segments',
		body: z.object({ name: nonEmpty('name', 128), description: z.string().max(512, 'description must be at most 512 characters.').optional() }).strict(),
		handle: ({ body, state }) => {
			if (state.segments.some((segment) => segment.name.toLowerCase() === body.name.toLowerCase())) throw conflict(`A segment named ${body.name} already exists.`, 'SEGMENT_EXISTS');
			const segment = { _id: newId(state), name: body.name, description: body.description ?? '', created_at: nowIso() };
			state.segments.push(segment);
			return { status: 201, json: ok(segmentJson(segment), { message: 'Segment created successfully' }) };
		},
	}),

	// Row 55
	route({
		method: 'GET',
		path: '/api/tags',
		query: listQuery,
		handle: ({ query, state }) => {
			const found = state.tags.filter((tag) => matches(query.search, tag.label));
			return { json: page(newestFirst(found, (tag) => tag.created_at), query, (tag) => tagJson(state, tag)) };
		},
	}),

	// Row 56: the tag's name is `label`
	route({
		method: 'POST',
		path: '/api/tags',
		body: z
			.object({ label: nonEmpty('label', 64), color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must be a hex colour such as #e11d48.').optional() })
			.strict(),
		handle: ({ body, state }) => {
			if (state.tags.some((tag) => tag.label.toLowerCase() === body.label.toLowerCase())) throw conflict(`A tag labelled ${body.label} already exists.`, 'TAG_EXISTS');
			const tag = { _id: newId(state), label: body.label, color: body.color ?? '#64748b', created_at: nowIso() };
			state.tags.push(tag);
			return { status: 201, json: ok(tagJson(state, tag), { message: 'Tag created successfully' }) };
		},
	}),

	// Row 57: each field's `name` is its key in a contact's custom_fields
	route({
		method: 'GET',
		path: '/api/custom-fields',
		query: z.object(pageQuery(50, 100)).strict(),
		handle: ({ query, state }) => ({ json: page(newestFirst(state.customFields, (field) => field.created_at), query, customFieldJson) }),
	}),
];

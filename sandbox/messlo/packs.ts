/**
 * Industry packs (rows 68–70): the public catalog and previews (no API key needed), and applying a
 * pack, which adds its tags, segments, custom fields and flows to the workspace (what exists stays).
 */
import { z } from 'zod';

import { missing, nonEmpty, ok, route } from './common';
import { newId, nowIso, type MessloState } from './state';

interface Pack {
	slug: string;
	name: string;
	description: string;
	tags: string[];
	segments: string[];
	custom_fields: Array<{ name: string; label: string; type: 'text' | 'number' | 'date' | 'select' }>;
	flows: Array<{ name: string; greeting: string }>;
}

export const INDUSTRY_PACKS: readonly Pack[] = [
	{
		slug: 'real_estate_builder',
		name: 'Real estate builder',
		description: 'Site visits, project brochures and lead qualification for {{company_name}} in {{city}}.',
		tags: ['Hot lead', 'Site visit booked'],
		segments: ['Enquired this month'],
		custom_fields: [
			{ name: 'budget', label: 'Budget', type: 'number' },
			{ name: 'preferred_project', label: 'Preferred project', type: 'text' },
		],
		flows: [{ name: 'Project enquiry', greeting: 'Welcome to {{company_name}}! Which project in {{city}} interests you?' }],
	},
	{
		slug: 'school',
		name: 'School',
		description: 'Admissions, fee reminders and notices for {{company_name}}.',
		tags: ['Parent', 'Admission enquiry'],
		segments: ['Current parents'],
		custom_fields: [{ name: 'student_class', label: 'Class', type: 'text' }],
		flows: [{ name: 'Admissions', greeting: 'Welcome to {{company_name}} admissions.' }],
	},
	{
		slug: 'ngo',
		name: 'NGO',
		description: 'Donations, volunteers and campaign updates for {{company_name}}.',
		tags: ['Donor', 'Volunteer'],
		segments: ['Monthly donors'],
		custom_fields: [{ name: 'donation_interest', label: 'Cause', type: 'text' }],
		flows: [{ name: 'Donate', greeting: 'Thank you for supporting {{company_name}}!' }],
	},
];

const personalize = (text: string, values: Record<string, string>) =>
	text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);

function requirePack(slug: string): Pack {
	const pack = INDUSTRY_PACKS.find((entry) => entry.slug === slug);
	if (!pack) throw missing(`No industry pack ${slug} (GET /api/industry-packs/public lists them).`, 'PACK_NOT_FOUND');
	return pack;
}

function packJson(pack: Pack, values: Record<string, string> = {}) {
	return {
		slug: pack.slug,
		name: pack.name,
		description: personalize(pack.description, values),
		tags: pack.tags,
		segments: pack.segments,
		custom_fields: pack.custom_fields,
		flows: pack.flows.map((flow) => ({ name: flow.name, greeting: personalize(flow.greeting, values) })),
	};
}

/** Adds what the workspace lacks of a pack; returns how many of each it added. */
function applyPack(state: MessloState, pack: Pack, values: Record<string, string>) {
	const at = nowIso();
	const created = { tags: 0, segments: 0, custom_fields: 0, flows: 0 };
	for (const label of pack.tags) {
		if (state.tags.some((tag) => tag.label === label)) continue;
		state.tags.push({ _id: newId(state), label, color: '#64748b', created_at: at });
		created.tags += 1;
	}
	for (const name of pack.segments) {
		if (state.segments.some((segment) => segment.name === name)) continue;
		state.segments.push({ _id: newId(state), name, description: `From the ${pack.name} pack`, created_at: at });
		created.segments += 1;
	}
	for (const field of pack.custom_fields) {
		if (state.customFields.some((entry) => entry.name === field.name)) continue;
		state.customFields.push({ _id: newId(state), ...field, required: false, options: [], created_at: at });
		created.custom_fields += 1;
	}
	for (const flow of pack.flows) {
		if (state.flows.some((entry) => entry.name === flow.name)) continue;
		state.flows.push({
			_id: newId(state),
			name: flow.name,
			description: `From the ${pack.name} pack`,
			nodes: [
				{ id: 'trigger_1', type: 'trigger', position: { x: 0, y: 0 }, parameters: { event_type: 'message_received' } },
				{ id: 'send_1', type: 'send_message', position: { x: 240, y: 0 }, parameters: { recipient: '{{senderNumber}}', message_body: personalize(flow.greeting, values) } },
			],
			connections: [{ id: 'c1', source: 'trigger_1', target: 'send_1', sourceHandle: 'src', targetHandle: 'tgt' }],
			triggers: [{ event_type: 'message_received', conditions: {} }],
			settings: {},
			is_active: false,
			created_at: at,
			updated_at: at,
		});
		created.flows += 1;
	}
	if (!state.appliedPacks.includes(pack.slug)) state.appliedPacks.push(pack.slug);
	return created;
}

export const packRoutes = [
	// Row 68: public
	route({
		method: 'GET',
		path: '/api/industry-packs/public',
		auth: false,
		query: z.object({}).strict(),
		handle: () => ({ json: ok(INDUSTRY_PACKS.map((pack) => packJson(pack))) }),
	}),

	// Row 69: public; any query parameter is a personalization value
	route({
		method: 'GET',
		path: '/api/industry-packs/public/:slug/preview',
		auth: false,
		query: z.record(z.string({ invalid_type_error: 'Personalization values are plain text.' })),
		handle: ({ params, query }) => ({ json: ok(packJson(requirePack(params.slug!), query)) }),
	}),

	// Row 70
	route({
		method: 'POST',
		path: '/api/industry-packs/apply',
		body: z
			.object({
				pack_slug: nonEmpty('pack_slug'),
				personalization: z.record(z.string()).optional(),
				setup_overrides: z
					.object({ projects: z.array(z.unknown()).optional(), property_types: z.array(z.unknown()).optional(), integrations: z.record(z.unknown()).optional() })
					.strict()
					.optional(),
			})
			.strict(),
		handle: ({ body, state }) => {
			const pack = requirePack(body.pack_slug);
			const created = applyPack(state, pack, body.personalization ?? {});
			return { json: ok({ pack_slug: pack.slug, created, setup_overrides: body.setup_overrides ?? {} }, { message: `Industry pack ${pack.name} applied` }) };
		},
	}),
];

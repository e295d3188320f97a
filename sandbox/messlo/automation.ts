/**
 * Automation flows (rows 47–52): list, node-type catalog, create, toggle, test, executions.
 * A flow's nodes name known node types and its connections join nodes it has; a test run needs an
 * active flow and is recorded as a successful execution that visited every node.
 */
import { z } from 'zod';

import { SandboxError, type Problem } from '../framework';
import { matches, missing, newestFirst, nonEmpty, ok, page, pageQuery, refused, route } from './common';
import { recordJson } from './views';
import { EXECUTION_STATUSES, FLOW_NODE_TYPES, newId, nowIso, type Execution, type Flow, type MessloState } from './state';

const NODE_TYPE_NOTES: Partial<Record<(typeof FLOW_NODE_TYPES)[number], { description: string; parameters: string[] }>> = {
	trigger: { description: 'Starts the flow on an event', parameters: ['event_type'] },
	send_message: { description: 'Sends a WhatsApp message', parameters: ['recipient', 'message_body', 'provider_type', 'interactive_type', 'button_params', 'list_params', 'media_url'] },
	send_template: { description: 'Sends an approved template', parameters: ['template_name', 'template_id', 'body_variables', 'header_media_url'] },
	wait_for_reply: { description: 'Waits for the customer\'s answer', parameters: ['variable_name'] },
	condition: { description: 'Branches on a field', parameters: ['condition', 'conditions', 'no_match_handle'] },
	update_contact: { description: 'Updates contact fields', parameters: ['updates'] },
	add_tag: { description: 'Tags the contact', parameters: ['tag_name', 'tag_id'] },
	add_to_segment: { description: 'Adds the contact to a segment', parameters: ['segment_id'] },
	delay: { description: 'Waits a while', parameters: ['delay_seconds'] },
	assign_chatbot: { description: 'Hands the chat to an AI chatbot', parameters: ['chatbot_id'] },
	assign_agent: { description: 'Hands the chat to an agent', parameters: ['agent_id'] },
	form_flow: { description: 'Sends a WhatsApp Flow form', parameters: ['form_id', 'message_body', 'button_text'] },
	api: { description: 'Calls an HTTP API', parameters: ['url', 'method', 'headers', 'body'] },
};

const node = z
	.object({
		id: nonEmpty('nodes[].id'),
		type: z.enum(FLOW_NODE_TYPES),
		position: z.object({ x: z.number(), y: z.number() }).strict(),
		name: z.string().optional(),
		description: z.string().optional(),
		parameters: z.record(z.unknown()).default({}),
	})
	.strict();

const connection = z
	.object({
		id: nonEmpty('connections[].id'),
		source: nonEmpty('connections[].source'),
		target: nonEmpty('connections[].target'),
		sourceHandle: z.string().optional(),
		targetHandle: z.string().optional(),
	})
	.strict();

export const flowBody = z
	.object({
		name: nonEmpty('name', 256),
		description: z.string().optional(),
		nodes: z.array(node).min(1, 'nodes must hold at least one node.'),
		connections: z.array(connection).default([]),
		triggers: z.array(z.object({ event_type: nonEmpty('triggers[].event_type'), conditions: z.record(z.unknown()).default({}) }).strict()).optional(),
		settings: z.record(z.unknown()).optional(),
		is_active: z.boolean().optional(),
	})
	.strict();

function flowProblems(body: z.infer<typeof flowBody>): Problem[] {
	const problems: Problem[] = [];
	const ids = body.nodes.map((entry) => entry.id);
	ids.forEach((id, index) => {
		if (ids.indexOf(id) !== index) problems.push({ field: `nodes.${index}.id`, message: `nodes.${index}.id ${id} is used twice.` });
	});
	body.connections.forEach((entry, index) => {
		for (const end of ['source', 'target'] as const) {
			if (!ids.includes(entry[end])) problems.push({ field: `connections.${index}.${end}`, message: `connections.${index}.${end}: no node ${entry[end]}.` });
		}
	});
	if (!body.nodes.some((entry) => entry.type === 'trigger') && !body.triggers?.length) {
		problems.push({ field: 'nodes', message: 'A flow starts with a trigger node or a triggers entry.' });
	}
	return problems;
}

const flowJson = (flow: Flow) => recordJson(flow);
const executionJson = (execution: Execution) => recordJson(execution);

function requireFlow(state: MessloState, id: string): Flow {
	const flow = state.flows.find((entry) => entry._id === id);
	if (!flow) throw missing(`No automation flow ${id}.`, 'FLOW_NOT_FOUND');
	return flow;
}

export const automationRoutes = [
	// Row 47
	route({
		method: 'GET',
		path: '/api/automation',
		query: z.object({ ...pageQuery(20, 100), search: z.string().optional(), is_active: z.enum(['true', 'false']).optional() }).strict(),
		handle: ({ query, state }) => {
			const found = state.flows.filter((flow) => matches(query.search, flow.name, flow.description) && (query.is_active === undefined || String(flow.is_active) === query.is_active));
			return { json: page(newestFirst(found, (flow) => flow.created_at), query, flowJson) };
		},
	}),

	// Row 48
	route({
		method: 'GET',
		path: '/api/automation/node-types',
		query: z.object({}).strict(),
		handle: () => ({
			json: ok(FLOW_NODE_TYPES.map((type) => ({ type, description: NODE_TYPE_NOTES[type]?.description ?? '', parameters: NODE_TYPE_NOTES[type]?.parameters ?? [] }))),
		}),
	}),

	// Row 49
	route({
		method: 'POST',
		path: '/api/automation',
		body: flowBody,
		handle: ({ body, state }) => {
			const problems = flowProblems(body);
			if (problems.length) throw new SandboxError(400, 'validation', problems);
			const at = nowIso();
			const flow: Flow = {
				_id: newId(state),
				name: body.name,
				description: body.description ?? '',
				nodes: body.nodes,
				connections: body.connections,
				triggers: body.triggers ?? [{ event_type: 'message_received', conditions: {} }],
				settings: body.settings ?? {},
				is_active: body.is_active ?? false,
				created_at: at,
				updated_at: at,
			};
			state.flows.push(flow);
			return { status: 201, json: ok(flowJson(flow), { message: 'Automation flow created' }) };
		},
	}),

	// Row 50
	route({
		method: 'PATCH',
		path: '/api/automation/:flowId/toggle',
		body: z.object({ is_active: z.boolean() }).strict(),
		handle: ({ params, body, state }) => {
			const flow = requireFlow(state, params.flowId!);
			flow.is_active = body.is_active;
			flow.updated_at = nowIso();
			return { json: ok(flowJson(flow), { message: `Automation flow ${flow.is_active ? 'activated' : 'deactivated'}` }) };
		},
	}),

	// Row 51
	route({
		method: 'POST',
		path: '/api/automation/:flowId/test',
		body: z
			.object({
				test_data: z
					.object({
						senderNumber: z.string().optional(),
						contactId: z.string().optional(),
						message: z.object({ body: z.string().optional() }).strict().optional(),
						userId: z.string().optional(),
					})
					.strict()
					.optional(),
			})
			.strict(),
		handle: ({ params, body, state }) => {
			const flow = requireFlow(state, params.flowId!);
			if (!flow.is_active) throw refused('FLOW_INACTIVE', `Automation flow ${flow.name} is inactive: activate it (PATCH /api/automation/${flow._id}/toggle) before testing.`);
			const at = nowIso();
			const execution: Execution = {
				_id: newId(state),
				flow_id: flow._id,
				status: 'success',
				test: true,
				trigger_data: body.test_data ?? { senderNumber: '919876543210', message: { body: 'test' } },
				execution_log: flow.nodes.map((entry) => ({ node_id: String(entry.id), type: String(entry.type), status: 'success' as const, at })),
				started_at: at,
				finished_at: at,
			};
			state.executions.push(execution);
			return { json: ok(executionJson(execution), { message: 'Test run finished' }) };
		},
	}),

	// Row 52
	route({
		method: 'GET',
		path: '/api/automation/:flowId/executions',
		query: z.object({ ...pageQuery(20, 100), status: z.enum(EXECUTION_STATUSES).optional() }).strict(),
		handle: ({ params, query, state }) => {
			const flow = requireFlow(state, params.flowId!);
			const found = state.executions.filter((execution) => execution.flow_id === flow._id && (!query.status || execution.status === query.status));
			return { json: page(newestFirst(found, (execution) => execution.started_at), query, executionJson) };
		},
	}),
];

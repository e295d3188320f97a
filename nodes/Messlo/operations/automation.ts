import type { IDataObject } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { additionalBodyFieldsOption, dataOf, jsonObject, jsonObjectList, LIST_KEYS, messloDigits, messloPages, MESSLO_SUCCESS, recordsOf, withAdditionalFields } from '../api';
import { flowField } from '../fields';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyText = (value: unknown) => typeof value === 'string' && value.trim() !== '';

const EXECUTION_STATUSES = [
	{ name: 'Cancelled', value: 'cancelled' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Running', value: 'running' },
	{ name: 'Success', value: 'success' },
	{ name: 'Waiting', value: 'waiting' },
];

const NODES_EXAMPLE =
	'[{"id": "trigger_1", "type": "trigger", "position": {"x": 0, "y": 0}, "parameters": {"event_type": "message_received"}}, {"id": "reply_1", "type": "send_message", "position": {"x": 240, "y": 0}, "parameters": {"recipient": "{{senderNumber}}", "message_body": "Hi!"}}]';
const CONNECTIONS_EXAMPLE = '[{"id": "c1", "source": "trigger_1", "target": "reply_1", "sourceHandle": "src", "targetHandle": "tgt"}]';
const TRIGGERS_EXAMPLE = '[{"event_type": "message_received", "conditions": {}}]';

/** The flow's nodes: objects with an id (once each), a type and a position {x, y}. */
function flowNodes(item: ItemReader): IDataObject[] {
	const label = item.label('nodes');
	const nodes = jsonObjectList(item, label, item.raw('nodes', ''), NODES_EXAMPLE);
	if (!nodes.length) item.fail(`${label} is empty`, `A flow needs at least one node, e.g. ${NODES_EXAMPLE}.`);
	const ids = new Set<string>();
	nodes.forEach((node, index) => {
		const at = `${label}: node ${index + 1}`;
		if (!nonEmptyText(node.id)) item.fail(`${at} has no "id"`, 'Give every node an id (text) that connections can name, e.g. "trigger_1".');
		if (ids.has(node.id as string)) item.fail(`${label}: the id "${node.id as string}" is used by two nodes`, 'Give each node its own id.');
		ids.add(node.id as string);
		if (!nonEmptyText(node.type)) item.fail(`${at} ("${node.id as string}") has no "type"`, 'Give it a node type, e.g. "send_message"; Automation Flow → Get Node Types lists them.');
		const position = node.position;
		if (!isRecord(position) || typeof position.x !== 'number' || typeof position.y !== 'number') {
			item.fail(`${at} ("${node.id as string}") needs a "position" with numbers x and y`, 'Where the node sits in Messlo\'s flow editor, e.g. "position": {"x": 240, "y": 0}.');
		}
		if (node.parameters !== undefined && !isRecord(node.parameters)) item.fail(`${at} ("${node.id as string}"): "parameters" must be an object`);
	});
	return nodes;
}

/** The flow's connections: objects with an id, joining a source node to a target node of the flow. */
function flowConnections(item: ItemReader, nodes: IDataObject[]): IDataObject[] {
	const label = item.label('connections');
	const connections = jsonObjectList(item, label, item.raw('connections', ''), CONNECTIONS_EXAMPLE);
	const ids = new Set(nodes.map((node) => node.id as string));
	connections.forEach((connection, index) => {
		const at = `${label}: connection ${index + 1}`;
		if (!nonEmptyText(connection.id)) item.fail(`${at} has no "id"`, `Give every connection an id (text), e.g. ${CONNECTIONS_EXAMPLE}.`);
		for (const end of ['source', 'target']) {
			const node = connection[end];
			if (!nonEmptyText(node)) item.fail(`${at} has no "${end}"`, `Name the ${end} node by its id, e.g. ${CONNECTIONS_EXAMPLE}.`);
			if (!ids.has(node as string)) item.fail(`${at}: the ${end} "${node as string}" is not a node of the flow`, `The nodes are: ${[...ids].join(', ')}.`);
		}
	});
	return connections;
}

/** The events that start the flow: objects with an event_type. */
function flowTriggers(item: ItemReader): IDataObject[] {
	const label = item.label('options.triggers');
	const triggers = jsonObjectList(item, label, item.collection('options').triggers, TRIGGERS_EXAMPLE);
	triggers.forEach((trigger, index) => {
		if (!nonEmptyText(trigger.event_type)) item.fail(`${label}: trigger ${index + 1} has no "event_type"`, `E.g. ${TRIGGERS_EXAMPLE}.`);
		if (trigger.conditions !== undefined && !isRecord(trigger.conditions)) item.fail(`${label}: trigger ${index + 1}: "conditions" must be an object`);
	});
	return triggers;
}

export const automationOperations: Operation[] = [
	{
		resource: 'automation',
		value: 'getAll',
		success: MESSLO_SUCCESS.flows,
		name: 'Get Many',
		action: 'Get many automation flows',
		fields: [
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Active',
						name: 'isActive',
						type: 'options',
						default: 'true',
						options: [
							{ name: 'Active Flows Only', value: 'true' },
							{ name: 'Inactive Flows Only', value: 'false' },
						],
					},
					{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only flows whose name or description contains this text' },
				],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.flows, 100),
		request: (item) => {
			const filters = item.collection('filters');
			const query: IDataObject = {};
			const search = item.text('filters.search', filters.search);
			if (search !== undefined) query.search = search;
			if (filters.isActive !== undefined && filters.isActive !== '') query.is_active = String(filters.isActive) === 'true' ? 'true' : 'false';
			return { method: 'GET', path: 'api/automation', query };
		},
	},
	{
		resource: 'automation',
		value: 'getNodeTypes',
		success: MESSLO_SUCCESS.nodeTypes,
		name: 'Get Node Types',
		action: 'Get the node types of automation flows',
		description: 'The node types a flow can use, with their parameters, one item each',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: 'api/automation/node-types' }),
		output: recordsOf(LIST_KEYS.nodeTypes),
	},
	{
		resource: 'automation',
		value: 'create',
		success: MESSLO_SUCCESS.done,
		name: 'Create',
		action: 'Create an automation flow',
		description: 'Create a WhatsApp bot flow from its nodes and connections as JSON',
		fields: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'Welcome menu' },
			{ displayName: 'Active', name: 'active', type: 'boolean', default: false, description: 'Whether the flow runs as soon as it is created' },
			{
				displayName: 'Nodes (JSON)',
				name: 'nodes',
				type: 'json',
				default: '[]',
				required: true,
				placeholder: NODES_EXAMPLE,
				description:
					'The flow\'s nodes as a JSON list of objects, each with its ID, type, position {x, y} in the flow editor and parameters (name and description optional). Automation Flow → Get Node Types lists the types and their parameters.',
			},
			{
				displayName: 'Connections (JSON)',
				name: 'connections',
				type: 'json',
				default: '[]',
				placeholder: CONNECTIONS_EXAMPLE,
				description: 'How the nodes follow each other, as a JSON list of objects, each with its own ID, the source and target nodes by their IDs, and optional source and target handles',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					additionalBodyFieldsOption,
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
					{ displayName: 'Settings (JSON)', name: 'settings', type: 'json', default: '{}', description: 'The flow\'s settings as one JSON object, e.g. {"projects": […]} for a property carousel' },
					{
						displayName: 'Triggers (JSON)',
						name: 'triggers',
						type: 'json',
						default: '[]',
						description: `The events that start the flow: a JSON list of {event_type, conditions}. Empty: Messlo's default, a received message. E.g. ${TRIGGERS_EXAMPLE}`,
					},
				],
			},
		],
		request: (item) => {
			const options = item.collection('options');
			const nodes = flowNodes(item);
			const body: IDataObject = { name: item.string('name'), is_active: item.boolean('active'), nodes, connections: flowConnections(item, nodes) };
			const description = item.text('options.description', options.description);
			if (description !== undefined) body.description = description;
			const triggers = flowTriggers(item);
			if (triggers.length) body.triggers = triggers;
			const settings = jsonObject(item, item.label('options.settings'), options.settings);
			if (Object.keys(settings).length) body.settings = settings;
			return { method: 'POST', path: 'api/automation', body: withAdditionalFields(item, 'options', body) };
		},
		output: dataOf,
	},
	{
		resource: 'automation',
		value: 'setActive',
		success: MESSLO_SUCCESS.done,
		name: 'Activate or Deactivate',
		action: 'Activate or deactivate an automation flow',
		fields: [flowField(), { displayName: 'Active', name: 'active', type: 'boolean', default: true, description: 'Whether the flow runs (on) or is paused (off)' }],
		idempotent: true,
		request: (item) => ({ method: 'PATCH', path: `api/automation/${item.pathSegment('flowId')}/toggle`, body: { is_active: item.boolean('active') } }),
		output: dataOf,
	},
	{
		resource: 'automation',
		value: 'test',
		success: MESSLO_SUCCESS.done,
		name: 'Test',
		action: 'Test an automation flow',
		description: 'Run an active flow once with test data, as if a customer had written',
		fields: [
			flowField(),
			{
				displayName: 'Test Data',
				name: 'testData',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				description: 'What the test run sees as the incoming message; empty: Messlo\'s own test data',
				options: [
					{ displayName: 'Contact ID', name: 'contactId', type: 'string', default: '', description: 'Messlo\'s ID of the contact the run is for' },
					{ displayName: 'Message Text', name: 'messageBody', type: 'string', default: '', placeholder: 'Hi', description: 'The text of the incoming message' },
					{ displayName: 'Sender Number', name: 'senderNumber', type: 'string', default: '', placeholder: '+91 98765 43210', description: 'The number the message comes from, with its country code, in any common form' },
					{ displayName: 'User ID', name: 'userId', type: 'string', default: '' },
				],
			},
		],
		request: (item) => {
			const values = item.collection('testData');
			const testData: IDataObject = {};
			const sender = item.text('testData.senderNumber', values.senderNumber);
			const contactId = item.text('testData.contactId', values.contactId);
			const message = item.text('testData.messageBody', values.messageBody);
			const userId = item.text('testData.userId', values.userId);
			if (sender !== undefined) testData.senderNumber = messloDigits(item, 'testData.senderNumber', sender);
			if (contactId !== undefined) testData.contactId = contactId;
			if (message !== undefined) testData.message = { body: message };
			if (userId !== undefined) testData.userId = userId;
			return { method: 'POST', path: `api/automation/${item.pathSegment('flowId')}/test`, body: Object.keys(testData).length ? { test_data: testData } : {} };
		},
		output: dataOf,
	},
	{
		resource: 'automation',
		value: 'getExecutions',
		success: MESSLO_SUCCESS.executions,
		name: 'Get Executions',
		action: 'Get the executions of an automation flow',
		description: 'The runs of one flow, newest first',
		fields: [
			flowField(),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [{ displayName: 'Status', name: 'status', type: 'options', default: 'failed', options: EXECUTION_STATUSES }],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.executions, 100),
		request: (item) => {
			const status = item.text('filters.status', item.collection('filters').status);
			return { method: 'GET', path: `api/automation/${item.pathSegment('flowId')}/executions`, query: status === undefined ? {} : { status } };
		},
	},
];

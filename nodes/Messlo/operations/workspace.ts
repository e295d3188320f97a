import type { IDataObject } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { dataOf, LIST_KEYS, messloPages, MESSLO_SUCCESS, messloWholeList } from '../api';
import { wabaField } from '../fields';

/** Messlo's document names the usage path in the plural; its latest client uses the singular. */
const USAGE_PATHS = ['api/subscriptions/usage', 'api/subscription/usage'];

export const workspaceOperations: Operation[] = [
	{
		resource: 'workspace',
		value: 'getUsage',
		success: MESSLO_SUCCESS.done,
		name: 'Get Plan Usage',
		action: 'Get the plan usage',
		description: 'The plan\'s limits beside what the workspace uses (contacts, templates, campaigns, bot flows, …); a limit of 0 is unlimited',
		fields: [],
		idempotent: true,
		request: () => ({ method: 'GET', path: USAGE_PATHS[0] }),
		async perform(client, item, request) {
			const answer = await client.exchange(request, { idempotent: true, itemIndex: item.index, success: MESSLO_SUCCESS.done, answerStatuses: [404] });
			if (answer.status !== 404) return answer.body;
			return await client.call({ ...request, path: USAGE_PATHS[1] }, { idempotent: true, itemIndex: item.index, success: MESSLO_SUCCESS.done });
		},
		output: dataOf,
	},
	{
		resource: 'workspace',
		value: 'getGoogleConnectUrl',
		success: MESSLO_SUCCESS.done,
		name: 'Get Google Connect URL',
		action: 'Get the Google connect URL',
		description: 'The address where a person connects a Google account (Sheets, Calendar) to Messlo, to open in a browser',
		fields: [
			{
				displayName: 'Return To',
				name: 'returnTo',
				type: 'string',
				default: '/google_account',
				description: 'The page of the Messlo dashboard to come back to after connecting',
			},
		],
		idempotent: true,
		request: (item) => {
			const returnTo = item.optionalString('returnTo');
			return { method: 'GET', path: 'api/google/connect', query: returnTo === undefined ? {} : { return_to: returnTo } };
		},
		output: dataOf,
	},
	{
		resource: 'agent',
		value: 'getAll',
		success: MESSLO_SUCCESS.agents,
		name: 'Get Many',
		action: 'Get many agents',
		description: 'The team members who answer chats',
		fields: [{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only agents whose name or email matches this text' }],
		idempotent: true,
		pages: messloPages(LIST_KEYS.agents, 100),
		request: (item) => {
			const search = item.optionalString('search');
			return { method: 'GET', path: 'api/agent/all', query: search === undefined ? {} : { search } };
		},
	},
	{
		resource: 'sequence',
		value: 'getAll',
		success: MESSLO_SUCCESS.sequences,
		name: 'Get Many',
		action: 'Get many sequences',
		description: 'The drip sequences of a WhatsApp Business Account',
		fields: [wabaField()],
		idempotent: true,
		pages: messloWholeList(LIST_KEYS.sequences),
		request: (item) => ({ method: 'GET', path: 'api/sequences', query: { waba_id: item.string('wabaId') } }),
	},
	{
		resource: 'kanbanFunnel',
		value: 'getAll',
		success: MESSLO_SUCCESS.funnels,
		name: 'Get Many',
		action: 'Get many kanban funnels',
		description: 'The kanban pipelines of the workspace',
		fields: [
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{ displayName: 'Funnel Type', name: 'funnelType', type: 'string', default: '', placeholder: 'contact', description: 'Only funnels of this type, e.g. contact' },
					{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Only funnels whose name matches this text' },
				],
			},
		],
		idempotent: true,
		pages: messloPages(LIST_KEYS.funnels, 100),
		request: (item) => {
			const filters = item.collection('filters');
			const query: IDataObject = {};
			for (const key of ['search', 'funnelType']) {
				const value = item.text(`filters.${key}`, filters[key]);
				if (value !== undefined) query[key] = value;
			}
			return { method: 'GET', path: 'api/kanban-funnels', query };
		},
	},
];

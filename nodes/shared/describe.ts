import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from './operation';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

function shownFor(operation: Operation, own?: IDisplayOptions): IDisplayOptions {
	return {
		...own,
		show: { ...own?.show, resource: [operation.resource], operation: [operation.value] },
	};
}

function pagingFields(operation: Operation): INodeProperties[] {
	if (!operation.pages) return [];
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** The highest rate cap the option takes: 1,000 calls a second. */
export const MAX_REQUESTS_PER_MINUTE = 60_000;

export const REQUEST_OPTIONS: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Parallel Requests',
			name: 'parallelRequests',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20, numberPrecision: 0 },
			default: 1,
			description:
				'How many items are sent at the same time. Keep 1 to send messages to one person in order; output order is kept either way. Above 1, set Settings → On Error to "Continue (using error output)" so that one failure cannot hide what was already sent.',
		},
		{
			displayName: 'Max Requests per Minute',
			name: 'maxRequestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_REQUESTS_PER_MINUTE, numberPrecision: 0 },
			default: 60,
			description:
				"The provider's rate limit: calls are spaced evenly to stay under it, across Parallel Requests, for all the items of this run. Without it a 429 is waited out and retried. On Messingin the credential's plan sets the pace; this can only lower it.",
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 60,
			description: 'How long to wait for the provider to answer one request',
		},
	],
};

/** Shown once Parallel Requests is above 1: n8n's node settings can't be part of the condition. */
const PARALLEL_NOTICE: INodeProperties = {
	displayName:
		'With Parallel Requests above 1, set Settings → On Error to "Continue (using error output)": otherwise one failed item stops the run and the items already sent meanwhile are missing from the output, so a second run sends them again',
	name: 'parallelNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { 'requestOptions.parallelRequests': [{ _cnd: { gt: 1 } }] } },
};

/** The properties every action node has besides its operations' own fields. */
export const NODE_WIDE_PROPERTIES = ['resource', 'operation', REQUEST_OPTIONS.name, PARALLEL_NOTICE.name];

/** Every operation's fields, shown only for that resource and operation. */
export function operationFields(operations: Operation[]): INodeProperties[] {
	return operations.flatMap((operation) =>
		[...operation.fields, ...pagingFields(operation)].map((field) => ({
			...field,
			displayOptions: shownFor(operation, field.displayOptions),
		})),
	);
}

/**
 * The properties of an action node, built from its provider's operation table: the Resource
 * dropdown, one Operation dropdown per resource, every operation's fields and the request options.
 */
export function nodeProperties(operations: Operation[], resourceNames: Record<string, string>): INodeProperties[] {
	const resources = [...new Set(operations.map((operation) => operation.resource))];
	const resourceOptions: INodePropertyOptions[] = resources.map((value) => ({ name: resourceNames[value] ?? value, value })).sort(byName);
	const firstResource = resourceOptions[0].value;
	const operationSelectors: INodeProperties[] = resources.map((resource) => {
		const options = operations
			.filter((operation) => operation.resource === resource)
			.map((operation) => ({
				name: operation.name,
				value: operation.value,
				action: operation.action,
				description: operation.description,
			}))
			.sort(byName);
		const firstOperation = options[0].value;
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options,
			default: firstOperation,
		};
	});
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resourceOptions,
			default: firstResource,
		},
		...operationSelectors,
		...operationFields(operations),
		REQUEST_OPTIONS,
		PARALLEL_NOTICE,
	];
}

/**
 * The subtitle n8n shows under an action node, in words: "Send Template · Message". n8n evaluates
 * it as an expression over the node's parameters, so it looks the pair up in a table built from
 * the operation table; a pair it does not know (an old workflow) shows as its values.
 */
export function operationSubtitle(operations: Operation[], resourceNames: Record<string, string>): string {
	const names: Record<string, string> = {};
	for (const operation of operations) names[`${operation.resource}:${operation.value}`] = `${operation.name} · ${resourceNames[operation.resource] ?? operation.resource}`;
	const key = '$parameter["resource"] + ":" + $parameter["operation"]';
	return `={{ ${JSON.stringify(names)}[${key}] || (${key}) }}`;
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import { REQUEST_OPTIONS } from './describe';
import { ProviderClient } from './http';
import { ItemReader } from './item-reader';
import type { Operation, Provider } from './operation';

function toItems(result: unknown, index: number): INodeExecutionData[] {
	const records = Array.isArray(result) ? result : [result ?? { success: true }];
	return records.map((record) => {
		const isItem = record && typeof record === 'object' && 'json' in record && typeof record.json === 'object';
		const item: INodeExecutionData = isItem
			? (record as INodeExecutionData)
			: { json: record && typeof record === 'object' ? (record as IDataObject) : { value: record as string } };
		return { ...item, pairedItem: { item: index } };
	});
}

async function collectPages(client: ProviderClient, operation: Operation, item: ItemReader): Promise<IDataObject[]> {
	const pages = operation.pages!;
	const returnAll = item.boolean('returnAll');
	const limit = returnAll ? Infinity : item.id('limit');
	const pageSize = Math.min(pages.maxPageSize, limit);
	const base = await operation.request(item);
	const records: IDataObject[] = [];
	for (let cursor: unknown = pages.first(base); cursor !== undefined && records.length < limit; ) {
		const answer = await client.call(pages.request(base, cursor, pageSize), { idempotent: true, itemIndex: item.index, success: operation.success });
		const page = pages.read(answer, cursor, pageSize);
		records.push(...page.records);
		cursor = page.records.length ? page.next : undefined;
	}
	return records.slice(0, limit);
}

async function runItem(client: ProviderClient, operation: Operation, item: ItemReader): Promise<INodeExecutionData[]> {
	const result = operation.pages
		? await collectPages(client, operation, item)
		: await client.call(await operation.request(item), { idempotent: operation.idempotent, itemIndex: item.index, success: operation.success });
	const shaped = operation.output ? await operation.output(result, item) : result;
	return toItems(client.redactor.value(shaped), item.index);
}

function errorItem(error: NodeError, index: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	return { json, pairedItem: { item: index } };
}

export const PARALLEL_WITHOUT_ERROR_HANDLING =
	'Parallel Requests is above 1 while On Error is "Stop Workflow": one failed item stops the run, and the items already sent meanwhile are missing from the output, so running the workflow again sends them twice. For a broadcast, set Settings → On Error to "Continue (using error output)".';

/** Which items were carried out although the run stops, so that nobody sends them again blindly. */
function alreadyDone(indexes: number[]): string {
	const shown = indexes.slice(0, 20).map((index) => index + 1).join(', ');
	const more = indexes.length > 20 ? ` and ${indexes.length - 20} more` : '';
	return `Already done before the run stopped (sent in parallel, not in the output): item${indexes.length > 1 ? 's' : ''} ${shown}${more}. Don't run the whole workflow again without removing them; set On Error to "Continue (using error output)" to get every item's result.`;
}

/**
 * The `execute()` of every action node: each input item through its operation, in order,
 * optionally a few at a time; a failing item fails alone (Continue On Fail) or stops the run.
 */
export async function runOperations(this: IExecuteFunctions, provider: Provider, operations: Operation[]): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const value = this.getNodeParameter('operation', 0) as string;
	const operation = operations.find((candidate) => candidate.resource === resource && candidate.value === value);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${value}" of "${resource}" is not supported`);
	}
	const options = new ItemReader(this, 0, [REQUEST_OPTIONS]).collection(REQUEST_OPTIONS.name);
	const parallel = Number(options.parallelRequests ?? 1);
	const timeoutMs = Number(options.timeoutSeconds ?? 60) * 1000;
	const maxCallsPerMinute = options.maxRequestsPerMinute === undefined ? undefined : Number(options.maxRequestsPerMinute);
	const client = await ProviderClient.for(this, provider, { timeoutMs, maxCallsPerMinute });
	const continueOnFail = this.continueOnFail();
	if (parallel > 1 && !continueOnFail && !operation.idempotent) {
		this.addExecutionHints({ message: PARALLEL_WITHOUT_ERROR_HANDLING, location: 'outputPane' });
	}

	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	let stopped: NodeError | undefined;
	const worker = async () => {
		while (stopped === undefined && next < items.length) {
			const index = next++;
			try {
				results[index] = await runItem(client, operation, new ItemReader(this, index, operation.fields));
			} catch (error) {
				const safe = error instanceof NodeError ? error : new NodeOperationError(this.getNode(), client.redactor.text(String((error as Error)?.message ?? error)), { itemIndex: index });
				safe.message = client.redactor.text(safe.message);
				// n8n hands back an already wrapped error unchanged, so its item is set here.
				safe.context.itemIndex ??= index;
				if (continueOnFail) {
					results[index] = [errorItem(safe, index)];
				} else {
					stopped ??= safe;
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
	if (stopped !== undefined) {
		const done = results.flatMap((result, index) => (result ? [index] : []));
		if (parallel > 1 && done.length && !operation.idempotent) stopped.description = [stopped.description, alreadyDone(done)].filter(Boolean).join('\n\n');
		throw stopped;
	}
	return [results.flat()];
}

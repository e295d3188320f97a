import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import { REQUEST_OPTIONS } from './describe';
import { ProviderClient } from './http';
import { ItemReader } from './item-reader';
import type { Operation, Provider } from './operation';
import { parsePhoneNumber } from './phone';

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

/**
 * The recipient of a send as it went to the provider: a phone number in E.164 (`+17472822486`),
 * or a chat ID as given. A value that is no phone number is shown as typed (its item failed).
 */
function recipientOf(operation: Operation, item: ItemReader): string | null {
	if (!operation.recipientField) return null;
	const typed = item.raw(operation.recipientField, '');
	if (typeof typed !== 'string' && typeof typed !== 'number') return null;
	const text = String(typed).trim();
	if (text === '' || text.includes('@')) return text || null;
	try {
		return parsePhoneNumber(text).e164;
	} catch {
		return text;
	}
}

/** A send's output record, led by whom it went to and the provider's ID for the message. */
function withRecipient(operation: Operation, item: ItemReader, output: INodeExecutionData): INodeExecutionData {
	const messageId = output.json[operation.messageIdField ?? 'id'];
	const json: IDataObject = { recipient: recipientOf(operation, item), messageId: messageId === undefined || messageId === '' ? null : messageId };
	for (const [key, value] of Object.entries(output.json)) if (!(key in json)) json[key] = value;
	return { ...output, json };
}

async function runItem(client: ProviderClient, operation: Operation, item: ItemReader): Promise<INodeExecutionData[]> {
	const result = operation.pages
		? await collectPages(client, operation, item)
		: operation.perform
			? await operation.perform(client, item, await operation.request(item))
			: await client.call(await operation.request(item), { idempotent: operation.idempotent, itemIndex: item.index, success: operation.success });
	const shaped = operation.output ? await operation.output(result, item) : result;
	const items = toItems(client.redactor.value(shaped), item.index);
	return operation.recipientField ? items.map((output) => withRecipient(operation, item, output)) : items;
}

/**
 * What Continue On Fail (and the error output) gets for a failed item: `error`, the message, and
 * `details`: what to do (`description`), the field at fault (`field`: its name in the editor, or
 * the provider's name for it; null when no one field is) and, for a send, the `recipient`, so that
 * a broadcast's failures can be acted on directly. No other top-level keys: n8n's "Continue (using
 * error output)" sends an item to the error output only when its JSON has none but error, message
 * and details.
 */
function errorItem(error: NodeError, operation: Operation, item: ItemReader): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	const field = error.context.field;
	details.field = typeof field === 'string' && field !== '' ? field : null;
	if (operation.recipientField) {
		let recipient: string | null;
		try {
			recipient = recipientOf(operation, item);
		} catch {
			// The recipient's own expression is what failed.
			recipient = null;
		}
		details.recipient = recipient;
	}
	return { json: { error: error.message, details }, pairedItem: { item: item.index } };
}

export const PARALLEL_WITHOUT_ERROR_HANDLING =
	'Parallel Requests is above 1 while On Error is "Stop Workflow": one failed item stops the run, and the items already sent meanwhile are missing from the output, so running the workflow again sends them twice. For a broadcast, set Settings → On Error to "Continue (using error output)".';

/** Which items were carried out although the run stops, so that nobody sends them again blindly. */
function alreadyDone(indexes: number[]): string {
	const shown = indexes.slice(0, 20).map((index) => index + 1).join(', ');
	const more = indexes.length > 20 ? ` and ${indexes.length - 20} more` : '';
	return `Already done before the run stopped (sent in parallel, not in the output): item${indexes.length > 1 ? 's' : ''} ${shown}${more}. Don't run the whole workflow again without removing them; set On Error to "Continue (using error output)" to get every item's result.`;
}

function onlyFirstItem(operation: Operation, count: number): string {
	return `${operation.name} uses only the first input item: ${count - 1} more item${count > 2 ? 's were' : ' was'} left out. To ask several people, run the node once per person (e.g. inside Loop Over Items with a batch size of 1).`;
}

/**
 * The `execute()` of every action node: each input item through its operation, in order,
 * optionally a few at a time; a failing item fails alone (Continue On Fail) or stops the run.
 */
export async function runOperations(this: IExecuteFunctions, provider: Provider, operations: Operation[]): Promise<INodeExecutionData[][]> {
	const allItems = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const value = this.getNodeParameter('operation', 0) as string;
	const operation = operations.find((candidate) => candidate.resource === resource && candidate.value === value);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${value}" of "${resource}" is not supported`);
	}
	const items = operation.firstItemOnly ? allItems.slice(0, 1) : allItems;
	if (items.length < allItems.length) {
		this.addExecutionHints({ message: onlyFirstItem(operation, allItems.length), location: 'outputPane' });
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
	let failures = 0;
	const worker = async () => {
		while (stopped === undefined && next < items.length) {
			const index = next++;
			const item = new ItemReader(this, index, operation.fields);
			try {
				results[index] = await runItem(client, operation, item);
			} catch (error) {
				const safe = error instanceof NodeError ? error : new NodeOperationError(this.getNode(), client.redactor.text(String((error as Error)?.message ?? error)), { itemIndex: index });
				safe.message = client.redactor.text(safe.message);
				// n8n hands back an already wrapped error unchanged, so its item is set here.
				safe.context.itemIndex ??= index;
				if (continueOnFail) {
					failures++;
					const failed = errorItem(safe, operation, item);
					results[index] = [{ ...failed, json: client.redactor.value(failed.json) }];
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
	const output = results.flat();
	return [operation.finish && failures === 0 ? await operation.finish(this, output) : output];
}

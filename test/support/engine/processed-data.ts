/**
 * n8n's store of processed items (what `helpers.checkProcessedAndRecord` reads and writes; n8n's
 * Remove Duplicates node and the webhook triggers' Ignore Repeated Deliveries use it), in memory for
 * the in-process engine. A real n8n keeps it in the `processed_data` table, one record per workflow
 * and node, whichever process runs the execution; here a `ProcessedDataStore` stands for that table
 * and a test hands it from one run to the next, as it does with static data.
 *
 * Semantics of n8n 2.41's DeduplicationHelper for mode 'entries': values are compared by their text;
 * a value not in the record is new and appended (also when the same value comes twice in one call:
 * n8n compares with the record as read), the record keeps its last `maxEntries` values.
 */
import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedContextData, ICheckProcessedOptions, IDataDeduplicator, IDeduplicationOutput } from 'n8n-workflow';

/** The records of one workflow: context (`n:<node id>`, or '' for the workflow) → the values, oldest first. */
export class ProcessedDataStore {
	readonly records = new Map<string, { mode: string; data: string[] }>();

	/** The values recorded for a node (by id). */
	valuesOf(nodeId: string): string[] {
		return [...(this.records.get(`n:${nodeId}`)?.data ?? [])];
	}
}

const contextOf = (scope: DeduplicationScope, data: ICheckProcessedContextData) => (scope === 'node' ? `n:${data.node?.id ?? ''}` : '');

/** Routes every call to the store registered for the workflow (a fresh one if none was). */
export class HarnessDeduplicator implements IDataDeduplicator {
	private readonly stores = new Map<string, ProcessedDataStore>();

	/** The store the runs of `workflowId` use from now on. */
	use(workflowId: string, store = new ProcessedDataStore()): ProcessedDataStore {
		this.stores.set(workflowId, store);
		return store;
	}

	private record(scope: DeduplicationScope, data: ICheckProcessedContextData, options: ICheckProcessedOptions) {
		if (options.mode !== 'entries') throw new Error(`The engine harness keeps processed items in mode 'entries' only, not '${options.mode}'`);
		const store = this.stores.get(data.workflow.id) ?? this.use(data.workflow.id);
		const context = contextOf(scope, data);
		let record = store.records.get(context);
		if (record && record.mode !== options.mode) throw new Error('Deduplication data was originally saved with an incompatible setting');
		if (!record) store.records.set(context, (record = { mode: options.mode, data: [] }));
		return record;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		data: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const record = this.record(scope, data, options);
		const before = new Set(record.data);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			if (before.has(String(item))) result.processed.push(item);
			else {
				result.new.push(item);
				record.data.push(String(item));
			}
		}
		if (options.maxEntries) record.data.splice(0, Math.max(0, record.data.length - options.maxEntries));
		return await Promise.resolve(result);
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, data: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<void> {
		const record = this.record(scope, data, options);
		for (const item of items.map(String)) {
			const index = record.data.indexOf(item);
			if (index !== -1) record.data.splice(index, 1);
		}
		await Promise.resolve();
	}

	async clearAllProcessedItems(scope: DeduplicationScope, data: ICheckProcessedContextData): Promise<void> {
		(this.stores.get(data.workflow.id) ?? this.use(data.workflow.id)).records.delete(contextOf(scope, data));
		await Promise.resolve();
	}

	async getProcessedDataCount(scope: DeduplicationScope, data: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<number> {
		return await Promise.resolve(this.record(scope, data, options).data.length);
	}
}

import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import type { ZodTypeAny } from 'zod';

import type { ProviderClient } from './http';
import type { PageScheme, RequestSpec } from './operation';

/**
 * Reads a list page by page until `seenEnough` says the rest is already known (for a
 * newest-first list), the list ends, or `maxPages` were read: a poll never walks a whole history.
 */
export async function readPages(
	client: ProviderClient,
	spec: RequestSpec,
	pages: PageScheme,
	options: { pageSize: number; maxPages: number; success: ZodTypeAny; seenEnough?: (page: IDataObject[]) => boolean },
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let cursor: unknown = pages.first(spec);
	for (let read = 0; cursor !== undefined && read < options.maxPages; read++) {
		const answer = await client.call(pages.request(spec, cursor, options.pageSize), { idempotent: true, success: options.success });
		const page = pages.read(answer, cursor, options.pageSize);
		records.push(...page.records);
		if (!page.records.length || options.seenEnough?.(page.records)) break;
		cursor = page.next;
	}
	return records;
}

/** Keeps the `max` entries with the largest sort key: static data must stay small. */
export function keepNewest<T>(entries: Record<string, T>, max: number, sortKey: (entry: T) => string | number): Record<string, T> {
	const all = Object.entries(entries);
	if (all.length <= max) return entries;
	all.sort(([, a], [, b]) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
	return Object.fromEntries(all.slice(0, max));
}

/**
 * What a poll returns: the events as items, or null when there are none. In manual mode
 * (the editor's "Fetch Test Event") the newest record (one per event watched) is shown even if
 * nothing is new, so the user sees the shape of the data.
 */
export function pollResult(ctx: IPollFunctions, events: IDataObject[], sample?: IDataObject | IDataObject[]): INodeExecutionData[][] | null {
	const samples = sample === undefined ? [] : Array.isArray(sample) ? sample : [sample];
	const records = events.length ? events : ctx.getMode() === 'manual' ? samples : [];
	return records.length ? [ctx.helpers.returnJsonArray(records)] : null;
}

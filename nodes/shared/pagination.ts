import type { IDataObject } from 'n8n-workflow';

import type { PageScheme } from './operation';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The list inside an answer: the answer itself, or the first array (or paginator) among its values. */
export function findRecords(answer: unknown): { records: IDataObject[]; holder?: IDataObject } {
	if (Array.isArray(answer)) return { records: answer as IDataObject[] };
	if (!isRecord(answer)) return { records: [] };
	if (Array.isArray(answer.data)) return { records: answer.data as IDataObject[], holder: answer };
	for (const value of Object.values(answer)) {
		if (Array.isArray(value)) return { records: value as IDataObject[], holder: answer };
		if (isRecord(value) && Array.isArray(value.data)) return { records: value.data as IDataObject[], holder: value };
	}
	return { records: [] };
}

/** A list the provider returns whole: Limit only trims it. */
export const wholeList: PageScheme<number> = {
	first: () => 1,
	maxPageSize: Number.MAX_SAFE_INTEGER,
	request: (spec) => spec,
	read: (answer) => ({ records: findRecords(answer).records }),
};

/**
 * Numbered pages (`page=1,2,…` and a page size). The last page is known from the paginator
 * (`last_page`, `total_pages`, `next_page_url`) when the provider sends one, else from a short page.
 */
export function numberedPages(options: { pageParam: string; sizeParam: string; maxPageSize: number }): PageScheme<number> {
	return {
		first: () => 1,
		maxPageSize: options.maxPageSize,
		request: (spec, page, pageSize) => ({
			...spec,
			query: { ...spec.query, [options.pageParam]: page, [options.sizeParam]: pageSize },
		}),
		read: (answer, page, pageSize) => {
			const { records, holder } = findRecords(answer);
			const lastPage = Number(holder?.last_page ?? holder?.total_pages ?? holder?.lastPage ?? NaN);
			const more = Number.isFinite(lastPage)
				? page < lastPage
				: holder && 'next_page_url' in holder
					? Boolean(holder.next_page_url)
					: records.length >= pageSize;
			return { records, next: more ? page + 1 : undefined };
		},
	};
}

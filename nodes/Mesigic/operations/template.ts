import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { ProviderClient } from '../../shared/http';
import type { Operation } from '../../shared/operation';
import { findRecords, wholeList } from '../../shared/pagination';
import { mesigic, MESIGIC_LIST } from '../api';

export const templateOperations: Operation[] = [
	{
		resource: 'template',
		value: 'getAll',
		success: MESIGIC_LIST,
		name: 'Get Many',
		action: 'Get many templates',
		description: 'List the WhatsApp message templates of the account',
		fields: [],
		idempotent: true,
		pages: wholeList,
		request: () => ({ method: 'GET', path: 'inbox/template-list' }),
	},
];

/** The template dropdown: approved templates first, each with its language and status. */
export async function loadTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, mesigic);
	const answer = await client.call({ method: 'GET', path: 'inbox/template-list' }, { idempotent: true, success: MESIGIC_LIST });
	const approved = (template: IDataObject) => String(template.status ?? '').toUpperCase() === 'APPROVED';
	return findRecords(answer)
		.records.sort((a, b) => Number(approved(b)) - Number(approved(a)))
		.map((template) => ({
			name: [template.name ?? `Template ${template.id}`, template.language ? `(${template.language})` : ''].join(' ').trim(),
			value: template.id as number,
			description: template.status ? `Status: ${template.status}` : undefined,
		}));
}

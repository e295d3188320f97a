/**
 * The README's table of the 81 rows of Messlo's API document: every row is there once, in order,
 * and every row it says the node covers names a resource, an operation and options the Messlo node
 * really has — so the table cannot promise what the node does not do.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { MESSLO_RESOURCES, messloOperations } from '../../nodes/Messlo/operations';

const NOT_YET = 'issue: part 2';
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Messlo\n'), readme.indexOf('### Messlo Trigger'));
const rows = [...section.matchAll(/^\| (\d+) \| `([A-Z]+ [^`]+)` ([^|]+) \| ([^|]+) \|$/gm)].map(([, number, endpoint, title, where]) => ({
	number: Number(number),
	endpoint: endpoint!,
	title: title!.trim(),
	where: where!.trim(),
}));
const covered = rows.filter((row) => row.where !== NOT_YET);

/** Every field of an operation, with those inside collections and fixed collections. */
function allFields(fields: INodeProperties[]): INodeProperties[] {
	return fields.flatMap((field) => {
		const nested = (field.options ?? []).flatMap((option) => {
			if ('values' in option) return allFields((option as INodePropertyCollection).values);
			if ('type' in option) return allFields([option as INodeProperties]);
			return [];
		});
		return [field, ...nested];
	});
}

/** What "Resource → Operation → Field: Option, Other Field on (remark)" names, or why it does not exist. */
function problemsOf(where: string): string[] {
	const withoutRemark = (text: string) => text.replace(/\s*\([^()]*\)$/, '');
	const [resourceName, operationName, ...options] = where.split(' → ');
	const resource = Object.entries(MESSLO_RESOURCES).find(([, name]) => name === resourceName)?.[0];
	if (!resource) return [`no resource "${resourceName}"`];
	const operation = messloOperations.find((candidate) => candidate.resource === resource && candidate.name === withoutRemark(operationName ?? ''));
	if (!operation) return [`no operation "${operationName}" of ${resourceName}`];
	const fields = allFields(operation.fields);
	/** A field (and one of its options) by name; a remark in parentheses at the end may follow. */
	const find = (piece: string) => {
		const [fieldName, optionName] = piece.includes(': ') ? piece.split(': ') : [piece.replace(/ on$/, ''), undefined];
		const field = fields.find((candidate) => candidate.displayName === fieldName);
		if (!field) return `no field "${fieldName}" in ${resourceName} → ${operationName}`;
		if (optionName !== undefined && !(field.options as INodePropertyOptions[] | undefined)?.some((option) => option.name === optionName)) return `no option "${optionName}" of ${fieldName}`;
		return undefined;
	};
	const problems: string[] = [];
	for (const piece of options.flatMap((option) => option.split(/, (?![^(]*\))/))) {
		const problem = find(piece) && find(withoutRemark(piece));
		if (problem) problems.push(problem);
	}
	return problems;
}

it('lists each of the 81 rows once, in order', () => {
	expect(rows.map((row) => row.number)).toEqual(Array.from({ length: 81 }, (_, i) => i + 1));
});

it('says how many rows the node covers, and covers at least the 45 of part 1', () => {
	expect(section).toContain(`(${covered.length} in the node so far`);
	expect(covered.length).toBeGreaterThanOrEqual(45);
});

it.each(covered.map((row) => [row.number, row.where] as const))('row %i is where it says: %s', (_number, where) => {
	expect(problemsOf(where)).toEqual([]);
});

it('puts every send of the document under Message → Send, and both assign-chat rows under Chat → Assign', () => {
	for (const row of covered.filter((candidate) => candidate.endpoint === 'POST /api/whatsapp/send')) expect(row.where).toMatch(/^Message → Send → /);
	expect(rows.filter((row) => row.endpoint === 'POST /api/whatsapp/assign-chat').map((row) => row.where.split(' (')[0])).toEqual(['Chat → Assign', 'Chat → Assign']);
});

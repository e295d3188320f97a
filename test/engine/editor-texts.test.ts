/**
 * What a user reads in the editor before running anything: subtitles in words, and no parameter
 * that starts out holding sample data a run would send as it is (examples belong in placeholders).
 */
import type { INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { loadPackage, type LoadedPackage } from '../support/engine';

let pkg: LoadedPackage;
beforeAll(async () => {
	pkg = await loadPackage();
});

const descriptionOf = (type: string) => pkg.nodeTypes.getByName(type).description as INodeTypeDescription;
const ACTION_NODES = () => pkg.nodeTypes.names().filter((type) => descriptionOf(type).properties.some((property) => property.name === 'resource'));

/** Every property, those inside collections and fixed collections included. */
function allProperties(properties: readonly unknown[]): INodeProperties[] {
	return (properties as INodeProperties[]).flatMap((property) => [
		property,
		...allProperties((property.options ?? []) as unknown[]),
		...allProperties(((property as unknown as { values?: unknown[] }).values ?? []) as unknown[]),
	]);
}

/** The subtitle as n8n's editor shows it under the node: its expression over the node's parameters. */
function subtitle(type: string, parameters: Record<string, string>): unknown {
	const description = descriptionOf(type);
	const node: INode = { id: 'n', name: 'Node', type, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle, 'internal', {});
}

describe('subtitles', () => {
	it('read as words for every operation of every action node: "Send Template · Message"', () => {
		const shown: string[] = [];
		for (const type of ACTION_NODES()) {
			const { properties } = descriptionOf(type);
			const resources = properties.find((property) => property.name === 'resource')!.options as Array<{ name: string; value: string }>;
			for (const resource of resources) {
				const selector = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value))!;
				for (const operation of selector.options as Array<{ name: string; value: string }>) {
					const text = subtitle(type, { resource: resource.value, operation: operation.value });
					expect(text).toBe(`${operation.name} · ${resource.name}`);
					shown.push(String(text));
				}
			}
		}
		expect(shown).toContain('Send Template · Message');
	});

	it('shows the values of an operation it does not know rather than nothing', () => {
		expect(subtitle(pkg.nodeType('mesigic'), { resource: 'message', operation: 'sendLater' })).toBe('message:sendLater');
	});
});

describe('defaults', () => {
	it('no text or JSON parameter starts out holding sample data (defaults are empty, or a label or setting meant to be used as it is)', () => {
		const filled: string[] = [];
		// Defaults meant to be used unchanged: button labels of the answer page and of templates,
		// Messlo's provider and template language, and empty JSON.
		const meant = new Set(['"Approve"', '"Decline"', '"Submit"', '"business_api"', '"en_US"', '"View Catalog"', '"Copy Code"', '"{}"', '"[]"', '"CUSTOM"', '"/google_account"']);
		for (const type of pkg.nodeTypes.names()) {
			for (const property of allProperties(descriptionOf(type).properties)) {
				if (!['string', 'json'].includes(property.type) || property.default === '' || property.default === undefined) continue;
				// Binary field names, and the schedule n8n itself adds to polling triggers (Poll Times).
				if (/binary/i.test(property.name) || property.name === 'cronExpression' || meant.has(JSON.stringify(property.default))) continue;
				filled.push(`${type} → ${property.displayName}: ${JSON.stringify(property.default).slice(0, 40)}`);
			}
		}
		expect(filled).toEqual([]);
	});

	it('shows Mehery\'s contact card example as a placeholder', () => {
		const contacts = descriptionOf(pkg.nodeType('mehery')).properties.find((property) => property.name === 'contacts')!;
		expect(contacts).toMatchObject({ default: '', placeholder: expect.stringContaining('"formatted_name"') });
	});
});

/**
 * ItemReader reads each parameter of an item through n8n (getNodeParameter, which evaluates its
 * expression). Text, numbers and booleans are evaluated once per item however often they are read
 * (a send reads its recipient for the request, the output and an error item); objects are read anew.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { ItemReader } from '../../nodes/shared/item-reader';

function contextWith(parameters: Record<string, unknown>) {
	const reads: string[] = [];
	const ctx = {
		getNode: () => ({ name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => {
			reads.push(name);
			const value = parameters[name];
			return value === undefined ? fallback : typeof value === 'object' && value !== null ? structuredClone(value) : value;
		},
	} as unknown as IExecuteFunctions;
	return { ctx, reads };
}

it('evaluates a text, number or boolean parameter once per item', () => {
	const { ctx, reads } = contextWith({ phone: '+1 747 282 2486', limit: 5, returnAll: false });
	const item = new ItemReader(ctx, 0);
	for (let round = 0; round < 3; round++) {
		expect(item.raw('phone', '')).toBe('+1 747 282 2486');
		expect(item.raw('limit')).toBe(5);
		expect(item.boolean('returnAll')).toBe(false);
	}
	expect(reads).toEqual(['phone', 'limit', 'returnAll']);
	// another item is its own evaluation
	new ItemReader(ctx, 1).raw('phone', '');
	expect(reads).toHaveLength(4);
});

it('reads an object anew each time, so that what one caller changes no other sees', () => {
	const { ctx, reads } = contextWith({ additionalFields: { fromNumber: '+1 747 555 0100' } });
	const item = new ItemReader(ctx, 0);
	(item.collection('additionalFields') as Record<string, unknown>).fromNumber = 'changed';
	expect(item.collection('additionalFields')).toEqual({ fromNumber: '+1 747 555 0100' });
	expect(reads).toEqual(['additionalFields', 'additionalFields']);
});

it('a different fallback is a new read (the value may be missing)', () => {
	const { ctx, reads } = contextWith({});
	const item = new ItemReader(ctx, 0);
	expect(item.raw('message', '')).toBe('');
	expect(item.raw('message', 'default')).toBe('default');
	expect(reads).toEqual(['message', 'message']);
});

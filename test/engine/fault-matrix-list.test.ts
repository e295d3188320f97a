/**
 * The fault matrix, reads (test/support/fault-matrix.ts): one list operation of every provider that
 * has one, N items with Continue On Fail, through the real n8n-core engine against the simulators:
 * whatever the fault, every item reads the whole list (reads are tried again), none is lost or cut
 * short. FAULT_MATRIX_TABLE=1 prints the README's table.
 */
import { countOutcomes, FAULTS, FAULTY_READS, MATRIX_PROVIDERS, N, useFaultMatrix } from '../support/fault-matrix';

const matrix = useFaultMatrix();

describe.each(MATRIX_PROVIDERS.filter((provider) => provider.list))('$name', (provider) => {
	const list = provider.list!;
	describe(`${list.label}: ${N} items, Continue On Fail`, () => {
		test.each(FAULTS)('$name', async (fault) => {
			const { simulator, byItem } = await matrix.run(provider, list.parameters, fault, list.route, FAULTY_READS);
			const counts = countOutcomes(byItem.map((items) => (items.length === 0 ? 'lost' : items.some((item) => item.json.error) ? 'failed' : 'read')));
			expect(counts).toEqual({ read: N });
			// every item read the same records: none was cut short by the fault
			expect(new Set(byItem.map((items) => items.length)).size).toBe(1);
			expect(simulator.server.received(list.route).length).toBeGreaterThanOrEqual(N + FAULTY_READS);
			matrix.record(fault, `${provider.name} list`, { 'read (retried)': N });
		});
	});
});

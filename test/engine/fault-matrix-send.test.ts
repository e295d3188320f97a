/**
 * The fault matrix, sends (test/support/fault-matrix.ts): every provider's send operation, N items
 * with Continue On Fail, through the real n8n-core engine against the simulators, for each fault a
 * provider or a proxy can produce. Whatever the fault: no item lost, no message sent twice, no
 * result for a message the provider did not take; an item whose answer was lost says that its
 * outcome is unknown and that it was not sent again. FAULT_MATRIX_TABLE=1 prints the README's table.
 */
import { countOutcomes, FAULTS, FAULTY_SENDS, itemText, MATRIX_PROVIDERS, N, useFaultMatrix } from '../support/fault-matrix';

const matrix = useFaultMatrix();

describe.each(MATRIX_PROVIDERS)('$name', (provider) => {
	describe(`${provider.send.label}: ${N} items, Continue On Fail`, () => {
		test.each(FAULTS)('$name', async (fault) => {
			const { simulator, byItem } = await matrix.run(provider, provider.send.parameters, fault, provider.send.route, FAULTY_SENDS);
			const accepted = simulator.server.accepted(provider.send.route).map((request) => provider.send.textOf(request.body));
			const outcomes = byItem.map((items, i) => {
				const carriedOut = accepted.filter((text) => text === itemText(i)).length;
				if (items.length !== 1) return `${items.length} outputs`;
				const { error, details } = items[0].json as { error?: string; details?: { description?: string } };
				const description = details?.description;
				if (carriedOut > 1) return 'duplicate';
				if (!error) return carriedOut === 1 ? 'sent' : 'result without a send';
				if (carriedOut === 0) return 'failed, not sent';
				// the provider did carry it out: the item says that it may have, and that it was not sent again
				expect(`${error}\n${description}`).toMatch(/may have carried this out|is unknown/);
				expect(description).toMatch(/not sent again/);
				return 'failed, sent';
			});
			const counts = countOutcomes(outcomes);
			expect(counts).toEqual(fault.send === 'sent' ? { sent: N } : { sent: N - FAULTY_SENDS, [fault.send]: FAULTY_SENDS });
			matrix.record(fault, `${provider.name} send`, counts);
		});
	});
});

import { productionUrlOf } from '../../nodes/shared/test-listen';

describe('productionUrlOf: the Production URL that goes with a test URL', () => {
	it('swaps n8n\'s default test path for the production one', () => {
		expect(productionUrlOf('https://n8n.example.com/webhook-test/4b1c0000-0000-4000-8000-000000000001')).toBe('https://n8n.example.com/webhook/4b1c0000-0000-4000-8000-000000000001');
	});

	it('keeps a path prefix, a port and what follows the webhook id', () => {
		expect(productionUrlOf('http://10.0.0.5:8080/n8n/webhook-test/4b1c/api/v1/message/receive')).toBe('http://10.0.0.5:8080/n8n/webhook/4b1c/api/v1/message/receive');
	});

	it('gives up when the instance renamed its test path', () => {
		expect(productionUrlOf('https://n8n.example.com/hooks-test/4b1c')).toBeUndefined();
	});
});

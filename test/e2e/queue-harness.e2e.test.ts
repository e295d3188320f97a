/**
 * The queue-mode harness does not take a process's readiness for the package being there: a worker
 * that did not load the package (community packages off) answers /healthz/readiness like any other,
 * and only the probe workflow, run on it, shows that it cannot run the package's nodes.
 */
import { startN8n } from '../support/n8n-server';

test('a worker without the package is found out, although it says it is ready', async () => {
	const started = startN8n({ queue: true, processEnv: { worker: { N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'true' } } });
	await expect(started).rejects.toThrow(/The worker did not run the probe execution \d+ \(status error\): it may not have loaded n8n-nodes-whatsapp-gateways/);
}, 15 * 60_000);

/**
 * What a broadcast costs per message beyond the request itself: the credential is read (and, in
 * n8n, fetched and decrypted) once for the run rather than once per message, and the credential's
 * authenticate sets its headers without an expression per value.
 */
import { startMesigic } from '../support/mesigic';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesigic);

const SEND = 'POST /external-api/inbox/send-message';

it('a broadcast of 5 messages reads the credential once, and every request still carries it', async () => {
	const result = await env.pkg.runWorkflow({
		nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', message: 'Hi', attachment: 'none', requestOptions: { parallelRequests: 2 } } }],
		credentials: { mesigicApi: env.sandbox.credentials },
		inputJson: Array.from({ length: 5 }, (_, n) => ({ phone: `+880 1711-00000${n}` })),
	});
	expect(result.error).toBeUndefined();
	const calls = result.credentials.calls.filter((call) => call.node === 'Mesigic');
	expect(calls.filter((call) => call.method === 'getDecrypted')).toHaveLength(1);
	expect(calls.filter((call) => call.method === 'authenticate')).toHaveLength(5);
	expect(env.sandbox.server.accepted(SEND)).toHaveLength(5);
});

it.each(['mesigicApi', 'chatApiApi', 'meheryApi', 'messinginApi', 'messloApi'])("%s: the credential's authenticate is code, so n8n evaluates no expression for it on each request", (type) => {
	const { authenticate } = env.pkg.credentialTypes.getByName(type);
	expect(typeof authenticate).toBe('function');
});

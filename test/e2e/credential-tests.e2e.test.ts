/**
 * The credential tests of the four providers through a real n8n 2.41 with the package installed as
 * a community package: n8n finds each test through the nodes' `testedBy` and runs it with the
 * stored credential. It passes against the simulator and fails for a wrong secret, for an address
 * that answers with an HTML page (200 or 404) and for a JSON answer that is not the provider's;
 * n8n's log never holds a secret.
 */
import { CREDENTIAL_CASES, secretsOf, type CredentialCase, type CredentialSandbox } from '../support/credential-cases';
import { useN8nWithSandbox } from '../support/use-n8n';
import { startWebsite, type Website } from '../support/website';

interface Stand {
	sandboxes: Map<string, CredentialSandbox>;
	website: Website;
	stop(): Promise<void>;
}

async function startAll(): Promise<Stand> {
	const website = await startWebsite();
	const sandboxes = new Map<string, CredentialSandbox>();
	for (const testCase of CREDENTIAL_CASES) sandboxes.set(testCase.type, await testCase.start());
	return {
		sandboxes,
		website,
		stop: async () => {
			await website.close();
			for (const sandbox of sandboxes.values()) await sandbox.stop();
		},
	};
}

const env = useN8nWithSandbox(startAll);

async function testIn(testCase: CredentialCase, label: string, overrides: Record<string, string> = {}) {
	const { n8n, sandbox } = env;
	const stand = sandbox.sandboxes.get(testCase.type)!;
	const credential = await env.n8n.createCredential(testCase.type, `${testCase.displayName} ${label}`, { ...stand.credentials, ...overrides });
	const result = await n8n.testCredential(credential.id);
	for (const secret of secretsOf(stand, testCase)) {
		expect(result.message).not.toContain(secret);
		expect(n8n.logs()).not.toContain(secret);
	}
	return result;
}

describe.each(CREDENTIAL_CASES.map((testCase) => [testCase.displayName, testCase] as const))('%s credential tested by n8n', (name, testCase) => {
	beforeEach(() => env.sandbox.sandboxes.get(testCase.type)!.server.reset());

	it('passes against the simulator', async () => {
		expect(await testIn(testCase, 'sandbox')).toEqual({ status: 'OK', message: expect.stringContaining(`Connection successful: ${name} accepted the credential`) });
		const calls = env.sandbox.sandboxes.get(testCase.type)!.server.received();
		expect(calls.map((call) => call.status)).toEqual([testCase.okStatus]);
	}, 60_000);

	it('fails for a wrong secret', async () => {
		const result = await testIn(testCase, 'wrong secret', testCase.wrong);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(new RegExp(`^${name} refused the credential: .+\\(HTTP 401\\)\\. Check the .+ What came back: HTTP 401 \\(application/json\\)`)) });
	}, 60_000);

	it('fails when the address answers 200 with an HTML page', async () => {
		const result = await testIn(testCase, 'website', { [testCase.urlField]: env.sandbox.website.url });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining(`${name} did not answer: the ${testCase.urlLabel} answered HTTP 200 with an HTML page. Check the ${testCase.urlLabel}`),
		});
		expect(result.message).toContain('What came back: HTTP 200 (text/html): "<!DOCTYPE html>');
	}, 60_000);

	it('fails when the address answers 404 with an HTML page', async () => {
		const result = await testIn(testCase, 'missing page', { [testCase.urlField]: env.sandbox.website.missingUrl });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining(`the ${testCase.urlLabel} answered HTTP 404 with an HTML page`) });
	}, 60_000);

	it(`fails on JSON that is not ${name}'s documented answer`, async () => {
		const { status, body } = testCase.lookalike;
		env.sandbox.sandboxes.get(testCase.type)!.server.injectFault(testCase.route, { kind: 'answer', status, contentType: 'application/json', body });
		const result = await testIn(testCase, 'look-alike answer');
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining(`What came back: HTTP ${status} (application/json): "${body.slice(0, 30)}`) });
	}, 60_000);
});

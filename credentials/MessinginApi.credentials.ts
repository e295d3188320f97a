import type { ICredentialDataDecryptedObject, ICredentialType, Icon, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

export class MessinginApi implements ICredentialType {
	name = 'messinginApi';

	displayName = 'Messingin API';

	icon: Icon = { light: 'file:../icons/messingin.svg', dark: 'file:../icons/messingin.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#messingin-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the Messingin dashboard; every call sends it as a Bearer token',
		},
		{
			displayName: 'Plan',
			name: 'plan',
			type: 'options',
			default: 'free',
			description: 'Your Messingin subscription: the nodes never make more API calls per minute than it allows',
			options: [
				{ name: 'Basic (1,000 Calls per Minute)', value: 'basic' },
				{ name: 'Custom', value: 'custom', description: 'A limit Messingin agreed with you' },
				{ name: 'Enterprise (20,000 Calls per Minute)', value: 'enterprise' },
				{ name: 'Free (100 Calls per Minute)', value: 'free' },
				{ name: 'Pro (10,000 Calls per Minute)', value: 'pro' },
			],
		},
		{
			displayName: 'API Calls per Minute',
			name: 'callsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description: 'The API calls per minute your agreement allows',
			displayOptions: { show: { plan: ['custom'] } },
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Messingin Trigger: any long random text. Messingin must call the trigger\'s URL with "?secret=" and this text; calls without it are refused.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.messingin.com',
			description: 'Change only if Messingin gives you another address',
		},
	];

	// No `test` here: the nodes test this credential (`testedBy`), because a credential's own test
	// cannot require the provider's documented answer (see nodes/shared/credential-test.ts).

	// Code rather than the generic form, which evaluates an expression for each value on every
	// request: thousands of them in a broadcast, for values that never change.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '')}` },
	});
}

import type { ICredentialDataDecryptedObject, ICredentialType, Icon, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

export class MesigicApi implements ICredentialType {
	name = 'mesigicApi';

	displayName = 'Mesigic API';

	icon: Icon = { light: 'file:../icons/mesigic.svg', dark: 'file:../icons/mesigic.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mesigic-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From the Mesigic dashboard, Developer Tools',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the Mesigic dashboard, Developer Tools',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://mesigic.com/external-api',
			description: "Change only if Mesigic gives you another address. Mesigic also requires the n8n server's public IP address to be on the IP Whitelist in its dashboard.",
		},
	];

	// No `test` here: the nodes test this credential (`testedBy`), because a credential's own test
	// cannot require the provider's documented answer (see nodes/shared/credential-test.ts).

	// Code rather than the generic form, which evaluates an expression for each value on every
	// request: thousands of them in a broadcast, for values that never change.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'client-id': String(credentials.clientId ?? ''), 'client-secret': String(credentials.clientSecret ?? '') },
	});
}

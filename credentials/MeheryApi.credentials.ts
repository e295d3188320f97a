import type { ICredentialDataDecryptedObject, ICredentialType, Icon, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

export class MeheryApi implements ICredentialType {
	name = 'meheryApi';

	displayName = 'Mehery API';

	icon: Icon = { light: 'file:../icons/mehery.svg', dark: 'file:../icons/mehery.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mehery-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.example-mehery-host.com',
			description: 'The address of your Mehery API, without /api/v1 (Mehery TechSupport gives it with the API key; the API documentation names none)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as the x-api-key header of every call. Ask Mehery TechSupport for it.',
		},
		{
			displayName: 'Callback Verification Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The token Mehery sends in the x-verify-token header of its callbacks (inbound messages, contact info, action events). The Mehery Trigger refuses every callback without it. Not needed for sending.',
		},
	];

	// No `test` here: the nodes test this credential (`testedBy`), because a credential's own test
	// cannot require the provider's documented answer (see nodes/shared/credential-test.ts).

	// Code rather than the generic form, which evaluates an expression for each value on every
	// request: thousands of them in a broadcast, for values that never change.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'x-api-key': String(credentials.apiKey ?? '') },
	});
}

import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class MeheryApi implements ICredentialType {
	name = 'meheryApi';

	displayName = 'Mehery API';

	icon: Icon = { light: 'file:../icons/mehery.svg', dark: 'file:../icons/mehery.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mehery';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'x-api-key': '={{$credentials.apiKey}}' },
		},
	};

	// Mehery has no call that succeeds without an existing ID, so the test reads the messages of a
	// session that does not exist: a valid key gets "not found", a wrong one "Unauthorized".
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/session/messages',
			qs: { sessionId: 'n8n-credential-test' },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error', value: 'Unauthorized', message: 'Mehery refused the API key (401 Unauthorized): check the API key and the base URL' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error', value: 'Forbidden', message: 'Mehery refused the API key (403 Forbidden): the key is not allowed to use this API' },
			},
		],
	};
}

import type { IAuthenticateGeneric, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class MessloApi implements ICredentialType {
	name = 'messloApi';

	displayName = 'Messlo API';

	icon: Icon = { light: 'file:../icons/messlo.svg', dark: 'file:../icons/messlo.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#messlo-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as the X-API-Key header of every call. Create it in the Messlo dashboard under Integration Tools → API Credentials (it is shown only once).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.messlo.com',
			description: 'Change only if Messlo gives you another address',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-API-Key': '={{$credentials.apiKey}}' },
		},
	};
}

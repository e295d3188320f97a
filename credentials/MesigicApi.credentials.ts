import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class MesigicApi implements ICredentialType {
	name = 'mesigicApi';

	displayName = 'Mesigic API';

	icon: Icon = { light: 'file:../icons/mesigic.svg', dark: 'file:../icons/mesigic.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mesigic';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'client-id': '={{$credentials.clientId}}',
				'client-secret': '={{$credentials.clientSecret}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/contact/list',
			qs: { page: 1, paginate: 1 },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'status', value: 'error', message: 'Mesigic refused the credentials or this server\'s IP address (check the IP Whitelist)' },
			},
		],
	};
}

import type { ICredentialDataDecryptedObject, ICredentialType, Icon, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

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

	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'X-API-Key': String(credentials.apiKey ?? '') },
	});
}

import type { ICredentialDataDecryptedObject, ICredentialType, Icon, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

export class ChatApiApi implements ICredentialType {
	name = 'chatApiApi';

	displayName = 'Chat API';

	icon: Icon = { light: 'file:../icons/chatapi.svg', dark: 'file:../icons/chatapi.dark.svg' };

	documentationUrl = 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#chat-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance API URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://eu1.chat-api.com/instance12345',
			description: 'The API URL of your instance, as shown on its page in your Chat API account',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The instance token. It travels in the URL of every call, so it is kept out of every error and log.',
		},
	];

	// No `test` here: the nodes test this credential (`testedBy`), because a credential's own test
	// cannot require the provider's documented answer (see nodes/shared/credential-test.ts).

	// Code rather than the generic form, which evaluates an expression for each value on every
	// request: thousands of them in a broadcast, for values that never change.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		qs: { ...requestOptions.qs, token: String(credentials.token ?? '') },
	});
}

'use strict';
// Fixture credential: a generic `authenticate` (header from a field + a query parameter) and a
// `test` request with a responseCode rule, like the package's real credentials.
class FixtureApi {
	constructor() {
		this.name = 'fixtureApi';
		this.displayName = 'Fixture API';
		this.documentationUrl = 'https://example.invalid/docs';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:1' },
			{
				displayName: 'API Key',
				name: 'apiKey',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{ displayName: 'Account', name: 'account', type: 'string', default: 'default-account' },
		];
		this.authenticate = {
			type: 'generic',
			properties: {
				headers: { 'X-Api-Key': '={{$credentials.apiKey}}' },
				qs: { account: '={{$credentials.account}}' },
			},
		};
		this.test = {
			request: { baseURL: '={{$credentials.baseUrl}}', url: '/me', method: 'GET' },
			rules: [
				{ type: 'responseCode', properties: { value: 401, message: 'The API key is not valid' } },
				{
					type: 'responseSuccessBody',
					properties: { key: 'status', value: 'suspended', message: 'The account is suspended' },
				},
			],
		};
	}
}
module.exports = { FixtureApi };

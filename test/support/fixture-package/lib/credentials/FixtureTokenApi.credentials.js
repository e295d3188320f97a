'use strict';
// Fixture credential with a preAuthentication step: logs in for a session token kept in an
// expirable hidden field, which the generic authenticate then sends as a bearer token.
class FixtureTokenApi {
	constructor() {
		this.name = 'fixtureTokenApi';
		this.displayName = 'Fixture Token API';
		this.documentationUrl = 'https://example.invalid/docs';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Username', name: 'username', type: 'string', default: '' },
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{
				displayName: 'Session Token',
				name: 'sessionToken',
				type: 'hidden',
				typeOptions: { expirable: true },
				default: '',
			},
		];
		this.authenticate = {
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' } },
		};
		this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' } };
	}

	async preAuthentication(credentials) {
		const { token } = await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl}/login`,
			body: { username: credentials.username, password: credentials.password },
			json: true,
		});
		return { sessionToken: token };
	}
}
module.exports = { FixtureTokenApi };

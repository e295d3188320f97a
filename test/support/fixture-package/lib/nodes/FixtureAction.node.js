'use strict';
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

// Fixture action node: one request per item through httpRequestWithAuthentication, pairedItem set,
// continueOnFail honoured, and a loadOptions method.
class FixtureAction {
	constructor() {
		this.description = {
			displayName: 'Fixture Action',
			name: 'fixtureAction',
			icon: 'fa:vial',
			group: ['transform'],
			version: 1,
			subtitle: 'echo',
			description: 'Calls the fixture server once per item',
			defaults: { name: 'Fixture Action' },
			inputs: ['main'],
			outputs: ['main'],
			usableAsTool: true,
			credentials: [{ name: 'fixtureApi', required: true }],
			properties: [
				{ displayName: 'Phone', name: 'phone', type: 'string', default: '={{ $json.phone }}' },
				{ displayName: 'Text', name: 'text', type: 'string', default: 'hello' },
				{
					displayName: 'Pair Items',
					name: 'pairItems',
					type: 'boolean',
					default: true,
					description: 'Whether to set pairedItem (off: lets the harness prove it notices)',
				},
				{
					displayName: 'Language',
					name: 'language',
					type: 'options',
					options: [
						{ name: 'Any', value: '' },
						{ name: 'English', value: 'en' },
						{ name: 'German', value: 'de' },
					],
					default: '',
				},
				{
					displayName: 'Template Name or ID',
					name: 'template',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getTemplates' },
					default: '',
				},
			],
		};
		this.methods = {
			loadOptions: {
				async getTemplates() {
					const credentials = await this.getCredentials('fixtureApi');
					const response = await this.helpers.httpRequestWithAuthentication.call(this, 'fixtureApi', {
						method: 'GET',
						url: `${credentials.baseUrl}/templates`,
						json: true,
					});
					const language = this.getCurrentNodeParameter('language');
					return response.templates
						.filter((t) => !language || t.language === language)
						.map((t) => ({ name: t.name, value: t.id }));
				},
			},
		};
	}

	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('fixtureApi');
		const out = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const phone = this.getNodeParameter('phone', i);
				const text = this.getNodeParameter('text', i);
				if (!/^\+?\d{6,15}$/.test(String(phone))) {
					throw new NodeOperationError(this.getNode(), `Invalid phone number "${phone}"`, {
						itemIndex: i,
						description: 'Use digits only, optionally with a leading +',
					});
				}
				let response;
				try {
					response = await this.helpers.httpRequestWithAuthentication.call(this, 'fixtureApi', {
						method: 'POST',
						url: `${credentials.baseUrl}/messages`,
						body: { phone, text },
						json: true,
					});
				} catch (error) {
					// httpRequestWithAuthentication already throws a NodeApiError, and re-wrapping one
					// hands back the original unchanged (n8n-workflow 2.41): set the item index on it.
					const apiError = new NodeApiError(this.getNode(), error, { itemIndex: i });
					apiError.context.itemIndex = i;
					throw apiError;
				}
				out.push(
					this.getNodeParameter('pairItems', i) ? { json: response, pairedItem: { item: i } } : { json: response },
				);
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}
module.exports = { FixtureAction };

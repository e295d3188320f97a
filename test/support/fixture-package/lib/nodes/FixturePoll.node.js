'use strict';

// Fixture polling trigger: keeps a cursor in the node's static data and returns only new events.
class FixturePoll {
	constructor() {
		this.description = {
			displayName: 'Fixture Poll Trigger',
			name: 'fixturePoll',
			icon: 'fa:clock',
			group: ['trigger'],
			version: 1,
			subtitle: 'events',
			description: 'Polls the fixture server for new events',
			defaults: { name: 'Fixture Poll Trigger' },
			polling: true,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'fixtureApi', required: true }],
			properties: [{ displayName: 'Limit', name: 'limit', type: 'number', default: 50 }],
		};
	}

	async poll() {
		const staticData = this.getWorkflowStaticData('node');
		const credentials = await this.getCredentials('fixtureApi');
		const since = typeof staticData.cursor === 'number' ? staticData.cursor : 0;
		const response = await this.helpers.httpRequestWithAuthentication.call(this, 'fixtureApi', {
			method: 'GET',
			url: `${credentials.baseUrl}/events`,
			qs: { since, limit: this.getNodeParameter('limit') },
			json: true,
		});
		const events = response.events;
		if (events.length === 0) return null;
		staticData.cursor = events[events.length - 1].id;
		return [this.helpers.returnJsonArray(events)];
	}
}
module.exports = { FixturePoll };

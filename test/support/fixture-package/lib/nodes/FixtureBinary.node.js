'use strict';

// Fixture binary node: downloads a file as binary with prepareBinaryData, or (mode "size") reads
// the incoming binary back with getBinaryDataBuffer.
class FixtureBinary {
	constructor() {
		this.description = {
			displayName: 'Fixture Binary',
			name: 'fixtureBinary',
			icon: 'fa:file',
			group: ['transform'],
			version: 1,
			subtitle: '={{ $parameter.mode }}',
			description: 'Downloads a file into binary data, or measures incoming binary data',
			defaults: { name: 'Fixture Binary' },
			inputs: ['main'],
			outputs: ['main'],
			usableAsTool: true,
			credentials: [{ name: 'fixtureApi', required: true }],
			properties: [
				{
					displayName: 'Mode',
					name: 'mode',
					type: 'options',
					options: [
						{ name: 'Download', value: 'download' },
						{ name: 'Size', value: 'size' },
					],
					default: 'download',
				},
				{ displayName: 'Property', name: 'binaryPropertyName', type: 'string', default: 'data' },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const mode = this.getNodeParameter('mode', i);
			const property = this.getNodeParameter('binaryPropertyName', i);
			if (mode === 'size') {
				const meta = this.helpers.assertBinaryData(i, property);
				const buffer = await this.helpers.getBinaryDataBuffer(i, property);
				out.push({
					json: { bytes: buffer.length, mimeType: meta.mimeType, fileName: meta.fileName, text: buffer.toString('utf8') },
					pairedItem: { item: i },
				});
				continue;
			}
			const credentials = await this.getCredentials('fixtureApi');
			const response = await this.helpers.httpRequestWithAuthentication.call(this, 'fixtureApi', {
				method: 'GET',
				url: `${credentials.baseUrl}/file`,
				encoding: 'arraybuffer',
				returnFullResponse: true,
			});
			const buffer = Buffer.from(response.body);
			const binary = await this.helpers.prepareBinaryData(buffer, 'hello.txt', 'text/plain');
			out.push({ json: { downloaded: true }, binary: { [property]: binary }, pairedItem: { item: i } });
		}
		return [out];
	}
}
module.exports = { FixtureBinary };

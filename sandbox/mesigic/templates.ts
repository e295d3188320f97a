/** Templates: the list. */
import { api, route, success } from './common';

export const templateRoutes = [
	route({
		method: 'GET',
		path: api('/inbox/template-list'),
		handle: ({ state }) =>
			success('template_list', 'Template list fetched successfully', {
				templates: state.templates.map((template) => ({ ...template })),
			}),
	}),
];

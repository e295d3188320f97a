/** The webhook URL: set it (or remove it with ""), read it. */
import { z } from 'zod';

import { route, tokenOnly, type ApiPath } from './common';
import { httpUrlProblem } from './state';

export const webhookRoutes = (api: ApiPath) => [
	route({
		method: 'POST',
		path: api('/webhook'),
		query: tokenOnly,
		body: z
			.object({
				webhookUrl: z.string().superRefine((value, context) => {
					const problem = value === '' ? undefined : httpUrlProblem(value, 'webhookUrl');
					if (problem) context.addIssue({ code: 'custom', message: `${problem.slice(0, -1)} (or "" to remove it).` });
				}),
			})
			.strict(),
		handle: ({ body, state }) => {
			state.webhookUrl = body.webhookUrl;
			return { json: { set: true, webhookUrl: state.webhookUrl } };
		},
	}),

	route({
		method: 'GET',
		path: api('/webhook'),
		query: tokenOnly,
		handle: ({ state }) => ({ json: { set: state.webhookUrl !== '', webhookUrl: state.webhookUrl } }),
	}),
];

/** Ops (row 72 here): the agents a chat can be assigned to. */
import { z } from 'zod';

import { matches, newestFirst, page, pageQuery, route } from './common';
import { agentJson } from './views';

export const opsRoutes = [
	// Row 72
	route({
		method: 'GET',
		path: '/api/agent/all',
		query: z.object({ ...pageQuery(20, 100), search: z.string().optional() }).strict(),
		handle: ({ query, state }) => {
			const found = state.agents.filter((agent) => matches(query.search, agent.name, agent.email));
			return { json: page(newestFirst(found, (agent) => agent.created_at), query, agentJson) };
		},
	}),
];

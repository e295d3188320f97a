import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

type Loader = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;

/**
 * A dropdown's loader whose failure says why and what to do, in the error's message: when a
 * dropdown cannot load, n8n's editor (2.41) writes "Error fetching options from <node>" in the field
 * and shows only the error's message on the field's issue icon ("There was a problem loading the
 * parameter options from server: …"); a description would be seen nowhere. `what` completes
 * "Could not load …", e.g. "the templates".
 */
export function explainedLoadOptions(what: string, load: Loader): Loader {
	return async function (this: ILoadOptionsFunctions) {
		try {
			return await load.call(this);
		} catch (error) {
			const { message, description } = error as { message?: unknown; description?: unknown };
			const reason = String(message ?? error).replace(/\.$/, '');
			// The message already holds every problem; of the description, only the advice is added.
			const advice = typeof description === 'string' ? description.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('•')) : [];
			const fix = advice.length ? advice.join(' ').trim() : undefined;
			throw new NodeOperationError(this.getNode(), `Could not load ${what}: ${reason}.${fix ? ` ${fix}` : ''}`, {
				description: typeof description === 'string' ? description : undefined,
			});
		}
	};
}

/** "getSenderNumbers" → "the sender numbers". */
const whatOf = (method: string) => `the ${method.replace(/^get/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()}`;

/** A node's `methods.loadOptions`, every loader explained (see explainedLoadOptions), named after its method. */
export function explainedLoaders(loaders: Record<string, Loader>): Record<string, Loader> {
	return Object.fromEntries(Object.entries(loaders).map(([method, load]) => [method, explainedLoadOptions(whatOf(method), load)]));
}

import { loadPackage, type LoadedPackage } from './engine';

interface RunningSandbox {
	server: { reset(): void };
	stop(): Promise<void>;
}

/**
 * Jest hooks for a test file that runs workflows against one provider simulator: the package
 * from dist/ and a sandbox that every test starts fresh. The fields are set once `beforeAll` has run.
 */
export function useSandbox<T extends RunningSandbox>(start: () => Promise<T>): { pkg: LoadedPackage; sandbox: T } {
	const context = {} as { pkg: LoadedPackage; sandbox: T };
	beforeAll(async () => {
		context.pkg = await loadPackage();
		context.sandbox = await start();
	});
	afterAll(() => context.sandbox?.stop());
	beforeEach(() => context.sandbox.server.reset());
	return context;
}

import { SandboxServer } from '../../sandbox/framework';
import { deliverCallback, inboundBatch, MEHERY_DEMO, meherySimulator, type Callback, type InboundMessage, type MeheryState, type TokenChoice } from '../../sandbox/mehery';

export interface MeherySandbox {
	server: SandboxServer<MeheryState>;
	credentials: { baseUrl: string; apiKey: string; verifyToken: string };
	/** A contact (or several) writes: Mehery calls message/receive with the right token, or `token`. */
	inbound(messages: InboundMessage | InboundMessage[], token?: TokenChoice): ReturnType<typeof deliverCallback>;
	/** Mehery calls `callback` with `payload`. */
	callback(callback: Callback, payload: unknown, token?: TokenChoice): ReturnType<typeof deliverCallback>;
	stop(): Promise<void>;
}

/** The Mehery simulator on a free 127.0.0.1 port, with credentials for the nodes. */
export async function startMehery(): Promise<MeherySandbox> {
	const server = await new SandboxServer(meherySimulator()).start();
	const callback = (name: Callback, payload: unknown, token?: TokenChoice) => deliverCallback(server, MEHERY_DEMO.verifyToken, name, payload, token);
	return {
		server,
		credentials: { baseUrl: server.apiUrl, apiKey: MEHERY_DEMO.apiKey, verifyToken: MEHERY_DEMO.verifyToken },
		inbound: (messages, token) => callback('messageReceive', inboundBatch(server.state, [messages].flat()), token),
		callback,
		stop: () => server.stop(),
	};
}

import { SandboxServer } from '../../sandbox/framework';
import { CHAT_API_DEMO, chatApiSimulator, type ChatApiState } from '../../sandbox/chatapi';

export interface ChatApiSandbox {
	server: SandboxServer<ChatApiState>;
	credentials: { instanceUrl: string; token: string };
	stop(): Promise<void>;
}

/** The Chat API simulator on a free 127.0.0.1 port, with credentials for the nodes. */
export async function startChatApi(): Promise<ChatApiSandbox> {
	const server = await new SandboxServer(chatApiSimulator()).start();
	return { server, credentials: { instanceUrl: server.apiUrl, token: CHAT_API_DEMO.token }, stop: () => server.stop() };
}


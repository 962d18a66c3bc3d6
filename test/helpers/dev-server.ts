// Vite's dev server with the repository's config, as `npm run dev` starts it on a fresh
// machine: offline whatever the developer's shell holds, on 127.0.0.1 and a free port.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServer, type Logger, type ViteDevServer } from 'vite';
import { vi } from 'vitest';

/** What would take the examples online, or slow the emulator down. */
const ONLINE_ENV = ['STRIPE_SECRET_KEY', 'STRIPE_STAND_IN', 'EMULATOR_LATENCY_MS', 'VITE_STRIPE_PUBLISHABLE_KEY'];

export interface DevServer {
  server: ViteDevServer;
  origin: string;
  /** Closes the server and gives the environment back. */
  close(): Promise<void>;
}

export async function startDevServer(customLogger?: Logger): Promise<DevServer> {
  for (const name of ONLINE_ENV) vi.stubEnv(name, '');
  const server = await createServer({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    server: { port: 0, host: '127.0.0.1' },
    ...(customLogger ? { customLogger } : { logLevel: 'error' as const }),
  });
  await server.listen();
  return {
    server,
    origin: `http://127.0.0.1:${(server.httpServer?.address() as AddressInfo).port}`,
    close: async () => {
      await server.close();
      vi.unstubAllEnvs();
    },
  };
}

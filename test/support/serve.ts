import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';

/** Listens on 127.0.0.1 on a free port; the handler can be set after the port is known. */
export async function listen(handler?: (req: IncomingMessage, res: ServerResponse) => void) {
  let current = handler;
  const server: Server = createServer((req, res) => {
    if (current) current(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setHandler: (h: (req: IncomingMessage, res: ServerResponse) => void) => {
      current = h;
    },
    /** Serves a fetch-style app (e.g. Hono's app.fetch). */
    setFetch: (fetch: (req: Request, env: unknown) => Response | Promise<Response>) => {
      current = getRequestListener(fetch);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1 that plays a site's feed: each test says how each path
 * answers. Closing it also drops connections a slow handler left open.
 */
export async function startFeedServer(routes: Record<string, Handler>) {
  const server = createServer((req, res) => {
    const handler = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (handler) handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FeedServer = Awaited<ReturnType<typeof startFeedServer>>;

/** Answers with a body and content type. */
export const serve =
  (body: string | Buffer, contentType = 'application/rss+xml; charset=UTF-8', status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': contentType }).end(body);
  };

/** Streams RSS items without end (no Content-Length), counting what it managed to send. */
export function endlessFeed(sent: { bytes: number; closed: boolean }): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const item = `<item><title>Filler</title><link>https://x.example/f</link><description>${'lorem ipsum '.repeat(500)}</description></item>`;
    res.write('<rss version="2.0"><channel><title>Huge</title>');
    const pump = () => {
      // Stop at 100 MB whatever happens, so a broken client cannot make the test run forever.
      while (!sent.closed && sent.bytes < 100 * 1024 * 1024) {
        sent.bytes += item.length;
        if (!res.write(item)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent.closed = true));
    pump();
  };
}

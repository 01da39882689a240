import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Answers one request, as a fetch handler does.
 *
 * @public
 */
export type FetchHandler = (request: Request) => Promise<Response> | Response;

/**
 * A running loopback server: its base URL and how to stop it.
 *
 * @public
 */
export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a fetch handler on 127.0.0.1, on a port of the system's choosing,
 * for a process that must not have its HTTP intercepted. A
 * `Response.error()` drops the connection, as an unreachable upstream does.
 *
 * @public
 */
export async function serveOnLoopback(
  handler: FetchHandler,
): Promise<LoopbackServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const response = await handler(
        new Request(`http://${req.headers.host}${req.url}`, {
          method: req.method,
          headers,
          body: hasBody ? Buffer.concat(chunks) : undefined,
        }),
      );
      if (response.type === 'error') {
        res.destroy();
        return;
      }
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, {
        'content-type':
          response.headers.get('content-type') ?? 'application/json',
        'content-length': body.length,
        ...(response.headers.get('x-amzn-errortype')
          ? { 'x-amzn-errortype': response.headers.get('x-amzn-errortype')! }
          : {}),
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake upstream failed: ${(e as Error).message}`);
    }
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

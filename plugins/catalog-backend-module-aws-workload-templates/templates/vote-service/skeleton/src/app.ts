import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { page } from './page.ts';
import { UnknownOption, type VoteStore } from './votes.ts';

const MAX_BODY = 1024;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(type === 'application/json' ? JSON.stringify(body) : String(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY) throw new SyntaxError('body too large');
  }
  return JSON.parse(body);
}

/** Compares without telling, by its timing, how much of a guess was right. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether the request carries the admin token; undefined when there is none to check. */
function isAdmin(
  req: IncomingMessage,
  adminToken: () => string | undefined,
): boolean | undefined {
  const expected = adminToken();
  if (!expected) return undefined;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return given !== undefined && sameToken(given, expected);
}

/**
 * The HTTP routes of the vote service. `ready()` turns false when it shuts
 * down; `adminToken()` reads the token that may reset the counts (from the
 * file the Secrets Store CSI driver mounts), undefined when there is none.
 */
export function createHandler(
  store: VoteStore,
  ready: () => boolean,
  adminToken: () => string | undefined = () => undefined,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/')
        return send(res, 200, page(store.options), 'text/html; charset=utf-8');
      if (req.method === 'GET' && path === '/healthz')
        return send(res, 200, { status: 'ok' });
      if (req.method === 'GET' && path === '/readyz') {
        return ready()
          ? send(res, 200, { status: 'ready' })
          : send(res, 503, { status: 'shutting down' });
      }
      if (req.method === 'GET' && path === '/vote')
        return send(res, 200, await store.counts());
      if (req.method === 'POST' && path === '/vote') {
        const body = await readJson(req).catch(() => undefined);
        const vote = (body as { vote?: unknown } | undefined)?.vote;
        if (typeof vote !== 'string' || !store.options.includes(vote)) {
          return send(res, 400, {
            error: `vote must be one of ${store.options.join(', ')}`,
          });
        }
        return send(res, 200, { vote, count: await store.vote(vote) });
      }
      if (req.method === 'POST' && path === '/admin/reset') {
        const admin = isAdmin(req, adminToken);
        if (admin === undefined) return send(res, 404, { error: 'not found' });
        if (!admin) return send(res, 401, { error: 'a valid admin token is needed' });
        await store.reset();
        return send(res, 200, await store.counts());
      }
      return send(res, 404, { error: 'not found' });
    } catch (error) {
      if (error instanceof UnknownOption)
        return send(res, 400, { error: error.message });
      console.error(error);
      return send(res, 500, { error: 'internal error' });
    }
  };
}

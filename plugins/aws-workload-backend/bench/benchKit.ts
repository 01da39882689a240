/**
 * What the benchmarks share: their flags, the load run from a separate
 * process, and the tables they print.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import authBackend from '@backstage/plugin-auth-backend';
import guestAuthProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import type autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A logger that says nothing: the benchmarks print their own tables. */
export const silentLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLogger,
};

/** The value after `--name` on the command line. */
export const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/**
 * One route under load for `duration` seconds from a separate process
 * (loadClient.js), so that the generator does not share the backend's event
 * loop; every request must answer within autocannon's 10 s.
 */
export async function loadFromChild(job: {
  url: string;
  paths: string[];
  connections: number;
  duration: number;
  headers: Record<string, string>;
}): Promise<autocannon.Result> {
  const child = execFileAsync(
    process.execPath,
    [path.join(__dirname, 'loadClient.js'), JSON.stringify(job)],
    { maxBuffer: 64 * 2 ** 20 },
  );
  // On a 2-core machine the busy backend can starve the load generator,
  // which then times out on answers the backend already sent. Where allowed
  // (root), the generator runs at a higher priority, so the run measures the
  // backend.
  try {
    os.setPriority(child.child.pid!, -10);
  } catch {
    process.stderr.write('load generator at normal priority (not root)\n');
  }
  const { stdout } = await child;
  return JSON.parse(stdout) as autocannon.Result;
}

/** A Markdown table, cells right-aligned, as the READMEs quote them. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Probes until it answers, or fails after the timeout naming what it waited for. */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * A portal backend's config as `yarn start` runs it (SQLite in memory,
 * memory cache, permissions on), with guest sign-in allowed (the bench is
 * not started as development) and the bench's own keys, in a temporary file.
 */
export async function benchPortalConfig(
  prefix: string,
  extra: Record<string, unknown>,
): Promise<{ url: string; configFile: string; tmpDir: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const configFile = path.join(tmpDir, 'app-config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        baseUrl: url,
        listen: { host: '127.0.0.1', port },
        database: { client: 'better-sqlite3', connection: ':memory:' },
        cache: { store: 'memory' },
      },
      auth: {
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      permission: { enabled: true },
      ...extra,
    }),
  );
  return { url, configFile, tmpDir };
}

/** A signed-in user's token, from the portal's guest provider. */
export function guestToken(url: string): Promise<string> {
  return waitFor(
    'a guest token',
    async () => {
      const res = await fetch(`${url}/api/auth/guest/refresh?env=development`);
      const body = (await res.json()) as {
        backstageIdentity?: { token?: string };
      };
      return body.backstageIdentity?.token;
    },
    30_000,
  );
}

/**
 * A portal backend from `createBackend()` on that config, with the real
 * auth (guest provider), catalog and permission backends; the bench adds
 * its policy, this plugin and its own modules, then starts it. The request
 * log of 200 clients would measure the terminal: warnings and errors still
 * print, and LOG_LEVEL=info brings the request lines back.
 */
export function benchPortalBackend(
  configFile: string,
): ReturnType<typeof createBackend> {
  process.env.LOG_LEVEL ??= 'warn';
  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({
      argv: ['node', 'bench', '--config', configFile],
      watch: false,
    }),
  );
  backend.add(authBackend);
  backend.add(guestAuthProvider);
  backend.add(catalogBackend);
  backend.add(permissionBackend);
  return backend;
}

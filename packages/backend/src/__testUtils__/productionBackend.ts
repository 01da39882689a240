/**
 * Boots the portal's backend with app-config.production.yaml against the
 * real PostgreSQL and Redis of this machine: for the tests that need the
 * production database and cache. Decides up front whether both answer, so a
 * suite can be declared skipped with a visible message.
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { portalFeatures } from '../features';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const pg = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? '',
};
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A synchronous TCP probe, so the suite can be declared skipped up front. */
function reachable(host: string, port: number): boolean {
  const probe = `require('net')
    .connect({ host: ${JSON.stringify(
      host,
    )}, port: ${port} }, () => process.exit(0))
    .on('error', () => process.exit(1));
  setTimeout(() => process.exit(1), 1500);`;
  return spawnSync(process.execPath, ['-e', probe]).status === 0;
}

/** `describe`, or `describe.skip` with a message on stderr naming what is missing. */
export function describeWithPostgresAndRedis(suite: string): jest.Describe {
  const redisEndpoint = new URL(redisUrl);
  const pgUp = reachable(pg.host, pg.port);
  const redisUp = reachable(
    redisEndpoint.hostname,
    Number(redisEndpoint.port || 6379),
  );
  if (pgUp && redisUp) return describe;
  process.stderr.write(
    `SKIPPED ${suite}: PostgreSQL at ${pg.host}:${pg.port} is ${
      pgUp ? 'reachable' : 'unreachable'
    }, Redis at ${redisUrl} is ${
      redisUp ? 'reachable' : 'unreachable'
    }; both are needed.\n`,
  );
  return describe.skip;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * Starts the backend on its own port with the production config plus the
 * given overrides (written to a temporary file, removed on stop).
 */
export async function startProductionBackend(options: {
  port: number;
  overrides: object;
  extraFeatures?: BackendFeature[];
}) {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-prodtest-'));
  const overrides = path.join(tmpDir, 'app-config.test.yaml');
  fs.writeFileSync(
    overrides,
    JSON.stringify({
      ...options.overrides,
      backend: {
        baseUrl: `http://localhost:${options.port}`,
        listen: `127.0.0.1:${options.port}`,
        ...(options.overrides as { backend?: object }).backend,
      },
    }),
  );
  Object.assign(process.env, {
    POSTGRES_HOST: pg.host,
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: pg.password,
    REDIS_URL: redisUrl,
  });
  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({
      argv: [
        'node',
        'backend',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        path.join(repoRoot, 'app-config.production.yaml'),
        '--config',
        overrides,
      ],
      watch: false,
    }),
  );
  for (const feature of portalFeatures()) backend.add(feature);
  for (const feature of options.extraFeatures ?? []) backend.add(feature);
  await backend.start();
  return {
    async stop() {
      await backend.stop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

export async function withPostgres<T>(
  database: string,
  fn: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = new PgClient({ ...pg, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops every database a run created under its prefix. */
export async function dropDatabases(prefix: string) {
  await withPostgres('postgres', async admin => {
    const { rows } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    }
  });
}

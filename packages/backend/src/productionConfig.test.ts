/**
 * Boots the portal's backend with app-config.production.yaml against the real
 * PostgreSQL and Redis of this machine, and checks that the catalog answers
 * and that the cache service stores its entries in Redis.
 *
 * Where either service is unreachable the suite is skipped with a message.
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createClient } from '@redis/client';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { portalFeatures } from './features';

const repoRoot = path.resolve(__dirname, '../../..');
const pg = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? '',
};
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

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

const redisEndpoint = new URL(redisUrl);
const pgUp = reachable(pg.host, pg.port);
const redisUp = reachable(
  redisEndpoint.hostname,
  Number(redisEndpoint.port || 6379),
);
const describeWithServices = pgUp && redisUp ? describe : describe.skip;
if (!pgUp || !redisUp) {
  process.stderr.write(
    `SKIPPED production configuration test: PostgreSQL at ${pg.host}:${
      pg.port
    } is ${pgUp ? 'reachable' : 'unreachable'}, Redis at ${redisUrl} is ${
      redisUp ? 'reachable' : 'unreachable'
    }; both are needed.\n`,
  );
}

/** A plugin that writes one entry through the backend's cache service. */
function cacheProbePlugin(key: string, value: string) {
  return createBackendPlugin({
    pluginId: 'cacheprobe',
    register(env) {
      env.registerInit({
        deps: { cache: coreServices.cache },
        async init({ cache }) {
          await cache.set(key, value, { ttl: 60_000 });
        },
      });
    },
  });
}

async function waitFor<T>(
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

describeWithServices('production configuration (PostgreSQL + Redis)', () => {
  const runId = randomBytes(4).toString('hex');
  const dbPrefix = `portal_prodtest_${runId}_`;
  const port = 7100 + Math.floor(Math.random() * 800);
  const token = randomBytes(24).toString('base64url');
  const probeKey = `probe-${runId}`;
  const probeValue = `stored-in-redis-${runId}`;
  let backend: ReturnType<typeof createBackend> | undefined;
  let tmpDir: string;

  beforeAll(async () => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-prodtest-'));
    const overrides = path.join(tmpDir, 'app-config.test.yaml');
    // Only what a test run must change: its own port, its own databases, a
    // static token to call the API with, and absolute paths to the examples.
    fs.writeFileSync(
      overrides,
      JSON.stringify({
        backend: {
          baseUrl: `http://localhost:${port}`,
          listen: `127.0.0.1:${port}`,
          database: { prefix: dbPrefix },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token, subject: 'production-config-test' },
              },
            ],
          },
        },
        catalog: {
          locations: [
            {
              type: 'file',
              target: path.join(repoRoot, 'examples/entities.yaml'),
            },
          ],
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

    backend = createBackend();
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
    for (const feature of portalFeatures()) {
      backend.add(feature);
    }
    backend.add(cacheProbePlugin(probeKey, probeValue));
    await backend.start();
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const admin = new PgClient({ ...pg, database: 'postgres' });
    await admin.connect();
    const { rows } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${dbPrefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    }
    await admin.end();
  }, 60_000);

  it('keeps each plugin in its own PostgreSQL database', async () => {
    const admin = new PgClient({ ...pg, database: 'postgres' });
    await admin.connect();
    const { rows } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname',
      [`${dbPrefix}%`],
    );
    await admin.end();
    expect(rows.map(r => r.datname)).toEqual(
      expect.arrayContaining([`${dbPrefix}catalog`, `${dbPrefix}scaffolder`]),
    );
  });

  it('serves the example entities from the catalog API', async () => {
    const expected = [
      'vote-irsa',
      'vote-pod-identity',
      'vote-broken-irsa',
      'vote-node-role',
      'vote-static-keys',
    ];
    const names = await waitFor('the catalog to ingest examples', async () => {
      const res = await fetch(
        `http://localhost:${port}/api/catalog/entities/by-query?filter=kind=component`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!res.ok) return undefined;
      const body = (await res.json()) as {
        items: { metadata: { name: string } }[];
      };
      const found = body.items.map(e => e.metadata.name);
      // The catalog stitches entities one by one: wait for all of them.
      return expected.every(n => found.includes(n)) ? found : undefined;
    });
    expect(names).toEqual(expect.arrayContaining(expected));
  }, 90_000);

  it('rejects catalog calls without credentials', async () => {
    const res = await fetch(`http://localhost:${port}/api/catalog/entities`);
    expect(res.status).toBe(401);
  });

  it('stores cache entries in Redis', async () => {
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      // Entries are namespaced by plugin id; the key itself is encoded.
      const keys = await redis.keys('cacheprobe:*');
      const values = await Promise.all(keys.map(k => redis.get(k)));
      const stored = keys.filter((_, i) => values[i]?.includes(probeValue));
      expect(stored).toHaveLength(1);
      const ttl = await redis.pTTL(stored[0]);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await redis.del(stored);
    } finally {
      await redis.quit();
    }
  });
});

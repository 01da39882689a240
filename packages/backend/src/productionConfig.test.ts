/**
 * Boots the portal's backend with app-config.production.yaml against the real
 * PostgreSQL and Redis of this machine, and checks that the catalog answers
 * and that the cache service stores its entries in Redis.
 *
 * Where either service is unreachable the suite is skipped with a message.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createClient } from '@redis/client';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  describeWithPostgresAndRedis,
  dropDatabases,
  redisUrl,
  repoRoot,
  startProductionBackend,
  waitFor,
  withPostgres,
} from './__testUtils__/productionBackend';

const describeWithServices = describeWithPostgresAndRedis(
  'production configuration test',
);

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

describeWithServices('production configuration (PostgreSQL + Redis)', () => {
  const runId = randomBytes(4).toString('hex');
  const dbPrefix = `portal_prodtest_${runId}_`;
  const port = 7100 + Math.floor(Math.random() * 800);
  const token = randomBytes(24).toString('base64url');
  const probeKey = `probe-${runId}`;
  const probeValue = `stored-in-redis-${runId}`;
  let backend: Awaited<ReturnType<typeof startProductionBackend>> | undefined;

  beforeAll(async () => {
    // Only what a test run must change: its own port, its own databases, a
    // static token to call the API with, and absolute paths to the examples.
    backend = await startProductionBackend({
      port,
      overrides: {
        backend: {
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
              target: path.join(
                repoRoot,
                'plugins/aws-workload-backend-module-demo/data/entities.yaml',
              ),
            },
          ],
        },
      },
      extraFeatures: [cacheProbePlugin(probeKey, probeValue)],
    });
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await dropDatabases(dbPrefix);
  }, 60_000);

  it('keeps each plugin in its own PostgreSQL database', async () => {
    const { rows } = await withPostgres('postgres', admin =>
      admin.query(
        'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname',
        [`${dbPrefix}%`],
      ),
    );
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

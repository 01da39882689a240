/**
 * Scale-out: two portal backends share one PostgreSQL (the scheduler's lock
 * and the fleet) and one Redis (the cache). Between them the fleet refresh
 * runs once per interval, and both serve the same fleet. Upstreams and
 * entities are the demo feature's (each backend runs its own dynalite and
 * fake AWS and Kubernetes servers on loopback ports).
 *
 * Where PostgreSQL or Redis is unreachable the suite is skipped with a message.
 */
import { FleetResponse } from '@aws-workload/plugin-aws-workload-common';
import { randomBytes } from 'node:crypto';
import awsWorkloadDemo from '@aws-workload/plugin-aws-workload-backend-module-demo';
import { createClient } from '@redis/client';
import {
  describeWithPostgresAndRedis,
  dropDatabases,
  redisUrl,
  startProductionBackend,
  waitFor,
  withPostgres,
} from './__testUtils__/productionBackend';

const describeWithServices = describeWithPostgresAndRedis(
  'the two-backend scale-out test',
);

const FREQUENCY_S = 6;
const OBSERVE_MS = 26_000;

describeWithServices('two backends, one PostgreSQL and one Redis', () => {
  const runId = randomBytes(4).toString('hex');
  const dbPrefix = `portal_scaleout_${runId}_`;
  const ports = [0, 1].map(() => 7100 + Math.floor(Math.random() * 800));
  if (ports[0] === ports[1]) ports[1] += 1;
  const token = randomBytes(24).toString('base64url');
  const backends: { stop(): Promise<void> }[] = [];
  /** The plugin's Redis entries from before this run, left out of its checks. */
  let keysBefore = new Set<string>();

  const redisEntries = async () => {
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      const keys = await redis.keys('aws-workload:*');
      const values = await Promise.all(keys.map(k => redis.get(k)));
      return keys.map((key, i) => ({ key, value: values[i] ?? '' }));
    } finally {
      await redis.quit();
    }
  };

  const fleetOf = async (port: number) => {
    const res = await fetch(`http://localhost:${port}/api/aws-workload/fleet`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`fleet on :${port} answered ${res.status}`);
    return (await res.json()) as FleetResponse;
  };

  const runs = () =>
    withPostgres(`${dbPrefix}aws-workload`, async db => {
      const { rows } = await db.query(
        'SELECT id, started_at, status, instance, entities FROM aws_workload_fleet_runs ORDER BY id',
      );
      return rows as {
        id: number;
        started_at: Date;
        status: string;
        instance: string;
        entities: number | null;
      }[];
    });

  beforeAll(async () => {
    keysBefore = new Set((await redisEntries()).map(e => e.key));
    const overrides = {
      awsWorkload: {
        fleet: {
          schedule: {
            frequency: { seconds: FREQUENCY_S },
            timeout: { seconds: 60 },
            initialDelay: { seconds: 1 },
          },
        },
      },
      backend: {
        database: { prefix: dbPrefix },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'scale-out-test' } },
          ],
        },
      },
    };
    // One after the other: both create the same databases on first start.
    for (const port of ports) {
      backends.push(
        await startProductionBackend({
          port,
          overrides,
          extraFeatures: [awsWorkloadDemo],
        }),
      );
    }
  }, 180_000);

  afterAll(async () => {
    for (const backend of backends) await backend.stop();
    await dropDatabases(dbPrefix);
  }, 60_000);

  it('runs the refresh once per interval between them, and both serve the same fleet', async () => {
    // The catalog ingests the examples first; a refresh then finds all six
    // (the five ways and the canary).
    await waitFor(
      'a refresh that stores the six demo entities',
      async () =>
        (await runs()).some(r => r.status === 'succeeded' && r.entities === 6)
          ? true
          : undefined,
      90_000,
    );
    const from = Date.now();
    await new Promise(r => setTimeout(r, OBSERVE_MS));
    const observed = (await runs()).filter(
      r => new Date(r.started_at).getTime() >= from,
    );
    // About one run per interval, never two in one interval.
    expect(observed.length).toBeGreaterThanOrEqual(
      Math.floor(OBSERVE_MS / 1000 / FREQUENCY_S) - 1,
    );
    expect(observed.length).toBeLessThanOrEqual(
      Math.ceil(OBSERVE_MS / 1000 / FREQUENCY_S) + 1,
    );
    const starts = observed.map(r => new Date(r.started_at).getTime());
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i] - starts[i - 1]).toBeGreaterThan(
        FREQUENCY_S * 1000 * 0.8,
      );
    }
    expect(observed.every(r => r.status === 'succeeded')).toBe(true);
    process.stderr.write(
      `scale-out: ${observed.length} runs in ${OBSERVE_MS / 1000} s by ${
        new Set(observed.map(r => r.instance)).size
      } instance(s): ${observed
        .map(r => r.instance.split(':').pop())
        .join(', ')}\n`,
    );

    const [first, second] = await Promise.all(ports.map(fleetOf));
    expect(first.totalItems).toBe(6);
    expect(second.items).toEqual(first.items);
    expect(second.lastRefresh).toEqual(first.lastRefresh);
    // The canary is on IRSA or on static keys, by the half minute.
    const canary = first.items.find(e => e.name === 'vote-canary')!;
    const counts = { ...first.countsByMode };
    counts[canary.modes[0]] -= 1;
    expect(counts).toEqual({
      irsa: 2,
      'pod-identity': 1,
      'static-keys': 1,
      'node-role': 1,
      none: 0,
    });

    // What the plugin keeps in the shared Redis: the data it read, never an
    // EKS token (the demo's cluster signs one) nor a key written in a manifest.
    for (const port of ports) {
      const res = await fetch(
        `http://localhost:${port}/api/aws-workload/entity/component/default/vote-static-keys`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(res.status).toBe(200);
    }
    const stored = (await redisEntries())
      .filter(e => !keysBefore.has(e.key))
      .map(e => e.value)
      .join('\n');
    expect(stored).toContain('vote-static-keys');
    expect(stored).not.toContain('k8s-aws-v1.');
    expect(stored).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(stored).not.toContain('demo-local-only-not-a-secret');
  }, 180_000);
});

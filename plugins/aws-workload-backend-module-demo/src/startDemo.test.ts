/**
 * The demo as a portal installs it: the feature loader beside the real
 * catalog (which ingests the demo's entities from its provider) and the
 * aws-workload plugin, which reads dynalite and the fake AWS account and
 * Kubernetes API over HTTP through the real SDK and client.
 */
import awsWorkloadPlugin from '@aws-workload/plugin-aws-workload-backend';
import {
  EntityAwsWorkloadResponse,
  FleetResponse,
} from '@aws-workload/plugin-aws-workload-common';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import awsWorkloadDemo from './index';

const DEMO_SERVICES = [
  'vote-node-role',
  'vote-static-keys',
  'vote-irsa',
  'vote-pod-identity',
  'vote-broken-irsa',
];

const config = {
  catalog: {
    rules: [{ allow: ['Component', 'Resource', 'System', 'Group', 'User'] }],
    processingInterval: { seconds: 1 },
  },
  // Faster than the demo's own schedule, so the test sees a refresh that
  // runs after the catalog has ingested the entities.
  awsWorkload: {
    fleet: {
      schedule: {
        frequency: { seconds: 2 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 1 },
      },
    },
  },
};

async function until<T>(what: string, probe: () => Promise<T | undefined>) {
  for (let i = 0; i < 150; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('the demo feature', () => {
  let views: Record<string, EntityAwsWorkloadResponse>;
  const statusCodes: Record<string, number> = {};
  let backend: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startTestBackend({
      features: [
        catalogBackend,
        awsWorkloadPlugin,
        awsWorkloadDemo,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    backend = started.server;
    stop = () => started.stop();
    await until('the catalog to hold the demo services', async () => {
      const res = await request(backend)
        .get('/api/catalog/entities/by-query?filter=kind=component')
        .set('Authorization', mockCredentials.user.header());
      // The five ways, and the canary.
      return res.body.items?.length === 6 ? true : undefined;
    });
    views = {};
    for (const name of DEMO_SERVICES) {
      const res = await request(backend)
        .get(`/api/aws-workload/entity/component/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      statusCodes[name] = res.status;
      views[name] = res.body;
    }
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  const workload = (name: string) => {
    const section = views[name].workloads;
    if (section.status !== 'ok')
      throw new Error(`${name}: ${JSON.stringify(section)}`);
    return section.data[0];
  };
  const statuses = (name: string) =>
    Object.fromEntries(workload(name).checks.map(c => [c.check, c.status]));

  it('refreshes the fleet in the background, in agreement with every entity view', async () => {
    const fleet = await until<FleetResponse>(
      'a refresh that stores the demo services',
      async () => {
        const body: FleetResponse = (
          await request(backend)
            .get('/api/aws-workload/fleet')
            .set('Authorization', mockCredentials.user.header())
        ).body;
        return body.lastRefresh?.status === 'succeeded' && body.totalItems === 6
          ? body
          : undefined;
      },
    );
    expect(fleet!.totalItems).toBe(6);
    // The canary is on IRSA or on static keys, by the minute.
    const canary = fleet!.items.find(e => e.name === 'vote-canary')!;
    expect([['irsa'], ['static-keys']]).toContainEqual(canary.modes);
    const counts = { ...fleet!.countsByMode };
    counts[canary.modes[0]] -= 1;
    expect(counts).toEqual({
      irsa: 2,
      'pod-identity': 1,
      'static-keys': 1,
      'node-role': 1,
      none: 0,
    });
    for (const entry of fleet!.items.filter(e => e.name !== 'vote-canary')) {
      const w = workload(entry.name);
      expect(entry.modes).toEqual([w.mode]);
      expect(entry.failingChecks).toEqual(
        [
          ...new Set(
            w.checks.filter(c => c.status === 'fail').map(c => c.check),
          ),
        ].sort(),
      );
      expect(entry.tableStatus).toBe('ACTIVE');
      expect(entry.stale).toBeUndefined();
      expect(entry.errors).toEqual({});
    }
    expect(
      fleet!.items.find(e => e.name === 'vote-broken-irsa')!.failingChecks,
    ).toEqual(['trust-sub']);
  });

  it('answers every demo entity', () => {
    expect(Object.values(statusCodes)).toEqual([200, 200, 200, 200, 200]);
  });

  it("seeds four weeks of history before today's refreshes, for the fleet's trend", async () => {
    const res = await request(backend)
      .get('/api/aws-workload/fleet/trend?days=30')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const days = res.body.days as {
      day: string;
      countsByMode: Record<string, number>;
    }[];
    expect(days).toHaveLength(30);
    expect(days[0].countsByMode['static-keys']).toBe(4);
    // Today's counts are the refresh's own: the five ways and the canary.
    const today = days[29];
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    expect(Object.values(today.countsByMode).reduce((n, c) => n + c, 0)).toBe(
      6,
    );
  });

  it('marks every answer as demo data', () => {
    expect(Object.values(views).every(v => v.demo === true)).toBe(true);
  });

  it("shows the seed's three deployments and the two newer ways", () => {
    expect(
      Object.fromEntries(Object.keys(views).map(n => [n, workload(n).mode])),
    ).toEqual({
      'vote-node-role': 'node-role',
      'vote-static-keys': 'static-keys',
      'vote-irsa': 'irsa',
      'vote-pod-identity': 'pod-identity',
      'vote-broken-irsa': 'irsa',
    });
  });

  it('passes the whole IRSA and Pod Identity chains where they are right', () => {
    expect(Object.values(statuses('vote-irsa')).every(s => s === 'pass')).toBe(
      true,
    );
    expect(
      Object.values(statuses('vote-pod-identity')).every(s => s === 'pass'),
    ).toBe(true);
  });

  it('fails only trust-sub on the broken chain, with a fix naming the ServiceAccount', () => {
    const failing = workload('vote-broken-irsa').checks.filter(
      c => c.status !== 'pass',
    );
    expect(failing.map(c => c.check)).toEqual(['trust-sub']);
    expect(failing[0].message).toContain(
      'system:serviceaccount:vote-broken-irsa:vote',
    );
    expect(failing[0].fix).toContain(
      'system:serviceaccount:vote-broken-irsa:vote-broken-irsa',
    );
  });

  it('serves the tables from dynalite and the images sorted, with the running one marked', () => {
    const table = views['vote-irsa'].table;
    expect(table).toMatchObject({
      status: 'ok',
      data: {
        status: 'ACTIVE',
        billingMode: 'PAY_PER_REQUEST',
        // Like DynamoDB between its six-hourly refreshes, dynalite reports 0.
        itemCount: expect.any(Number),
        pointInTimeRecovery: 'ENABLED',
      },
    });
    const images = views['vote-irsa'].images;
    if (images.status !== 'ok') throw new Error(JSON.stringify(images));
    expect(images.data.map(i => i.tags[0] ?? '')).toEqual([
      'git-3f9c2ab',
      'git-1a2b3c4',
      '',
    ]);
    expect(images.data.map(i => i.running)).toEqual([true, false, false]);
  });

  it('masks the static access key of the static-keys demo', () => {
    expect(workload('vote-static-keys').staticKeys).toEqual([
      {
        container: 'vote',
        via: 'value',
        variable: 'AWS_ACCESS_KEY_ID',
        secretVariable: 'AWS_SECRET_ACCESS_KEY',
        accessKeyId: '****MPLE',
      },
    ]);
    expect(JSON.stringify(views['vote-static-keys'])).not.toContain(
      'AKIAIOSFODNN7EXAMPLE',
    );
  });

  it('puts its entities in the catalog through its own provider', async () => {
    const res = await request(backend)
      .get('/api/catalog/entities/by-name/group/default/vote-team')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(
      res.body.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe('aws-workload-demo:entities');
  });
});

describe('the demo feature in production', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('refuses to start', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      startTestBackend({ features: [awsWorkloadPlugin, awsWorkloadDemo] }),
    ).rejects.toThrow(/refuses to run with NODE_ENV=production/);
  });
});

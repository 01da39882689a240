/**
 * The local demo end to end: dynalite, the recorded AWS answers and the
 * recorded Kubernetes objects, through the real plugin, SDK and client.
 */
import awsWorkloadPlugin from '@aws-workload/plugin-aws-workload-backend';
import {
  EntityAwsWorkloadResponse,
  FleetResponse,
} from '@aws-workload/plugin-aws-workload-common';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { DEMO_DIR, startDemo } from './startDemo';

const entities = parseAllDocuments(
  fs.readFileSync(path.resolve(DEMO_DIR, '../entities.yaml'), 'utf8'),
).map(d => d.toJS() as Entity);

describe('local demo', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let views: Record<string, EntityAwsWorkloadResponse>;
  const statusCodes: Record<string, number> = {};
  let backend: Parameters<typeof request>[0];

  beforeAll(async () => {
    demo = await startDemo();
    const { server } = await startTestBackend({
      features: [
        awsWorkloadPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: demo.config }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    backend = server;
    views = {};
    for (const name of [
      'vote-node-role',
      'vote-static-keys',
      'vote-irsa',
      'vote-pod-identity',
      'vote-broken-irsa',
    ]) {
      const res = await request(server)
        .get(`/api/aws-workload/entity/component/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      statusCodes[name] = res.status;
      views[name] = res.body;
    }
  }, 60_000);

  afterAll(async () => {
    await demo?.stop();
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
    let fleet: FleetResponse | undefined;
    for (
      let i = 0;
      i < 100 && fleet?.lastRefresh?.status !== 'succeeded';
      i++
    ) {
      if (i) await new Promise(r => setTimeout(r, 200));
      fleet = (
        await request(backend)
          .get('/api/aws-workload/fleet')
          .set('Authorization', mockCredentials.user.header())
      ).body;
    }
    expect(fleet!.totalItems).toBe(5);
    expect(fleet!.countsByMode).toEqual({
      irsa: 2,
      'pod-identity': 1,
      'static-keys': 1,
      'node-role': 1,
      none: 0,
    });
    for (const entry of fleet!.items) {
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
      { container: 'vote', via: 'value', accessKeyId: '****MPLE' },
    ]);
    expect(JSON.stringify(views['vote-static-keys'])).not.toContain(
      'AKIAIOSFODNN7EXAMPLE',
    );
  });
});

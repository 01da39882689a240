import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { setupServer } from 'msw/node';
import { testAwsClients } from '../__testUtils__/awsClients';
import { RequestGate } from '../clients/RequestGate';
import { fleetTestDatabases } from '../__testUtils__/databases';
import { SimulatedFleet } from '../__testUtils__/simulatedFleet';
import { FleetRefresher } from './FleetRefresher';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { AuditorService } from '@backstage/backend-plugin-api';
import { FleetStore } from './FleetStore';
import { PostureHistoryStore } from './PostureHistoryStore';

const { databases, ids } = fleetTestDatabases();
const server = setupServer();
registerMswTestHooks(server);

function setup(
  fleet: SimulatedFleet,
  knex: Knex,
  maxAttempts = 8,
  auditor?: AuditorService,
  resimulateIntervalMs?: number,
) {
  server.resetHandlers(...fleet.kubernetesHandlers());
  const mocks = fleet.mockAws();
  const store = new FleetStore(knex);
  const history = new PostureHistoryStore({ knex, retentionDays: 90 });
  const gate = new RequestGate({
    maxConcurrentPerAccount: 20,
    baseBackoffMs: 5,
    maxBackoffMs: 50,
  });
  const refresher = new FleetRefresher({
    catalog: catalogServiceMock({ entities: fleet.entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    store,
    clients: testAwsClients({ timeoutMs: 5_000 }),
    gate,
    maxAttempts,
    clusters: fleet.clusters,
    simulatePolicies: true,
    demo: false,
    instance: 'test',
    auditor,
    history,
    resimulateIntervalMs,
  });
  return {
    store,
    history,
    refresher,
    gate,
    restore: () => mocks.forEach(m => m.restore()),
  };
}

async function migrated(id: (typeof ids)[number]) {
  const knex = await databases.init(id);
  await knex.migrate.latest({ directory: `${__dirname}/../../migrations` });
  return knex;
}

const byRef = (entries: FleetEntry[]) =>
  new Map(entries.map(e => [e.entityRef, e]));

describe.each(ids)('FleetRefresher on %s', databaseId => {
  it('costs the same Kubernetes calls for 8 entities as for 40, and reads each AWS resource once', async () => {
    const callsFor = async (entities: number) => {
      const fleet = new SimulatedFleet({
        entities,
        clusters: 2,
        podsPerEntity: 2,
        roles: 4,
        latencyMs: 0,
      });
      const { refresher, restore } = setup(fleet, await migrated(databaseId));
      try {
        const result = await refresher.refresh();
        expect(result.entities).toBe(entities);
        return { calls: { ...fleet.calls }, result };
      } finally {
        restore();
      }
    };
    const small = await callsFor(8);
    const large = await callsFor(40);
    // Per cluster: pods and deployments (+ statefulsets, daemonsets, cronjobs)
    // by label presence, and the ServiceAccounts: 6 lists x 2 clusters. The
    // gate retries a call that failed in passing; such a retry is no second
    // read, and it is counted apart.
    const reads = (run: typeof small) => ({
      lists: run.calls.kubernetes - (run.result.retried.kubernetes ?? 0),
      retried: run.result.retried,
    });
    expect(reads(small)).toEqual({ lists: 12, retried: small.result.retried });
    expect(reads(large)).toEqual({ lists: 12, retried: large.result.retried });
    // One DescribeTable per table, one DescribeImages per repository.
    expect(large.calls.dynamodb).toBe(40);
    expect(large.calls.ecr).toBe(40);
    // The account's size, one GetAccountAuthorizationDetails page for its 4
    // roles and their policies, one simulation per role, and one OIDC
    // provider per cluster.
    expect(large.calls.iam).toBe(1 + 1 + 4 + 2);
    expect(large.result.iam).toEqual({
      accounts: { bulk: 1, 'per-role': 0 },
      roles: 4,
      simulated: 4,
      reused: 0,
    });
    // Per cluster: DescribeCluster, one association list; one Describe per association.
    expect(large.calls.eks).toBe(2 * 2 + 8);
    expect(large.result.calls).toEqual(large.calls);
  });

  it('reads the roles one by one where the account holds few of them among many, with the same posture', async () => {
    const shape = {
      entities: 12,
      clusters: 2,
      podsPerEntity: 1,
      roles: 3,
      latencyMs: 0,
    };
    const bulk = new SimulatedFleet(shape);
    const bulkRun = setup(bulk, await migrated(databaseId));
    const bulkResult = await bulkRun.refresher.refresh();
    const expected = (await bulkRun.store.readAll()).map(e => e.workloads);
    bulkRun.restore();

    const crowded = new SimulatedFleet({ ...shape, unrelatedRoles: 3000 });
    const crowdedRun = setup(crowded, await migrated(databaseId));
    try {
      const result = await crowdedRun.refresher.refresh();
      expect(bulkResult.iam?.accounts).toEqual({ bulk: 1, 'per-role': 0 });
      expect(result.iam?.accounts).toEqual({ bulk: 0, 'per-role': 1 });
      // The account's size, then per role GetRole, 2 lists, GetPolicy,
      // GetPolicyVersion and one simulation; one OIDC provider per cluster.
      expect(crowded.calls.iam).toBe(1 + 3 * 6 + 2);
      expect((await crowdedRun.store.readAll()).map(e => e.workloads)).toEqual(
        expected,
      );
    } finally {
      crowdedRun.restore();
    }
  });

  it('skips the simulation of a role nothing changed for, simulates a changed one, and every one after the interval', async () => {
    const fleet = new SimulatedFleet({
      entities: 12,
      clusters: 2,
      podsPerEntity: 1,
      roles: 3,
      latencyMs: 0,
    });
    const { refresher, restore, store } = setup(
      fleet,
      await migrated(databaseId),
    );
    try {
      const first = await refresher.refresh();
      const stored = await store.readAll();
      const before = fleet.calls.iam;
      const second = await refresher.refresh();
      expect(first.iam).toMatchObject({ simulated: 3, reused: 0 });
      expect(second.iam).toMatchObject({ simulated: 0, reused: 3 });
      // The account's size, one page, one OIDC provider per cluster.
      expect(fleet.calls.iam - before).toBe(1 + 1 + 2);
      expect(
        (await store.readAll()).map(e => [e.entityRef, e.failingChecks]),
      ).toEqual(stored.map(e => [e.entityRef, e.failingChecks]));

      fleet.extraActions.set('role-1', ['dynamodb:Scan']);
      const third = await refresher.refresh();
      expect(third.iam).toMatchObject({ simulated: 1, reused: 2 });
    } finally {
      restore();
    }

    const everyRun = setup(fleet, await migrated(databaseId), 8, undefined, 0);
    try {
      await everyRun.refresher.refresh();
      const again = await everyRun.refresher.refresh();
      expect(again.iam).toMatchObject({ simulated: 3, reused: 0 });
    } finally {
      everyRun.restore();
    }
  });

  it('lists once more per distinct custom label selector, on its cluster only', async () => {
    const fleet = new SimulatedFleet({
      entities: 6,
      clusters: 2,
      podsPerEntity: 1,
      roles: 2,
      latencyMs: 0,
    });
    // svc-0 and svc-2 run on cluster-0; they are found by selectors of their own.
    for (const m of [fleet.members[0], fleet.members[2]]) {
      const annotations = m.entity.metadata.annotations!;
      delete annotations['backstage.io/kubernetes-id'];
      annotations['backstage.io/kubernetes-label-selector'] = `app=${m.name}`;
    }
    const { refresher, store, restore } = setup(
      fleet,
      await migrated(databaseId),
    );
    try {
      await refresher.refresh();
      // Per cluster 5 kinds by label presence and the ServiceAccounts; on
      // cluster-0, 5 kinds more for each of the two selectors.
      expect(fleet.calls.kubernetes).toBe(6 + 6 + 2 * 5);
      const entries = byRef(await store.readAll());
      for (const m of fleet.members) {
        expect(entries.get(`component:default/${m.name}`)!.modes).toEqual([
          m.mode,
        ]);
      }
    } finally {
      restore();
    }
  });

  it("records each entity's changes, the day's counts, and since when each check fails", async () => {
    const fleet = new SimulatedFleet({
      entities: 3,
      clusters: 1,
      podsPerEntity: 1,
      roles: 1,
      latencyMs: 0,
      modeOf: () => 'irsa',
    });
    const { refresher, store, history, restore } = setup(
      fleet,
      await migrated(databaseId),
    );
    const entryOf = async (name: string) =>
      (await store.readAll()).find(e => e.name === name)!;
    try {
      await refresher.refresh();
      expect((await history.changesOf('component:default/svc-0')).length).toBe(
        1,
      );
      fleet.changeMode('svc-0', 'static-keys');
      await refresher.refresh();
      const failingFrom = (await entryOf('svc-0')).refreshedAt;
      await refresher.refresh();
      const svc0 = await entryOf('svc-0');
      // Still failing: since the refresh that first found it.
      expect(svc0.refreshedAt).not.toBe(failingFrom);
      expect(svc0.failingSince).toEqual({
        'static-keys-present': failingFrom,
      });
      expect((await entryOf('svc-1')).failingSince).toBeUndefined();
      const changes = await history.changesOf('component:default/svc-0');
      expect(changes.map(c => [c.modes, c.failingChecks])).toEqual([
        [['static-keys'], ['static-keys-present']],
        [['irsa'], []],
      ]);
      expect(changes[0].changedAt).toBe(failingFrom);
      // The other entities changed once: when first seen.
      expect(await history.changesOf('component:default/svc-1')).toHaveLength(
        1,
      );
      const [today] = await history.trend(1, new Date());
      expect(today.countsByMode).toEqual({ irsa: 2, 'static-keys': 1 });
    } finally {
      restore();
    }
  });

  it('records each run as one audit event, with its counts', async () => {
    const fleet = new SimulatedFleet({
      entities: 4,
      clusters: 1,
      podsPerEntity: 1,
      roles: 2,
      latencyMs: 0,
    });
    const auditor = recordingAuditor();
    const { refresher, restore } = setup(
      fleet,
      await migrated(databaseId),
      8,
      auditor,
    );
    try {
      const result = await refresher.refresh();
      expect(auditor.events).toEqual([
        {
          eventId: 'fleet-refresh',
          severityLevel: 'low',
          meta: undefined,
          hasRequest: false,
          outcome: 'success',
          successMeta: {
            runId: result.runId,
            entities: 4,
            stale: 0,
            calls: result.calls,
            notified: 0,
          },
        },
      ]);
    } finally {
      restore();
    }
  });

  it('stores each entity: modes, failing checks, table status, newest image', async () => {
    const fleet = new SimulatedFleet({
      entities: 10,
      clusters: 2,
      podsPerEntity: 1,
      roles: 3,
      latencyMs: 0,
    });
    const { refresher, store, restore } = setup(
      fleet,
      await migrated(databaseId),
    );
    try {
      await refresher.refresh();
      const entries = byRef(await store.readAll());
      expect(entries.size).toBe(10);
      for (const m of fleet.members) {
        const entry = entries.get(`component:default/${m.name}`)!;
        expect(entry.modes).toEqual([m.mode]);
        expect(entry.tableStatus).toBe('ACTIVE');
        expect(entry.newestImage?.tags).toEqual(['3f9c2ab']);
        expect(entry.owner).toBe(m.entity.spec!.owner);
        expect(entry.stale).toBeUndefined();
        expect(entry.errors).toEqual({});
        expect(entry.failingChecks).toEqual(
          m.mode === 'static-keys' ? ['static-keys-present'] : [],
        );
      }
      const run = await store.lastRun();
      expect(run).toMatchObject({ status: 'succeeded', entities: 10 });
    } finally {
      restore();
    }
  });

  it('marks the entities of an unreachable cluster stale and keeps their last posture; the others stay fresh', async () => {
    const fleet = new SimulatedFleet({
      entities: 6,
      clusters: 2,
      podsPerEntity: 1,
      roles: 2,
      latencyMs: 0,
    });
    const { refresher, store, restore } = setup(
      fleet,
      await migrated(databaseId),
    );
    try {
      await refresher.refresh();
      const before = byRef(await store.readAll());
      fleet.faults.unreachableClusters.add('cluster-1');
      const callsBefore = fleet.calls.kubernetes;
      await refresher.refresh();
      const after = byRef(await store.readAll());
      const refOf = (m: { name: string }) => `component:default/${m.name}`;
      const down = fleet.members.filter(m => m.cluster === 'cluster-1');
      const up = fleet.members.filter(m => m.cluster !== 'cluster-1');
      expect(down.length).toBeGreaterThan(0);
      for (const m of down) {
        const entry = after.get(refOf(m))!;
        expect(entry.stale).toEqual({
          since: expect.any(String),
          reason: expect.stringMatching(/^workloads: /),
          sections: ['workloads'],
        });
        expect(entry.modes).toEqual(before.get(refOf(m))!.modes);
        expect(entry.workloads).toEqual(before.get(refOf(m))!.workloads);
      }
      for (const m of up) {
        const entry = after.get(refOf(m))!;
        expect(entry.stale).toBeUndefined();
        expect(entry.refreshedAt > before.get(refOf(m))!.refreshedAt).toBe(
          true,
        );
      }
      // The healthy cluster's 6 lists; the unreachable one is not counted as answering.
      expect(fleet.calls.kubernetes - callsBefore).toBe(6);
      fleet.faults.unreachableClusters.clear();
      await refresher.refresh();
      expect(
        [...byRef(await store.readAll()).values()].every(e => !e.stale),
      ).toBe(true);
    } finally {
      restore();
    }
  });

  it('retries the 30% of IAM calls that are throttled and ends with the same posture as without throttling', async () => {
    const shape = {
      entities: 20,
      clusters: 2,
      podsPerEntity: 1,
      roles: 5,
      // Among many unrelated roles, its 5 are read one by one: enough IAM
      // calls for the throttling to fall on several.
      unrelatedRoles: 2000,
      latencyMs: 0,
    };
    const calm = new SimulatedFleet(shape);
    const calmRun = setup(calm, await migrated(databaseId));
    await calmRun.refresher.refresh();
    // The times of the runs differ, not the posture.
    const withoutTimes = ({
      refreshedAt,
      failingSince,
      ...rest
    }: FleetEntry) => ({ ...rest, failing: Object.keys(failingSince ?? {}) });
    const expected = (await calmRun.store.readAll()).map(withoutTimes);
    calmRun.restore();

    const stormy = new SimulatedFleet(shape);
    stormy.faults.iamThrottleRate = 0.3;
    // Throttles fall on calls at random: with 8 attempts one call in about
    // 15,000 is throttled every time (0.3^8), so with this fleet's IAM calls
    // the test failed about once in a hundred runs. With 14 attempts (0.3^14,
    // one call in 20 million) what is asserted stays the same.
    const stormyRun = setup(stormy, await migrated(databaseId), 14);
    try {
      await stormyRun.refresher.refresh();
      const got = (await stormyRun.store.readAll()).map(withoutTimes);
      expect(stormy.throttled.iam).toBeGreaterThan(5);
      expect(stormyRun.gate.stats.throttled.iam).toBe(stormy.throttled.iam);
      expect(stormyRun.gate.stats.exhausted).toEqual({});
      expect(got).toEqual(expected);
    } finally {
      stormyRun.restore();
    }
  });

  it('loses nothing when the database fails in the middle of writing, and the next refresh recovers', async () => {
    const fleet = new SimulatedFleet({
      entities: 450,
      clusters: 1,
      podsPerEntity: 1,
      roles: 10,
      latencyMs: 0,
    });
    const knex = await migrated(databaseId);
    const { refresher, store, restore } = setup(fleet, knex);
    try {
      await refresher.refresh();
      const before = await store.readAll();
      // The store writes 200 rows per statement: fail the second insert,
      // after the first has gone through inside the transaction.
      // Transactions run on a copy of the client made from the dialect's
      // prototype, so the failure is installed there (and removed below).
      const client = Object.getPrototypeOf(knex.client);
      const query = client.query;
      let inserts = 0;
      client.query = function failing(connection: unknown, obj: any) {
        const sql = typeof obj === 'string' ? obj : obj?.sql ?? '';
        if (
          /^insert into [`"]aws_workload_fleet[`"] /i.test(sql) &&
          ++inserts === 2
        ) {
          return Promise.reject(
            new Error('Connection terminated unexpectedly'),
          );
        }
        return query.call(this, connection, obj);
      };
      fleet.members[0].entity.spec!.owner = 'group:default/new-owner';
      await expect(refresher.refresh()).rejects.toThrow(
        'Connection terminated unexpectedly',
      );
      client.query = query;
      expect(inserts).toBe(2);
      const untouched = await knex('aws_workload_fleet')
        .select('posture')
        .orderBy('entity_ref');
      expect(untouched.map(r => JSON.parse(r.posture))).toEqual(before);
      expect(await store.lastRun()).toMatchObject({
        status: 'failed',
        error: 'Connection terminated unexpectedly',
      });

      await refresher.refresh();
      const after = byRef(await store.readAll());
      expect(after.size).toBe(450);
      expect(after.get('component:default/svc-0')!.owner).toBe(
        'group:default/new-owner',
      );
      expect(await store.lastRun()).toMatchObject({ status: 'succeeded' });
    } finally {
      restore();
    }
  }, 60_000);
});

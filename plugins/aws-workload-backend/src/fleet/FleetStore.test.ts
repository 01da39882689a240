import {
  answerFleetQuery,
  CREDENTIAL_MODES,
  FLEET_GROUP_BY,
  FLEET_SORT_FIELDS,
  FleetEntry,
  FleetQuery,
} from '@aws-workload/plugin-aws-workload-common';
import fc from 'fast-check';
import { Knex } from 'knex';
import { fleetTestDatabases } from '../__testUtils__/databases';
import { EVERY_ENTITY, FleetStore, FleetVisibility } from './FleetStore';

/**
 * The store answers fleet queries in SQL; the -common functions the
 * in-memory path uses are the reference. Both must give the same page,
 * totals, mode counts, facets and groups, on SQLite and PostgreSQL.
 */
const { databases, ids } = fleetTestDatabases();

const OWNERS = [
  'group:default/team-a',
  'group:default/team-b',
  'user:default/x_y',
];
const CHECKS = ['trust-sub', 'trust-aud', 'role-exists', 'static-keys-present'];
const CLUSTERS = ['prod-eu', 'prod-us', 'dev_1'];

const entryArb = (i: number) =>
  fc
    .record({
      owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
      kind: fc.constantFrom('Component', 'Resource'),
      modes: fc.uniqueArray(fc.constantFrom(...CREDENTIAL_MODES), {
        maxLength: 2,
      }),
      clusters: fc.uniqueArray(fc.constantFrom(...CLUSTERS), { maxLength: 2 }),
      failing: fc.uniqueArray(fc.constantFrom(...CHECKS), { maxLength: 2 }),
      warning: fc.uniqueArray(fc.constantFrom(...CHECKS), { maxLength: 2 }),
      account: fc.option(fc.constantFrom('123456789012', '210987654321'), {
        nil: undefined,
      }),
      name: fc.constantFrom(
        'vote',
        'Vote',
        'ballot',
        'b_x',
        'bax',
        'a%b',
        'aXb',
        'zeta',
      ),
      critical: fc.option(fc.nat(3), { nil: undefined }),
      pushedAt: fc.option(
        fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
        { nil: undefined },
      ),
    })
    .map(
      (r): FleetEntry => ({
        entityRef: `${r.kind.toLowerCase()}:default/${r.name.toLowerCase()}-${i}`,
        kind: r.kind,
        namespace: 'default',
        name: `${r.name}-${i}`,
        owner: r.owner,
        modes: r.modes,
        workloads: r.clusters.map((cluster, j) => ({
          cluster,
          namespace: 'default',
          kind: 'Deployment',
          name: `w${j}`,
          mode: r.modes[0] ?? 'node-role',
          failingChecks: r.failing,
        })),
        failingChecks: r.failing,
        warningChecks: r.warning,
        account: r.account,
        runningImages:
          r.critical === undefined
            ? []
            : [{ digest: 'sha256:1', tags: [], critical: r.critical, high: 1 }],
        newestImage:
          r.pushedAt === undefined
            ? undefined
            : {
                digest: 'sha256:1',
                tags: [],
                pushedAt: new Date(r.pushedAt).toISOString(),
              },
        errors: {},
        refreshedAt: new Date(1_790_000_000_000 + i * 1000).toISOString(),
      }),
    );

const fleetArb = fc
  .integer({ min: 0, max: 40 })
  .chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => entryArb(i))));

const some = <T>(values: readonly T[]) =>
  fc.option(fc.uniqueArray(fc.constantFrom(...values), { minLength: 1 }), {
    nil: undefined,
  });

const queryArb: fc.Arbitrary<FleetQuery> = fc.record(
  {
    mode: some([...CREDENTIAL_MODES, 'none' as const]),
    owner: some([...OWNERS, '']),
    kind: some(['component', 'resource']),
    failingCheck: some(CHECKS),
    warningCheck: some(CHECKS),
    cluster: some([...CLUSTERS, '']),
    account: some(['123456789012', '']),
    q: fc.constantFrom(
      '',
      'vote',
      'VOTE team-a',
      'b_x',
      'a%b',
      'irsa',
      'trust',
      '%',
    ),
    sort: fc.constantFrom(...FLEET_SORT_FIELDS),
    order: fc.constantFrom('asc' as const, 'desc' as const),
    groupBy: fc.constantFrom(...FLEET_GROUP_BY),
    offset: fc.nat(30),
    limit: fc.integer({ min: 1, max: 20 }),
  },
  { requiredKeys: [] },
);

const reference = answerFleetQuery;

const everything = EVERY_ENTITY;

describe.each(ids)('FleetStore queries on %s', id => {
  let knex: Knex;
  let store: FleetStore;
  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: `${__dirname}/../../migrations` });
    store = new FleetStore(knex);
  }, 60_000);

  async function storeFleet(entries: FleetEntry[]) {
    const run = await store.startRun('test');
    await store.replaceAll(run, entries, {
      entities: entries.length,
      calls: {},
    });
  }

  it('answers as the in-memory reference: filters, search, sort, paging, counts, facets, groups', async () => {
    await fc.assert(
      fc.asyncProperty(
        fleetArb,
        fc.array(queryArb, { maxLength: 6 }),
        async (entries, queries) => {
          await storeFleet(entries);
          for (const query of queries) {
            expect(await store.query(query, everything)).toEqual(
              reference(entries, query),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('parses the stored fleet once per version, for concurrent readers too, and reads a new run anew', async () => {
    const [first, second] = fc.sample(fleetArb, { numRuns: 2, seed: 11 });
    await storeFleet(first);
    const selects: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/^select [`"]posture[`"] from/i.test(q.sql)) selects.push(q.sql);
    };
    knex.on('query', onQuery);
    try {
      const [a, b] = await Promise.all([store.readAll(), store.readAll()]);
      const c = await store.readAll();
      expect(a).toBe(b);
      expect(c).toBe(a);
      expect(selects).toHaveLength(1);
      await storeFleet(second);
      const next = await store.readAll();
      expect(next).not.toBe(a);
      expect(next.map(e => e.entityRef)).toEqual(
        second.map(e => e.entityRef).sort(),
      );
      expect(selects).toHaveLength(2);
    } finally {
      knex.off('query', onQuery);
    }
  });

  it('applies a visibility condition as SQL, to the page, the counts and the facets', async () => {
    const entries = fc.sample(fleetArb, { numRuns: 1, seed: 7 })[0];
    await storeFleet(entries);
    const teamA: FleetVisibility = {
      key: 'team-a',
      where: q => q.whereIn('f.owner', ['group:default/team-a']),
    };
    const readable = entries.filter(e => e.owner === 'group:default/team-a');
    expect(readable.length).toBeGreaterThan(0);
    expect(readable.length).toBeLessThan(entries.length);
    const query: FleetQuery = { limit: 100, groupBy: 'mode' };
    expect(await store.query(query, teamA)).toEqual(reference(readable, query));
  });

  it('fills in the query columns of rows stored before they existed', async () => {
    const entries = fc.sample(fleetArb, { numRuns: 1, seed: 11 })[0];
    await storeFleet(entries);
    await knex('aws_workload_fleet').update({
      search_text: null,
      s_name: null,
    });
    await knex('aws_workload_fleet_values').delete();
    await store.indexStoredRows();
    const query: FleetQuery = { q: 'vote', sort: 'name', limit: 100 };
    expect(await store.query(query, everything)).toEqual(
      reference(entries, query),
    );
  });
});

import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';
import { Knex } from 'knex';
import { fleetTestDatabases } from '../__testUtils__/databases';
import { PostureHistoryStore } from './PostureHistoryStore';

const { databases, ids } = fleetTestDatabases();

function entry(
  name: string,
  modes: FleetEntry['modes'],
  failingChecks: string[] = [],
  overrides: Partial<FleetEntry> = {},
): FleetEntry {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    modes,
    workloads: modes.map(mode => ({
      cluster: 'c',
      namespace: 'n',
      kind: 'Deployment',
      name,
      mode,
      failingChecks,
    })),
    failingChecks,
    errors: {},
    refreshedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

const byRef = (entries: FleetEntry[]) =>
  new Map(entries.map(e => [e.entityRef, e]));
const day = (d: string) => new Date(`${d}T12:00:00.000Z`);

describe.each(ids)('PostureHistoryStore on %s', id => {
  let knex: Knex;
  let history: PostureHistoryStore;
  beforeEach(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: `${__dirname}/../../migrations` });
    await knex('aws_workload_posture_changes').delete();
    await knex('aws_workload_posture_daily').delete();
    history = new PostureHistoryStore({ knex, retentionDays: 90 });
  });

  it('records a change only where modes or failing checks differ, never from a failed read', async () => {
    const first = [entry('a', ['irsa']), entry('b', ['node-role'])];
    expect(await history.record(new Map(), first, day('2026-12-01'))).toEqual({
      changes: 2,
    });
    const second = [
      entry('a', ['irsa'], ['trust-sub']),
      entry('b', ['node-role']),
      entry('c', [], [], {
        errors: { workloads: { name: 'Error', message: 'cluster down' } },
      }),
    ];
    expect(
      await history.record(byRef(first), second, day('2026-12-02')),
    ).toEqual({ changes: 1 });
    expect(await history.changesOf('component:default/a')).toEqual([
      {
        changedAt: day('2026-12-02').toISOString(),
        modes: ['irsa'],
        failingChecks: ['trust-sub'],
      },
      {
        changedAt: day('2026-12-01').toISOString(),
        modes: ['irsa'],
        failingChecks: [],
      },
    ]);
    expect(await history.changesOf('component:default/c')).toEqual([]);
  });

  it("keeps one count per day, the day's last refresh, and gives the trend oldest first", async () => {
    const monday = [entry('a', ['irsa']), entry('b', ['static-keys'])];
    await history.record(new Map(), monday, day('2026-12-01'));
    // Later the same day: b moved to IRSA; the day's counts are replaced.
    const later = [entry('a', ['irsa']), entry('b', ['irsa'])];
    await history.record(byRef(monday), later, day('2026-12-01'));
    const tuesday = [...later, entry('c', [])];
    await history.record(byRef(later), tuesday, day('2026-12-02'));
    expect(await history.trend(30, day('2026-12-02'))).toEqual([
      { day: '2026-12-01', countsByMode: { irsa: 2 } },
      { day: '2026-12-02', countsByMode: { irsa: 2, none: 1 } },
    ]);
    expect(await history.trend(1, day('2026-12-02'))).toEqual([
      { day: '2026-12-02', countsByMode: { irsa: 2, none: 1 } },
    ]);
  });

  it('deletes what is older than the retention', async () => {
    const short = new PostureHistoryStore({ knex, retentionDays: 10 });
    const fleet = [entry('a', ['irsa'])];
    await short.record(new Map(), fleet, day('2026-11-01'));
    await short.record(
      byRef(fleet),
      [entry('a', ['static-keys'], ['static-keys-present'])],
      day('2026-11-20'),
    );
    expect(
      (await short.changesOf('component:default/a')).map(c => c.modes),
    ).toEqual([['static-keys']]);
    expect((await short.trend(60, day('2026-11-20'))).map(d => d.day)).toEqual([
      '2026-11-20',
    ]);
  });
});

import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';
import { postureFactsOf, postureFactsSchema } from './postureFacts';

const NOW = new Date('2026-12-07T12:00:00.000Z');

function entry(overrides: Partial<FleetEntry> = {}): FleetEntry {
  return {
    entityRef: 'component:default/vote',
    kind: 'Component',
    namespace: 'default',
    name: 'vote',
    modes: ['irsa'],
    workloads: [
      {
        cluster: 'c',
        namespace: 'vote',
        kind: 'Deployment',
        name: 'vote',
        mode: 'irsa',
        failingChecks: [],
      },
    ],
    failingChecks: [],
    errors: {},
    refreshedAt: '2026-12-07T11:50:00.000Z',
    tableStatus: 'ACTIVE',
    newestImage: {
      digest: 'sha256:1',
      tags: ['v1'],
      pushedAt: '2026-11-06T11:00:00.000Z',
    },
    runningImages: [
      { digest: 'sha256:1', tags: ['v1'], critical: 0, high: 2 },
      { digest: 'sha256:0', tags: ['v0'], critical: 1, high: 0 },
    ],
    ...overrides,
  };
}

describe('postureFactsOf', () => {
  it('gives every fact of the schema for an entity the fleet read whole', () => {
    const facts = postureFactsOf(entry(), NOW);
    expect(facts).toEqual({
      credentialModes: ['irsa'],
      staticKeysPresent: false,
      failingChecks: [],
      chainHealthy: true,
      tableStatus: 'ACTIVE',
      newestImageAgeDays: 31,
      runningImageCriticalFindings: 1,
      runningImageHighFindings: 2,
      stale: false,
    });
    expect(Object.keys(facts).sort()).toEqual(
      Object.keys(postureFactsSchema).sort(),
    );
  });

  it('says static keys and a broken chain where the checks fail', () => {
    const facts = postureFactsOf(
      entry({
        modes: ['static-keys'],
        failingChecks: ['static-keys-present'],
      }),
      NOW,
    );
    expect(facts).toMatchObject({
      staticKeysPresent: true,
      chainHealthy: false,
      failingChecks: ['static-keys-present'],
    });
  });

  it('leaves out what the fleet could not establish, rather than guessing', () => {
    const facts = postureFactsOf(
      entry({
        modes: [],
        workloads: [],
        errors: { workloads: { name: 'Error', message: 'cluster down' } },
        stale: {
          since: '2026-12-07T11:00:00.000Z',
          reason: 'cluster down',
          sections: ['images'],
        },
        tableStatus: undefined,
        newestImage: undefined,
        runningImages: [{ digest: 'sha256:1', tags: [] }],
      }),
      NOW,
    );
    expect(facts).toEqual({ stale: true });
  });

  it('does not call an entity without workloads healthy', () => {
    expect(
      postureFactsOf(entry({ modes: [], workloads: [] }), NOW).chainHealthy,
    ).toBe(false);
  });
});

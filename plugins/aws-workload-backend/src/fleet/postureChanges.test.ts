import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';
import { postureChanges } from './postureChanges';
import { notificationOf } from './PostureNotifier';

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
    refreshedAt: '2026-12-07T10:00:00.000Z',
    ...overrides,
  };
}

const before = (e: FleetEntry) => new Map([[e.entityRef, e]]);
const withKeys = entry({
  modes: ['static-keys'],
  failingChecks: ['static-keys-present'],
});

describe('postureChanges', () => {
  it('says nothing on the first refresh or for an entity seen for the first time', () => {
    expect(postureChanges(new Map(), [withKeys])).toEqual([]);
    expect(
      postureChanges(before(entry({ entityRef: 'component:default/other' })), [
        withKeys,
      ]),
    ).toEqual([]);
  });

  it('reports static keys once, not also as a newly failing static-keys check', () => {
    const changes = postureChanges(before(entry()), [
      {
        ...withKeys,
        failingChecks: ['static-keys-present', 'oidc-provider-registered'],
      },
    ]);
    expect(changes.map(c => [c.kind, c.checks])).toEqual([
      ['static-keys', []],
      ['newly-failing', ['oidc-provider-registered']],
    ]);
  });

  it('reports a newly failing check, and healing when every check passes again', () => {
    const failing = entry({ failingChecks: ['trust-policy-allows-sa'] });
    expect(
      postureChanges(before(entry()), [failing]).map(c => [c.kind, c.checks]),
    ).toEqual([['newly-failing', ['trust-policy-allows-sa']]]);
    expect(postureChanges(before(failing), [entry()]).map(c => c.kind)).toEqual(
      ['healed'],
    );
    // Still failing, same check: nothing new.
    expect(postureChanges(before(failing), [failing])).toEqual([]);
  });

  it('says nothing when either side comes from a failed or stale read', () => {
    const stale = {
      ...withKeys,
      stale: {
        since: '2026-12-07T09:00:00.000Z',
        reason: 'cluster unreachable',
        sections: ['workloads' as const],
      },
    };
    expect(postureChanges(before(entry()), [stale])).toEqual([]);
    expect(
      postureChanges(before(entry()), [
        entry({
          modes: [],
          workloads: [],
          errors: { workloads: { name: 'Error', message: 'down' } },
        }),
      ]),
    ).toEqual([]);
    // Healing from a stale previous read is not news either.
    expect(
      postureChanges(before({ ...stale, failingChecks: ['x'] }), [entry()]),
    ).toEqual([]);
  });

  it('builds a notification per entity and kind: severity, the AWS tab, a scope a repeat updates', () => {
    const [change] = postureChanges(before(entry()), [withKeys]);
    expect(notificationOf(change)).toEqual({
      title: 'vote now uses static AWS keys',
      description: expect.stringMatching(
        /^A workload of component:default\/vote reads AWS access keys/,
      ),
      link: '/catalog/default/component/vote/aws',
      severity: 'high',
      topic: 'AWS credentials',
      scope: 'aws-workload:component:default/vote:static-keys',
    });
  });
});

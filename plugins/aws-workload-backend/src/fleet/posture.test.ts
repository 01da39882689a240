import {
  EntityAwsWorkloadResponse,
  FleetEntry,
} from '@aws-workload/plugin-aws-workload-common';
import { Entity } from '@backstage/catalog-model';
import { keepStaleSections, summarizeView, withFailingSince } from './posture';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'vote', namespace: 'payments' },
  spec: { owner: 'vote-team' },
};

const error = (name: string, message: string, lasting?: true) =>
  ({
    status: 'error',
    error: { name, message, ...(lasting ? { lasting } : {}) },
  } as const);

const view = (
  parts: Partial<EntityAwsWorkloadResponse> = {},
): EntityAwsWorkloadResponse => ({
  entityRef: 'component:payments/vote',
  table: { status: 'absent', annotation: 'aws.amazon.com/dynamodb-table-arn' },
  images: { status: 'absent', annotation: 'aws.amazon.com/amazon-ecr-arn' },
  workloads: { status: 'absent', annotation: 'backstage.io/kubernetes-id' },
  ...parts,
});

describe('summarizeView', () => {
  it('keeps warnings as findings of their own, the account, and the running images with their critical and high findings', () => {
    const summary = summarizeView(
      {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            'aws.amazon.com/amazon-ecr-arn':
              'arn:aws:ecr:eu-west-3:210987654321:repository/vote',
          },
        },
      },
      view({
        images: {
          status: 'ok',
          fetchedAt: 'T',
          data: [
            {
              digest: 'sha256:run',
              tags: ['v2'],
              running: true,
              findings: { CRITICAL: 1, HIGH: 4, LOW: 9 },
            },
            { digest: 'sha256:unscanned', tags: [], running: true },
            { digest: 'sha256:old', tags: ['v1'], running: false },
          ],
        },
        workloads: {
          status: 'ok',
          fetchedAt: 'T',
          data: [
            {
              cluster: 'prod',
              namespace: 'vote',
              kind: 'Deployment',
              name: 'vote',
              mode: 'node-role',
              serviceAccount: 'default',
              fargate: false,
              staticKeys: [],
              pods: [],
              checks: [
                {
                  check: 'node-role-fallback',
                  status: 'warn',
                  message: '',
                  fix: '',
                },
                { check: 'partial-keys', status: 'warn', message: '', fix: '' },
              ],
            },
          ],
        },
      }),
      'T',
    );
    expect(summary.failingChecks).toEqual([]);
    expect(summary.warningChecks).toEqual([
      'node-role-fallback',
      'partial-keys',
    ]);
    expect(summary.account).toBe('210987654321');
    expect(summary.runningImages).toEqual([
      { digest: 'sha256:run', tags: ['v2'], critical: 1, high: 4 },
      { digest: 'sha256:unscanned', tags: [] },
    ]);
  });

  it('spells the owner as a full ref, in the entity namespace, as the catalog does', () => {
    expect(summarizeView(entity, view(), 'T').owner).toBe(
      'group:payments/vote-team',
    );
    expect(
      summarizeView(
        { ...entity, spec: { owner: 'user:default/ana' } },
        view(),
        'T',
      ).owner,
    ).toBe('user:default/ana');
  });
});

describe('keepStaleSections', () => {
  const previous: FleetEntry = {
    ...summarizeView(entity, view(), '2026-11-22T06:00:00.000Z'),
    modes: ['irsa'],
    failingChecks: ['trust-sub'],
    tableStatus: 'ACTIVE',
  };

  it('keeps the previous sections that an upstream failure hid, and says why', () => {
    const current = summarizeView(
      entity,
      view({
        workloads: error('TimeoutError', 'Kubernetes list pods timed out'),
        table: error('ThrottlingException', 'Rate exceeded'),
      }),
      '2026-11-22T07:00:00.000Z',
    );
    const merged = keepStaleSections(current, previous);
    expect(merged.modes).toEqual(['irsa']);
    expect(merged.failingChecks).toEqual(['trust-sub']);
    expect(merged.tableStatus).toBe('ACTIVE');
    expect(merged.refreshedAt).toBe('2026-11-22T07:00:00.000Z');
    expect(merged.stale).toEqual({
      since: '2026-11-22T07:00:00.000Z',
      reason: 'table: Rate exceeded; workloads: Kubernetes list pods timed out',
      sections: ['table', 'workloads'],
    });
    // Still failing an hour later: stale since the first failure.
    const later = keepStaleSections(
      { ...current, refreshedAt: '2026-11-22T08:00:00.000Z' },
      merged,
    );
    expect(later.stale!.since).toBe('2026-11-22T07:00:00.000Z');
  });

  it('takes what the entity itself is wrong about as its state, not as stale', () => {
    const current = summarizeView(
      entity,
      view({
        table: error(
          'ResourceNotFoundException',
          'Requested resource not found',
          true,
        ),
        workloads: error(
          'InputError',
          'Annotation backstage.io/kubernetes-id: bad',
          true,
        ),
      }),
      'T',
    );
    const merged = keepStaleSections(current, previous);
    expect(merged.stale).toBeUndefined();
    expect(merged.tableStatus).toBeUndefined();
    expect(merged.modes).toEqual([]);
  });
});

describe('withFailingSince', () => {
  const at = (hour: number) =>
    `2026-12-07T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const entry = (failingChecks: string[], refreshedAt: string): FleetEntry => ({
    entityRef: 'component:default/vote',
    kind: 'Component',
    namespace: 'default',
    name: 'vote',
    modes: ['irsa'],
    workloads: [],
    failingChecks,
    errors: {},
    refreshedAt,
  });

  it('dates a check from the refresh that first found it failing, and keeps the date while it fails', () => {
    const first = withFailingSince(entry(['trust-sub'], at(1)), undefined);
    expect(first.failingSince).toEqual({ 'trust-sub': at(1) });
    const second = withFailingSince(
      entry(['trust-sub', 'trust-aud'], at(2)),
      first,
    );
    expect(second.failingSince).toEqual({
      'trust-sub': at(1),
      'trust-aud': at(2),
    });
    // Passing again, then failing: a new date.
    const healed = withFailingSince(entry([], at(3)), second);
    expect(healed.failingSince).toBeUndefined();
    expect(
      withFailingSince(entry(['trust-sub'], at(4)), healed).failingSince,
    ).toEqual({ 'trust-sub': at(4) });
  });

  it('dates a check an entry stored before the history failed already from that entry', () => {
    expect(
      withFailingSince(entry(['trust-sub'], at(5)), entry(['trust-sub'], at(2)))
        .failingSince,
    ).toEqual({ 'trust-sub': at(2) });
  });
});

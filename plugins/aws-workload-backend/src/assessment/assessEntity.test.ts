import {
  IamRoleFacts,
  Lookup,
  Section,
  toWorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import {
  ACCESS_KEY_ID,
  deployment,
  irsaEnv,
  podOf,
  RUNNING_DIGEST,
  SECRET_ACCESS_KEY,
  serviceAccount,
} from '../__fixtures__/kubernetes';
import {
  CLUSTER,
  irsaTrust,
  ISSUER,
  PROVIDER_ARN,
  roleArn,
  tableArn,
} from '../__fixtures__/aws';
import { EntityFacts, WorkloadFacts } from '../facts/EntityFacts';
import { assessEntity } from './assessEntity';

const NS = 'vote';
/** A Deployment fixture and its pods as the classifier takes them. */
const inputOf = (dep: ReturnType<typeof deployment>, pods: any[]) =>
  toWorkloadInput({ apiVersion: 'apps/v1', kind: 'Deployment', ...dep }, pods);
const ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];
const fetchedAt = '2026-12-07T10:00:00.000Z';
const ok = <T>(data: T): Section<T> => ({ status: 'ok', data, fetchedAt });

const roleFacts = (name: string): Lookup<IamRoleFacts> => ({
  status: 'found',
  value: {
    arn: roleArn(name),
    trustPolicy: irsaTrust(NS, name) as any,
    policies: {
      status: 'found',
      value: [
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ACTIONS,
              Resource: tableArn('votes'),
            },
          ],
        },
      ],
    },
  },
});

/** An IRSA workload as the collectors read it, every link found. */
function irsaWorkload(
  credentials: Partial<NonNullable<WorkloadFacts['credentials']>> = {},
): WorkloadFacts {
  const dep = deployment('vote', NS, { serviceAccountName: 'vote' });
  return {
    cluster: 'production',
    eksCluster: CLUSTER,
    input: inputOf(dep, [podOf(dep, 'a1b2c', irsaEnv('vote')) as any])!,
    context: {
      serviceAccounts: [serviceAccount('vote', NS, 'vote') as any],
      podIdentityAssociations: [],
    },
    association: { status: 'not-found' },
    credentials: {
      role: roleFacts('vote'),
      table: { tableArn: tableArn('votes'), actions: ACTIONS },
      oidcIssuer: { status: 'found', value: ISSUER },
      oidcProvider: {
        status: 'found',
        value: { arn: PROVIDER_ARN, clientIds: ['sts.amazonaws.com'] },
      },
      ...credentials,
    },
  };
}

function factsOf(
  workloads: Section<WorkloadFacts[]>,
  overrides: Partial<EntityFacts> = {},
): EntityFacts {
  return {
    entityRef: 'component:default/vote',
    table: {
      status: 'absent',
      annotation: 'aws.amazon.com/dynamodb-table-arn',
    },
    images: ok([
      {
        digest: RUNNING_DIGEST,
        tags: ['3f9c2ab'],
        pushedAt: fetchedAt,
      } as any,
      { digest: `sha256:${'c3'.padEnd(64, '0')}`, tags: ['old'] } as any,
    ]),
    workloads,
    tableRef: { tableArn: tableArn('votes'), actions: ACTIONS },
    ...overrides,
  };
}

const onlyWorkload = (facts: EntityFacts) => {
  const view = assessEntity(facts);
  if (view.workloads.status !== 'ok') throw new Error('workloads not ok');
  return view.workloads.data[0];
};

describe('assessEntity', () => {
  it('passes every link of an IRSA chain whose facts are all found', () => {
    const w = onlyWorkload(factsOf(ok([irsaWorkload()])));
    expect(w.mode).toBe('irsa');
    expect(w.roleArn).toBe(roleArn('vote'));
    expect(w.cluster).toBe('production');
    expect(w.checks.map(c => [c.check, c.status])).toEqual([
      ['role-arn-format', 'pass'],
      ['role-exists', 'pass'],
      ['trust-federated-principal', 'pass'],
      ['trust-sub', 'pass'],
      ['trust-aud', 'pass'],
      ['oidc-provider-registered', 'pass'],
      ['pod-env-injected', 'pass'],
      ['policy-allows-table', 'pass'],
    ]);
    expect(w.pods[0]).toMatchObject({
      phase: 'Running',
      readyContainers: 1,
      containers: 1,
      images: [{ container: 'vote', digest: RUNNING_DIGEST }],
    });
  });

  it('fails the links a missing role and a missing provider break, each with a fix', () => {
    const w = onlyWorkload(
      factsOf(
        ok([
          irsaWorkload({
            role: { status: 'not-found' },
            oidcProvider: { status: 'not-found' },
          }),
        ]),
      ),
    );
    const failed = w.checks.filter(c => c.status === 'fail');
    expect(failed.map(c => c.check)).toEqual(
      expect.arrayContaining(['role-exists', 'oidc-provider-registered']),
    );
    for (const check of failed) expect(check.fix).not.toBe('');
    expect(
      w.checks.find(c => c.check === 'policy-allows-table')?.status,
    ).not.toBe('pass');
  });

  it('never passes a link whose facts were not read', () => {
    const { credentials, ...unread } = irsaWorkload();
    expect(credentials).toBeDefined();
    const w = onlyWorkload(factsOf(ok([unread])));
    expect(w.mode).toBe('irsa');
    expect(w.checks.find(c => c.check === 'role-exists')?.status).toBe(
      'unknown',
    );
    expect(
      w.checks.filter(
        c =>
          c.status === 'pass' &&
          !['role-arn-format', 'pod-env-injected'].includes(c.check),
      ),
    ).toEqual([]);
  });

  it('checks a Pod Identity chain against its association', () => {
    const dep = deployment('vote', NS, { serviceAccountName: 'vote' });
    const association = {
      roleArn: roleArn('vote'),
      associationArn: `arn:aws:eks:eu-west-3:123456789012:podidentityassociation/${CLUSTER}/a-1`,
    };
    const workload: WorkloadFacts = {
      cluster: 'production',
      eksCluster: CLUSTER,
      input: inputOf(dep, [
        podOf(dep, 'a1b2c', [
          {
            name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
            value: 'http://169.254.170.23/v1/credentials',
          },
        ]) as any,
      ])!,
      context: {
        serviceAccounts: [serviceAccount('vote', NS) as any],
        podIdentityAssociations: [
          { namespace: NS, serviceAccount: 'vote', ...association },
        ],
      },
      association: { status: 'found', value: association },
      credentials: { role: { status: 'not-found' } },
    };
    const w = onlyWorkload(factsOf(ok([workload])));
    expect(w.mode).toBe('pod-identity');
    const byId = Object.fromEntries(w.checks.map(c => [c.check, c.status]));
    expect(byId['association-exists']).toBe('pass');
    expect(byId['role-exists']).toBe('fail');
  });

  it('finds static keys and offers the fix, without echoing the secret', () => {
    const dep = deployment('legacy', NS, {
      env: [
        { name: 'AWS_ACCESS_KEY_ID', value: ACCESS_KEY_ID },
        { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET_ACCESS_KEY },
      ],
    });
    const view = assessEntity(
      factsOf(
        ok([
          {
            cluster: 'production',
            eksCluster: CLUSTER,
            input: inputOf(dep, [podOf(dep, 'x9y8z') as any])!,
            context: { serviceAccounts: [], podIdentityAssociations: [] },
          },
        ]),
      ),
    );
    expect(view.workloads.status === 'ok' && view.workloads.data[0].mode).toBe(
      'static-keys',
    );
    expect(JSON.stringify(view)).not.toContain(SECRET_ACCESS_KEY);
    expect(JSON.stringify(view)).toContain('static-keys-present');
  });

  it('marks the images some pod runs, and only when the workloads were read', () => {
    const view = assessEntity(factsOf(ok([irsaWorkload()])));
    expect(
      view.images.status === 'ok' && view.images.data.map(i => i.running),
    ).toEqual([true, false]);

    const failed = assessEntity(
      factsOf({
        status: 'error',
        error: { name: 'ForbiddenError', message: 'no access' },
      }),
    );
    expect(failed.workloads.status).toBe('error');
    expect(
      failed.images.status === 'ok' && failed.images.data.map(i => i.running),
    ).toEqual([undefined, undefined]);
  });

  it('is pure: the same facts give the same view, and the facts are left as they were', () => {
    const facts = factsOf(ok([irsaWorkload()]), {
      table: ok({ name: 'votes' } as any),
    });
    const before = JSON.stringify(facts);
    const first = assessEntity(facts, { demo: true });
    expect(assessEntity(facts, { demo: true })).toEqual(first);
    expect(JSON.stringify(facts)).toBe(before);
    expect(first.demo).toBe(true);
    expect(first.table).toEqual(facts.table);
    expect(assessEntity(facts).demo).toBeUndefined();
  });
});

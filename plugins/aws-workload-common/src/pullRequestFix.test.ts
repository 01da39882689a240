import { WorkloadInfo } from './api';
import { fail, pass } from './checks';
import {
  githubSourceOf,
  pullRequestFixesFor,
  pullRequestFixUrl,
} from './pullRequestFix';

const entity = {
  kind: 'Component',
  metadata: {
    name: 'vote',
    annotations: {
      'backstage.io/source-location':
        'url:https://github.com/acme/vote/tree/trunk/',
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:123456789012:table/vote',
      'aws.amazon.com/eks-cluster-name': 'vote-demo',
    },
  },
  spec: { owner: 'group:default/vote-team' },
};

function workload(overrides: Partial<WorkloadInfo>): WorkloadInfo {
  return {
    kind: 'Deployment',
    namespace: 'vote',
    name: 'vote',
    mode: 'irsa',
    serviceAccount: 'vote',
    roleArn: 'arn:aws:iam::123456789012:role/vote-service',
    fargate: false,
    staticKeys: [],
    cluster: 'demo-config-name',
    checks: [],
    pods: [],
    ...overrides,
  };
}

describe('pullRequestFixesFor', () => {
  it('prefills the template from the entity and its workload', () => {
    const [fix] = pullRequestFixesFor(
      entity,
      workload({ mode: 'static-keys', roleArn: undefined }),
    );
    expect(fix.formData).toEqual({
      entityRef: 'component:default/vote',
      fix: 'static-keys',
      target: 'pod-identity',
      name: 'vote',
      namespace: 'vote',
      owner: 'group:default/vote-team',
      clusterName: 'vote-demo',
      awsAccountId: '123456789012',
      awsRegion: 'eu-west-3',
      repoUrl: 'github.com?owner=acme&repo=vote',
      sourceBranch: 'trunk',
    });
    expect(pullRequestFixUrl(fix)).toBe(
      `/create/templates/default/fix-aws-credentials?formData=${encodeURIComponent(
        JSON.stringify(fix.formData),
      )}`,
    );
  });

  it('moves Fargate pods off keys to IRSA, where Pod Identity does not run', () => {
    const [fix] = pullRequestFixesFor(
      entity,
      workload({ mode: 'static-keys', fargate: true }),
    );
    expect(fix.formData.target).toBe('irsa');
  });

  it('repairs a failing trust, and offers the migration only to healthy IRSA off Fargate', () => {
    const broken = workload({
      checks: [fail('trust-sub', 'names another ServiceAccount', 'fix it')],
    });
    expect(pullRequestFixesFor(entity, broken).map(f => f.fix)).toEqual([
      'irsa-trust',
    ]);
    const healthy = workload({ checks: [pass('trust-sub', 'ok')] });
    expect(pullRequestFixesFor(entity, healthy).map(f => f.fix)).toEqual([
      'irsa-to-pod-identity',
    ]);
    expect(pullRequestFixesFor(entity, { ...healthy, fargate: true })).toEqual(
      [],
    );
    expect(
      pullRequestFixesFor(entity, workload({ mode: 'pod-identity' })),
    ).toEqual([]);
  });

  it('names the workload when it is not named like the entity', () => {
    const [fix] = pullRequestFixesFor(
      entity,
      workload({ mode: 'static-keys', name: 'vote-api' }),
    );
    expect(fix.formData.workload).toBe('vote-api');
  });

  it('offers nothing when the source is not on GitHub', () => {
    const elsewhere = {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          'backstage.io/source-location':
            'url:https://gitlab.com/acme/vote/-/tree/main/',
        },
      },
    };
    expect(
      pullRequestFixesFor(elsewhere, workload({ mode: 'static-keys' })),
    ).toEqual([]);
  });
});

describe('githubSourceOf', () => {
  it.each([
    ['url:https://github.com/acme/vote/tree/main/', 'acme', 'vote', 'main'],
    ['url:https://github.com/acme/vote', 'acme', 'vote', 'main'],
    ['url:https://github.com/acme/vote.git', 'acme', 'vote', 'main'],
    [
      'url:https://github.com/acme/vote/blob/dev/catalog-info.yaml',
      'acme',
      'vote',
      'dev',
    ],
  ])('reads %s', (location, owner, repo, branch) => {
    expect(githubSourceOf(location)).toEqual({
      repoUrl: `github.com?owner=${owner}&repo=${repo}`,
      sourceBranch: branch,
    });
  });

  it.each([undefined, 'url:https://github.example.com/acme/vote', 'file:/x'])(
    'refuses %s',
    location => expect(githubSourceOf(location)).toBeUndefined(),
  );
});

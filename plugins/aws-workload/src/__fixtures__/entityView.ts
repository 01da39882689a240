import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { Entity } from '@backstage/catalog-model';

/** An entity of the demo, with every annotation of the plugin. */
export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'vote-broken-irsa',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:123456789012:table/vote-broken-irsa',
      'aws.amazon.com/amazon-ecr-arn':
        'arn:aws:ecr:eu-west-3:123456789012:repository/vote-broken-irsa',
      'backstage.io/kubernetes-id': 'vote-broken-irsa',
      'backstage.io/source-location':
        'url:https://github.com/acme/vote-broken-irsa/tree/main/',
    },
  },
  spec: { type: 'service', owner: 'vote-team', lifecycle: 'experimental' },
};

const running = `sha256:${'a67a'.padEnd(64, '1')}`;

/** The entity endpoint's answer for it, as the backend sends it. */
export const view: EntityAwsWorkloadResponse = {
  entityRef: 'component:default/vote-broken-irsa',
  demo: true,
  table: {
    status: 'ok',
    fetchedAt: '2026-11-22T05:00:00.000Z',
    data: {
      tableArn:
        'arn:aws:dynamodb:eu-west-3:123456789012:table/vote-broken-irsa',
      tableName: 'vote-broken-irsa',
      region: 'eu-west-3',
      accountId: '123456789012',
      status: 'ACTIVE',
      billingMode: 'PAY_PER_REQUEST',
      keySchema: [
        { attributeName: 'name', keyType: 'HASH', attributeType: 'S' },
      ],
      itemCount: 1234,
      sizeBytes: 52_000,
      itemCountNote:
        'AWS refreshes the item count and size about every six hours.',
      pointInTimeRecovery: 'ENABLED',
      encryption: { type: 'AWS_OWNED' },
      consoleUrl:
        'https://eu-west-3.console.aws.amazon.com/dynamodbv2/home?region=eu-west-3#table?name=vote-broken-irsa',
    },
  },
  images: {
    status: 'ok',
    fetchedAt: '2026-11-22T05:00:00.000Z',
    data: [
      {
        digest: running,
        tags: ['git-3f9c2ab'],
        pushedAt: '2026-11-20T08:00:00.000Z',
        sizeBytes: 61_341_212,
        scanStatus: 'COMPLETE',
        findings: { MEDIUM: 1, LOW: 3 },
        running: true,
      },
      {
        digest: `sha256:${'45d0'.padEnd(64, '2')}`,
        tags: [],
        pushedAt: '2026-10-13T08:00:00.000Z',
        sizeBytes: 74_001_002,
        scanStatus: 'COMPLETE',
        findings: { CRITICAL: 3, HIGH: 2 },
        running: false,
      },
    ],
  },
  workloads: {
    status: 'ok',
    fetchedAt: '2026-11-22T05:00:00.000Z',
    data: [
      {
        cluster: 'vote-demo',
        kind: 'Deployment',
        namespace: 'vote-broken-irsa',
        name: 'vote-broken-irsa',
        mode: 'irsa',
        serviceAccount: 'vote-broken-irsa',
        roleArn: 'arn:aws:iam::123456789012:role/vote-broken-irsa',
        fargate: false,
        staticKeys: [],
        checks: [
          {
            check: 'role-exists',
            status: 'pass',
            message:
              'Role arn:aws:iam::123456789012:role/vote-broken-irsa exists.',
            fix: '',
          },
          {
            check: 'trust-sub',
            status: 'fail',
            message:
              'The sub condition does not admit system:serviceaccount:vote-broken-irsa:vote-broken-irsa: it names system:serviceaccount:vote-broken-irsa:vote.',
            fix: 'Trust the provider with StringEquals sub = system:serviceaccount:vote-broken-irsa:vote-broken-irsa.',
            artefacts: [
              {
                label: 'Corrected trust policy (trust-policy.json)',
                language: 'json',
                content: '{\n  "Version": "2012-10-17"\n}',
              },
              {
                label: 'Apply it',
                language: 'shell',
                content:
                  'aws iam update-assume-role-policy --role-name vote-broken-irsa --policy-document file://trust-policy.json',
              },
            ],
          },
          {
            check: 'oidc-provider-registered',
            status: 'unknown',
            message: 'Could not read the provider: AccessDenied',
            fix: '',
          },
        ],
        pods: [
          {
            name: 'vote-broken-irsa-6d8f7c9b5-7c9dk',
            phase: 'Running',
            images: [{ container: 'vote', digest: running }],
          },
        ],
      },
      {
        cluster: 'vote-demo',
        kind: 'Deployment',
        namespace: 'vote-broken-irsa',
        name: 'legacy-worker',
        mode: 'static-keys',
        serviceAccount: 'default',
        fargate: false,
        staticKeys: [
          { container: 'worker', via: 'value', accessKeyId: '****MPLE' },
        ],
        checks: [
          {
            check: 'static-keys-present',
            status: 'fail',
            message:
              'Container worker has static AWS keys written in its environment (access key ****MPLE).',
            fix: 'Remove the keys from the pod, bind its ServiceAccount to an IAM role (IRSA or Pod Identity), then deactivate the access key in IAM.',
          },
        ],
        pods: [],
      },
    ],
  },
};

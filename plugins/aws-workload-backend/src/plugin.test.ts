/**
 * The upstreams extension point: what a module hands over is what the plugin
 * reads, config still wins where it speaks, and only one module may set them.
 */
import {
  AwsWorkloadUpstreams,
  awsWorkloadUpstreamsExtensionPoint,
} from '@aws-workload/plugin-aws-workload-node';
import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';

const entityWith = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'vote', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'group:default/team', lifecycle: 'x' },
});
const entity = entityWith({
  'backstage.io/kubernetes-id': 'vote',
  'aws.amazon.com/eks-cluster-name': 'prod-east',
});

const upstreamsModule = (moduleId: string, upstreams: AwsWorkloadUpstreams) =>
  createBackendModule({
    pluginId: 'aws-workload',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { point: awsWorkloadUpstreamsExtensionPoint },
        async init({ point }) {
          point.setUpstreams(upstreams);
        },
      });
    },
  });

async function view(
  features: any[],
  config: object = {},
  viewed: object = entity,
) {
  const backend = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogServiceMock.factory({ entities: [viewed as any] }),
      mockServices.rootConfig.factory({
        data: { awsWorkload: { fleet: { enabled: false } }, ...config },
      }),
      ...features,
    ],
  });
  try {
    const res = await request(backend.server)
      .get('/api/aws-workload/entity/component/default/vote')
      .set('Authorization', mockCredentials.user.header());
    return res.body as EntityAwsWorkloadResponse;
  } finally {
    await backend.stop();
  }
}

describe('awsWorkloadUpstreamsExtensionPoint', () => {
  it("reads the module's clusters instead of the Kubernetes config, and marks demo answers", async () => {
    const withoutModule = await view([]);
    expect(withoutModule.demo).toBeUndefined();
    expect(withoutModule.workloads).toMatchObject({
      status: 'error',
      error: { message: expect.stringMatching(/^No cluster named prod-east/) },
    });

    // A cluster the entity names, on a port nothing listens on: the lookup
    // now reaches for it, and fails as an unreachable cluster would.
    const withModule = await view([
      upstreamsModule('clusters', {
        demo: true,
        clusters: [
          {
            name: 'prod-east',
            url: 'http://127.0.0.1:9',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'token',
            skipTLSVerify: true,
          },
        ],
      }),
    ]);
    expect(withModule.demo).toBe(true);
    expect(withModule.workloads.status).toBe('error');
    expect(JSON.stringify(withModule.workloads)).not.toMatch(
      /No cluster named/,
    );
  });

  it('lets config win over the module where config speaks', async () => {
    const answer = await view([upstreamsModule('demo', { demo: true })], {
      awsWorkload: { demo: false, fleet: { enabled: false } },
    });
    expect(answer.demo).toBeUndefined();
  });

  it('refuses a second module that sets the upstreams', async () => {
    await expect(
      startTestBackend({
        features: [
          awsWorkloadPlugin,
          catalogServiceMock.factory({ entities: [entity] }),
          upstreamsModule('one', { demo: true }),
          upstreamsModule('two', { demo: true }),
        ],
      }),
    ).rejects.toThrow(/two modules set the upstreams/);
  });

  it('says in words what to do when the backend has no AWS credentials', async () => {
    const noCredentials = Object.assign(
      new Error('Could not load credentials from any providers'),
      { name: 'CredentialsProviderError' },
    );
    const answer = await view(
      [
        upstreamsModule('no-credentials', {
          credentials: {
            async getCredentialProvider() {
              return {
                sdkCredentialProvider: async () => {
                  throw noCredentials;
                },
              };
            },
          },
        }),
      ],
      {},
      entityWith({
        'aws.amazon.com/dynamodb-table-arn':
          'arn:aws:dynamodb:eu-west-3:123456789012:table/vote',
      }),
    );
    expect(answer.table).toEqual({
      status: 'error',
      error: {
        name: 'CredentialsProviderError',
        message: expect.stringMatching(
          /^The backend has no AWS credentials to read this: .*aws\.accounts.*aws\.mainAccount/,
        ),
      },
    });
  });

  it("refuses a table the portal's guard does not allow, before any AWS call", async () => {
    let credentialRequests = 0;
    const answer = await view(
      [
        upstreamsModule('counting', {
          credentials: {
            async getCredentialProvider() {
              credentialRequests += 1;
              return {
                sdkCredentialProvider: async () => ({
                  accessKeyId: 'a',
                  secretAccessKey: 'b',
                }),
              };
            },
          },
        }),
      ],
      {
        awsWorkload: {
          fleet: { enabled: false },
          guard: {
            accounts: [{ accountId: '123456789012', tablePrefixes: ['shop-'] }],
          },
        },
      },
      entityWith({
        'aws.amazon.com/dynamodb-table-arn':
          'arn:aws:dynamodb:eu-west-3:123456789012:table/payroll',
      }),
    );
    expect(answer.table).toEqual({
      status: 'error',
      error: {
        name: 'InputError',
        lasting: true,
        message:
          'aws.amazon.com/dynamodb-table-arn: this portal allows tables of account 123456789012 named shop-… only',
      },
    });
    expect(credentialRequests).toBe(0);
  });
});

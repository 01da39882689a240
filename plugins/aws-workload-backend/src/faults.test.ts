/**
 * Throttling and timeouts injected at the HTTP layer, so that the AWS SDK's
 * own retry strategy and the request timeouts run for real.
 */
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FakeKubernetesApi } from '@aws-workload/plugin-aws-workload-node/testUtils';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import * as aws from './__fixtures__/aws';
import { testConfig } from './__fixtures__/config';
import * as k8s from './__fixtures__/kubernetes';

const TIMEOUT_MS = 300;
const MAX_ATTEMPTS = 3;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'vote-node-role',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/dynamodb-table-arn': aws.tableArn('vote-node-role'),
      'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn('vote-node-role'),
      'backstage.io/kubernetes-id': 'vote-node-role',
      'backstage.io/kubernetes-namespace': 'vote-node-role',
    },
  },
  spec: { type: 'service', owner: 'vote-team', lifecycle: 'production' },
};
const dep = k8s.deployment('vote-node-role', 'vote-node-role');

const attempts: Record<string, number> = {};
const count = (what: string) => (attempts[what] = (attempts[what] ?? 0) + 1);
let ecrBehaviour: 'throttle' | 'throttle-once' = 'throttle';
let slowKubernetes = false;
const kubernetes = new FakeKubernetesApi({
  objects: {
    deployments: [dep],
    pods: [k8s.podOf(dep, 'a1b2c')],
    serviceaccounts: [k8s.serviceAccount('default', 'vote-node-role')],
  },
  intercept: async () => {
    count('kubernetes');
    if (slowKubernetes) await delay(TIMEOUT_MS * 10);
    return undefined;
  },
});

const throttled = () =>
  HttpResponse.json(
    { __type: 'ThrottlingException', message: 'Rate exceeded' },
    { status: 400, headers: { 'x-amzn-errortype': 'ThrottlingException' } },
  );

const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () => passthrough()),
  http.post('https://api.ecr.eu-west-3.amazonaws.com/', () => {
    const n = count('ecr');
    if (ecrBehaviour === 'throttle' || n === 1) return throttled();
    return HttpResponse.json({
      imageDetails: [
        {
          imageDigest: `sha256:${'a'.repeat(64)}`,
          imageTags: ['v1'],
          imagePushedAt: 1763600000,
          imageSizeInBytes: 1000,
        },
      ],
    });
  }),
  http.post('https://dynamodb.eu-west-3.amazonaws.com/', async () => {
    count('dynamodb');
    await delay(TIMEOUT_MS * 10);
    return HttpResponse.json({});
  }),
  http.get('https://eks.eu-west-3.amazonaws.com/*', () =>
    HttpResponse.json({ associations: [] }),
  ),
  http.get(`${aws.CLUSTER_URL}/*`, ({ request: req }) =>
    kubernetes.handle(req),
  ),
);
registerMswTestHooks(server);

async function view() {
  const { server: backend } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: testConfig({
          upstreamTimeoutMs: TIMEOUT_MS,
          callAttempts: MAX_ATTEMPTS,
        }),
      }),
    ],
  });
  const started = Date.now();
  const res = await request(backend)
    .get('/api/aws-workload/entity/component/default/vote-node-role')
    .set('Authorization', mockCredentials.user.header());
  return { res, elapsedMs: Date.now() - started };
}

describe('faults at the HTTP layer', () => {
  beforeEach(() => {
    Object.keys(attempts).forEach(k => delete attempts[k]);
    ecrBehaviour = 'throttle';
    slowKubernetes = false;
  });

  it('retries throttled calls a bounded number of times and still answers the other sections', async () => {
    const { res, elapsedMs } = await view();
    expect(res.status).toBe(200);
    expect(res.body.images).toEqual({
      status: 'error',
      error: {
        name: 'ThrottlingException',
        message:
          'AWS throttled the call after its retries; a later view tries again.',
      },
    });
    expect(attempts.ecr).toBe(MAX_ATTEMPTS);
    expect(res.body.workloads.status).toBe('ok');
    expect(res.body.workloads.data[0].mode).toBe('node-role');
    // The slow table times out on every attempt, within a bounded time.
    expect(res.body.table.status).toBe('error');
    expect(attempts.dynamodb).toBeLessThanOrEqual(MAX_ATTEMPTS * 2);
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('recovers when throttling stops before the attempts run out', async () => {
    ecrBehaviour = 'throttle-once';
    const { res } = await view();
    expect(attempts.ecr).toBe(2);
    expect(res.body.images.status).toBe('ok');
    expect(res.body.images.data[0].tags).toEqual(['v1']);
  });

  it('times out a slow Kubernetes API without failing the other sections', async () => {
    slowKubernetes = true;
    const { res } = await view();
    expect(res.status).toBe(200);
    expect(res.body.workloads).toEqual({
      status: 'error',
      error: {
        name: 'TimeoutError',
        message: expect.stringMatching(/timed out after 300 ms/),
      },
    });
    expect(res.body.images.status).toBe('error');
  });
});

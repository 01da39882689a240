/**
 * Custom resources the portal's Kubernetes plugin fetches
 * (`kubernetes.customResources`) are read too, through the real
 * KubernetesService and @kubernetes/client-node against an API server
 * answered by msw: Argo Rollouts and Knative Services are classified like
 * Deployments, and a CRD missing on a cluster lists as nothing.
 */
import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  classifyWorkload,
  toWorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import {
  FakeKubernetesApi,
  kubernetesStatus,
} from '@aws-workload/plugin-aws-workload-node/testUtils';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { AwsClientFactory } from './AwsClientFactory';
import { CachedLoader } from './CachedLoader';
import { ClusterDetails, readClusters } from './ClusterConfig';
import { belongsTo, KubernetesService } from './KubernetesService';

const URL_BASE = 'https://k8s.example.test';

const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'checkout', namespace: 'shop', labels: { app: 'shop' } },
  spec: {
    strategy: { canary: { steps: [{ setWeight: 20 }] } },
    template: {
      metadata: { labels: { app: 'shop' } },
      spec: {
        containers: [
          {
            name: 'checkout',
            image: 'checkout:1',
            env: [
              { name: 'AWS_ACCESS_KEY', value: 'AKIAROLLOUTEXAMPLE01' },
              { name: 'AWS_SECRET_KEY', value: 'rollout-secret-not-returned' },
            ],
          },
        ],
      },
    },
  },
};
const analysisTemplate = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: {
    name: 'success-rate',
    namespace: 'shop',
    labels: { app: 'shop' },
  },
  spec: { metrics: [{ name: 'success-rate' }] },
};
const rolloutPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'checkout-6d8f7b9c4-x2k4q',
    namespace: 'shop',
    labels: { app: 'shop' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'checkout-6d8f7b9c4' }],
  },
  spec: rollout.spec.template.spec,
};
const knativePod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'uploader-00001-deployment-5b7c-abcde',
    namespace: 'shop',
    labels: { app: 'shop', 'serving.knative.dev/service': 'uploader' },
    ownerReferences: [
      { kind: 'ReplicaSet', name: 'uploader-00001-deployment-5b7c' },
    ],
  },
  spec: { containers: [{ name: 'user-container', image: 'uploader:1' }] },
};

const api = new FakeKubernetesApi({
  objects: {
    pods: [rolloutPod],
    // The list of a CRD may hold objects without a pod spec: they are skipped.
    rollouts: [rollout, analysisTemplate],
  },
  intercept: request =>
    // Knative is not installed on this cluster: its CRD is unknown.
    new URL(request.url).pathname.startsWith('/apis/serving.knative.dev/')
      ? kubernetesStatus(
          404,
          'NotFound',
          'the server could not find the requested resource',
        )
      : undefined,
});
const requested = () => api.requests.map(r => r.path);
const server = setupServer(
  http.get(`${URL_BASE}/*`, ({ request }) => api.handle(request)),
);
registerMswTestHooks(server);

function service() {
  const cache = mockServices.cache.mock();
  cache.get.mockResolvedValue(undefined);
  cache.set.mockResolvedValue(undefined);
  const aws = new AwsClientFactory(
    {
      async getCredentialProvider() {
        throw new Error('no AWS here');
      },
    } as any,
    { timeoutMs: 2000, maxAttempts: 1, endpoints: {} },
  );
  return new KubernetesService({
    clients: aws,
    loader: new CachedLoader({
      cache: cache,
      logger: mockServices.logger.mock(),
    }),
    timeoutMs: 2000,
    ttlMs: 30_000,
  });
}

const [cluster] = readClusters(
  new ConfigReader({
    kubernetes: {
      customResources: [
        { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' },
        { group: 'serving.knative.dev', apiVersion: 'v1', plural: 'services' },
      ],
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'shop',
              url: URL_BASE,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'reader-token',
            },
          ],
        },
      ],
    },
  }),
) as ClusterDetails[];

describe('custom resources with a pod spec', () => {
  it('reads kubernetes.customResources, a cluster’s own list winning', () => {
    expect(cluster.customResources).toEqual([
      { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' },
      { group: 'serving.knative.dev', apiVersion: 'v1', plural: 'services' },
    ]);
    const [own] = readClusters(
      new ConfigReader({
        kubernetes: {
          customResources: [{ group: 'a', apiVersion: 'v1', plural: 'as' }],
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'x',
                  url: URL_BASE,
                  authProvider: 'serviceAccount',
                  customResources: [
                    { group: 'b', apiVersion: 'v1', plural: 'bs' },
                  ],
                },
              ],
            },
          ],
        },
      }),
    );
    expect(own.customResources).toEqual([
      { group: 'b', apiVersion: 'v1', plural: 'bs' },
    ]);
  });

  it('lists Rollouts with the entity selector, skips objects without a pod spec and a CRD the cluster lacks', async () => {
    api.requests.length = 0;
    const readout = await service().readWorkloads(cluster, 'app=shop');
    expect(readout.workloads.map(w => `${w.kind}/${w.metadata?.name}`)).toEqual(
      ['Rollout/checkout'],
    );
    expect(requested()).toEqual(
      expect.arrayContaining([
        '/apis/argoproj.io/v1alpha1/rollouts',
        '/apis/serving.knative.dev/v1/services',
      ]),
    );
    // Redacted like every other workload: no env value leaves the service.
    expect(JSON.stringify(readout)).not.toContain(
      'rollout-secret-not-returned',
    );

    const [workload] = readout.workloads;
    const pods = readout.pods.filter(p => belongsTo(p as any, workload));
    expect(pods.map(p => p.metadata?.name)).toEqual([
      'checkout-6d8f7b9c4-x2k4q',
    ]);
    const classified = classifyWorkload(
      toWorkloadInput(workload as any, pods as any)!,
      {
        serviceAccounts: [],
        podIdentityAssociations: [],
      },
    );
    expect(classified).toMatchObject({ kind: 'Rollout', mode: 'static-keys' });
  });

  it('finds a Knative Service’s pods by the label Knative sets', () => {
    const knativeService = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'uploader', namespace: 'shop' },
    };
    expect(belongsTo(knativePod as any, knativeService)).toBe(true);
    expect(belongsTo(rolloutPod as any, knativeService)).toBe(false);
  });
});

/**
 * The KubernetesService against the fake-upstream kit's Kubernetes API,
 * through the real @kubernetes/client-node: what it asks for, how it pages,
 * what it caches, what it redacts, and how it answers throttling, timeouts
 * and missing objects.
 */
import {
  FakeKubernetesApi,
  FakeKubernetesObjects,
  tooManyRequests,
} from '@aws-workload/plugin-aws-workload-node/testUtils';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import * as k8s from '../__fixtures__/kubernetes';
import { testAwsClients } from '../__testUtils__/awsClients';
import { CachedLoader } from './CachedLoader';
import { ClusterDetails } from './ClusterConfig';
import { KubernetesService } from './KubernetesService';
import { memoryCache } from '../__testUtils__/memoryCache';
import { RequestGate } from './RequestGate';

const CLUSTER: ClusterDetails = {
  name: 'shop',
  url: 'https://k8s.shop.example.test',
  authProvider: 'serviceAccount',
  serviceAccountToken: 'reader-token',
  skipTLSVerify: false,
};

const planted = 'planted-secret-value-never-returned';
const checkout = k8s.deployment('checkout', 'shop', {
  serviceAccountName: 'checkout',
  env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: planted }],
});
const cart = k8s.deployment('cart', 'cart');

let objects: FakeKubernetesObjects;
let throttleNext = 0;
let latencyMs = 0;
const api = new FakeKubernetesApi({
  objects: () => objects,
  intercept: async () => {
    if (latencyMs) await new Promise(r => setTimeout(r, latencyMs));
    if (throttleNext > 0) {
      throttleNext -= 1;
      return tooManyRequests();
    }
    return undefined;
  },
});
const server = setupServer(
  http.get(`${CLUSTER.url}/*`, ({ request }) => api.handle(request)),
);
registerMswTestHooks(server);

beforeEach(() => {
  objects = {
    deployments: [checkout, cart],
    pods: [
      k8s.podOf(checkout, 'a1b2c'),
      k8s.podOf(checkout, 'd3e4f'),
      k8s.podOf(cart, 'g5h6i'),
    ],
    serviceaccounts: [
      k8s.serviceAccount('checkout', 'shop', 'checkout'),
      k8s.serviceAccount('default', 'cart'),
    ],
    secretproviderclasses: [
      {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: 'checkout-app', namespace: 'shop' },
        spec: {
          provider: 'aws',
          parameters: { objects: '- objectName: "checkout-app"' },
        },
      },
    ],
  };
  api.requests.length = 0;
  throttleNext = 0;
  latencyMs = 0;
});

function service(options: { gate?: RequestGate; timeoutMs?: number } = {}) {
  return new KubernetesService({
    clients: testAwsClients(),
    loader: new CachedLoader({
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    }),
    timeoutMs: options.timeoutMs ?? 2000,
    ttlMs: 30_000,
    gate: options.gate,
    gateAttempts: options.gate ? 5 : 1,
  });
}

const names = (items: { metadata?: { name?: string } }[]) =>
  items.map(i => i.metadata?.name);

describe('KubernetesService', () => {
  it('lists pods and every workload kind in the namespace by the selector, with the token, kinds stamped and values redacted', async () => {
    const readout = await service().readWorkloads(
      CLUSTER,
      'backstage.io/kubernetes-id=checkout',
      'shop',
    );
    expect(names(readout.pods)).toEqual([
      'checkout-6d8f7c9b5-a1b2c',
      'checkout-6d8f7c9b5-d3e4f',
    ]);
    expect(readout.workloads.map(w => `${w.kind}/${w.metadata?.name}`)).toEqual(
      ['Deployment/checkout'],
    );
    expect(api.requests.map(r => r.path).sort()).toEqual([
      '/api/v1/namespaces/shop/pods',
      '/apis/apps/v1/namespaces/shop/daemonsets',
      '/apis/apps/v1/namespaces/shop/deployments',
      '/apis/apps/v1/namespaces/shop/statefulsets',
      '/apis/batch/v1/namespaces/shop/cronjobs',
    ]);
    expect(
      api.requests.every(
        r =>
          r.query.labelSelector === 'backstage.io/kubernetes-id=checkout' &&
          r.authorization === 'Bearer reader-token',
      ),
    ).toBe(true);
    expect(JSON.stringify(readout)).not.toContain(planted);
  });

  it('lists every namespace when none is named, and keeps that apart from a namespace in its cache', async () => {
    const kubernetes = service();
    const all = await kubernetes.readWorkloads(CLUSTER, 'app');
    expect(names(all.workloads)).toEqual(['checkout', 'cart']);
    expect(api.requests.map(r => r.path)).toContain('/api/v1/pods');
    const before = api.requests.length;
    await kubernetes.readWorkloads(CLUSTER, 'app');
    expect(api.requests.length).toBe(before);
    const inCart = await kubernetes.readWorkloads(CLUSTER, 'app', 'cart');
    expect(names(inCart.workloads)).toEqual(['cart']);
    expect(api.requests.length).toBe(before + 5);
  });

  it('follows continue tokens 500 items at a time', async () => {
    objects.pods = Array.from({ length: 1203 }, (_, i) =>
      k8s.podOf(cart, `p${i}`),
    );
    const readout = await service().readWorkloads(CLUSTER, 'app=cart');
    expect(readout.pods).toHaveLength(1203);
    const podPages = api.requests.filter(r => r.path === '/api/v1/pods');
    expect(podPages.map(r => r.query.limit)).toEqual(['500', '500', '500']);
    expect(podPages[0].query.continue).toBeUndefined();
    expect(podPages[1].query.continue).toEqual(expect.any(String));
  });

  it('lists every ServiceAccount in pages, and reads named ones, a missing one left out', async () => {
    const kubernetes = service();
    expect(names(await kubernetes.listServiceAccounts(CLUSTER))).toEqual([
      'checkout',
      'default',
    ]);
    const read = await kubernetes.readServiceAccounts(CLUSTER, [
      { namespace: 'shop', name: 'checkout' },
      { namespace: 'shop', name: 'gone' },
    ]);
    expect(read).toEqual([
      {
        metadata: expect.objectContaining({
          name: 'checkout',
          annotations: {
            'eks.amazonaws.com/role-arn':
              expect.stringMatching(/:role\/checkout$/),
          },
        }),
      },
    ]);
    // "Not there" is cached like an answer.
    const before = api.requests.length;
    await kubernetes.readServiceAccounts(CLUSTER, [
      { namespace: 'shop', name: 'gone' },
    ]);
    expect(api.requests.length).toBe(before);
  });

  it('reads a SecretProviderClass, null where there is none', async () => {
    const kubernetes = service();
    expect(
      await kubernetes.readSecretProviderClass(CLUSTER, 'shop', 'checkout-app'),
    ).toEqual({
      provider: 'aws',
      parameters: { objects: '- objectName: "checkout-app"' },
    });
    expect(
      await kubernetes.readSecretProviderClass(CLUSTER, 'shop', 'other'),
    ).toBeNull();
  });

  it('retries a 429 through the gate, and fails on it without one', async () => {
    const gate = new RequestGate({
      maxConcurrentPerAccount: 5,
      baseBackoffMs: 1,
      maxBackoffMs: 2,
    });
    throttleNext = 2;
    const readout = await service({ gate }).readWorkloads(
      CLUSTER,
      'app=cart',
      'cart',
    );
    expect(names(readout.workloads)).toEqual(['cart']);
    expect(gate.stats.throttled.kubernetes).toBe(2);

    throttleNext = 1;
    await expect(
      service().readWorkloads(CLUSTER, 'app=cart', 'cart'),
    ).rejects.toMatchObject({ code: 429 });
  });

  it('gives up on a slow cluster after its timeout, naming the call and the cluster', async () => {
    latencyMs = 300;
    await expect(
      service({ timeoutMs: 50 }).readWorkloads(CLUSTER, 'app=cart', 'cart'),
    ).rejects.toThrow(/Kubernetes list .+ on cluster shop/);
  });
});

/**
 * yarn bench:entity-view — latency and upstream calls of one entity view,
 * cold (empty cache) and warm, for 1, 10 and 100 pods, with every upstream
 * answering after a simulated 50 ms. AWS clients are replaced at the SDK
 * client (aws-sdk-client-mock); the Kubernetes API is served over HTTP (msw)
 * to the real @kubernetes/client-node.
 */
import { Entity } from '@backstage/catalog-model';
import { FakeKubernetesApi } from '@aws-workload/plugin-aws-workload-node/testUtils';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { performance } from 'node:perf_hooks';
import { testAwsClients } from '../src/__testUtils__/awsClients';
import { silentLogger } from './benchKit';
import { CachedLoader } from '../src/clients/CachedLoader';
import { DynamoDbService } from '../src/clients/DynamoDbService';
import { EcrService } from '../src/clients/EcrService';
import { EksService } from '../src/clients/EksService';
import { EntityViewService } from '../src/views/EntityViewService';
import { IamService } from '../src/clients/IamService';
import { KubernetesService } from '../src/clients/KubernetesService';
import { memoryCache } from '../src/__testUtils__/memoryCache';
import * as aws from '../src/__fixtures__/aws';
import * as k8s from '../src/__fixtures__/kubernetes';
import {
  FakeAwsAccount,
  voteServiceObjects,
} from '../src/__testUtils__/FakeAwsAccount';

const LATENCY_MS = 50;
const COLD_SAMPLES = 15;
const WARM_SAMPLES = 50;
const SERVICES = ['dynamodb', 'ecr', 'eks', 'iam', 'kubernetes'] as const;
type Service = (typeof SERVICES)[number];
let kubernetesCalls = 0;

/** The vote service's account, every answer after the simulated latency. */
const account = new FakeAwsAccount({
  objects: () =>
    voteServiceObjects(
      ['vote-irsa'],
      ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    ),
  before: () => new Promise(r => setTimeout(r, LATENCY_MS)),
});

function kubernetesServer(podCount: number) {
  const dep = k8s.deployment('vote-irsa', 'vote-irsa', {
    serviceAccountName: 'vote-irsa',
  });
  const pods = Array.from({ length: podCount }, (_, i) =>
    k8s.podOf(dep, `p${i}`, k8s.irsaEnv('vote-irsa')),
  );
  const api = new FakeKubernetesApi({
    objects: {
      pods,
      deployments: [dep],
      serviceaccounts: [
        k8s.serviceAccount('vote-irsa', 'vote-irsa', 'vote-irsa'),
      ],
    },
    latencyMs: LATENCY_MS,
    intercept: () => {
      kubernetesCalls += 1;
      return undefined;
    },
  });
  return setupServer(
    http.get(`${aws.CLUSTER_URL}/*`, ({ request }) => api.handle(request)),
  );
}

function entityView(): EntityViewService {
  const clients = testAwsClients({ timeoutMs: 5_000, maxAttempts: 3 });
  const loader = new CachedLoader({
    cache: memoryCache(),
    logger: silentLogger,
  });
  return EntityViewService.fromReaders({
    dynamoDb: new DynamoDbService({ clients: clients, loader, ttlMs: 300_000 }),
    ecr: new EcrService({
      clients: clients,
      loader,
      ttlMs: 120_000,
      maxImages: 20,
    }),
    eks: new EksService({ clients: clients, loader, ttlMs: 600_000 }),
    iam: new IamService({
      clients: clients,
      loader,
      ttlMs: 300_000,
      simulate: true,
    }),
    kubernetes: new KubernetesService({
      clients: clients,
      loader,
      timeoutMs: 5_000,
      ttlMs: 30_000,
    }),
    clusters: [
      {
        name: aws.CLUSTER,
        url: aws.CLUSTER_URL,
        authProvider: 'serviceAccount',
        serviceAccountToken: 't',
        skipTLSVerify: true,
      },
    ],
    logger: silentLogger,
    demo: false,
  });
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'vote-irsa',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/dynamodb-table-arn': aws.tableArn('vote-irsa'),
      'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn('vote-irsa'),
      'backstage.io/kubernetes-id': 'vote-irsa',
      'backstage.io/kubernetes-namespace': 'vote-irsa',
      'aws.amazon.com/eks-cluster-name': aws.CLUSTER,
      'aws.amazon.com/dynamodb-actions': 'BatchGetItem,UpdateItem',
    },
  },
  spec: { type: 'service', owner: 'vote-team', lifecycle: 'production' },
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeView(view: EntityViewService) {
  const started = performance.now();
  const result = await view.getEntityView(entity);
  const elapsed = performance.now() - started;
  if (
    result.workloads.status !== 'ok' ||
    result.workloads.data[0].mode !== 'irsa'
  ) {
    throw new Error(
      `unexpected view: ${JSON.stringify(result.workloads).slice(0, 300)}`,
    );
  }
  return elapsed;
}

function snapshot(): Record<Service, number> {
  return { ...account.calls, kubernetes: kubernetesCalls };
}
function diff(
  after: Record<Service, number>,
  before: Record<Service, number>,
  runs: number,
) {
  return Object.fromEntries(
    SERVICES.map(s => [s, (after[s] - before[s]) / runs]),
  ) as Record<Service, number>;
}

async function main() {
  account.install();
  const rows: string[][] = [];
  for (const podCount of [1, 10, 100]) {
    const server = kubernetesServer(podCount);
    server.listen({ onUnhandledRequest: 'error' });
    const coldTimes: number[] = [];
    const beforeCold = snapshot();
    for (let i = 0; i < COLD_SAMPLES; i++)
      coldTimes.push(await timeView(entityView()));
    const coldCalls = diff(snapshot(), beforeCold, COLD_SAMPLES);
    const warm = entityView();
    await timeView(warm);
    const beforeWarm = snapshot();
    const warmTimes: number[] = [];
    for (let i = 0; i < WARM_SAMPLES; i++) warmTimes.push(await timeView(warm));
    const warmCalls = diff(snapshot(), beforeWarm, WARM_SAMPLES);
    server.close();
    const total = (c: Record<Service, number>) =>
      SERVICES.reduce((n, s) => n + c[s], 0);
    rows.push([
      String(podCount),
      median(coldTimes).toFixed(0),
      median(warmTimes).toFixed(2),
      ...SERVICES.map(s => String(coldCalls[s])),
      String(total(coldCalls)),
      String(total(warmCalls)),
    ]);
  }
  const header = [
    'pods',
    'cold median ms',
    'warm median ms',
    ...SERVICES.map(s => `${s} calls`),
    'cold calls',
    'warm calls',
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  process.stdout.write(
    [
      `entity view, every upstream ${LATENCY_MS} ms; medians of ${COLD_SAMPLES} cold and ${WARM_SAMPLES} warm views (Node ${process.version})`,
      line(header),
      `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
      ...rows.map(line),
      `longest dependent chain: Kubernetes lists -> ServiceAccount / association -> GetRole -> ListAttachedRolePolicies -> GetPolicy -> GetPolicyVersion = 6 calls = ${
        6 * LATENCY_MS
      } ms`,
      '',
    ].join('\n'),
  );
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});

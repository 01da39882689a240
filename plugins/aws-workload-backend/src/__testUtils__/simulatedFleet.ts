/**
 * A simulated fleet for the refresh tests and `yarn bench:fleet`: entities
 * spread over clusters, each with its table, repository, pods and role, and
 * upstreams that answer in the shapes of the AWS API reference and the
 * Kubernetes API, with latency and a throttling limit per service. AWS is
 * replaced at the SDK client (aws-sdk-client-mock); Kubernetes is served over
 * HTTP (msw) to the real @kubernetes/client-node.
 */
import { Entity } from '@backstage/catalog-model';
import {
  FakeKubernetesApi,
  serveOnLoopback,
  tooManyRequests,
} from '@aws-workload/plugin-aws-workload-node/testUtils';
import { delay, http } from 'msw';
import { ClusterDetails } from '../clients/ClusterConfig';
import { ACCOUNT, REGION } from '../__fixtures__/aws';
import * as k8s from '../__fixtures__/kubernetes';
import { FakeAwsAccount, FakeAwsObjects } from './FakeAwsAccount';

export const SERVICES = [
  'dynamodb',
  'ecr',
  'eks',
  'iam',
  'kubernetes',
] as const;
export type SimService = (typeof SERVICES)[number];

export type SimMode = 'irsa' | 'pod-identity' | 'static-keys' | 'node-role';

export interface FleetShape {
  entities: number;
  clusters: number;
  podsPerEntity: number;
  roles: number;
  latencyMs: number;
  /** Requests per second each service accepts (per cluster for Kubernetes); unset: no limit. */
  ratePerSecond?: number;
  /** Roles of the account that no entity uses, each with its own policy. */
  unrelatedRoles?: number;
  /** The mode of entity i. */
  modeOf?: (i: number) => SimMode;
}

const defaultMode = (i: number): SimMode =>
  (
    [
      'irsa',
      'irsa',
      'irsa',
      'irsa',
      'irsa',
      'irsa',
      'pod-identity',
      'pod-identity',
      'static-keys',
      'node-role',
    ] as const
  )[i % 10];

const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const tableArn = (name: string) =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

/** What EKS injects into the pods of each mode. */
const INJECTED_ENV: Record<SimMode, (role: string) => object[]> = {
  irsa: role => k8s.irsaEnv(role),
  'pod-identity': () => [
    {
      name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      value: 'http://169.254.170.23/v1/credentials',
    },
    {
      name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      value:
        '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
    },
  ],
  'static-keys': () => [],
  'node-role': () => [],
};

/** A token bucket of one second's capacity: what a throttling API enforces. */
class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(
      this.rate,
      this.tokens + ((now - this.last) / 1000) * this.rate,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface SimEntity {
  entity: Entity;
  name: string;
  namespace: string;
  cluster: string;
  role: string;
  mode: SimMode;
}

export class SimulatedFleet {
  readonly clusters: ClusterDetails[];
  readonly members: SimEntity[];
  readonly calls = Object.fromEntries(SERVICES.map(s => [s, 0])) as Record<
    SimService,
    number
  >;
  readonly throttled = Object.fromEntries(SERVICES.map(s => [s, 0])) as Record<
    SimService,
    number
  >;
  /** Actions a test adds to a role's policy, by role name: a policy edited. */
  readonly extraActions = new Map<string, string[]>();
  /** Extra failures a test injects: a fraction of IAM calls throttled, clusters down. */
  faults = { iamThrottleRate: 0, unreachableClusters: new Set<string>() };
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly objects = new Map<
    string,
    { pods: any[]; deployments: any[]; serviceAccounts: any[] }
  >();
  private random = mulberry32(42);
  private readonly apis = new Map<string, FakeKubernetesApi>();
  /** Bumped when a member's objects change. */
  private version = 0;
  private builtAws?: { key: string; objects: FakeAwsObjects };

  constructor(readonly shape: FleetShape) {
    const modeOf = shape.modeOf ?? defaultMode;
    this.clusters = Array.from({ length: shape.clusters }, (_, c) => ({
      name: `cluster-${c}`,
      url: `https://c${c}0000000000000000000000000000000.gr7.${REGION}.eks.amazonaws.com`,
      authProvider: 'serviceAccount',
      serviceAccountToken: 'cluster-reader-token',
      skipTLSVerify: true,
    }));
    this.members = Array.from({ length: shape.entities }, (_, i) => {
      const name = `svc-${i}`;
      const namespace = `team-${i % 25}`;
      const cluster = this.clusters[i % shape.clusters].name;
      const role = `role-${i % shape.roles}`;
      return {
        name,
        namespace,
        cluster,
        role,
        mode: modeOf(i),
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            namespace: 'default',
            annotations: {
              'aws.amazon.com/dynamodb-table-arn': tableArn(name),
              'aws.amazon.com/amazon-ecr-arn': `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
              'backstage.io/kubernetes-id': name,
              'backstage.io/kubernetes-namespace': namespace,
              'aws.amazon.com/eks-cluster-name': cluster,
              'aws.amazon.com/dynamodb-actions': 'BatchGetItem,UpdateItem',
            },
          },
          spec: {
            type: 'service',
            owner: `group:default/team-${i % 7}`,
            lifecycle: 'production',
          },
        },
      };
    });
    for (const cluster of this.clusters) {
      this.objects.set(cluster.name, {
        pods: [],
        deployments: [],
        serviceAccounts: [],
      });
    }
    for (const m of this.members) this.addObjects(m);
  }

  /**
   * The portal config that points the plugin at this fleet: the account's
   * test credentials, its clusters, a refresh every `refreshSeconds`.
   */
  portalConfig(refreshSeconds: number) {
    return {
      aws: {
        accounts: [
          {
            accountId: ACCOUNT,
            accessKeyId: 'AKIALOCALTESTONLY000',
            secretAccessKey: 'local-test-only',
          },
        ],
      },
      awsWorkload: {
        fleet: {
          schedule: {
            frequency: { seconds: refreshSeconds },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 0 },
          },
        },
      },
      kubernetes: {
        clusterLocatorMethods: [{ type: 'config', clusters: this.clusters }],
      },
    };
  }

  get entities(): Entity[] {
    return this.members.map(m => m.entity);
  }

  /** Rolls out a member's workload in another mode: its objects are replaced. */
  changeMode(name: string, mode: SimMode) {
    const m = this.members.find(member => member.name === name);
    if (!m) throw new Error(`no member ${name}`);
    const objects = this.objects.get(m.cluster)!;
    const ours = (o: { metadata: { name: string } }) =>
      o.metadata.name === m.name ||
      o.metadata.name.startsWith(`${m.name}-6d8f7c9b5-`);
    objects.deployments = objects.deployments.filter(o => !ours(o));
    objects.pods = objects.pods.filter(o => !ours(o));
    objects.serviceAccounts = objects.serviceAccounts.filter(o => !ours(o));
    m.mode = mode;
    this.version += 1;
    this.addObjects(m);
  }

  private addObjects(m: SimEntity) {
    const objects = this.objects.get(m.cluster)!;
    const sa = m.mode === 'node-role' ? undefined : m.name;
    const env =
      m.mode === 'static-keys'
        ? [
            {
              name: 'AWS_ACCESS_KEY_ID',
              valueFrom: { secretKeyRef: { name: `${m.name}-aws`, key: 'id' } },
            },
            {
              name: 'AWS_SECRET_ACCESS_KEY',
              valueFrom: {
                secretKeyRef: { name: `${m.name}-aws`, key: 'secret' },
              },
            },
          ]
        : [];
    const dep = k8s.deployment(m.name, m.namespace, {
      serviceAccountName: sa,
      env,
    });
    objects.deployments.push(dep);
    const injected = INJECTED_ENV[m.mode](m.role);
    for (let p = 0; p < this.shape.podsPerEntity; p++) {
      const pod = k8s.podOf(dep, `${m.name}-${p}`, injected);
      // Pod names must be unique per namespace: podOf names by deployment.
      pod.metadata.name = `${m.name}-6d8f7c9b5-p${p}`;
      objects.pods.push(pod);
    }
    if (sa) {
      objects.serviceAccounts.push(
        k8s.serviceAccount(
          sa,
          m.namespace,
          m.mode === 'irsa' ? m.role : undefined,
        ),
      );
    }
  }

  private async upstream(service: SimService, scope: string) {
    this.calls[service] += 1;
    await delay(this.shape.latencyMs);
    const rate = this.shape.ratePerSecond;
    if (!rate) return true;
    const key = `${service}|${scope}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate);
      this.buckets.set(key, bucket);
    }
    if (bucket.take()) return true;
    this.throttled[service] += 1;
    return false;
  }

  /** The SDK's error for a throttled call, as a deserialized AWS error looks. */
  private throttlingError(code = 'ThrottlingException') {
    return Object.assign(new Error('Rate exceeded'), {
      name: code,
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  }

  /**
   * Installs the account's AWS answers (the fake-upstream kit's), after the
   * latency and the rate limit; returns the stubs for a later restore.
   */
  mockAws() {
    const account = new FakeAwsAccount({
      objects: () => this.awsObjects(),
      before: async service => {
        // STS is not read through the SDK clients the kit replaces.
        if (service === 'sts') return;
        if (!(await this.upstream(service, ACCOUNT))) {
          throw this.throttlingError(
            service === 'iam' ? 'Throttling' : undefined,
          );
        }
        if (service === 'iam' && this.random() < this.faults.iamThrottleRate) {
          this.throttled.iam += 1;
          throw this.throttlingError('Throttling');
        }
      },
    });
    // In a list, as callers restore every mock they were handed.
    return [account.install()];
  }

  /**
   * What the account holds, built from the members; built again only when a
   * test changed a mode or a policy, as a fleet of a thousand asks often.
   */
  private awsObjects(): FakeAwsObjects {
    const key = `${this.version}|${JSON.stringify([...this.extraActions])}`;
    if (this.builtAws?.key === key) return this.builtAws.objects;
    const roles = this.accountRoles();
    const objects: FakeAwsObjects = {
      tables: this.members.map(m => ({ name: m.name })),
      repositories: this.members.map(m => ({
        name: m.name,
        images: [
          {
            registryId: ACCOUNT,
            imageDigest: k8s.RUNNING_DIGEST,
            imageTags: ['3f9c2ab'],
            imageSizeInBytes: 52_428_800,
            imagePushedAt: new Date('2026-11-20T09:00:00Z'),
          },
          {
            registryId: ACCOUNT,
            imageDigest: `sha256:${'a1'.padEnd(64, '0')}`,
            imageTags: ['1e2d3c4'],
            imageSizeInBytes: 52_000_000,
            imagePushedAt: new Date('2026-11-10T09:00:00Z'),
          },
        ],
      })),
      clusters: this.clusters.map(c => ({
        name: c.name,
        endpoint: c.url,
        issuer: this.issuer(c.name),
      })),
      associations: this.members
        .filter(m => m.mode === 'pod-identity')
        .map(m => ({
          clusterName: m.cluster,
          namespace: m.namespace,
          serviceAccount: m.name,
          roleArn: roleArn(m.role),
          associationId: `a-${m.name}`,
        })),
      roles: roles.map(name => ({
        name,
        trust: this.trustOf(name),
        attached: [policyArn(`${name}-tables`)],
      })),
      policies: roles.map(name => ({
        arn: policyArn(`${name}-tables`),
        document: this.tablePolicyOf(name),
      })),
      oidcProviders: this.clusters.map(c => ({
        url: this.issuer(c.name).replace('https://', ''),
        clientIds: ['sts.amazonaws.com'],
      })),
    };
    this.builtAws = { key, objects };
    return objects;
  }

  issuer(cluster: string) {
    const id = this.clusters
      .find(c => c.name === cluster)!
      .url.slice(8, 40)
      .toUpperCase();
    return `https://oidc.eks.${REGION}.amazonaws.com/id/${id}`;
  }

  /** Every role of the account: the entities' roles, then the unrelated ones. */
  private accountRoles(): string[] {
    return [
      ...new Set(this.members.map(m => m.role)),
      ...Array.from(
        { length: this.shape.unrelatedRoles ?? 0 },
        (_, i) => `unrelated-${i}`,
      ),
    ];
  }

  /** A role's one attached policy: its entities' tables, nothing else. */
  private tablePolicyOf(role: string) {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:BatchGetItem',
            'dynamodb:UpdateItem',
            ...(this.extraActions.get(role) ?? []),
          ],
          Resource: this.members
            .filter(m => m.role === role)
            .map(m => tableArn(m.name)),
        },
      ],
    };
  }

  /** Trust for every service account and cluster that uses the role. */
  private trustOf(role: string) {
    const users = this.members.filter(m => m.role === role);
    const statements = [];
    for (const m of users) {
      if (m.mode === 'irsa') {
        const host = this.issuer(m.cluster).replace('https://', '');
        statements.push({
          Effect: 'Allow',
          Principal: {
            Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`,
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${host}:sub`]: `system:serviceaccount:${m.namespace}:${m.name}`,
              [`${host}:aud`]: 'sts.amazonaws.com',
            },
          },
        });
      }
    }
    statements.push({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    return { Version: '2012-10-17', Statement: statements };
  }

  /**
   * One cluster's Kubernetes API: its objects, after the latency and the
   * rate limit; a dropped connection for a cluster a test made unreachable.
   */
  private kubernetesApi(cluster: string): FakeKubernetesApi {
    let api = this.apis.get(cluster);
    if (!api) {
      api = new FakeKubernetesApi({
        objects: () => {
          const objects = this.objects.get(cluster)!;
          return {
            pods: objects.pods,
            deployments: objects.deployments,
            serviceaccounts: objects.serviceAccounts,
          };
        },
        intercept: async () => {
          if (this.faults.unreachableClusters.has(cluster)) {
            return Response.error();
          }
          return (await this.upstream('kubernetes', cluster))
            ? undefined
            : tooManyRequests();
        },
      });
      this.apis.set(cluster, api);
    }
    return api;
  }

  /** msw handlers: one Kubernetes API server per cluster. */
  kubernetesHandlers() {
    return this.clusters.map(cluster =>
      http.get(`${cluster.url}/*`, ({ request }) =>
        this.kubernetesApi(cluster.name).handle(request),
      ),
    );
  }

  /**
   * The same Kubernetes API servers on loopback ports, for a backend that
   * must not have its HTTP intercepted (a whole portal in one process):
   * the clusters to configure, at their loopback URLs.
   */
  async serveKubernetes(): Promise<{
    clusters: ClusterDetails[];
    close(): Promise<void>;
  }> {
    const servers = await Promise.all(
      this.clusters.map(async cluster => ({
        server: await serveOnLoopback(this.kubernetesApi(cluster.name).handle),
        cluster,
      })),
    );
    return {
      clusters: servers.map(({ server, cluster }) => ({
        ...cluster,
        // Plain HTTP on loopback: the client refuses it without this.
        url: server.url,
        skipTLSVerify: true,
      })),
      close: async () => {
        await Promise.all(servers.map(({ server }) => server.close()));
      },
    };
  }
}

/** A small seeded PRNG, so injected faults repeat from run to run. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A simulated fleet for the refresh tests and `yarn bench:fleet`: entities
 * spread over clusters, each with its table, repository, pods and role, and
 * upstreams that answer in the shapes of the AWS API reference and the
 * Kubernetes API, with latency and a throttling limit per service. AWS is
 * replaced at the SDK client (aws-sdk-client-mock); Kubernetes is served over
 * HTTP (msw) to the real @kubernetes/client-node.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  DescribeContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { Entity } from '@backstage/catalog-model';
import { mockClient } from 'aws-sdk-client-mock';
import {
  FakeKubernetesApi,
  serveOnLoopback,
  tooManyRequests,
} from '@aws-workload/plugin-aws-workload-node/testUtils';
import { delay, http } from 'msw';
import { ClusterDetails } from '../service/ClusterConfig';
import { ACCOUNT, REGION } from '../__fixtures__/aws';
import * as k8s from '../__fixtures__/kubernetes';

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

  private aws<T>(
    service: Exclude<SimService, 'kubernetes'>,
    answer: (input: any) => T,
  ) {
    return async (input: any) => {
      if (!(await this.upstream(service, ACCOUNT))) {
        throw this.throttlingError(
          service === 'iam' ? 'Throttling' : undefined,
        );
      }
      if (service === 'iam' && this.random() < this.faults.iamThrottleRate) {
        this.throttled.iam += 1;
        throw this.throttlingError('Throttling');
      }
      return answer(input);
    };
  }

  /** Installs the AWS client mocks; returns them for a later restore. */
  mockAws() {
    const byName = new Map(this.members.map(m => [m.name, m]));
    const dynamo = mockClient(DynamoDBClient);
    dynamo.on(DescribeTableCommand).callsFake(
      this.aws('dynamodb', ({ TableName }) => ({
        Table: {
          TableName,
          TableArn: tableArn(TableName),
          TableStatus: 'ACTIVE',
          KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
          ItemCount: 2,
          TableSizeBytes: 64,
        },
      })),
    );
    dynamo.on(DescribeContinuousBackupsCommand).callsFake(
      this.aws('dynamodb', () => ({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: 'ENABLED',
          },
        },
      })),
    );
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeImagesCommand).callsFake(
      this.aws('ecr', ({ repositoryName }) => ({
        imageDetails: [
          {
            registryId: ACCOUNT,
            repositoryName,
            imageDigest: k8s.RUNNING_DIGEST,
            imageTags: ['3f9c2ab'],
            imageSizeInBytes: 52_428_800,
            imagePushedAt: new Date('2026-11-20T09:00:00Z'),
          },
          {
            registryId: ACCOUNT,
            repositoryName,
            imageDigest: `sha256:${'a1'.padEnd(64, '0')}`,
            imageTags: ['1e2d3c4'],
            imageSizeInBytes: 52_000_000,
            imagePushedAt: new Date('2026-11-10T09:00:00Z'),
          },
        ],
      })),
    );
    const eks = mockClient(EKSClient);
    eks.on(DescribeClusterCommand).callsFake(
      this.aws('eks', ({ name }) => ({
        cluster: {
          name,
          arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`,
          status: 'ACTIVE',
          version: '1.33',
          endpoint: this.clusters.find(c => c.name === name)?.url,
          identity: { oidc: { issuer: this.issuer(name) } },
        },
      })),
    );
    const associations = (clusterName: string) =>
      this.members
        .filter(m => m.cluster === clusterName && m.mode === 'pod-identity')
        .map(m => ({
          clusterName,
          namespace: m.namespace,
          serviceAccount: m.name,
          associationArn: `arn:aws:eks:${REGION}:${ACCOUNT}:podidentityassociation/${clusterName}/a-${m.name}`,
          associationId: `a-${m.name}`,
        }));
    eks.on(ListPodIdentityAssociationsCommand).callsFake(
      this.aws(
        'eks',
        ({ clusterName, namespace, serviceAccount, maxResults, nextToken }) => {
          const all = associations(clusterName).filter(
            a =>
              (!namespace || a.namespace === namespace) &&
              (!serviceAccount || a.serviceAccount === serviceAccount),
          );
          const start = Number(nextToken ?? 0);
          const size = maxResults ?? 100;
          const page = all.slice(start, start + size);
          return {
            associations: page,
            ...(start + size < all.length
              ? { nextToken: String(start + size) }
              : {}),
          };
        },
      ),
    );
    eks.on(DescribePodIdentityAssociationCommand).callsFake(
      this.aws('eks', ({ clusterName, associationId }) => {
        const m = byName.get(String(associationId).replace(/^a-/, ''))!;
        return {
          association: {
            clusterName,
            namespace: m.namespace,
            serviceAccount: m.name,
            roleArn: roleArn(m.role),
            associationArn: `arn:aws:eks:${REGION}:${ACCOUNT}:podidentityassociation/${clusterName}/${associationId}`,
            associationId,
          },
        };
      }),
    );
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).callsFake(
      this.aws('iam', ({ RoleName }) => ({
        Role: {
          Path: '/',
          RoleName,
          RoleId: 'AROAEXAMPLEID1234567',
          Arn: roleArn(RoleName),
          CreateDate: new Date('2026-10-01T00:00:00Z'),
          AssumeRolePolicyDocument: encodeURIComponent(
            JSON.stringify(this.trustOf(RoleName)),
          ),
        },
      })),
    );
    iam.on(ListAttachedRolePoliciesCommand).callsFake(
      this.aws('iam', ({ RoleName }) => ({
        AttachedPolicies: [
          {
            PolicyName: `${RoleName}-tables`,
            PolicyArn: policyArn(`${RoleName}-tables`),
          },
        ],
        IsTruncated: false,
      })),
    );
    iam
      .on(ListRolePoliciesCommand)
      .callsFake(
        this.aws('iam', () => ({ PolicyNames: [], IsTruncated: false })),
      );
    iam
      .on(GetPolicyCommand)
      .callsFake(
        this.aws('iam', () => ({ Policy: { DefaultVersionId: 'v1' } })),
      );
    iam.on(GetPolicyVersionCommand).callsFake(
      this.aws('iam', ({ PolicyArn }) => ({
        PolicyVersion: {
          VersionId: 'v1',
          IsDefaultVersion: true,
          Document: encodeURIComponent(
            JSON.stringify(this.tablePolicyOf(String(PolicyArn))),
          ),
        },
      })),
    );
    iam.on(GetAccountSummaryCommand).callsFake(
      this.aws('iam', () => {
        const roles = this.accountRoles().length;
        return { SummaryMap: { Roles: roles, Policies: roles } };
      }),
    );
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .callsFake(
        this.aws('iam', ({ Marker, MaxItems }) =>
          this.authorizationDetailsPage(Number(Marker ?? 0), MaxItems ?? 100),
        ),
      );
    iam.on(GetOpenIDConnectProviderCommand).callsFake(
      this.aws('iam', () => ({
        ClientIDList: ['sts.amazonaws.com'],
        Url: 'oidc.eks.amazonaws.com',
      })),
    );
    iam.on(SimulatePrincipalPolicyCommand).callsFake(
      this.aws('iam', ({ ActionNames, ResourceArns }) => ({
        EvaluationResults: (ActionNames as string[]).map(action => ({
          EvalActionName: action,
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          ResourceSpecificResults: (ResourceArns as string[]).map(arn => ({
            EvalResourceName: arn,
            EvalResourceDecision: 'allowed',
          })),
        })),
        IsTruncated: false,
      })),
    );
    return [dynamo, ecr, eks, iam];
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
  private tablePolicyOf(policy: string) {
    const role = policy
      .split('/')
      .pop()!
      .replace(/-tables$/, '');
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

  /**
   * GetAccountAuthorizationDetails filtered to roles and customer-managed
   * policies: each role, then each role's policy, `maxItems` a page, the
   * marker an offset; documents URL-encoded as IAM sends them.
   */
  private authorizationDetailsPage(offset: number, maxItems: number) {
    const roles = this.accountRoles();
    const items = [
      ...roles.map(name => ({ kind: 'role' as const, name })),
      ...roles.map(name => ({ kind: 'policy' as const, name })),
    ];
    const page = items.slice(offset, offset + maxItems);
    const created = new Date('2026-10-01T00:00:00Z');
    return {
      RoleDetailList: page
        .filter(item => item.kind === 'role')
        .map(({ name }) => ({
          Path: '/',
          RoleName: name,
          RoleId: 'AROAEXAMPLEID1234567',
          Arn: roleArn(name),
          CreateDate: created,
          AssumeRolePolicyDocument: encodeURIComponent(
            JSON.stringify(this.trustOf(name)),
          ),
          InstanceProfileList: [],
          RolePolicyList: [],
          AttachedManagedPolicies: [
            {
              PolicyName: `${name}-tables`,
              PolicyArn: policyArn(`${name}-tables`),
            },
          ],
          Tags: [],
        })),
      Policies: page
        .filter(item => item.kind === 'policy')
        .map(({ name }) => ({
          PolicyName: `${name}-tables`,
          PolicyId: 'ANPAEXAMPLEID1234567',
          Arn: policyArn(`${name}-tables`),
          Path: '/',
          DefaultVersionId: 'v1',
          AttachmentCount: 1,
          IsAttachable: true,
          CreateDate: created,
          UpdateDate: created,
          PolicyVersionList: [
            {
              Document: encodeURIComponent(
                JSON.stringify(this.tablePolicyOf(`${name}-tables`)),
              ),
              VersionId: 'v1',
              IsDefaultVersion: true,
              CreateDate: created,
            },
          ],
        })),
      UserDetailList: [],
      GroupDetailList: [],
      IsTruncated: offset + maxItems < items.length,
      Marker:
        offset + maxItems < items.length
          ? String(offset + maxItems)
          : undefined,
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

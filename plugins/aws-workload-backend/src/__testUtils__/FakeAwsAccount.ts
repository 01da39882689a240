/**
 * One AWS account, faked at the SDK client (aws-sdk-client-mock): objects in
 * (tables, repositories, clusters, associations, roles, policies, OIDC
 * providers), the answers of the AWS API reference out, with its paging, its
 * URL-encoded policy documents and its not-found errors. Used by the tests,
 * both benchmarks and the simulated fleet; a test that needs one odd answer
 * sets it on the returned stubs, after the kit's own.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException as TableNotFound,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeImagesCommand,
  ECRClient,
  ImageDetail,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
  ResourceNotFoundException as ClusterNotFound,
} from '@aws-sdk/client-eks';
import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import * as aws from '../__fixtures__/aws';
import { ACCOUNT, REGION } from '../__fixtures__/aws';

export type FakeAwsService = 'dynamodb' | 'ecr' | 'eks' | 'iam';

export interface FakeTable {
  name: string;
  itemCount?: number;
  /** Point-in-time recovery; on by default. */
  pointInTimeRecovery?: boolean;
}

export interface FakeRepository {
  name: string;
  /** Newest or not, in the order DescribeImages pages them. */
  images: ImageDetail[];
}

export interface FakeCluster {
  name: string;
  endpoint: string;
  /** The OIDC issuer URL; none when the cluster has no OIDC identity. */
  issuer?: string;
}

export interface FakeAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationId: string;
}

export interface FakeRole {
  name: string;
  trust: object;
  /** The ARNs of the managed policies attached to the role. */
  attached?: string[];
  /** Inline policies by name. */
  inline?: Record<string, object>;
}

export interface FakePolicy {
  arn: string;
  document: object;
  /** The default version's id; `v1` unless set. */
  versionId?: string;
}

export interface FakeOidcProvider {
  /** The issuer without its scheme, as IAM names the provider. */
  url: string;
  clientIds: string[];
}

/** What the account holds. Read at every call, so a test may change it between calls. */
export interface FakeAwsObjects {
  tables?: FakeTable[];
  repositories?: FakeRepository[];
  clusters?: FakeCluster[];
  associations?: FakeAssociation[];
  roles?: FakeRole[];
  policies?: FakePolicy[];
  oidcProviders?: FakeOidcProvider[];
}

export interface FakeAwsAccountOptions {
  objects: () => FakeAwsObjects;
  accountId?: string;
  region?: string;
  /**
   * Runs before every answer: it may wait (latency) or throw (throttling,
   * an outage). Calls are counted before it runs.
   */
  before?: (service: FakeAwsService, operation: string) => Promise<void>;
  /**
   * The most items any list answers on a page, below what was asked for, as
   * AWS may do: paging is then exercised with few objects.
   */
  maxPageSize?: number;
  /** SimulatePrincipalPolicy's decision per action; `allowed` unless set. */
  simulate?: (
    roleArn: string,
    action: string,
  ) => 'allowed' | 'implicitDeny' | 'explicitDeny';
}

/** The SDK clients the kit replaced; `restore()` puts the real ones back. */
export type FakeAwsStubs = ReturnType<FakeAwsAccount['install']>;

const CREATED = new Date('2026-10-01T00:00:00Z');
const metadata = { $metadata: { httpStatusCode: 400 } };
const encoded = (document: object) =>
  encodeURIComponent(JSON.stringify(document));

/** A page of `items` from an offset marker, as the list APIs answer. */
function pageOf<T>(items: T[], marker: unknown, size: number) {
  const start = Number(marker ?? 0);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), next };
}

export class FakeAwsAccount {
  readonly calls: Record<FakeAwsService, number> = {
    dynamodb: 0,
    ecr: 0,
    eks: 0,
    iam: 0,
  };
  readonly accountId: string;
  readonly region: string;

  constructor(private readonly options: FakeAwsAccountOptions) {
    this.accountId = options.accountId ?? ACCOUNT;
    this.region = options.region ?? REGION;
  }

  /** A page of `items`, at most `asked` and at most the page cap. */
  private page<T>(items: T[], marker: unknown, asked: number | undefined) {
    return pageOf(
      items,
      marker,
      Math.min(asked ?? 100, this.options.maxPageSize ?? Infinity),
    );
  }

  roleArn = (name: string) => `arn:aws:iam::${this.accountId}:role/${name}`;
  tableArn = (name: string) =>
    `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${name}`;

  /**
   * Replaces the SDK clients until `restore()`. A test that runs a service
   * for real (DynamoDB on dynalite) leaves it out of `services`.
   */
  install(services: FakeAwsService[] = ['dynamodb', 'ecr', 'eks', 'iam']) {
    const stub = <C>(
      service: FakeAwsService,
      client: C,
      answer: (s: any) => void,
    ) => {
      if (!services.includes(service)) return undefined;
      const s = mockClient(client as any);
      answer(s);
      return s;
    };
    const stubs = {
      dynamodb: stub('dynamodb', DynamoDBClient, s => this.installDynamoDb(s)),
      ecr: stub('ecr', ECRClient, s => this.installEcr(s)),
      eks: stub('eks', EKSClient, s => this.installEks(s)),
      iam: stub('iam', IAMClient, s => this.installIam(s)),
    };
    return {
      ...stubs,
      restore: () => Object.values(stubs).forEach(s => s?.restore()),
      /** Every stub back to the kit's answers: what a test changed is gone. */
      reset: () => {
        stubs.dynamodb?.reset();
        stubs.ecr?.reset();
        stubs.eks?.reset();
        stubs.iam?.reset();
        if (stubs.dynamodb) this.installDynamoDb(stubs.dynamodb);
        if (stubs.ecr) this.installEcr(stubs.ecr);
        if (stubs.eks) this.installEks(stubs.eks);
        if (stubs.iam) this.installIam(stubs.iam);
      },
    };
  }

  private answer<I>(
    service: FakeAwsService,
    operation: string,
    respond: (input: I, objects: FakeAwsObjects) => unknown,
  ) {
    return async (input: I) => {
      this.calls[service] += 1;
      await this.options.before?.(service, operation);
      return respond(input, this.options.objects()) as any;
    };
  }

  private installDynamoDb(stub: ReturnType<typeof mockClient>) {
    const table = (name: unknown, objects: FakeAwsObjects) => {
      const found = objects.tables?.find(t => t.name === name);
      if (!found) {
        throw new TableNotFound({
          ...metadata,
          message: `Requested resource not found: Table: ${name} not found`,
        });
      }
      return found;
    };
    stub.on(DescribeTableCommand).callsFake(
      this.answer('dynamodb', 'DescribeTable', ({ TableName }: any, o) => {
        const t = table(TableName, o);
        return {
          Table: {
            TableName: t.name,
            TableArn: this.tableArn(t.name),
            TableStatus: 'ACTIVE',
            KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
            AttributeDefinitions: [
              { AttributeName: 'name', AttributeType: 'S' },
            ],
            BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
            ItemCount: t.itemCount ?? 2,
            TableSizeBytes: 64,
            CreationDateTime: CREATED,
          },
        };
      }),
    );
    stub.on(DescribeContinuousBackupsCommand).callsFake(
      this.answer(
        'dynamodb',
        'DescribeContinuousBackups',
        ({ TableName }: any, o) => {
          const on = table(TableName, o).pointInTimeRecovery ?? true;
          return {
            ContinuousBackupsDescription: {
              ContinuousBackupsStatus: 'ENABLED',
              PointInTimeRecoveryDescription: {
                PointInTimeRecoveryStatus: on ? 'ENABLED' : 'DISABLED',
              },
            },
          };
        },
      ),
    );
  }

  private installEcr(stub: ReturnType<typeof mockClient>) {
    stub.on(DescribeImagesCommand).callsFake(
      this.answer(
        'ecr',
        'DescribeImages',
        ({ repositoryName, maxResults, nextToken }: any, o) => {
          const repository = o.repositories?.find(
            r => r.name === repositoryName,
          );
          if (!repository) {
            throw new RepositoryNotFoundException({
              ...metadata,
              message: `The repository with name '${repositoryName}' does not exist in the registry with id '${this.accountId}'`,
            });
          }
          const { items, next } = this.page(
            repository.images,
            nextToken,
            maxResults,
          );
          return {
            imageDetails: items.map(i => ({
              ...i,
              registryId: this.accountId,
              repositoryName,
            })),
            ...(next ? { nextToken: next } : {}),
          };
        },
      ),
    );
  }

  private installEks(stub: ReturnType<typeof mockClient>) {
    const associationArn = (a: FakeAssociation) =>
      `arn:aws:eks:${this.region}:${this.accountId}:podidentityassociation/${a.clusterName}/${a.associationId}`;
    stub.on(DescribeClusterCommand).callsFake(
      this.answer('eks', 'DescribeCluster', ({ name }: any, o) => {
        const cluster = o.clusters?.find(c => c.name === name);
        if (!cluster) {
          throw new ClusterNotFound({
            ...metadata,
            message: `No cluster found for name: ${name}.`,
          });
        }
        return {
          cluster: {
            name,
            arn: `arn:aws:eks:${this.region}:${this.accountId}:cluster/${name}`,
            version: '1.33',
            endpoint: cluster.endpoint,
            status: 'ACTIVE',
            certificateAuthority: { data: 'LS0tLS1CRUdJTi...' },
            ...(cluster.issuer
              ? { identity: { oidc: { issuer: cluster.issuer } } }
              : {}),
          },
        };
      }),
    );
    stub.on(ListPodIdentityAssociationsCommand).callsFake(
      this.answer(
        'eks',
        'ListPodIdentityAssociations',
        (
          {
            clusterName,
            namespace,
            serviceAccount,
            maxResults,
            nextToken,
          }: any,
          o,
        ) => {
          const matching = (o.associations ?? []).filter(
            a =>
              a.clusterName === clusterName &&
              (!namespace || a.namespace === namespace) &&
              (!serviceAccount || a.serviceAccount === serviceAccount),
          );
          const { items, next } = this.page(matching, nextToken, maxResults);
          return {
            associations: items.map(a => ({
              clusterName: a.clusterName,
              namespace: a.namespace,
              serviceAccount: a.serviceAccount,
              associationArn: associationArn(a),
              associationId: a.associationId,
            })),
            ...(next ? { nextToken: next } : {}),
          };
        },
      ),
    );
    stub.on(DescribePodIdentityAssociationCommand).callsFake(
      this.answer(
        'eks',
        'DescribePodIdentityAssociation',
        ({ clusterName, associationId }: any, o) => {
          const a = o.associations?.find(
            x =>
              x.clusterName === clusterName &&
              x.associationId === associationId,
          );
          if (!a) {
            throw new ClusterNotFound({
              ...metadata,
              message: `No Pod Identity Association found for id: ${associationId}.`,
            });
          }
          return {
            association: {
              clusterName,
              namespace: a.namespace,
              serviceAccount: a.serviceAccount,
              roleArn: a.roleArn,
              associationArn: associationArn(a),
              associationId,
            },
          };
        },
      ),
    );
  }

  private installIam(stub: ReturnType<typeof mockClient>) {
    const noSuchEntity = (what: string) =>
      new NoSuchEntityException({
        ...metadata,
        message: `The ${what} cannot be found.`,
      });
    const role = (name: unknown, o: FakeAwsObjects) => {
      const found = o.roles?.find(r => r.name === name);
      if (!found) throw noSuchEntity(`role with name ${name}`);
      return found;
    };
    const policy = (arn: unknown, o: FakeAwsObjects) => {
      const found = o.policies?.find(p => p.arn === arn);
      if (!found) throw noSuchEntity(`policy ${arn}`);
      return found;
    };
    const policyName = (arn: string) => arn.split('/').pop()!;
    const roleRecord = (r: FakeRole) => ({
      Path: '/',
      RoleName: r.name,
      RoleId: 'AROAEXAMPLEID1234567',
      Arn: this.roleArn(r.name),
      CreateDate: CREATED,
      AssumeRolePolicyDocument: encoded(r.trust),
    });
    stub.on(GetRoleCommand).callsFake(
      this.answer('iam', 'GetRole', ({ RoleName }: any, o) => ({
        Role: roleRecord(role(RoleName, o)),
      })),
    );
    stub.on(ListAttachedRolePoliciesCommand).callsFake(
      this.answer(
        'iam',
        'ListAttachedRolePolicies',
        ({ RoleName, Marker, MaxItems }: any, o) => {
          const attached = role(RoleName, o).attached ?? [];
          const { items, next } = this.page(attached, Marker, MaxItems);
          return {
            AttachedPolicies: items.map(arn => ({
              PolicyName: policyName(arn),
              PolicyArn: arn,
            })),
            IsTruncated: Boolean(next),
            ...(next ? { Marker: next } : {}),
          };
        },
      ),
    );
    stub.on(ListRolePoliciesCommand).callsFake(
      this.answer(
        'iam',
        'ListRolePolicies',
        ({ RoleName, Marker, MaxItems }: any, o) => {
          const names = Object.keys(role(RoleName, o).inline ?? {});
          const { items, next } = this.page(names, Marker, MaxItems);
          return {
            PolicyNames: items,
            IsTruncated: Boolean(next),
            ...(next ? { Marker: next } : {}),
          };
        },
      ),
    );
    stub.on(GetRolePolicyCommand).callsFake(
      this.answer(
        'iam',
        'GetRolePolicy',
        ({ RoleName, PolicyName }: any, o) => {
          const document = role(RoleName, o).inline?.[PolicyName];
          if (!document)
            throw noSuchEntity(`role policy with name ${PolicyName}`);
          return { RoleName, PolicyName, PolicyDocument: encoded(document) };
        },
      ),
    );
    stub.on(GetPolicyCommand).callsFake(
      this.answer('iam', 'GetPolicy', ({ PolicyArn }: any, o) => {
        const p = policy(PolicyArn, o);
        return {
          Policy: {
            PolicyName: policyName(p.arn),
            Arn: p.arn,
            DefaultVersionId: p.versionId ?? 'v1',
            AttachmentCount: 1,
            IsAttachable: true,
          },
        };
      }),
    );
    stub.on(GetPolicyVersionCommand).callsFake(
      this.answer(
        'iam',
        'GetPolicyVersion',
        ({ PolicyArn, VersionId }: any, o) => {
          const p = policy(PolicyArn, o);
          if (VersionId !== (p.versionId ?? 'v1')) {
            throw noSuchEntity(`policy version ${VersionId} of ${PolicyArn}`);
          }
          return {
            PolicyVersion: {
              VersionId,
              IsDefaultVersion: true,
              CreateDate: CREATED,
              Document: encoded(p.document),
            },
          };
        },
      ),
    );
    const isAccounts = (p: FakePolicy) =>
      p.arn.startsWith(`arn:aws:iam::${this.accountId}:`);
    stub.on(GetAccountSummaryCommand).callsFake(
      this.answer('iam', 'GetAccountSummary', (_input: any, o) => ({
        SummaryMap: {
          Roles: o.roles?.length ?? 0,
          Policies: (o.policies ?? []).filter(isAccounts).length,
        },
      })),
    );
    stub.on(GetAccountAuthorizationDetailsCommand).callsFake(
      this.answer(
        'iam',
        'GetAccountAuthorizationDetails',
        ({ Marker, MaxItems }: any, o) => {
          const items = [
            ...(o.roles ?? []).map(r => ({ role: r })),
            ...(o.policies ?? []).filter(isAccounts).map(p => ({ policy: p })),
          ];
          const { items: shown, next } = this.page(items, Marker, MaxItems);
          return {
            RoleDetailList: shown.flatMap(({ role: r }: any) =>
              r
                ? [
                    {
                      ...roleRecord(r),
                      InstanceProfileList: [],
                      RolePolicyList: Object.entries(
                        (r as FakeRole).inline ?? {},
                      ).map(([PolicyName, document]) => ({
                        PolicyName,
                        PolicyDocument: encoded(document),
                      })),
                      AttachedManagedPolicies: (
                        (r as FakeRole).attached ?? []
                      ).map(arn => ({
                        PolicyName: policyName(arn),
                        PolicyArn: arn,
                      })),
                      Tags: [],
                    },
                  ]
                : [],
            ),
            Policies: shown.flatMap(({ policy: p }: any) =>
              p
                ? [
                    {
                      PolicyName: policyName(p.arn),
                      PolicyId: 'ANPAEXAMPLEID1234567',
                      Arn: p.arn,
                      Path: '/',
                      DefaultVersionId: p.versionId ?? 'v1',
                      AttachmentCount: 1,
                      IsAttachable: true,
                      CreateDate: CREATED,
                      UpdateDate: CREATED,
                      PolicyVersionList: [
                        {
                          Document: encoded(p.document),
                          VersionId: p.versionId ?? 'v1',
                          IsDefaultVersion: true,
                          CreateDate: CREATED,
                        },
                      ],
                    },
                  ]
                : [],
            ),
            UserDetailList: [],
            GroupDetailList: [],
            IsTruncated: Boolean(next),
            ...(next ? { Marker: next } : {}),
          };
        },
      ),
    );
    stub.on(GetOpenIDConnectProviderCommand).callsFake(
      this.answer(
        'iam',
        'GetOpenIDConnectProvider',
        ({ OpenIDConnectProviderArn }: any, o) => {
          const url = String(OpenIDConnectProviderArn).split(
            ':oidc-provider/',
          )[1];
          const provider = o.oidcProviders?.find(p => p.url === url);
          if (!provider) {
            throw noSuchEntity(
              `OpenIDConnect provider ${OpenIDConnectProviderArn}`,
            );
          }
          return {
            Url: provider.url,
            ClientIDList: provider.clientIds,
            ThumbprintList: [],
            CreateDate: CREATED,
          };
        },
      ),
    );
    stub.on(SimulatePrincipalPolicyCommand).callsFake(
      this.answer(
        'iam',
        'SimulatePrincipalPolicy',
        ({ PolicySourceArn, ActionNames, ResourceArns }: any) => ({
          EvaluationResults: (ActionNames as string[]).map(action => {
            const decision =
              this.options.simulate?.(PolicySourceArn, action) ?? 'allowed';
            return {
              EvalActionName: action,
              EvalResourceName: '*',
              EvalDecision: decision,
              ResourceSpecificResults: ((ResourceArns as string[]) ?? []).map(
                arn => ({
                  EvalResourceName: arn,
                  EvalResourceDecision: decision,
                }),
              ),
            };
          }),
          IsTruncated: false,
        }),
      ),
    );
  }
}

/**
 * The vote service's account as the fixtures describe it: per name, a table,
 * a repository with a newer and an older image, and an IRSA role for the
 * ServiceAccount of that name whose one policy grants `actions` on that
 * table; the fixtures' cluster and its OIDC provider.
 */
export function voteServiceObjects(
  names: string[],
  actions: string[],
): FakeAwsObjects {
  return {
    tables: names.map(name => ({ name })),
    repositories: names.map(name => ({
      name,
      images: [
        aws.image('b2', ['3f9c2ab'], '2026-11-20T09:00:00Z', 1),
        aws.image('a1', ['3f9c2aa'], '2026-11-10T10:00:00Z'),
      ],
    })),
    clusters: [
      { name: aws.CLUSTER, endpoint: aws.CLUSTER_URL, issuer: aws.ISSUER },
    ],
    roles: names.map(name => ({
      name,
      trust: aws.irsaTrust(name, name),
      attached: [aws.policyArn(`${name}-table`)],
    })),
    policies: names.map(name => ({
      arn: aws.policyArn(`${name}-table`),
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: actions, Resource: aws.tableArn(name) },
        ],
      },
    })),
    oidcProviders: [{ url: aws.ISSUER_HOST, clientIds: ['sts.amazonaws.com'] }],
  };
}

/**
 * One AWS account as objects (tables, repositories, clusters, Pod Identity
 * associations, roles, policies, OIDC providers) and the answers the AWS API
 * reference gives about them: paging, URL-encoded policy documents, the
 * services' not-found errors. It knows no SDK and no wire format: the
 * backend's tests put it behind the SDK clients (aws-sdk-client-mock), the
 * local demo behind HTTP (`fakeAwsHandler`), so both see one account.
 */

/**
 * The services the fake account answers.
 *
 * @public
 */
export type FakeAwsService = 'dynamodb' | 'ecr' | 'eks' | 'iam' | 'sts';

/**
 * An AWS error as the service reports it: its error code (as on the wire,
 * such as `NoSuchEntity` or `ResourceNotFoundException`), its message and
 * its HTTP status.
 *
 * @public
 */
export class FakeAwsError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(options: { code: string; message: string; status: number }) {
    super(options.message);
    this.name = options.code;
    this.code = options.code;
    this.status = options.status;
  }
}

/** @public */
export interface FakeTable {
  name: string;
  itemCount?: number;
  /** Point-in-time recovery; on by default. */
  pointInTimeRecovery?: boolean;
}

/** @public */
export interface FakeRepository {
  name: string;
  /**
   * ECR `ImageDetail` records, in the order DescribeImages pages them; the
   * registry id and repository name are set by the account.
   */
  images: object[];
}

/** @public */
export interface FakeCluster {
  name: string;
  endpoint: string;
  /** The OIDC issuer URL; none when the cluster has no OIDC identity. */
  issuer?: string;
}

/** @public */
export interface FakeAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationId: string;
}

/** @public */
export interface FakeRole {
  name: string;
  trust: object;
  /** The ARNs of the managed policies attached to the role. */
  attached?: string[];
  /** Inline policies by name. */
  inline?: Record<string, object>;
  /** The ARN of the managed policy that is the role's permissions boundary. */
  permissionsBoundary?: string;
}

/** @public */
export interface FakePolicy {
  arn: string;
  document: object;
  /** The default version's id; `v1` unless set. */
  versionId?: string;
  /** The policy's other (non-default) versions' documents, by version id. */
  otherVersions?: Record<string, object>;
}

/** @public */
export interface FakeOidcProvider {
  /** The issuer without its scheme, as IAM names the provider. */
  url: string;
  clientIds: string[];
}

/**
 * What the account holds. Read at every call, so a test may change it
 * between calls.
 *
 * @public
 */
export interface FakeAwsObjects {
  tables?: FakeTable[];
  repositories?: FakeRepository[];
  clusters?: FakeCluster[];
  associations?: FakeAssociation[];
  roles?: FakeRole[];
  policies?: FakePolicy[];
  oidcProviders?: FakeOidcProvider[];
}

/** @public */
export interface FakeAwsAccountOptions {
  objects: () => FakeAwsObjects;
  accountId: string;
  region: string;
  /** The identity STS GetCallerIdentity names; an IAM user of the account unless set. */
  callerArn?: string;
  /**
   * Runs before every answer: it may wait (latency) or throw (throttling,
   * an outage, a `FakeAwsError` such as AccessDenied). Calls are counted
   * before it runs.
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

type Answer = (input: any, objects: FakeAwsObjects) => object;

const CREATED = new Date('2026-10-01T00:00:00Z');
const encoded = (document: object) =>
  encodeURIComponent(JSON.stringify(document));
const policyName = (arn: string) => arn.split('/').pop()!;

/** A page of `items` from an offset marker, as the list APIs answer. */
function pageOf<T>(items: T[], marker: unknown, size: number) {
  const start = Number(marker ?? 0);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), next };
}

/**
 * One AWS account's answers, per service and operation.
 *
 * @public
 */
export class FakeAwsAccount {
  readonly calls: Record<FakeAwsService, number> = {
    dynamodb: 0,
    ecr: 0,
    eks: 0,
    iam: 0,
    sts: 0,
  };
  readonly accountId: string;
  readonly region: string;
  private readonly answers: Record<FakeAwsService, Record<string, Answer>>;

  constructor(private readonly options: FakeAwsAccountOptions) {
    this.accountId = options.accountId;
    this.region = options.region;
    this.answers = {
      dynamodb: this.dynamoDbAnswers(),
      ecr: this.ecrAnswers(),
      eks: this.eksAnswers(),
      iam: this.iamAnswers(),
      sts: this.stsAnswers(),
    };
  }

  roleArn = (name: string) => `arn:aws:iam::${this.accountId}:role/${name}`;
  tableArn = (name: string) =>
    `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${name}`;

  /**
   * Answers one call with the output the SDK would return (dates as
   * `Date`s), or throws a `FakeAwsError`.
   */
  async call(
    service: FakeAwsService,
    operation: string,
    input: Record<string, any>,
  ): Promise<object> {
    const answer = this.answers[service][operation];
    if (!answer) {
      throw new FakeAwsError({
        code: 'UnknownOperationException',
        message: `The fake AWS account does not answer ${service} ${operation}`,
        status: 400,
      });
    }
    this.calls[service] += 1;
    await this.options.before?.(service, operation);
    return answer(input, this.options.objects());
  }

  /** A page of `items`, at most `asked` and at most the page cap. */
  private page<T>(items: T[], marker: unknown, asked: unknown) {
    return pageOf(
      items,
      marker,
      Math.min(Number(asked ?? 100), this.options.maxPageSize ?? Infinity),
    );
  }

  private dynamoDbAnswers(): Record<string, Answer> {
    const table = (name: unknown, objects: FakeAwsObjects) => {
      const found = objects.tables?.find(t => t.name === name);
      if (!found) {
        throw new FakeAwsError({
          code: 'ResourceNotFoundException',
          message: `Requested resource not found: Table: ${name} not found`,
          status: 400,
        });
      }
      return found;
    };
    return {
      DescribeTable: ({ TableName }, o) => {
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
      },
      DescribeContinuousBackups: ({ TableName }, o) => {
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
    };
  }

  private ecrAnswers(): Record<string, Answer> {
    return {
      DescribeImages: ({ repositoryName, maxResults, nextToken }, o) => {
        const repository = o.repositories?.find(r => r.name === repositoryName);
        if (!repository) {
          throw new FakeAwsError({
            code: 'RepositoryNotFoundException',
            message: `The repository with name '${repositoryName}' does not exist in the registry with id '${this.accountId}'`,
            status: 400,
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
    };
  }

  private eksAnswers(): Record<string, Answer> {
    const notFound = (message: string) =>
      new FakeAwsError({
        code: 'ResourceNotFoundException',
        message,
        status: 404,
      });
    const associationArn = (a: FakeAssociation) =>
      `arn:aws:eks:${this.region}:${this.accountId}:podidentityassociation/${a.clusterName}/${a.associationId}`;
    return {
      DescribeCluster: ({ name }, o) => {
        const cluster = o.clusters?.find(c => c.name === name);
        if (!cluster) throw notFound(`No cluster found for name: ${name}.`);
        return {
          cluster: {
            name,
            arn: `arn:aws:eks:${this.region}:${this.accountId}:cluster/${name}`,
            version: '1.33',
            endpoint: cluster.endpoint,
            status: 'ACTIVE',
            createdAt: CREATED,
            certificateAuthority: { data: 'LS0tLS1CRUdJTi...' },
            ...(cluster.issuer
              ? { identity: { oidc: { issuer: cluster.issuer } } }
              : {}),
          },
        };
      },
      ListPodIdentityAssociations: (
        { clusterName, namespace, serviceAccount, maxResults, nextToken },
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
      DescribePodIdentityAssociation: ({ clusterName, associationId }, o) => {
        const a = o.associations?.find(
          x =>
            x.clusterName === clusterName && x.associationId === associationId,
        );
        if (!a) {
          throw notFound(
            `No Pod Identity Association found for id: ${associationId}.`,
          );
        }
        return {
          association: {
            clusterName,
            namespace: a.namespace,
            serviceAccount: a.serviceAccount,
            roleArn: a.roleArn,
            associationArn: associationArn(a),
            associationId,
            createdAt: CREATED,
            modifiedAt: CREATED,
          },
        };
      },
    };
  }

  private iamAnswers(): Record<string, Answer> {
    const noSuchEntity = (what: string) =>
      new FakeAwsError({
        code: 'NoSuchEntity',
        message: `The ${what} cannot be found.`,
        status: 404,
      });
    const role = (name: unknown, o: FakeAwsObjects) => {
      // IAM names are case-insensitive: GetRole of `Vote` answers `vote`.
      const found = o.roles?.find(
        r => r.name.toLowerCase() === String(name).toLowerCase(),
      );
      if (!found) throw noSuchEntity(`role with name ${name}`);
      return found;
    };
    const policy = (arn: unknown, o: FakeAwsObjects) => {
      const found = o.policies?.find(p => p.arn === arn);
      if (!found) throw noSuchEntity(`policy ${arn}`);
      return found;
    };
    const roleRecord = (r: FakeRole) => ({
      Path: '/',
      RoleName: r.name,
      RoleId: 'AROAEXAMPLEID1234567',
      Arn: this.roleArn(r.name),
      CreateDate: CREATED,
      AssumeRolePolicyDocument: encoded(r.trust),
      ...(r.permissionsBoundary
        ? {
            PermissionsBoundary: {
              PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
              PermissionsBoundaryArn: r.permissionsBoundary,
            },
          }
        : {}),
    });
    /** A policy's versions, the default one first. */
    const versionsOf = (p: FakePolicy) => [
      { id: p.versionId ?? 'v1', document: p.document, isDefault: true },
      ...Object.entries(p.otherVersions ?? {}).map(([id, document]) => ({
        id,
        document,
        isDefault: false,
      })),
    ];
    const policyRecord = (p: FakePolicy) => ({
      PolicyName: policyName(p.arn),
      PolicyId: 'ANPAEXAMPLEID1234567',
      Arn: p.arn,
      Path: '/',
      DefaultVersionId: p.versionId ?? 'v1',
      AttachmentCount: 1,
      IsAttachable: true,
      CreateDate: CREATED,
      UpdateDate: CREATED,
    });
    const isAccounts = (p: FakePolicy) =>
      p.arn.startsWith(`arn:aws:iam::${this.accountId}:`);
    return {
      GetRole: ({ RoleName }, o) => ({ Role: roleRecord(role(RoleName, o)) }),
      ListAttachedRolePolicies: ({ RoleName, Marker, MaxItems }, o) => {
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
      ListRolePolicies: ({ RoleName, Marker, MaxItems }, o) => {
        const names = Object.keys(role(RoleName, o).inline ?? {});
        const { items, next } = this.page(names, Marker, MaxItems);
        return {
          PolicyNames: items,
          IsTruncated: Boolean(next),
          ...(next ? { Marker: next } : {}),
        };
      },
      GetRolePolicy: ({ RoleName, PolicyName }, o) => {
        const document = role(RoleName, o).inline?.[PolicyName];
        if (!document)
          throw noSuchEntity(`role policy with name ${PolicyName}`);
        return { RoleName, PolicyName, PolicyDocument: encoded(document) };
      },
      GetPolicy: ({ PolicyArn }, o) => ({
        Policy: policyRecord(policy(PolicyArn, o)),
      }),
      GetPolicyVersion: ({ PolicyArn, VersionId }, o) => {
        const version = versionsOf(policy(PolicyArn, o)).find(
          v => v.id === VersionId,
        );
        if (!version) {
          throw noSuchEntity(`policy version ${VersionId} of ${PolicyArn}`);
        }
        return {
          PolicyVersion: {
            VersionId,
            IsDefaultVersion: version.isDefault,
            CreateDate: CREATED,
            Document: encoded(version.document),
          },
        };
      },
      GetAccountSummary: (_input, o) => ({
        SummaryMap: {
          Roles: o.roles?.length ?? 0,
          Policies: (o.policies ?? []).filter(isAccounts).length,
        },
      }),
      GetAccountAuthorizationDetails: ({ Filter, Marker, MaxItems }, o) => {
        // Without a filter, every kind of entity the account holds.
        const wanted = (kind: string) =>
          !Filter?.length || Filter.includes(kind);
        const policies = (o.policies ?? []).filter(p =>
          wanted(isAccounts(p) ? 'LocalManagedPolicy' : 'AWSManagedPolicy'),
        );
        const items: Array<{ role?: FakeRole; policy?: FakePolicy }> = [
          ...(wanted('Role') ? o.roles ?? [] : []).map(r => ({ role: r })),
          ...policies.map(p => ({ policy: p })),
        ];
        const { items: shown, next } = this.page(items, Marker, MaxItems);
        return {
          RoleDetailList: shown.flatMap(({ role: r }) =>
            r
              ? [
                  {
                    ...roleRecord(r),
                    InstanceProfileList: [],
                    RolePolicyList: Object.entries(r.inline ?? {}).map(
                      ([name, document]) => ({
                        PolicyName: name,
                        PolicyDocument: encoded(document),
                      }),
                    ),
                    AttachedManagedPolicies: (r.attached ?? []).map(arn => ({
                      PolicyName: policyName(arn),
                      PolicyArn: arn,
                    })),
                    Tags: [],
                  },
                ]
              : [],
          ),
          Policies: shown.flatMap(({ policy: p }) =>
            p
              ? [
                  {
                    ...policyRecord(p),
                    PolicyVersionList: versionsOf(p).map(v => ({
                      Document: encoded(v.document),
                      VersionId: v.id,
                      IsDefaultVersion: v.isDefault,
                      CreateDate: CREATED,
                    })),
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
      GetOpenIDConnectProvider: ({ OpenIDConnectProviderArn }, o) => {
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
      SimulatePrincipalPolicy: ({
        PolicySourceArn,
        ActionNames,
        ResourceArns,
      }) => ({
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
    };
  }

  private stsAnswers(): Record<string, Answer> {
    return {
      GetCallerIdentity: () => ({
        UserId: 'AIDAEXAMPLEID1234567',
        Account: this.accountId,
        Arn:
          this.options.callerArn ??
          `arn:aws:iam::${this.accountId}:user/backstage`,
      }),
    };
  }
}

/**
 * The fake account over HTTP, read by the real AWS SDK clients: what the
 * SDK parses (dates, lists, URL-encoded documents, error classes) must be
 * what the account answered.
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
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
  paginateListAttachedRolePolicies,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { FakeAwsAccount, FakeAwsError, FakeAwsObjects } from './FakeAwsAccount';
import { fakeAwsHandler } from './fakeAwsHandler';
import { LoopbackServer, serveOnLoopback } from './serveOnLoopback';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-3';
const PUSHED = new Date('2026-11-20T09:00:00Z');
const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
};
const policyArns = ['a', 'b', 'c'].map(
  n => `arn:aws:iam::${ACCOUNT}:policy/vote-${n}`,
);

const objects: FakeAwsObjects = {
  tables: [{ name: 'votes', pointInTimeRecovery: false }],
  repositories: [
    {
      name: 'vote',
      images: [
        {
          imageDigest: `sha256:${'b'.repeat(64)}`,
          imageTags: ['git-3f9c2ab'],
          imagePushedAt: PUSHED,
          imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 2 } },
        },
      ],
    },
  ],
  clusters: [
    {
      name: 'demo',
      endpoint: 'https://demo.example',
      issuer: 'https://oidc.eks.eu-west-3.amazonaws.com/id/ABC',
    },
  ],
  associations: ['team-a', 'team-b'].map(namespace => ({
    clusterName: 'demo',
    namespace,
    serviceAccount: 'vote',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${namespace}`,
    associationId: `a-${namespace}`,
  })),
  roles: [
    {
      name: 'vote',
      trust,
      attached: policyArns,
      inline: { table: { Version: '2012-10-17', Statement: [] } },
      permissionsBoundary: policyArns[0],
    },
  ],
  policies: [
    {
      arn: policyArns[0],
      versionId: 'v2',
      document: { Version: '2012-10-17', Statement: [] },
      otherVersions: { v1: { Version: '2012-10-17', Statement: [] } },
    },
  ],
};

const credentials = {
  accessKeyId: 'AKIALOCALTESTONLY000',
  secretAccessKey: 'local-test-only',
};
let denied: string | undefined;
const account = new FakeAwsAccount({
  objects: () => objects,
  accountId: ACCOUNT,
  region: REGION,
  maxPageSize: 2,
  simulate: (_role, action) =>
    action === 'dynamodb:DeleteTable' ? 'implicitDeny' : 'allowed',
  before: async (_service, operation) => {
    if (operation === denied) {
      throw new FakeAwsError({
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT}:user/backstage is not authorized to perform: iam:${operation}`,
        status: 403,
      });
    }
  },
});

const servers: LoopbackServer[] = [];
const clients = {} as {
  dynamodb: DynamoDBClient;
  ecr: ECRClient;
  eks: EKSClient;
  iam: IAMClient;
  sts: STSClient;
};

beforeAll(async () => {
  const endpoint = async (service: Parameters<typeof fakeAwsHandler>[1]) => {
    const server = await serveOnLoopback(fakeAwsHandler(account, service));
    servers.push(server);
    return {
      endpoint: server.url,
      region: REGION,
      credentials,
      maxAttempts: 1,
    };
  };
  clients.dynamodb = new DynamoDBClient(await endpoint('dynamodb'));
  clients.ecr = new ECRClient(await endpoint('ecr'));
  clients.eks = new EKSClient(await endpoint('eks'));
  clients.iam = new IAMClient(await endpoint('iam'));
  clients.sts = new STSClient(await endpoint('sts'));
});

afterAll(async () => {
  Object.values(clients).forEach(c => c.destroy());
  await Promise.all(servers.map(s => s.close()));
});

afterEach(() => {
  denied = undefined;
});

describe('fakeAwsHandler, read by the AWS SDK', () => {
  it('answers IAM in XML: a role with its decoded trust and its date', async () => {
    const { Role } = await clients.iam.send(
      new GetRoleCommand({ RoleName: 'vote' }),
    );
    expect(
      JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)),
    ).toEqual(trust);
    expect(Role!.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/vote`);
    expect(Role!.CreateDate).toBeInstanceOf(Date);
  });

  it('pages IAM lists by Marker, under the page cap', async () => {
    const pages = [];
    for await (const page of paginateListAttachedRolePolicies(
      { client: clients.iam },
      { RoleName: 'vote' },
    )) {
      pages.push(page.AttachedPolicies!.map(p => p.PolicyArn));
    }
    expect(pages).toEqual([policyArns.slice(0, 2), policyArns.slice(2)]);
  });

  it('takes query-protocol lists and answers nested lists and maps', async () => {
    const { EvaluationResults } = await clients.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: account.roleArn('vote'),
        ActionNames: ['dynamodb:GetItem', 'dynamodb:DeleteTable'],
        ResourceArns: [account.tableArn('votes')],
      }),
    );
    expect(
      EvaluationResults!.map(r => [
        r.EvalActionName,
        r.EvalDecision,
        r.ResourceSpecificResults![0].EvalResourceName,
      ]),
    ).toEqual([
      ['dynamodb:GetItem', 'allowed', account.tableArn('votes')],
      ['dynamodb:DeleteTable', 'implicitDeny', account.tableArn('votes')],
    ]);
    const { SummaryMap } = await clients.iam.send(
      new GetAccountSummaryCommand({}),
    );
    expect(SummaryMap).toEqual({ Roles: 1, Policies: 1 });
  });

  it('answers the bulk read with nested lists, by its Filter', async () => {
    const { RoleDetailList, Policies } = await clients.iam.send(
      new GetAccountAuthorizationDetailsCommand({
        Filter: ['Role', 'LocalManagedPolicy'],
      }),
    );
    expect(RoleDetailList).toEqual([
      expect.objectContaining({
        RoleName: 'vote',
        RolePolicyList: [
          { PolicyName: 'table', PolicyDocument: expect.any(String) },
        ],
        AttachedManagedPolicies: policyArns.map(arn => ({
          PolicyName: arn.split('/').pop(),
          PolicyArn: arn,
        })),
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: policyArns[0],
        },
      }),
    ]);
    expect(
      Policies!.map(p => [
        p.Arn,
        p.DefaultVersionId,
        p.PolicyVersionList!.map(v => [v.VersionId, v.IsDefaultVersion]),
      ]),
    ).toEqual([
      [
        policyArns[0],
        'v2',
        [
          ['v2', true],
          ['v1', false],
        ],
      ],
    ]);
    const rolesOnly = await clients.iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }),
    );
    expect(rolesOnly.Policies ?? []).toEqual([]);
  });

  it("raises IAM's errors as the SDK's classes, with the status", async () => {
    await expect(
      clients.iam.send(new GetRoleCommand({ RoleName: 'nobody' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    denied = 'GetRole';
    await expect(
      clients.iam.send(new GetRoleCommand({ RoleName: 'vote' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining('iam:GetRole'),
    });
  });

  it('answers ECR in JSON, dates as epoch seconds', async () => {
    const { imageDetails } = await clients.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'vote' }),
    );
    expect(imageDetails).toEqual([
      expect.objectContaining({
        registryId: ACCOUNT,
        repositoryName: 'vote',
        imageTags: ['git-3f9c2ab'],
        imagePushedAt: PUSHED,
        imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 2 } },
      }),
    ]);
    await expect(
      clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'gone' })),
    ).rejects.toBeInstanceOf(RepositoryNotFoundException);
  });

  it("answers EKS's REST routes, with the query's filters", async () => {
    const { cluster } = await clients.eks.send(
      new DescribeClusterCommand({ name: 'demo' }),
    );
    expect(cluster!.identity!.oidc!.issuer).toBe(objects.clusters![0].issuer);
    const { associations } = await clients.eks.send(
      new ListPodIdentityAssociationsCommand({
        clusterName: 'demo',
        namespace: 'team-b',
        serviceAccount: 'vote',
      }),
    );
    expect(associations!.map(a => a.associationId)).toEqual(['a-team-b']);
    const { association } = await clients.eks.send(
      new DescribePodIdentityAssociationCommand({
        clusterName: 'demo',
        associationId: 'a-team-a',
      }),
    );
    expect(association!.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/team-a`);
    await expect(
      clients.eks.send(new DescribeClusterCommand({ name: 'other' })),
    ).rejects.toBeInstanceOf(ClusterNotFound);
  });

  it('answers DynamoDB in JSON, its not-found as the SDK class', async () => {
    const { ContinuousBackupsDescription } = await clients.dynamodb.send(
      new DescribeContinuousBackupsCommand({ TableName: 'votes' }),
    );
    expect(
      ContinuousBackupsDescription!.PointInTimeRecoveryDescription!
        .PointInTimeRecoveryStatus,
    ).toBe('DISABLED');
    await expect(
      clients.dynamodb.send(new DescribeTableCommand({ TableName: 'gone' })),
    ).rejects.toBeInstanceOf(TableNotFound);
  });

  it('answers STS GetCallerIdentity with the account', async () => {
    await expect(
      clients.sts.send(new GetCallerIdentityCommand({})),
    ).resolves.toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:user/backstage`,
    });
  });

  it('answers an operation it does not know with an error, and counts only answered calls', async () => {
    const before = { ...account.calls };
    const response = await fakeAwsHandler(
      account,
      'iam',
    )(
      new Request('http://127.0.0.1/', {
        method: 'POST',
        body: 'Action=DeleteRole&RoleName=vote',
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      '<Code>UnknownOperationException</Code>',
    );
    expect(account.calls).toEqual(before);
  });
});

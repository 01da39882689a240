import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import * as aws from '../__fixtures__/aws';
import { iamAccessDenied, testAwsClients } from '../__testUtils__/awsClients';
import { RunLoader } from '../clients/CachedLoader';
import { IamService, RoleUse } from '../clients/IamService';
import {
  chooseRoleReads,
  FleetIamRead,
  FleetIamReader,
} from './FleetIamReader';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());
afterAll(() => iam.restore());

/** One run's IAM service, as the refresh builds it. */
const runIam = () =>
  new IamService({
    clients: testAwsClients(),
    loader: new RunLoader(),
    ttlMs: 0,
    simulate: true,
  });

const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess';
const BOUNDARY = aws.policyArn('boundary');
const encoded = (statements: object[]) =>
  encodeURIComponent(
    JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  );
const WRITE = {
  Effect: 'Allow',
  Action: 'dynamodb:UpdateItem',
  Resource: aws.tableArn('votes'),
};
const READ = { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' };
const INLINE = { Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' };

const roleDetail = (name: string) => ({
  Path: '/',
  RoleName: name,
  RoleId: 'AROAEXAMPLEID1234567',
  Arn: aws.roleArn(name),
  CreateDate: new Date('2026-10-01T00:00:00Z'),
  AssumeRolePolicyDocument: encodeURIComponent(
    JSON.stringify(aws.irsaTrust('vote', name)),
  ),
  RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: encoded([INLINE]) }],
  AttachedManagedPolicies: [
    { PolicyName: 'write', PolicyArn: aws.policyArn('write') },
    { PolicyName: 'AmazonDynamoDBReadOnlyAccess', PolicyArn: READ_ONLY },
  ],
  PermissionsBoundary: {
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const,
    PermissionsBoundaryArn: BOUNDARY,
  },
});

const localPolicy = (name: string, versionId: string, statement: object) => ({
  PolicyName: name,
  Arn: aws.policyArn(name),
  DefaultVersionId: versionId,
  PolicyVersionList: [
    { VersionId: 'v0', IsDefaultVersion: false, Document: encoded([]) },
    {
      VersionId: versionId,
      IsDefaultVersion: true,
      Document: encoded([statement]),
    },
  ],
});

/** An account of two roles, answered in two pages, with a boundary at `boundaryVersion`. */
function bulkAccount(boundaryVersion = 'v1') {
  iam
    .on(GetAccountSummaryCommand)
    .resolves({ SummaryMap: { Roles: 2, Policies: 2 } });
  iam
    .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
    .resolves({
      RoleDetailList: [roleDetail('vote'), roleDetail('other')],
      IsTruncated: true,
      Marker: 'page-2',
    })
    .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' })
    .resolves({
      Policies: [
        localPolicy('write', 'v2', WRITE),
        localPolicy('boundary', boundaryVersion, {
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: '*',
        }),
      ],
      IsTruncated: false,
    });
  iam
    .on(GetPolicyCommand, { PolicyArn: READ_ONLY })
    .resolves({ Policy: { Arn: READ_ONLY, DefaultVersionId: 'v9' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: READ_ONLY, VersionId: 'v9' })
    .resolves({
      PolicyVersion: { VersionId: 'v9', Document: encoded([READ]) },
    });
  iam.on(SimulatePrincipalPolicyCommand).callsFake(input => ({
    EvaluationResults: input.ActionNames.map((action: string) => ({
      EvalActionName: action,
      EvalResourceName: '*',
      EvalDecision: 'allowed',
      ResourceSpecificResults: input.ResourceArns.map((arn: string) => ({
        EvalResourceName: arn,
        EvalResourceDecision: 'allowed',
      })),
    })),
    IsTruncated: false,
  }));
}

const VOTE_USE: RoleUse = {
  roleArn: aws.roleArn('vote'),
  table: {
    tableArn: aws.tableArn('votes'),
    actions: ['dynamodb:UpdateItem'],
  },
};

const calls = (command: any) => iam.commandCalls(command).length;

/** What a read answers for the vote role's use of its table. */
const voteAccess = (read: FleetIamRead) =>
  read.answers.tableAccess(
    VOTE_USE.roleArn,
    VOTE_USE.table!.tableArn,
    VOTE_USE.table!.actions,
  );

describe('chooseRoleReads', () => {
  it('reads in bulk when the account pages cost fewer calls than three per role', () => {
    expect(
      chooseRoleReads({
        rolesToRead: 300,
        accountRoles: 300,
        accountPolicies: 300,
      }),
    ).toBe('bulk');
    // 2 roles among 5,000 roles and 5,000 policies: 40 pages against 6 calls.
    expect(
      chooseRoleReads({
        rolesToRead: 2,
        accountRoles: 5000,
        accountPolicies: 5000,
      }),
    ).toBe('per-role');
    // 1,000 items are 4 pages: bulk from 2 roles up, one by one below.
    expect(
      chooseRoleReads({
        rolesToRead: 2,
        accountRoles: 600,
        accountPolicies: 400,
      }),
    ).toBe('bulk');
    expect(
      chooseRoleReads({
        rolesToRead: 1,
        accountRoles: 600,
        accountPolicies: 400,
      }),
    ).toBe('per-role');
  });
});

describe('FleetIamReader', () => {
  const reader = (now = () => 0, resimulateIntervalMs = 60_000) =>
    new FleetIamReader({
      simulate: true,
      resimulateIntervalMs,
      logger: mockServices.logger.mock(),
      now,
    });

  it('reads an account in bulk: pages followed, documents decoded, default versions taken, a role it lacks not found', async () => {
    bulkAccount();
    const read = await reader().read(runIam(), [
      VOTE_USE,
      { roleArn: aws.roleArn('missing') },
      // IAM's names are case-insensitive: this is the role "other".
      { roleArn: aws.roleArn('Other') },
    ]);
    expect(read.stats).toEqual({
      accounts: { bulk: 1, 'per-role': 0 },
      roles: 3,
      simulated: 1,
      reused: 0,
    });
    expect(read.answers.role(aws.roleArn('missing'))).toEqual({
      status: 'not-found',
    });
    expect(read.answers.role(aws.roleArn('Other'))).toMatchObject({
      status: 'found',
      value: { arn: aws.roleArn('Other') },
    });
    expect(read.answers.role(aws.roleArn('vote'))).toEqual({
      status: 'found',
      value: {
        arn: aws.roleArn('vote'),
        trustPolicy: aws.irsaTrust('vote', 'vote'),
        policies: {
          status: 'found',
          value: [
            { Version: '2012-10-17', Statement: [WRITE] },
            { Version: '2012-10-17', Statement: [READ] },
            { Version: '2012-10-17', Statement: [INLINE] },
          ],
        },
      },
    });
    expect(calls(GetAccountAuthorizationDetailsCommand)).toBe(2);
    expect(
      iam.commandCalls(GetAccountAuthorizationDetailsCommand)[0].args[0].input,
    ).toMatchObject({ Filter: ['Role', 'LocalManagedPolicy'] });
    // Only AWS's own policy is read on its own; no role is read by name.
    expect(calls(GetPolicyCommand)).toBe(1);
    expect(calls(GetRoleCommand)).toBe(0);
    expect(voteAccess(read)).toEqual({ 'dynamodb:UpdateItem': 'allowed' });
    // A role it never simulated is left to the view's own reads.
    expect(
      read.answers.tableAccess(aws.roleArn('other'), 'x', ['dynamodb:GetItem']),
    ).toBeUndefined();
  });

  it('reads the roles one by one where the bulk read is denied, to the same facts', async () => {
    bulkAccount();
    const bulk = await reader().read(runIam(), [VOTE_USE]);
    iam.reset();
    iam
      .on(GetAccountSummaryCommand)
      .rejects(iamAccessDenied('iam:GetAccountSummary'));
    iam.on(GetRoleCommand, { RoleName: 'vote' }).resolves({
      Role: {
        ...aws.getRole('vote', aws.irsaTrust('vote', 'vote')).Role,
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: BOUNDARY,
        },
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: roleDetail('vote').AttachedManagedPolicies,
      IsTruncated: false,
    });
    iam
      .on(ListRolePoliciesCommand)
      .resolves({ PolicyNames: ['inline'], IsTruncated: false });
    iam.on(GetPolicyCommand).callsFake(({ PolicyArn }) => ({
      Policy: { DefaultVersionId: 'v1', Arn: PolicyArn },
    }));
    iam.on(GetPolicyVersionCommand).callsFake(({ PolicyArn }) => ({
      PolicyVersion: {
        VersionId: 'v1',
        Document: encoded([PolicyArn === READ_ONLY ? READ : WRITE]),
      },
    }));
    iam
      .on(GetRolePolicyCommand)
      .resolves({ PolicyDocument: encoded([INLINE]) });
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [] });

    const perRole = await reader().read(runIam(), [VOTE_USE]);
    expect(perRole.stats.accounts).toEqual({ bulk: 0, 'per-role': 1 });
    expect(perRole.answers.role(VOTE_USE.roleArn)).toEqual(
      bulk.answers.role(VOTE_USE.roleArn),
    );
  });

  it('keeps AWS-managed policies and unchanged simulations across runs, and asks again after the interval or a change', async () => {
    let now = 0;
    const fleetReader = reader(() => now, 60_000);
    bulkAccount('v1');
    const first = await fleetReader.read(runIam(), [VOTE_USE]);
    const second = await fleetReader.read(runIam(), [VOTE_USE]);
    expect(first.stats).toMatchObject({ simulated: 1, reused: 0 });
    expect(second.stats).toMatchObject({ simulated: 0, reused: 1 });
    expect(calls(SimulatePrincipalPolicyCommand)).toBe(1);
    // AWS's own policy: read in the first run only.
    expect(calls(GetPolicyCommand)).toBe(1);
    expect(voteAccess(second)).toEqual({ 'dynamodb:UpdateItem': 'allowed' });

    // A new default version of the boundary decides the simulation anew.
    iam.reset();
    bulkAccount('v2');
    const boundaryChanged = await fleetReader.read(runIam(), [VOTE_USE]);
    expect(boundaryChanged.stats).toMatchObject({ simulated: 1, reused: 0 });
    expect((await fleetReader.read(runIam(), [VOTE_USE])).stats).toMatchObject({
      simulated: 0,
      reused: 1,
    });

    // Past the interval, every role and AWS policy is read again.
    now = 60_000;
    const later = await fleetReader.read(runIam(), [VOTE_USE]);
    expect(later.stats).toMatchObject({ simulated: 1, reused: 0 });
    expect(calls(GetPolicyCommand)).toBe(1);

    // A second entity asking the same of the role is no new question.
    const shared = await fleetReader.read(runIam(), [VOTE_USE, VOTE_USE]);
    expect(shared.stats).toMatchObject({ simulated: 0, reused: 1 });

    // Another table asked about is a different question.
    const moreTables = await fleetReader.read(runIam(), [
      VOTE_USE,
      {
        roleArn: VOTE_USE.roleArn,
        table: {
          tableArn: aws.tableArn('tallies'),
          actions: ['dynamodb:GetItem'],
        },
      },
    ]);
    expect(moreTables.stats).toMatchObject({ simulated: 1, reused: 0 });
  });

  it('answers null where the simulation is denied, so that the view evaluates the policies itself', async () => {
    bulkAccount();
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(iamAccessDenied('iam:SimulatePrincipalPolicy'));
    const read = await reader().read(runIam(), [VOTE_USE]);
    expect(voteAccess(read)).toBeNull();
  });
});

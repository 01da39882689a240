import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetRoleCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { mockServices } from '@backstage/backend-test-utils';
import * as aws from '../__fixtures__/aws';
import { iamAccessDenied, testAwsClients } from '../__testUtils__/awsClients';
import {
  FakeAwsAccount,
  FakeAwsObjects,
} from '../__testUtils__/FakeAwsAccount';
import { RunLoader } from '../clients/CachedLoader';
import { IamService, RoleUse } from '../clients/IamService';
import {
  chooseRoleReads,
  FleetIamRead,
  FleetIamReader,
} from './FleetIamReader';

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
const document = (statements: object[]) => ({
  Version: '2012-10-17',
  Statement: statements,
});
const WRITE = {
  Effect: 'Allow',
  Action: 'dynamodb:UpdateItem',
  Resource: aws.tableArn('votes'),
};
const READ = { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' };
const INLINE = { Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' };

const role = (name: string) => ({
  name,
  trust: aws.irsaTrust('vote', name),
  inline: { inline: document([INLINE]) },
  attached: [aws.policyArn('write'), READ_ONLY],
  permissionsBoundary: BOUNDARY,
});

/**
 * An account of two roles with a write policy at its second version, AWS's
 * read-only policy and a boundary at `boundaryVersion`; its four roles and
 * local policies take two pages of the bulk read.
 */
const accountWith = (boundaryVersion: string): FakeAwsObjects => ({
  roles: [role('vote'), role('other')],
  policies: [
    {
      arn: aws.policyArn('write'),
      versionId: 'v2',
      document: document([WRITE]),
      otherVersions: { v0: document([]) },
    },
    {
      arn: BOUNDARY,
      versionId: boundaryVersion,
      document: document([
        { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
      ]),
    },
    { arn: READ_ONLY, versionId: 'v9', document: document([READ]) },
  ],
});

let objects = accountWith('v1');
const stubs = new FakeAwsAccount({
  objects: () => objects,
  maxPageSize: 2,
}).install(['iam']);
const iam = stubs.iam!;
afterEach(() => {
  objects = accountWith('v1');
  stubs.reset();
});
afterAll(() => stubs.restore());

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
    const bulk = await reader().read(runIam(), [VOTE_USE]);
    iam
      .on(GetAccountSummaryCommand)
      .rejects(iamAccessDenied('iam:GetAccountSummary'));

    const perRole = await reader().read(runIam(), [VOTE_USE]);
    expect(perRole.stats.accounts).toEqual({ bulk: 0, 'per-role': 1 });
    expect(perRole.answers.role(VOTE_USE.roleArn)).toEqual(
      bulk.answers.role(VOTE_USE.roleArn),
    );
    expect(calls(GetRoleCommand)).toBe(1);
  });

  it('keeps AWS-managed policies and unchanged simulations across runs, and asks again after the interval or a change', async () => {
    let now = 0;
    const fleetReader = reader(() => now, 60_000);
    const first = await fleetReader.read(runIam(), [VOTE_USE]);
    const second = await fleetReader.read(runIam(), [VOTE_USE]);
    expect(first.stats).toMatchObject({ simulated: 1, reused: 0 });
    expect(second.stats).toMatchObject({ simulated: 0, reused: 1 });
    expect(calls(SimulatePrincipalPolicyCommand)).toBe(1);
    // AWS's own policy: read in the first run only.
    expect(calls(GetPolicyCommand)).toBe(1);
    expect(voteAccess(second)).toEqual({ 'dynamodb:UpdateItem': 'allowed' });

    // A new default version of the boundary decides the simulation anew.
    objects = accountWith('v2');
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
    // AWS's own policy: the first run's read and this one's.
    expect(calls(GetPolicyCommand)).toBe(2);

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
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(iamAccessDenied('iam:SimulatePrincipalPolicy'));
    const read = await reader().read(runIam(), [VOTE_USE]);
    expect(voteAccess(read)).toBeNull();
  });
});

import {
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
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import * as aws from '../__fixtures__/aws';
import { iamAccessDenied, testAwsClients } from '../__testUtils__/awsClients';
import { CachedLoader } from './CachedLoader';
import { IamService } from './IamService';
import { memoryCache } from '../__testUtils__/memoryCache';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());
afterAll(() => iam.restore());

function service(simulate = true) {
  const clients = testAwsClients();
  return new IamService({
    clients,
    loader: new CachedLoader({
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    }),
    ttlMs: 60_000,
    simulate,
  });
}

const READ = { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' };
const WRITE = {
  Effect: 'Allow',
  Action: 'dynamodb:UpdateItem',
  Resource: aws.tableArn('votes'),
};

describe('IamService', () => {
  it('reads a role: its trust policy and every identity policy, attached and inline, each list paged', async () => {
    iam
      .on(GetRoleCommand, { RoleName: 'vote' })
      .resolves(aws.getRole('vote', aws.irsaTrust('vote', 'vote')));
    iam
      .on(ListAttachedRolePoliciesCommand, { Marker: undefined })
      .resolves({
        AttachedPolicies: [
          { PolicyName: 'read', PolicyArn: aws.policyArn('read') },
        ],
        IsTruncated: true,
        Marker: 'm1',
      })
      .on(ListAttachedRolePoliciesCommand, { Marker: 'm1' })
      .resolves({
        AttachedPolicies: [
          { PolicyName: 'write', PolicyArn: aws.policyArn('write') },
        ],
        IsTruncated: false,
      });
    for (const [name, statement] of [
      ['read', READ],
      ['write', WRITE],
    ] as const) {
      iam
        .on(GetPolicyCommand, { PolicyArn: aws.policyArn(name) })
        .resolves({ Policy: { DefaultVersionId: 'v3' } });
      iam
        .on(GetPolicyVersionCommand, {
          PolicyArn: aws.policyArn(name),
          VersionId: 'v3',
        })
        .resolves(aws.policyVersion([statement]));
    }
    iam
      .on(ListRolePoliciesCommand)
      .resolves({ PolicyNames: ['inline'], IsTruncated: false });
    iam.on(GetRolePolicyCommand, { PolicyName: 'inline' }).resolves({
      RoleName: 'vote',
      PolicyName: 'inline',
      PolicyDocument: encodeURIComponent(
        JSON.stringify({ Version: '2012-10-17', Statement: [READ] }),
      ),
    });

    const role = await service().getRole(aws.roleArn('vote'));
    expect(role.status).toBe('found');
    if (role.status !== 'found') throw new Error('no role');
    expect(role.value.trustPolicy.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity' }),
    ]);
    expect(role.value.policies).toEqual({
      status: 'found',
      value: [
        expect.objectContaining({ Statement: [READ] }),
        expect.objectContaining({ Statement: [WRITE] }),
        expect.objectContaining({ Statement: [READ] }),
      ],
    });
  });

  it('says not-found for a role IAM does not have, and unknown for policies it may not list', async () => {
    iam.on(GetRoleCommand, { RoleName: 'gone' }).rejects(
      new NoSuchEntityException({
        $metadata: { httpStatusCode: 404 },
        message: 'The role with name gone cannot be found.',
      }),
    );
    expect(await service().getRole(aws.roleArn('gone'))).toEqual({
      status: 'not-found',
    });

    iam
      .on(GetRoleCommand, { RoleName: 'vote' })
      .resolves(aws.getRole('vote', aws.irsaTrust('vote', 'vote')));
    iam
      .on(ListAttachedRolePoliciesCommand)
      .rejects(iamAccessDenied('iam:ListAttachedRolePolicies'));
    iam
      .on(ListRolePoliciesCommand)
      .resolves({ PolicyNames: [], IsTruncated: false });
    const role = await service().getRole(aws.roleArn('vote'));
    expect(role).toMatchObject({
      status: 'found',
      value: {
        policies: {
          status: 'unknown',
          reason: expect.stringMatching(/^AccessDenied: /),
        },
      },
    });
  });

  it("reads an OIDC provider's client ids, or says it is not registered", async () => {
    iam
      .on(GetOpenIDConnectProviderCommand, {
        OpenIDConnectProviderArn: aws.PROVIDER_ARN,
      })
      .resolves({ Url: aws.ISSUER_HOST, ClientIDList: ['sts.amazonaws.com'] });
    const iamService = service();
    expect(
      await iamService.getOidcProvider(aws.PROVIDER_ARN, aws.ACCOUNT),
    ).toEqual({
      status: 'found',
      value: { arn: aws.PROVIDER_ARN, clientIds: ['sts.amazonaws.com'] },
    });
    const other = `${aws.PROVIDER_ARN}-other`;
    iam
      .on(GetOpenIDConnectProviderCommand, { OpenIDConnectProviderArn: other })
      .rejects(
        new NoSuchEntityException({
          $metadata: { httpStatusCode: 404 },
          message: `OpenIDConnect Provider not found for arn ${other}`,
        }),
      );
    expect(await iamService.getOidcProvider(other, aws.ACCOUNT)).toEqual({
      status: 'not-found',
    });
  });

  it("simulates a role's table actions, and leaves it to the local evaluation where denied or switched off", async () => {
    iam
      .on(SimulatePrincipalPolicyCommand, {
        PolicySourceArn: aws.roleArn('vote'),
      })
      .resolves({
        EvaluationResults: [
          { EvalActionName: 'dynamodb:GetItem', EvalDecision: 'allowed' },
          {
            EvalActionName: 'dynamodb:UpdateItem',
            EvalDecision: 'implicitDeny',
          },
        ],
      });
    const actions = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];
    const iamService = service();
    expect(
      await iamService.simulateTableAccess(
        aws.roleArn('vote'),
        aws.tableArn('votes'),
        actions,
      ),
    ).toEqual({
      'dynamodb:GetItem': 'allowed',
      'dynamodb:UpdateItem': 'implicitDeny',
    });

    iam
      .on(SimulatePrincipalPolicyCommand, {
        PolicySourceArn: aws.roleArn('other'),
      })
      .rejects(iamAccessDenied('iam:SimulatePrincipalPolicy'));
    expect(
      await iamService.simulateTableAccess(
        aws.roleArn('other'),
        aws.tableArn('votes'),
        actions,
      ),
    ).toBeUndefined();
    // Denied is cached like an answer: IAM is not asked again.
    await iamService.simulateTableAccess(
      aws.roleArn('other'),
      aws.tableArn('votes'),
      actions,
    );
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(2);

    expect(
      await service(false).simulateTableAccess(
        aws.roleArn('vote'),
        aws.tableArn('votes'),
        actions,
      ),
    ).toBeUndefined();
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(2);
  });
});

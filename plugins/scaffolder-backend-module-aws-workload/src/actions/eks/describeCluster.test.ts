import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import yaml from 'yaml';
import { createDescribeClusterAction } from './describeCluster';
import { examples } from './describeCluster.examples';

const eks = mockClient(EKSClient);
const iam = mockClient(IAMClient);
const ISSUER =
  'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';
const PROVIDER =
  'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';

const configured: AwsCredentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIATESTONLY00000000',
      secretAccessKey: 'test',
    }),
  }),
};
const unconfigured: AwsCredentialsManager = {
  getCredentialProvider: async opts => {
    throw new Error(
      `There is no AWS integration that matches ${opts?.accountId}`,
    );
  },
};

const input = {
  accountId: '123456789012',
  region: 'eu-west-3',
  clusterName: 'vote-demo',
};

function run(
  overrides: Partial<typeof input> = {},
  options: { dryRun?: boolean; credentials?: AwsCredentialsManager } = {},
) {
  const action = createDescribeClusterAction({
    credentials: options.credentials ?? configured,
  });
  const ctx = createMockActionContext({ input: { ...input, ...overrides } });
  // The mock context takes no isDryRun; the scaffolder sets it on the context.
  Object.assign(ctx, { isDryRun: options.dryRun ?? false });
  jest.spyOn(ctx, 'checkpoint');
  return { ctx, done: action.handler(ctx as any) };
}

const outputs = (ctx: ReturnType<typeof createMockActionContext>) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

describe('aws:eks:describe-cluster', () => {
  beforeEach(() => {
    eks.reset();
    iam.reset();
    eks.on(DescribeClusterCommand, { name: 'vote-demo' }).resolves({
      cluster: {
        name: 'vote-demo',
        arn: 'arn:aws:eks:eu-west-3:123456789012:cluster/vote-demo',
        version: '1.33',
        endpoint:
          'https://5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B.gr7.eu-west-3.eks.amazonaws.com',
        identity: { oidc: { issuer: ISSUER } },
      },
    });
    iam
      .on(GetOpenIDConnectProviderCommand, {
        OpenIDConnectProviderArn: PROVIDER,
      })
      .resolves({
        ClientIDList: ['sts.amazonaws.com'],
        Url: ISSUER.replace('https://', ''),
      });
  });

  it('outputs the endpoint, version, issuer, derived provider ARN, registration and cluster ARN', async () => {
    const { ctx, done } = run();
    await done;
    expect(outputs(ctx)).toEqual({
      endpoint:
        'https://5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B.gr7.eu-west-3.eks.amazonaws.com',
      kubernetesVersion: '1.33',
      oidcIssuerUrl: ISSUER,
      oidcProviderArn: PROVIDER,
      oidcProviderRegistered: true,
      clusterArn: 'arn:aws:eks:eu-west-3:123456789012:cluster/vote-demo',
    });
  });

  it('runs the AWS calls inside a checkpoint', async () => {
    const { ctx, done } = run();
    await done;
    expect(ctx.checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({
        key: 'aws-eks-describe-cluster:123456789012:eu-west-3:vote-demo',
      }),
    );
  });

  it('reports an unregistered provider, or one without the sts audience, as not registered', async () => {
    iam.on(GetOpenIDConnectProviderCommand).rejects(
      Object.assign(new Error('not found'), {
        name: 'NoSuchEntityException',
      }),
    );
    let { ctx, done } = run();
    await done;
    expect(outputs(ctx).oidcProviderRegistered).toBe(false);
    iam
      .on(GetOpenIDConnectProviderCommand)
      .resolves({ ClientIDList: ['other'] });
    ({ ctx, done } = run());
    await done;
    expect(outputs(ctx).oidcProviderRegistered).toBe(false);
  });

  it('returns clearly fake placeholders in a dry run and calls nothing', async () => {
    const { ctx, done } = run({}, { dryRun: true, credentials: unconfigured });
    await done;
    expect(outputs(ctx).endpoint).toContain('DRYRUN');
    expect(outputs(ctx).oidcProviderArn).toMatch(
      /^arn:aws:iam::123456789012:oidc-provider\/oidc\.eks\.eu-west-3\.amazonaws\.com\/id\/DRYRUN/,
    );
    expect(eks.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });

  it('names the config key to set when the account has no credentials', async () => {
    const { done } = run({}, { credentials: unconfigured });
    await expect(done).rejects.toThrow(InputError);
    await expect(run({}, { credentials: unconfigured }).done).rejects.toThrow(
      /aws\.accounts/,
    );
  });

  it('says which cluster does not exist', async () => {
    eks.on(DescribeClusterCommand).rejects(
      Object.assign(new Error('No cluster found'), {
        name: 'ResourceNotFoundException',
      }),
    );
    await expect(run({ clusterName: 'nope' }).done).rejects.toThrow(
      /clusterName: no EKS cluster named nope/,
    );
  });

  it.each([
    [{ accountId: '1234' }, /^accountId must be 12 digits/],
    [{ region: 'moon-1' }, /^region must be an AWS region code/],
    [{ clusterName: 'bad name"' }, /^clusterName must be/],
  ])('rejects %j before any call', async (bad, message) => {
    await expect(run(bad).done).rejects.toThrow(message);
    expect(eks.calls()).toHaveLength(0);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example "%s"',
    async (_, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe('aws:eks:describe-cluster');
      // Template expressions are filled with the wizard's values first.
      const filled = Object.fromEntries(
        Object.entries(step.input as Record<string, string>).map(([k, v]) => [
          k,
          v.startsWith('${{') ? input[k as keyof typeof input] : v,
        ]),
      );
      const { ctx, done } = run(filled);
      await done;
      expect(outputs(ctx).oidcProviderRegistered).toBe(true);
    },
  );
});

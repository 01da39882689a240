import {
  DescribeAddonCommand,
  DescribeFargateProfileCommand,
  EKSClient,
  ListFargateProfilesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import yaml from 'yaml';
import { createCheckPodIdentityAction } from './checkPodIdentity';
import { examples } from './checkPodIdentity.examples';

const eks = mockClient(EKSClient);
const credentials: AwsCredentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIATESTONLY00000000',
      secretAccessKey: 'test',
    }),
  }),
};
const input = yaml.parse(examples[0].example).steps[0].input;

/** The shapes EKS answers with (DescribeAddon, DescribeFargateProfile). */
function cluster(options: {
  agent?: 'ACTIVE' | 'DEGRADED' | 'missing';
  profiles?: { name: string; selectors: object[] }[];
}) {
  const agent = options.agent ?? 'ACTIVE';
  if (agent === 'missing') {
    eks.on(DescribeAddonCommand).rejects(
      new ResourceNotFoundException({
        message: 'No addon: eks-pod-identity-agent found in cluster: vote-demo',
        $metadata: {},
      }),
    );
  } else {
    eks.on(DescribeAddonCommand).resolves({
      addon: {
        addonName: 'eks-pod-identity-agent',
        clusterName: 'vote-demo',
        status: agent,
        addonVersion: 'v1.3.4-eksbuild.1',
      },
    });
  }
  const profiles = options.profiles ?? [];
  eks.on(ListFargateProfilesCommand).resolves({
    fargateProfileNames: profiles.map(p => p.name),
  });
  for (const p of profiles) {
    eks
      .on(DescribeFargateProfileCommand, { fargateProfileName: p.name })
      .resolves({
        fargateProfile: {
          fargateProfileName: p.name,
          clusterName: 'vote-demo',
          status: 'ACTIVE',
          selectors: p.selectors,
        },
      });
  }
}

async function run(dryRun = false) {
  const ctx = createMockActionContext({ input });
  Object.assign(ctx, { isDryRun: dryRun });
  await createCheckPodIdentityAction({ credentials }).handler(ctx as any);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('aws:eks:check-pod-identity', () => {
  beforeEach(() => eks.reset());

  it('passes where the agent is active and no Fargate profile takes the pods', async () => {
    cluster({
      profiles: [
        { name: 'system', selectors: [{ namespace: 'kube-system' }] },
        {
          name: 'batch',
          selectors: [{ namespace: 'vote', labels: { tier: 'batch' } }],
        },
      ],
    });
    await expect(run()).resolves.toEqual({
      checked: true,
      agentStatus: 'ACTIVE',
    });
    expect(eks.commandCalls(DescribeAddonCommand)[0].args[0].input).toEqual({
      clusterName: 'vote-demo',
      addonName: 'eks-pod-identity-agent',
    });
  });

  it('says how to install a missing agent', async () => {
    cluster({ agent: 'missing' });
    const failure = run();
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      /^clusterName: Pod Identity needs the eks-pod-identity-agent add-on on vote-demo, which is not installed\. Install it \(aws eks create-addon --cluster-name vote-demo --addon-name eks-pod-identity-agent --region eu-west-3\)/,
    );
  });

  it('refuses an agent that is not active', async () => {
    cluster({ agent: 'DEGRADED' });
    await expect(run()).rejects.toThrow(/which is DEGRADED/);
  });

  it('refuses pods that a Fargate profile takes, wildcards included', async () => {
    cluster({
      profiles: [{ name: 'apps', selectors: [{ namespace: 'vo*' }] }],
    });
    await expect(run()).rejects.toThrow(
      /^namespace: Fargate profile apps runs the pods of vote on vote-demo, and Pod Identity does not work on Fargate/,
    );
  });

  it('looks nothing up in a dry run', async () => {
    await expect(run(true)).resolves.toEqual({
      checked: false,
      agentStatus: 'not checked',
    });
    expect(eks.calls()).toHaveLength(0);
  });
});

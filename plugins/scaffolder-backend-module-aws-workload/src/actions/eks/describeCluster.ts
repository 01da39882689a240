import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  awsArn,
  oidcProviderArnForIssuer,
  partitionOfRegion,
} from '@aws-workload/plugin-aws-workload-common';
import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { credentialsFor, validateClusterInput } from './credentials';
import { examples } from './describeCluster.examples';

const STS_AUDIENCE = 'sts.amazonaws.com';

export interface ClusterFacts {
  endpoint: string;
  kubernetesVersion: string;
  oidcIssuerUrl: string;
  oidcProviderArn: string;
  oidcProviderRegistered: boolean;
  clusterArn: string;
  [key: string]: string | boolean;
}

/** Obviously fake values for dry runs: nothing is looked up. */
export function dryRunFacts(
  accountId: string,
  region: string,
  clusterName: string,
): ClusterFacts {
  const { dnsSuffix } = partitionOfRegion(region);
  const issuer = `https://oidc.eks.${region}.${dnsSuffix}/id/DRYRUN00000000000000000000000000`;
  return {
    endpoint: `https://DRYRUN00000000000000000000000000.gr7.${region}.eks.${dnsSuffix}`,
    kubernetesVersion: '0.0-dry-run',
    oidcIssuerUrl: issuer,
    oidcProviderArn: oidcProviderArnForIssuer(
      issuer,
      accountId,
      partitionOfRegion(region).partition,
    ),
    oidcProviderRegistered: false,
    clusterArn: awsArn({
      region,
      service: 'eks',
      accountId,
      resource: `cluster/${clusterName}`,
    }),
  };
}

const isNotFound = (e: unknown) =>
  (e as Error)?.name === 'NoSuchEntityException';

/**
 * Reads an existing EKS cluster, and whether its OIDC provider is registered in IAM.
 *
 * @public
 */
export function createDescribeClusterAction(options: {
  credentials: AwsCredentialsManager;
}) {
  return createTemplateAction({
    id: 'aws:eks:describe-cluster',
    description:
      'Reads an existing EKS cluster (DescribeCluster): endpoint, Kubernetes version, OIDC issuer, the IAM OIDC provider ARN derived from it and whether that provider is registered with the sts.amazonaws.com client id.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe('The 12-digit AWS account id that owns the cluster'),
        region: z =>
          z
            .string()
            .describe('The AWS region of the cluster, such as eu-west-3'),
        clusterName: z => z.string().describe('The EKS name of the cluster'),
      },
      output: {
        endpoint: z => z.string().describe('The Kubernetes API server URL'),
        kubernetesVersion: z =>
          z.string().describe('The Kubernetes version, such as 1.33'),
        oidcIssuerUrl: z =>
          z.string().describe("The cluster's OIDC issuer URL"),
        oidcProviderArn: z =>
          z
            .string()
            .describe(
              'arn:<partition>:iam::<account>:oidc-provider/<issuer without https://>',
            ),
        oidcProviderRegistered: z =>
          z
            .boolean()
            .describe(
              'Whether IAM has that provider with sts.amazonaws.com among its client ids',
            ),
        clusterArn: z => z.string().describe('The ARN of the cluster'),
      },
    },
    async handler(ctx) {
      const { accountId, region, clusterName } = validateClusterInput(
        ctx.input,
      );

      const facts = ctx.isDryRun
        ? dryRunFacts(accountId, region, clusterName)
        : await ctx.checkpoint({
            key: `aws-eks-describe-cluster:${accountId}:${region}:${clusterName}`,
            fn: async (): Promise<ClusterFacts> => {
              const credentials = await credentialsFor(
                options.credentials,
                accountId,
              );
              const eks = new EKSClient({ region, credentials });
              const { cluster } = await eks
                .send(new DescribeClusterCommand({ name: clusterName }))
                .catch(e => {
                  if ((e as Error).name === 'ResourceNotFoundException') {
                    throw new InputError(
                      `clusterName: no EKS cluster named ${clusterName} in ${accountId} ${region}`,
                    );
                  }
                  throw e;
                });
              const issuer = cluster?.identity?.oidc?.issuer;
              if (!issuer)
                throw new InputError(
                  `clusterName: cluster ${clusterName} has no OIDC issuer`,
                );
              const providerArn = oidcProviderArnForIssuer(
                issuer,
                accountId,
                partitionOfRegion(region).partition,
              );
              const iam = new IAMClient({ region, credentials });
              const registered = await iam
                .send(
                  new GetOpenIDConnectProviderCommand({
                    OpenIDConnectProviderArn: providerArn,
                  }),
                )
                .then(p => (p.ClientIDList ?? []).includes(STS_AUDIENCE))
                .catch(e => {
                  if (isNotFound(e)) return false;
                  throw e;
                });
              return {
                endpoint: cluster?.endpoint ?? '',
                kubernetesVersion: cluster?.version ?? '',
                oidcIssuerUrl: issuer,
                oidcProviderArn: providerArn,
                oidcProviderRegistered: registered,
                clusterArn: cluster?.arn ?? '',
              };
            },
          });

      ctx.output('endpoint', facts.endpoint);
      ctx.output('kubernetesVersion', facts.kubernetesVersion);
      ctx.output('oidcIssuerUrl', facts.oidcIssuerUrl);
      ctx.output('oidcProviderArn', facts.oidcProviderArn);
      ctx.output('oidcProviderRegistered', facts.oidcProviderRegistered);
      ctx.output('clusterArn', facts.clusterArn);
    },
  });
}

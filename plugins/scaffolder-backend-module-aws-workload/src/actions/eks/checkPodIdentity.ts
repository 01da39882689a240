import {
  DescribeAddonCommand,
  DescribeFargateProfileCommand,
  EKSClient,
  paginateListFargateProfiles,
} from '@aws-sdk/client-eks';
import { fargateSelects } from '@aws-workload/plugin-aws-workload-common';
import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { validateName } from '../../validation';
import { credentialsFor, validateClusterInput } from './credentials';
import { examples } from './checkPodIdentity.examples';

export const POD_IDENTITY_AGENT = 'eks-pod-identity-agent';

/** The agent's add-on status, or `missing` when it is not installed. */
async function agentStatus(eks: EKSClient, clusterName: string) {
  try {
    const { addon } = await eks.send(
      new DescribeAddonCommand({ clusterName, addonName: POD_IDENTITY_AGENT }),
    );
    return addon?.status ?? 'UNKNOWN';
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return 'missing';
    throw e;
  }
}

/** The Fargate profiles that would run the workload's pods. */
async function fargateProfilesFor(
  eks: EKSClient,
  clusterName: string,
  namespace: string,
  labels: Record<string, string>,
): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListFargateProfiles(
    { client: eks },
    { clusterName },
  )) {
    names.push(...(page.fargateProfileNames ?? []));
  }
  const selecting: string[] = [];
  for (const fargateProfileName of names) {
    const { fargateProfile } = await eks.send(
      new DescribeFargateProfileCommand({ clusterName, fargateProfileName }),
    );
    const selectors = (fargateProfile?.selectors ?? []).map(s => ({
      namespace: s.namespace ?? '',
      labels: s.labels,
    }));
    if (selectors.some(s => fargateSelects(s, namespace, labels))) {
      selecting.push(fargateProfileName);
    }
  }
  return selecting;
}

/**
 * Checks that a workload can move to EKS Pod Identity: the cluster runs
 * the Pod Identity Agent add-on, and no Fargate profile takes its pods.
 *
 * @public
 */
export function createCheckPodIdentityAction(options: {
  credentials: AwsCredentialsManager;
}) {
  return createTemplateAction({
    id: 'aws:eks:check-pod-identity',
    description:
      'Checks that pods of a namespace can get credentials through EKS Pod Identity: the eks-pod-identity-agent add-on is ACTIVE on the cluster (DescribeAddon) and no Fargate profile selects the pods (Pod Identity does not run on Fargate). Fails with what to do otherwise. Looks nothing up in a dry run.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z.string().describe('The 12-digit AWS account id of the cluster'),
        region: z => z.string().describe('The AWS region of the cluster'),
        clusterName: z => z.string().describe('The EKS name of the cluster'),
        namespace: z =>
          z.string().describe('The Kubernetes namespace of the workload'),
        podLabels: z =>
          z
            .record(z.string())
            .optional()
            .describe(
              "The labels of the workload's pods, matched against Fargate selectors that name labels",
            ),
      },
      output: {
        checked: z =>
          z
            .boolean()
            .describe('False in a dry run, where nothing is looked up'),
        agentStatus: z =>
          z.string().describe('The add-on status (ACTIVE, ...), or missing'),
      },
    },
    async handler(ctx) {
      const { accountId, region, clusterName } = validateClusterInput(
        ctx.input,
      );
      const namespace = validateName(
        'serviceNamespace',
        'namespace',
        ctx.input.namespace,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: ${POD_IDENTITY_AGENT} and the Fargate profiles of ${clusterName} are not looked up`,
        );
        ctx.output('checked', false);
        ctx.output('agentStatus', 'not checked');
        return;
      }
      const eks = new EKSClient({
        region,
        credentials: await credentialsFor(options.credentials, accountId),
      });
      const status = await agentStatus(eks, clusterName);
      if (status !== 'ACTIVE') {
        throw new InputError(
          `clusterName: Pod Identity needs the ${POD_IDENTITY_AGENT} add-on on ${clusterName}, which is ${
            status === 'missing' ? 'not installed' : status
          }. Install it (aws eks create-addon --cluster-name ${clusterName} --addon-name ${POD_IDENTITY_AGENT} --region ${region}), wait for ACTIVE, then run this again.`,
        );
      }
      const profiles = await fargateProfilesFor(
        eks,
        clusterName,
        namespace,
        ctx.input.podLabels ?? {},
      );
      if (profiles.length > 0) {
        throw new InputError(
          `namespace: Fargate profile ${profiles.join(
            ', ',
          )} runs the pods of ${namespace} on ${clusterName}, and Pod Identity does not work on Fargate: keep IRSA for this workload.`,
        );
      }
      ctx.output('checked', true);
      ctx.output('agentStatus', status);
    },
  });
}

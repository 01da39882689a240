import { ResourceNotFoundException } from '@aws-sdk/client-eks';
import {
  EksClusterCheck,
  EksClusterCheckRequest,
  oidcProviderArnForIssuer,
  partitionOfRegion,
} from '@aws-workload/plugin-aws-workload-common';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import { MissingCredentialsError } from '../clients/AwsClientFactory';
import { EksService } from '../clients/EksService';
import { IamService } from '../clients/IamService';

const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * Looks up the cluster a new service will run on, with the portal's own AWS
 * credentials, while the create-service wizard is being filled: a cluster
 * that is not there is reported on the form, before anything is created.
 */
export class ClusterCheckService {
  private readonly eks: EksService;
  private readonly iam: IamService;

  constructor(options: { eks: EksService; iam: IamService }) {
    this.eks = options.eks;
    this.iam = options.iam;
  }

  async check(request: EksClusterCheckRequest): Promise<EksClusterCheck> {
    const { accountId, region, clusterName } = request;
    const cluster = await this.eks
      .describeCluster({ name: clusterName, region, accountId })
      .catch(error => {
        if (error instanceof ResourceNotFoundException) {
          throw new NotFoundError(
            `There is no EKS cluster named ${clusterName} in account ${accountId}, region ${region}. Check the name, the account and the region (the portal looked with its own AWS credentials).`,
          );
        }
        // An account outside aws.accounts falls back to the default chain,
        // which has nothing to give on a portal that names its accounts.
        if (
          error instanceof MissingCredentialsError ||
          (isError(error) && error.name === 'CredentialsProviderError')
        ) {
          throw new InputError(
            `The portal has no AWS credentials for account ${accountId}, so it cannot look the cluster up: a platform engineer adds the account to aws.accounts in the portal's config.`,
          );
        }
        throw error;
      });
    return {
      clusterName,
      accountId,
      region,
      kubernetesVersion: cluster.version,
      oidcIssuer: cluster.oidcIssuer,
      oidcProvider: cluster.oidcIssuer
        ? await this.oidcProvider(cluster.oidcIssuer, accountId, region)
        : 'unknown',
    };
  }

  /** Whether IAM has the issuer's provider with STS among its audiences. */
  private async oidcProvider(
    issuer: string,
    accountId: string,
    region: string,
  ): Promise<EksClusterCheck['oidcProvider']> {
    const { partition } = partitionOfRegion(region);
    const provider = await this.iam.getOidcProvider(
      oidcProviderArnForIssuer(issuer, accountId, partition),
      accountId,
      partition,
    );
    if (provider.status === 'not-found') return 'not-registered';
    if (provider.status === 'unknown') return 'unknown';
    return provider.value.clientIds.includes(STS_AUDIENCE)
      ? 'registered'
      : 'not-registered';
  }
}

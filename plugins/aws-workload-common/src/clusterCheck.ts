import { isAwsAccountId, isAwsRegion } from './arn';

/**
 * The cluster a new service will run on, as the create-service wizard names
 * it before anything is created.
 *
 * @public
 */
export interface EksClusterCheckRequest {
  accountId: string;
  region: string;
  clusterName: string;
}

/**
 * What the portal found when it looked the cluster up with its own AWS
 * credentials. `oidcProvider` is information for IRSA: every flavour of the
 * template creates the provider when it is not registered.
 *
 * @public
 */
export interface EksClusterCheck {
  clusterName: string;
  accountId: string;
  region: string;
  kubernetesVersion?: string;
  oidcIssuer?: string;
  oidcProvider: 'registered' | 'not-registered' | 'unknown';
}

const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/**
 * The first field of a cluster check request that breaks its rule, in words
 * a person filling the form reads; undefined when all hold.
 *
 * @public
 */
export function eksClusterCheckProblem(
  request: Partial<Record<keyof EksClusterCheckRequest, unknown>>,
): { field: keyof EksClusterCheckRequest; message: string } | undefined {
  const { accountId, region, clusterName } = request;
  if (typeof accountId !== 'string' || !isAwsAccountId(accountId))
    return {
      field: 'accountId',
      message: 'accountId must be the 12 digits of an AWS account id',
    };
  if (typeof region !== 'string' || !isAwsRegion(region))
    return {
      field: 'region',
      message: 'region must be an AWS region code such as eu-west-3',
    };
  if (typeof clusterName !== 'string' || !EKS_CLUSTER_NAME.test(clusterName))
    return {
      field: 'clusterName',
      message:
        'clusterName must be 1 to 100 letters, digits, "-" or "_", starting with a letter or digit',
    };
  return undefined;
}

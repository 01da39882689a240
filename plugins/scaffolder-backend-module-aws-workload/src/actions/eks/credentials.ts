import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { validateName } from '../../validation';

/** The portal's credentials for an account (aws.accounts), or an error that says how to add them. */
export async function credentialsFor(
  manager: AwsCredentialsManager,
  accountId: string,
) {
  try {
    return (await manager.getCredentialProvider({ accountId }))
      .sdkCredentialProvider;
  } catch (e) {
    throw new InputError(
      `No AWS credentials for account ${accountId}: add it to aws.accounts in app-config (accountId with roleName, profile or accessKeyId), or set aws.mainAccount. ${
        (e as Error).message
      }`,
    );
  }
}

/** The cluster an EKS action names, each field checked (InputError naming it). */
export function validateClusterInput(input: {
  accountId: string;
  region: string;
  clusterName: string;
}) {
  return {
    accountId: validateName('awsAccountId', 'accountId', input.accountId),
    region: validateName('awsRegion', 'region', input.region),
    clusterName: validateName(
      'eksClusterName',
      'clusterName',
      input.clusterName,
    ),
  };
}

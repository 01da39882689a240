import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';

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

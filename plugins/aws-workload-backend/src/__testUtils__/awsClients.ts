import { IAMServiceException } from '@aws-sdk/client-iam';
import {
  AwsClientFactory,
  AwsClientOptions,
} from '../clients/AwsClientFactory';
import { ACCOUNT } from '../__fixtures__/aws';

/**
 * The plugin's AWS clients with local-only test keys, one attempt per call
 * and no endpoint overrides: what the service tests put behind
 * aws-sdk-client-mock.
 */
export function testAwsClients(
  options: Partial<AwsClientOptions> = {},
): AwsClientFactory {
  return new AwsClientFactory(
    {
      getCredentialProvider: async () => ({
        sdkCredentialProvider: async () => ({
          accessKeyId: 'AKIALOCALTESTONLY000',
          secretAccessKey: 'local-test-only',
        }),
      }),
    },
    { timeoutMs: 2000, maxAttempts: 1, endpoints: {}, ...options },
  );
}

/** IAM's AccessDenied for an action, as the SDK raises it for the portal's role. */
export const iamAccessDenied = (action: string) =>
  new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/backstage/portal is not authorized to perform: ${action}`,
  });

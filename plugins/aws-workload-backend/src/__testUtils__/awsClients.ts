import {
  AwsClientFactory,
  AwsClientOptions,
} from '../service/AwsClientFactory';

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

import { JsonObject } from '@backstage/types';
import * as aws from './aws';

/**
 * The backend config of the tests: one AWS account with local-only keys
 * (requests never leave the process) and the test cluster, read as the
 * Kubernetes plugin's config.
 */
export function testConfig(awsWorkload: JsonObject): JsonObject {
  return {
    aws: {
      accounts: [
        {
          accountId: aws.ACCOUNT,
          accessKeyId: 'AKIALOCALTESTONLY000',
          secretAccessKey: 'local-test-only',
        },
      ],
    },
    awsWorkload,
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: aws.CLUSTER,
              url: aws.CLUSTER_URL,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'cluster-reader-token',
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
  };
}

import {
  DescribeSecretCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { Lookup } from '@aws-workload/plugin-aws-workload-common';
import { cacheKey, ReaderOptions } from './CachedLoader';
import { lookup } from '../lib/lookup';

export interface SecretFacts {
  arn: string;
  kmsKeyId?: string;
}

/**
 * Secrets Manager, read for metadata only: a secret's ARN and key. The
 * plugin never calls GetSecretValue, so no secret value can reach it.
 */
export class SecretsManagerService {
  constructor(private readonly options: ReaderOptions) {}

  describeSecret(
    secretId: string,
    accountId: string | undefined,
    region: string,
  ): Promise<Lookup<SecretFacts>> {
    return lookup(() =>
      this.options.loader.load<Lookup<SecretFacts>>(
        cacheKey('secretsmanager:secret', accountId, region, secretId),
        this.options.ttlMs,
        async () => {
          const client = await this.options.clients.client(
            'secretsmanager',
            accountId,
            region,
          );
          try {
            const secret = await client.send(
              new DescribeSecretCommand({ SecretId: secretId }),
            );
            return {
              status: 'found',
              value: {
                arn: secret.ARN ?? secretId,
                ...(secret.KmsKeyId ? { kmsKeyId: secret.KmsKeyId } : {}),
              },
            } as const;
          } catch (e) {
            if (e instanceof ResourceNotFoundException)
              return { status: 'not-found' } as const;
            throw e;
          }
        },
      ),
    );
  }
}

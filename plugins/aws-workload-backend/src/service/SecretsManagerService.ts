import {
  DescribeSecretCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { Lookup } from '@aws-workload/plugin-aws-workload-common';
import { AwsClientFactory } from './AwsClientFactory';
import { cacheKey, Loader, ReaderOptions } from './CachedLoader';
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
  private readonly clients: AwsClientFactory;
  private readonly loader: Loader;
  private readonly ttlMs: number;

  constructor(options: ReaderOptions) {
    this.clients = options.clients;
    this.loader = options.loader;
    this.ttlMs = options.ttlMs;
  }

  describeSecret(
    secretId: string,
    accountId: string | undefined,
    region: string,
  ): Promise<Lookup<SecretFacts>> {
    return lookup(() =>
      this.loader.load<Lookup<SecretFacts>>(
        cacheKey('secretsmanager:secret', accountId, region, secretId),
        this.ttlMs,
        async () => {
          const client = await this.clients.client(
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

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsWorkloadUpstreams } from '@aws-workload/plugin-aws-workload-node';
import {
  AwsWorkloadConfig,
  readAwsWorkloadConfig,
} from '../config/readAwsWorkloadConfig';
import { isMissingAwsIntegration } from '../lib/awsErrors';
import { RequestGate } from './RequestGate';

type Service = 'dynamodb' | 'ecr' | 'eks' | 'iam' | 'secretsmanager';
type ClientOf = {
  dynamodb: DynamoDBClient;
  ecr: ECRClient;
  eks: EKSClient;
  iam: IAMClient;
  secretsmanager: SecretsManagerClient;
};
const CLIENTS = {
  dynamodb: DynamoDBClient,
  ecr: ECRClient,
  eks: EKSClient,
  iam: IAMClient,
  secretsmanager: SecretsManagerClient,
};

export interface AwsClientOptions {
  timeoutMs: number;
  /**
   * Attempts per call, the first included, made by the gate: the one retry
   * layer (the SDK's own retries are off). Without a gate, one attempt.
   */
  maxAttempts: number;
  endpoints: Partial<Record<Service | 'sts', string>>;
  /** Bounds calls per account and retries throttled and transient failures. */
  gate?: RequestGate;
}

/** The portal's config has no credentials for an account an entity names. */
export class MissingCredentialsError extends Error {
  readonly name = 'MissingCredentialsError';
}

/**
 * AWS SDK clients per service, account and region, with credentials from
 * `aws.accounts` (@backstage/integration-aws-node), a timeout on every call
 * and one retry layer: the gate's (the SDK's own retries are off, so a
 * throttled call is tried `maxAttempts` times, not that many times the
 * SDK's).
 */
export class AwsClientFactory {
  private readonly clients = new Map<string, unknown>();

  /** From config; a module's upstreams stand in for what config leaves out. */
  static fromConfig(
    config: Config,
    upstreams?: AwsWorkloadUpstreams,
  ): AwsClientFactory {
    return AwsClientFactory.fromSettings(readAwsWorkloadConfig(config), {
      credentials:
        upstreams?.credentials ??
        DefaultAwsCredentialsManager.fromConfig(config),
      upstreams,
    });
  }

  /** From the plugin's settings, read once; the upstreams module's endpoints under the configured ones. */
  static fromSettings(
    settings: AwsWorkloadConfig,
    options: {
      credentials: AwsCredentialsManager;
      upstreams?: AwsWorkloadUpstreams;
    },
  ): AwsClientFactory {
    return new AwsClientFactory(options.credentials, {
      timeoutMs: settings.upstreamTimeoutMs,
      maxAttempts: settings.callAttempts,
      endpoints: {
        ...options.upstreams?.endpoints,
        ...(settings.endpoints as AwsClientOptions['endpoints']),
      },
      gate: new RequestGate(settings.gate),
    });
  }

  constructor(
    private readonly credentials: AwsCredentialsManager,
    readonly options: AwsClientOptions,
  ) {}

  /** Credentials of an account; the main account when none is given. */
  async credentialProvider(
    accountId?: string,
  ): Promise<AwsCredentialIdentityProvider> {
    try {
      const provider = await this.credentials.getCredentialProvider(
        accountId ? { accountId } : undefined,
      );
      return provider.sdkCredentialProvider;
    } catch (e) {
      if (isMissingAwsIntegration(e)) {
        throw new MissingCredentialsError(
          `No AWS credentials for account ${accountId}: add it to aws.accounts (with roleName, profile or accessKeyId) in app-config`,
        );
      }
      throw e;
    }
  }

  /**
   * Credentials of the account an ARN belongs to, where `aws.accounts` has it;
   * undefined where no integration matches (callers fall back to the main
   * account, as the Kubernetes plugin's AwsIamStrategy does).
   */
  async credentialProviderForArn(
    arn: string,
  ): Promise<AwsCredentialIdentityProvider | undefined> {
    try {
      return (await this.credentials.getCredentialProvider({ arn }))
        .sdkCredentialProvider;
    } catch (e) {
      if (isMissingAwsIntegration(e)) return undefined;
      throw e;
    }
  }

  async client<S extends Service>(
    service: S,
    accountId: string | undefined,
    region: string,
  ): Promise<ClientOf[S]> {
    const key = `${service}|${accountId ?? ''}|${region}`;
    let client = this.clients.get(key) as ClientOf[S] | undefined;
    if (!client) {
      const Client = CLIENTS[service] as any;
      client = new Client({
        region,
        credentials: await this.credentialProvider(accountId),
        // The gate is the one retry layer.
        maxAttempts: 1,
        endpoint: this.options.endpoints[service],
        requestHandler: new NodeHttpHandler({
          connectionTimeout: this.options.timeoutMs,
          requestTimeout: this.options.timeoutMs,
        }),
      }) as ClientOf[S];
      this.gated(client, service, accountId);
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * Routes the client's send through the gate. It wraps send rather than
   * adding an SDK middleware so that the bounds hold for any transport,
   * including the client mocks of the tests and the benchmark.
   */
  private gated(client: { send: any }, service: Service, accountId?: string) {
    const { gate, maxAttempts } = this.options;
    if (!gate) return;
    const send = client.send.bind(client);
    client.send = (...args: unknown[]) =>
      gate.run(accountId ?? 'main', service, () => send(...args), maxAttempts);
  }

  /** The same credentials behind another gate, e.g. the fleet refresh's own. */
  withGate(gate: RequestGate, maxAttempts: number): AwsClientFactory {
    return new AwsClientFactory(this.credentials, {
      ...this.options,
      gate,
      maxAttempts,
    });
  }
}

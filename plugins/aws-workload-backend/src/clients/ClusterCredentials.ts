import { partitionOfRegion } from '@aws-workload/plugin-aws-workload-common';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import { AwsClientFactory } from './AwsClientFactory';
import { ClusterDetails, eksRefOf } from './ClusterConfig';
import { eksBearerToken } from './eksToken';

/** Auth providers the Kubernetes plugin runs in the browser, with each user's own token. */
const CLIENT_SIDE_PROVIDERS = new Set(['google', 'oidc', 'aks']);

/** A cluster whose auth provider the backend cannot, or must not, use. */
export class UnsupportedClusterAuthError extends Error {
  readonly name = 'UnsupportedClusterAuthError';
  constructor(cluster: ClusterDetails) {
    super(
      CLIENT_SIDE_PROVIDERS.has(cluster.authProvider)
        ? `Cluster ${cluster.name} uses the ${cluster.authProvider} auth provider, which the Kubernetes plugin reads with each signed-in user's own token; the aws-workload backend has no such token and sends none of its own, so it cannot read this cluster. Give the backend a server-side identity for it (authProvider aws or serviceAccount) to see its workloads here.`
        : `Cluster ${cluster.name} uses the ${cluster.authProvider} auth provider, which the aws-workload backend does not support: use aws or serviceAccount.`,
    );
  }
}

/** EKS tokens last 15 minutes; one is reused for 10. */
const TOKEN_TTL_MS = 10 * 60_000;
/** Assumed-role credentials are renewed this long before they expire, so no cached token outlives them. */
const RENEW_BEFORE_EXPIRY_MS = 15 * 60_000;

/**
 * The identity the backend shows each cluster, as the Kubernetes plugin's
 * AwsIamStrategy and ServiceAccountStrategy build it:
 * - `aws`: base credentials of `kubernetes.io/aws-account-id` (in
 *   `aws.accounts`), else of the assumed role's account, else of
 *   `aws.mainAccount`; then `AssumeRole(RoleArn, ExternalId)` where a role is
 *   configured; the token is signed for the cluster's own region and partition;
 * - `serviceAccount`: the configured token, else the backend pod's own
 *   ServiceAccount token (in cluster);
 * - anything else: refused, and nothing is sent.
 * Tokens and assumed credentials stay in this process's memory: never in the
 * shared cache.
 */
export class ClusterCredentials {
  private readonly tokens = new Map<
    string,
    { expiresAt: number; token: Promise<string> }
  >();
  private readonly assumed = new Map<string, AwsCredentialIdentityProvider>();

  constructor(
    private readonly options: {
      aws: AwsClientFactory;
      /** Reads the backend pod's own ServiceAccount token, when in a cluster. */
      inClusterToken: () => Promise<string | undefined>;
    },
  ) {}

  /** The bearer token for a cluster; throws before anything is sent where there is none to send. */
  async token(cluster: ClusterDetails): Promise<string | undefined> {
    switch (cluster.authProvider) {
      case 'aws':
        return this.eksToken(cluster);
      case 'serviceAccount':
        return cluster.serviceAccountToken ?? this.options.inClusterToken();
      default:
        throw new UnsupportedClusterAuthError(cluster);
    }
  }

  private eksToken(cluster: ClusterDetails): Promise<string> {
    const key = JSON.stringify([
      cluster.name,
      cluster.assumeRole ?? null,
      cluster.externalId ?? null,
    ]);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const ref = eksRefOf(cluster);
    const stsEndpoint = this.options.aws.options.endpoints.sts;
    const token = this.credentialsFor(cluster).then(credentials =>
      eksBearerToken(
        ref.name,
        ref.region,
        credentials,
        stsEndpoint
          ? new URL(stsEndpoint).host
          : `sts.${ref.region}.${partitionOfRegion(ref.region).dnsSuffix}`,
      ),
    );
    this.tokens.set(key, { expiresAt: Date.now() + TOKEN_TTL_MS, token });
    token.catch(() => this.tokens.delete(key));
    return token;
  }

  /** The credentials that sign the cluster's token. */
  async credentialsFor(
    cluster: ClusterDetails,
  ): Promise<AwsCredentialIdentityProvider> {
    const ref = eksRefOf(cluster);
    const base = await this.baseCredentials(cluster, ref.accountId);
    if (!cluster.assumeRole) return base;
    const key = JSON.stringify([
      cluster.assumeRole,
      cluster.externalId ?? null,
      ref.accountId ?? null,
    ]);
    let provider = this.assumed.get(key);
    if (!provider) {
      const stsEndpoint = this.options.aws.options.endpoints.sts;
      provider = renewedBeforeExpiry(
        fromTemporaryCredentials({
          masterCredentials: base,
          clientConfig: {
            region: ref.region,
            ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
          },
          params: {
            RoleArn: cluster.assumeRole,
            ExternalId: cluster.externalId,
            RoleSessionName: 'backstage-aws-workload',
          },
        }),
      );
      this.assumed.set(key, provider);
    }
    return provider;
  }

  private async baseCredentials(
    cluster: ClusterDetails,
    accountId: string | undefined,
  ): Promise<AwsCredentialIdentityProvider> {
    if (cluster.awsAccountId) {
      return this.options.aws.credentialProvider(cluster.awsAccountId);
    }
    if (cluster.assumeRole) {
      // The role's own account where aws.accounts has it, else the main account.
      return (
        (await this.options.aws.credentialProviderForArn(cluster.assumeRole)) ??
        this.options.aws.credentialProvider()
      );
    }
    return this.options.aws.credentialProvider(accountId);
  }
}

/** One set of credentials shared by every caller until shortly before it expires. */
function renewedBeforeExpiry(
  provider: AwsCredentialIdentityProvider,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = 0;
  return () => {
    if (!current || Date.now() > expiresAt - RENEW_BEFORE_EXPIRY_MS) {
      const next = provider();
      current = next;
      expiresAt = Number.MAX_SAFE_INTEGER;
      next.then(
        credentials => {
          expiresAt =
            credentials.expiration?.getTime() ?? Number.MAX_SAFE_INTEGER;
        },
        () => {
          if (current === next) current = undefined;
        },
      );
    }
    return current;
  };
}

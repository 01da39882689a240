import type { AwsWorkloadCluster } from '@aws-workload/plugin-aws-workload-node';
import { Config } from '@backstage/config';

/** A cluster from the Kubernetes plugin's `kubernetes.clusterLocatorMethods` (type `config`). */
export interface ClusterDetails {
  name: string;
  url: string;
  authProvider: string;
  caData?: string;
  skipTLSVerify: boolean;
  serviceAccountToken?: string;
  /** `kubernetes.io/x-k8s-aws-id`: the EKS name, when it differs from `name`. */
  awsClusterId?: string;
  /** `kubernetes.io/aws-assume-role`: the role the portal assumes to reach it. */
  assumeRole?: string;
  /** `kubernetes.io/aws-external-id`. */
  externalId?: string;
  /** The EKS region, where the URL does not tell it (upstreams from a module). */
  region?: string;
}

/** Clusters a module handed over through the upstreams extension point. */
export function clustersOfUpstreams(
  clusters: AwsWorkloadCluster[],
): ClusterDetails[] {
  return clusters.map(c => ({
    ...c,
    skipTLSVerify: c.skipTLSVerify ?? false,
  }));
}

/**
 * Reads the Kubernetes plugin's own cluster configuration, so a portal that
 * already shows pods needs no new cluster config. Only `config` locators are
 * read: `catalog` and `gke` locators are resolved inside the Kubernetes
 * backend, which offers no extension point to other plugins.
 */
export function readClusters(config: Config): ClusterDetails[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods
    .filter(m => m.getString('type') === 'config')
    .flatMap(m => m.getOptionalConfigArray('clusters') ?? [])
    .map(c => {
      // Read whole: its keys contain dots, which config paths cannot address.
      const auth = c.getOptional<Record<string, string>>('authMetadata') ?? {};
      return {
        name: c.getString('name'),
        url: c.getString('url'),
        authProvider: c.getOptionalString('authProvider') ?? 'serviceAccount',
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        serviceAccountToken: c.getOptionalString('serviceAccountToken'),
        awsClusterId: auth['kubernetes.io/x-k8s-aws-id'],
        assumeRole: auth['kubernetes.io/aws-assume-role'],
        externalId: auth['kubernetes.io/aws-external-id'],
      };
    });
}

/** The clusters an entity names (by config name or EKS name), or all of them. */
export function clustersFor(
  clusters: ClusterDetails[],
  clusterName?: string,
): ClusterDetails[] {
  if (!clusterName) return clusters;
  return clusters.filter(
    c => c.name === clusterName || c.awsClusterId === clusterName,
  );
}

/** The EKS name, region and account of a configured cluster, where it is an EKS one. */
export function eksRefOf(cluster: ClusterDetails) {
  const region =
    /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.eks\.amazonaws\.com(?:\.cn)?$/.exec(
      safeHost(cluster.url),
    )?.[1];
  const accountId = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(
    cluster.assumeRole ?? '',
  )?.[1];
  return {
    name: cluster.awsClusterId ?? cluster.name,
    region: cluster.region ?? region ?? process.env.AWS_REGION ?? 'us-east-1',
    accountId,
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

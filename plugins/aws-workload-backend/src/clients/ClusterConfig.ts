import { partitionOfRegion } from '@aws-workload/plugin-aws-workload-common';
import type { AwsWorkloadCluster } from '@aws-workload/plugin-aws-workload-node';
import { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ACCOUNT_ID,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_CLUSTER_ID,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';

/** A cluster from the Kubernetes plugin's `kubernetes.clusterLocatorMethods` (type `config`). */
/**
 * A custom resource the Kubernetes plugin is told to fetch
 * (`kubernetes.customResources`): listed too, and classified when its
 * objects carry a pod spec (Argo Rollouts, Knative Services, ...).
 */
export interface CustomResourceRef {
  group: string;
  apiVersion: string;
  plural: string;
}

export interface ClusterDetails {
  name: string;
  url: string;
  /** `aws` and `serviceAccount` are read server-side; other providers are refused. */
  authProvider: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  serviceAccountToken?: string;
  /** `kubernetes.io/x-k8s-aws-id`: the EKS name, when it differs from `name`. */
  awsClusterId?: string;
  /** `kubernetes.io/aws-account-id`: the account whose credentials sign (or assume the role). */
  awsAccountId?: string;
  /** `kubernetes.io/aws-assume-role`: the role the portal assumes to reach it. */
  assumeRole?: string;
  /** The cluster's `customResources`, else `kubernetes.customResources`. */
  customResources?: CustomResourceRef[];
  /** `kubernetes.io/aws-external-id`. */
  externalId?: string;
  /** The EKS region, where the URL does not tell it (upstreams from a module). */
  region?: string;
}

/** The top-level forms the Kubernetes plugin folds into the auth metadata. */
function topLevelAuthMetadata(c: Config): Record<string, string> {
  const metadata: Record<string, string> = {};
  const token = c.getOptionalString('serviceAccountToken');
  const assumeRole = c.getOptionalString('assumeRole');
  const externalId = c.getOptionalString('externalId');
  if (token) metadata.serviceAccountToken = token;
  if (assumeRole) metadata[ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE] = assumeRole;
  if (externalId) metadata[ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID] = externalId;
  return metadata;
}

/**
 * Reads the Kubernetes plugin's own cluster configuration the way its
 * `ConfigClusterLocator` does, so a portal that already shows pods needs no
 * new cluster config and both plugins see the same clusters with the same
 * identities: the auth provider from `authMetadata['kubernetes.io/auth-provider']`
 * or `authProvider` (a cluster with neither is refused, as there), the
 * top-level `serviceAccountToken`, `assumeRole` and `externalId` forms, and
 * `authMetadata` over them. Only `config` locators are read: `catalog` and
 * `gke` locators are resolved inside the Kubernetes backend, which offers no
 * extension point to other plugins.
 */
export function readClusters(config: Config): ClusterDetails[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const names = new Set<string>();
  const readCustomResources = (c?: Config) =>
    c?.getOptionalConfigArray('customResources')?.map(r => ({
      group: r.getString('group'),
      apiVersion: r.getString('apiVersion'),
      plural: r.getString('plural'),
    }));
  const sharedCustomResources = readCustomResources(
    config.getOptionalConfig('kubernetes'),
  );
  return methods
    .filter(m => m.getString('type') === 'config')
    .flatMap(m => m.getOptionalConfigArray('clusters') ?? [])
    .map(c => {
      const name = c.getString('name');
      if (names.has(name)) throw new Error(`Duplicate cluster name '${name}'`);
      names.add(name);
      // Read whole: its keys contain dots, which config paths cannot address.
      const block = c.getOptional<Record<string, string>>('authMetadata') ?? {};
      const authProvider =
        block[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
        c.getOptionalString('authProvider');
      if (!authProvider) {
        throw new Error(
          `cluster '${name}' has no auth provider configured; this must be specified via the 'authProvider' or 'authMetadata.${ANNOTATION_KUBERNETES_AUTH_PROVIDER}' parameter`,
        );
      }
      const auth = { ...topLevelAuthMetadata(c), ...block };
      return {
        name,
        url: c.getString('url'),
        authProvider,
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        serviceAccountToken: auth.serviceAccountToken,
        awsClusterId: auth[ANNOTATION_KUBERNETES_AWS_CLUSTER_ID],
        awsAccountId: auth[ANNOTATION_KUBERNETES_AWS_ACCOUNT_ID],
        assumeRole: auth[ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE],
        externalId: auth[ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID],
        customResources: readCustomResources(c) ?? sharedCustomResources,
      };
    });
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

/**
 * The EKS name, region, partition and account of a configured cluster: the
 * region from the cluster's own endpoint (never the backend's AWS_REGION
 * where the endpoint tells it), the account from `kubernetes.io/aws-account-id`
 * or else the assumed role's ARN.
 */
export function eksRefOf(cluster: ClusterDetails) {
  const region =
    cluster.region ??
    /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.eks\.amazonaws\.com(?:\.cn)?$/.exec(
      safeHost(cluster.url),
    )?.[1] ??
    process.env.AWS_REGION ??
    'us-east-1';
  const accountId =
    cluster.awsAccountId ??
    /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(cluster.assumeRole ?? '')?.[1];
  return {
    name: cluster.awsClusterId ?? cluster.name,
    region,
    partition: partitionOfRegion(region).partition,
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

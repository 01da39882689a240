import {
  createExtensionPoint,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';

/**
 * A Kubernetes cluster the plugin reads, in the shape of one entry of the
 * Kubernetes plugin's `kubernetes.clusterLocatorMethods` (type `config`).
 *
 * @public
 */
export interface AwsWorkloadCluster {
  name: string;
  url: string;
  /** `aws` (an EKS token from the account's credentials) or `serviceAccount`. */
  authProvider: 'aws' | 'serviceAccount';
  serviceAccountToken?: string;
  caData?: string;
  skipTLSVerify?: boolean;
  /** The EKS name, when it differs from `name`. */
  awsClusterId?: string;
  /** The EKS cluster's region; by default read from the cluster's URL. */
  region?: string;
}

/**
 * Where the plugin's upstreams are, handed over by a module instead of read
 * from `aws.accounts` and `kubernetes.clusterLocatorMethods`. Each field left
 * out keeps what the config says. Config keys the portal sets
 * (`awsWorkload.fleet.schedule`, `awsWorkload.endpoints.*`) win over these.
 *
 * @public
 */
export interface AwsWorkloadUpstreams {
  /** Credentials per AWS account, in place of `aws.accounts`. */
  credentials?: AwsCredentialsManager;
  /** An endpoint per AWS service, in place of its public one. */
  endpoints?: Partial<
    Record<
      'dynamodb' | 'ecr' | 'eks' | 'iam' | 'sts' | 'secretsmanager',
      string
    >
  >;
  /** The clusters to read, in place of the Kubernetes plugin's config. */
  clusters?: AwsWorkloadCluster[];
  /** Marks every answer `demo: true`, so the UI says it is demo data. */
  demo?: boolean;
  /** The fleet refresh's schedule, where the config sets none. */
  fleetSchedule?: SchedulerServiceTaskScheduleDefinition;
}

/**
 * Lets a module hand the aws-workload plugin its upstreams: the local demo
 * does, and so can a portal that keeps its accounts and clusters elsewhere.
 * One module may set them; a second call fails the backend's start.
 *
 * @public
 */
export interface AwsWorkloadUpstreamsExtensionPoint {
  setUpstreams(upstreams: AwsWorkloadUpstreams): void;
}

/**
 * The extension point of {@link AwsWorkloadUpstreamsExtensionPoint}.
 *
 * @public
 */
export const awsWorkloadUpstreamsExtensionPoint =
  createExtensionPoint<AwsWorkloadUpstreamsExtensionPoint>({
    id: 'aws-workload.upstreams',
  });

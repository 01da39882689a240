/** Types of the backend's REST API (`/api/aws-workload`). */
import { Check } from './checks';
import { WorkloadClassification } from './classify';

/**
 * One part of the entity view: data, an annotation that is missing, or an error.
 *
 * @public
 */
export type Section<T> =
  | { status: 'ok'; data: T; fetchedAt: string }
  | { status: 'absent'; annotation: string }
  | {
      status: 'error';
      error: {
        name: string;
        message: string;
        /**
         * The error is the entity's own state (an annotation to correct, a
         * resource that does not exist), not a failure to read an upstream.
         */
        lasting?: true;
      };
    };

/** @public */
export interface TableInfo {
  tableArn: string;
  tableName: string;
  region: string;
  accountId: string;
  status: string;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  keySchema: {
    attributeName: string;
    keyType: 'HASH' | 'RANGE';
    attributeType?: string;
  }[];
  itemCount?: number;
  sizeBytes?: number;
  /** AWS refreshes item count and size about every six hours. */
  itemCountNote: string;
  pointInTimeRecovery?: 'ENABLED' | 'DISABLED';
  encryption: { type: 'AWS_OWNED' | 'KMS' | 'AWS_MANAGED'; kmsKeyArn?: string };
  createdAt?: string;
  consoleUrl: string;
}

/** @public */
export interface ImageInfo {
  digest: string;
  tags: string[];
  pushedAt?: string;
  sizeBytes?: number;
  scanStatus?: string;
  findings?: Partial<
    Record<
      'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNDEFINED',
      number
    >
  >;
  /** A running pod of the entity uses this digest. */
  running: boolean;
}

/** @public */
export interface PodInfo {
  name: string;
  phase?: string;
  startedAt?: string;
  /** Containers ready, of `containers`; absent when the pod has no status yet. */
  readyContainers?: number;
  containers?: number;
  /** Restarts of all its containers together. */
  restarts?: number;
  images: { container: string; image?: string; digest?: string }[];
}

/**
 * One workload as the entity endpoint returns it.
 *
 * @public
 */
export interface WorkloadInfo extends Omit<WorkloadClassification, 'findings'> {
  cluster: string;
  /** The chain checks of the mode, then the classifier's findings. */
  checks: Check[];
  pods: PodInfo[];
}

/** @public */
export interface EntityAwsWorkloadResponse {
  entityRef: string;
  demo?: true;
  /**
   * Since when each of the entity's failing checks has been failing, from
   * the fleet's history (absent where the fleet has not stored the entity).
   */
  failingSince?: Record<string, string>;
  table: Section<TableInfo>;
  images: Section<ImageInfo[]>;
  workloads: Section<WorkloadInfo[]>;
}

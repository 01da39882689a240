/** Types and pure logic of the fleet view (`GET /api/aws-workload/fleet`). */
import { createPermission } from '@backstage/plugin-permission-common';
import { CredentialMode, CREDENTIAL_MODES } from './checks';

/**
 * Reading the fleet page: the posture of every entity at once. The entities
 * themselves are still filtered by what the caller may read in the catalog.
 *
 * @public
 */
export const fleetReadPermission = createPermission({
  name: 'aws-workload.fleet.read',
  attributes: { action: 'read' },
});

/**
 * Re-checking an entity: reading its posture anew from IAM, EKS, ECR and the
 * cluster, caches bypassed for that entity. Reading the entity itself still
 * needs catalog read access.
 *
 * @public
 */
export const entityRefreshPermission = createPermission({
  name: 'aws-workload.entity.refresh',
  attributes: { action: 'update' },
});

/**
 * Every permission of the plugin, for a portal's permission policy.
 *
 * @public
 */
export const awsWorkloadPermissions = [
  fleetReadPermission,
  entityRefreshPermission,
];

/**
 * The parts of an entity's posture, each refreshed on its own.
 *
 * @public
 */
export type FleetSection = 'table' | 'images' | 'workloads';

/** @public */
export interface FleetWorkload {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  mode: CredentialMode;
  /** Ids of the checks that failed for this workload. */
  failingChecks: string[];
  /** Ids of the checks that warn for this workload (findings of their own). */
  warningChecks?: string[];
}

/**
 * An image a pod of the entity runs, with its scan's critical and high
 * finding counts (absent when it was not scanned).
 *
 * @public
 */
export interface FleetRunningImage {
  digest: string;
  tags: string[];
  critical?: number;
  high?: number;
}

/** @public */
export interface FleetEntry {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  /** The distinct credential modes of the entity's workloads. */
  modes: CredentialMode[];
  workloads: FleetWorkload[];
  /** Distinct ids of failing checks across the workloads. */
  failingChecks: string[];
  /** Distinct ids of warning checks across the workloads. */
  warningChecks?: string[];
  /** The AWS account of the entity's table, else of its ECR repository. */
  account?: string;
  /** The images the entity's pods run, with their critical and high findings. */
  runningImages?: FleetRunningImage[];
  /** DescribeTable's TableStatus (ACTIVE, CREATING, ...), when there is a table. */
  tableStatus?: string;
  newestImage?: { digest: string; tags: string[]; pushedAt?: string };
  /** Sections that could not be read, with the reason (never a stack or a body). */
  errors: Partial<Record<FleetSection, { name: string; message: string }>>;
  /** When the stored posture was last computed, whole or in part. */
  refreshedAt: string;
  /**
   * Set when the last refresh could not read a cluster or an AWS account of
   * the entity: the sections it names keep their previous values.
   */
  stale?: { since: string; reason: string; sections: FleetSection[] };
}

/**
 * The last refresh run, as the fleet shows it.
 *
 * @public
 */
export interface FleetRefreshInfo {
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'succeeded' | 'failed';
  entities?: number;
  /** Upstream calls of the run, by service. */
  calls?: Record<string, number>;
  error?: string;
}

/**
 * Bucket for entities without any workload found.
 *
 * @public
 */
export const NO_WORKLOAD = 'none';
/** @public */
export type FleetModeBucket = CredentialMode | typeof NO_WORKLOAD;

/** @public */
export interface FleetResponse {
  items: FleetEntry[];
  /** Entities matching the filters that the caller may read. */
  totalItems: number;
  offset: number;
  limit: number;
  /**
   * Entities per credential mode over every filter but `mode`, so the chart
   * keeps showing the other modes while one is selected. An entity with two
   * modes counts in both.
   */
  countsByMode: Record<FleetModeBucket, number>;
  /** Values the filters can take, over everything the caller may read. */
  facets: {
    owners: string[];
    kinds: string[];
    failingChecks: string[];
    warningChecks?: string[];
  };
  lastRefresh?: FleetRefreshInfo;
  demo?: true;
}

/** @public */
export interface FleetQuery {
  mode?: FleetModeBucket[];
  owner?: string[];
  kind?: string[];
  failingCheck?: string[];
  /** Entities with any of these checks warning. */
  warningCheck?: string[];
  offset?: number;
  limit?: number;
}

/** @public */
export const FLEET_MAX_LIMIT = 1000;
/** @public */
export const FLEET_DEFAULT_LIMIT = 100;

/** @public */
export const FLEET_MODE_BUCKETS: readonly FleetModeBucket[] = [
  ...CREDENTIAL_MODES,
  NO_WORKLOAD,
];

/**
 * Whether an entry passes the filters; each filter is "any of".
 *
 * @public
 */
export function matchesFleetQuery(
  entry: FleetEntry,
  query: FleetQuery,
  ignore: (keyof FleetQuery)[] = [],
): boolean {
  const anyOf = (key: keyof FleetQuery, values: string[]) => {
    const wanted = query[key] as string[] | undefined;
    if (ignore.includes(key) || !wanted?.length) return true;
    return values.some(v => wanted.includes(v));
  };
  const modes: string[] = entry.modes.length ? entry.modes : [NO_WORKLOAD];
  return (
    anyOf('mode', modes) &&
    anyOf('owner', entry.owner ? [entry.owner] : []) &&
    anyOf('kind', [entry.kind.toLocaleLowerCase('en-US')]) &&
    anyOf('failingCheck', entry.failingChecks) &&
    anyOf('warningCheck', entry.warningChecks ?? [])
  );
}

/**
 * Entities per mode bucket; an entity with several modes counts in each.
 *
 * @public
 */
export function countByMode(
  entries: FleetEntry[],
): Record<FleetModeBucket, number> {
  const counts = Object.fromEntries(
    FLEET_MODE_BUCKETS.map(m => [m, 0]),
  ) as Record<FleetModeBucket, number>;
  for (const entry of entries) {
    const modes = entry.modes.length ? entry.modes : [NO_WORKLOAD];
    for (const mode of modes) counts[mode as FleetModeBucket] += 1;
  }
  return counts;
}

/** Types and pure logic of the fleet view (`GET /api/aws-workload/fleet`). */
import { createPermission } from '@backstage/plugin-permission-common';
import {
  CredentialMode,
  CREDENTIAL_MODE_LABELS,
  CREDENTIAL_MODES,
} from './checks';
import { checkTitle } from './health';

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
  errors: Partial<
    Record<FleetSection, { name: string; message: string; lasting?: true }>
  >;
  /** When the stored posture was last computed, whole or in part. */
  refreshedAt: string;
  /**
   * Set when the last refresh could not read a cluster or an AWS account of
   * the entity: the sections it names keep their previous values.
   */
  stale?: { since: string; reason: string; sections: FleetSection[] };
  /**
   * Since when each failing check has been failing without a break, as the
   * refreshes saw it (ISO time of the first refresh that found it failing).
   */
  failingSince?: Record<string, string>;
}

/**
 * Entities per credential mode on one day (UTC), as the day's last refresh
 * counted them.
 *
 * @public
 */
export interface FleetTrendDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  countsByMode: Partial<Record<FleetModeBucket, number>>;
}

/**
 * `GET /api/aws-workload/fleet/trend`: the daily counts per mode.
 *
 * @public
 */
export interface FleetTrendResponse {
  /** Oldest first; days without a refresh are absent. */
  days: FleetTrendDay[];
  /** How many days of history the backend keeps. */
  retentionDays: number;
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
    clusters?: string[];
    accounts?: string[];
  };
  /**
   * With `groupBy`: entities per value of that facet over every filter,
   * most first; entities without a value are in the group "" (an entity
   * with several values is in each).
   */
  groups?: { value: string; count: number }[];
  lastRefresh?: FleetRefreshInfo;
  demo?: true;
}

/**
 * What the fleet can be sorted by: the table's columns.
 *
 * @public
 */
export const FLEET_SORT_FIELDS = [
  'name',
  'owner',
  'modes',
  'failingChecks',
  'warningChecks',
  'clusters',
  'account',
  'tableStatus',
  'runningImages',
  'newestImage',
  'refreshedAt',
] as const;

/** @public */
export type FleetSortField = (typeof FLEET_SORT_FIELDS)[number];

/**
 * What the fleet can be grouped by.
 *
 * @public
 */
export const FLEET_GROUP_BY = ['owner', 'cluster', 'account', 'mode'] as const;

/** @public */
export type FleetGroupBy = (typeof FLEET_GROUP_BY)[number];

/** @public */
export interface FleetQuery {
  mode?: FleetModeBucket[];
  owner?: string[];
  kind?: string[];
  failingCheck?: string[];
  /** Entities with any of these checks warning. */
  warningCheck?: string[];
  /** Entities with a workload on any of these clusters ("" for none). */
  cluster?: string[];
  /** Entities in any of these AWS accounts ("" for none). */
  account?: string[];
  /** Words that must all appear in what a row shows (any case). */
  q?: string;
  sort?: FleetSortField;
  order?: 'asc' | 'desc';
  groupBy?: FleetGroupBy;
  offset?: number;
  limit?: number;
}

/**
 * The filters of a fleet query, by facet: the values an entry has for each.
 *
 * @public
 */
export const FLEET_FACETS = [
  'mode',
  'owner',
  'kind',
  'failingCheck',
  'warningCheck',
  'cluster',
  'account',
] as const;

/** @public */
export type FleetFacet = (typeof FLEET_FACETS)[number];

const distinct = (values: string[]) => [...new Set(values)];

/**
 * The values an entry has for each facet. Missing owner, account or
 * cluster is "", no workload is the bucket `none`: what filters, group
 * counts and the store's index all read.
 *
 * @public
 */
export function fleetFacetValues(
  entry: FleetEntry,
): Record<FleetFacet, string[]> {
  const clusters = distinct(entry.workloads.map(w => w.cluster));
  return {
    mode: entry.modes.length ? distinct(entry.modes) : [NO_WORKLOAD],
    owner: [entry.owner ?? ''],
    kind: [entry.kind.toLocaleLowerCase('en-US')],
    failingCheck: distinct(entry.failingChecks),
    warningCheck: distinct(entry.warningChecks ?? []),
    cluster: clusters.length ? clusters : [''],
    account: [entry.account ?? ''],
  };
}

/**
 * Every text a fleet row shows, lower case, for the search box: names,
 * owner, account, clusters, modes and checks with their titles.
 *
 * @public
 */
export function fleetSearchText(entry: FleetEntry): string {
  return [
    entry.name,
    entry.title,
    entry.entityRef,
    entry.owner,
    entry.account,
    entry.tableStatus,
    ...distinct(entry.workloads.map(w => w.cluster)),
    ...entry.modes.map(m => CREDENTIAL_MODE_LABELS[m]),
    ...entry.failingChecks.flatMap(c => [c, checkTitle(c)]),
    ...(entry.warningChecks ?? []).flatMap(c => [c, checkTitle(c)]),
  ]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase('en-US');
}

/**
 * The words of a search, lower case.
 *
 * @public
 */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '').toLocaleLowerCase('en-US').split(/\s+/).filter(Boolean);
}

/**
 * The value an entry sorts by on a field: strings compare as code units
 * (the store compares bytes, never a locale's collation), numbers as
 * numbers, and nothing is ever missing so that every database orders the
 * same way. Images: the youngest first.
 *
 * @public
 */
export function fleetSortValue(
  entry: FleetEntry,
  field: FleetSortField,
): string | number {
  const findings = (entry.runningImages ?? []).filter(
    i => i.critical !== undefined,
  );
  switch (field) {
    case 'name':
      return entry.name;
    case 'owner':
      return entry.owner ?? '';
    case 'modes':
      return entry.modes.join();
    case 'failingChecks':
      return entry.failingChecks.length;
    case 'warningChecks':
      return entry.warningChecks?.length ?? 0;
    case 'clusters':
      return distinct(entry.workloads.map(w => w.cluster)).join();
    case 'account':
      return entry.account ?? '';
    case 'tableStatus':
      return entry.tableStatus ?? '';
    case 'runningImages':
      return findings.length === 0
        ? -1
        : findings.reduce((n, i) => n + (i.critical ?? 0), 0) * 1_000_000 +
            findings.reduce((n, i) => n + (i.high ?? 0), 0);
    case 'newestImage': {
      const pushed = Date.parse(entry.newestImage?.pushedAt ?? '');
      return Number.isNaN(pushed) ? 0 : -pushed;
    }
    default:
      return entry.refreshedAt;
  }
}

/**
 * The fleet's order: by the sort field, then by entity ref.
 *
 * @public
 */
export function compareFleetEntries(
  a: FleetEntry,
  b: FleetEntry,
  sort: FleetSortField = 'name',
  order: 'asc' | 'desc' = 'asc',
): number {
  const x = fleetSortValue(a, sort);
  const y = fleetSortValue(b, sort);
  if (x !== y) return (x < y ? -1 : 1) * (order === 'desc' ? -1 : 1);
  if (a.entityRef === b.entityRef) return 0;
  return a.entityRef < b.entityRef ? -1 : 1;
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
  const values = fleetFacetValues(entry);
  const facetsMatch = FLEET_FACETS.every(facet => {
    const wanted = query[facet] as string[] | undefined;
    if (ignore.includes(facet) || !wanted?.length) return true;
    return values[facet].some(v => wanted.includes(v));
  });
  if (!facetsMatch) return false;
  if (ignore.includes('q')) return true;
  const text = fleetSearchText(entry);
  return searchWords(query.q).every(w => text.includes(w));
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

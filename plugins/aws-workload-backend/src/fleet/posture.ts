import {
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_ECR_REPOSITORY_ARN,
  Check,
  EntityAwsWorkloadResponse,
  FleetEntry,
  FleetSection,
  FleetWorkload,
} from '@aws-workload/plugin-aws-workload-common';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * `spec.owner` as a full ref (`group:default/vote-team`), as the catalog
 * resolves it for the ownedBy relation: one spelling per owner for the filter.
 */
function ownerRef(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return owner;
  }
}

const SECTIONS: FleetSection[] = ['table', 'images', 'workloads'];

const checksWith = (checks: Check[], status: Check['status']) => [
  ...new Set(checks.filter(c => c.status === status).map(c => c.check)),
];

/** The account of the entity's table, else of its repository, from their ARNs. */
function accountOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  for (const key of [
    ANNOTATION_DYNAMODB_TABLE_ARN,
    ANNOTATION_ECR_REPOSITORY_ARN,
  ]) {
    const account = annotations[key]?.split(':')[4];
    if (account && /^\d{12}$/.test(account)) return account;
  }
  return undefined;
}

/** The fleet's summary of one entity view. */
export function summarizeView(
  entity: Entity,
  view: EntityAwsWorkloadResponse,
  refreshedAt: string,
): FleetEntry {
  const workloads: FleetWorkload[] =
    view.workloads.status === 'ok'
      ? view.workloads.data.map(w => ({
          cluster: w.cluster,
          namespace: w.namespace,
          kind: w.kind,
          name: w.name,
          mode: w.mode,
          failingChecks: checksWith(w.checks, 'fail'),
          warningChecks: checksWith(w.checks, 'warn'),
        }))
      : [];
  const runningImages =
    view.images.status === 'ok'
      ? view.images.data
          .filter(i => i.running)
          .map(i => ({
            digest: i.digest,
            tags: i.tags,
            ...(i.findings
              ? {
                  critical: i.findings.CRITICAL ?? 0,
                  high: i.findings.HIGH ?? 0,
                }
              : {}),
          }))
      : [];
  const account = accountOf(entity);
  const errors: FleetEntry['errors'] = {};
  for (const section of SECTIONS) {
    const value = view[section];
    if (value.status === 'error') errors[section] = value.error;
  }
  const newest = view.images.status === 'ok' ? view.images.data[0] : undefined;
  const owner = ownerRef(entity);
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(owner ? { owner } : {}),
    modes: distinct(workloads.map(w => w.mode)),
    workloads,
    failingChecks: distinct(workloads.flatMap(w => w.failingChecks)),
    warningChecks: distinct(workloads.flatMap(w => w.warningChecks ?? [])),
    ...(account ? { account } : {}),
    runningImages,
    ...(view.table.status === 'ok'
      ? { tableStatus: view.table.data.status }
      : {}),
    ...(newest
      ? {
          newestImage: {
            digest: newest.digest,
            tags: newest.tags,
            pushedAt: newest.pushedAt,
          },
        }
      : {}),
    errors,
    refreshedAt,
  };
}

/**
 * Sections that failed for want of a cluster or an account keep what the
 * previous refresh stored, and the entry says since when and why.
 */
export function keepStaleSections(
  current: FleetEntry,
  previous: FleetEntry | undefined,
): FleetEntry {
  const staleSections = SECTIONS.filter(s => {
    const error = current.errors[s];
    // A lasting error is the entity's state; any other, an upstream outage.
    return error && !error.lasting;
  });
  if (staleSections.length === 0) return current;
  const merged: FleetEntry = { ...current };
  if (previous) {
    if (staleSections.includes('workloads')) {
      merged.workloads = previous.workloads;
      merged.modes = previous.modes;
      merged.failingChecks = previous.failingChecks;
    }
    if (staleSections.includes('table')) {
      merged.tableStatus = previous.tableStatus;
    }
    if (staleSections.includes('images')) {
      merged.newestImage = previous.newestImage;
    }
  }
  const reason = staleSections
    .map(s => `${s}: ${current.errors[s]!.message}`)
    .join('; ');
  merged.stale = {
    since: previous?.stale?.since ?? current.refreshedAt,
    reason,
    sections: staleSections,
  };
  return merged;
}

/**
 * Since when each failing check has been failing: kept from the previous
 * entry while the check keeps failing (an entry stored before this was
 * recorded counts from its own refresh), the current refresh otherwise.
 */
export function withFailingSince(
  current: FleetEntry,
  previous: FleetEntry | undefined,
): FleetEntry {
  if (current.failingChecks.length === 0) {
    const { failingSince: _none, ...rest } = current;
    return rest;
  }
  const failingSince: Record<string, string> = {};
  for (const check of current.failingChecks) {
    failingSince[check] =
      previous?.failingSince?.[check] ??
      (previous?.failingChecks.includes(check)
        ? previous.refreshedAt
        : current.refreshedAt);
  }
  return { ...current, failingSince };
}

function distinct<T extends string>(values: T[]): T[] {
  return [...new Set(values)].sort() as T[];
}

import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';

/** The clusters an entity's workloads run on. */
export const clustersOf = (e: FleetEntry) => [
  ...new Set(e.workloads.map(w => w.cluster)),
];

/** Critical and high findings of the images the entity runs, summed. */
export function imageFindings(
  e: FleetEntry,
): { critical: number; high: number } | undefined {
  const scanned = (e.runningImages ?? []).filter(i => i.critical !== undefined);
  if (scanned.length === 0) return undefined;
  return {
    critical: scanned.reduce((n, i) => n + (i.critical ?? 0), 0),
    high: scanned.reduce((n, i) => n + (i.high ?? 0), 0),
  };
}

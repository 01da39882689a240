import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';

/** What changed in an entity's posture between two refreshes. */
export type PostureChangeKind = 'static-keys' | 'newly-failing' | 'healed';

/** @public */
export const POSTURE_CHANGE_KINDS: readonly PostureChangeKind[] = [
  'static-keys',
  'newly-failing',
  'healed',
];

export interface PostureChange {
  kind: PostureChangeKind;
  entry: FleetEntry;
  /** For `newly-failing`: the checks that fail now and did not before. */
  checks: string[];
}

/** Whether the entry's workloads were read in this refresh (not kept from an earlier one). */
const readNow = (entry: FleetEntry) =>
  !entry.errors.workloads && !entry.stale?.sections.includes('workloads');

/**
 * The changes worth telling an owner about, from the previous refresh's
 * entries to this one's. Nothing on the first refresh (no previous fleet)
 * or for an entity seen for the first time; nothing where either side's
 * workloads are not from a successful read (a stale section is no change).
 */
export function postureChanges(
  previous: ReadonlyMap<string, FleetEntry>,
  current: readonly FleetEntry[],
): PostureChange[] {
  const changes: PostureChange[] = [];
  for (const entry of current) {
    const before = previous.get(entry.entityRef);
    if (!before || !readNow(entry) || !readNow(before)) continue;
    const staticKeysNow =
      entry.modes.includes('static-keys') &&
      !before.modes.includes('static-keys');
    if (staticKeysNow) {
      changes.push({ kind: 'static-keys', entry, checks: [] });
    }
    const newlyFailing = entry.failingChecks.filter(
      c =>
        !before.failingChecks.includes(c) &&
        // The static keys change already says so.
        !(staticKeysNow && c === 'static-keys-present'),
    );
    if (newlyFailing.length > 0) {
      changes.push({ kind: 'newly-failing', entry, checks: newlyFailing });
    }
    if (
      before.failingChecks.length > 0 &&
      entry.failingChecks.length === 0 &&
      entry.workloads.length > 0
    ) {
      changes.push({ kind: 'healed', entry, checks: [] });
    }
  }
  return changes;
}

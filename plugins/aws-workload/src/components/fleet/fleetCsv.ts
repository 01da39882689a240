import {
  FleetEntry,
  FleetQuery,
  FleetResponse,
  FLEET_MAX_LIMIT,
} from '@aws-workload/plugin-aws-workload-common';
import Papa from 'papaparse';
import { clustersOf, imageFindings } from './fleetEntry';

/** Every page of the fleet for a query, for the CSV export. */
export async function loadFleet(
  api: { getFleet(q: FleetQuery): Promise<FleetResponse> },
  query: FleetQuery,
): Promise<FleetEntry[]> {
  const first = await api.getFleet({ ...query, limit: FLEET_MAX_LIMIT });
  const items = [...first.items];
  while (items.length < first.totalItems) {
    const next = await api.getFleet({
      ...query,
      limit: FLEET_MAX_LIMIT,
      offset: items.length,
    });
    if (next.items.length === 0) break;
    items.push(...next.items);
  }
  return items;
}

/** The fleet as CSV: one row per entity, what the table shows. */
export function fleetCsv(entries: FleetEntry[]): string {
  return Papa.unparse(
    entries.map(e => ({
      entity: e.entityRef,
      owner: e.owner ?? '',
      modes: e.modes.join(' '),
      failingChecks: e.failingChecks.join(' '),
      warningChecks: (e.warningChecks ?? []).join(' '),
      clusters: clustersOf(e).join(' '),
      account: e.account ?? '',
      tableStatus: e.tableStatus ?? '',
      runningImagesCritical: imageFindings(e)?.critical ?? '',
      runningImagesHigh: imageFindings(e)?.high ?? '',
      newestImagePushedAt: e.newestImage?.pushedAt ?? '',
      newestImageTags: e.newestImage?.tags.join(' ') ?? '',
      refreshedAt: e.refreshedAt,
      stale: e.stale?.reason ?? '',
    })),
    // Cells that start with = + - @ are quoted as text for spreadsheets.
    { escapeFormulae: true },
  );
}

/** Hands the CSV to the browser as a download. */
export function downloadCsv(csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'aws-workload-fleet.csv';
  link.click();
  URL.revokeObjectURL(url);
}

import {
  FleetFacet,
  FLEET_FACETS,
  FleetGroupBy,
  FleetModeBucket,
  FleetQuery,
} from '@aws-workload/plugin-aws-workload-common';
import { useSearchParams } from 'react-router-dom';
import { BUCKET_LABELS } from './fleetBuckets';

export type Filters = Pick<FleetQuery, FleetFacet>;

export interface Sort {
  field?: string;
  direction?: 'asc' | 'desc';
}

/** What the rows can be grouped by, as the URL spells it. */
export const GROUPS: Record<FleetGroupBy, string> = {
  owner: 'Owner',
  cluster: 'Cluster',
  account: 'Account',
  mode: 'Credential mode',
};

/** A group's value as the page shows it. */
export const groupLabel = (group: FleetGroupBy, value: string) => {
  if (group === 'mode') return BUCKET_LABELS[value as FleetModeBucket] ?? value;
  return value || '—';
};

/**
 * Filters, search, sort and grouping live in the URL, so a view of the
 * fleet can be shared and survives a reload.
 */
export function useFleetUrlState() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = Object.fromEntries(
    FLEET_FACETS.map(k => [
      k,
      params.getAll(k).length ? params.getAll(k) : undefined,
    ]),
  );
  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const group = params.get('group');
  return {
    filters,
    search: params.get('q') ?? '',
    sort: {
      field: params.get('sort') ?? undefined,
      direction: (params.get('dir') as Sort['direction']) ?? undefined,
    },
    group: group && group in GROUPS ? (group as FleetGroupBy) : undefined,
    update,
  };
}

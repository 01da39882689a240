import {
  compareFleetEntries,
  countByMode,
  FLEET_DEFAULT_LIMIT,
  FleetEntry,
  FleetFacet,
  fleetFacetValues,
  FleetQuery,
  FleetResponse,
  matchesFleetQuery,
} from './fleet';

/**
 * What a fleet query answers, before the route adds the last run.
 *
 * @public
 */
export type FleetQueryAnswer = Omit<FleetResponse, 'lastRefresh' | 'demo'>;

/**
 * Most entities first, then by value.
 *
 * @public
 */
export const byCountThenValue = (
  a: { value: string; count: number },
  b: { value: string; count: number },
) => b.count - a.count || (a.value < b.value ? -1 : Number(a.value > b.value));

/**
 * A fleet query answered over entries in memory: the backend's path where
 * the caller's catalog visibility is a list of entities rather than a
 * condition its store can apply, the reference its SQL is tested against,
 * and the fake backend of the frontend's tests.
 *
 * @public
 */
export function answerFleetQuery(
  readable: FleetEntry[],
  query: FleetQuery,
): FleetQueryAnswer {
  const matching = readable
    .filter(e => matchesFleetQuery(e, query))
    .sort((a, b) => compareFleetEntries(a, b, query.sort, query.order));
  const offset = query.offset ?? 0;
  const limit = query.limit ?? FLEET_DEFAULT_LIMIT;
  const facet = (name: FleetFacet) =>
    [...new Set(readable.flatMap(e => fleetFacetValues(e)[name]))]
      .filter(v => v !== '')
      .sort();
  const answer: FleetQueryAnswer = {
    items: matching.slice(offset, offset + limit),
    totalItems: matching.length,
    offset,
    limit,
    countsByMode: countByMode(
      readable.filter(e => matchesFleetQuery(e, query, ['mode'])),
    ),
    facets: {
      owners: facet('owner'),
      kinds: facet('kind'),
      failingChecks: facet('failingCheck'),
      warningChecks: facet('warningCheck'),
      clusters: facet('cluster'),
      accounts: facet('account'),
    },
  };
  if (query.groupBy) {
    const groups = new Map<string, number>();
    for (const e of matching) {
      for (const v of fleetFacetValues(e)[query.groupBy]) {
        groups.set(v, (groups.get(v) ?? 0) + 1);
      }
    }
    answer.groups = [...groups]
      .map(([value, count]) => ({ value, count }))
      .sort(byCountThenValue);
  }
  return answer;
}

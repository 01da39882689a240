import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { z as zod } from 'zod/v3';
import {
  FleetEntry,
  FleetQuery,
  fleetReadPermission,
  FLEET_MAX_LIMIT,
  FLEET_MODE_BUCKETS,
  FLEET_SORT_FIELDS,
} from '@aws-workload/plugin-aws-workload-common';
import { FleetQueryService } from '../fleet/FleetQueryService';
import { examples } from './listAwsFleet.examples';

/** Rows for an assistant: the fleet page's columns, not the stored detail. */
function rowOf(entry: FleetEntry) {
  return {
    entityRef: entry.entityRef,
    ...(entry.title ? { title: entry.title } : {}),
    ...(entry.owner ? { owner: entry.owner } : {}),
    modes: entry.modes,
    failingChecks: entry.failingChecks,
    warningChecks: entry.warningChecks ?? [],
    ...(entry.account ? { account: entry.account } : {}),
    ...(entry.tableStatus ? { tableStatus: entry.tableStatus } : {}),
    clusters: [...new Set(entry.workloads.map(w => w.cluster))],
    refreshedAt: entry.refreshedAt,
    ...(entry.stale ? { staleSince: entry.stale.since } : {}),
  };
}

const DEFAULT_LIMIT = 50;

/**
 * `aws-workload:list-aws-fleet`: the fleet page's query, read from the
 * stored fleet with the caller's visibility.
 */
export function registerListAwsFleetAction(options: {
  actionsRegistry: ActionsRegistryService;
  fleet: Pick<FleetQueryService, 'query'>;
}) {
  const { actionsRegistry, fleet } = options;
  const words = (z: typeof zod, what: string) =>
    z.array(z.string().min(1).max(300)).max(50).optional().describe(what);
  actionsRegistry.register({
    name: 'list-aws-fleet',
    title: 'List the AWS credential posture of the fleet',
    description: `The catalog entities with their credential modes (IRSA, Pod Identity, static keys, node role), failing and warning checks, AWS account, table status and clusters, as the background refresh last stored them.
Filters combine with AND; the values of one filter combine with OR. Only the entities the caller can read in the catalog are listed, and the caller needs the permission ${fleetReadPermission.name}.`,
    visibilityPermission: fleetReadPermission,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples,
    schema: {
      input: z =>
        z.object({
          mode: z
            .array(z.enum(FLEET_MODE_BUCKETS as [string, ...string[]]))
            .max(10)
            .optional()
            .describe(
              'Credential modes; "none" for entities without a workload.',
            ),
          owner: words(z, 'Owner entity refs, such as group:default/team-a.'),
          kind: words(z, 'Entity kinds, such as component.'),
          failingCheck: words(z, 'Check ids that must be failing.'),
          warningCheck: words(z, 'Check ids that must be warning.'),
          cluster: words(z, 'Cluster names as configured in the portal.'),
          account: words(z, 'AWS account ids (12 digits).'),
          q: z
            .string()
            .max(200)
            .optional()
            .describe('Words that must all appear in a row (any case).'),
          sort: z
            .enum(FLEET_SORT_FIELDS as unknown as [string, ...string[]])
            .optional()
            .describe('The column to sort by.'),
          order: z.enum(['asc', 'desc']).optional().describe('Sort order.'),
          offset: z
            .number()
            .int()
            .min(0)
            .optional()
            .describe('Rows to skip, for paging.'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(FLEET_MAX_LIMIT)
            .optional()
            .describe(`Rows to return; ${DEFAULT_LIMIT} when not given.`),
        }),
      output: z =>
        z.object({
          totalItems: z.number().describe('Entities that match the filters.'),
          countsByMode: z
            .record(z.number())
            .describe('Matching entities per credential mode.'),
          items: z
            .array(z.record(z.unknown()))
            .describe(
              'One row per entity: entityRef, title, owner, modes, failingChecks, warningChecks, account, tableStatus, clusters, refreshedAt, staleSince.',
            ),
          lastRefreshAt: z
            .string()
            .optional()
            .describe('When the background refresh last finished.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const answer = await fleet.query(
        {
          ...(input as FleetQuery),
          // Kinds are stored as the catalog's lowercase form.
          kind: input.kind?.map((k: string) => k.toLocaleLowerCase('en-US')),
          limit: input.limit ?? DEFAULT_LIMIT,
        },
        credentials,
      );
      return {
        output: {
          totalItems: answer.totalItems,
          countsByMode: answer.countsByMode,
          items: answer.items.map(rowOf),
          ...(answer.lastRefresh?.finishedAt
            ? { lastRefreshAt: answer.lastRefresh.finishedAt }
            : {}),
        },
      };
    },
  });
}

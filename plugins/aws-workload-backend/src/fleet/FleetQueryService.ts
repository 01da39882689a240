import {
  countByMode,
  fleetReadPermission,
  FleetEntry,
  FleetQuery,
  FleetResponse,
  FLEET_DEFAULT_LIMIT,
  matchesFleetQuery,
} from '@aws-workload/plugin-aws-workload-common';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FleetStore } from './FleetStore';

const REFS_PER_CATALOG_CALL = 1000;

/**
 * Serves the stored fleet: behind the plugin's fleet permission, and only
 * the entities the caller may read in the catalog.
 */
export class FleetQueryService {
  constructor(
    private readonly options: {
      store: FleetStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      demo: boolean;
    },
  ) {}

  async query(
    query: FleetQuery,
    credentials: BackstageCredentials,
  ): Promise<FleetResponse> {
    const { store, permissions } = this.options;
    const [decision] = await permissions.authorize(
      [{ permission: fleetReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The fleet view needs the permission ${fleetReadPermission.name}`,
      );
    }
    const [entries, lastRefresh] = await Promise.all([
      store.readAll(),
      store.lastRun(),
    ]);
    const readable = await this.readableBy(entries, credentials);
    const matching = readable.filter(e => matchesFleetQuery(e, query));
    const offset = query.offset ?? 0;
    const limit = query.limit ?? FLEET_DEFAULT_LIMIT;
    return {
      items: matching.slice(offset, offset + limit),
      totalItems: matching.length,
      offset,
      limit,
      countsByMode: countByMode(
        readable.filter(e => matchesFleetQuery(e, query, ['mode'])),
      ),
      facets: {
        owners: distinct(readable.map(e => e.owner)),
        kinds: distinct(readable.map(e => e.kind.toLocaleLowerCase('en-US'))),
        failingChecks: distinct(readable.flatMap(e => e.failingChecks)),
      },
      ...(lastRefresh ? { lastRefresh } : {}),
      ...(this.options.demo ? { demo: true as const } : {}),
    };
  }

  /** The entries whose entity the caller can read, asked of the catalog. */
  private async readableBy(
    entries: FleetEntry[],
    credentials: BackstageCredentials,
  ): Promise<FleetEntry[]> {
    const readable: FleetEntry[] = [];
    for (let i = 0; i < entries.length; i += REFS_PER_CATALOG_CALL) {
      const chunk = entries.slice(i, i + REFS_PER_CATALOG_CALL);
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: chunk.map(e => e.entityRef), fields: ['kind'] },
        { credentials },
      );
      chunk.forEach((entry, j) => {
        if (items[j]) readable.push(entry);
      });
    }
    return readable;
  }
}

function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
}

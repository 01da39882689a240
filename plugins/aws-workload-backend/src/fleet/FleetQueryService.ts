import {
  countByMode,
  fleetReadPermission,
  FleetEntry,
  FleetQuery,
  FleetRefreshInfo,
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
import { gzipSync } from 'node:zlib';
import { FleetStore } from './FleetStore';

const REFS_PER_CATALOG_CALL = 1000;
/**
 * How long the catalog's answer to "which of these may this caller read" is
 * reused for the same caller and the same stored fleet. A page under load
 * (every user polling it) then asks the catalog once per caller in that
 * time, not once per request; a change of catalog permissions shows within it.
 */
const VISIBILITY_TTL_MS = 10_000;
const MAX_CACHED_CALLERS = 1000;

function callerKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return `user:${principal.userEntityRef}`;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return undefined;
}

/**
 * Serves the stored fleet: behind the plugin's fleet permission, and only
 * the entities the caller may read in the catalog.
 */
/**
 * An answer, serialized once and gzipped once on first demand: a page that
 * many clients poll costs the server a buffer write per request, not a
 * JSON.stringify and a compression of up to a megabyte each time.
 */
export class EncodedFleetAnswer {
  readonly json: Buffer;
  private gzipped?: Buffer;

  constructor(readonly response: FleetResponse) {
    this.json = Buffer.from(JSON.stringify(response));
  }

  get gzip(): Buffer {
    this.gzipped ??= gzipSync(this.json);
    return this.gzipped;
  }
}

export class FleetQueryService {
  private readonly answers = new Map<
    string,
    {
      expires: number;
      entries: FleetEntry[];
      answer: Promise<EncodedFleetAnswer>;
    }
  >();
  private readonly visibility = new Map<
    string,
    { expires: number; entries: FleetEntry[]; readable: Promise<FleetEntry[]> }
  >();

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
    return (await this.queryEncoded(query, credentials)).response;
  }

  async queryEncoded(
    query: FleetQuery,
    credentials: BackstageCredentials,
  ): Promise<EncodedFleetAnswer> {
    await this.authorize(credentials);
    const { entries, lastRun: lastRefresh } =
      await this.options.store.snapshot();
    // The same caller asking the same question of the same stored fleet
    // within a few seconds (a page many people keep open) gets one answer.
    const caller = callerKey(credentials);
    if (!caller) {
      return new EncodedFleetAnswer(
        await this.answer(query, credentials, entries, lastRefresh),
      );
    }
    const key = `${caller}|${JSON.stringify(query)}|${JSON.stringify(
      lastRefresh,
    )}`;
    const now = Date.now();
    const hit = this.answers.get(key);
    if (hit && hit.expires > now && hit.entries === entries) return hit.answer;
    const answer = this.answer(query, credentials, entries, lastRefresh).then(
      response => new EncodedFleetAnswer(response),
    );
    answer.catch(() => this.answers.delete(key));
    this.answers.delete(key);
    this.answers.set(key, {
      expires: now + VISIBILITY_TTL_MS,
      entries,
      answer,
    });
    if (this.answers.size > MAX_CACHED_CALLERS) {
      this.answers.delete(this.answers.keys().next().value!);
    }
    return answer;
  }

  private async authorize(credentials: BackstageCredentials) {
    const { permissions } = this.options;
    const [decision] = await permissions.authorize(
      [{ permission: fleetReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The fleet view needs the permission ${fleetReadPermission.name}`,
      );
    }
  }

  private async answer(
    query: FleetQuery,
    credentials: BackstageCredentials,
    entries: FleetEntry[],
    lastRefresh: FleetRefreshInfo | undefined,
  ): Promise<FleetResponse> {
    const readable = await this.cachedReadableBy(entries, credentials);
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

  /** readableBy, shared between a caller's requests for a few seconds. */
  private cachedReadableBy(
    entries: FleetEntry[],
    credentials: BackstageCredentials,
  ): Promise<FleetEntry[]> {
    const key = callerKey(credentials);
    if (!key) return this.readableBy(entries, credentials);
    const now = Date.now();
    const hit = this.visibility.get(key);
    if (hit && hit.expires > now && hit.entries === entries) {
      return hit.readable;
    }
    const readable = this.readableBy(entries, credentials);
    // A failed answer is not kept.
    readable.catch(() => this.visibility.delete(key));
    this.visibility.delete(key);
    this.visibility.set(key, {
      expires: now + VISIBILITY_TTL_MS,
      entries,
      readable,
    });
    if (this.visibility.size > MAX_CACHED_CALLERS) {
      this.visibility.delete(this.visibility.keys().next().value!);
    }
    return readable;
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

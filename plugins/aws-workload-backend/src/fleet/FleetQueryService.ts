import {
  answerFleetQuery,
  FleetQueryAnswer,
  fleetReadPermission,
  FleetEntry,
  FleetQuery,
  FleetResponse,
  FleetTrendResponse,
} from '@aws-workload/plugin-aws-workload-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gzipSync } from 'node:zlib';
import { callerKey } from '../lib/callerKey';
import { SharedAnswers } from '../lib/SharedAnswers';
import { visibilityOf } from './catalogVisibility';
import { PostureHistoryStore } from './PostureHistoryStore';
import { FleetStore, FleetVisibility } from './FleetStore';

const REFS_PER_CATALOG_CALL = 1000;
/**
 * How long a caller's permission decision, the catalog's answer to "which of
 * these may this caller read" and the caller's answers are shared between
 * their requests. A page under load (every user polling it) then asks the
 * permission backend and the catalog once per caller in that time, not once
 * per request; a change of permissions shows within it.
 */
const CALLER_TTL_MS = 5_000;
const MAX_CACHED_CALLERS = 1000;
const MAX_CACHED_ANSWERS = 10_000;
const DEFAULT_ANSWER_CACHE_MIB = 64;

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

  /** What it may come to weigh: the JSON, and a gzip never larger than it. */
  get weight(): number {
    return 2 * this.json.length + 1024;
  }
}

/** A number per stored fleet snapshot, so answers never outlive their data. */
const snapshotIds = new WeakMap<FleetEntry[], number>();
let nextSnapshotId = 1;
function snapshotId(entries: FleetEntry[]): number {
  let id = snapshotIds.get(entries);
  if (id === undefined) {
    id = nextSnapshotId++;
    snapshotIds.set(entries, id);
  }
  return id;
}

/**
 * Serves the stored fleet: behind the plugin's fleet permission, and only
 * the entities the caller may read in the catalog.
 */
export class FleetQueryService {
  private readonly answers: SharedAnswers<EncodedFleetAnswer>;
  private readonly visibility = new SharedAnswers<FleetEntry[]>({
    ttlMs: CALLER_TTL_MS,
    maxEntries: MAX_CACHED_CALLERS,
  });
  private readonly decisions = new SharedAnswers<{ allowed: boolean }>({
    ttlMs: CALLER_TTL_MS,
    maxEntries: MAX_CACHED_CALLERS,
  });
  private readonly catalogDecisions = new SharedAnswers<{
    visibility?: FleetVisibility;
  }>({
    ttlMs: CALLER_TTL_MS,
    maxEntries: MAX_CACHED_CALLERS,
  });

  constructor(
    private readonly options: {
      store: FleetStore;
      /** The daily counts the trend reads; no trend without it. */
      history?: PostureHistoryStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      demo: boolean;
      /** Memory for shared answers, in MiB (default 64). */
      answerCacheMiB?: number;
    },
  ) {
    this.answers = new SharedAnswers<EncodedFleetAnswer>({
      ttlMs: CALLER_TTL_MS,
      maxEntries: MAX_CACHED_ANSWERS,
      maxBytes: (options.answerCacheMiB ?? DEFAULT_ANSWER_CACHE_MIB) * 2 ** 20,
      sizeOf: answer => answer.weight,
    });
  }

  /** Bytes the shared answers hold now (for the bench). */
  get answerCacheBytes(): number {
    return this.answers.bytes;
  }

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
    const { version, lastRun } = await this.options.store.state();
    const encode = async () =>
      new EncodedFleetAnswer({
        ...(await this.answer(query, credentials)),
        ...(lastRun ? { lastRefresh: lastRun } : {}),
        ...(this.options.demo ? { demo: true as const } : {}),
      });
    // The same caller asking the same question of the same stored fleet
    // within a few seconds (a page many people keep open) gets one answer.
    const caller = callerKey(credentials);
    if (!caller) return encode();
    const key = JSON.stringify([caller, query, version, lastRun ?? null]);
    return this.answers.get(key, encode);
  }

  /**
   * Entities per mode on each of the last `days` days. Counts of the whole
   * fleet as the refresh saw it: behind the fleet permission, not filtered
   * by the caller's catalog visibility (a daily count has no entities).
   */
  async trend(
    days: number,
    credentials: BackstageCredentials,
  ): Promise<FleetTrendResponse> {
    await this.authorize(credentials);
    const { history } = this.options;
    if (!history) return { days: [], retentionDays: 0 };
    return {
      days: await history.trend(days, new Date()),
      retentionDays: history.retentionDays,
    };
  }

  /**
   * Since when the entity's checks have been failing, from its stored
   * entry; the caller's right to read the entity is checked by the route.
   */
  async failingSinceOf(
    entityRef: string,
  ): Promise<Record<string, string> | undefined> {
    const { entries } = await this.options.store.snapshot();
    const byRef = await this.failingSinceMaps.get(
      String(snapshotId(entries)),
      async () =>
        new Map(
          entries.flatMap(e =>
            e.failingSince ? [[e.entityRef, e.failingSince] as const] : [],
          ),
        ),
    );
    return byRef.get(entityRef);
  }

  /** Since when each stored entity's checks fail, per stored snapshot. */
  private readonly failingSinceMaps = new SharedAnswers<
    Map<string, Record<string, string>>
  >({ ttlMs: 60_000, maxEntries: 2 });

  private async authorize(credentials: BackstageCredentials) {
    const caller = callerKey(credentials);
    const decide = async () => {
      const [decision] = await this.options.permissions.authorize(
        [{ permission: fleetReadPermission }],
        { credentials },
      );
      return { allowed: decision.result === AuthorizeResult.ALLOW };
    };
    const { allowed } = caller
      ? await this.decisions.get(caller, decide)
      : await decide();
    if (!allowed) {
      throw new NotAllowedError(
        `The fleet view needs the permission ${fleetReadPermission.name}`,
      );
    }
  }

  /**
   * In SQL where the catalog's read decision for the caller is one the
   * store can apply (allow, deny, or conditions on owner and kind); over
   * the entities the catalog says the caller may read otherwise.
   */
  private async answer(
    query: FleetQuery,
    credentials: BackstageCredentials,
  ): Promise<FleetQueryAnswer> {
    const { visibility } = await this.visibilityOf(credentials);
    if (visibility) return this.options.store.query(query, visibility);
    const { entries } = await this.options.store.snapshot();
    return answerFleetQuery(
      await this.cachedReadableBy(entries, credentials),
      query,
    );
  }

  /** The catalog's read decision for the caller, shared for a few seconds. */
  private visibilityOf(
    credentials: BackstageCredentials,
  ): Promise<{ visibility?: FleetVisibility }> {
    const decide = async () => {
      const [decision] = await this.options.permissions.authorizeConditional(
        [{ permission: catalogEntityReadPermission }],
        { credentials },
      );
      return { visibility: visibilityOf(decision) };
    };
    const caller = callerKey(credentials);
    return caller ? this.catalogDecisions.get(caller, decide) : decide();
  }

  /** readableBy, shared between a caller's requests for a few seconds. */
  private cachedReadableBy(
    entries: FleetEntry[],
    credentials: BackstageCredentials,
  ): Promise<FleetEntry[]> {
    const caller = callerKey(credentials);
    if (!caller) return this.readableBy(entries, credentials);
    return this.visibility.get(
      JSON.stringify([caller, snapshotId(entries)]),
      () => this.readableBy(entries, credentials),
    );
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

import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  byCountThenValue,
  FLEET_DEFAULT_LIMIT,
  FLEET_FACETS,
  FLEET_MODE_BUCKETS,
  FleetEntry,
  fleetFacetValues,
  FleetModeBucket,
  FleetQuery,
  FleetQueryAnswer,
  FleetRefreshInfo,
  fleetSearchText,
  FleetSortField,
  fleetSortValue,
  searchWords,
} from '@aws-workload/plugin-aws-workload-common';
import { Knex } from 'knex';
import { SharedAnswers } from '../lib/SharedAnswers';

const FLEET = 'aws_workload_fleet';
const RUNS = 'aws_workload_fleet_runs';
const VALUES = 'aws_workload_fleet_values';
const WRITE_CHUNK = 200;

/** The column each sort field reads; see fleetSortValue. */
const SORT_COLUMNS: Record<FleetSortField, string> = {
  name: 's_name',
  owner: 's_owner',
  modes: 's_modes',
  failingChecks: 's_failing',
  warningChecks: 's_warning',
  clusters: 's_clusters',
  account: 's_account',
  tableStatus: 's_table_status',
  runningImages: 's_findings',
  newestImage: 's_newest_image',
  refreshedAt: 's_refreshed',
};
const TEXT_SORTS = new Set<FleetSortField>([
  'name',
  'owner',
  'modes',
  'clusters',
  'account',
  'tableStatus',
  'refreshedAt',
]);

/** The indexed columns of an entry's row, beside its posture. */
function rowOf(e: FleetEntry) {
  const sorts = Object.fromEntries(
    Object.entries(SORT_COLUMNS).map(([field, column]) => [
      column,
      fleetSortValue(e, field as FleetSortField),
    ]),
  );
  return {
    entity_ref: e.entityRef,
    kind: e.kind,
    namespace: e.namespace,
    name: e.name,
    owner: e.owner ?? null,
    posture: JSON.stringify(e),
    stale: Boolean(e.stale),
    refreshed_at: new Date(e.refreshedAt),
    search_text: fleetSearchText(e),
    ...sorts,
  };
}

function valueRowsOf(e: FleetEntry) {
  const values = fleetFacetValues(e);
  return FLEET_FACETS.flatMap(facet =>
    values[facet].map(value => ({
      entity_ref: e.entityRef,
      facet,
      value: value.slice(0, 512),
    })),
  );
}

/** `%` and `_` are LIKE's wildcards; `\\` escapes them. */
const likeWord = (word: string) =>
  `%${word.replace(/[\\%_]/g, c => `\\${c}`)}%`;

/**
 * Which stored entities a caller may read, as a condition on the fleet
 * table (aliased `f`): every one, or what the catalog's permission
 * conditions translate to.
 */
export interface FleetVisibility {
  /** Names the condition: what is computed for it once per fleet version is kept under it. */
  key: string;
  /** Narrows a query on the fleet table; absent for every entity. */
  where?: (query: Knex.QueryBuilder) => void;
}

/** Every stored entity: the store leaves the condition out altogether. */
export const EVERY_ENTITY: FleetVisibility = { key: 'every entity' };

const migrationsDir = resolvePackagePath(
  '@aws-workload/plugin-aws-workload-backend',
  'migrations',
);

/** SQLite hands timestamps back as numbers or strings, PostgreSQL as Dates. */
function iso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

interface RunRow {
  id: number;
  started_at: unknown;
  finished_at: unknown;
  status: FleetRefreshInfo['status'];
  instance: string | null;
  entities: number | null;
  calls: string | null;
  error: string | null;
}

export interface RunSummary {
  entities: number;
  calls: Record<string, number>;
}

/**
 * The fleet in the plugin's own database: one row per entity and one per
 * refresh run. A refresh replaces the whole fleet in one transaction, so a
 * reader sees the previous fleet or the new one, never a mix.
 */
/** How stale a reader's view of the database may be, at most. */
const SNAPSHOT_MAX_AGE_MS = 1_000;

/** The stored fleet's version (its newest succeeded run) and the last run. */
export interface FleetState {
  version: number;
  lastRun?: FleetRefreshInfo;
}

export interface FleetSnapshot {
  entries: FleetEntry[];
  lastRun?: FleetRefreshInfo;
}

/** A parsed fleet is read again at least this often, changed or not. */
const PARSED_MAX_AGE_MS = 10 * 60 * 1000;

export class FleetStore {
  /**
   * Every entry, parsed once per fleet version (a successful run): keyed by
   * the version, so a new run is read anew; the last version only.
   */
  private readonly parsed = new SharedAnswers<FleetEntry[]>({
    ttlMs: PARSED_MAX_AGE_MS,
    maxEntries: 1,
  });
  private readonly snapshots = new SharedAnswers<FleetSnapshot>({
    ttlMs: SNAPSHOT_MAX_AGE_MS,
    maxEntries: 1,
  });
  private readonly states = new SharedAnswers<FleetState>({
    ttlMs: SNAPSHOT_MAX_AGE_MS,
    maxEntries: 1,
  });
  /**
   * Facets change only with a run: kept per version and visibility, so that
   * the callers of one policy condition share them.
   */
  private readonly fleetFacets = new SharedAnswers<FleetQueryAnswer['facets']>({
    ttlMs: 60_000,
    maxEntries: 100,
  });

  static async create(database: DatabaseService): Promise<FleetStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    const store = new FleetStore(knex);
    await store.indexStoredRows();
    return store;
  }

  constructor(private readonly knex: Knex) {}

  /** Rows stored before the query columns existed get them from their posture. */
  async indexStoredRows(): Promise<void> {
    const rows: { posture: string }[] = await this.knex(FLEET)
      .whereNull('search_text')
      .select('posture');
    if (rows.length === 0) return;
    const entries = rows.map(r => JSON.parse(r.posture) as FleetEntry);
    await this.knex.transaction(async trx => {
      for (const entry of entries) {
        const { entity_ref: ref, ...columns } = rowOf(entry);
        await trx(FLEET).where({ entity_ref: ref }).update(columns);
      }
      await trx(VALUES)
        .whereIn(
          'entity_ref',
          entries.map(e => e.entityRef),
        )
        .delete();
      await insertValues(trx, entries);
    });
  }

  /**
   * One page of the fleet for a query, filtered, searched, sorted, counted
   * and paged in SQL, among the entities `visible` lets through.
   */
  async query(
    query: FleetQuery,
    visible: FleetVisibility,
  ): Promise<FleetQueryAnswer> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? FLEET_DEFAULT_LIMIT;
    const [items, total, modes, facets, groups] = await Promise.all([
      this.page(query, visible, offset, limit),
      this.filtered(query, visible).count({ n: '*' }).first() as Promise<
        { n: number | string } | undefined
      >,
      this.valueCounts('mode', this.filtered(query, visible, ['mode'])),
      this.facets(visible),
      query.groupBy
        ? this.valueCounts(query.groupBy, this.filtered(query, visible))
        : undefined,
    ]);
    const countsByMode = Object.fromEntries(
      FLEET_MODE_BUCKETS.map(m => [m, 0]),
    ) as Record<FleetModeBucket, number>;
    for (const { value, count } of modes) {
      if (value in countsByMode) countsByMode[value as FleetModeBucket] = count;
    }
    return {
      items,
      totalItems: Number(total?.n ?? 0),
      offset,
      limit,
      countsByMode,
      facets,
      ...(groups ? { groups: groups.sort(byCountThenValue) } : {}),
    };
  }

  /** The fleet rows (aliased `f`) the filters and search let through. */
  private filtered(
    query: FleetQuery,
    visible: FleetVisibility,
    ignore: (keyof FleetQuery)[] = [],
  ): Knex.QueryBuilder {
    const builder = this.knex(`${FLEET} as f`);
    visible.where?.(builder);
    for (const facet of FLEET_FACETS) {
      const wanted = query[facet] as string[] | undefined;
      if (ignore.includes(facet) || !wanted?.length) continue;
      builder.whereIn(
        'f.entity_ref',
        this.knex(VALUES)
          .select('entity_ref')
          .where('facet', facet)
          .whereIn('value', wanted),
      );
    }
    if (!ignore.includes('q')) {
      for (const word of searchWords(query.q)) {
        builder.whereRaw("f.search_text like ? escape '\\'", [likeWord(word)]);
      }
    }
    return builder;
  }

  private async page(
    query: FleetQuery,
    visible: FleetVisibility,
    offset: number,
    limit: number,
  ): Promise<FleetEntry[]> {
    const sort = query.sort ?? 'name';
    const direction = query.order === 'desc' ? 'desc' : 'asc';
    // Byte order on every database: PostgreSQL would otherwise use the
    // locale's collation, and SQLite and the in-memory path would disagree.
    const byteOrder = this.isPostgres() ? ' collate "C"' : '';
    const collate = TEXT_SORTS.has(sort) ? byteOrder : '';
    const rows: { posture: string }[] = await this.filtered(query, visible)
      .select('f.posture')
      .orderByRaw(`f.${SORT_COLUMNS[sort]}${collate} ${direction}`)
      .orderByRaw(`f.entity_ref${byteOrder} asc`)
      .limit(limit)
      .offset(offset);
    return rows.map(r => JSON.parse(r.posture) as FleetEntry);
  }

  private isPostgres(): boolean {
    return String(this.knex.client.config.client).includes('pg');
  }

  /** Entities per value of a facet, among those of a filtered query. */
  private async valueCounts(
    facet: string,
    among: Knex.QueryBuilder,
  ): Promise<{ value: string; count: number }[]> {
    const rows: { value: string; n: number | string }[] = await this.knex(
      VALUES,
    )
      .select('value')
      .count({ n: '*' })
      .where('facet', facet)
      .whereIn('entity_ref', among.select('f.entity_ref'))
      .groupBy('value');
    return rows.map(r => ({ value: r.value, count: Number(r.n) }));
  }

  /** The values each filter can take, over everything the caller may read. */
  private async facets(
    visible: FleetVisibility,
  ): Promise<FleetQueryAnswer['facets']> {
    const { version } = await this.state();
    return this.fleetFacets.get(JSON.stringify([version, visible.key]), () =>
      this.readFacets(visible),
    );
  }

  private async readFacets(
    visible: FleetVisibility,
  ): Promise<FleetQueryAnswer['facets']> {
    const query = this.knex(VALUES).select('facet', 'value');
    if (visible.where) {
      const readable = this.knex(`${FLEET} as f`).select('f.entity_ref');
      visible.where(readable);
      query.whereIn('entity_ref', readable);
    }
    const rows: { facet: string; value: string }[] = await query.groupBy(
      'facet',
      'value',
    );
    const of = (facet: string) =>
      rows
        .filter(r => r.facet === facet && r.value !== '')
        .map(r => r.value)
        .sort();
    return {
      owners: of('owner'),
      kinds: of('kind'),
      failingChecks: of('failingCheck'),
      warningChecks: of('warningCheck'),
      clusters: of('cluster'),
      accounts: of('account'),
    };
  }

  async startRun(instance: string): Promise<number> {
    const [row] = await this.knex(RUNS)
      .insert({ started_at: new Date(), status: 'running', instance })
      .returning('id');
    return typeof row === 'object' ? row.id : row;
  }

  async failRun(id: number, error: string): Promise<void> {
    await this.knex(RUNS)
      .where({ id })
      .update({
        finished_at: new Date(),
        status: 'failed',
        error: error.slice(0, 2000),
      });
  }

  /**
   * Writes the fleet of a run: entries upserted, entities gone from the
   * catalog deleted, the run marked succeeded, all or nothing.
   */
  async replaceAll(
    runId: number,
    entries: FleetEntry[],
    summary: RunSummary,
  ): Promise<void> {
    await this.knex.transaction(async trx => {
      const current = new Set(entries.map(e => e.entityRef));
      const existing: { entity_ref: string }[] = await trx(FLEET).select(
        'entity_ref',
      );
      const gone = existing
        .map(r => r.entity_ref)
        .filter(ref => !current.has(ref));
      for (let i = 0; i < gone.length; i += WRITE_CHUNK) {
        await trx(FLEET)
          .whereIn('entity_ref', gone.slice(i, i + WRITE_CHUNK))
          .delete();
      }
      for (let i = 0; i < entries.length; i += WRITE_CHUNK) {
        const rows = entries.slice(i, i + WRITE_CHUNK).map(rowOf);
        await trx(FLEET).insert(rows).onConflict('entity_ref').merge();
      }
      await trx(VALUES).delete();
      await insertValues(trx, entries);
      await trx(RUNS)
        .where({ id: runId })
        .update({
          finished_at: new Date(),
          status: 'succeeded',
          entities: summary.entities,
          calls: JSON.stringify(summary.calls),
        });
    });
    // This process wrote the new version: its own readers see it at once.
    this.states.forget('state');
    this.snapshots.forget('snapshot');
  }

  /**
   * The entries and the last run, read from the database at most once a
   * second however many requests ask: what the fleet route serves from.
   */
  snapshot(): Promise<FleetSnapshot> {
    return this.snapshots.get('snapshot', async () => {
      const [entries, lastRun] = await Promise.all([
        this.readAll(),
        this.lastRun(),
      ]);
      return { entries, lastRun };
    });
  }

  /**
   * The version and last run, read from the database at most once a
   * second however many requests ask: what answers are keyed by.
   */
  state(): Promise<FleetState> {
    return this.states.get('state', async () => {
      const [version, lastRun] = await Promise.all([
        this.version(),
        this.lastRun(),
      ]);
      return { version, lastRun };
    });
  }

  private async version(): Promise<number> {
    const row = await this.knex(RUNS)
      .where({ status: 'succeeded' })
      .max({ version: 'id' })
      .first();
    return Number(row?.version ?? 0);
  }

  /**
   * Every stored entry. Parsed once per successful run: the version is the
   * newest succeeded run, which the write of its entries marks atomically.
   */
  async readAll(): Promise<FleetEntry[]> {
    const version = await this.version();
    return this.parsed.get(String(version), async () => {
      const rows: { posture: string }[] = await this.knex(FLEET)
        .select('posture')
        .orderBy('entity_ref');
      return rows.map(r => JSON.parse(r.posture) as FleetEntry);
    });
  }

  async lastRun(): Promise<FleetRefreshInfo | undefined> {
    const row: RunRow | undefined = await this.knex(RUNS)
      .orderBy('id', 'desc')
      .first();
    return row ? runInfo(row) : undefined;
  }

  /** Runs started since a time, oldest first: how often the refresh ran. */
  async runsSince(
    since: Date,
  ): Promise<(FleetRefreshInfo & { instance?: string })[]> {
    const rows: RunRow[] = await this.knex(RUNS)
      .where('started_at', '>=', since)
      .orderBy('id', 'asc');
    return rows.map(r => ({
      ...runInfo(r),
      instance: r.instance ?? undefined,
    }));
  }
}

async function insertValues(trx: Knex, entries: FleetEntry[]) {
  const rows = entries.flatMap(valueRowsOf);
  // Three columns a row: well under every driver's parameter limit.
  for (let i = 0; i < rows.length; i += WRITE_CHUNK * 2) {
    await trx(VALUES).insert(rows.slice(i, i + WRITE_CHUNK * 2));
  }
}

function runInfo(row: RunRow): FleetRefreshInfo {
  return {
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
    status: row.status,
    entities: row.entities ?? undefined,
    calls: row.calls ? JSON.parse(row.calls) : undefined,
    error: row.error ?? undefined,
  };
}

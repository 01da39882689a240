import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  FleetEntry,
  FleetRefreshInfo,
} from '@aws-workload/plugin-aws-workload-common';
import { Knex } from 'knex';

const FLEET = 'aws_workload_fleet';
const RUNS = 'aws_workload_fleet_runs';
const WRITE_CHUNK = 200;

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

export interface FleetSnapshot {
  entries: FleetEntry[];
  lastRun?: FleetRefreshInfo;
}

export class FleetStore {
  private cached?: { version: number; entries: FleetEntry[] };
  private snapshotCache?: { at: number; snapshot: Promise<FleetSnapshot> };

  static async create(database: DatabaseService): Promise<FleetStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new FleetStore(knex);
  }

  constructor(private readonly knex: Knex) {}

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
        const rows = entries.slice(i, i + WRITE_CHUNK).map(e => ({
          entity_ref: e.entityRef,
          kind: e.kind,
          namespace: e.namespace,
          name: e.name,
          owner: e.owner ?? null,
          posture: JSON.stringify(e),
          stale: Boolean(e.stale),
          refreshed_at: new Date(e.refreshedAt),
        }));
        await trx(FLEET).insert(rows).onConflict('entity_ref').merge();
      }
      await trx(RUNS)
        .where({ id: runId })
        .update({
          finished_at: new Date(),
          status: 'succeeded',
          entities: summary.entities,
          calls: JSON.stringify(summary.calls),
        });
    });
  }

  /**
   * The entries and the last run, read from the database at most once a
   * second however many requests ask: what the fleet route serves from.
   */
  snapshot(): Promise<FleetSnapshot> {
    const now = Date.now();
    if (
      this.snapshotCache &&
      now - this.snapshotCache.at < SNAPSHOT_MAX_AGE_MS
    ) {
      return this.snapshotCache.snapshot;
    }
    const snapshot = Promise.all([this.readAll(), this.lastRun()]).then(
      ([entries, lastRun]) => ({ entries, lastRun }),
    );
    snapshot.catch(() => {
      if (this.snapshotCache?.snapshot === snapshot)
        this.snapshotCache = undefined;
    });
    this.snapshotCache = { at: now, snapshot };
    return snapshot;
  }

  /**
   * Every stored entry. Parsed once per successful run: the version is the
   * newest succeeded run, which the write of its entries marks atomically.
   */
  async readAll(): Promise<FleetEntry[]> {
    const row = await this.knex(RUNS)
      .where({ status: 'succeeded' })
      .max({ version: 'id' })
      .first();
    const version = Number(row?.version ?? 0);
    if (this.cached?.version === version) return this.cached.entries;
    const rows: { posture: string }[] = await this.knex(FLEET)
      .select('posture')
      .orderBy('entity_ref');
    const entries = rows.map(r => JSON.parse(r.posture) as FleetEntry);
    this.cached = { version, entries };
    return entries;
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

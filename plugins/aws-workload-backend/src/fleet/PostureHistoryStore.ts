import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  FleetEntry,
  fleetFacetValues,
  FleetTrendDay,
} from '@aws-workload/plugin-aws-workload-common';
import { Knex } from 'knex';

const CHANGES = 'aws_workload_posture_changes';
const DAILY = 'aws_workload_posture_daily';
const WRITE_CHUNK = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The default history kept: 90 days. */
export const DEFAULT_RETENTION_DAYS = 90;

export interface PostureHistoryStoreOptions {
  knex: Knex;
  /** Days of changes and daily counts kept; older rows are deleted. */
  retentionDays: number;
}

/** One recorded change of an entity's posture. */
export interface PostureChangeRecord {
  changedAt: string;
  modes: string[];
  failingChecks: string[];
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const sorted = (values: readonly string[]) => [...values].sort();
const sameValues = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** Whether the entry's workloads were read in its refresh (not kept from an earlier one). */
const readNow = (entry: FleetEntry) =>
  !entry.errors.workloads && !entry.stale?.sections.includes('workloads');

/** Entities per mode bucket and per failing check among the entries. */
function dailyCounts(entries: readonly FleetEntry[]) {
  const counts = new Map<string, number>();
  const add = (dimension: string, value: string) => {
    const key = JSON.stringify([dimension, value]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const entry of entries) {
    for (const mode of fleetFacetValues(entry).mode) add('mode', mode);
    for (const check of new Set(entry.failingChecks)) add('check', check);
  }
  return [...counts].map(([key, entities]) => {
    const [dimension, value] = JSON.parse(key) as [string, string];
    return { dimension, value, entities };
  });
}

/**
 * The fleet's history: each entity's changes of modes or failing checks,
 * and the daily counts per mode and per failing check, kept for the
 * retention, in the plugin's database (SQLite or PostgreSQL).
 */
export class PostureHistoryStore {
  static async create(
    database: DatabaseService,
    options: { retentionDays: number },
  ): Promise<PostureHistoryStore> {
    // The fleet store's start runs the migrations of both.
    return new PostureHistoryStore({
      knex: await database.getClient(),
      ...options,
    });
  }

  constructor(private readonly options: PostureHistoryStoreOptions) {}

  get retentionDays(): number {
    return this.options.retentionDays;
  }

  /**
   * Records a refresh: a change row for each entity whose modes or failing
   * checks differ from the previous refresh (every entity on the first),
   * none for an entity whose workloads could not be read; the day's counts
   * replaced by this refresh's; rows past the retention deleted.
   */
  async record(
    previous: ReadonlyMap<string, FleetEntry>,
    entries: readonly FleetEntry[],
    at: Date,
  ): Promise<{ changes: number }> {
    const changes = entries
      .filter(entry => {
        if (!readNow(entry)) return false;
        const before = previous.get(entry.entityRef);
        return (
          !before ||
          !sameValues(before.modes, entry.modes) ||
          !sameValues(before.failingChecks, entry.failingChecks)
        );
      })
      .map(entry => ({
        entity_ref: entry.entityRef,
        changed_at: at,
        modes: JSON.stringify(sorted(entry.modes)),
        failing_checks: JSON.stringify(sorted(entry.failingChecks)),
      }));
    const day = dayOf(at);
    const cutoff = new Date(at.getTime() - this.options.retentionDays * DAY_MS);
    await this.options.knex.transaction(async trx => {
      for (let i = 0; i < changes.length; i += WRITE_CHUNK) {
        await trx(CHANGES).insert(changes.slice(i, i + WRITE_CHUNK));
      }
      await trx(DAILY).where({ day }).delete();
      const counts = dailyCounts(entries).map(c => ({ day, ...c }));
      for (let i = 0; i < counts.length; i += WRITE_CHUNK) {
        await trx(DAILY).insert(counts.slice(i, i + WRITE_CHUNK));
      }
      await trx(CHANGES).where('changed_at', '<', cutoff).delete();
      await trx(DAILY).where('day', '<', dayOf(cutoff)).delete();
    });
    return { changes: changes.length };
  }

  /** Entities per mode on each of the last `days` days (UTC), oldest first. */
  async trend(days: number, now: Date): Promise<FleetTrendDay[]> {
    const from = dayOf(new Date(now.getTime() - (days - 1) * DAY_MS));
    const rows: { day: string; value: string; entities: number }[] =
      await this.options
        .knex(DAILY)
        .where({ dimension: 'mode' })
        .andWhere('day', '>=', from)
        .orderBy('day')
        .select('day', 'value', 'entities');
    const byDay = new Map<string, FleetTrendDay>();
    for (const row of rows) {
      const entry = byDay.get(row.day) ?? { day: row.day, countsByMode: {} };
      entry.countsByMode[row.value as keyof FleetTrendDay['countsByMode']] =
        Number(row.entities);
      byDay.set(row.day, entry);
    }
    return [...byDay.values()];
  }

  /** An entity's recorded changes, newest first. */
  async changesOf(
    entityRef: string,
    limit = 50,
  ): Promise<PostureChangeRecord[]> {
    const rows: {
      changed_at: Date | string;
      modes: string;
      failing_checks: string;
    }[] = await this.options
      .knex(CHANGES)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'changed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select('changed_at', 'modes', 'failing_checks');
    return rows.map(r => ({
      changedAt: new Date(r.changed_at).toISOString(),
      modes: JSON.parse(r.modes),
      failingChecks: JSON.parse(r.failing_checks),
    }));
  }
}

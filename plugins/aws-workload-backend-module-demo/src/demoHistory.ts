import { DatabaseService } from '@backstage/backend-plugin-api';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

const DAILY = 'aws_workload_posture_daily';
const DAYS = 29;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The demo's last four weeks, so that the fleet page's trend has a story:
 * the services moved off static keys to IRSA and Pod Identity. Today's
 * counts are the refresh's own.
 */
export function demoHistoryRows(now: Date) {
  return Array.from({ length: DAYS }, (_, i) => {
    const daysAgo = DAYS - i;
    const t = i / (DAYS - 1);
    const day = new Date(now.getTime() - daysAgo * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const staticKeys = Math.round(4 - 2 * t);
    const counts: Record<string, number> = {
      irsa: Math.round(1 + 2 * t),
      'pod-identity': t > 0.5 ? 1 : 0,
      'static-keys': staticKeys,
      'node-role': 1,
    };
    return [
      ...Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([value, entities]) => ({
          day,
          dimension: 'mode',
          value,
          entities,
        })),
      {
        day,
        dimension: 'check',
        value: 'static-keys-present',
        entities: staticKeys,
      },
    ];
  }).flat();
}

/**
 * Writes the demo's past days into the plugin's history, once: only where
 * the plugin has its tables and holds no day before today.
 */
export async function seedDemoHistory(knex: Knex, now: Date): Promise<boolean> {
  if (!(await knex.schema.hasTable(DAILY))) return false;
  const today = now.toISOString().slice(0, 10);
  const earlier = await knex(DAILY).where('day', '<', today).first();
  if (earlier) return false;
  await knex(DAILY).insert(demoHistoryRows(now));
  return true;
}

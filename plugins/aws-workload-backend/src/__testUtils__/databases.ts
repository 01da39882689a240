import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { spawnSync } from 'node:child_process';

const PG_HOST = process.env.POSTGRES_HOST ?? '127.0.0.1';
const PG_PORT = Number(process.env.POSTGRES_PORT ?? 5432);

/** A synchronous TCP probe, so a suite can be declared skipped up front. */
export function reachable(host: string, port: number): boolean {
  const probe = `require('net')
    .connect({ host: ${JSON.stringify(
      host,
    )}, port: ${port} }, () => process.exit(0))
    .on('error', () => process.exit(1));
  setTimeout(() => process.exit(1), 1500);`;
  return spawnSync(process.execPath, ['-e', probe]).status === 0;
}

/**
 * SQLite always; PostgreSQL 15 too where one answers on this machine (the
 * production database), through Backstage's TestDatabases.
 */
export function fleetTestDatabases(): {
  databases: TestDatabases;
  ids: TestDatabaseId[];
} {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  const envVar = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
  if (process.env[envVar] || reachable(PG_HOST, PG_PORT)) {
    process.env[envVar] ??= `postgresql://${
      process.env.POSTGRES_USER ?? 'postgres'
    }@${PG_HOST}:${PG_PORT}`;
    ids.push('POSTGRES_15');
  } else {
    process.stderr.write(
      `SKIPPED the PostgreSQL half of the fleet store tests: nothing answers at ${PG_HOST}:${PG_PORT}\n`,
    );
  }
  return { databases: TestDatabases.create({ ids }), ids };
}

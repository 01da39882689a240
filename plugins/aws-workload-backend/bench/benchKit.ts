/**
 * What the benchmarks share: their flags, the load run from a separate
 * process, and the tables they print.
 */
import type autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The value after `--name` on the command line. */
export const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/**
 * One route under load for `duration` seconds from a separate process
 * (loadClient.js), so that the generator does not share the backend's event
 * loop; every request must answer within autocannon's 10 s.
 */
export async function loadFromChild(job: {
  url: string;
  paths: string[];
  connections: number;
  duration: number;
  headers: Record<string, string>;
}): Promise<autocannon.Result> {
  const child = execFileAsync(
    process.execPath,
    [path.join(__dirname, 'loadClient.js'), JSON.stringify(job)],
    { maxBuffer: 64 * 2 ** 20 },
  );
  // On a 2-core machine the busy backend can starve the load generator,
  // which then times out on answers the backend already sent. Where allowed
  // (root), the generator runs at a higher priority, so the run measures the
  // backend.
  try {
    os.setPriority(child.child.pid!, -10);
  } catch {
    process.stderr.write('load generator at normal priority (not root)\n');
  }
  const { stdout } = await child;
  return JSON.parse(stdout) as autocannon.Result;
}

/** A Markdown table, cells right-aligned, as the READMEs quote them. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * `yarn bench:inspect`: the offline inspector on a generated input of
 * 10,000 objects (flag --objects), run from its built package in a process
 * of its own, five times. Target: at most 5 s and 400 MiB.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeInput } from './generateInput';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const OBJECTS = Number(arg('objects') ?? 10_000);
const RUNS = Number(arg('runs') ?? 5);
const PACKAGE = path.resolve(__dirname, '..');
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main() {
  process.stderr.write('building @aws-workload/cli ...\n');
  execFileSync('yarn', ['backstage-cli', 'package', 'build'], {
    cwd: PACKAGE,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-bench-'));
  try {
    writeInput(dir, OBJECTS);
    const runs = Array.from({ length: RUNS }, () => {
      const wallStart = process.hrtime.bigint();
      const out = execFileSync(
        process.execPath,
        [
          path.join(__dirname, 'runOnce.js'),
          path.join(PACKAGE, 'dist/index.cjs.js'),
          dir,
        ],
        { cwd: dir, maxBuffer: 2 ** 30 },
      );
      const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
      return { ...JSON.parse(String(out)), wallMs };
    });
    // Every run must have answered: one in five generated workloads has keys.
    if (runs.some(r => r.code !== 1 || r.bytes === 0)) {
      throw new Error(`an inspection did not answer: ${JSON.stringify(runs)}`);
    }
    const wall = median(runs.map(r => r.wallMs)) / 1000;
    const rss = median(runs.map(r => r.maxRssMiB));
    const within = wall <= 5 && rss <= 400;
    process.stdout.write(
      [
        `aws-workload inspect on ${OBJECTS.toLocaleString(
          'en',
        )} objects in 100 files (${os.cpus().length} cores, Node ${
          process.versions.node
        }), median of ${RUNS} runs:`,
        '',
        '| | whole command (s) | inspection (s) | peak RSS (MiB) | target |',
        '|---|---:|---:|---:|---|',
        `| ${within ? 'met' : 'MISSED'} | ${wall.toFixed(2)} | ${(
          median(runs.map(r => r.ms)) / 1000
        ).toFixed(2)} | ${rss.toFixed(0)} | at most 5 s and 400 MiB |`,
        '',
      ].join('\n'),
    );
    process.exitCode = within ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();

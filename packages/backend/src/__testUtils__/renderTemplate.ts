import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** This repository's root. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/**
 * `yarn template:render` of the vote-service template with these values, in
 * a new temporary folder: the real scaffolder's dry run with the real
 * actions. `output` is where the repository is written.
 */
export function renderVoteTemplate(values: Record<string, unknown>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-test-'));
  const valuesFile = path.join(dir, 'values.json');
  fs.writeFileSync(valuesFile, JSON.stringify(values));
  const output = path.join(dir, 'out');
  const result = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, '../templateRender.ts'),
      path.join(
        REPO_ROOT,
        'plugins/catalog-backend-module-aws-workload-templates/templates/vote-service',
      ),
      '--values',
      valuesFile,
      '--output',
      output,
    ],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, INIT_CWD: REPO_ROOT },
    },
  );
  return { ...result, output };
}

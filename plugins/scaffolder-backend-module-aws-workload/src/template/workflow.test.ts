import {
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const SKELETON = path.resolve(
  __dirname,
  '../../../catalog-backend-module-aws-workload-templates/templates/vote-service/skeleton',
);

/** The skeleton's workflow as fetch:template writes it: values in, raw markers out. */
function rendered(values: Record<string, string>): string {
  return fs
    .readFileSync(path.join(SKELETON, '.github/workflows/deploy.yaml'), 'utf8')
    .replace(/\$\{\{\s*values\.(\w+)\s*\}\}/g, (_, key) => values[key])
    .replace(/\{%\s*(end)?raw\s*%\}\n?/g, '');
}

describe('the generated GitHub Actions workflow', () => {
  it('parses as a valid workflow with GitHub’s own parser', () => {
    const content = rendered({
      awsRegion: 'eu-west-3',
      awsAccountId: '123456789012',
      name: 'ballot',
      clusterName: 'vote-demo',
    });
    const result = parseWorkflow(
      { name: 'deploy.yaml', content },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('is reported invalid when a job is malformed (the check can fail)', () => {
    const content = rendered({
      awsRegion: 'eu-west-3',
      awsAccountId: '1',
      name: 'b',
      clusterName: 'c',
    }).replace('runs-on: ubuntu-latest', 'runs-on: [[[');
    const result = parseWorkflow(
      { name: 'deploy.yaml', content },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it('grants id-token: write to the deploy job only, never to the job that installs packages', () => {
    const workflow = parse(
      rendered({
        awsRegion: 'eu-west-3',
        awsAccountId: '123456789012',
        name: 'ballot',
        clusterName: 'vote-demo',
      }),
    );
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const withToken = Object.entries(workflow.jobs)
      .filter(
        ([, job]: [string, any]) => job.permissions?.['id-token'] === 'write',
      )
      .map(([id]) => id);
    expect(withToken).toEqual(['deploy']);
    expect(workflow.jobs.test.permissions).toBeUndefined();
  });
});

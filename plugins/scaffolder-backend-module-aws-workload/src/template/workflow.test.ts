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

const VALUES = {
  awsRegion: 'eu-west-3',
  awsAccountId: '123456789012',
  name: 'ballot',
  clusterName: 'vote-demo',
};

describe('the generated GitHub Actions workflow', () => {
  it('parses as a valid workflow with GitHub’s own parser', () => {
    const content = rendered(VALUES);
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
    const workflow = parse(rendered(VALUES));
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const withToken = Object.entries(workflow.jobs)
      .filter(
        ([, job]: [string, any]) => job.permissions?.['id-token'] === 'write',
      )
      .map(([id]) => id);
    expect(withToken).toEqual(['deploy']);
    expect(workflow.jobs.test.permissions).toBeUndefined();
  });

  it('installs exactly what is locked, and gates on static keys with the inspector pinned to the released CLI version', () => {
    const workflow = parse(rendered(VALUES));
    const runs: string[] = workflow.jobs.test.steps
      .map((step: { run?: string }) => step.run)
      .filter(Boolean);
    expect(runs).toContain('npm ci');
    expect(runs.join('\n')).not.toMatch(/npm install/);
    const gate = runs.find(run => run.includes('aws-workload inspect'));
    const cli = JSON.parse(
      fs.readFileSync(
        path.resolve(
          __dirname,
          '../../../../packages/aws-workload-cli/package.json',
        ),
        'utf8',
      ),
    );
    expect(gate).toBe(
      `npx --yes --package ${cli.name}@${cli.version} aws-workload inspect k8s/`,
    );
    // The image builds from the lockfile too.
    const dockerfile = fs.readFileSync(
      path.join(SKELETON, 'Dockerfile'),
      'utf8',
    );
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(
      /^ARG NODE_IMAGE=node:[\w.-]+@sha256:[0-9a-f]{64}$/m,
    );
    for (const from of dockerfile.match(/^FROM .*/gm)!)
      expect(from).toMatch(/^FROM \$\{NODE_IMAGE\}/);
    expect(fs.existsSync(path.join(SKELETON, 'package-lock.json'))).toBe(true);
  });
});

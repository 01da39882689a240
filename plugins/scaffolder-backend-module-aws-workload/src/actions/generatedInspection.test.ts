import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { main } from '@aws-workload/cli';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createIacRenderAction } from './iac/iacRender';
import { examples as iacExamples } from './iac/iacRender.examples';
import { createManifestsRenderAction } from './manifests/manifestsRender';
import { examples as manifestExamples } from './manifests/manifestsRender.examples';

/**
 * Every flavour and credential mode the template generates, read back by
 * the offline inspector as a CI gate would read the repository: the vote
 * Deployment must come out in the chosen mode with no finding to act on.
 */
const FLAVOURS = ['terraform', 'cdk', 'ack'] as const;
const MODES = ['irsa', 'pod-identity'] as const;

const stepInput = (example: { example: string }) =>
  yaml.parse(example.example).steps[0].input;

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A CDK repository holds TypeScript; what the inspector reads is its
 * synthesized template, as `cdk synth` writes it into cdk.out.
 */
function synthesize(workspace: string) {
  const appDir = path.join(workspace, 'infra/cdk');
  // Loaded from inside this package so that it resolves aws-cdk-lib, from
  // a new folder each time (require caches by path).
  const loadable = path.resolve(
    __dirname,
    '../../.cdk-inspect-test',
    randomBytes(4).toString('hex'),
  );
  fs.cpSync(appDir, loadable, { recursive: true });
  try {
    const { VoteServiceStack } = require(path.join(
      loadable,
      'lib/vote-service-stack.ts',
    ));
    const app = new cdk.App();
    const stack = new VoteServiceStack(app, 'vote', {
      env: { account: '123456789012', region: 'eu-west-3' },
    });
    fs.mkdirSync(path.join(appDir, 'cdk.out'), { recursive: true });
    fs.writeFileSync(
      path.join(appDir, 'cdk.out/vote.template.json'),
      JSON.stringify(Template.fromStack(stack).toJSON(), null, 1),
    );
  } finally {
    fs.rmSync(loadable, { recursive: true, force: true });
  }
}

async function generate(
  flavour: (typeof FLAVOURS)[number],
  mode: (typeof MODES)[number],
) {
  const workspace = createMockDirectory();
  const manifests = stepInput(manifestExamples[0]);
  await createManifestsRenderAction().handler(
    createMockActionContext({
      input: { ...manifests, credentials: mode },
      workspacePath: workspace.path,
    }) as any,
  );
  await createIacRenderAction().handler(
    createMockActionContext({
      input: { ...stepInput(iacExamples[0]), flavour, credentials: mode },
      workspacePath: workspace.path,
    }) as any,
  );
  if (flavour === 'cdk') synthesize(workspace.path);
  return workspace.path;
}

async function inspectRepository(dir: string, env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await main(['inspect', '.', '--json'], {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
    cwd: dir,
    env,
  });
  return { code, stderr, report: JSON.parse(stdout) };
}

/** The vote Deployment in the chosen mode, with nothing to act on. */
async function expectCleanInspection(
  dir: string,
  env: NodeJS.ProcessEnv,
  mode: (typeof MODES)[number],
) {
  const { code, stderr, report } = await inspectRepository(dir, env);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const [vote, ...others] = report.workloads;
  expect(others).toEqual([]);
  expect(vote).toMatchObject({
    kind: 'Deployment',
    namespace: 'vote',
    name: 'vote',
    mode,
  });
  const toActOn = vote.findings.filter((f: any) => f.status !== 'pass');
  expect(toActOn).toEqual([]);
  // What could be checked offline was: the role ARN's format under IRSA,
  // the association and the role's trust (among the inputs) under Pod
  // Identity.
  expect(vote.findings.map((f: any) => f.check)).toEqual(
    mode === 'irsa'
      ? ['role-arn-format']
      : ['association-exists', 'trust-pods-principal'],
  );
}

describe('the offline inspector on every generated repository', () => {
  const cases = FLAVOURS.flatMap(f => MODES.map(m => [f, m] as const));
  // The first CDK synthesis loads aws-cdk-lib: seconds, more on a busy machine.
  const SYNTH_TIMEOUT = 60_000;

  it.each(cases)(
    '%s with %s, its files read as they are',
    async (flavour, mode) => {
      const dir = await generate(flavour, mode);
      await expectCleanInspection(dir, { PATH: '' }, mode);
    },
    SYNTH_TIMEOUT,
  );

  // Reported as skipped, under this name, where kubectl is not on PATH.
  (hasKubectl() ? it.each(cases) : it.skip.each(cases))(
    '%s with %s, its kustomization rendered by kubectl kustomize (needs kubectl on PATH)',
    async (flavour, mode) => {
      const dir = await generate(flavour, mode);
      await expectCleanInspection(dir, { PATH: process.env.PATH }, mode);
    },
    SYNTH_TIMEOUT,
  );
});

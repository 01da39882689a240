import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { main } from '@aws-workload/cli';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createIacRenderAction } from '../iac/iacRender';
import { examples as iacExamples } from '../iac/iacRender.examples';
import { createManifestsRenderAction } from '../manifests/manifestsRender';
import { examples as manifestExamples } from '../manifests/manifestsRender.examples';

/**
 * Repositories as the template's actions generate them, for the tests that
 * read them back (the offline inspector, the fix actions).
 */
export const FLAVOURS = ['terraform', 'cdk', 'ack'] as const;
export const MODES = ['irsa', 'pod-identity'] as const;
export type Flavour = (typeof FLAVOURS)[number];
export type Mode = (typeof MODES)[number];

const stepInput = (example: { example: string }) =>
  yaml.parse(example.example).steps[0].input;

/** The wizard's options, as the template passes them to both actions. */
export interface Options {
  ingress?: boolean;
  secrets?: boolean;
  secretKmsKeyArn?: string;
}

/** No option, and every option at once. */
export const OPTION_SETS: Options[] = [
  {},
  {
    ingress: true,
    secrets: true,
    secretKmsKeyArn:
      'arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  },
];

/** The values every generated repository here is rendered with. */
export const GENERATED = {
  manifests: stepInput(manifestExamples[0]),
  iac: stepInput(iacExamples[0]),
};

/** The repository's files by relative path (cdk.out left out). */
export function readFiles(dir: string, base = dir): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'cdk.out') continue;
      for (const [p, c] of readFiles(full, base)) files.set(p, c);
    } else {
      files.set(path.relative(base, full), fs.readFileSync(full, 'utf8'));
    }
  }
  return files;
}

/**
 * A CDK repository holds TypeScript; what the inspector reads is its
 * synthesized template, as `cdk synth` writes it into cdk.out.
 */
export function synthesize(workspace: string) {
  const appDir = path.join(workspace, 'infra/cdk');
  // Loaded from inside this package so that it resolves aws-cdk-lib, from
  // a new folder each time (require caches by path).
  const loadable = path.resolve(
    __dirname,
    '../../../.cdk-inspect-test',
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

/** A new repository in a temporary directory, as the template writes it. */
export async function generate(
  flavour: Flavour,
  mode: Mode,
  options: { synthesize?: boolean } & Options = {},
): Promise<string> {
  const workspace = createMockDirectory();
  const ingress = options.ingress ?? false;
  const secrets = options.secrets ?? false;
  await createManifestsRenderAction().handler(
    createMockActionContext({
      input: { ...GENERATED.manifests, credentials: mode, ingress, secrets },
      workspacePath: workspace.path,
    }) as any,
  );
  await createIacRenderAction().handler(
    createMockActionContext({
      input: {
        ...GENERATED.iac,
        flavour,
        credentials: mode,
        ingress,
        secrets,
        secretKmsKeyArn: options.secretKmsKeyArn,
      },
      workspacePath: workspace.path,
    }) as any,
  );
  if (flavour === 'cdk' && options.synthesize !== false) {
    synthesize(workspace.path);
  }
  return workspace.path;
}

/** The offline inspector's JSON report of a repository, as CI would run it. */
export async function inspectRepository(
  dir: string,
  env: NodeJS.ProcessEnv = { PATH: '' },
) {
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
export async function expectCleanInspection(
  dir: string,
  env: NodeJS.ProcessEnv,
  mode: Mode,
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

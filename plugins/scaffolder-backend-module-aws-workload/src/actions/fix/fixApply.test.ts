import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  expectCleanInspection,
  Flavour,
  FLAVOURS,
  generate,
  GENERATED,
  Mode,
  MODES,
  readFiles,
  synthesize,
} from '../__testUtils__/generatedRepository';
import { createFixApplyAction, FixRequest } from './fixApply';

/**
 * Each fix, on repositories the template generated and someone then broke,
 * must give back what the template generates for the target mode (the
 * same objects in the manifests, byte for byte in the IaC), and the
 * offline inspector must find the workload in that mode with nothing to
 * act on.
 */
const REQUEST: Omit<FixRequest, 'fix'> = {
  name: 'vote',
  namespace: 'vote',
  owner: GENERATED.iac.owner,
  entityRef: GENERATED.iac.entityRef,
  awsAccountId: GENERATED.iac.awsAccountId,
  awsRegion: GENERATED.iac.awsRegion,
  clusterName: GENERATED.iac.clusterName,
  oidcIssuer: GENERATED.iac.oidcIssuer,
  oidcProviderRegistered: GENERATED.iac.oidcProviderRegistered,
};
const SYNTH_TIMEOUT = 60_000;

async function runFix(dir: string, input: Partial<FixRequest>) {
  const ctx = createMockActionContext({
    input: { ...REQUEST, ...input },
    workspacePath: dir,
  });
  await createFixApplyAction().handler(ctx as any);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

function edit(dir: string, file: string, change: (text: string) => string) {
  const full = path.join(dir, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
}

function editYaml(
  dir: string,
  file: string,
  change: (doc: yaml.Document) => void,
) {
  edit(dir, file, text => {
    const doc = yaml.parseDocument(text);
    change(doc);
    return doc.toString();
  });
}

/** What someone does to move a workload to keys: a Secret, envFrom, no IRSA. */
function putStaticKeys(dir: string) {
  fs.writeFileSync(
    path.join(dir, 'k8s/aws-credentials.yaml'),
    yaml.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'vote-aws-credentials', namespace: 'vote' },
      stringData: {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    }),
  );
  editYaml(dir, 'k8s/kustomization.yaml', doc =>
    doc.addIn(['resources'], 'aws-credentials.yaml'),
  );
  editYaml(dir, 'k8s/deployment.yaml', doc =>
    doc.setIn(
      ['spec', 'template', 'spec', 'containers', 0, 'envFrom'],
      [{ secretRef: { name: 'vote-aws-credentials' } }],
    ),
  );
  editYaml(dir, 'k8s/serviceaccount.yaml', doc =>
    doc.deleteIn(['metadata', 'annotations']),
  );
}

/** YAML compared as objects, everything else as text. */
function comparable(files: Map<string, string>) {
  return Object.fromEntries(
    [...files].map(([p, c]) => [
      p,
      /\.ya?ml$/.test(p) ? yaml.parseAllDocuments(c).map(d => d.toJS()) : c,
    ]),
  );
}

async function expectGenerated(dir: string, flavour: Flavour, mode: Mode) {
  const expected = await generate(flavour, mode, { synthesize: false });
  expect(comparable(readFiles(dir))).toEqual(comparable(readFiles(expected)));
  if (flavour === 'cdk') synthesize(dir);
  await expectCleanInspection(dir, { PATH: '' }, mode);
}

const everyFlavourAndMode = FLAVOURS.flatMap(f =>
  MODES.flatMap(from => MODES.map(to => [f, from, to] as const)),
);

describe('aws-workload:fix:apply', () => {
  it.each(everyFlavourAndMode)(
    'moves a %s repository generated for %s and then given static keys to %s',
    async (flavour, generatedFor, target) => {
      const dir = await generate(flavour, generatedFor, { synthesize: false });
      putStaticKeys(dir);
      const output = await runFix(dir, { fix: 'static-keys', target });
      expect(fs.existsSync(path.join(dir, 'k8s/aws-credentials.yaml'))).toBe(
        false,
      );
      expect(output.diff).toContain(
        '-  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE',
      );
      expect(output.changedFiles).toContain('k8s/aws-credentials.yaml');
      expect(output.description).toContain(
        'removed Secret vote-aws-credentials',
      );
      await expectGenerated(dir, flavour, target);
    },
    SYNTH_TIMEOUT,
  );

  it.each(FLAVOURS)(
    "repairs a %s role whose IRSA trust names another namespace's ServiceAccount",
    async flavour => {
      const dir = await generate(flavour, 'irsa', { synthesize: false });
      const infra = [...readFiles(dir).keys()].filter(p =>
        p.startsWith('infra/'),
      );
      for (const file of infra) {
        edit(dir, file, t =>
          t.replace(
            'system:serviceaccount:vote:vote',
            'system:serviceaccount:default:vote',
          ),
        );
      }
      const output = await runFix(dir, { fix: 'irsa-trust' });
      expect(output.diff).toMatch(/^-.*system:serviceaccount:default:vote/m);
      expect(output.diff).toMatch(/^\+.*system:serviceaccount:vote:vote/m);
      expect(output.changedFiles).toHaveLength(1);
      await expectGenerated(dir, flavour, 'irsa');
    },
    SYNTH_TIMEOUT,
  );

  it.each(FLAVOURS)(
    'migrates a %s repository from IRSA to Pod Identity',
    async flavour => {
      const dir = await generate(flavour, 'irsa', { synthesize: false });
      const output = await runFix(dir, { fix: 'irsa-to-pod-identity' });
      expect(output.diff).toMatch(/^-\s+eks\.amazonaws\.com\/role-arn/m);
      expect(output.diff).toContain('pods.eks.amazonaws.com');
      expect(output.branchName).toBe('aws-workload/irsa-to-pod-identity-vote');
      await expectGenerated(dir, flavour, 'pod-identity');
    },
    SYNTH_TIMEOUT,
  );

  it('says there is nothing to change on a repository that is already right', async () => {
    const dir = await generate('terraform', 'irsa', { synthesize: false });
    await expect(runFix(dir, { fix: 'irsa-trust' })).rejects.toThrow(
      /^Nothing to change/,
    );
  });

  it('refuses a repository without a generated service role, and writes nothing', async () => {
    const dir = await generate('terraform', 'irsa', { synthesize: false });
    putStaticKeys(dir);
    fs.rmSync(path.join(dir, 'infra'), { recursive: true });
    const before = readFiles(dir);
    const failure = runFix(dir, { fix: 'static-keys' });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(/no service role under infra\//);
    expect(readFiles(dir)).toEqual(before);
  });

  it('names the workload it cannot find', async () => {
    const dir = await generate('ack', 'irsa', { synthesize: false });
    await expect(
      runFix(dir, { fix: 'static-keys', workload: 'ballot' }),
    ).rejects.toThrow(/^workload: no workload named ballot in namespace vote/);
  });

  it('refuses when keys would still reach the workload, and writes nothing', async () => {
    const dir = await generate('terraform', 'irsa', { synthesize: false });
    // A mounted credentials file: the fix edits env and envFrom only.
    editYaml(dir, 'k8s/deployment.yaml', doc => {
      doc.setIn(
        ['spec', 'template', 'spec', 'volumes'],
        [{ name: 'aws', secret: { secretName: 'aws-files' } }],
      );
      doc.setIn(
        ['spec', 'template', 'spec', 'containers', 0, 'volumeMounts'],
        [{ name: 'aws', mountPath: '/root/.aws', readOnly: true }],
      );
    });
    fs.writeFileSync(
      path.join(dir, 'k8s/aws-files.yaml'),
      yaml.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'aws-files', namespace: 'vote' },
        stringData: {
          credentials:
            '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
        },
      }),
    );
    const before = readFiles(dir);
    await expect(runFix(dir, { fix: 'static-keys' })).rejects.toThrow(
      /^workload: static keys still reach vote in ways this fix does not edit \(vote: credentials-file/,
    );
    expect(readFiles(dir)).toEqual(before);
  });
});

/**
 * Every parameter of the vote-service template, random and hostile, through
 * the template itself (the scaffolder's dry run with the real actions): the
 * run is refused with a message naming the field, or every generated file
 * parses and holds each value as data, never as syntax.
 */
import fc from 'fast-check';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  parseDynamoDbTableArn,
  parseEcrRepositoryArn,
  partitionOfRegion,
} from '@aws-workload/plugin-aws-workload-common';
import { GeneratedFile, TemplateDryRunner } from './templateDryRun';

const templateDir = path.resolve(
  __dirname,
  '../../../plugins/catalog-backend-module-aws-workload-templates/templates/vote-service',
);

/** Characters that end strings or start syntax in JSON, YAML, HCL, TS, Nunjucks. */
const HOSTILE = [
  ...'aZ09-_./:"\'`{}[]$%\\#&*!@|>,;= ',
  '\n',
  '${{',
  '}}',
  '${',
  '%{',
  '{%',
  '\u2028',
];
const hostile = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...HOSTILE), maxLength });

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const oneOf = <T>(...arbs: fc.Arbitrary<T>[]) => fc.oneof(...arbs);

/**
 * Values as a portal user (or a script calling the API) could send them:
 * the free-text fields (owner, description) always random and often hostile;
 * at most one pattern-bound field hostile per run, so that both refusals
 * and rendered repositories come up.
 */
const CONSTRAINED = [
  'name',
  'voteOptions',
  'awsAccountId',
  'awsRegion',
  'clusterName',
  'oidcIssuer',
  'namespace',
  'githubOwner',
  'githubRepo',
] as const;

const templateValues = fc
  .record({
    valid: fc.record({
      name: dnsLabel,
      voteOptions: fc.uniqueArray(dnsLabel, { minLength: 2, maxLength: 4 }),
      awsAccountId: fc.stringMatching(/^\d{12}$/),
      awsRegion: fc.constantFrom(
        'eu-west-3',
        'us-east-1',
        'cn-north-1',
        'us-gov-west-1',
      ),
      clusterName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/),
      oidcIssuer: fc.option(
        fc
          .stringMatching(/^[0-9A-F]{32}$/)
          .map(id => `https://oidc.eks.eu-west-3.amazonaws.com/id/${id}`),
        { nil: undefined },
      ),
      namespace: dnsLabel.filter(n => !n.startsWith('kube-')),
      githubOwner: dnsLabel,
      githubRepo: dnsLabel,
    }),
    broken: fc.option(fc.constantFrom(...CONSTRAINED), { nil: undefined }),
    hostileValue: oneOf(
      hostile(20),
      fc.constantFrom('kube-system', 'kube-public', 'kube-node-lease'),
    ),
    owner: oneOf(
      dnsLabel.map(n => `group:default/${n}`),
      hostile(40),
      fc.string({ maxLength: 40 }),
    ),
    description: oneOf(hostile(80), fc.string({ maxLength: 80 })),
    iac: fc.constantFrom('terraform', 'cdk', 'ack'),
    credentials: fc.constantFrom('irsa', 'pod-identity'),
    createCluster: fc.boolean(),
  })
  .map(({ valid, broken, hostileValue, createCluster, ...free }) => {
    const v: Record<string, unknown> = { ...valid };
    if (broken === 'voteOptions') v.voteOptions = ['up', hostileValue];
    else if (broken) v[broken] = hostileValue;
    const { githubOwner, githubRepo, oidcIssuer, ...rest } = v as any;
    return {
      ...rest,
      ...free,
      // "Create a cluster" exists with Terraform and CDK only (the form's
      // dependencies); oidcIssuer is optional.
      ...(free.iac === 'ack' ? {} : { createCluster }),
      ...(oidcIssuer === undefined ? {} : { oidcIssuer }),
      repoUrl: `github.com?owner=${encodeURIComponent(
        githubOwner,
      )}&repo=${encodeURIComponent(githubRepo)}`,
    } as {
      name: string;
      owner: string;
      description: string;
      voteOptions: string[];
      namespace: string;
      clusterName: string;
      repoUrl: string;
      [key: string]: unknown;
    };
  });

type Values = typeof templateValues extends fc.Arbitrary<infer V> ? V : never;

/** A template parameter by its key, or the repository location by its parts. */
const NAMES_A_PARAMETER = new RegExp(
  `(\\.|^|InputError: )(${[
    'name',
    'owner',
    'description',
    'voteOptions(\\[\\d+\\])?',
    'awsAccountId',
    'awsRegion',
    'iac',
    'credentials',
    'clusterName',
    'oidcIssuer',
    'namespace',
    'createCluster',
    'repoUrl',
    'github owner',
    'github repo',
  ].join('|')}) `,
);

/**
 * A refusal names the parameter the user filled in (the schema's errors, or
 * a step's InputError), never only an action's input the user never saw, and
 * never a file that does not parse.
 */
function expectRefusalNamingAParameter(reason: string) {
  expect(reason).not.toMatch(/do not parse/);
  expect(reason).toMatch(NAMES_A_PARAMETER);
}

function text(files: GeneratedFile[], file: string): string {
  const found = files.find(f => f.path === file);
  if (!found) throw new Error(`no ${file} among the generated files`);
  return Buffer.from(found.base64Content, 'base64').toString('utf8');
}

/** Each value where the repository keeps it, read back through its format. */
function expectValuesAsData(files: GeneratedFile[], values: Values) {
  const pkg = JSON.parse(text(files, 'package.json'));
  expect(pkg.name).toBe(values.name);
  expect(pkg.description).toBe(values.description);
  const [component, ...resources] = parseAllDocuments(
    text(files, 'catalog-info.yaml'),
  ).map(d => d.toJS());
  expect(component.metadata.name).toBe(values.name);
  expect(component.metadata.description).toBe(values.description);
  for (const entity of [component, ...resources]) {
    expect(entity.spec.owner).toBe(values.owner);
  }
  expect(Object.keys(component.spec)).toEqual([
    'type',
    'lifecycle',
    'owner',
    'dependsOn',
  ]);
  const annotations = component.metadata.annotations;
  expect(annotations['backstage.io/kubernetes-namespace']).toBe(
    values.namespace,
  );
  expect(annotations['aws.amazon.com/eks-cluster-name']).toBe(
    values.clusterName,
  );
  const repo = new URLSearchParams(values.repoUrl.split('?')[1]);
  expect(annotations['github.com/project-slug']).toBe(
    `${repo.get('owner')}/${repo.get('repo')}`,
  );
  // ARNs in the region's partition: arn:aws-cn in China, arn:aws-us-gov in GovCloud.
  const { partition } = partitionOfRegion(String(values.awsRegion));
  for (const arn of [
    parseDynamoDbTableArn(annotations['aws.amazon.com/dynamodb-table-arn']),
    parseEcrRepositoryArn(annotations['aws.amazon.com/amazon-ecr-arn']),
  ]) {
    expect(arn).toMatchObject({
      partition,
      region: values.awsRegion,
      accountId: values.awsAccountId,
    });
  }
  expect(Object.keys(annotations).sort()).toEqual(
    [
      'aws.amazon.com/amazon-ecr-arn',
      'aws.amazon.com/dynamodb-actions',
      'aws.amazon.com/dynamodb-table-arn',
      'aws.amazon.com/eks-cluster-name',
      'backstage.io/kubernetes-id',
      'backstage.io/kubernetes-namespace',
      'github.com/project-slug',
    ].sort(),
  );
}

describe('the vote-service template under random values', () => {
  let runner: TemplateDryRunner;
  beforeAll(async () => {
    runner = await TemplateDryRunner.start();
  }, 60_000);
  afterAll(() => runner?.stop());

  it('refuses naming the field, or writes files that parse with every value as data', async () => {
    const outcomes = { rendered: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(templateValues, async values => {
        const outcome = await runner.render(templateDir, values);
        if (!outcome.ok) {
          outcomes.refused += 1;
          expectRefusalNamingAParameter(outcome.reason);
          return;
        }
        outcomes.rendered += 1;
        expectValuesAsData(outcome.files, values);
      }),
      { numRuns: 150, seed: 20261207, endOnFailure: true },
    );
    // Both sides were exercised: a run that refused everything would
    // prove nothing about the files.
    expect(outcomes.rendered).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  }, 600_000);
});

import { InputError } from '@backstage/errors';
import { parse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import yaml from 'yaml';
import ts from 'typescript';
import { renderCdk } from './iac/cdk/renderCdk';
import { renderTerraform } from './iac/terraform/renderTerraform';
import { IacModel } from './iac/model';
import { renderManifests, ManifestModel } from './manifests/renderManifests';

/** Names from a mix of plausible and hostile characters, of any length. */
const name = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}[a-z0-9]$/),
  fc.string({
    unit: fc.constantFrom(...'aZ09-_./"\'{}$%\\\n :#&*!@[]'.split('')),
    maxLength: 70,
  }),
  fc.string({ maxLength: 300 }),
);

const iacModel = (n: string, table: string, ns: string): IacModel => ({
  name: n,
  owner: 'group:default/vote-team',
  entityRef: 'component:default/vote',
  accountId: '123456789012',
  region: 'eu-west-3',
  tableName: table,
  repositoryName: n,
  namespace: ns,
  serviceAccountName: n,
  credentials: 'irsa',
  tableActions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  cluster: {
    mode: 'existing',
    name: 'vote-demo',
    oidcIssuer:
      'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
    oidcProviderRegistered: false,
  },
  github: { owner: 'acme', repo: n },
});

/** Rendering either throws an InputError or gives output that parses. */
async function rendersOrRejects<T>(
  render: () => T,
  check: (out: T) => Promise<void> | void,
) {
  let out: T;
  try {
    out = render();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return;
  }
  await check(out);
}

describe('renderers under random names', () => {
  it('Terraform: every file parses with the value in place, or the input is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(name, name, name, async (n, table, ns) => {
        await rendersOrRejects(
          () => renderTerraform(iacModel(n, table, ns)),
          async files => {
            for (const file of files) {
              const parsed = await parse(file.path, file.content);
              expect(parsed).toBeTruthy();
            }
            const main = await parse(
              'main.tf',
              files.find(f => f.path === 'main.tf')!.content,
            );
            expect(main.resource.aws_dynamodb_table.table[0].name).toBe(table);
          },
        );
      }),
      { numRuns: 200 },
    );
  });

  it('CDK: the generated TypeScript has no syntax errors and keeps the value, or the input is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(name, name, name, async (n, table, ns) => {
        await rendersOrRejects(
          () => renderCdk(iacModel(n, table, ns)),
          files => {
            for (const file of files.filter(f => f.path.endsWith('.ts'))) {
              const out = ts.transpileModule(file.content, {
                reportDiagnostics: true,
                fileName: file.path,
              });
              expect(out.diagnostics ?? []).toEqual([]);
            }
            const stack = files.find(
              f => f.path === 'lib/service-stack.ts',
            )!.content;
            expect(stack).toContain(`tableName: ${JSON.stringify(table)}`);
          },
        );
      }),
      { numRuns: 200 },
    );
  });

  it('Kubernetes: every file parses as YAML with the value in place, or the input is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(name, name, async (n, ns) => {
        const model: ManifestModel = {
          name: n,
          namespace: ns,
          serviceAccountName: n,
          credentials: 'irsa',
          roleArn: 'arn:aws:iam::123456789012:role/vote-service',
          imageRepository: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/vote',
          imageName: n,
          tableName: 'vote',
          region: 'eu-west-3',
          voteOptions: ['up', 'down'],
          port: 3000,
        };
        await rendersOrRejects(
          () => renderManifests(model),
          files => {
            for (const file of files)
              expect(yaml.parse(file.content)).toBeTruthy();
            const deployment = yaml.parse(
              files.find(f => f.path === 'deployment.yaml')!.content,
            );
            expect(deployment.metadata).toMatchObject({
              name: n,
              namespace: ns,
            });
          },
        );
      }),
      { numRuns: 300 },
    );
  });
});

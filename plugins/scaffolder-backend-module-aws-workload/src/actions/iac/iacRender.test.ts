import { expectInputRejected } from '../__testUtils__/expectInputRejected';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from '@cdktf/hcl2json';
import { format } from '@cdktf/hcl-tools';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createIacRenderAction } from './iacRender';
import { examples } from './iacRender.examples';
import { q } from './terraform/renderTerraform';

const [irsaExample, createClusterExample] = examples.map(
  e => yaml.parse(e.example).steps[0].input,
);

async function render(input: Record<string, unknown>) {
  const workspace = createMockDirectory();
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: workspace.path,
  });
  await createIacRenderAction().handler(ctx as any);
  const dir = path.join(workspace.path, 'infra/terraform');
  const texts = Object.fromEntries(
    fs
      .readdirSync(dir)
      .map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
  const parsed: Record<string, any> = {};
  for (const [file, text] of Object.entries(texts))
    parsed[file] = await parse(file, text);
  // hcl2json gives each block as a list; merge the files like terraform does.
  const resource = (type: string, name: string) =>
    Object.values(parsed).find(p => p.resource?.[type]?.[name])?.resource[type][
      name
    ][0];
  const data = (type: string, name: string) =>
    Object.values(parsed).find(p => p.data?.[type]?.[name])?.data[type][
      name
    ][0];
  return { texts, parsed, resource, data, ctx };
}

const TAGGABLE = [
  ['aws_dynamodb_table', 'votes'],
  ['aws_ecr_repository', 'service'],
  ['aws_iam_policy', 'table_access'],
  ['aws_iam_role', 'service'],
  ['aws_iam_role', 'deploy'],
  ['aws_eks_access_entry', 'deploy'],
];

describe('aws-workload:iac:render (terraform)', () => {
  it('writes a table, an immutable scanned repository with a lifecycle policy, and a least-privilege policy', async () => {
    const { resource, data } = await render(irsaExample);
    expect(resource('aws_dynamodb_table', 'votes')).toMatchObject({
      name: 'vote',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'name',
      attribute: [{ name: 'name', type: 'S' }],
    });
    expect(resource('aws_ecr_repository', 'service')).toMatchObject({
      name: 'vote',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: [{ scan_on_push: true }],
    });
    expect(resource('aws_ecr_lifecycle_policy', 'service').policy).toContain(
      'untagged',
    );
    expect(data('aws_iam_policy_document', 'table_access').statement).toEqual([
      expect.objectContaining({
        actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        resources: ['${aws_dynamodb_table.votes.arn}'],
      }),
    ]);
    expect(
      resource('aws_iam_role_policy_attachment', 'service_table_access'),
    ).toMatchObject({
      role: '${aws_iam_role.service.name}',
      policy_arn: '${aws_iam_policy.table_access.arn}',
    });
  });

  it('trusts the cluster OIDC provider for exactly the service account and the sts audience (IRSA)', async () => {
    const { data, parsed, resource } = await render(irsaExample);
    const statement = data('aws_iam_policy_document', 'service_trust')
      .statement[0];
    expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(statement.principals).toEqual([
      { type: 'Federated', identifiers: ['${local.oidc_provider_arn}'] },
    ]);
    expect(statement.condition).toEqual([
      {
        test: 'StringEquals',
        variable: '${local.oidc_issuer_host}:sub',
        values: ['system:serviceaccount:vote:vote'],
      },
      {
        test: 'StringEquals',
        variable: '${local.oidc_issuer_host}:aud',
        values: ['sts.amazonaws.com'],
      },
    ]);
    const locals = Object.values(parsed).flatMap(p => p.locals ?? [])[0];
    expect(locals.oidc_issuer_host).toBe(
      'oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
    );
    expect(locals.oidc_provider_arn).toBe(
      'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
    );
    expect(
      resource('aws_iam_openid_connect_provider', 'cluster'),
    ).toBeUndefined();
  });

  it('creates the OIDC provider when the cluster issuer is not registered yet', async () => {
    const { resource, parsed } = await render({
      ...irsaExample,
      oidcProviderRegistered: false,
    });
    expect(
      resource('aws_iam_openid_connect_provider', 'cluster'),
    ).toMatchObject({
      url: irsaExample.oidcIssuer,
      client_id_list: ['sts.amazonaws.com'],
    });
    const locals = Object.values(parsed).flatMap(p => p.locals ?? [])[0];
    expect(locals.oidc_provider_arn).toBe(
      '${aws_iam_openid_connect_provider.cluster.arn}',
    );
  });

  it.each([true, false])(
    'references only resources it declares, under Pod Identity on an existing cluster (provider registered: %s)',
    async oidcProviderRegistered => {
      const { texts, resource, data } = await render({
        ...irsaExample,
        credentials: 'pod-identity',
        oidcProviderRegistered,
      });
      const all = Object.values(texts).join('\n');
      // terraform validate refuses a reference to an undeclared block.
      for (const [, kind, type, name] of all.matchAll(
        /\b(data\.)?(aws_[a-z0-9_]+)\.([a-z0-9_]+)\.(?:arn|name|json|id)\b/g,
      )) {
        const declared = kind ? data(type, name) : resource(type, name);
        expect({ [`${kind ?? ''}${type}.${name}`]: Boolean(declared) }).toEqual(
          {
            [`${kind ?? ''}${type}.${name}`]: true,
          },
        );
      }
      expect(all).not.toContain('oidc_provider_arn');
    },
  );

  it('trusts pods.eks.amazonaws.com and associates the service account under Pod Identity, with the agent add-on on a new cluster', async () => {
    const { data, resource, parsed } = await render(createClusterExample);
    expect(
      data('aws_iam_policy_document', 'service_trust').statement[0],
    ).toMatchObject({
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      principals: [
        { type: 'Service', identifiers: ['pods.eks.amazonaws.com'] },
      ],
    });
    expect(
      resource('aws_eks_pod_identity_association', 'service'),
    ).toMatchObject({
      namespace: 'vote',
      service_account: 'vote',
      role_arn: '${aws_iam_role.service.arn}',
    });
    const modules = Object.values(parsed).find(p => p.module)?.module;
    expect(modules.vpc[0].source).toBe('terraform-aws-modules/vpc/aws');
    expect(modules.eks[0]).toMatchObject({
      source: 'terraform-aws-modules/eks/aws',
      name: 'vote-cluster',
      enable_irsa: true,
    });
    expect(Object.keys(modules.eks[0].addons)).toContain(
      'eks-pod-identity-agent',
    );
  });

  it('lets only the main branch of the new repository push to this repository and deploy into the namespace', async () => {
    const { data, resource } = await render(irsaExample);
    const trust = data('aws_iam_policy_document', 'deploy_trust').statement[0];
    expect(trust.condition).toContainEqual({
      test: 'StringEquals',
      variable: 'token.actions.githubusercontent.com:sub',
      values: ['repo:acme/vote:ref:refs/heads/main'],
    });
    const push = data('aws_iam_policy_document', 'deploy').statement.find(
      (s: any) => s.sid === 'PushThisRepository',
    );
    expect(push.resources).toEqual(['${aws_ecr_repository.service.arn}']);
    expect(
      resource('aws_eks_access_policy_association', 'deploy').access_scope,
    ).toEqual([{ type: 'namespace', namespaces: ['vote'] }]);
  });

  it('tags every resource with the owner and the entity ref, and leaves a remote-state backend to fill', async () => {
    const { resource, parsed, texts } = await render(irsaExample);
    const locals = Object.values(parsed).flatMap(p => p.locals ?? [])[0];
    expect(locals.tags).toMatchObject({
      owner: 'group:default/vote-team',
      'backstage.io/entity': 'component:default/vote',
    });
    for (const [type, name] of TAGGABLE) {
      expect({ type, tags: resource(type, name).tags }).toEqual({
        type,
        tags: '${local.tags}',
      });
    }
    expect(texts['versions.tf']).toMatch(/# backend "s3" \{/);
  });

  it('never writes an AWS access key', async () => {
    for (const input of [irsaExample, createClusterExample]) {
      const { texts } = await render(input);
      expect(Object.values(texts).join('\n')).not.toMatch(
        /AKIA[0-9A-Z]{16}|aws_access_key|secret_key|access_key\s*=/i,
      );
    }
  });

  it.each([
    [{ awsAccountId: '12345' }, /^awsAccountId must be 12 digits/],
    [{ name: 'Vote' }, /^name must be a DNS-1123 label/],
    [
      { tableName: 'vote"}\nresource "aws_iam_user" "x" {' },
      /^tableName must be 3 to 255/,
    ],
    [
      { oidcIssuer: 'https://evil.example.com/id/X' },
      /^oidcIssuer must be an EKS OIDC issuer URL/,
    ],
    [
      { tableActions: ['dynamodb:*'] },
      /^tableActions must be one or more DynamoDB actions/,
    ],
    // No default: the actions are the service's own, the template chooses them.
    [
      { tableActions: undefined },
      /^tableActions must be one or more DynamoDB actions/,
    ],
    [{ githubRepo: 'vote"; rm' }, /^github repo must be/],
    [{ entityRef: 'vote' }, /^entityRef must be kind:namespace\/name/],
    [
      { tableResourceName: 'votes" {}\nresource "aws_iam_user" "x' },
      /^tableResourceName must start with a lowercase letter/,
    ],
    [
      { stackClassName: 'Stack {} export const x = 1; class Y' },
      /^stackClassName must start with an uppercase letter/,
    ],
  ])(
    'rejects %j with an InputError and writes nothing',
    async (bad, message) => {
      await expectInputRejected({
        action: createIacRenderAction(),
        input: { ...irsaExample, ...bad },
        message,
      });
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ['an existing cluster with irsa', { credentials: 'irsa' }],
    ['an existing cluster with pod-identity', { credentials: 'pod-identity' }],
    ['a new cluster with irsa', { createCluster: true }],
    [
      'a new cluster with pod-identity and an ALB',
      { createCluster: true, credentials: 'pod-identity', ingress: true },
    ],
  ])('writes every file as terraform fmt does (%s)', async (_, overrides) => {
    const base = overrides.createCluster ? createClusterExample : irsaExample;
    const { texts } = await render({ ...base, ...overrides });
    const tf = Object.entries(texts).filter(([f]) => f.endsWith('.tf'));
    expect(tf.map(([f]) => f)).toContain('kubernetes.tf');
    for (const [file, text] of tf) {
      expect({ file, text: await format(text) }).toEqual({ file, text });
    }
  });

  it('names the table in the code as the template says, and table without a name', async () => {
    const named = await render({
      ...irsaExample,
      tableResourceName: 'vote_table',
    });
    expect(named.resource('aws_dynamodb_table', 'vote_table').name).toBe(
      irsaExample.name,
    );
    expect(named.texts['outputs.tf']).toContain(
      'aws_dynamodb_table.vote_table.arn',
    );
    expect(
      named.data('aws_iam_policy_document', 'table_access').statement[0]
        .resources,
    ).toEqual(['${aws_dynamodb_table.vote_table.arn}']);

    const { tableResourceName, ...unnamed } = irsaExample;
    expect(tableResourceName).toBe('votes');
    const plain = await render(unnamed);
    expect(plain.resource('aws_dynamodb_table', 'table')).toBeDefined();
    expect(plain.texts['main.tf']).not.toMatch(/votes/);
  });

  it('quotes strings so that they can neither end nor interpolate', async () => {
    const hostile = 'a"b\\c${var.x}%{if}\n}';
    const quoted = q(hostile);
    // HCL's own escapes for a literal "${" and "%{".
    expect(quoted).toContain('$${var.x}');
    expect(quoted).toContain('%%{if}');
    const parsed = await parse(
      'x.tf',
      `locals {\n  v = ${quoted}\n  w = "after"\n}\n`,
    );
    expect(parsed.locals[0].w).toBe('after');
    expect(parsed.locals[0].v.startsWith('a"b\\c')).toBe(true);
  });
});

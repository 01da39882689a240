import { expectInputRejected } from '../../__testUtils__/expectInputRejected';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import Ajv from 'ajv';
import { Namespace } from 'kubernetes-models/v1';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createIacRenderAction } from '../iacRender';
import { examples } from '../iacRender.examples';

// ACK's own CRDs, copied unchanged (see SOURCES.txt there).
const CRD_DIR = path.resolve(__dirname, '__fixtures__/ack-crds');
const base = {
  ...yaml.parse(examples[0].example).steps[0].input,
  flavour: 'ack',
};

/** openAPIV3Schema validators of the ACK CRDs, by apiVersion and kind. */
function crdValidators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Kubernetes' OpenAPI formats: not checked here, only known.
  for (const format of ['int32', 'int64', 'byte', 'date-time'])
    ajv.addFormat(format, true);
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const file of fs.readdirSync(CRD_DIR).filter(f => f.endsWith('.yaml'))) {
    const crd = yaml.parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'));
    for (const version of crd.spec.versions) {
      validators.set(
        `${crd.spec.group}/${version.name}|${crd.spec.names.kind}`,
        ajv.compile(version.schema.openAPIV3Schema),
      );
    }
  }
  // The namespace the ACK objects live in: Kubernetes' own schema.
  const namespace = Object.assign(
    (object: unknown) => {
      try {
        new Namespace(object as any).validate();
        namespace.errors = [];
        return true;
      } catch (error) {
        namespace.errors = [String(error)];
        return false;
      }
    },
    { errors: [] as unknown[] },
  );
  validators.set('v1|Namespace', namespace as any);
  return validators;
}

async function render(input: Record<string, unknown>) {
  const workspace = createMockDirectory();
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: workspace.path,
  });
  await createIacRenderAction().handler(ctx as any);
  const dir = path.join(workspace.path, 'infra/ack');
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .map(f => [f, yaml.parse(fs.readFileSync(path.join(dir, f), 'utf8'))]),
  );
}

describe('aws-workload:iac:render (ack)', () => {
  const validators = crdValidators();

  it.each([['irsa'], ['pod-identity']])(
    'writes ACK objects that validate against the CRD schemas (%s)',
    async credentials => {
      const files = await render({ ...base, credentials });
      const kinds: string[] = [];
      for (const resource of files['kustomization.yaml']
        .resources as string[]) {
        const object = files[resource];
        const validate = validators.get(`${object.apiVersion}|${object.kind}`);
        expect({ resource, known: Boolean(validate) }).toEqual({
          resource,
          known: true,
        });
        const valid = validate!(object);
        expect({ resource, errors: validate!.errors ?? [] }).toEqual({
          resource,
          errors: [],
        });
        expect(valid).toBe(true);
        kinds.push(object.kind);
      }
      expect(kinds.sort()).toEqual(
        credentials === 'irsa'
          ? ['Namespace', 'Policy', 'Repository', 'Role', 'Role', 'Table']
          : [
              'Namespace',
              'PodIdentityAssociation',
              'Policy',
              'Repository',
              'Role',
              'Role',
              'Table',
            ],
      );
    },
  );

  it('keeps the IRSA chain and least privilege in the documents', async () => {
    const files = await render(base);
    const trust = JSON.parse(files['role.yaml'].spec.assumeRolePolicyDocument);
    const issuer =
      'oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      [`${issuer}:sub`]: 'system:serviceaccount:vote:vote',
      [`${issuer}:aud`]: 'sts.amazonaws.com',
    });
    expect(files['role.yaml'].spec.policyRefs).toEqual([
      { from: { name: 'vote-table-access' } },
    ]);
    const policy = JSON.parse(files['policy.yaml'].spec.policyDocument);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        Resource: 'arn:aws:dynamodb:eu-west-3:123456789012:table/vote',
      },
    ]);
    expect(files['table.yaml'].spec.tags).toContainEqual({
      key: 'backstage.io/entity',
      value: 'component:default/vote',
    });
  });

  it.each([
    ['not registered', { oidcProviderRegistered: false }],
    ['not looked up (issuer given)', { oidcProviderRegistered: undefined }],
  ])(
    'creates the OIDC provider for IRSA when it is %s, kept and adopted account-wide',
    async (_case, input) => {
      const files = await render({ ...base, ...input });
      expect(files['kustomization.yaml'].resources).toContain(
        'oidc-provider.yaml',
      );
      const provider = files['oidc-provider.yaml'];
      const validate = crdValidators().get(
        'iam.services.k8s.aws/v1alpha1|OpenIDConnectProvider',
      )!;
      expect(validate(provider)).toBe(true);
      const issuer =
        'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';
      expect(provider.spec).toEqual({
        url: issuer,
        clientIDs: ['sts.amazonaws.com'],
      });
      expect(provider.metadata.annotations).toEqual({
        'services.k8s.aws/deletion-policy': 'retain',
        'services.k8s.aws/adoption-policy': 'adopt-or-create',
        'services.k8s.aws/adoption-fields': JSON.stringify({
          arn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
        }),
      });
      // The role trusts exactly the provider this object creates or adopts.
      const trust = JSON.parse(
        files['role.yaml'].spec.assumeRolePolicyDocument,
      );
      expect(trust.Statement[0].Principal.Federated).toBe(
        JSON.parse(
          provider.metadata.annotations['services.k8s.aws/adoption-fields'],
        ).arn,
      );
    },
  );

  it.each([
    [{ oidcProviderRegistered: true, credentials: 'irsa' }],
    [{ oidcProviderRegistered: false, credentials: 'pod-identity' }],
  ])('writes no OIDC provider for %j', async input => {
    const files = await render({ ...base, ...input });
    expect(files['oidc-provider.yaml']).toBeUndefined();
  });

  it.each([
    [{ createCluster: true }, /createCluster is not available with ack/],
  ])(
    'rejects %j with an InputError and writes nothing',
    async (bad, message) => {
      await expectInputRejected({
        action: createIacRenderAction(),
        input: { ...base, ...bad },
        message,
      });
    },
  );
});

import { APIRequestContext, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { backendUrl, waitForBackend } from './portal';

const TEMPLATE_DIR = path.resolve(
  __dirname,
  '../../../plugins/catalog-backend-module-aws-workload-templates/templates/vote-service',
);

function directoryContents(
  dir: string,
  base = dir,
): { path: string; base64Content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return directoryContents(full, base);
    return [
      {
        path: path.relative(base, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      },
    ];
  });
}

const values = {
  name: 'ballot',
  owner: 'group:default/vote-team',
  description: 'Votes on lunch',
  voteOptions: ['pizza', 'salad', 'soup'],
  awsAccountId: '123456789012',
  awsRegion: 'eu-west-3',
  iac: 'terraform',
  credentials: 'irsa',
  createCluster: false,
  clusterName: 'vote-demo',
  namespace: 'ballot',
  repoUrl: 'github.com?owner=acme&repo=ballot',
};

/** Posts the template and values to the portal's scaffolder dry run. */
async function dryRun(
  request: APIRequestContext,
  templateValues: Record<string, unknown>,
) {
  const { backstageIdentity } = await (
    await request.get(`${backendUrl}/api/auth/guest/refresh?env=development`)
  ).json();
  return request.post(`${backendUrl}/api/scaffolder/v2/dry-run`, {
    headers: { Authorization: `Bearer ${backstageIdentity.token}` },
    data: {
      template: parse(
        fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
      ),
      values: templateValues,
      secrets: {},
      directoryContents: directoryContents(TEMPLATE_DIR),
    },
  });
}

/** The dry run's files, by path, as text. */
async function generatedFiles(
  response: Awaited<ReturnType<typeof dryRun>>,
): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await response.json()).directoryContents.map(
      (f: { path: string; base64Content: string }) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ],
    ),
  );
}

test.beforeAll(async ({ request }) => {
  await waitForBackend(request);
});

test('the vote-service template renders through the scaffolder dry run, and the service it writes passes its own tests', async ({
  request,
}) => {
  test.setTimeout(300_000);
  const response = await dryRun(request, values);
  expect(response.status(), await response.text()).toBe(200);
  const result = await response.json();
  const files: Record<string, string> = Object.fromEntries(
    result.directoryContents.map(
      (f: { path: string; base64Content: string }) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ],
    ),
  );
  for (const expected of [
    'package.json',
    'src/server.ts',
    'test/votes.test.ts',
    'Dockerfile',
    '.dockerignore',
    '.github/workflows/deploy.yaml',
    'catalog-info.yaml',
    'README.md',
    'infra/terraform/main.tf',
    'infra/terraform/deploy.tf',
    'k8s/kustomization.yaml',
    'k8s/deployment.yaml',
    'k8s/serviceaccount.yaml',
  ]) {
    expect(Object.keys(files)).toContain(expected);
  }

  // The chain: trust sub <-> ServiceAccount <-> Deployment <-> role ARN.
  const sa = parse(files['k8s/serviceaccount.yaml']);
  const deployment = parse(files['k8s/deployment.yaml']);
  expect(sa.metadata).toMatchObject({ name: 'ballot', namespace: 'ballot' });
  expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(
    'arn:aws:iam::123456789012:role/ballot-service',
  );
  expect(deployment.spec.template.spec.serviceAccountName).toBe('ballot');
  expect(files['infra/terraform/main.tf']).toContain(
    '"system:serviceaccount:ballot:ballot"',
  );
  expect(files['infra/terraform/main.tf']).toContain(
    'name               = "ballot-service"',
  );
  // The dry run looked nothing up: the placeholder issuer is marked.
  expect(files['infra/terraform/main.tf']).toContain('DRYRUN');

  const catalog = files['catalog-info.yaml'];
  expect(catalog).toContain(
    'aws.amazon.com/dynamodb-table-arn: arn:aws:dynamodb:eu-west-3:123456789012:table/ballot',
  );
  expect(catalog).toContain('backstage.io/kubernetes-id: ballot');
  expect(files['src/config.ts']).toContain('"pizza,salad,soup"');
  expect(files['.github/workflows/deploy.yaml']).toContain(
    'role-to-assume: ${{ env.DEPLOY_ROLE }}',
  );
  expect(Object.values(files).join('\n')).not.toMatch(
    /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
  );

  // The workflow: tests, then builds, pushes and deploys from main with OIDC credentials.
  // GitHub's own parser checks the workflow in the scaffolder module's tests
  // (it loads through Jest's transform, not Node's ESM loader).
  const workflow = parse(files['.github/workflows/deploy.yaml']);
  expect(Object.keys(workflow.jobs)).toEqual(['test', 'deploy']);
  // The test job installs packages: only the deploy job may mint the token.
  expect(workflow.permissions).toEqual({ contents: 'read' });
  expect(workflow.jobs.deploy.permissions).toEqual({
    contents: 'read',
    'id-token': 'write',
  });
  expect(workflow.jobs.test.permissions).toBeUndefined();
  expect(workflow.jobs.deploy.needs).toBe('test');
  expect(workflow.jobs.deploy.if).toBe("github.ref == 'refs/heads/main'");
  const steps = workflow.jobs.deploy.steps as {
    uses?: string;
    with?: Record<string, string>;
    run?: string;
  }[];
  expect(
    steps.find(st =>
      st.uses?.startsWith('aws-actions/configure-aws-credentials'),
    )?.with,
  ).toEqual({
    'role-to-assume': '${{ env.DEPLOY_ROLE }}',
    'aws-region': '${{ env.AWS_REGION }}',
  });
  expect(workflow.env.DEPLOY_ROLE).toBe(
    'arn:aws:iam::123456789012:role/ballot-deploy',
  );
  const build = steps.map(st => st.run ?? '').join('\n');
  expect(build).toContain('docker push');
  expect(JSON.stringify(steps)).toContain(':${{ github.sha }}');
  expect(JSON.stringify(steps)).not.toContain(':latest');

  // The Dockerfile parses, pins its base image by digest (the tag beside
  // it), and its last stage runs as a non-root user.
  const dockerfile = DockerfileParser.parse(files.Dockerfile);
  const froms = dockerfile.getFROMs();
  expect(froms.length).toBeGreaterThanOrEqual(2);
  const [baseImage] = dockerfile
    .getARGs()
    .filter(a => a.getProperty()?.getName() === 'NODE_IMAGE')
    .map(a => a.getProperty()?.getValue());
  expect(baseImage).toMatch(/^node:24\.\d+\.\d+-[\w-]+@sha256:[0-9a-f]{64}$/);
  for (const from of froms)
    expect(from.getArgumentsContent()).toMatch(/^\$\{NODE_IMAGE\}/);
  const instructions = dockerfile.getInstructions();
  const lastStage = instructions.slice(
    instructions.indexOf(froms[froms.length - 1]),
  );
  const users = lastStage
    .filter(i => i.getKeyword() === 'USER')
    .map(i => i.getArgumentsContent());
  // The numeric ids the Deployment's runAsUser and runAsNonRoot check.
  expect(users).toEqual(['10001:10001']);

  // The generated service's own tests, with dynalite, from the registry.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vote-service-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  // As the generated CI and Dockerfile do: exactly what the lockfile says.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'pipe',
    timeout: 240_000,
  });
  const output = execFileSync('npm', ['test'], {
    cwd: dir,
    stdio: 'pipe',
    timeout: 120_000,
  }).toString();
  expect(output).toMatch(/ℹ pass 11/);
  expect(output).toMatch(/ℹ fail 0/);
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const iac of ['terraform', 'cdk', 'ack']) {
  for (const credentials of ['irsa', 'pod-identity']) {
    test(`the template renders ${iac} with ${credentials} through the dry run`, async ({
      request,
    }) => {
      const response = await dryRun(request, {
        ...values,
        iac,
        credentials,
        oidcIssuer:
          'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
      });
      expect(response.status(), await response.text()).toBe(200);
      const files = await generatedFiles(response);
      const infra = Object.keys(files).filter(p => p.startsWith('infra/'));
      expect(infra.length).toBeGreaterThan(0);
      expect(infra.every(p => p.startsWith(`infra/${iac}/`))).toBe(true);
      const sa = parse(files['k8s/serviceaccount.yaml']);
      expect(
        parse(files['k8s/deployment.yaml']).spec.template.spec
          .serviceAccountName,
      ).toBe(sa.metadata.name);
      expect(
        Boolean(sa.metadata.annotations?.['eks.amazonaws.com/role-arn']),
      ).toBe(credentials === 'irsa');
      if (iac === 'ack') {
        // A given issuer is not looked up, so ACK creates (or adopts) the provider.
        expect(Boolean(files['infra/ack/oidc-provider.yaml'])).toBe(
          credentials === 'irsa',
        );
      }
      const infraText = infra.map(p => files[p]).join('\n');
      expect(infraText).toContain(
        credentials === 'irsa'
          ? 'system:serviceaccount:ballot:ballot'
          : 'pods.eks.amazonaws.com',
      );
      expect(Object.values(files).join('\n')).not.toMatch(
        /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
      );
    });
  }
}

test('the template renders ack with irsa through the dry run when the cluster is looked up', async ({
  request,
}) => {
  // No issuer given: the describe-cluster step answers with its dry-run
  // placeholders, which cannot say the provider is registered.
  const response = await dryRun(request, {
    ...values,
    iac: 'ack',
    credentials: 'irsa',
  });
  expect(response.status(), await response.text()).toBe(200);
  const files = await generatedFiles(response);
  const provider = parse(files['infra/ack/oidc-provider.yaml']);
  expect(provider.kind).toBe('OpenIDConnectProvider');
  expect(provider.metadata.annotations).toMatchObject({
    'services.k8s.aws/deletion-policy': 'retain',
    'services.k8s.aws/adoption-policy': 'adopt-or-create',
  });
  expect(provider.spec.url).toMatch(/^https:\/\/oidc\.eks\..*DRYRUN/);
});

for (const [case_, overrides, expected] of [
  [
    'looked up and not registered',
    { iac: 'ack', credentials: 'irsa' },
    'Not registered in IAM yet: the infrastructure creates it',
  ],
  [
    'given, so not looked up',
    {
      iac: 'terraform',
      credentials: 'irsa',
      oidcIssuer:
        'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
    },
    'Not looked up (the issuer was given)',
  ],
  [
    'not used under Pod Identity',
    { iac: 'cdk', credentials: 'pod-identity' },
    'Not used: pods get credentials through an EKS Pod Identity association.',
  ],
] as const) {
  test(`the wizard's output says whether the OIDC provider is registered: ${case_}`, async ({
    request,
  }) => {
    const response = await dryRun(request, { ...values, ...overrides });
    expect(response.status(), await response.text()).toBe(200);
    const { output } = await response.json();
    const text = output.text.find((t: { title: string }) =>
      t.title.includes('OIDC provider'),
    );
    expect(text.content).toContain(expected);
  });
}

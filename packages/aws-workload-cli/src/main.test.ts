import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { main } from './main';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzCLITESTSECRET';

const deployment = (name: string, spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: vote
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
${spec}`;

const seedFiles = {
  'k8s/no-credentials.yaml': deployment(
    'vote',
    `      containers:
        - name: vote
          image: vote:1
          env: [{ name: DYNAMO_TABLE, value: vote }]`,
  ),
  'k8s/static-keys.yml': deployment(
    'vote-env',
    `      containers:
        - name: vote
          image: vote:1
          env:
            - { name: AWS_ACCESS_KEY_ID, value: AKIAZZCLITESTKEY0001 }
            - { name: AWS_SECRET_ACCESS_KEY, value: "${SECRET}" }`,
  ),
  'k8s/irsa.yaml': `${deployment(
    'vote-sa',
    `      serviceAccountName: eks-dynamo
      containers: [{ name: vote, image: vote:1 }]`,
  )}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: eks-dynamo
  namespace: vote
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/eks-dynamo
`,
};

async function run(
  files: Record<string, string>,
  args: string[],
  io: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
) {
  const dir = createMockDirectory({ content: files });
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
    cwd: dir.path,
    env: io.env ?? { PATH: '' },
    readStdin: async () => io.stdin ?? '',
  });
  return { code, stdout, stderr, dir: dir.path };
}

describe('aws-workload inspect', () => {
  it('classifies the seed three deployments, exits 1 for static keys and never prints the secret', async () => {
    const { code, stdout } = await run(seedFiles, ['inspect', 'k8s']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'Deployment vote/vote: node-role (ServiceAccount default)',
    );
    expect(stdout).toContain('Deployment vote/vote-env: static-keys');
    expect(stdout).toContain(
      'Deployment vote/vote-sa: irsa (ServiceAccount eks-dynamo, role arn:aws:iam::123456789012:role/eks-dynamo)',
    );
    expect(stdout).toContain('****0001');
    expect(stdout).not.toContain(SECRET);
    expect(stdout).not.toContain('AKIAZZCLITESTKEY0001');
  });

  it('prints the documented JSON shape with --json', async () => {
    const { code, stdout } = await run(
      { 'irsa.yaml': seedFiles['k8s/irsa.yaml'] },
      ['inspect', 'irsa.yaml', '--json'],
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      workloads: [
        {
          file: 'irsa.yaml',
          document: 0,
          line: 1,
          podSpecPath: 'spec.template.spec',
          kind: 'Deployment',
          namespace: 'vote',
          name: 'vote-sa',
          mode: 'irsa',
          serviceAccount: 'eks-dynamo',
          roleArn: 'arn:aws:iam::123456789012:role/eks-dynamo',
          fargate: false,
          findings: [
            {
              check: 'role-arn-format',
              status: 'pass',
              message:
                'arn:aws:iam::123456789012:role/eks-dynamo is a well-formed role ARN.',
              fix: '',
            },
          ],
          skippedChecks: [
            'role-exists',
            'trust-federated-principal',
            'trust-sub',
            'trust-aud',
            'oidc-provider-registered',
            'pod-env-injected',
            'policy-allows-table',
          ],
        },
      ],
      skipped: [],
      notes: [],
    });
  });

  it('reads List objects, CronJobs and Secrets among the inputs (key names only)', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'aws', namespace: 'jobs' },
          data: {
            AWS_ACCESS_KEY_ID: 'QUtJQQ==',
            AWS_SECRET_ACCESS_KEY: 'c2VjcmV0',
          },
        },
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'nightly', namespace: 'jobs' },
          spec: {
            schedule: '0 2 * * *',
            jobTemplate: {
              spec: {
                template: {
                  spec: {
                    containers: [
                      {
                        name: 'job',
                        image: 'j',
                        envFrom: [{ secretRef: { name: 'aws' } }],
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      ],
    };
    const { code, stdout } = await run({ 'list.json': JSON.stringify(list) }, [
      'inspect',
      'list.json',
      '--json',
    ]);
    expect(code).toBe(1);
    const [workload] = JSON.parse(stdout).workloads;
    expect(workload).toMatchObject({ kind: 'CronJob', mode: 'static-keys' });
    expect(stdout).not.toContain('c2VjcmV0');
  });

  it('counts Pod Identity associations from ACK objects and from Terraform', async () => {
    const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: vote }
spec:
  serviceAccountName: ${name}-sa
  containers: [{ name: app, image: app }]
`;
    const files = {
      'ack.yaml': `${pod('a')}---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: PodIdentityAssociation
metadata: { name: a }
spec: { clusterName: demo, namespace: vote, serviceAccount: a-sa, roleARN: "arn:aws:iam::123456789012:role/a" }
`,
      'b.yaml': pod('b'),
      'infra/main.tf': `resource "aws_eks_pod_identity_association" "b" {
  cluster_name    = "demo"
  namespace       = "vote"
  service_account = "b-sa"
  role_arn        = aws_iam_role.b.arn
}
`,
      'c.yaml': pod('c'),
    };
    const { code, stdout } = await run(files, ['inspect', '.', '--json']);
    expect(code).toBe(0);
    const modes = Object.fromEntries(
      JSON.parse(stdout).workloads.map((w: any) => [w.name, w.mode]),
    );
    expect(modes).toEqual({
      a: 'pod-identity',
      b: 'pod-identity',
      c: 'node-role',
    });
  });

  it.each([
    [
      { 'bad.yaml': 'kind: Deployment\n  metadata: [unclosed' },
      ['inspect', 'bad.yaml'],
      /cannot read bad.yaml: not valid YAML/,
    ],
    [
      { 'bad.tf': 'resource "x" {' },
      ['inspect', 'bad.tf'],
      /cannot read bad.tf: not valid HCL/,
    ],
    [
      {},
      ['inspect', 'missing.yaml'],
      /cannot read missing.yaml: no such file or directory/,
    ],
    [{}, ['inspect'], /^Usage: aws-workload inspect/],
    [{}, ['classify', 'x'], /^Usage: aws-workload inspect/],
  ])(
    'exits 2 naming the file and the reason (%#)',
    async (files, args, message) => {
      const { code, stderr, stdout } = await run(files, args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stdout).toBe('');
    },
  );

  it.each([[['--help']], [['inspect', '--help']], [['-h']]])(
    'prints its usage on stdout and exits 0 for %j',
    async args => {
      const { code, stdout, stderr } = await run({}, args);
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /^Usage: aws-workload inspect .*\n[\s\S]*Exit codes/,
      );
      expect(stderr).toBe('');
    },
  );

  it('reads standard input for -, as kustomize build or helm template pipe it', async () => {
    const { code, stdout } = await run({}, ['inspect', '-'], {
      stdin: seedFiles['k8s/static-keys.yml'],
    });
    expect(code).toBe(1);
    expect(stdout).toContain('Deployment vote/vote-env: static-keys');
    expect(stdout).toContain('[-:1]');
  });

  it('renders a kustomization with the kustomize binary on PATH, and says so when there is none', async () => {
    const files = {
      'k8s/kustomization.yaml':
        'namespace: vote\nresources: [deployment.yaml]\n',
      'k8s/deployment.yaml': seedFiles['k8s/no-credentials.yaml'].replace(
        '  namespace: vote\n',
        '',
      ),
      // A stub that prints a rendering and records how it was called.
      'bin/kustomize': `#!/bin/sh\necho "$@" > "$(dirname "$0")/called"\ncat <<'EOF'\n${seedFiles[
        'k8s/static-keys.yml'
      ].replace(/\$/g, '\\$')}\nEOF\n`,
    };
    const dir = createMockDirectory({ content: files });
    fs.chmodSync(path.join(dir.path, 'bin/kustomize'), 0o755);
    const io = (env: NodeJS.ProcessEnv) => {
      let stdout = '';
      return {
        io: {
          stdout: (t: string) => (stdout += t),
          stderr: () => {},
          cwd: dir.path,
          env,
        },
        out: () => stdout,
      };
    };
    // The stub itself needs the system's tools; kustomize is found first.
    const rendered = io({
      PATH: [path.join(dir.path, 'bin'), '/usr/bin', '/bin'].join(':'),
    });
    expect(await main(['inspect', 'k8s'], rendered.io)).toBe(1);
    expect(rendered.out()).toContain('Deployment vote/vote-env: static-keys');
    expect(rendered.out()).toContain('[k8s/kustomization.yaml]');
    expect(
      fs.readFileSync(path.join(dir.path, 'bin/called'), 'utf8').trim(),
    ).toBe(`build ${path.join(dir.path, 'k8s')}`);

    const unrendered = io({ PATH: '' });
    expect(await main(['inspect', 'k8s'], unrendered.io)).toBe(0);
    expect(unrendered.out()).toContain('Deployment vote/vote: node-role');
    expect(unrendered.out()).toContain(
      'note: k8s: kustomization not rendered (neither kustomize nor kubectl is on PATH); its files were read as they are, with its namespace vote.',
    );
  });

  it('reads folders starting with a dot except .git', async () => {
    const { stdout } = await run(
      {
        '.deploy/app.yaml': seedFiles['k8s/irsa.yaml'],
        '.git/objects/stray.yaml': seedFiles['k8s/static-keys.yml'],
      },
      ['inspect', '.'],
    );
    expect(stdout).toContain('Deployment vote/vote-sa: irsa');
    expect(stdout).not.toContain('vote-env');
  });

  it('reports every readable file, then exits 2 naming the unreadable one', async () => {
    const { code, stdout, stderr } = await run(
      {
        'a.yaml': seedFiles['k8s/static-keys.yml'],
        'b.yaml': 'kind: Deployment\n  metadata: [unclosed',
        'c.yaml': seedFiles['k8s/irsa.yaml'],
      },
      ['inspect', '.', '--json'],
    );
    expect(code).toBe(2);
    const names = JSON.parse(stdout).workloads.map((w: any) => w.name);
    expect(names).toEqual(['vote-env', 'vote-sa']);
    expect(stderr).toMatch(/^aws-workload: cannot read b.yaml: not valid YAML/);
  });

  it('writes SARIF for code scanning: rules are check ids, results point at the line, no secret in any message', async () => {
    const { code, stdout } = await run(
      {
        'k8s/app.yaml': `# leading comment\n---\n${seedFiles['k8s/static-keys.yml']}`,
        'infra/main.tf': `resource "kubernetes_deployment_v1" "x" {
  metadata {
    name      = "x"
    namespace = "vote"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name = "missing"
        container {
          name  = "x"
          image = "x"
        }
      }
    }
  }
}
`,
      },
      ['inspect', '.', '--format', 'sarif'],
    );
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const [runOf] = sarif.runs;
    expect(runOf.tool.driver.rules.map((r: any) => r.id)).toEqual([
      'node-role-fallback',
      'static-keys-present',
    ]);
    const byRule = Object.fromEntries(
      runOf.results.map((r: any) => [r.ruleId, r]),
    );
    expect(byRule['static-keys-present']).toMatchObject({
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'k8s/app.yaml' },
            region: { startLine: 3 },
          },
        },
      ],
    });
    expect(byRule['node-role-fallback']).toMatchObject({
      level: 'note',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'infra/main.tf' },
            region: { startLine: 1 },
          },
        },
      ],
    });
    expect(stdout).not.toContain(SECRET);
    expect(stdout).not.toContain('AKIAZZCLITESTKEY0001');
  });

  it('refuses an unknown format or option with its usage', async () => {
    for (const args of [
      ['inspect', '.', '--format', 'xml'],
      ['inspect', '.', '--color'],
    ]) {
      const { code, stderr } = await run({}, args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^Usage: aws-workload inspect/);
    }
  });
});

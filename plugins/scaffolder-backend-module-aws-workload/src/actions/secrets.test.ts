import { parse as parseHcl } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  FLAVOURS,
  generate,
  Mode,
  MODES,
  OPTION_SETS,
  readFiles,
} from './__testUtils__/generatedRepository';

const KMS_KEY = OPTION_SETS[1].secretKmsKeyArn!;
const SECRET_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
];
const VIA_SECRETS_MANAGER = {
  'kms:ViaService': 'secretsmanager.eu-west-3.amazonaws.com',
};

const read = (dir: string, file: string) =>
  fs.readFileSync(path.join(dir, file), 'utf8');

/** The pod's side: the CSI volume, its read-only mount and the app's variable. */
function expectMounted(dir: string) {
  const deployment = yaml.parse(read(dir, 'k8s/deployment.yaml'));
  const pod = deployment.spec.template.spec;
  expect(pod.volumes).toContainEqual({
    name: 'app-secrets',
    csi: {
      driver: 'secrets-store.csi.k8s.io',
      readOnly: true,
      volumeAttributes: { secretProviderClass: 'vote-secrets' },
    },
  });
  const [container] = pod.containers;
  expect(container.volumeMounts).toContainEqual({
    name: 'app-secrets',
    mountPath: '/mnt/secrets',
    readOnly: true,
  });
  expect(container.env).toContainEqual({
    name: 'ADMIN_TOKEN_FILE',
    value: '/mnt/secrets/admin-token',
  });
}

/** The SecretProviderClass: the AWS provider, the region, the pod's own identity. */
function expectProviderClass(spc: any, mode: Mode) {
  expect(spc).toMatchObject({
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name: 'vote-secrets', namespace: 'vote' },
    spec: { provider: 'aws', parameters: { region: 'eu-west-3' } },
  });
  expect(spc.spec.parameters.usePodIdentity).toBe(
    mode === 'pod-identity' ? 'true' : undefined,
  );
  expect(yaml.parse(spc.spec.parameters.objects)).toEqual([
    {
      objectName: 'vote-app',
      objectType: 'secretsmanager',
      objectAlias: 'admin-token',
    },
  ]);
}

describe('an application secret from AWS Secrets Manager', () => {
  it.each(MODES)(
    'terraform with %s: the secret, read access to it alone (and its key through Secrets Manager), the provider class',
    async mode => {
      const dir = await generate('terraform', mode, OPTION_SETS[1]);
      expectMounted(dir);
      const tf = await parseHcl(
        'secrets.tf',
        read(dir, 'infra/terraform/secrets.tf'),
      );
      expect(tf.resource.aws_secretsmanager_secret.app[0]).toMatchObject({
        name: 'vote-app',
        kms_key_id: KMS_KEY,
      });
      // No value in Terraform: it would sit in the state.
      expect(tf.resource.aws_secretsmanager_secret_version).toBeUndefined();
      const statements =
        tf.data.aws_iam_policy_document.secret_access[0].statement;
      expect(statements[0]).toMatchObject({
        actions: SECRET_ACTIONS,
        resources: ['${aws_secretsmanager_secret.app.arn}'],
      });
      expect(statements[1]).toMatchObject({
        actions: ['kms:Decrypt'],
        resources: [KMS_KEY],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: [VIA_SECRETS_MANAGER['kms:ViaService']],
          },
        ],
      });
      expect(
        tf.resource.aws_iam_role_policy_attachment.service_secret_access[0],
      ).toEqual({
        role: '${aws_iam_role.service.name}',
        policy_arn: '${aws_iam_policy.secret_access.arn}',
      });
      const kubernetes = await parseHcl(
        'kubernetes.tf',
        read(dir, 'infra/terraform/kubernetes.tf'),
      );
      expect(
        kubernetes.resource.kubernetes_manifest.secret_provider_class[0]
          .manifest,
      ).toBe(
        '${yamldecode(file("${path.module}/secret-provider-class.yaml"))}',
      );
      expectProviderClass(
        yaml.parse(read(dir, 'infra/terraform/secret-provider-class.yaml')),
        mode,
      );
    },
  );

  it.each(MODES)(
    'cdk with %s: the same, synthesized',
    async mode => {
      const dir = await generate('cdk', mode, OPTION_SETS[1]);
      expectMounted(dir);
      const template = JSON.parse(
        read(dir, 'infra/cdk/cdk.out/vote.template.json'),
      );
      const resources = Object.entries<any>(template.Resources);
      const [secretId, secret] = resources.find(
        ([, r]) => r.Type === 'AWS::SecretsManager::Secret',
      )!;
      expect(secret.Properties).toMatchObject({
        Name: 'vote-app',
        KmsKeyId: KMS_KEY,
      });
      const [, policy] = resources.find(
        ([, r]) =>
          r.Type === 'AWS::IAM::ManagedPolicy' &&
          r.Properties.ManagedPolicyName === 'vote-secret-access',
      )!;
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: SECRET_ACTIONS,
          Effect: 'Allow',
          Resource: { Ref: secretId },
        },
        {
          Action: 'kms:Decrypt',
          Condition: { StringEquals: VIA_SECRETS_MANAGER },
          Effect: 'Allow',
          Resource: KMS_KEY,
        },
      ]);
      const [, role] = resources.find(
        ([, r]) =>
          r.Type === 'AWS::IAM::Role' &&
          r.Properties.RoleName === 'vote-service',
      )!;
      expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(
        'SecretAccess',
      );
      const manifests = resources
        .filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
        .flatMap(([, r]) => JSON.parse(r.Properties.Manifest));
      expectProviderClass(
        manifests.find(m => m.kind === 'SecretProviderClass'),
        mode,
      );
    },
    60_000,
  );

  it.each(MODES)(
    'ack with %s: a policy on the secret’s name (six random characters follow it), on the service role, and the provider class',
    async mode => {
      const dir = await generate('ack', mode, OPTION_SETS[1]);
      expectMounted(dir);
      const policy = yaml.parse(read(dir, 'infra/ack/secret-policy.yaml'));
      expect(JSON.parse(policy.spec.policyDocument).Statement).toEqual([
        {
          Effect: 'Allow',
          Action: SECRET_ACTIONS,
          Resource:
            'arn:aws:secretsmanager:eu-west-3:123456789012:secret:vote-app-??????',
        },
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: KMS_KEY,
          Condition: { StringEquals: VIA_SECRETS_MANAGER },
        },
      ]);
      const role = yaml.parse(read(dir, 'infra/ack/role.yaml'));
      expect(role.spec.policyRefs).toContainEqual({
        from: { name: 'vote-secret-access' },
      });
      const kustomization = yaml.parse(
        read(dir, 'infra/ack/kustomization.yaml'),
      );
      expect(kustomization.resources).toEqual(
        expect.arrayContaining([
          'secret-policy.yaml',
          'secret-provider-class.yaml',
        ]),
      );
      expectProviderClass(
        yaml.parse(read(dir, 'infra/ack/secret-provider-class.yaml')),
        mode,
      );
    },
  );

  it.each(FLAVOURS)(
    '%s without the option: no secret anywhere, no CSI volume',
    async flavour => {
      const dir = await generate(flavour, 'irsa', { synthesize: false });
      const deployment = read(dir, 'k8s/deployment.yaml');
      expect(deployment).not.toMatch(/csi|ADMIN_TOKEN_FILE/);
      const infra = [...readFiles(path.join(dir, `infra/${flavour}`)).values()];
      expect(infra.join('\n')).not.toMatch(
        /secretsmanager|SecretProviderClass/i,
      );
    },
  );
});

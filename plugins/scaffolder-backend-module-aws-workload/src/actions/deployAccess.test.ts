import { parse as parseHcl } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  FLAVOURS,
  GENERATED,
  generate,
  MODES,
  OPTION_SETS,
  readFiles,
} from './__testUtils__/generatedRepository';
import {
  EKS_EDIT_POLICY_RULES,
  KubernetesObject,
  missingPermissions,
} from './__testUtils__/kubernetesAccess';

const NAMESPACE: string = GENERATED.manifests.namespace;

/** Every object `kubectl apply -k k8s/` sends, as the deploy job runs it. */
function deployedObjects(dir: string): KubernetesObject[] {
  const k8s = path.join(dir, 'k8s');
  const kustomization = yaml.parse(
    fs.readFileSync(path.join(k8s, 'kustomization.yaml'), 'utf8'),
  );
  return (kustomization.resources as string[]).flatMap(file =>
    yaml
      .parseAllDocuments(fs.readFileSync(path.join(k8s, file), 'utf8'))
      .map(d => d.toJSON()),
  );
}

/** The deploy role's access policy and scope, as the infrastructure grants it. */
async function deployAccess(dir: string, flavour: string) {
  const infra = path.join(dir, `infra/${flavour}`);
  if (flavour === 'terraform') {
    const files = readFiles(infra);
    const deploy = await parseHcl('deploy.tf', files.get('deploy.tf')!);
    const association =
      deploy.resource.aws_eks_access_policy_association.deploy[0];
    return {
      policyArn: association.policy_arn,
      scope: association.access_scope[0],
    };
  }
  const template = JSON.parse(
    fs.readFileSync(path.join(infra, 'cdk.out/vote.template.json'), 'utf8'),
  );
  const [entry] = Object.values<any>(template.Resources).filter(
    r =>
      r.Type === 'AWS::EKS::AccessEntry' &&
      JSON.stringify(r.Properties.PrincipalArn).includes('DeployRole'),
  );
  const [policy] = entry.Properties.AccessPolicies;
  return {
    policyArn: policy.PolicyArn,
    scope: {
      type: policy.AccessScope.Type,
      namespaces: policy.AccessScope.Namespaces,
    },
  };
}

/** The Namespace the infrastructure creates, by flavour. */
async function createdNamespace(dir: string, flavour: string) {
  const infra = path.join(dir, `infra/${flavour}`);
  if (flavour === 'terraform') {
    const tf = await parseHcl(
      'kubernetes.tf',
      fs.readFileSync(path.join(infra, 'kubernetes.tf'), 'utf8'),
    );
    return tf.resource.kubernetes_namespace_v1.service[0].metadata[0];
  }
  if (flavour === 'cdk') {
    const template = JSON.parse(
      fs.readFileSync(path.join(infra, 'cdk.out/vote.template.json'), 'utf8'),
    );
    const manifests = Object.values<any>(template.Resources)
      .filter(r => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
      .flatMap(r => JSON.parse(r.Properties.Manifest));
    return manifests.find(m => m.kind === 'Namespace')?.metadata;
  }
  const ack = yaml.parse(
    fs.readFileSync(path.join(infra, 'namespace.yaml'), 'utf8'),
  );
  const kustomization = yaml.parse(
    fs.readFileSync(path.join(infra, 'kustomization.yaml'), 'utf8'),
  );
  expect(kustomization.resources[0]).toBe('namespace.yaml');
  return ack.metadata;
}

const CASES = FLAVOURS.flatMap(flavour =>
  MODES.flatMap(mode =>
    OPTION_SETS.map(
      options =>
        [
          flavour,
          mode,
          options.secrets ? 'the secret and the ALB' : 'no option',
          options,
        ] as const,
    ),
  ),
);

describe('the first deploy, with the deploy role’s effective permissions', () => {
  it.each(CASES)(
    '%s with %s and %s: the infrastructure creates the namespace, and the deploy role may apply every object of k8s/',
    async (flavour, mode, _, options) => {
      const ingress = options.ingress ?? false;
      const dir = await generate(flavour, mode, options);
      const namespace = await createdNamespace(dir, flavour);
      expect(namespace.name).toBe(NAMESPACE);
      expect(namespace.labels['pod-security.kubernetes.io/enforce']).toBe(
        'restricted',
      );
      expect(namespace.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe(
        ingress ? 'enabled' : undefined,
      );

      // ACK's deploy role gets its access entry from the README's commands
      // (no ACK object here for it): the same policy and scope.
      const access =
        flavour === 'ack'
          ? {
              policyArn:
                'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
              scope: { type: 'namespace', namespaces: [NAMESPACE] },
            }
          : await deployAccess(dir, flavour);
      expect(access.policyArn).toBe(
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
      );
      expect(access.scope).toEqual({
        type: 'namespace',
        namespaces: [NAMESPACE],
      });

      const objects = deployedObjects(dir);
      expect(objects.map(o => o.kind)).toEqual(
        expect.arrayContaining(['Deployment', 'ServiceAccount']),
      );
      const missing = objects.flatMap(object =>
        missingPermissions(EKS_EDIT_POLICY_RULES, access.scope.namespaces, {
          ...object,
          metadata: {
            ...object.metadata,
            namespace: object.metadata.namespace,
          },
        }),
      );
      expect(missing).toEqual([]);
      // kubectl rollout status, in the deploy job.
      expect(
        missingPermissions(
          EKS_EDIT_POLICY_RULES,
          access.scope.namespaces,
          objects.find(o => o.kind === 'Deployment')!,
          ['get', 'watch'],
        ),
      ).toEqual([]);
    },
    60_000,
  );

  it('would have failed with the Namespace in k8s/, and with an object the edit policy does not cover (the check can fail)', () => {
    const scope = [NAMESPACE];
    expect(
      missingPermissions(EKS_EDIT_POLICY_RULES, scope, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NAMESPACE },
      }),
    ).toEqual([
      'get core/namespaces cluster-wide',
      'create core/namespaces cluster-wide',
      'patch core/namespaces cluster-wide',
    ]);
    expect(
      missingPermissions(EKS_EDIT_POLICY_RULES, scope, {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: 'vote', namespace: NAMESPACE },
      }),
    ).toHaveLength(3);
    expect(
      missingPermissions(EKS_EDIT_POLICY_RULES, scope, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'vote', namespace: 'other' },
      }),
    ).toEqual([
      'get apps/deployments in namespace other',
      'create apps/deployments in namespace other',
      'patch apps/deployments in namespace other',
    ]);
  });
});

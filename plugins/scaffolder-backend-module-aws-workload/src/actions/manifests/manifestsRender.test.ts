import { expectInputRejected } from '../__testUtils__/expectInputRejected';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  classifyWorkload,
  toWorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createManifestsRenderAction } from './manifestsRender';
import { examples } from './manifestsRender.examples';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  ServiceAccount,
  Deployment,
  Service,
  Ingress,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  NetworkPolicy,
};

/** The skeleton's server, whose shutdown the pod's lifecycle waits for. */
const SKELETON_SERVER = path.resolve(
  __dirname,
  '../../../../catalog-backend-module-aws-workload-templates/templates/vote-service/skeleton/src/server.ts',
);

const matches = (selector: Record<string, string>, podLabels: object) =>
  Object.entries(selector).every(
    ([key, value]) => (podLabels as Record<string, string>)[key] === value,
  );

const baseInput = yaml.parse(examples[0].example).steps[0].input;

async function render(input: Record<string, unknown>) {
  const workspace = createMockDirectory();
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: workspace.path,
  });
  await createManifestsRenderAction().handler(ctx as any);
  const dir = path.join(workspace.path, 'k8s');
  const files = Object.fromEntries(
    fs
      .readdirSync(dir)
      .map(f => [f, yaml.parse(fs.readFileSync(path.join(dir, f), 'utf8'))]),
  );
  return { ctx, files, workspace };
}

describe('aws-workload:manifests:render', () => {
  it.each(examples.map(e => [e.description, e]))(
    'writes objects that validate against the Kubernetes API schemas (%s)',
    async (_, example) => {
      const { files, ctx } = await render(
        yaml.parse(example.example).steps[0].input,
      );
      const kustomization = files['kustomization.yaml'];
      expect(kustomization.kind).toBe('Kustomization');
      for (const resource of kustomization.resources as string[]) {
        const object = files[resource];
        expect(MODELS[object.kind]).toBeDefined();
        expect(() => new MODELS[object.kind](object).validate()).not.toThrow();
      }
      expect((ctx.output as jest.Mock).mock.calls[0][1]).toEqual(
        expect.arrayContaining([
          'k8s/deployment.yaml',
          'k8s/kustomization.yaml',
        ]),
      );
    },
  );

  it('binds the ServiceAccount to the role under IRSA, and the Deployment to the ServiceAccount', async () => {
    const { files } = await render(baseInput);
    const sa = files['serviceaccount.yaml'];
    const deployment = files['deployment.yaml'];
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(
      baseInput.roleArn,
    );
    expect(deployment.spec.template.spec.serviceAccountName).toBe(
      sa.metadata.name,
    );
    expect(deployment.metadata.namespace).toBe(sa.metadata.namespace);
    expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'vote',
    );
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('vote');
    // What the entity page will say about it.
    const workload = toWorkloadInput(deployment)!;
    expect(
      classifyWorkload(workload, {
        serviceAccounts: [sa],
        podIdentityAssociations: [],
      }),
    ).toMatchObject({
      mode: 'irsa',
      roleArn: baseInput.roleArn,
      findings: [],
    });
  });

  it('leaves the ServiceAccount unannotated under Pod Identity', async () => {
    const { files } = await render({
      ...baseInput,
      credentials: 'pod-identity',
    });
    expect(files['serviceaccount.yaml'].metadata.annotations).toBeUndefined();
  });

  it('runs as non-root with a read-only root filesystem, probes and limits, and carries no AWS keys', async () => {
    const { files } = await render(baseInput);
    const container = files['deployment.yaml'].spec.template.spec.containers[0];
    expect(
      files['deployment.yaml'].spec.template.spec.securityContext.runAsNonRoot,
    ).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.limits.memory).toBe('256Mi');
    const text = JSON.stringify(files);
    expect(text).not.toMatch(
      /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AKIA[0-9A-Z]{16}/,
    );
    expect(container.image).toBe('vote-service');
    expect(files['kustomization.yaml'].images[0].newTag).not.toBe('latest');
  });

  it('writes only objects of the service namespace: the namespace is the infrastructure’s', async () => {
    const { files } = await render(baseInput);
    const objects = Object.entries(files).filter(
      ([file]) => file !== 'kustomization.yaml',
    );
    expect(objects.map(([, o]) => o.kind)).not.toContain('Namespace');
    for (const [, object] of objects)
      expect(object.metadata.namespace).toBe('vote');
  });

  it('keeps two replicas through disruptions and load, spread over zones', async () => {
    const { files } = await render(baseInput);
    const deployment = files['deployment.yaml'];
    const podLabels = deployment.spec.template.metadata.labels;
    // The autoscaler owns the count: an applied count would reset it.
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = files['horizontalpodautoscaler.yaml'];
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    const pdb = files['poddisruptionbudget.yaml'];
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    expect(matches(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    const spread = deployment.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((c: any) => c.topologyKey)).toContain(
      'topology.kubernetes.io/zone',
    );
    for (const constraint of spread) {
      expect(constraint.whenUnsatisfiable).toBe('ScheduleAnyway');
      expect(matches(constraint.labelSelector.matchLabels, podLabels)).toBe(
        true,
      );
    }
  });

  it('waits for the server to start, and lets it drain before it stops', async () => {
    const { files } = await render(baseInput);
    const pod = files['deployment.yaml'].spec.template.spec;
    const [container] = pod.containers;
    const startup = container.startupProbe;
    expect(startup.httpGet.path).toBe('/healthz');
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThan(
      30,
    );
    // The sleep action: no shell needed in the image.
    const preStop = container.lifecycle.preStop.sleep.seconds;
    expect(container.lifecycle.preStop.exec).toBeUndefined();
    // The server's own bound on draining after SIGTERM (src/server.ts).
    const forcedExit = fs
      .readFileSync(SKELETON_SERVER, 'utf8')
      .match(/setTimeout\(\(\) => process\.exit\(1\), ([\d_]+)\)/);
    expect(forcedExit).not.toBeNull();
    const serverSeconds = Number(forcedExit![1].replace(/_/g, '')) / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      preStop + serverSeconds,
    );
  });

  it('admits traffic only from the way in: same-namespace pods, or the ALB’s VPC addresses', async () => {
    const internal = (await render(baseInput)).files['networkpolicy.yaml'];
    const podLabels = (await render(baseInput)).files['deployment.yaml'].spec
      .template.metadata.labels;
    expect(matches(internal.spec.podSelector.matchLabels, podLabels)).toBe(
      true,
    );
    expect(internal.spec.policyTypes).toEqual(['Ingress']);
    expect(internal.spec.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 3000 }] },
    ]);
    const withAlb = (
      await render({
        ...baseInput,
        ingressHost: 'vote.example.com',
        vpcCidr: '10.42.0.0/16',
      })
    ).files['networkpolicy.yaml'];
    expect(withAlb.spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '10.42.0.0/16' } }],
        ports: [{ protocol: 'TCP', port: 3000 }],
      },
    ]);
  });

  it('puts the ALB on HTTPS with the ACM certificate, health-checked on /readyz', async () => {
    const certificateArn =
      'arn:aws:acm:eu-west-3:123456789012:certificate/0f2d7c1e-4b5a-4c3d-9e8f-7a6b5c4d3e2f';
    const { files } = await render({
      ...baseInput,
      ingress: true,
      ingressCertificateArn: certificateArn,
    });
    const annotations = files['ingress.yaml'].metadata.annotations;
    expect(annotations).toMatchObject({
      'alb.ingress.kubernetes.io/certificate-arn': certificateArn,
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
      'alb.ingress.kubernetes.io/target-type': 'ip',
    });
    expect(
      JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports']),
    ).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    const plain = (await render({ ...baseInput, ingress: true })).files[
      'ingress.yaml'
    ].metadata.annotations;
    expect(plain['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
  });

  it.each([
    [{ name: 'Vote' }, /^name must be a DNS-1123 label/],
    [{ namespace: 'vote"\n  evil: x' }, /^namespace must be a DNS-1123 label/],
    [
      { roleArn: 'arn:aws:iam::123456789012:user/bob' },
      /^roleArn must be an IAM role ARN/,
    ],
    [
      {
        imageRepository:
          '123456789012.dkr.ecr.eu-west-3.amazonaws.com/vote:latest',
      },
      /^imageRepository must be an ECR repository URI/,
    ],
    [{ tableName: 'x' }, /^tableName must be 3 to 255/],
    [{ region: 'eu-west' }, /^region must be an AWS region code/],
    [{ port: 80 }, /^port must be a whole number from 1024/],
    [{ voteOptions: ['up'] }, /^voteOptions must be at least two/],
    [{ voteOptions: ['up', 'up'] }, /^voteOptions must not repeat/],
    [{ ingressHost: 'not a host' }, /^ingress.host must be a DNS name/],
    [
      { ingress: true, ingressCertificateArn: 'arn:aws:iam::1:role/x' },
      /^ingress.certificateArn must be an ACM certificate ARN/,
    ],
    [
      { ingress: true, vpcCidr: '10.0.0.0' },
      /^ingress.vpcCidr must be an IPv4 CIDR block/,
    ],
  ])(
    'rejects %j with an InputError and writes nothing',
    async (bad, message) => {
      await expectInputRejected({
        action: createManifestsRenderAction(),
        input: { ...baseInput, ...bad },
        message,
      });
    },
  );

  it('names the image as the input says, the service name by default, and CI sets the same name', async () => {
    const chosen = await render(baseInput);
    expect(chosen.files['kustomization.yaml'].images[0].name).toBe(
      'vote-service',
    );
    const { imageName, ...withoutName } = baseInput;
    const byDefault = await render({ ...withoutName, name: 'tally' });
    const deployment = byDefault.files['deployment.yaml'];
    expect(deployment.spec.template.spec.containers[0].image).toBe('tally');
    expect(byDefault.files['kustomization.yaml'].images[0]).toMatchObject({
      name: 'tally',
      newName: baseInput.imageRepository,
    });
    const workspace = createMockDirectory();
    const ctx = createMockActionContext({
      input: { ...baseInput, imageName: 'Vote Service:latest' },
      workspacePath: workspace.path,
    });
    await expect(
      createManifestsRenderAction().handler(ctx as any),
    ).rejects.toThrow(/^imageName must be an image name/);
  });

  it('refuses a target path outside the workspace', async () => {
    const workspace = createMockDirectory();
    const ctx = createMockActionContext({
      input: { ...baseInput, targetPath: '../../etc' },
      workspacePath: workspace.path,
    });
    await expect(
      createManifestsRenderAction().handler(ctx as any),
    ).rejects.toThrow(/outside/i);
  });
});

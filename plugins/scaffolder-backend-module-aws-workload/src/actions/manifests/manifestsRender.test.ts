import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  classifyWorkload,
  toWorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createManifestsRenderAction } from './manifestsRender';
import { examples } from './manifestsRender.examples';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  Namespace,
  ServiceAccount,
  Deployment,
  Service,
  Ingress,
};

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
  ])(
    'rejects %j with an InputError and writes nothing',
    async (bad, message) => {
      const workspace = createMockDirectory();
      const ctx = createMockActionContext({
        input: { ...baseInput, ...bad },
        workspacePath: workspace.path,
      });
      const run = createManifestsRenderAction().handler(ctx as any);
      await expect(run).rejects.toThrow(InputError);
      await expect(
        createManifestsRenderAction().handler(ctx as any),
      ).rejects.toThrow(message);
      expect(fs.existsSync(path.join(workspace.path, 'k8s'))).toBe(false);
    },
  );

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

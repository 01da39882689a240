import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createIacRenderAction } from './iacRender';
import { examples } from './iacRender.examples';

/**
 * China and GovCloud are partitions of their own: every ARN the renderers
 * write carries the region's partition, and the ECR URI its DNS suffix.
 */
const input = yaml.parse(examples[0].example).steps[0].input;

const PARTITIONS = [
  ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
  ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
  ['eu-west-3', 'aws', 'amazonaws.com'],
] as const;

const cases = PARTITIONS.flatMap(p =>
  (['terraform', 'cdk', 'ack'] as const).flatMap(flavour =>
    (['irsa', 'pod-identity'] as const).map(
      credentials => [...p, flavour, credentials] as const,
    ),
  ),
);

describe('aws-workload:iac:render in every partition', () => {
  it.each(cases)(
    '%s (%s): %s with %s writes ARNs of that partition only',
    async (region, partition, dnsSuffix, flavour, credentials) => {
      const workspace = createMockDirectory();
      const ctx = createMockActionContext({
        input: {
          ...input,
          flavour,
          credentials,
          awsRegion: region,
          oidcIssuer: `https://oidc.eks.${region}.${dnsSuffix}/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B`,
        },
        workspacePath: workspace.path,
      });
      await createIacRenderAction().handler(ctx as any);
      const dir = path.join(workspace.path, `infra/${flavour}`);
      const written = fs
        .readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter(f => fs.statSync(path.join(dir, f)).isFile())
        .map(f => fs.readFileSync(path.join(dir, f), 'utf8'))
        .join('\n');
      const arns = [...written.matchAll(/\barn:([a-z-]+):/g)].map(m => m[1]);
      expect(arns.length).toBeGreaterThan(0);
      expect(new Set(arns)).toEqual(new Set([partition]));
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(outputs.repositoryUri).toBe(
        `123456789012.dkr.ecr.${region}.${dnsSuffix}/vote`,
      );
      for (const key of [
        'serviceRoleArn',
        'deployRoleArn',
        'tableArn',
        'repositoryArn',
      ]) {
        expect(outputs[key]).toMatch(new RegExp(`^arn:${partition}:`));
      }
      expect(outputs.serviceRoleArn).toBe(
        `arn:${partition}:iam::123456789012:role/vote-service`,
      );
    },
  );
});

import { findPodTemplate } from './workloads';

const containers = [{ name: 'app', image: 'app:1' }];

describe('findPodTemplate: a pod spec found by shape, whatever the kind', () => {
  it.each([
    [
      'an Argo Rollout',
      { kind: 'Rollout', spec: { template: { spec: { containers } } } },
      'spec.template.spec',
    ],
    [
      'a CronJob',
      {
        kind: 'CronJob',
        spec: { jobTemplate: { spec: { template: { spec: { containers } } } } },
      },
      'spec.jobTemplate.spec.template.spec',
    ],
    [
      'a KEDA ScaledJob',
      {
        kind: 'ScaledJob',
        spec: { jobTargetRef: { template: { spec: { containers } } } },
      },
      'spec.jobTargetRef.template.spec',
    ],
    ['a Pod', { kind: 'Pod', spec: { containers } }, 'spec'],
    [
      'an OpenTelemetryCollector',
      {
        kind: 'OpenTelemetryCollector',
        metadata: { name: 'otel' },
        spec: { image: 'otel:1', env: [], serviceAccount: 'otel' },
      },
      'spec (one container)',
    ],
  ])('reads %s', (_, object, path) => {
    expect(findPodTemplate(object as any)?.path).toBe(path);
  });

  it('gives an operator resource one container named after it, with its ServiceAccount', () => {
    const found = findPodTemplate({
      kind: 'AmazonCloudWatchAgent',
      metadata: { name: 'cloudwatch-agent' },
      spec: {
        image: 'cw:1',
        env: [{ name: 'A', value: 'b' }],
        serviceAccount: 'cw',
      },
    });
    expect(found?.template.spec).toMatchObject({
      serviceAccountName: 'cw',
      containers: [{ name: 'cloudwatch-agent', image: 'cw:1' }],
    });
  });

  it.each([
    ['a Service', { kind: 'Service', spec: { ports: [{ port: 80 }] } }],
    [
      'a Karpenter NodePool (a template without containers)',
      { kind: 'NodePool', spec: { template: { spec: { requirements: [] } } } },
    ],
    [
      'a Workflow',
      {
        kind: 'Workflow',
        spec: { templates: [{ container: { image: 'x' } }] },
      },
    ],
    ['an object without spec', { kind: 'ConfigMap', data: {} }],
  ])('finds none in %s', (_, object) => {
    expect(findPodTemplate(object as any)).toBeUndefined();
  });
});

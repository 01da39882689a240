import { REDACTED, redactObject } from './redact';

describe('redactObject', () => {
  const container = {
    name: 'app',
    env: [
      { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAZZRECOGNISABLE99' },
      { name: 'AWS_SECRET_ACCESS_KEY', value: 'very-secret' },
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::123456789012:role/r' },
      {
        name: 'FROM_SECRET',
        valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
      },
      { name: 'EMPTY', value: '' },
    ],
  };

  it('keeps only what the classifier reads in pods', () => {
    const pod = redactObject({
      kind: 'Pod',
      spec: { containers: [container], initContainers: [container] },
    });
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) {
      expect(c.env).toEqual([
        { name: 'AWS_ACCESS_KEY_ID', value: '****LE99' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: REDACTED },
        { name: 'DB_PASSWORD', value: REDACTED },
        { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::123456789012:role/r' },
        {
          name: 'FROM_SECRET',
          valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
        },
        { name: 'EMPTY', value: '' },
      ]);
    }
  });

  it('redacts the templates of workloads and CronJobs', () => {
    const deployment = redactObject({
      kind: 'Deployment',
      spec: { template: { spec: { containers: [container] } } },
    });
    const cronJob = redactObject({
      kind: 'CronJob',
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [container] } } },
        },
      },
    });
    const text = JSON.stringify([deployment, cronJob]);
    expect(text).not.toContain('very-secret');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('AKIAZZRECOGNISABLE99');
  });

  it('redacts ephemeral containers and drops the copies metadata carries', () => {
    const secretPod = {
      kind: 'Pod',
      metadata: { name: 'app', namespace: 'shop' },
      spec: { containers: [container] },
    };
    const metadata = {
      name: 'app',
      namespace: 'shop',
      labels: { 'backstage.io/kubernetes-id': 'shop' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration':
          JSON.stringify(secretPod),
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/r',
      },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          fieldsV1: {
            'f:spec': { 'f:containers': { 'k:{"name":"app"}': {} } },
          },
          // Some clients write values here too.
          note: 'hunter2',
        },
      ],
    };
    const objects = [
      redactObject({
        kind: 'Pod',
        metadata,
        spec: { containers: [], ephemeralContainers: [container] },
      }),
      redactObject({
        kind: 'Deployment',
        metadata,
        spec: { template: { metadata, spec: { containers: [container] } } },
      }),
      redactObject({
        kind: 'CronJob',
        metadata,
        spec: {
          jobTemplate: {
            metadata,
            spec: { template: { metadata, spec: { containers: [container] } } },
          },
        },
      }),
      redactObject({ kind: 'ServiceAccount', metadata }),
    ];
    const text = JSON.stringify(objects);
    for (const secret of ['very-secret', 'hunter2', 'AKIAZZRECOGNISABLE99']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('last-applied-configuration');
    expect(text).not.toContain('managedFields');
    // What the classifier reads is kept.
    expect((objects[0] as any).spec.ephemeralContainers[0].env[0]).toEqual({
      name: 'AWS_ACCESS_KEY_ID',
      value: '****LE99',
    });
    expect(objects[3].metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/r',
    });
    expect(objects[1].metadata.labels).toEqual(metadata.labels);
  });
});

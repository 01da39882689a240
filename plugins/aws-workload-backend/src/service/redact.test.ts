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
});

import { ConfigReader } from '@backstage/config';
import { readAwsWorkloadConfig } from './readAwsWorkloadConfig';

const read = (awsWorkload: object) =>
  readAwsWorkloadConfig(new ConfigReader({ awsWorkload }));

describe('readAwsWorkloadConfig', () => {
  it('gives the documented defaults for an empty section', () => {
    const settings = readAwsWorkloadConfig(new ConfigReader({}));
    expect(settings).toEqual({
      demo: undefined,
      simulatePolicies: true,
      maxImages: 20,
      upstreamTimeoutMs: 5000,
      callAttempts: 3,
      endpoints: {},
      gate: { maxConcurrentPerAccount: 20, requestsPerSecond: {} },
      cacheTtlMs: {
        table: 300_000,
        images: 120_000,
        workloads: 30_000,
        iam: 300_000,
        eks: 600_000,
      },
      recheckIntervalMs: 30_000,
      fleet: {
        enabled: true,
        schedule: undefined,
        throttledCallAttempts: 8,
        resimulateIntervalMs: 24 * 60 * 60 * 1000,
        answerCacheMiB: undefined,
      },
      notifications: {
        enabled: true,
        kinds: ['static-keys', 'newly-failing', 'healed'],
      },
      history: { retentionDays: 90 },
      guard: undefined,
      deprecations: [],
    });
  });

  it('reads every key once, durations and schedules as Backstage writes them', () => {
    const settings = read({
      demo: true,
      callAttempts: 5,
      requestsPerSecond: { iam: 15 },
      cacheTtl: { iam: { minutes: 1 } },
      recheckInterval: '10s',
      fleet: {
        enabled: false,
        schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
        throttledCallAttempts: 12,
        answerCacheMiB: 16,
        resimulateInterval: '6h',
      },
      notifications: { kinds: ['static-keys'] },
      history: { retentionDays: 30 },
      guard: {
        clusters: [{ name: 'prod', namespaces: ['vote'] }],
        refuseMatchAllSelectors: true,
      },
    });
    expect(settings).toMatchObject({
      demo: true,
      callAttempts: 5,
      gate: { requestsPerSecond: { iam: 15 } },
      cacheTtlMs: { iam: 60_000, table: 300_000 },
      recheckIntervalMs: 10_000,
      fleet: {
        enabled: false,
        schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
        throttledCallAttempts: 12,
        answerCacheMiB: 16,
        resimulateIntervalMs: 6 * 60 * 60 * 1000,
      },
      notifications: { enabled: true, kinds: ['static-keys'] },
      history: { retentionDays: 30 },
      deprecations: [],
    });
    expect(settings.guard?.clusters.get('prod')).toEqual(['vote']);
    expect(settings.guard?.refuseMatchAllSelectors).toBe(true);
  });

  it('still reads the two keys once both named maxAttempts, each with a note to rename it', () => {
    const settings = read({ maxAttempts: 4, fleet: { maxAttempts: 10 } });
    expect(settings.callAttempts).toBe(4);
    expect(settings.fleet.throttledCallAttempts).toBe(10);
    expect(settings.deprecations).toEqual([
      'awsWorkload.maxAttempts is deprecated: rename it to awsWorkload.callAttempts',
      'awsWorkload.fleet.maxAttempts is deprecated: rename it to awsWorkload.fleet.throttledCallAttempts',
    ]);
    // The new name wins where both are set.
    const both = read({ maxAttempts: 4, callAttempts: 2 });
    expect(both.callAttempts).toBe(2);
    expect(both.deprecations).toEqual([
      'awsWorkload.maxAttempts is deprecated: rename it to awsWorkload.callAttempts (both are set; callAttempts is used)',
    ]);
  });

  it.each([
    [
      { callAttempts: 0 },
      'awsWorkload.callAttempts must be a whole number from 1 to 20, got 0',
    ],
    [
      { fleet: { throttledCallAttempts: 2.5 } },
      'awsWorkload.fleet.throttledCallAttempts must be a whole number from 1 to 30, got 2.5',
    ],
    [
      { maxConcurrentPerAccount: 0 },
      'awsWorkload.maxConcurrentPerAccount must be a whole number from 1 up, got 0',
    ],
    [
      { requestsPerSecond: { iam: 0 } },
      'awsWorkload.requestsPerSecond.iam must be a number above 0, got 0',
    ],
    [
      { history: { retentionDays: 0 } },
      'awsWorkload.history.retentionDays must be a whole number from 1 to 3660, got 0',
    ],
    [
      { notifications: { kinds: ['rotated'] } },
      'awsWorkload.notifications.kinds must hold only static-keys, newly-failing, healed; got "rotated"',
    ],
  ])('refuses %j, naming the key and the rule', (awsWorkload, message) => {
    expect(() => read(awsWorkload)).toThrow(message);
  });
});

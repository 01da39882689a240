import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  POSTURE_CHANGE_KINDS,
  PostureChangeKind,
} from '../fleet/postureChanges';
import { DEFAULT_RETENTION_DAYS } from '../fleet/PostureHistoryStore';
import type { AccountRules, LookupGuardRules } from '../facts/LookupGuard';
import type { UpstreamService } from '../clients/RequestGate';

/** The cache sections whose time to live is configurable. */
export type CacheSection = 'table' | 'images' | 'workloads' | 'iam' | 'eks';

const DEFAULT_TTL: Record<CacheSection, HumanDuration> = {
  table: { minutes: 5 },
  images: { minutes: 2 },
  workloads: { seconds: 30 },
  iam: { minutes: 5 },
  eks: { minutes: 10 },
};

/** One re-check per entity and caller in this time, unless configured. */
const RECHECK_INTERVAL: HumanDuration = { seconds: 30 };
const RESIMULATE_INTERVAL: HumanDuration = { hours: 24 };

/** Everything under `awsWorkload` in app-config, read and checked once. */
export interface AwsWorkloadConfig {
  /** `awsWorkload.demo` where set; the upstreams module decides otherwise. */
  demo?: boolean;
  simulatePolicies: boolean;
  maxImages: number;
  upstreamTimeoutMs: number;
  /** Attempts per AWS call of the entity page, the first included. */
  callAttempts: number;
  /** Endpoint overrides per AWS service. */
  endpoints: Record<string, string>;
  gate: {
    maxConcurrentPerAccount: number;
    requestsPerSecond: Partial<Record<UpstreamService, number>>;
  };
  cacheTtlMs: Record<CacheSection, number>;
  recheckIntervalMs: number;
  fleet: {
    enabled: boolean;
    /** Absent: the upstreams module's schedule, or the default. */
    schedule?: SchedulerServiceTaskScheduleDefinition;
    /** Attempts per throttled call during a refresh, the first included. */
    throttledCallAttempts: number;
    answerCacheMiB?: number;
    /** How long an unchanged role's simulation is reused. */
    resimulateIntervalMs: number;
  };
  notifications: { enabled: boolean; kinds: PostureChangeKind[] };
  history: { retentionDays: number };
  /** `awsWorkload.guard`: absent unless the portal opts in. */
  guard?: LookupGuardRules;
  /** Keys still read under an old name: what to log, once, at start. */
  deprecations: string[];
}

function wholeNumber(
  value: number | undefined,
  key: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `${key} must be a whole number from ${min}${
        max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`
      }, got ${value}`,
    );
  }
  return value;
}

/**
 * A number under its current key, or under the key it replaced (with a
 * deprecation note); the current one wins where both are set.
 */
function renamed(options: {
  section: Config | undefined;
  /** The section's path, for the note: `awsWorkload.fleet`. */
  path: string;
  current: string;
  old: string;
  deprecations: string[];
}): number | undefined {
  const { section, path, current, old, deprecations } = options;
  const value = section?.getOptionalNumber(current);
  const oldValue = section?.getOptionalNumber(old);
  if (oldValue !== undefined) {
    deprecations.push(
      `${path}.${old} is deprecated: rename it to ${path}.${current}${
        value !== undefined ? ` (both are set; ${current} is used)` : ''
      }`,
    );
  }
  return value ?? oldValue;
}

function durationMs(
  settings: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    settings?.has(key) ? readDurationFromConfig(settings, { key }) : fallback,
  );
}

function readGate(settings: Config | undefined): AwsWorkloadConfig['gate'] {
  const rates = settings?.getOptionalConfig('requestsPerSecond');
  const requestsPerSecond: AwsWorkloadConfig['gate']['requestsPerSecond'] = {};
  for (const service of rates?.keys() ?? []) {
    const rate = rates!.getNumber(service);
    if (!(rate > 0)) {
      throw new InputError(
        `awsWorkload.requestsPerSecond.${service} must be a number above 0, got ${rate}`,
      );
    }
    requestsPerSecond[service as UpstreamService] = rate;
  }
  return {
    maxConcurrentPerAccount:
      wholeNumber(
        settings?.getOptionalNumber('maxConcurrentPerAccount'),
        'awsWorkload.maxConcurrentPerAccount',
        1,
      ) ?? 20,
    requestsPerSecond,
  };
}

function readNotifications(
  settings: Config | undefined,
): AwsWorkloadConfig['notifications'] {
  const section = settings?.getOptionalConfig('notifications');
  const kinds = section?.getOptionalStringArray('kinds') ?? [
    ...POSTURE_CHANGE_KINDS,
  ];
  const unknownKind = kinds.find(
    k => !POSTURE_CHANGE_KINDS.includes(k as PostureChangeKind),
  );
  if (unknownKind !== undefined) {
    throw new InputError(
      `awsWorkload.notifications.kinds must hold only ${POSTURE_CHANGE_KINDS.join(
        ', ',
      )}; got "${unknownKind}"`,
    );
  }
  return {
    enabled: section?.getOptionalBoolean('enabled') ?? true,
    kinds: kinds as PostureChangeKind[],
  };
}

function readGuard(guard: Config): LookupGuardRules {
  // Arrays, as aws.accounts is: config keys cannot start with a digit.
  const clusters = new Map<string, string[]>();
  for (const c of guard.getOptionalConfigArray('clusters') ?? []) {
    clusters.set(c.getString('name'), c.getStringArray('namespaces'));
  }
  const accounts = new Map<string, AccountRules>();
  for (const a of guard.getOptionalConfigArray('accounts') ?? []) {
    accounts.set(a.getString('accountId'), {
      tablePrefixes: a.getOptionalStringArray('tablePrefixes'),
      repositoryPrefixes: a.getOptionalStringArray('repositoryPrefixes'),
    });
  }
  return {
    clusters,
    accounts,
    refuseMatchAllSelectors:
      guard.getOptionalBoolean('refuseMatchAllSelectors') ?? false,
  };
}

/**
 * The plugin's configuration (`awsWorkload` in app-config), read once and
 * checked: a bad value is an InputError that names the key and the rule.
 */
export function readAwsWorkloadConfig(config: Config): AwsWorkloadConfig {
  const settings = config.getOptionalConfig('awsWorkload');
  const deprecations: string[] = [];
  const endpointConfig = settings?.getOptionalConfig('endpoints');
  const fleet = settings?.getOptionalConfig('fleet');
  return {
    demo: settings?.getOptionalBoolean('demo'),
    simulatePolicies: settings?.getOptionalBoolean('simulatePolicies') ?? true,
    maxImages:
      wholeNumber(
        settings?.getOptionalNumber('maxImages'),
        'awsWorkload.maxImages',
        1,
      ) ?? 20,
    upstreamTimeoutMs:
      wholeNumber(
        settings?.getOptionalNumber('upstreamTimeoutMs'),
        'awsWorkload.upstreamTimeoutMs',
        1,
      ) ?? 5000,
    callAttempts:
      wholeNumber(
        renamed({
          section: settings,
          path: 'awsWorkload',
          current: 'callAttempts',
          old: 'maxAttempts',
          deprecations,
        }),
        'awsWorkload.callAttempts',
        1,
        20,
      ) ?? 3,
    endpoints: Object.fromEntries(
      (endpointConfig?.keys() ?? []).map(key => [
        key,
        endpointConfig!.getString(key),
      ]),
    ),
    gate: readGate(settings),
    cacheTtlMs: Object.fromEntries(
      (Object.keys(DEFAULT_TTL) as CacheSection[]).map(section => [
        section,
        durationMs(settings, `cacheTtl.${section}`, DEFAULT_TTL[section]),
      ]),
    ) as Record<CacheSection, number>,
    recheckIntervalMs: durationMs(
      settings,
      'recheckInterval',
      RECHECK_INTERVAL,
    ),
    fleet: {
      enabled: fleet?.getOptionalBoolean('enabled') ?? true,
      schedule: fleet?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            fleet.getConfig('schedule'),
          )
        : undefined,
      throttledCallAttempts:
        wholeNumber(
          renamed({
            section: fleet,
            path: 'awsWorkload.fleet',
            current: 'throttledCallAttempts',
            old: 'maxAttempts',
            deprecations,
          }),
          'awsWorkload.fleet.throttledCallAttempts',
          1,
          30,
        ) ?? 8,
      answerCacheMiB: wholeNumber(
        fleet?.getOptionalNumber('answerCacheMiB'),
        'awsWorkload.fleet.answerCacheMiB',
        1,
      ),
      resimulateIntervalMs: durationMs(
        fleet,
        'resimulateInterval',
        RESIMULATE_INTERVAL,
      ),
    },
    notifications: readNotifications(settings),
    guard: settings?.has('guard')
      ? readGuard(settings.getConfig('guard'))
      : undefined,
    history: {
      retentionDays:
        wholeNumber(
          settings?.getOptionalNumber('history.retentionDays'),
          'awsWorkload.history.retentionDays',
          1,
          3660,
        ) ?? DEFAULT_RETENTION_DAYS,
    },
    deprecations,
  };
}

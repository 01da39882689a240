import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { Config } from '@backstage/config';
import { readAwsWorkloadConfig } from '../config/readAwsWorkloadConfig';
import PQueue from 'p-queue';

export type UpstreamService =
  | 'dynamodb'
  | 'ecr'
  | 'eks'
  | 'iam'
  | 'sts'
  | 'secretsmanager'
  | 'kubernetes';

export interface RequestGateOptions {
  /** Calls in flight at once per AWS account (or per Kubernetes cluster). */
  maxConcurrentPerAccount: number;
  /** A steady pace per account and service, where the operator knows its quota. */
  requestsPerSecond?: Partial<Record<UpstreamService, number>>;
  /** First backoff after a throttled call; doubles per attempt, with full jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Counts of what went through the gate, by service. */
export interface GateStats {
  calls: Record<string, number>;
  throttled: Record<string, number>;
  /** Failed on every attempt (throttled or transient): the caller got the error. */
  exhausted: Record<string, number>;
  /** Attempts made again after a throttled or transient failure. */
  retried: Record<string, number>;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** AWS throttling (any service's spelling) or a Kubernetes 429. */
export function isThrottled(e: unknown): boolean {
  const error = e as { code?: number; statusCode?: number; name?: string };
  if (error?.code === 429 || error?.statusCode === 429) return true;
  try {
    return isThrottlingError(e as any);
  } catch {
    return false;
  }
}

/**
 * What the gate retries: throttling, and the transient failures (timeouts,
 * dropped connections, 5xx) the SDK's standard mode would retry.
 */
export function isRetryable(e: unknown): boolean {
  if (isThrottled(e)) return true;
  try {
    return isTransientError(e as any);
  } catch {
    return false;
  }
}

/** The time and the timers a pace runs on; a test gives its own. */
export interface PaceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): void;
}

const SYSTEM_CLOCK: PaceClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    setTimeout(fn, ms);
  },
};

/** How many starts a pace may make back to back to catch up after a stall. */
const MAX_CATCH_UP = 5;

/**
 * A steady pace: one start per interval, never early, in the order asked.
 * Each slot follows the previous slot, not the previous start, so a timer
 * that fires a little late (a busy event loop) is caught up at the next
 * start instead of pushing every later slot back, as an interval queue
 * (p-queue's `interval`) does: there, a 1 ms delay per 20 ms slot slows a
 * 50 per second pace by 5%. After a long stall the schedule lags at most
 * MAX_CATCH_UP slots behind, so at most that many calls start back to back.
 */
export class Pace {
  private readonly intervalMs: number;
  private readonly clock: PaceClock;
  private readonly waiting: Array<() => void> = [];
  private nextSlot = 0;
  private timerSet = false;

  constructor(options: { intervalMs: number; clock?: PaceClock }) {
    this.intervalMs = options.intervalMs;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Resolves when this call may start. */
  turn(): Promise<void> {
    return new Promise(resolve => {
      // An idle pace starts its schedule now: no burst for the time it was idle.
      if (this.waiting.length === 0 && !this.timerSet) {
        this.nextSlot = Math.max(this.nextSlot, this.clock.now());
      }
      this.waiting.push(resolve);
      this.release();
    });
  }

  private release() {
    if (this.timerSet) return;
    const now = this.clock.now();
    while (this.waiting.length > 0 && now >= this.nextSlot) {
      this.waiting.shift()!();
      // The slots due by now, this one included, are at most MAX_CATCH_UP.
      this.nextSlot = Math.max(
        this.nextSlot + this.intervalMs,
        now - (MAX_CATCH_UP - 2) * this.intervalMs,
      );
    }
    if (this.waiting.length > 0) {
      this.timerSet = true;
      this.clock.setTimeout(() => {
        this.timerSet = false;
        this.release();
      }, this.nextSlot - now);
    }
  }
}

/**
 * Every upstream call of the plugin passes here: at most N calls in flight per
 * account, an optional steady pace per account and service, and throttled
 * calls retried with exponential backoff and full jitter, never dropped until
 * the attempts run out.
 */
export class RequestGate {
  private readonly slots = new Map<string, PQueue>();
  private readonly pace = new Map<string, Pace>();
  readonly stats: GateStats = {
    calls: {},
    throttled: {},
    exhausted: {},
    retried: {},
  };

  constructor(private readonly options: RequestGateOptions) {}

  /** `awsWorkload.maxConcurrentPerAccount` (default 20) and `awsWorkload.requestsPerSecond`. */
  static fromConfig(config: Config): RequestGate {
    return new RequestGate(readAwsWorkloadConfig(config).gate);
  }

  private slotQueue(account: string): PQueue {
    let queue = this.slots.get(account);
    if (!queue) {
      queue = new PQueue({ concurrency: this.options.maxConcurrentPerAccount });
      this.slots.set(account, queue);
    }
    return queue;
  }

  private paceOf(account: string, service: UpstreamService): Pace | undefined {
    const rps = this.options.requestsPerSecond?.[service];
    if (!rps) return undefined;
    const key = `${account}|${service}`;
    let pace = this.pace.get(key);
    if (!pace) {
      pace = new Pace({ intervalMs: 1000 / rps });
      this.pace.set(key, pace);
    }
    return pace;
  }

  private once<T>(
    account: string,
    service: UpstreamService,
    call: () => Promise<T>,
  ): Promise<T> {
    const inSlot = () =>
      this.slotQueue(account).add(() => {
        bump(this.stats.calls, service);
        return call();
      }) as Promise<T>;
    // Wait for the pace before taking a slot, so a slow service never holds
    // the slots that other services' calls could use.
    const pace = this.paceOf(account, service);
    return pace ? pace.turn().then(inSlot) : inSlot();
  }

  async run<T>(
    account: string,
    service: UpstreamService,
    call: () => Promise<T>,
    maxAttempts: number,
  ): Promise<T> {
    const base = this.options.baseBackoffMs ?? 100;
    const cap = this.options.maxBackoffMs ?? 5_000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(account, service, call);
      } catch (e) {
        if (!isRetryable(e)) throw e;
        if (isThrottled(e)) bump(this.stats.throttled, service);
        if (attempt >= maxAttempts) {
          bump(this.stats.exhausted, service);
          throw e;
        }
        bump(this.stats.retried, service);
        const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
        await new Promise(r => setTimeout(r, Math.random() * ceiling));
      }
    }
  }
}

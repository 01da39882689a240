import { isThrottled, Pace, RequestGate } from './RequestGate';

const throttling = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });

describe('RequestGate', () => {
  it('keeps at most N calls in flight per account, each account on its own', async () => {
    const gate = new RequestGate({ maxConcurrentPerAccount: 3 });
    const inFlight: Record<string, number> = { a: 0, b: 0 };
    const peak: Record<string, number> = { a: 0, b: 0 };
    const call = (account: string) =>
      gate.run(
        account,
        'iam',
        async () => {
          inFlight[account] += 1;
          peak[account] = Math.max(peak[account], inFlight[account]);
          await new Promise(r => setTimeout(r, 5));
          inFlight[account] -= 1;
          return account;
        },
        1,
      );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(i % 2 ? 'a' : 'b')),
    );
    expect(results.filter(r => r === 'a')).toHaveLength(10);
    expect(peak).toEqual({ a: 3, b: 3 });
    expect(gate.stats.calls.iam).toBe(20);
  });

  it('retries throttled calls until one answers, and counts them', async () => {
    const gate = new RequestGate({
      maxConcurrentPerAccount: 2,
      baseBackoffMs: 1,
      maxBackoffMs: 2,
    });
    let attempts = 0;
    const result = await gate.run(
      'a',
      'dynamodb',
      async () => {
        attempts += 1;
        if (attempts < 4) throw throttling();
        return 'ok';
      },
      8,
    );
    expect(result).toBe('ok');
    expect(attempts).toBe(4);
    expect(gate.stats.throttled.dynamodb).toBe(3);
    expect(gate.stats.retried.dynamodb).toBe(3);
    expect(gate.stats.exhausted).toEqual({});
  });

  it('gives up after the attempts, with the throttling error, and says so', async () => {
    const gate = new RequestGate({
      maxConcurrentPerAccount: 2,
      baseBackoffMs: 1,
      maxBackoffMs: 2,
    });
    let attempts = 0;
    await expect(
      gate.run(
        'a',
        'eks',
        async () => {
          attempts += 1;
          throw throttling();
        },
        3,
      ),
    ).rejects.toThrow('Rate exceeded');
    expect(attempts).toBe(3);
    // The last attempt is not retried.
    expect(gate.stats.retried.eks).toBe(2);
    expect(gate.stats.exhausted.eks).toBe(1);
  });

  it('does not retry other errors', async () => {
    const gate = new RequestGate({ maxConcurrentPerAccount: 2 });
    let attempts = 0;
    await expect(
      gate.run(
        'a',
        'iam',
        async () => {
          attempts += 1;
          throw Object.assign(new Error('no such role'), {
            name: 'NoSuchEntityException',
          });
        },
        5,
      ),
    ).rejects.toThrow('no such role');
    expect(attempts).toBe(1);
  });

  it('paces a service evenly at its requests per second', async () => {
    const gate = new RequestGate({
      maxConcurrentPerAccount: 10,
      requestsPerSecond: { ecr: 20 },
    });
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        gate.run('a', 'ecr', async () => started.push(Date.now()), 1),
      ),
    );
    // 6 starts at 20 per second: the last one at least 5 x 50 ms after the first.
    expect(started[5] - started[0]).toBeGreaterThanOrEqual(240);
  });

  it('keeps its pace when timers fire late, catching up at most 5 starts at once', async () => {
    // A clock the test moves: each timer fires when the test says, as late
    // as a busy event loop would let it.
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const pace = new Pace({
      intervalMs: 20,
      clock: {
        now: () => now,
        setTimeout: (fn, ms) => timers.push({ at: now + ms, fn }),
      },
    });
    const started: number[] = [];
    const turns = Array.from({ length: 12 }, () =>
      pace.turn().then(() => started.push(now)),
    );
    const fireAt = async (time: number) => {
      now = time;
      timers.splice(0).forEach(t => t.fn());
      await Promise.resolve();
    };
    await Promise.resolve();
    expect(started).toEqual([0]);
    expect(timers.map(t => t.at)).toEqual([20]);
    // A little late, as timers are: the next slot stays on the schedule.
    await fireAt(21);
    expect(timers.map(t => t.at)).toEqual([40]);
    await fireAt(41);
    // A stall: the timer due at 60 fires at 200. Five start at once (not
    // the seven slots missed), then the pace resumes every 20 ms.
    await fireAt(200);
    expect(started).toEqual([0, 21, 41, 200, 200, 200, 200, 200]);
    expect(timers.map(t => t.at)).toEqual([220]);
    await fireAt(221);
    await fireAt(240);
    await fireAt(260);
    await fireAt(280);
    await Promise.all(turns);
    expect(started.slice(8)).toEqual([221, 240, 260, 280]);
  });

  it('recognises throttling in the spellings of AWS services and Kubernetes', () => {
    expect(isThrottled(throttling())).toBe(true);
    expect(
      isThrottled(Object.assign(new Error('x'), { name: 'Throttling' })),
    ).toBe(true);
    expect(
      isThrottled(
        Object.assign(new Error('x'), { name: 'TooManyRequestsException' }),
      ),
    ).toBe(true);
    expect(isThrottled({ code: 429 })).toBe(true);
    expect(
      isThrottled(Object.assign(new Error('x'), { name: 'AccessDenied' })),
    ).toBe(false);
  });
});

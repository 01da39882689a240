import { RecheckLimiter } from './RecheckLimiter';

describe('RecheckLimiter', () => {
  it('gives one slot per entity and caller per interval, and says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new RecheckLimiter({ intervalMs: 30_000, now: () => now });
    expect(
      limiter.take('component:default/a', 'user:default/ann'),
    ).toBeUndefined();
    now += 10_000;
    expect(limiter.take('component:default/a', 'user:default/ann')).toEqual({
      waitSeconds: 20,
    });
    // Another caller, or another entity, has its own slot.
    expect(
      limiter.take('component:default/a', 'user:default/bob'),
    ).toBeUndefined();
    expect(
      limiter.take('component:default/b', 'user:default/ann'),
    ).toBeUndefined();
    now += 20_000;
    expect(
      limiter.take('component:default/a', 'user:default/ann'),
    ).toBeUndefined();
  });
});

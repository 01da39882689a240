import { cacheKey } from './CachedLoader';

describe('cacheKey', () => {
  it('never gives two different lookups one key', () => {
    const keys = [
      cacheKey('k8s:workloads', 'prod', null, 'app=vote'),
      cacheKey('k8s:workloads', 'prod', '*', 'app=vote'),
      cacheKey('k8s:workloads', 'prod:*', null, 'app=vote'),
      cacheKey('k8s:workloads', 'prod', null, 'app=vote', undefined),
      cacheKey('iam:simulate', 'a:b', 'c', ['x']),
      cacheKey('iam:simulate', 'a', 'b:c', ['x']),
      cacheKey('iam:simulate', 'a', 'b', ['c:x']),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives one lookup the same key every time', () => {
    expect(cacheKey('ecr:images', 'arn:aws:ecr:eu-west-3:1:repository/x')).toBe(
      cacheKey('ecr:images', 'arn:aws:ecr:eu-west-3:1:repository/x'),
    );
  });
});

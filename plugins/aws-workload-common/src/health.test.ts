import { Check } from './checks';
import {
  CHECK_TITLES,
  chainHealth,
  checkTitle,
  checksByUrgency,
  modeHealthLabel,
} from './health';

const c = (check: Check['check'], status: Check['status']): Check => ({
  check,
  status,
  message: `${check} ${status}`,
  fix: '',
});

describe('chainHealth', () => {
  it('is failing as soon as one check fails, whatever else passes', () => {
    const health = chainHealth([
      c('role-arn-format', 'pass'),
      c('trust-sub', 'fail'),
      c('trust-aud', 'warn'),
      c('role-exists', 'pass'),
    ]);
    expect(health).toMatchObject({
      status: 'failing',
      failing: 1,
      warnings: 1,
      passed: 2,
      summary: '1 check failing',
    });
    expect(modeHealthLabel('irsa', health)).toBe('IRSA · 1 check failing');
  });

  it('counts in words: plural, warnings, checks it could not verify', () => {
    expect(
      chainHealth([c('trust-sub', 'fail'), c('trust-aud', 'fail')]).summary,
    ).toBe('2 checks failing');
    expect(chainHealth([c('node-role-fallback', 'warn')])).toMatchObject({
      status: 'warning',
      summary: '1 warning',
    });
    expect(
      chainHealth([c('role-exists', 'unknown'), c('role-arn-format', 'pass')]),
    ).toMatchObject({ status: 'unknown', summary: '1 not verified' });
  });

  it('is healthy only when every check passed', () => {
    const health = chainHealth([c('role-exists', 'pass')]);
    expect(health.status).toBe('healthy');
    expect(modeHealthLabel('pod-identity', health)).toBe(
      'Pod Identity · healthy',
    );
  });
});

describe('checksByUrgency', () => {
  it('puts failing first, then warnings, not verified, passed, keeping the chain order within each', () => {
    const ordered = checksByUrgency([
      c('role-arn-format', 'pass'),
      c('role-exists', 'unknown'),
      c('trust-sub', 'fail'),
      c('trust-aud', 'warn'),
      c('policy-allows-table', 'fail'),
    ]);
    expect(ordered.map(x => x.check)).toEqual([
      'trust-sub',
      'policy-allows-table',
      'trust-aud',
      'role-exists',
      'role-arn-format',
    ]);
  });
});

describe('check titles', () => {
  it('has a distinct title for every check id, and falls back to the id', () => {
    const titles = Object.values(CHECK_TITLES);
    expect(new Set(titles).size).toBe(titles.length);
    expect(checkTitle('trust-sub')).toBe(
      'Trust policy names this ServiceAccount',
    );
    expect(checkTitle('some-future-check')).toBe('some-future-check');
  });
});

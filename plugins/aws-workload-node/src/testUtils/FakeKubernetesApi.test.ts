import { FakeKubernetesApi, tooManyRequests } from './FakeKubernetesApi';
import { matchesLabelSelector, parseLabelSelector } from './labelSelector';

const URL_BASE = 'https://cluster.example';

const pod = (
  name: string,
  namespace: string,
  labels?: Record<string, string>,
) => ({ metadata: { name, namespace, labels } });

describe('label selectors', () => {
  const labels = { app: 'vote', tier: 'web', replicas: '3' };

  it.each([
    ['app', true],
    ['!app', false],
    ['!team', true],
    ['app=vote', true],
    ['app==vote', true],
    ['app!=vote', false],
    ['team!=a', true],
    ['app in (vote, tally)', true],
    ['app in (tally)', false],
    ['team notin (a,b)', true],
    ['tier notin (web)', false],
    ['replicas>2', true],
    ['replicas<2', false],
    ['app=vote,tier in (web,api),!team', true],
    ['app=vote,tier=api', false],
    ['', true],
  ])('%j matches %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, selector)).toBe(expected);
  });

  it('reads the commas in a set as part of it, and refuses what the API server refuses', () => {
    expect(parseLabelSelector('a in (x,y),b')).toEqual([
      { key: 'a', operator: 'in', values: ['x', 'y'] },
      { key: 'b', operator: 'exists' },
    ]);
    for (const bad of ['app=vote;rm -rf', 'a in x', '=v', 'a=b=c']) {
      expect(() => parseLabelSelector(bad)).toThrow(
        /unable to parse requirement/,
      );
    }
  });
});

describe('FakeKubernetesApi', () => {
  const api = new FakeKubernetesApi({
    objects: {
      pods: [
        pod('a', 'vote', { app: 'vote' }),
        pod('b', 'vote', { app: 'vote' }),
        pod('c', 'tally', { app: 'tally' }),
        pod('d', 'vote'),
      ],
      rollouts: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          ...pod('r', 'vote', { app: 'vote' }),
        },
      ],
    },
  });
  const get = async (path: string) => {
    const res = await api.handle(new Request(`${URL_BASE}${path}`));
    return { status: res.status, body: (await res.json()) as any };
  };
  const names = (body: any) => body.items.map((i: any) => i.metadata.name);

  it('lists in a namespace or in all, by label selector', async () => {
    expect(names((await get('/api/v1/pods')).body)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    const inVote = await get('/api/v1/namespaces/vote/pods?labelSelector=app');
    expect(inVote.body).toMatchObject({ apiVersion: 'v1', kind: 'PodList' });
    expect(names(inVote.body)).toEqual(['a', 'b']);
    expect(
      names(
        (await get(`/api/v1/pods?labelSelector=${encodeURIComponent('!app')}`))
          .body,
      ),
    ).toEqual(['d']);
    expect(
      names(
        (
          await get(
            `/api/v1/pods?labelSelector=${encodeURIComponent(
              'app notin (vote)',
            )}`,
          )
        ).body,
      ),
    ).toEqual(['c', 'd']);
  });

  it('pages with limit and an opaque continue token, as the API server does', async () => {
    const first = await get('/api/v1/pods?limit=3');
    expect(names(first.body)).toEqual(['a', 'b', 'c']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const token = first.body.metadata.continue;
    expect(token).toEqual(expect.any(String));
    const second = await get(
      `/api/v1/pods?limit=3&continue=${encodeURIComponent(token)}`,
    );
    expect(names(second.body)).toEqual(['d']);
    expect(second.body.metadata.continue).toBeUndefined();
  });

  it('gets by name, and answers Status objects with the API server codes', async () => {
    expect((await get('/api/v1/namespaces/vote/pods/a')).body).toEqual(
      pod('a', 'vote', { app: 'vote' }),
    );
    const missing = await get('/api/v1/namespaces/tally/pods/a');
    expect(missing).toMatchObject({
      status: 404,
      body: { kind: 'Status', reason: 'NotFound', code: 404 },
    });
    expect(
      await get(`/api/v1/pods?labelSelector=${encodeURIComponent('a;b')}`),
    ).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect((await get('/version/x/y')).status).toBe(404);
  });

  it('serves custom resources under their group, their items keeping kind', async () => {
    const rollouts = await get(
      '/apis/argoproj.io/v1alpha1/namespaces/vote/rollouts',
    );
    expect(rollouts.body).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'RolloutList',
      items: [{ kind: 'Rollout', metadata: { name: 'r' } }],
    });
    expect(
      FakeKubernetesApi.byResource([
        { kind: 'SecretProviderClass', metadata: { name: 's' } },
        { kind: 'Policy', metadata: { name: 'p' } },
      ]),
    ).toEqual({
      secretproviderclasses: [expect.anything()],
      policies: [expect.anything()],
    });
  });

  it('records each request and lets an intercept answer instead', async () => {
    let throttle = true;
    const throttled = new FakeKubernetesApi({
      objects: () => ({ pods: [pod('a', 'vote')] }),
      intercept: () => (throttle ? tooManyRequests() : undefined),
    });
    const request = () =>
      throttled.handle(
        new Request(`${URL_BASE}/api/v1/pods?limit=500`, {
          headers: { authorization: 'Bearer reader' },
        }),
      );
    expect((await request()).status).toBe(429);
    throttle = false;
    expect((await request()).status).toBe(200);
    expect(throttled.requests).toEqual([
      {
        method: 'GET',
        path: '/api/v1/pods',
        query: { limit: '500' },
        authorization: 'Bearer reader',
      },
      expect.objectContaining({ path: '/api/v1/pods' }),
    ]);
  });
});

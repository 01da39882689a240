import { ResponseError } from '@backstage/errors';
import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { view } from '../__fixtures__/entityView';
import { AwsWorkloadClient } from './AwsWorkloadClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://localhost:7007/api/aws-workload';

function client() {
  return new AwsWorkloadClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: new MockFetchApi(),
  });
}

describe('AwsWorkloadClient', () => {
  it('asks for the entity by kind, namespace and name, and returns the view', async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${baseUrl}/entity/:kind/:namespace/:name`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(view);
      }),
    );
    const result = await client().getEntityView({
      kind: 'Component',
      namespace: 'default',
      name: 'vote-broken-irsa',
    });
    expect(result).toEqual(view);
    expect(paths).toEqual([
      '/api/aws-workload/entity/Component/default/vote-broken-irsa',
    ]);
  });

  it('shares one request between the cards that ask at once', async () => {
    let requests = 0;
    server.use(
      http.get(`${baseUrl}/entity/:kind/:namespace/:name`, () => {
        requests += 1;
        return HttpResponse.json(view);
      }),
    );
    const api = client();
    const ref = { kind: 'component', namespace: 'default', name: 'vote' };
    await Promise.all([
      api.getEntityView(ref),
      api.getEntityView(ref),
      api.getEntityView(ref),
    ]);
    expect(requests).toBe(1);
    await api.getEntityView(ref);
    expect(requests).toBe(2);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.get(`${baseUrl}/entity/:kind/:namespace/:name`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No entity component:default/nope',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client()
      .getEntityView({ kind: 'component', namespace: 'default', name: 'nope' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No entity component:default/nope',
    });
  });

  it('re-checks with a POST, tells every card of that entity, and stops telling those that left', async () => {
    const posts: string[] = [];
    server.use(
      http.post(
        `${baseUrl}/entity/:kind/:namespace/:name/recheck`,
        ({ request }) => {
          posts.push(new URL(request.url).pathname);
          return HttpResponse.json(view);
        },
      ),
    );
    const api = client();
    const ref = { kind: 'Component', namespace: 'default', name: 'vote' };
    const seen: string[] = [];
    const stop = api.onRecheck(ref, v => seen.push(`card 1: ${v.entityRef}`));
    api.onRecheck(ref, v => seen.push(`card 2: ${v.entityRef}`));
    api.onRecheck({ ...ref, name: 'other' }, () => seen.push('other entity'));
    await api.recheckEntity(ref);
    stop();
    await api.recheckEntity(ref);
    expect(posts).toEqual([
      '/api/aws-workload/entity/Component/default/vote/recheck',
      '/api/aws-workload/entity/Component/default/vote/recheck',
    ]);
    expect(seen).toEqual([
      `card 1: ${view.entityRef}`,
      `card 2: ${view.entityRef}`,
      `card 2: ${view.entityRef}`,
    ]);
  });

  it("throws the backend's refusal of a re-check as a ResponseError", async () => {
    server.use(
      http.post(`${baseUrl}/entity/:kind/:namespace/:name/recheck`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'TooManyRequestsError',
              message: 'try again in 20 s',
            },
            response: { statusCode: 429 },
          },
          { status: 429 },
        ),
      ),
    );
    await expect(
      client().recheckEntity({
        kind: 'Component',
        namespace: 'default',
        name: 'vote',
      }),
    ).rejects.toBeInstanceOf(ResponseError);
  });
});

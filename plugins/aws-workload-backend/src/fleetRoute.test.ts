/**
 * GET /api/aws-workload/fleet through the whole plugin: the scheduled refresh
 * fills the database, the route serves it behind the fleet permission and
 * only with the entities the caller may read.
 */
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  FleetResponse,
  entityRefreshPermission,
  fleetReadPermission,
} from '@aws-workload/plugin-aws-workload-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import { ACCOUNT } from './__fixtures__/aws';
import { SimulatedFleet } from './__testUtils__/simulatedFleet';

const fleet = new SimulatedFleet({
  entities: 14,
  clusters: 2,
  podsPerEntity: 1,
  roles: 3,
  latencyMs: 0,
});
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () => passthrough()),
  ...fleet.kubernetesHandlers(),
);
registerMswTestHooks(server);
let restoreAws: () => void;
beforeAll(() => {
  const mocks = fleet.mockAws();
  restoreAws = () => mocks.forEach(m => m.restore());
});
afterAll(() => restoreAws());

/** Users cannot read the entities team-1 owns; the refresh (a service) reads all. */
const HIDDEN_OWNER = 'group:default/team-1';
function catalogWithHiddenEntities() {
  const catalog = catalogServiceMock({ entities: fleet.entities });
  const byRefs = catalog.getEntitiesByRefs.bind(catalog);
  catalog.getEntitiesByRefs = async (req, options) => {
    const result = await byRefs({ ...req, fields: undefined }, options);
    const credentials = (options as { credentials?: BackstageCredentials })
      ?.credentials;
    const isUser =
      (credentials?.principal as { type?: string } | undefined)?.type ===
      'user';
    return {
      items: result.items.map(e =>
        isUser && e?.spec?.owner === HIDDEN_OWNER ? undefined : e,
      ),
    };
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => catalog,
  });
}

const config = {
  aws: {
    accounts: [
      {
        accountId: ACCOUNT,
        accessKeyId: 'AKIALOCALTESTONLY000',
        secretAccessKey: 'local-test-only',
      },
    ],
  },
  awsWorkload: {
    fleet: {
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 0 },
      },
    },
  },
  kubernetes: {
    clusterLocatorMethods: [{ type: 'config', clusters: fleet.clusters }],
  },
} as unknown as JsonObject;

async function backendWith(
  permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  const { server: backend } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogWithHiddenEntities(),
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.factory({ result: permission }),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
    ],
  });
  return backend;
}

async function getFleet(backend: any, query = '') {
  return request(backend)
    .get(`/api/aws-workload/fleet${query}`)
    .set('Authorization', mockCredentials.user.header());
}

describe('GET /api/aws-workload/fleet', () => {
  let backend: any;
  beforeAll(async () => {
    backend = await backendWith(AuthorizeResult.ALLOW);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await getFleet(backend);
      if (res.body.lastRefresh?.status === 'succeeded') break;
      if (Date.now() > deadline) throw new Error('no refresh ran');
      await new Promise(r => setTimeout(r, 200));
    }
  }, 30_000);

  const visible = fleet.members.filter(
    m => m.entity.spec!.owner !== HIDDEN_OWNER,
  );

  it('serves what the scheduled refresh stored, only the entities the caller may read', async () => {
    const res = await getFleet(backend);
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.totalItems).toBe(visible.length);
    expect(visible.length).toBeLessThan(fleet.members.length);
    expect(body.items.map(i => i.name).sort()).toEqual(
      visible.map(m => m.name).sort(),
    );
    expect(body.facets.owners).not.toContain(HIDDEN_OWNER);
    for (const mode of [
      'irsa',
      'pod-identity',
      'static-keys',
      'node-role',
    ] as const) {
      expect(body.countsByMode[mode]).toBe(
        visible.filter(m => m.mode === mode).length,
      );
    }
    expect(body.lastRefresh).toMatchObject({
      status: 'succeeded',
      entities: fleet.members.length,
    });
  });

  it('filters by mode, owner, kind and failing check, and keeps the mode counts of the other filters', async () => {
    const all = (await getFleet(backend)).body as FleetResponse;
    const byMode = (await getFleet(backend, '?mode=static-keys,node-role'))
      .body as FleetResponse;
    expect(byMode.items.map(i => i.modes[0]).sort()).toEqual(
      visible
        .filter(m => m.mode === 'static-keys' || m.mode === 'node-role')
        .map(m => m.mode)
        .sort(),
    );
    expect(byMode.countsByMode).toEqual(all.countsByMode);

    const owner = 'group:default/team-2';
    const byOwner = (await getFleet(backend, `?owner=${owner}&kind=Component`))
      .body as FleetResponse;
    expect(byOwner.items.map(i => i.owner)).toEqual(
      visible.filter(m => m.entity.spec!.owner === owner).map(() => owner),
    );

    const failing = (
      await getFleet(backend, '?failingCheck=static-keys-present')
    ).body as FleetResponse;
    expect(failing.items.length).toBe(
      visible.filter(m => m.mode === 'static-keys').length,
    );
    expect(failing.items.every(i => i.modes.includes('static-keys'))).toBe(
      true,
    );
  });

  it('serves gzip to clients that accept it and plain JSON to the others, with the same answer', async () => {
    const zipped = await request(backend)
      .get('/api/aws-workload/fleet')
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'gzip');
    const plain = await request(backend)
      .get('/api/aws-workload/fleet')
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'identity');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.body).toEqual(plain.body);
    expect((plain.body as FleetResponse).totalItems).toBe(visible.length);
  });

  it('pages', async () => {
    const first = (await getFleet(backend, '?limit=5')).body as FleetResponse;
    const second = (await getFleet(backend, '?limit=5&offset=5'))
      .body as FleetResponse;
    expect(first.items).toHaveLength(5);
    expect(first.totalItems).toBe(visible.length);
    expect(second.items[0].entityRef > first.items[4].entityRef).toBe(true);
  });

  it.each([
    [
      '?mode=root',
      /^mode must be one of irsa, pod-identity, static-keys, node-role, none/,
    ],
    ['?limit=0', /^limit must be a whole number from 1 to 1000/],
    ['?offset=-1', /^offset must be a whole number from 0/],
    ['?colour=red', /^Unknown query parameter colour/],
  ])('answers %s with 400 naming the field', async (query, message) => {
    const res = await getFleet(backend, query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses callers without credentials', async () => {
    const res = await request(backend)
      .get('/api/aws-workload/fleet')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('counts warnings as findings: stored, offered as a facet and filtered by', async () => {
    const all = (await getFleet(backend)).body as FleetResponse;
    expect(all.facets.warningChecks).toContain('node-role-fallback');
    const warned = (await getFleet(backend, '?warningCheck=node-role-fallback'))
      .body as FleetResponse;
    expect(warned.items.length).toBeGreaterThan(0);
    expect(warned.items.map(i => i.name).sort()).toEqual(
      visible
        .filter(m => m.mode === 'node-role')
        .map(m => m.name)
        .sort(),
    );
    for (const item of warned.items) {
      expect(item.warningChecks).toContain('node-role-fallback');
    }
  });

  it(`answers 403 without ${fleetReadPermission.name}`, async () => {
    const denied = await backendWith(AuthorizeResult.DENY);
    const res = await getFleet(denied);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('aws-workload.fleet.read');
  });

  it(`refuses a re-check without ${entityRefreshPermission.name}, before reading anything`, async () => {
    const denied = await backendWith(AuthorizeResult.DENY);
    const [member] = visible;
    const res = await request(denied)
      .post(`/api/aws-workload/entity/component/default/${member.name}/recheck`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('aws-workload.entity.refresh');
  });
});

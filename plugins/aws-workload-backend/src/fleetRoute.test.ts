/**
 * GET /api/aws-workload/fleet through the whole plugin, beside the real
 * catalog and permission backends: the scheduled refresh fills the
 * database, the route serves it behind the fleet permission and only with
 * the entities the caller may read in the catalog.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  FleetResponse,
  entityRefreshPermission,
  fleetReadPermission,
} from '@aws-workload/plugin-aws-workload-common';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import { SimulatedFleet } from './__testUtils__/simulatedFleet';
import { useSimulatedUpstreams } from './__testUtils__/simulatedUpstreams';
import { catalogEntitiesModule } from './__testUtils__/catalogEntities';
import {
  guestToken,
  Hiding,
  hidingPolicyModule,
  realAuthConfig,
  realAuthFeatures,
} from './__testUtils__/realPortal';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

const fleet = new SimulatedFleet({
  entities: 14,
  clusters: 2,
  podsPerEntity: 1,
  roles: 3,
  latencyMs: 0,
});
useSimulatedUpstreams(fleet);

/** Users cannot read the entities team-1 owns; the refresh (a service) reads all. */
const HIDDEN_OWNER = 'group:default/team-1';

/** The real catalog, holding the simulated fleet's entities. */
const fleetEntities = catalogEntitiesModule(
  'test-fleet-entities',
  fleet.entities,
);

const config = {
  ...realAuthConfig,
  catalog: { rules: [{ allow: ['Component', 'Group', 'User'] }] },
  ...fleet.portalConfig(2),
} as unknown as JsonObject;

async function backendWith(
  permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  hiding: Hiding = 'owner-rule',
): Promise<Portal> {
  const { server: backend } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogBackend,
      fleetEntities,
      permissionBackend,
      hidingPolicyModule({
        pluginPermissions: permission,
        hiddenOwner: HIDDEN_OWNER,
        hiding,
      }),
      ...realAuthFeatures,
      // The real scheduler runs the refresh every two seconds: the catalog
      // ingests its entities in the meantime.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { server: backend, token: await guestToken(backend) };
}

/** Waits for a refresh that stored the whole fleet (the catalog ingests first). */
async function refreshed(backend: Portal) {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const res = await getFleet(backend);
    if (
      res.body.lastRefresh?.status === 'succeeded' &&
      res.body.lastRefresh.entities === fleet.members.length
    ) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no refresh stored the fleet: ${res.status} ${JSON.stringify(
          res.body.lastRefresh ?? res.body.error,
        )}`,
      );
    }
    await new Promise(r => setTimeout(r, 300));
  }
}

/** A portal backend and a signed-in user's token for it. */
interface Portal {
  server: any;
  token: string;
}

async function getFleet(portal: Portal, query = '') {
  return request(portal.server)
    .get(`/api/aws-workload/fleet${query}`)
    .set('Authorization', `Bearer ${portal.token}`);
}

describe('GET /api/aws-workload/fleet', () => {
  let backend: Portal;
  beforeAll(async () => {
    backend = await backendWith(AuthorizeResult.ALLOW);
    await refreshed(backend);
  }, 60_000);

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

  it("hides the same entities when the policy's condition is one the store cannot apply (the catalog answers)", async () => {
    const other = await backendWith(AuthorizeResult.ALLOW, 'spec-rule');
    await refreshed(other);
    for (const query of ['', '?mode=static-keys', '?q=team-2&groupBy=owner']) {
      const viaCatalog = (await getFleet(other, query)).body as FleetResponse;
      const inSql = (await getFleet(backend, query)).body as FleetResponse;
      expect(viaCatalog.items.map(i => i.entityRef)).toEqual(
        inSql.items.map(i => i.entityRef),
      );
      expect(viaCatalog.facets).toEqual(inSql.facets);
      expect(viaCatalog.countsByMode).toEqual(inSql.countsByMode);
      expect(viaCatalog.groups).toEqual(inSql.groups);
    }
    expect(
      ((await getFleet(other)).body as FleetResponse).facets.owners,
    ).not.toContain(HIDDEN_OWNER);
  }, 60_000);

  it('searches, sorts and groups on the server, counts following the search', async () => {
    const owner = 'group:default/team-2';
    const searched = (await getFleet(backend, '?q=TEAM-2&sort=name&order=desc'))
      .body as FleetResponse;
    const expected = visible
      .filter(m => m.entity.spec!.owner === owner)
      .map(m => m.name)
      .sort()
      .reverse();
    expect(searched.items.map(i => i.name)).toEqual(expected);
    expect(searched.totalItems).toBe(expected.length);
    const counted = Object.values(searched.countsByMode).reduce(
      (n, c) => n + c,
      0,
    );
    expect(counted).toBeGreaterThanOrEqual(expected.length);
    expect(counted).toBeLessThan(visible.length);

    const grouped = (await getFleet(backend, '?groupBy=owner&limit=1'))
      .body as FleetResponse;
    expect(grouped.groups?.find(g => g.value === owner)?.count).toBe(
      expected.length,
    );
    expect(grouped.groups?.map(g => g.value)).not.toContain(HIDDEN_OWNER);
    const cluster = fleet.clusters[0].name;
    const onCluster = (await getFleet(backend, `?cluster=${cluster}`))
      .body as FleetResponse;
    expect(onCluster.items.length).toBeGreaterThan(0);
    for (const item of onCluster.items) {
      expect(item.workloads.map(w => w.cluster)).toContain(cluster);
    }
  });

  it('serves gzip to clients that accept it and plain JSON to the others, with the same answer', async () => {
    const zipped = await request(backend.server)
      .get('/api/aws-workload/fleet')
      .set('Authorization', `Bearer ${backend.token}`)
      .set('Accept-Encoding', 'gzip');
    const plain = await request(backend.server)
      .get('/api/aws-workload/fleet')
      .set('Authorization', `Bearer ${backend.token}`)
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
    ['?sort=colour', /^sort must be one of name, owner, modes/],
    ['?groupBy=team', /^groupBy must be one of owner, cluster, account, mode/],
    [
      `?q=${'x'.repeat(201)}`,
      /^q must be one string of at most 200 characters/,
    ],
  ])('answers %s with 400 naming the field', async (query, message) => {
    const res = await getFleet(backend, query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses callers without credentials', async () => {
    const res = await request(backend.server).get('/api/aws-workload/fleet');
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

  it("serves the trend: today's count per mode over the whole fleet, as the refresh stored it", async () => {
    const res = await request(backend.server)
      .get('/api/aws-workload/fleet/trend')
      .set('Authorization', `Bearer ${backend.token}`);
    expect(res.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const counts: Record<string, number> = {};
    for (const m of fleet.members) counts[m.mode] = (counts[m.mode] ?? 0) + 1;
    expect(res.body).toEqual({
      days: [{ day: today, countsByMode: counts }],
      retentionDays: 90,
    });
    for (const [query, message] of [
      ['?days=0', /^days must be a whole number from 1 to 366/],
      ['?days=x', /^days must be a whole number from 1 to 366/],
      ['?from=2026-01-01', /^Unknown query parameter from/],
    ] as const) {
      const bad = await request(backend.server)
        .get(`/api/aws-workload/fleet/trend${query}`)
        .set('Authorization', `Bearer ${backend.token}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(message);
    }
  });

  it('says since when the checks on the entity page have been failing, from the stored fleet', async () => {
    // A visible service rolls out static keys; the next refresh stores it.
    const keys = visible.filter(m => m.mode === 'irsa').pop()!;
    fleet.changeMode(keys.name, 'static-keys');
    const storedEntry = async () =>
      (
        (await getFleet(backend, `?q=${keys.name}`)).body as FleetResponse
      ).items.find(i => i.name === keys.name);
    const deadline = Date.now() + 20_000;
    while (!(await storedEntry())?.modes.includes('static-keys')) {
      if (Date.now() > deadline)
        throw new Error('no refresh stored the change');
      await new Promise(r => setTimeout(r, 200));
    }
    const stored = (await storedEntry())!;
    expect(stored.failingSince).toEqual({
      'static-keys-present': expect.any(String),
    });
    const view = await request(backend.server)
      .get(`/api/aws-workload/entity/component/default/${keys.name}`)
      .set('Authorization', `Bearer ${backend.token}`);
    expect(view.status).toBe(200);
    expect(view.body.failingSince).toEqual(stored.failingSince);
    const healthy = visible.find(m => m.mode === 'irsa' && m !== keys)!;
    const healthyView = await request(backend.server)
      .get(`/api/aws-workload/entity/component/default/${healthy.name}`)
      .set('Authorization', `Bearer ${backend.token}`);
    expect(healthyView.body.failingSince).toBeUndefined();
  });

  it(`answers 403 without ${fleetReadPermission.name}, on the fleet and its trend`, async () => {
    const denied = await backendWith(AuthorizeResult.DENY);
    const res = await getFleet(denied);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('aws-workload.fleet.read');
    const trend = await request(denied.server)
      .get('/api/aws-workload/fleet/trend')
      .set('Authorization', `Bearer ${denied.token}`);
    expect(trend.status).toBe(403);
  });

  it(`refuses a re-check without ${entityRefreshPermission.name}, before reading anything`, async () => {
    const denied = await backendWith(AuthorizeResult.DENY);
    const [member] = visible;
    const res = await request(denied.server)
      .post(`/api/aws-workload/entity/component/default/${member.name}/recheck`)
      .set('Authorization', `Bearer ${denied.token}`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('aws-workload.entity.refresh');
  });
});

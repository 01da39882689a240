/**
 * Owners' notifications through the real notifications backend: the
 * plugin's scheduled refresh sees a service change mode in the simulated
 * cluster and tells its owner, once per change.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogBackend from '@backstage/plugin-catalog-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { awsWorkloadPlugin } from '../plugin';
import { catalogEntitiesModule } from '../__testUtils__/catalogEntities';
import { SimulatedFleet } from '../__testUtils__/simulatedFleet';
import { useSimulatedUpstreams } from '../__testUtils__/simulatedUpstreams';

const OWNER = 'user:default/vote-owner';
const fleet = new SimulatedFleet({
  entities: 3,
  clusters: 1,
  podsPerEntity: 1,
  roles: 1,
  latencyMs: 0,
  modeOf: () => 'irsa',
});
useSimulatedUpstreams(fleet);

const entities = fleet.entities.map(e => ({
  ...e,
  spec: { ...e.spec, owner: OWNER },
}));

function config(notifications?: JsonObject) {
  const simulated = fleet.portalConfig(1);
  return {
    app: { baseUrl: 'http://localhost:3000' },
    catalog: { rules: [{ allow: ['Component', 'User'] }] },
    ...simulated,
    awsWorkload: {
      ...simulated.awsWorkload,
      ...(notifications ? { notifications } : {}),
    },
  } as unknown as JsonObject;
}

async function startPortal(notifications?: JsonObject) {
  const { server } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogBackend,
      catalogEntitiesModule('test-notified-entities', entities),
      notificationsBackend,
      schedulerServiceFactory,
      mockServices.rootConfig.factory({ data: config(notifications) }),
    ],
  });
  return server;
}

type Server = Awaited<ReturnType<typeof startPortal>>;

async function lastRun(server: Server): Promise<number> {
  const res = await request(server)
    .get('/api/aws-workload/fleet?limit=1')
    .set('Authorization', mockCredentials.user.header());
  return res.body.lastRefresh?.status === 'succeeded' &&
    res.body.lastRefresh.entities === entities.length
    ? Date.parse(res.body.lastRefresh.finishedAt)
    : 0;
}

/** Waits until a refresh that started after now has stored the fleet. */
async function refreshedAfterNow(server: Server) {
  const since = Date.now();
  const deadline = since + 40_000;
  while ((await lastRun(server)) <= since + 50) {
    if (Date.now() > deadline) throw new Error('no refresh stored the fleet');
    await new Promise(r => setTimeout(r, 200));
  }
  // One more: a run that started before the change may finish after it.
  const again = Date.now();
  while ((await lastRun(server)) <= again) {
    if (Date.now() > deadline) throw new Error('no refresh stored the fleet');
    await new Promise(r => setTimeout(r, 200));
  }
}

async function ownersNotifications(server: Server) {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .set('Authorization', mockCredentials.user.header(OWNER));
  expect(res.status).toBe(200);
  return res.body.notifications as {
    origin: string;
    payload: {
      title: string;
      severity: string;
      link: string;
      scope: string;
    };
  }[];
}

describe('notifications of posture changes', () => {
  it('tells the owner once per change: none on the first refresh, static keys, healed, and a repeat updates', async () => {
    const server = await startPortal();
    await refreshedAfterNow(server);
    expect(await ownersNotifications(server)).toEqual([]);

    fleet.changeMode('svc-0', 'static-keys');
    await refreshedAfterNow(server);
    const afterKeys = await ownersNotifications(server);
    expect(afterKeys).toEqual([
      expect.objectContaining({
        origin: 'plugin:aws-workload',
        payload: expect.objectContaining({
          title: 'svc-0 now uses static AWS keys',
          severity: 'high',
          link: '/catalog/default/component/svc-0/aws',
          scope: 'aws-workload:component:default/svc-0:static-keys',
        }),
      }),
    ]);
    // More refreshes, no change: nothing more.
    await refreshedAfterNow(server);
    expect(await ownersNotifications(server)).toHaveLength(1);

    fleet.changeMode('svc-0', 'irsa');
    await refreshedAfterNow(server);
    fleet.changeMode('svc-0', 'static-keys');
    await refreshedAfterNow(server);
    const all = await ownersNotifications(server);
    // Healed once; static keys again updates the first one.
    expect(all.map(n => [n.payload.scope, n.payload.severity]).sort()).toEqual([
      ['aws-workload:component:default/svc-0:healed', 'low'],
      ['aws-workload:component:default/svc-0:static-keys', 'high'],
    ]);
  }, 60_000);

  it('sends nothing when turned off', async () => {
    fleet.changeMode('svc-1', 'irsa');
    const server = await startPortal({ enabled: false });
    await refreshedAfterNow(server);
    fleet.changeMode('svc-1', 'static-keys');
    await refreshedAfterNow(server);
    expect(await ownersNotifications(server)).toEqual([]);
  }, 60_000);

  it('refuses a kind it does not know, naming the key', async () => {
    await expect(
      startPortal({ kinds: ['static-keys', 'rotated'] }),
    ).rejects.toThrow(
      'awsWorkload.notifications.kinds must hold only static-keys, newly-failing, healed; got "rotated"',
    );
  });
});

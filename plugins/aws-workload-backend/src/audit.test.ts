import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import { testConfig } from './__fixtures__/config';
import { recordingAuditor } from './__testUtils__/recordingAuditor';

async function startBackend() {
  const auditor = recordingAuditor();
  const { server } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogServiceMock.factory(),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => auditor,
      }),
      mockServices.rootConfig.factory({
        data: testConfig({ fleet: { enabled: false } }),
      }),
    ],
  });
  return { server, auditor };
}

describe('audit events (coreServices.auditor)', () => {
  it('records entity views and fleet reads, with who asked and what, and how they ended', async () => {
    const { server, auditor } = await startBackend();
    const user = mockCredentials.user.header('user:default/vote-dev');
    const view = await request(server)
      .get('/api/aws-workload/entity/component/default/vote-irsa')
      .set('Authorization', user);
    expect(view.status).toBe(404);
    const fleet = await request(server)
      .get('/api/aws-workload/fleet?mode=static-keys')
      .set('Authorization', user);
    expect(fleet.status).toBe(200);
    expect(auditor.events).toEqual([
      expect.objectContaining({
        eventId: 'entity-view',
        severityLevel: 'low',
        meta: { entityRef: 'component:default/vote-irsa' },
        hasRequest: true,
        outcome: 'fail',
        error: 'NotFoundError',
      }),
      expect.objectContaining({
        eventId: 'fleet-read',
        severityLevel: 'low',
        meta: { query: expect.objectContaining({ mode: ['static-keys'] }) },
        hasRequest: true,
        outcome: 'success',
      }),
    ]);
  });

  it('records a refused request as nothing: the input is checked first', async () => {
    const { server, auditor } = await startBackend();
    const res = await request(server)
      .get('/api/aws-workload/entity/component/default/bad%20name')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(auditor.events).toEqual([]);
  });
});

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import { testConfig } from './__fixtures__/config';

async function publishTarget(integrations: object, repoUrl: string) {
  const { server } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: { ...testConfig({ fleet: { enabled: false } }), integrations },
      }),
    ],
  });
  return request(server)
    .get('/api/aws-workload/scaffolder/publish-target')
    .query({ repoUrl })
    .set('Authorization', mockCredentials.user.header());
}

describe('GET /scaffolder/publish-target (the wizard’s publish notice)', () => {
  it('says the portal publishes where its integration has a token', async () => {
    const res = await publishTarget(
      { github: [{ host: 'github.com', token: 't0ken' }] },
      'github.com?owner=acme&repo=ballot',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      host: 'github.com',
      canPublish: true,
      reason: 'The portal publishes to github.com with its GitHub integration.',
    });
    expect(JSON.stringify(res.body)).not.toContain('t0ken');
  });

  it('says why not, and what to do, where it has none', async () => {
    const res = await publishTarget({}, 'github.com?owner=acme&repo=ballot');
    expect(res.status).toBe(200);
    expect(res.body.canPublish).toBe(false);
    expect(res.body.reason).toMatch(
      /^The portal has no token or GitHub App for github\.com .*dry run \(\/create\/edit\)\.$/,
    );
  });

  it('refuses a location that is not a RepoUrlPicker value', async () => {
    const res = await publishTarget({}, '');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^repoUrl must look like/);
  });
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import { testConfig } from './__fixtures__/config';

const OWNER = 'user:default/ballot-author';

/**
 * The scaffolder's task route, as far as these downloads use it: a task is
 * readable by the user who created it, as the scaffolder's permission
 * policy would have it.
 */
const scaffolderTasks = createBackendPlugin({
  pluginId: 'scaffolder',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/v2/tasks/:taskId', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          const mine =
            req.params.taskId === 'task-1' &&
            credentials.principal.userEntityRef === OWNER;
          if (mine) res.json({ id: 'task-1', createdBy: OWNER });
          else res.status(404).json({ error: { name: 'NotFoundError' } });
        });
        httpRouter.use(router);
      },
    });
  },
});

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      scaffolderTasks,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: testConfig({ fleet: { enabled: false } }),
      }),
    ],
  });
  return server;
}

const FILES = {
  fileName: 'ballot.tar.gz',
  base64: Buffer.from('a gzipped tarball').toString('base64'),
};

describe('the generated files of a scaffolder run, kept for download', () => {
  it('takes them from the archive action (a service), and gives them to whoever may read the run', async () => {
    const server = await startBackend();
    const put = await request(server)
      .put('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.service.header())
      .send(FILES);
    expect(put.status).toBe(204);

    const mine = await request(server)
      .get('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(FILES);

    const someoneElse = await request(server)
      .get('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.user.header('user:default/other'));
    expect(someoneElse.status).toBe(404);
  });

  it('takes files only from a service, and refuses a body that is not an archive', async () => {
    const server = await startBackend();
    const fromUser = await request(server)
      .put('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send(FILES);
    expect(fromUser.status).toBe(403);
    const bad = await request(server)
      .put('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.service.header())
      .send({ fileName: '../../etc/passwd', base64: FILES.base64 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^fileName must be/);
    const missing = await request(server)
      .get('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(missing.status).toBe(404);
  });

  it('takes an archive of megabytes, above the routes’ usual body limit', async () => {
    const server = await startBackend();
    const big = {
      fileName: 'ballot.tar.gz',
      base64: Buffer.alloc(2 * 1024 * 1024, 7).toString('base64'),
    };
    const put = await request(server)
      .put('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.service.header())
      .send(big);
    expect(put.status).toBe(204);
    const got = await request(server)
      .get('/api/aws-workload/scaffolder/generated-files/task-1')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(got.body.base64).toHaveLength(big.base64.length);
  });
});

import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
// The Template kind itself, as every portal with the scaffolder installs it.
import catalogScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import templatesModule from './index';
import { TEMPLATES_DIR } from './module';

describe('the aws-workload templates module', () => {
  it('puts the vote-service template in the real catalog with no location or rule in config, managed by its own file', async () => {
    const backend = await startTestBackend({
      features: [catalogBackend, catalogScaffolderEntityModel, templatesModule],
    });
    try {
      let res: request.Response | undefined;
      for (let i = 0; i < 100 && res?.status !== 200; i++) {
        if (i) await new Promise(r => setTimeout(r, 200));
        res = await request(backend.server)
          .get('/api/catalog/entities/by-name/template/default/vote-service')
          .set('Authorization', mockCredentials.user.header());
      }
      expect(res!.status).toBe(200);
      const steps: { action: string }[] = res!.body.spec.steps;
      expect(steps.find(s => s.action === 'fetch:template')).toMatchObject({
        action: 'fetch:template',
        input: { url: './skeleton' },
      });
      const location =
        res!.body.metadata.annotations['backstage.io/managed-by-location'];
      const file = path.join(TEMPLATES_DIR, 'vote-service/template.yaml');
      expect(location).toBe(`file:${file}`);
      // fetch:template resolves ./skeleton beside that file.
      expect(
        fs.existsSync(path.join(path.dirname(file), 'skeleton/package.json')),
      ).toBe(true);
    } finally {
      await backend.stop();
    }
  }, 30_000);
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { refuseProduction } from './refuseProduction';
import { DEMO_DATA_DIR } from './startDemo';

const LOCATION = 'aws-workload-demo:entities';

/** The demo's catalog: the vote service five ways, their tables, repositories and team. */
export function readDemoEntities(): Entity[] {
  return ['org.yaml', 'entities.yaml'].flatMap(file =>
    parseAllDocuments(
      fs.readFileSync(path.join(DEMO_DATA_DIR, file), 'utf8'),
    ).map(d => {
      const entity = d.toJS() as Entity;
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: LOCATION,
        [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
      };
      return entity;
    }),
  );
}

class DemoEntityProvider implements EntityProvider {
  getProviderName() {
    return 'aws-workload-demo';
  }

  async connect(connection: EntityProviderConnection) {
    await connection.applyMutation({
      type: 'full',
      entities: readDemoEntities().map(entity => ({
        entity,
        locationKey: LOCATION,
      })),
    });
  }
}

/**
 * Puts the demo's entities in the catalog.
 *
 * @public
 */
export const catalogModuleAwsWorkloadDemoEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-workload-demo-entities',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog }) {
        refuseProduction();
        catalog.addEntityProvider(new DemoEntityProvider());
      },
    });
  },
});

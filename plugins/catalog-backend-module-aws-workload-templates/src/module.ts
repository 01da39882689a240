import {
  coreServices,
  createBackendModule,
  resolvePackagePath,
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
import { parse } from 'yaml';

/**
 * The templates shipped in this package, one folder each.
 *
 * @public
 */
export const TEMPLATES_DIR = resolvePackagePath(
  '@aws-workload/plugin-catalog-backend-module-aws-workload-templates',
  'templates',
);

/**
 * The package's templates as catalog entities. Each is managed by a `file:`
 * location at its own template.yaml, so that `fetch:template` finds the
 * skeleton beside it, in the installed package, as for a file location in
 * app-config (no catalog.locations entry, no catalog rule to add).
 */
export function readTemplates(dir: string = TEMPLATES_DIR): Entity[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => path.join(dir, d.name, 'template.yaml'))
    .filter(file => fs.existsSync(file))
    .map(file => {
      const entity = parse(fs.readFileSync(file, 'utf8')) as Entity;
      const location = `file:${file}`;
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      };
      return entity;
    });
}

class AwsWorkloadTemplatesProvider implements EntityProvider {
  getProviderName() {
    return 'aws-workload-templates';
  }

  async connect(connection: EntityProviderConnection) {
    await connection.applyMutation({
      type: 'full',
      entities: readTemplates().map(entity => ({
        entity,
        locationKey: 'aws-workload-templates',
      })),
    });
  }
}

/**
 * Puts the aws-workload software templates (the vote service on EKS with
 * DynamoDB) in the catalog.
 *
 * @public
 */
export const catalogModuleAwsWorkloadTemplates = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-workload-templates',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog, logger }) {
        catalog.addEntityProvider(new AwsWorkloadTemplatesProvider());
        logger.info(`aws-workload templates from ${TEMPLATES_DIR}`);
      },
    });
  },
});

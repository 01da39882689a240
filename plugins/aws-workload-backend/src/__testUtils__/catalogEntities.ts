import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * A catalog module that puts entities in the real catalog through its own
 * provider path, as a portal's entity providers do: for the tests and the
 * benches that run the catalog for real.
 */
export function catalogEntitiesModule(moduleId: string, entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => moduleId,
            async connect(connection) {
              const location = `url:https://example.com/${moduleId}/catalog-info.yaml`;
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  locationKey: moduleId,
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        ...entity.metadata.annotations,
                        'backstage.io/managed-by-location': location,
                        'backstage.io/managed-by-origin-location': location,
                      },
                    },
                  },
                })),
              });
            },
          });
        },
      });
    },
  });
}

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDescribeClusterAction } from './actions/eks/describeCluster';
import { createIacRenderAction } from './actions/iac/iacRender';
import { createManifestsRenderAction } from './actions/manifests/manifestsRender';

/**
 * The scaffolder actions of the aws-workload templates.
 *
 * @public
 */
export const scaffolderModuleAwsWorkload = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-workload',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        scaffolder.addActions(
          createDescribeClusterAction({
            credentials: DefaultAwsCredentialsManager.fromConfig(config),
          }),
          createIacRenderAction(),
          createManifestsRenderAction(),
        );
      },
    });
  },
});

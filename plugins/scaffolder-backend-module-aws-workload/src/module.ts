import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCheckPodIdentityAction } from './actions/eks/checkPodIdentity';
import { createDescribeClusterAction } from './actions/eks/describeCluster';
import { createFixApplyAction } from './actions/fix/fixApply';
import { createIacRenderAction } from './actions/iac/iacRender';
import { createManifestsRenderAction } from './actions/manifests/manifestsRender';
import { createPublishCheckAction } from './actions/publish/checkPublish';
import { createWorkspaceArchiveAction } from './actions/workspace/archive';

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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, discovery, auth }) {
        const credentials = DefaultAwsCredentialsManager.fromConfig(config);
        scaffolder.addActions(
          createDescribeClusterAction({ credentials }),
          createCheckPodIdentityAction({ credentials }),
          createIacRenderAction(),
          createManifestsRenderAction(),
          createFixApplyAction(),
          createPublishCheckAction({ config }),
          createWorkspaceArchiveAction({
            handOver: {
              discovery,
              auth,
              appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
            },
          }),
        );
      },
    });
  },
});

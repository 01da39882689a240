import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { AwsWorkloadClient, awsWorkloadApiRef } from './api';
import {
  AWS_EKS_CLUSTER_NAME_FIELD,
  AwsEksClusterNameField,
  validateAwsEksClusterName,
} from './components/scaffolder/AwsEksClusterNameField';
import {
  AWS_WORKLOAD_PUBLISH_TARGET_FIELD,
  AwsWorkloadPublishTargetField,
} from './components/scaffolder/AwsWorkloadPublishTargetField';
import { generatedFilesRouteRef, rootRouteRef } from './routes';

/**
 * The aws-workload plugin for the legacy frontend system.
 *
 * @public
 */
export const awsWorkloadPlugin = createPlugin({
  id: 'aws-workload',
  routes: { root: rootRouteRef, generatedFiles: generatedFilesRouteRef },
  apis: [
    createApiFactory({
      api: awsWorkloadApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AwsWorkloadClient(deps),
    }),
  ],
});

const lazyComponent = (name: string, load: () => Promise<() => JSX.Element>) =>
  awsWorkloadPlugin.provide(
    createComponentExtension({ name, component: { lazy: load } }),
  );

/**
 * The AWS tab: pod credentials, the DynamoDB table and the ECR images.
 *
 * @public
 */
export const EntityAwsWorkloadContent = lazyComponent(
  'EntityAwsWorkloadContent',
  () =>
    import('./components/AwsWorkloadContent').then(m => m.AwsWorkloadContent),
);
/** @public */
export const EntityDynamoDbTableCard = lazyComponent(
  'EntityDynamoDbTableCard',
  () => import('./components/DynamoDbTableCard').then(m => m.DynamoDbTableCard),
);
/** @public */
export const EntityEcrImagesCard = lazyComponent('EntityEcrImagesCard', () =>
  import('./components/EcrImagesCard').then(m => m.EcrImagesCard),
);
/** @public */
export const EntityPodCredentialsCard = lazyComponent(
  'EntityPodCredentialsCard',
  () =>
    import('./components/PodCredentialsCard').then(m => m.PodCredentialsCard),
);

/**
 * The Tech Insights checks on the AWS posture facts (needs the
 * tech-insights backend and the AWS posture module).
 *
 * @public
 */
export const EntityAwsTechInsightsChecksCard = lazyComponent(
  'EntityAwsTechInsightsChecksCard',
  () =>
    import('./components/TechInsightsChecksCard').then(
      m => m.TechInsightsChecksCard,
    ),
);

/**
 * The fleet page: mount it at `/aws-workload` and add a sidebar link to it.
 *
 * @public
 */
export const AwsWorkloadFleetPage: () => JSX.Element =
  awsWorkloadPlugin.provide(
    createRoutableExtension({
      name: 'AwsWorkloadFleetPage',
      component: () => import('./components/fleet').then(m => m.FleetPage),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The download page of a scaffolder run's generated files: mount it at
 * `/aws-workload-files`, where the archive action's log links to.
 *
 * @public
 */
export const AwsWorkloadGeneratedFilesPage: () => JSX.Element =
  awsWorkloadPlugin.provide(
    createRoutableExtension({
      name: 'AwsWorkloadGeneratedFilesPage',
      component: () =>
        import('./components/scaffolder/GeneratedFilesPage').then(
          m => m.GeneratedFilesPage,
        ),
      mountPoint: generatedFilesRouteRef,
    }),
  );

/**
 * The create-service wizard's EKS cluster field (the
 * template's `ui:field: AwsEksClusterName`), for the legacy scaffolder: put it inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const AwsEksClusterNameFieldExtension = awsWorkloadPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_EKS_CLUSTER_NAME_FIELD,
    component: AwsEksClusterNameField,
    validation: validateAwsEksClusterName,
  }),
);

/**
 * The wizard's publish notice (the
 * template's `ui:field: AwsWorkloadPublishTarget`), for the legacy scaffolder: put it inside
 * `<ScaffolderFieldExtensions>` too.
 *
 * @public
 */
export const AwsWorkloadPublishTargetFieldExtension = awsWorkloadPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_WORKLOAD_PUBLISH_TARGET_FIELD,
    component: AwsWorkloadPublishTargetField,
  }),
);

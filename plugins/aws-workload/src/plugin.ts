import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsWorkloadClient, awsWorkloadApiRef } from './api';

/** The aws-workload plugin for the legacy frontend system. */
export const awsWorkloadPlugin = createPlugin({
  id: 'aws-workload',
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

/** The AWS tab: pod credentials, the DynamoDB table and the ECR images. */
export const EntityAwsWorkloadContent = lazyComponent(
  'EntityAwsWorkloadContent',
  () =>
    import('./components/AwsWorkloadContent').then(m => m.AwsWorkloadContent),
);
export const EntityDynamoDbTableCard = lazyComponent(
  'EntityDynamoDbTableCard',
  () => import('./components/DynamoDbTableCard').then(m => m.DynamoDbTableCard),
);
export const EntityEcrImagesCard = lazyComponent('EntityEcrImagesCard', () =>
  import('./components/EcrImagesCard').then(m => m.EcrImagesCard),
);
export const EntityPodCredentialsCard = lazyComponent(
  'EntityPodCredentialsCard',
  () =>
    import('./components/PodCredentialsCard').then(m => m.PodCredentialsCard),
);

import {
  getDynamoDbTableArn,
  getEcrRepositoryArn,
  getKubernetesLabelSelector,
  isAwsWorkloadAvailable,
} from '@aws-workload/plugin-aws-workload-common';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { AwsWorkloadClient, awsWorkloadApiRef } from './api';

const awsWorkloadApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsWorkloadApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AwsWorkloadClient(deps),
    }),
});

/** The AWS tab, on entities that carry any of the plugin's annotations. */
export const awsWorkloadEntityContent = EntityContentBlueprint.make({
  name: 'aws',
  params: {
    path: '/aws',
    title: 'AWS',
    filter: isAwsWorkloadAvailable,
    loader: () =>
      import('./components/AwsWorkloadContent').then(m => (
        <m.AwsWorkloadContent />
      )),
  },
});

export const dynamoDbTableEntityCard = EntityCardBlueprint.make({
  name: 'dynamodb-table',
  params: {
    filter: entity => Boolean(getDynamoDbTableArn(entity)),
    loader: () =>
      import('./components/DynamoDbTableCard').then(m => (
        <m.DynamoDbTableCard />
      )),
  },
});

export const ecrImagesEntityCard = EntityCardBlueprint.make({
  name: 'ecr-images',
  params: {
    filter: entity => Boolean(getEcrRepositoryArn(entity)),
    loader: () =>
      import('./components/EcrImagesCard').then(m => <m.EcrImagesCard />),
  },
});

export const podCredentialsEntityCard = EntityCardBlueprint.make({
  name: 'pod-credentials',
  params: {
    filter: entity => Boolean(getKubernetesLabelSelector(entity)),
    loader: () =>
      import('./components/PodCredentialsCard').then(m => (
        <m.PodCredentialsCard />
      )),
  },
});

/** The aws-workload plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'aws-workload',
  extensions: [
    awsWorkloadApi,
    awsWorkloadEntityContent,
    podCredentialsEntityCard,
    dynamoDbTableEntityCard,
    ecrImagesEntityCard,
  ],
});

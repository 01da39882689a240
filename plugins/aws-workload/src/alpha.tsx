import {
  getDynamoDbTableArn,
  getEcrRepositoryArn,
  getKubernetesLabelSelector,
  isAwsWorkloadAvailable,
} from '@aws-workload/plugin-aws-workload-common';
import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  FormFieldBlueprint,
  scaffolderTemplateOutputsBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import { AwsWorkloadClient, awsWorkloadApiRef } from './api';
import { GeneratedFilesOutput } from './components/scaffolder/GeneratedFilesOutput';

/**
 * The fleet page, in the new frontend system.
 *
 * @alpha
 */
export const fleetRouteRef = createRouteRef();

/**
 * The fleet page at `/aws-workload`, with its sidebar link.
 *
 * @alpha
 */
export const awsWorkloadFleetPage = PageBlueprint.make({
  params: {
    path: '/aws-workload',
    title: 'AWS fleet',
    icon: <CloudIcon />,
    routeRef: fleetRouteRef,
    loader: () => import('./components/fleet').then(m => <m.FleetPage />),
  },
});

const awsWorkloadApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsWorkloadApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: deps => new AwsWorkloadClient(deps),
    }),
});

/**
 * The AWS tab, on entities that carry any of the plugin's annotations.
 *
 * @alpha
 */
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

/** @alpha */
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

/** @alpha */
export const ecrImagesEntityCard = EntityCardBlueprint.make({
  name: 'ecr-images',
  params: {
    filter: entity => Boolean(getEcrRepositoryArn(entity)),
    loader: () =>
      import('./components/EcrImagesCard').then(m => <m.EcrImagesCard />),
  },
});

/** @alpha */
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

/**
 * The Tech Insights checks on the AWS posture facts, on entities the plugin
 * reads. Off unless the portal turns it on
 * (`app.extensions: [entity-card:aws-workload/tech-insights-checks]`): it
 * needs the tech-insights backend and the AWS posture module.
 *
 * @alpha
 */
export const techInsightsChecksEntityCard = EntityCardBlueprint.make({
  name: 'tech-insights-checks',
  disabled: true,
  params: {
    filter: isAwsWorkloadAvailable,
    loader: () =>
      import('./components/TechInsightsChecksCard').then(m => (
        <m.TechInsightsChecksCard />
      )),
  },
});

/**
 * The download page of a scaffolder run's generated files, at
 * `/aws-workload-files/:taskId`: where the run's log points when a step
 * after rendering fails.
 *
 * @alpha
 */
export const awsWorkloadGeneratedFilesPage = PageBlueprint.make({
  name: 'generated-files',
  params: {
    path: '/aws-workload-files',
    loader: () =>
      import('./components/scaffolder/GeneratedFilesPage').then(m => (
        <m.GeneratedFilesPage />
      )),
  },
});

/**
 * The create-service wizard's EKS cluster field (the
 * template's `ui:field: AwsEksClusterName`): looks the cluster up while the form is filled.
 *
 * @alpha
 */
export const awsEksClusterNameFormField = FormFieldBlueprint.make({
  name: 'aws-eks-cluster-name',
  params: {
    field: () =>
      import('./components/scaffolder').then(m => m.awsEksClusterNameFormField),
  },
});

/**
 * The wizard's publish notice (the
 * template's `ui:field: AwsWorkloadPublishTarget`): whether the portal can create the repository,
 * on the repository and review steps.
 *
 * @alpha
 */
export const awsWorkloadPublishTargetFormField = FormFieldBlueprint.make({
  name: 'aws-workload-publish-target',
  params: {
    field: () =>
      import('./components/scaffolder').then(
        m => m.awsWorkloadPublishTargetFormField,
      ),
  },
});

/**
 * The vote-service template's outputs: the scaffolder's own, and its
 * generated files as a download (all a run that cannot publish hands over).
 *
 * @alpha
 */
export const voteServiceTemplateOutputs =
  scaffolderTemplateOutputsBlueprint.make({
    name: 'vote-service',
    params: {
      templateRefs: ['template:default/vote-service'],
      component: GeneratedFilesOutput,
    },
  });

/** The aws-workload plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'aws-workload',
  routes: { root: fleetRouteRef },
  extensions: [
    awsWorkloadApi,
    awsWorkloadFleetPage,
    awsWorkloadEntityContent,
    podCredentialsEntityCard,
    dynamoDbTableEntityCard,
    ecrImagesEntityCard,
    techInsightsChecksEntityCard,
    awsEksClusterNameFormField,
    awsWorkloadPublishTargetFormField,
    voteServiceTemplateOutputs,
    awsWorkloadGeneratedFilesPage,
  ],
});

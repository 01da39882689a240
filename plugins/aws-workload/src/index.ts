/**
 * The aws-workload frontend plugin: entity cards and an AWS tab that show a
 * service's DynamoDB table, its ECR images and how its pods get AWS
 * credentials. The new frontend system plugin is under `/alpha`.
 *
 * @packageDocumentation
 */
export {
  awsWorkloadPlugin,
  AwsEksClusterNameFieldExtension,
  AwsWorkloadPublishTargetFieldExtension,
  AwsWorkloadFleetPage,
  AwsWorkloadGeneratedFilesPage,
  EntityAwsWorkloadContent,
  EntityDynamoDbTableCard,
  EntityEcrImagesCard,
  EntityPodCredentialsCard,
  EntityAwsTechInsightsChecksCard,
} from './plugin';
export { awsWorkloadApiRef, AwsWorkloadClient } from './api';
export { rootRouteRef as awsWorkloadFleetRouteRef } from './routes';
export type { AwsWorkloadApi } from './api';
export { isAwsWorkloadAvailable } from '@aws-workload/plugin-aws-workload-common';

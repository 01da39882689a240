export { AwsWorkloadContent } from './AwsWorkloadContent';
export { DynamoDbTableCard } from './DynamoDbTableCard';
export { EcrImagesCard } from './EcrImagesCard';
export { PodCredentialsCard } from './PodCredentialsCard';
export { TechInsightsChecksCard } from './TechInsightsChecksCard';

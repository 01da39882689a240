/**
 * Tech Insights facts of how each entity's pods get AWS credentials, read
 * from the aws-workload plugin's stored fleet, and default checks to copy
 * (`checks.yaml` in this package).
 *
 * @packageDocumentation
 */
export { techInsightsModuleAwsWorkloadPosture as default } from './module';
export {
  awsWorkloadPostureRetriever,
  AWS_WORKLOAD_POSTURE_RETRIEVER_ID,
} from './awsWorkloadPostureRetriever';
export { postureFactsSchema } from './postureFacts';

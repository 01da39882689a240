/**
 * Backend of the aws-workload plugin: the DynamoDB table, ECR images and pod
 * credential mode of catalog entities, at `/api/aws-workload`.
 *
 * @packageDocumentation
 */
export { awsWorkloadPlugin as default } from './plugin';

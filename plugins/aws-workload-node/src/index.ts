/**
 * Extension points of the aws-workload backend plugin.
 *
 * @packageDocumentation
 */
export { awsWorkloadUpstreamsExtensionPoint } from './extensions';
export type {
  AwsWorkloadCluster,
  AwsWorkloadUpstreams,
  AwsWorkloadUpstreamsExtensionPoint,
} from './extensions';

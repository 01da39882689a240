/**
 * Scaffolder actions of the aws-workload templates.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsWorkload as default } from './module';
export { createDescribeClusterAction } from './actions/eks/describeCluster';
export { validateName } from './validation';
export type { NameKind } from './validation';

/**
 * Scaffolder actions of the aws-workload templates.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsWorkload as default } from './module';
export { createCheckPodIdentityAction } from './actions/eks/checkPodIdentity';
export { createDescribeClusterAction } from './actions/eks/describeCluster';
export { createFixApplyAction } from './actions/fix/fixApply';
export { validateName } from './validation';
export type { NameKind } from './validation';

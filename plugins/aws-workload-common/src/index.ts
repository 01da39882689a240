/**
 * Isomorphic core of the aws-workload plugin: annotation keys, API types,
 * the pod credential classifier and the IRSA / Pod Identity chain checks.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './api';
export * from './arn';
export * from './chain';
export * from './checks';
export * from './classify';
export * from './kubernetes';
export * from './policy';
export * from './workloads';
export * from './fleet';

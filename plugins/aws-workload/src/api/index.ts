export * from './AwsWorkloadApi';
export * from './AwsWorkloadClient';

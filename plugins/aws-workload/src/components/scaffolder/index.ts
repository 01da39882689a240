import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AWS_EKS_CLUSTER_NAME_FIELD,
  AwsEksClusterNameField,
  validateAwsEksClusterName,
} from './AwsEksClusterNameField';
import {
  AWS_WORKLOAD_PUBLISH_TARGET_FIELD,
  AwsWorkloadPublishTargetField,
} from './AwsWorkloadPublishTargetField';

export {
  AWS_WORKLOAD_PUBLISH_TARGET_FIELD,
  AwsWorkloadPublishTargetField,
} from './AwsWorkloadPublishTargetField';
export {
  AWS_EKS_CLUSTER_NAME_FIELD,
  AwsEksClusterNameField,
  validateAwsEksClusterName,
} from './AwsEksClusterNameField';

/** The cluster field, for the scaffolder of the new frontend system. */
export const awsEksClusterNameFormField = createFormField({
  name: AWS_EKS_CLUSTER_NAME_FIELD,
  component: AwsEksClusterNameField,
  validation: validateAwsEksClusterName,
});

/** The publish notice, for the scaffolder of the new frontend system. */
export const awsWorkloadPublishTargetFormField = createFormField({
  name: AWS_WORKLOAD_PUBLISH_TARGET_FIELD,
  component: AwsWorkloadPublishTargetField,
});

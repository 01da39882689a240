import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AWS_EKS_CLUSTER_NAME_FIELD,
  AwsEksClusterNameField,
  validateAwsEksClusterName,
} from './AwsEksClusterNameField';

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

import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';

/** The aws-workload backend, as the frontend uses it. */
export interface AwsWorkloadApi {
  getEntityView(entity: CompoundEntityRef): Promise<EntityAwsWorkloadResponse>;
}

export const awsWorkloadApiRef = createApiRef<AwsWorkloadApi>({
  id: 'plugin.aws-workload.service',
});

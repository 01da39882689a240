import {
  EntityAwsWorkloadResponse,
  FleetQuery,
  FleetResponse,
} from '@aws-workload/plugin-aws-workload-common';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';

/**
 * The aws-workload backend, as the frontend uses it.
 *
 * @public
 */
export interface AwsWorkloadApi {
  getEntityView(entity: CompoundEntityRef): Promise<EntityAwsWorkloadResponse>;
  /** One page of the stored fleet, filtered. */
  getFleet(query: FleetQuery): Promise<FleetResponse>;
}

/** @public */
export const awsWorkloadApiRef = createApiRef<AwsWorkloadApi>({
  id: 'plugin.aws-workload.service',
});

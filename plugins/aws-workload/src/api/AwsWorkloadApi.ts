import {
  EksClusterCheck,
  EksClusterCheckRequest,
  EntityAwsWorkloadResponse,
  FleetQuery,
  FleetResponse,
  FleetTrendResponse,
  PublishTarget,
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
  /**
   * The entity's view read anew from every upstream (behind the permission
   * `aws-workload.entity.refresh`, limited per entity and caller); every
   * card of the entity then shows it.
   */
  recheckEntity(entity: CompoundEntityRef): Promise<EntityAwsWorkloadResponse>;
  /** Called with each re-checked view of the entity; returns the unsubscribe. */
  onRecheck(
    entity: CompoundEntityRef,
    listener: (view: EntityAwsWorkloadResponse) => void,
  ): () => void;
  /** One page of the stored fleet, filtered. */
  getFleet(query: FleetQuery): Promise<FleetResponse>;
  /** Entities per credential mode on each of the last `days` days. */
  getFleetTrend(days: number): Promise<FleetTrendResponse>;
  /**
   * Looks an EKS cluster up with the portal's AWS credentials (the
   * create-service wizard's cluster field). Fails with a ResponseError whose
   * cause says, in words, what is wrong: 404 when there is no such cluster.
   */
  checkEksCluster(request: EksClusterCheckRequest): Promise<EksClusterCheck>;
  /** Whether the portal can create a repository at a RepoUrlPicker location, in words. */
  getPublishTarget(repoUrl: string): Promise<PublishTarget>;
  /**
   * The files a scaffolder run generated, kept a week by the backend for
   * whoever may read the run (404 otherwise).
   */
  getGeneratedFiles(
    taskId: string,
  ): Promise<{ fileName: string; base64: string }>;
}

/** @public */
export const awsWorkloadApiRef = createApiRef<AwsWorkloadApi>({
  id: 'plugin.aws-workload.service',
});

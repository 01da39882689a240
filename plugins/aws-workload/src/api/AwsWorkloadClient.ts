import {
  InFlightLoads,
  EksClusterCheck,
  EksClusterCheckRequest,
  EntityAwsWorkloadResponse,
  FleetQuery,
  FleetResponse,
  FleetTrendResponse,
  PublishTarget,
} from '@aws-workload/plugin-aws-workload-common';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { AwsWorkloadApi } from './AwsWorkloadApi';

const entityPath = (entity: CompoundEntityRef) =>
  [entity.kind, entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/');

/**
 * Calls `/api/aws-workload`. The three cards of one entity page ask at the
 * same moment; they share one request.
 *
 * @public
 */
export class AwsWorkloadClient implements AwsWorkloadApi {
  private readonly inFlight = new InFlightLoads<EntityAwsWorkloadResponse>();

  private readonly recheckListeners = new Map<
    string,
    Set<(view: EntityAwsWorkloadResponse) => void>
  >();

  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  getEntityView(entity: CompoundEntityRef): Promise<EntityAwsWorkloadResponse> {
    const path = entityPath(entity);
    return this.inFlight.run(path, () => this.fetchView(path));
  }

  private async fetchView(path: string): Promise<EntityAwsWorkloadResponse> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/entity/${path}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async recheckEntity(
    entity: CompoundEntityRef,
  ): Promise<EntityAwsWorkloadResponse> {
    const path = entityPath(entity);
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/entity/${path}/recheck`,
      { method: 'POST' },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const view: EntityAwsWorkloadResponse = await response.json();
    this.recheckListeners.get(path)?.forEach(listener => listener(view));
    return view;
  }

  onRecheck(
    entity: CompoundEntityRef,
    listener: (view: EntityAwsWorkloadResponse) => void,
  ): () => void {
    const path = entityPath(entity);
    const listeners = this.recheckListeners.get(path) ?? new Set();
    listeners.add(listener);
    this.recheckListeners.set(path, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.recheckListeners.delete(path);
    };
  }

  async getFleet(query: FleetQuery): Promise<FleetResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        value.forEach(v => params.append(key, v));
      } else {
        params.set(key, String(value));
      }
    }
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const qs = params.toString();
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/fleet${qs ? `?${qs}` : ''}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async getFleetTrend(days: number): Promise<FleetTrendResponse> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/fleet/trend?days=${encodeURIComponent(String(days))}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async checkEksCluster(
    request: EksClusterCheckRequest,
  ): Promise<EksClusterCheck> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/clusters/check?${new URLSearchParams({ ...request })}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async getPublishTarget(repoUrl: string): Promise<PublishTarget> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/scaffolder/publish-target?${new URLSearchParams({
        repoUrl,
      })}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async getGeneratedFiles(
    taskId: string,
  ): Promise<{ fileName: string; base64: string }> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('aws-workload');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/scaffolder/generated-files/${encodeURIComponent(taskId)}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}

import {
  Check,
  checkIrsaChain,
  checkPodIdentityChain,
  EntityAwsWorkloadResponse,
  ImageInfo,
  Lookup,
  Pod,
  PodInfo,
  Section,
  WorkloadClassification,
  WorkloadInfo,
  withFixArtefacts,
} from '@aws-workload/plugin-aws-workload-common';
import { EntityFacts, WorkloadFacts } from '../facts/EntityFacts';
import { classifyWorkloadFacts } from './classifyWorkloadFacts';

export interface AssessOptions {
  /** Marks the view as the demo's, read from simulated upstreams. */
  demo?: boolean;
}

/**
 * The entity view from what was read: each workload's mode, its credential
 * chain checked link by link, a fix for each broken link, and the images the
 * pods run. Pure: the same facts give the same view, with no I/O.
 */
export function assessEntity(
  facts: EntityFacts,
  options: AssessOptions = {},
): EntityAwsWorkloadResponse {
  const workloads = mapSection(facts.workloads, ws =>
    ws.map(w => assessWorkload(w, facts.tableRef)),
  );
  return {
    entityRef: facts.entityRef,
    ...(options.demo ? { demo: true as const } : {}),
    table: facts.table,
    images: markRunning(facts.images, workloads),
    workloads,
  };
}

function assessWorkload(
  workload: WorkloadFacts,
  tableRef: EntityFacts['tableRef'],
): WorkloadInfo {
  const classification = classifyWorkloadFacts(workload);
  const { findings, ...rest } = classification;
  return {
    ...rest,
    cluster: workload.cluster,
    checks: [
      ...chainChecks(classification, workload),
      ...withFixArtefacts(classification, findings, {
        clusterName: workload.eksCluster,
        table: tableRef,
      }),
    ],
    pods: workload.input.pods.map(podInfo),
  };
}

const notRead: Lookup<never> = { status: 'unknown', reason: 'not looked up' };

/**
 * The chain of a workload that runs as a role. Links whose facts were not
 * read are unknown, never passed: a missing read cannot show a green chain.
 */
function chainChecks(
  workload: WorkloadClassification,
  facts: WorkloadFacts,
): Check[] {
  if (workload.mode !== 'irsa' && workload.mode !== 'pod-identity') return [];
  const pods = facts.input.pods;
  const { role, table, secrets, oidcIssuer, oidcProvider } =
    facts.credentials ?? { role: notRead };
  if (workload.mode === 'pod-identity') {
    return checkPodIdentityChain({
      workload,
      pods,
      clusterName: facts.eksCluster,
      association: facts.association ?? notRead,
      role,
      table,
      secrets,
    });
  }
  return checkIrsaChain({
    workload,
    pods,
    role,
    oidcIssuer: oidcIssuer ?? notRead,
    oidcProvider: oidcProvider ?? notRead,
    table,
    secrets,
  });
}

function mapSection<T, U>(section: Section<T>, f: (t: T) => U): Section<U> {
  return section.status === 'ok'
    ? { ...section, data: f(section.data) }
    : section;
}

/** The digest a container runs, from its status imageID (…@sha256:…). */
const digestOf = (imageId?: string) =>
  /@(sha256:[a-f0-9]{64})$/.exec(imageId ?? '')?.[1];

function podInfo(pod: Pod): PodInfo {
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata.name ?? '',
    phase: pod.status?.phase,
    startedAt: pod.status?.startTime
      ? new Date(pod.status.startTime).toISOString()
      : undefined,
    ...(statuses.length
      ? {
          readyContainers: statuses.filter(s => s.ready).length,
          containers: statuses.length,
          restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
        }
      : {}),
    images: (pod.spec?.containers ?? []).map(c => {
      const status = statuses.find(s => s.name === c.name);
      return {
        container: c.name,
        image: c.image,
        digest: digestOf(status?.imageID),
      };
    }),
  };
}

/** Marks the images some pod of the entity runs. */
function markRunning(
  images: Section<ImageInfo[]>,
  workloads: Section<WorkloadInfo[]>,
): Section<ImageInfo[]> {
  if (images.status !== 'ok' || workloads.status !== 'ok') return images;
  const running = new Set(
    workloads.data
      .flatMap(w => w.pods.flatMap(p => p.images.map(i => i.digest)))
      .filter(Boolean),
  );
  return {
    ...images,
    data: images.data.map(i => ({ ...i, running: running.has(i.digest) })),
  };
}

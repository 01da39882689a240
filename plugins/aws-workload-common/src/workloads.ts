import { WorkloadInput } from './classify';
import { ObjectMeta, Pod, PodTemplateSpec } from './kubernetes';

/** Kinds whose pods the plugin classifies. */
export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
] as const;

export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * A Kubernetes object, as far as the classifier reads it.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: any;
}

export const isWorkloadKind = (kind: unknown): kind is WorkloadKind =>
  typeof kind === 'string' &&
  (WORKLOAD_KINDS as readonly string[]).includes(kind);

/** The pod template of a workload object; a bare Pod is its own template. */
export function podTemplateOf(
  object: KubernetesObject,
): PodTemplateSpec | undefined {
  switch (object.kind) {
    case 'Pod':
      return { metadata: object.metadata, spec: object.spec };
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template;
    default:
      return isWorkloadKind(object.kind) ? object.spec?.template : undefined;
  }
}

/**
 * A workload object as classifier input. Bare Pods count as their own
 * running pod; other workloads get theirs from `pods`.
 *
 * @public
 */
export function toWorkloadInput(
  object: KubernetesObject,
  pods: Pod[] = [],
): WorkloadInput | undefined {
  const template = podTemplateOf(object);
  if (!template || !isWorkloadKind(object.kind)) return undefined;
  const metadata = object.metadata ?? {};
  return {
    kind: object.kind,
    metadata,
    template,
    pods: object.kind === 'Pod' ? [object as Pod] : pods,
  };
}

/**
 * The demo's canary: vote-irsa's workload copied as `vote-canary`, its
 * pods on IRSA for one period and on vote-static-keys' keys for the next.
 */

/** How long each phase lasts: the demo's fleet refresh interval. */
export const CANARY_PHASE_MS = 30_000;

const CANARY = 'vote-canary';
const NAMESPACE = 'vote-irsa';

const WORKLOAD_KINDS = new Set(['Deployment', 'Pod']);

/** A workload object of `source` as the canary's: its name, labels and namespace. */
function asCanary(object: any, source: string): any {
  const copy = JSON.parse(JSON.stringify(object));
  const rename = (labels?: Record<string, string>) => {
    if (!labels) return;
    for (const key of [
      'backstage.io/kubernetes-id',
      'app.kubernetes.io/name',
    ]) {
      if (labels[key] === source) labels[key] = CANARY;
    }
  };
  copy.metadata.name = copy.metadata.name.replace(source, CANARY);
  copy.metadata.namespace = NAMESPACE;
  delete copy.metadata.uid;
  rename(copy.metadata.labels);
  rename(copy.spec?.selector?.matchLabels);
  rename(copy.spec?.template?.metadata?.labels);
  return copy;
}

/** The canary's objects in each phase, from the recorded services' objects. */
export function canaryPhases(objects: any[]): {
  irsa: any[];
  staticKeys: any[];
} {
  const of = (source: string) =>
    objects
      .filter(
        o =>
          WORKLOAD_KINDS.has(o.kind) &&
          o.metadata.namespace === source &&
          o.metadata.labels?.['backstage.io/kubernetes-id'] === source,
      )
      .map(o => asCanary(o, source));
  return { irsa: of('vote-irsa'), staticKeys: of('vote-static-keys') };
}

/** The cluster's objects now: the recorded ones and the canary's current phase. */
export function withCanary(
  objects: any[],
  now: () => number = Date.now,
): () => any[] {
  const phases = canaryPhases(objects);
  return () => [
    ...objects,
    ...(Math.floor(now() / CANARY_PHASE_MS) % 2 === 0
      ? phases.irsa
      : phases.staticKeys),
  ];
}

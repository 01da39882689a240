import {
  Check,
  CredentialMode,
  EntityAwsWorkloadResponse,
  Section,
} from '@aws-workload/plugin-aws-workload-common';

/** A check that is not passing, with what to do about it. */
export interface PostureCheck {
  check: string;
  status: 'fail' | 'warn' | 'unknown';
  message: string;
  fix: string;
}

/** The entity's posture in the few fields an assistant reasons about. */
export interface EntityPosture {
  entityRef: string;
  /** The credential modes of its workloads, each once. */
  modes: CredentialMode[];
  workloads: {
    cluster: string;
    namespace: string;
    kind: string;
    name: string;
    mode: CredentialMode;
    serviceAccount: string;
    roleArn?: string;
    /** Checks that fail, warn or could not run, with their fixes. */
    problems: PostureCheck[];
  }[];
  table:
    | { status: 'ok'; name: string; tableStatus: string; region: string }
    | { status: 'absent'; annotation: string }
    | { status: 'error'; message: string };
  images:
    | {
        status: 'ok';
        newest?: { digest: string; tags: string[]; pushedAt?: string };
        running: {
          digest: string;
          tags: string[];
          critical?: number;
          high?: number;
        }[];
      }
    | { status: 'absent'; annotation: string }
    | { status: 'error'; message: string };
  workloadsSection:
    | { status: 'ok' }
    | { status: 'absent'; annotation: string }
    | { status: 'error'; message: string };
  demo?: true;
}

const notOk = (
  section: Exclude<Section<unknown>, { status: 'ok' }>,
):
  | { status: 'absent'; annotation: string }
  | { status: 'error'; message: string } =>
  section.status === 'absent'
    ? { status: 'absent', annotation: section.annotation }
    : { status: 'error', message: section.error.message };

const problemsOf = (checks: Check[]): PostureCheck[] =>
  checks.flatMap(c =>
    c.status === 'pass'
      ? []
      : [{ check: c.check, status: c.status, message: c.message, fix: c.fix }],
  );

/** The entity view cut down to what an assistant needs: no pods, no artefacts. */
export function entityPostureOf(
  view: EntityAwsWorkloadResponse,
): EntityPosture {
  const workloads =
    view.workloads.status === 'ok'
      ? view.workloads.data.map(w => ({
          cluster: w.cluster,
          namespace: w.namespace,
          kind: w.kind,
          name: w.name,
          mode: w.mode,
          serviceAccount: w.serviceAccount,
          ...(w.roleArn ? { roleArn: w.roleArn } : {}),
          problems: problemsOf(w.checks),
        }))
      : [];
  const { table, images } = view;
  return {
    entityRef: view.entityRef,
    modes: [...new Set(workloads.map(w => w.mode))],
    workloads,
    table:
      table.status === 'ok'
        ? {
            status: 'ok',
            name: table.data.tableName,
            tableStatus: table.data.status,
            region: table.data.region,
          }
        : notOk(table),
    images:
      images.status === 'ok'
        ? {
            status: 'ok',
            ...(images.data[0]
              ? {
                  newest: {
                    digest: images.data[0].digest,
                    tags: images.data[0].tags,
                    pushedAt: images.data[0].pushedAt,
                  },
                }
              : {}),
            running: images.data
              .filter(i => i.running)
              .map(i => ({
                digest: i.digest,
                tags: i.tags,
                critical: i.findings?.CRITICAL,
                high: i.findings?.HIGH,
              })),
          }
        : notOk(images),
    workloadsSection:
      view.workloads.status === 'ok' ? { status: 'ok' } : notOk(view.workloads),
    ...(view.demo ? { demo: true as const } : {}),
  };
}

import {
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_EKS_CLUSTER_NAME,
} from './annotations';
import { parseDynamoDbTableArn, parseIamRoleArn } from './arn';
import { WorkloadInfo } from './api';

/**
 * The software template that opens a pull request with a fix.
 *
 * @public
 */
export const FIX_TEMPLATE_PATH =
  '/create/templates/default/fix-aws-credentials';

/** @public */
export type PullRequestFixKind =
  | 'static-keys'
  | 'irsa-trust'
  | 'irsa-to-pod-identity';

/**
 * A fix the template can open as a pull request, with the form prefilled
 * from the entity and its workload.
 *
 * @public
 */
export interface PullRequestFix {
  fix: PullRequestFixKind;
  title: string;
  formData: Record<string, string>;
}

/**
 * What of the entity the prefill reads.
 *
 * @public
 */
export interface FixableEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: { owner?: unknown };
}

const SOURCE_LOCATION = 'backstage.io/source-location';
const TRUST_CHECKS = ['trust-federated-principal', 'trust-sub', 'trust-aud'];

/**
 * The GitHub repository and branch of a source location
 * (`url:https://github.com/<owner>/<repo>/tree/<branch>/...`): the template
 * publishes with publish:github:pull-request, so other hosts get no button.
 *
 * @public
 */
export function githubSourceOf(
  location: string | undefined,
): { repoUrl: string; sourceBranch: string } | undefined {
  const match =
    /^url:https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?(?:\/(?:tree|blob)\/([^/]+))?\/?(?:[?#/].*)?$/.exec(
      location?.trim() ?? '',
    );
  if (!match) return undefined;
  return {
    repoUrl: `github.com?owner=${match[1]}&repo=${match[2]}`,
    sourceBranch: match[3] ?? 'main',
  };
}

function awsOf(entity: FixableEntity, workload: WorkloadInfo) {
  const values: Record<string, string> = {};
  const table = entity.metadata.annotations?.[ANNOTATION_DYNAMODB_TABLE_ARN];
  try {
    if (table) {
      const arn = parseDynamoDbTableArn(table);
      values.awsAccountId = arn.accountId;
      values.awsRegion = arn.region;
    }
  } catch {
    // A malformed annotation is the table card's error; the user fills these in.
  }
  try {
    if (!values.awsAccountId && workload.roleArn) {
      values.awsAccountId = parseIamRoleArn(workload.roleArn).accountId;
    }
  } catch {
    // Same: left for the form.
  }
  return values;
}

/**
 * The pull-request fixes that apply to a workload, most urgent first:
 * static keys to move off, a broken IRSA trust to repair, or (healthy IRSA,
 * not on Fargate) a migration to Pod Identity. None when the entity's
 * source is not a GitHub repository.
 *
 * @public
 */
export function pullRequestFixesFor(
  entity: FixableEntity,
  workload: WorkloadInfo,
): PullRequestFix[] {
  const source = githubSourceOf(entity.metadata.annotations?.[SOURCE_LOCATION]);
  if (!source) return [];
  const name = entity.metadata.name;
  const common: Record<string, string> = {
    entityRef: `${entity.kind.toLocaleLowerCase('en-US')}:${
      entity.metadata.namespace ?? 'default'
    }/${name}`,
    name,
    ...(workload.name !== name ? { workload: workload.name } : {}),
    namespace: workload.namespace,
    ...(typeof entity.spec?.owner === 'string'
      ? { owner: entity.spec.owner }
      : {}),
    clusterName:
      entity.metadata.annotations?.[ANNOTATION_EKS_CLUSTER_NAME] ??
      workload.cluster,
    ...awsOf(entity, workload),
    ...source,
  };
  const fixes: PullRequestFix[] = [];
  if (workload.mode === 'static-keys') {
    fixes.push({
      fix: 'static-keys',
      title: 'Move off static keys in a pull request',
      formData: {
        ...common,
        fix: 'static-keys',
        target: workload.fargate ? 'irsa' : 'pod-identity',
      },
    });
  }
  if (workload.mode !== 'irsa') return fixes;
  const trustBroken = workload.checks.some(
    c => TRUST_CHECKS.includes(c.check) && c.status === 'fail',
  );
  if (trustBroken) {
    fixes.push({
      fix: 'irsa-trust',
      title: 'Repair the trust policy in a pull request',
      formData: { ...common, fix: 'irsa-trust' },
    });
  } else if (!workload.fargate) {
    fixes.push({
      fix: 'irsa-to-pod-identity',
      title: 'Migrate to Pod Identity in a pull request',
      formData: { ...common, fix: 'irsa-to-pod-identity' },
    });
  }
  return fixes;
}

/**
 * The template's URL with the form prefilled (the scaffolder reads
 * `formData` from the query).
 *
 * @public
 */
export function pullRequestFixUrl(fix: PullRequestFix): string {
  return `${FIX_TEMPLATE_PATH}?formData=${encodeURIComponent(
    JSON.stringify(fix.formData),
  )}`;
}

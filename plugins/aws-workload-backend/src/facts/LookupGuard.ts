import {
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_ECR_REPOSITORY_ARN,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  AnnotationError,
  parseDynamoDbTableArn,
  parseEcrRepositoryArn,
} from '@aws-workload/plugin-aws-workload-common';
import { Config } from '@backstage/config';
import { readAwsWorkloadConfig } from '../config/readAwsWorkloadConfig';
import { ClusterDetails } from '../clients/ClusterConfig';

/** What an account's tables and repositories may be named. */
export interface AccountRules {
  tablePrefixes?: string[];
  repositoryPrefixes?: string[];
}

/** What `awsWorkload.guard` allows. */
export interface LookupGuardRules {
  clusters: Map<string, string[]>;
  accounts: Map<string, AccountRules>;
  refuseMatchAllSelectors: boolean;
}

/**
 * The opt-in limits a portal may put on what an entity's annotations can
 * make the backend read (`awsWorkload.guard`): per cluster, the namespaces an
 * entity may name (naming none, "every namespace", is then refused); per
 * account, the name prefixes of tables and repositories; and selectors that
 * match every labelled pod. A breach is the entity's own InputError, and
 * nothing is looked up.
 */
export class LookupGuard {
  static fromConfig(config: Config): LookupGuard | undefined {
    const { guard } = readAwsWorkloadConfig(config);
    return guard && new LookupGuard(guard);
  }

  constructor(private readonly rules: LookupGuardRules) {}

  checkTable(tableArn: string): void {
    const arn = parseDynamoDbTableArn(tableArn);
    const prefixes = this.rules.accounts.get(arn.accountId)?.tablePrefixes;
    if (prefixes && !prefixes.some(p => arn.tableName.startsWith(p))) {
      throw new AnnotationError(
        ANNOTATION_DYNAMODB_TABLE_ARN,
        `this portal allows tables of account ${arn.accountId} named ${prefixes
          .map(p => `${p}…`)
          .join(', ')} only`,
      );
    }
  }

  checkRepository(repositoryArn: string): void {
    const arn = parseEcrRepositoryArn(repositoryArn);
    const prefixes = this.rules.accounts.get(arn.accountId)?.repositoryPrefixes;
    if (prefixes && !prefixes.some(p => arn.repositoryName.startsWith(p))) {
      throw new AnnotationError(
        ANNOTATION_ECR_REPOSITORY_ARN,
        `this portal allows repositories of account ${
          arn.accountId
        } named ${prefixes.map(p => `${p}…`).join(', ')} only`,
      );
    }
  }

  checkWorkloads(
    clusters: ClusterDetails[],
    lookup: { labelSelector: string; namespace?: string },
  ): void {
    if (this.rules.refuseMatchAllSelectors && matchesEveryLabelledPod(lookup)) {
      throw new AnnotationError(
        ANNOTATION_KUBERNETES_LABEL_SELECTOR,
        'this portal refuses selectors without a key=value or key in (…) requirement: they match every labelled pod',
      );
    }
    for (const cluster of clusters) {
      const allowed =
        this.rules.clusters.get(cluster.name) ??
        (cluster.awsClusterId
          ? this.rules.clusters.get(cluster.awsClusterId)
          : undefined);
      if (
        allowed &&
        (lookup.namespace === undefined || !allowed.includes(lookup.namespace))
      ) {
        throw new AnnotationError(
          ANNOTATION_KUBERNETES_NAMESPACE,
          `on cluster ${
            cluster.name
          } this portal allows the namespaces ${allowed.join(
            ', ',
          )} only, named explicitly`,
        );
      }
    }
  }
}

/** A selector with no term that pins a value: existence, `!key` and `!=` terms only. */
function matchesEveryLabelledPod(lookup: { labelSelector: string }): boolean {
  const terms = lookup.labelSelector
    .replace(/\([^)]*\)/g, '()')
    .split(',')
    .map(t => t.trim());
  return !terms.some(
    t =>
      (/=/.test(t) && !/!=/.test(t)) ||
      (/\s+in\s*\(/.test(t) && !/\s+notin\s*\(/.test(t)),
  );
}

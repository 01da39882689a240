import {
  isAwsAccountId,
  isAwsRegion,
} from '@aws-workload/plugin-aws-workload-common';
import { InputError } from '@backstage/errors';

/**
 * Every name the actions write into HCL, YAML or TypeScript passes one of
 * these first. The rules are AWS's and Kubernetes' own, and none of them
 * admits a quote, a brace, a dollar sign or a newline, so no value can
 * inject syntax into a generated file.
 */
type Rule = { test: (value: string) => boolean; rule: string };

/**
 * The kinds of name {@link validateName} checks.
 *
 * @public
 */
export type NameKind =
  | 'awsAccountId'
  | 'awsRegion'
  | 'eksClusterName'
  | 'dynamoDbTableName'
  | 'ecrRepositoryName'
  | 'kubernetesName'
  | 'serviceNamespace';

const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

const RULES: Record<NameKind, Rule> = {
  awsAccountId: { test: isAwsAccountId, rule: 'must be 12 digits' },
  awsRegion: {
    test: isAwsRegion,
    rule: 'must be an AWS region code such as eu-west-3',
  },
  eksClusterName: {
    test: (v: string) => /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(v),
    rule: 'must be 1 to 100 letters, digits, "-" or "_", starting with a letter or digit (EKS)',
  },
  dynamoDbTableName: {
    test: (v: string) => /^[a-zA-Z0-9_.-]{3,255}$/.test(v),
    rule: 'must be 3 to 255 letters, digits, "_", "-" or "." (DynamoDB)',
  },
  ecrRepositoryName: {
    test: (v: string) =>
      /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(
        v,
      ),
    rule: 'must be 2 to 256 lowercase letters, digits and single "._-/" separators (ECR)',
  },
  kubernetesName: {
    test: (v: string) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v),
    rule: 'must be a DNS-1123 label: at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit (Kubernetes)',
  },
  // The deploy role gets edit rights in the service's namespace: never in
  // the cluster's own.
  serviceNamespace: {
    test: (v: string) =>
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v) &&
      !SYSTEM_NAMESPACES.includes(v),
    rule: `must be a DNS-1123 label (at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit) and not a system namespace (${'kube-system, kube-public, kube-node-lease'})`,
  },
};

/**
 * Returns the value, or throws an InputError naming the field and the rule.
 *
 * @public
 */
export function validateName(
  kind: NameKind,
  field: string,
  value: unknown,
): string {
  const { test, rule } = RULES[kind];
  if (typeof value !== 'string' || !test(value)) {
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value.slice(0, 80))
        : typeof value;
    throw new InputError(`${field} ${rule}; got ${shown}`);
  }
  return value;
}

import yaml from 'yaml';
import type { SecretProviderClassFacts } from '../clients/KubernetesService';

const SECRET_ARN = /^arn:[\w-]+:secretsmanager:([a-z0-9-]+):(\d{12}):secret:/;

/** A Secrets Manager secret a SecretProviderClass of the AWS provider names. */
export interface ProviderSecret {
  secretId: string;
  /** From the ARN, else the class's `region`; undefined means the cluster's. */
  region?: string;
  /** From the ARN; undefined means the role's account. */
  accountId?: string;
}

/**
 * The Secrets Manager secrets of a SecretProviderClass for the AWS provider
 * (its `objects` parameter, YAML); Parameter Store objects and other
 * providers are not ours to check.
 */
export function secretsOfProviderClass(
  spc: SecretProviderClassFacts,
): ProviderSecret[] {
  if (spc.provider !== 'aws') return [];
  let objects: unknown;
  try {
    objects = yaml.parse(spc.parameters.objects ?? '');
  } catch {
    return [];
  }
  if (!Array.isArray(objects)) return [];
  return objects
    .filter(
      (o): o is { objectName: string; objectType?: string } =>
        typeof o?.objectName === 'string' &&
        (o.objectType === 'secretsmanager' || SECRET_ARN.test(o.objectName)),
    )
    .map(o => {
      const arn = SECRET_ARN.exec(o.objectName);
      return arn
        ? { secretId: o.objectName, region: arn[1], accountId: arn[2] }
        : { secretId: o.objectName, region: spc.parameters.region };
    });
}

/**
 * ARN parsing and validation for the resources the plugin reads. Every
 * function either returns a well-formed value or throws an ArnError that
 * says which rule the input broke; nothing here does I/O.
 */

/** @public */
export class ArnError extends Error {
  readonly name = 'ArnError';
}

/** @public */
export interface ParsedArn {
  partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

const MAX_ARN_LENGTH = 2048;
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov']);
/** us-east-1, eu-west-3, ap-southeast-2, us-gov-west-1, cn-north-1, ... */
const REGION =
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-[a-z]+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** @public */
export const isAwsRegion = (value: string) => REGION.test(value);
/** @public */
export const isAwsAccountId = (value: string) => ACCOUNT_ID.test(value);

/**
 * The AWS partition a region belongs to, and the DNS suffix of its service
 * endpoints: China regions are `aws-cn` on amazonaws.com.cn, GovCloud
 * regions `aws-us-gov`; every other region is `aws`.
 *
 * @public
 */
export function partitionOfRegion(region: string): {
  partition: ParsedArn['partition'];
  dnsSuffix: string;
} {
  if (region.startsWith('cn-')) {
    return { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
  }
  if (region.startsWith('us-gov-')) {
    return { partition: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
  }
  return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
}

export function parseArn(value: string): ParsedArn {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ArnError('an ARN must be a non-empty string');
  }
  if (value.length > MAX_ARN_LENGTH) {
    throw new ArnError(`an ARN is at most ${MAX_ARN_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are what it rejects
  if (/[\s\u0000-\u001f"'<>`{}\\]/.test(value)) {
    throw new ArnError('an ARN has no spaces, quotes or control characters');
  }
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    throw new ArnError(
      'an ARN has the form arn:<partition>:<service>:<region>:<account>:<resource>',
    );
  }
  const [, partition, service, region, accountId, ...rest] = parts;
  if (!PARTITIONS.has(partition)) {
    throw new ArnError(`unknown partition "${partition}"`);
  }
  return {
    partition: partition as ParsedArn['partition'],
    service,
    region,
    accountId,
    resource: rest.join(':'),
  };
}

function expectService(arn: ParsedArn, service: string, what: string) {
  if (arn.service !== service) {
    throw new ArnError(
      `a ${what} ARN names the service "${service}", not "${arn.service}"`,
    );
  }
}

function expectAccount(arn: ParsedArn) {
  if (!isAwsAccountId(arn.accountId)) {
    throw new ArnError(
      `the account id must be 12 digits, got "${arn.accountId}"`,
    );
  }
}

function expectRegion(arn: ParsedArn) {
  if (!isAwsRegion(arn.region)) {
    throw new ArnError(`unknown region "${arn.region}"`);
  }
}

/** @public */
export interface DynamoDbTableArn extends ParsedArn {
  tableName: string;
}

/** DynamoDB table names: 3 to 255 of [a-zA-Z0-9_.-]. */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/** @public */
export function parseDynamoDbTableArn(value: string): DynamoDbTableArn {
  const arn = parseArn(value);
  expectService(arn, 'dynamodb', 'DynamoDB table');
  expectRegion(arn);
  expectAccount(arn);
  const match = /^table\/([^/]+)$/.exec(arn.resource);
  if (!match) {
    throw new ArnError(
      'a DynamoDB table ARN ends in table/<name> (no index or stream part)',
    );
  }
  if (!TABLE_NAME.test(match[1])) {
    throw new ArnError(
      'a DynamoDB table name is 3 to 255 letters, digits, "_", "-" or "."',
    );
  }
  return { ...arn, tableName: match[1] };
}

/** @public */
export interface EcrRepositoryArn extends ParsedArn {
  repositoryName: string;
}

/** ECR repository names: lowercase path segments of [a-z0-9._-], up to 256. */
const REPOSITORY_NAME =
  /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** @public */
export function parseEcrRepositoryArn(value: string): EcrRepositoryArn {
  const arn = parseArn(value);
  expectService(arn, 'ecr', 'ECR repository');
  expectRegion(arn);
  expectAccount(arn);
  const match = /^repository\/(.+)$/.exec(arn.resource);
  if (!match) {
    throw new ArnError('an ECR repository ARN ends in repository/<name>');
  }
  if (!REPOSITORY_NAME.test(match[1])) {
    throw new ArnError(
      'an ECR repository name is lowercase letters, digits and "._-/" (2 to 256)',
    );
  }
  return { ...arn, repositoryName: match[1] };
}

/** @public */
export interface IamRoleArn extends ParsedArn {
  roleName: string;
  path: string;
}

/** IAM role names: 1 to 64 of [\w+=,.@-]; paths: /segments/ of the same. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/(?:[\w+=,.@-]+\/)*$/;

/** @public */
export function parseIamRoleArn(value: string): IamRoleArn {
  const arn = parseArn(value);
  expectService(arn, 'iam', 'IAM role');
  if (arn.region !== '') {
    throw new ArnError('an IAM ARN has an empty region field (IAM is global)');
  }
  expectAccount(arn);
  const match = /^role(\/(?:.*\/)?)?([^/]*)$/.exec(arn.resource);
  if (!match || !arn.resource.startsWith('role/')) {
    throw new ArnError('an IAM role ARN ends in role/<path/><name>');
  }
  const path = match[1] ?? '/';
  if (!ROLE_PATH.test(path) || path.length > 512) {
    throw new ArnError('an IAM role path is /segments/ of [A-Za-z0-9+=,.@_-]');
  }
  if (!ROLE_NAME.test(match[2])) {
    throw new ArnError(
      'an IAM role name is 1 to 64 of letters, digits and "+=,.@_-"',
    );
  }
  return { ...arn, roleName: match[2], path };
}

/**
 * The IAM OIDC provider ARN for an EKS cluster's issuer URL:
 * `arn:aws:iam::<account>:oidc-provider/<issuer without https://>`.
 *
 * @public
 */
export function oidcProviderArnForIssuer(
  issuerUrl: string,
  accountId: string,
  partition: ParsedArn['partition'] = 'aws',
): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHostPath(
    issuerUrl,
  )}`;
}

/**
 * An ARN in the partition of a region: `arn:aws-cn:…` in China,
 * `arn:aws-us-gov:…` in GovCloud, `arn:aws:…` elsewhere. Global services
 * (IAM, EKS access policies) leave the region out.
 *
 * @public
 */
export function awsArn(parts: {
  region: string;
  service: string;
  accountId: string;
  resource: string;
  global?: boolean;
}): string {
  const { partition } = partitionOfRegion(parts.region);
  return `arn:${partition}:${parts.service}:${
    parts.global ? '' : parts.region
  }:${parts.accountId}:${parts.resource}`;
}

/**
 * The URI of an ECR repository, on the DNS suffix of its region's partition.
 *
 * @public
 */
export function ecrRepositoryUri(
  accountId: string,
  region: string,
  name: string,
): string {
  return `${accountId}.dkr.ecr.${region}.${
    partitionOfRegion(region).dnsSuffix
  }/${name}`;
}

/** The issuer as IAM condition keys spell it: without scheme and trailing slash. */
export function issuerHostPath(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

/**
 * A page of the AWS console, on the console of the region's partition
 * (China and GovCloud have consoles of their own).
 *
 * @public
 */
export function awsConsoleUrl(region: string, path: string): string {
  const { partition } = partitionOfRegion(region);
  const host = {
    aws: `${region}.console.aws.amazon.com`,
    'aws-cn': 'console.amazonaws.cn',
    'aws-us-gov': 'console.amazonaws-us-gov.com',
  }[partition];
  return `https://${host}/${path.replace(/^\//, '')}`;
}

/**
 * The IAM console page of a role, from its ARN (IAM is global: the
 * partition tells the console).
 *
 * @public
 */
export function iamRoleConsoleUrl(roleArn: string): string | undefined {
  let parsed;
  try {
    parsed = parseIamRoleArn(roleArn);
  } catch {
    return undefined;
  }
  const region = {
    aws: 'us-east-1',
    'aws-cn': 'cn-north-1',
    'aws-us-gov': 'us-gov-west-1',
  }[parsed.partition];
  return awsConsoleUrl(
    region,
    `iam/home#/roles/details/${encodeURIComponent(parsed.roleName)}`,
  );
}

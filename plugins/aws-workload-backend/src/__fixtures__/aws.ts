/** AWS API responses, in the shapes of the API reference. */
import { ImageDetail } from '@aws-sdk/client-ecr';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-3';
export const CLUSTER = 'vote-demo';
export const CLUSTER_URL =
  'https://5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B.gr7.eu-west-3.eks.amazonaws.com';
export const ISSUER =
  'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';
export const ISSUER_HOST = ISSUER.replace('https://', '');
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const tableArn = (name: string) =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
export const repositoryArn = (name: string) =>
  `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
export const policyArn = (name: string) =>
  `arn:aws:iam::${ACCOUNT}:policy/${name}`;

export const describeCluster = {
  cluster: {
    name: CLUSTER,
    arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
    version: '1.33',
    endpoint: CLUSTER_URL,
    status: 'ACTIVE',
    certificateAuthority: { data: 'LS0tLS1CRUdJTi...' },
    identity: { oidc: { issuer: ISSUER } },
  },
};

export function irsaTrust(namespace: string, serviceAccount: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${ISSUER_HOST}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

/** IAM GetRole: the trust policy arrives URL-encoded. */
export function getRole(name: string, trust: object) {
  return {
    Role: {
      Path: '/',
      RoleName: name,
      RoleId: 'AROAEXAMPLEID1234567',
      Arn: roleArn(name),
      CreateDate: new Date('2026-10-01T00:00:00Z'),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
    },
  };
}

/** GetPolicyVersion's answer: the default version, its document URL-encoded as IAM sends it. */
export function policyVersion(statements: object[]) {
  return {
    PolicyVersion: {
      VersionId: 'v1',
      IsDefaultVersion: true,
      Document: encodeURIComponent(
        JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      ),
    },
  };
}

export function tablePolicyVersion(table: string, actions: string[]) {
  return policyVersion([
    { Effect: 'Allow', Action: actions, Resource: tableArn(table) },
  ]);
}

export function image(
  digestHex: string,
  tags: string[],
  pushedAt: string,
  critical = 0,
): ImageDetail {
  return {
    registryId: ACCOUNT,
    repositoryName: 'vote-irsa',
    imageDigest: `sha256:${digestHex.padEnd(64, '0')}`,
    imageTags: tags,
    imageSizeInBytes: 52_428_800,
    imagePushedAt: new Date(pushedAt),
    imageScanStatus: {
      status: 'COMPLETE',
      description: 'The scan was completed successfully.',
    },
    imageScanFindingsSummary: {
      findingSeverityCounts: critical
        ? { CRITICAL: critical, HIGH: 2 }
        : { LOW: 1 },
    },
  };
}

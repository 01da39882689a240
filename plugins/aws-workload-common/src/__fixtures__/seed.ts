/**
 * The seed walkthrough's vote deployments, as the Kubernetes API returns
 * them, plus the pods the EKS webhooks and agents produce. The access key is
 * AWS's documented example key, never a real one.
 */
import { Pod, PodSpec, ServiceAccount } from '../kubernetes';

export const EXAMPLE_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const EXAMPLE_SECRET_ACCESS_KEY =
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const ROLE_ARN =
  'arn:aws:iam::123456789012:role/eks-dynamo-service-account-role';
export const ISSUER =
  'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';
export const TABLE_ARN =
  'arn:aws:dynamodb:eu-west-3:123456789012:table/eks-dynamo';

const appEnv = [
  { name: 'WEBSITE_PORT', value: '3000' },
  { name: 'DYNAMO_TABLE', value: 'eks-dynamo' },
  { name: 'DYNAMO_REGION', value: 'eu-west-3' },
];

export function deployment(name: string, spec: Partial<PodSpec> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'vote', labels: { app: 'vote' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'vote' } },
      template: {
        metadata: {
          labels: { app: 'vote', 'backstage.io/kubernetes-id': name },
        },
        spec: {
          containers: [
            {
              name: 'vote',
              image:
                '123456789012.dkr.ecr.eu-west-3.amazonaws.com/eks-dynamo:vote',
              ports: [{ containerPort: 3000 }],
              env: [...appEnv],
            },
          ],
          ...spec,
        },
      },
    },
  };
}

/** First deployment of the seed: no credentials at all. */
export const seedNoCredentials = deployment('vote');

/** Second: static keys written into the environment. */
export const seedStaticKeys = deployment('vote-env', {
  containers: [
    {
      name: 'vote',
      image: '123456789012.dkr.ecr.eu-west-3.amazonaws.com/eks-dynamo:vote-env',
      env: [
        ...appEnv,
        { name: 'AWS_ACCESS_KEY_ID', value: EXAMPLE_ACCESS_KEY_ID },
        { name: 'AWS_SECRET_ACCESS_KEY', value: EXAMPLE_SECRET_ACCESS_KEY },
      ],
    },
  ],
});

/** Third: the eks-dynamo ServiceAccount, bound to a role. */
export const seedWithServiceAccount = deployment('vote', {
  serviceAccountName: 'eks-dynamo',
});

export const eksDynamoServiceAccount: ServiceAccount = {
  metadata: {
    name: 'eks-dynamo',
    namespace: 'vote',
    annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN },
  },
};

export const defaultServiceAccount: ServiceAccount = {
  metadata: { name: 'default', namespace: 'vote' },
};

/** A running pod of a template, as the API shows it after admission. */
export function podOf(
  template: { spec: PodSpec },
  name: string,
  injectedEnv: { name: string; value: string }[] = [],
): Pod {
  return {
    metadata: { name, namespace: 'vote', labels: { app: 'vote' } },
    spec: {
      ...template.spec,
      nodeName: 'ip-10-0-1-23.eu-west-3.compute.internal',
      containers: template.spec.containers.map(c => ({
        ...c,
        env: [...(c.env ?? []), ...injectedEnv],
      })),
    },
    status: { phase: 'Running', startTime: '2026-11-20T10:00:00Z' },
  };
}

/** What the EKS Pod Identity webhook injects for IRSA. */
export const irsaInjectedEnv = [
  { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
  { name: 'AWS_DEFAULT_REGION', value: 'eu-west-3' },
  { name: 'AWS_REGION', value: 'eu-west-3' },
  { name: 'AWS_ROLE_ARN', value: ROLE_ARN },
  {
    name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
    value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
  },
];

/** What EKS injects for Pod Identity. */
export const podIdentityInjectedEnv = [
  { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
  { name: 'AWS_DEFAULT_REGION', value: 'eu-west-3' },
  { name: 'AWS_REGION', value: 'eu-west-3' },
  {
    name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    value: 'http://169.254.170.23/v1/credentials',
  },
  {
    name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    value:
      '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
  },
];

/** The trust policy terraform-aws-modules writes for vote:eks-dynamo. */
export function irsaTrustPolicy(sub = 'system:serviceaccount:vote:eks-dynamo') {
  const issuer = ISSUER.replace('https://', '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: '',
        Effect: 'Allow' as const,
        Principal: {
          Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: sub,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

/** The seed's eks-dynamo policy: GetItem and UpdateItem on the table. */
export const seedTablePolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow' as const,
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      Resource: TABLE_ARN,
    },
  ],
};

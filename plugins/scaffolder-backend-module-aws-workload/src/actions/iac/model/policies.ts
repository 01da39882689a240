import {
  PolicyDocument,
  PolicyStatement,
} from '@aws-workload/plugin-aws-workload-common';
import { IacModel, issuerHost, modelArns, SECRET_READ_ACTIONS } from './model';

/**
 * Values a policy names that each flavour writes its own way: Terraform and
 * the CDK refer to the resource they create, ACK writes the ARN itself.
 */
export type IacRefName =
  | 'tableArn'
  | 'repositoryArn'
  | 'secretArn'
  | 'clusterArn'
  | 'clusterOidcProviderArn'
  | 'clusterOidcIssuerHost'
  | 'githubOidcProviderArn';

/**
 * A reference in a policy's text. `#{` cannot occur in a validated value
 * (names, namespaces, GitHub names, ARNs), so a reference is never mistaken
 * for input.
 */
export const iacRef = (name: IacRefName) => `#{${name}}`;

const REF = /#\{(\w+)\}/g;

/** A string's literal parts and the references between them, in order. */
export function splitRefs(
  value: string,
): ({ text: string } | { ref: IacRefName })[] {
  const parts: ({ text: string } | { ref: IacRefName })[] = [];
  let last = 0;
  for (const match of value.matchAll(REF)) {
    if (match.index! > last) {
      parts.push({ text: value.slice(last, match.index) });
    }
    parts.push({ ref: match[1] as IacRefName });
    last = match.index! + match[0].length;
  }
  if (last < value.length) parts.push({ text: value.slice(last) });
  return parts;
}

/** Every string in a document, references resolved by `resolve`. */
export function resolveRefs(
  document: IacPolicyDocument,
  resolve: (ref: IacRefName) => string,
): IacPolicyDocument {
  const text = (value: string) =>
    splitRefs(value)
      .map(part => ('ref' in part ? resolve(part.ref) : part.text))
      .join('');
  const deep = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(deep);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [text(k), deep(v)]),
      );
    }
    return value;
  };
  return deep(document) as IacPolicyDocument;
}

const one = (values: string[]) => (values.length === 1 ? values[0] : values);
const compactValues = (record: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, one(v)]));

/**
 * A document in the form IAM itself writes: a single action, resource,
 * principal or condition value as a string, not a list of one.
 */
export function compactPolicy(policy: IacPolicyDocument): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map(
      ({ Action, Resource, Principal, Condition, ...rest }) => ({
        ...rest,
        ...(Principal ? { Principal: compactValues(Principal) } : {}),
        Action: one(Action),
        ...(Resource ? { Resource: one(Resource) } : {}),
        ...(Condition
          ? {
              Condition: Object.fromEntries(
                Object.entries(Condition).map(([op, keys]) => [
                  op,
                  compactValues(keys),
                ]),
              ),
            }
          : {}),
      }),
    ),
  };
}

/** An IAM statement as every flavour writes it: lists, never single strings. */
export interface IacStatement extends PolicyStatement {
  Effect: 'Allow';
  Action: string[];
  Resource?: string[];
  Principal?: Record<string, string[]>;
  Condition?: Record<string, Record<string, string[]>>;
}

/** @see PolicyDocument */
export interface IacPolicyDocument extends PolicyDocument {
  Version: '2012-10-17';
  Statement: IacStatement[];
}

const document = (...statements: IacStatement[]): IacPolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

/**
 * The IAM documents of one service, built once from the model and written
 * by every flavour: the service role's trust and permissions, the deploy
 * role's trust and permissions, and the secret's read access.
 */
export interface ServicePolicies {
  tableAccess: IacPolicyDocument;
  serviceTrust: IacPolicyDocument;
  deployTrust: IacPolicyDocument;
  deploy: IacPolicyDocument;
  secretAccess?: IacPolicyDocument;
}

function serviceTrust(model: IacModel): IacPolicyDocument {
  if (model.credentials === 'pod-identity') {
    return document({
      Effect: 'Allow',
      Principal: { Service: ['pods.eks.amazonaws.com'] },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
  }
  const host = iacRef('clusterOidcIssuerHost');
  return document({
    Effect: 'Allow',
    Principal: { Federated: [iacRef('clusterOidcProviderArn')] },
    Action: ['sts:AssumeRoleWithWebIdentity'],
    Condition: {
      StringEquals: {
        [`${host}:sub`]: [
          `system:serviceaccount:${model.namespace}:${model.serviceAccountName}`,
        ],
        [`${host}:aud`]: ['sts.amazonaws.com'],
      },
    },
  });
}

/** What GitHub Actions on the repository's main branch may do: push, find the cluster. */
function deploy(): IacPolicyDocument {
  return document(
    {
      Sid: 'EcrLogin',
      Effect: 'Allow',
      Action: ['ecr:GetAuthorizationToken'],
      Resource: ['*'],
    },
    {
      Sid: 'PushThisRepository',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      Resource: [iacRef('repositoryArn')],
    },
    {
      Sid: 'FindTheCluster',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster'],
      Resource: [iacRef('clusterArn')],
    },
  );
}

function secretAccess(model: IacModel): IacPolicyDocument | undefined {
  if (!model.secret) return undefined;
  const { kmsKeyArn } = model.secret;
  return document(
    {
      Effect: 'Allow',
      Action: SECRET_READ_ACTIONS,
      Resource: [iacRef('secretArn')],
    },
    // Decrypt with the customer key, only when Secrets Manager asks.
    ...(kmsKeyArn
      ? [
          {
            Effect: 'Allow' as const,
            Action: ['kms:Decrypt'],
            Resource: [kmsKeyArn],
            Condition: {
              StringEquals: {
                'kms:ViaService': [modelArns(model).secretsManagerService],
              },
            },
          },
        ]
      : []),
  );
}

/** The service's IAM documents, references left for the flavour to write. */
export function servicePolicies(model: IacModel): ServicePolicies {
  return {
    tableAccess: document({
      Effect: 'Allow',
      Action: model.tableActions,
      Resource: [iacRef('tableArn')],
    }),
    serviceTrust: serviceTrust(model),
    deployTrust: document({
      Effect: 'Allow',
      Principal: { Federated: [iacRef('githubOidcProviderArn')] },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'],
          'token.actions.githubusercontent.com:sub': [
            `repo:${model.github.owner}/${model.github.repo}:ref:refs/heads/main`,
          ],
        },
      },
    }),
    deploy: deploy(),
    secretAccess: secretAccess(model),
  };
}

/**
 * The ARN or name each reference stands for, where the resource already
 * exists or its ARN is known before it is created: what ACK writes.
 */
export function literalRefs(model: IacModel): Record<IacRefName, string> {
  const arns = modelArns(model);
  const issuer =
    model.cluster.mode === 'existing' ? model.cluster.oidcIssuer : undefined;
  return {
    tableArn: arns.table,
    repositoryArn: arns.repository,
    secretArn: arns.secret,
    clusterArn: arns.cluster,
    clusterOidcProviderArn: issuer ? arns.oidcProvider(issuerHost(issuer)) : '',
    clusterOidcIssuerHost: issuer ? issuerHost(issuer) : '',
    githubOidcProviderArn: arns.githubProvider,
  };
}

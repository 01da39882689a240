import {
  awsArn,
  ecrRepositoryUri,
  partitionOfRegion,
} from '@aws-workload/plugin-aws-workload-common';
import { InputError } from '@backstage/errors';
import { validateName } from '../../../validation';

/** The AWS side of one service: one typed model, rendered in every flavour. */
export interface IacModel {
  name: string;
  /** Catalog owner and entity ref, tagged on every resource. */
  owner: string;
  entityRef: string;
  accountId: string;
  region: string;
  tableName: string;
  repositoryName: string;
  namespace: string;
  serviceAccountName: string;
  credentials: 'irsa' | 'pod-identity';
  /** DynamoDB actions the app calls, and nothing more. */
  tableActions: string[];
  cluster:
    | {
        mode: 'existing';
        name: string;
        oidcIssuer: string;
        oidcProviderRegistered: boolean;
      }
    | { mode: 'create'; name: string; kubernetesVersion: string };
  /** The repository whose main branch may push images and deploy. */
  github: { owner: string; repo: string };
  /** The service sits behind an ALB (the AWS Load Balancer Controller). */
  ingress?: boolean;
  /**
   * An application secret in Secrets Manager (named `<name>-app`), mounted
   * through the Secrets Store CSI driver; encrypted with this customer key
   * when one is given, else Secrets Manager's own.
   */
  secret?: { kmsKeyArn?: string };
  /**
   * What the code calls the table and the stack, where a template wants its
   * own names (the vote service: `votes`, `VoteServiceStack`); renaming
   * either on a deployed stack replaces the table.
   */
  codeNames?: Partial<CodeNames>;
}

export interface CodeNames {
  /** The Terraform resource label (`aws_dynamodb_table.<table>`); in PascalCase, the CDK construct id. */
  table: string;
  /** The CDK stack's class; its file is the class name in kebab-case. */
  stackClass: string;
}

export const DEFAULT_CODE_NAMES: CodeNames = {
  table: 'table',
  stackClass: 'ServiceStack',
};

const TABLE_LABEL = /^[a-z][a-z0-9_]{0,62}$/;
const CLASS_NAME = /^[A-Z][A-Za-z0-9]{0,62}$/;

/** The model's code names, defaults filled in. */
export const codeNamesOf = (model: IacModel): CodeNames => ({
  table: model.codeNames?.table ?? DEFAULT_CODE_NAMES.table,
  stackClass: model.codeNames?.stackClass ?? DEFAULT_CODE_NAMES.stackClass,
});

/** The CDK construct id of the table: its label in PascalCase (`votes` → `Votes`). */
export const cdkTableId = (model: IacModel): string =>
  codeNamesOf(model)
    .table.split('_')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Where the CDK stack is written: `lib/` and its class in kebab-case. */
export const cdkStackFile = (model: IacModel): string =>
  `lib/${codeNamesOf(model)
    .stackClass.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()}.ts`;

/** What the service role may do with its secret, and nothing more. */
export const SECRET_READ_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
];

const KMS_KEY_ARN =
  /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;

/**
 * The service's namespace, which the infrastructure creates in every
 * flavour: the deploy role's edit rights are scoped to it and cannot create
 * it. Pods in it must meet the restricted Pod Security Standard (the
 * generated Deployment does); behind an ALB the controller injects its
 * readiness gate, so that a rollout waits for the target to be healthy.
 */
export function serviceNamespace(model: IacModel) {
  return {
    name: model.namespace,
    labels: {
      'app.kubernetes.io/name': model.name,
      'pod-security.kubernetes.io/enforce': 'restricted',
      ...(model.ingress
        ? { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' }
        : {}),
    },
  };
}

const ISSUER =
  /^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Z0-9]{8,64}$/;
const ACTION = /^dynamodb:[A-Z][A-Za-z]{2,40}$/;
const GITHUB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/;
const ENTITY_REF =
  /^[a-z]+:[a-z0-9][a-z0-9._-]{0,62}\/[a-z0-9][a-z0-9._-]{0,62}$/i;
const K8S_VERSION = /^1\.\d{2}$/;

/** Validates every field the renderers write; throws InputError naming field and rule. */
export function validateIacModel(model: IacModel): void {
  validateName('kubernetesName', 'name', model.name);
  validateName('awsAccountId', 'awsAccountId', model.accountId);
  validateName('awsRegion', 'awsRegion', model.region);
  validateName('dynamoDbTableName', 'tableName', model.tableName);
  validateName('ecrRepositoryName', 'repositoryName', model.repositoryName);
  validateName('serviceNamespace', 'namespace', model.namespace);
  validateName(
    'kubernetesName',
    'serviceAccountName',
    model.serviceAccountName,
  );
  validateName('eksClusterName', 'clusterName', model.cluster.name);
  const names = codeNamesOf(model);
  if (!TABLE_LABEL.test(names.table)) {
    throw new InputError(
      `tableResourceName must start with a lowercase letter and hold only lowercase letters, digits and underscores (a Terraform label), at most 63; got ${JSON.stringify(
        names.table.slice(0, 80),
      )}`,
    );
  }
  if (!CLASS_NAME.test(names.stackClass)) {
    throw new InputError(
      `stackClassName must start with an uppercase letter and hold only letters and digits (a TypeScript class name), at most 63; got ${JSON.stringify(
        names.stackClass.slice(0, 80),
      )}`,
    );
  }
  if (
    !ENTITY_REF.test(model.owner) &&
    !/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(model.owner)
  ) {
    throw new InputError(
      `owner must be an entity ref such as group:default/team or a name; got ${JSON.stringify(
        model.owner.slice(0, 80),
      )}`,
    );
  }
  if (!ENTITY_REF.test(model.entityRef)) {
    throw new InputError(
      `entityRef must be kind:namespace/name; got ${JSON.stringify(
        model.entityRef.slice(0, 80),
      )}`,
    );
  }
  if (
    model.tableActions.length === 0 ||
    model.tableActions.some(a => !ACTION.test(a))
  ) {
    throw new InputError(
      'tableActions must be one or more DynamoDB actions such as dynamodb:GetItem (no wildcards)',
    );
  }
  if (
    model.cluster.mode === 'existing' &&
    !ISSUER.test(model.cluster.oidcIssuer)
  ) {
    throw new InputError(
      `oidcIssuer must be an EKS OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<ID>); got ${JSON.stringify(
        model.cluster.oidcIssuer.slice(0, 100),
      )}`,
    );
  }
  if (
    model.cluster.mode === 'create' &&
    !K8S_VERSION.test(model.cluster.kubernetesVersion)
  ) {
    throw new InputError(
      `kubernetesVersion must look like 1.33; got ${JSON.stringify(
        model.cluster.kubernetesVersion,
      )}`,
    );
  }
  const kmsKeyArn = model.secret?.kmsKeyArn;
  if (kmsKeyArn !== undefined && !KMS_KEY_ARN.test(kmsKeyArn)) {
    throw new InputError(
      `secretKmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<12 digits>:key/<key id>); got ${JSON.stringify(
        kmsKeyArn.slice(0, 120),
      )}`,
    );
  }
  for (const [field, value] of [
    ['github owner', model.github.owner],
    ['github repo', model.github.repo],
  ] as const) {
    if (!GITHUB_NAME.test(value)) {
      throw new InputError(
        `${field} must be 1 to 100 letters, digits, ".", "_" or "-"; got ${JSON.stringify(
          value.slice(0, 80),
        )}`,
      );
    }
  }
}

export const issuerHost = (issuer: string) => issuer.replace(/^https:\/\//, '');

/**
 * Every ARN and URI the renderers write, in the partition of the model's
 * region (aws, aws-cn, aws-us-gov): written once, read by every flavour
 * and by the template's later steps through iac:render's outputs.
 */
export function modelArns(model: IacModel) {
  const arn = (service: string, resource: string, global = false) =>
    awsArn({
      region: model.region,
      service,
      accountId: model.accountId,
      resource,
      global,
    });
  return {
    serviceRole: arn('iam', `role/${model.name}-service`, true),
    deployRole: arn('iam', `role/${model.name}-deploy`, true),
    table: arn('dynamodb', `table/${model.tableName}`),
    repository: arn('ecr', `repository/${model.repositoryName}`),
    repositoryUri: ecrRepositoryUri(
      model.accountId,
      model.region,
      model.repositoryName,
    ),
    cluster: arn('eks', `cluster/${model.cluster.name}`),
    /** Clusters of this account and region, for a cluster not created yet. */
    clusters: arn('eks', 'cluster/'),
    oidcProvider: (host: string) => arn('iam', `oidc-provider/${host}`, true),
    githubProvider: arn(
      'iam',
      'oidc-provider/token.actions.githubusercontent.com',
      true,
    ),
    /**
     * Every version of the service's secret: Secrets Manager appends six
     * random characters to a secret's ARN.
     */
    secret: arn('secretsmanager', `secret:${model.name}-app-??????`),
    /** Secrets Manager, as KMS sees it calling on the role's behalf. */
    secretsManagerService: `secretsmanager.${model.region}.${
      partitionOfRegion(model.region).dnsSuffix
    }`,
    editAccessPolicy: awsArn({
      region: model.region,
      service: 'eks',
      accountId: 'aws',
      resource: 'cluster-access-policy/AmazonEKSEditPolicy',
      global: true,
    }),
  };
}

/** One generated file: its path in the flavour's directory and its text. */
export interface RenderedFile {
  path: string;
  content: string;
}

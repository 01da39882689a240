import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import {
  IacModel,
  issuerHost,
  modelArns,
  serviceNamespace,
  validateIacModel,
} from '../model';
import {
  compactPolicy,
  IacPolicyDocument,
  literalRefs,
  resolveRefs,
  ServicePolicies,
  servicePolicies,
} from '../model';
import { secretProviderClass } from '../../manifests/secretProviderClass';
import type { RenderedFile } from '../model';

const tags = (model: IacModel) => [
  { key: 'owner', value: model.owner },
  { key: 'backstage.io/entity', value: model.entityRef },
  { key: 'app.kubernetes.io/name', value: model.name },
];

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Every ACK object lives in the service's namespace, labelled with its name. */
const ackMetadata = (model: IacModel, name: string) => ({
  name,
  namespace: model.namespace,
  labels: { 'app.kubernetes.io/name': model.name },
});

/** One of the service's IAM documents with every ARN written out, as ACK takes it. */
const policyJson = (
  model: IacModel,
  pick: (policies: ServicePolicies) => IacPolicyDocument,
) => {
  const refs = literalRefs(model);
  return json(
    compactPolicy(resolveRefs(pick(servicePolicies(model)), ref => refs[ref])),
  );
};

function serviceTrust(model: IacModel) {
  if (model.credentials === 'irsa' && model.cluster.mode !== 'existing')
    throw new InputError(
      'createCluster is not available with ack: ACK runs inside an existing cluster',
    );
  return policyJson(model, p => p.serviceTrust);
}

function deployRole(model: IacModel) {
  return {
    name: `${model.name}-deploy`,
    assumeRolePolicyDocument: policyJson(model, p => p.deployTrust),
    inlinePolicies: { deploy: policyJson(model, p => p.deploy) },
    tags: tags(model),
  };
}

/**
 * The cluster's IAM OIDC provider, for IRSA, where it is not known to be
 * registered (not registered, or the issuer was given without a lookup).
 * The provider is account-wide and other services' roles trust it too: ACK
 * adopts one that exists instead of failing, and keeps it in IAM when this
 * object is deleted. No tags, so that services adopting the same provider
 * never fight over its spec.
 */
function oidcProvider(model: IacModel, issuer: string) {
  return {
    apiVersion: 'iam.services.k8s.aws/v1alpha1',
    kind: 'OpenIDConnectProvider',
    metadata: {
      ...ackMetadata(model, `${model.name}-cluster-oidc`),
      annotations: {
        'services.k8s.aws/deletion-policy': 'retain',
        'services.k8s.aws/adoption-policy': 'adopt-or-create',
        'services.k8s.aws/adoption-fields': JSON.stringify({
          arn: modelArns(model).oidcProvider(issuerHost(issuer)),
        }),
      },
    },
    // Current controllers read the thumbprint themselves; IAM no longer
    // checks it for EKS issuers.
    spec: { url: issuer, clientIDs: ['sts.amazonaws.com'] },
  };
}

/**
 * Read access to the application secret (which the README has created once
 * with the AWS CLI: no ACK CRD for it is among the validated references),
 * and the SecretProviderClass that mounts it.
 */
function addSecretObjects(model: IacModel, objects: Record<string, object>) {
  objects['secret-policy.yaml'] = {
    apiVersion: 'iam.services.k8s.aws/v1alpha1',
    kind: 'Policy',
    metadata: ackMetadata(model, `${model.name}-secret-access`),
    spec: {
      name: `${model.name}-secret-access`,
      description: `Only reading ${model.name}'s own secret`,
      policyDocument: policyJson(model, p => p.secretAccess!),
      tags: tags(model),
    },
  };
  objects['secret-provider-class.yaml'] = secretProviderClass({
    service: model.name,
    namespace: model.namespace,
    region: model.region,
    credentials: model.credentials,
  });
}

/**
 * The AWS resources of the service as AWS Controllers for Kubernetes (ACK)
 * custom resources, applied to an existing cluster that runs the DynamoDB,
 * ECR, IAM and EKS controllers.
 */
export function renderAck(model: IacModel): RenderedFile[] {
  validateIacModel(model);
  if (model.cluster.mode !== 'existing') {
    throw new InputError(
      'createCluster is not available with ack: ACK runs inside an existing cluster',
    );
  }
  const meta = (name: string) => ackMetadata(model, name);
  const objects: Record<string, object> = {
    // The ACK objects below live in the service's namespace, and the deploy
    // role's edit rights are scoped to it: it comes first, with them.
    'namespace.yaml': {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: serviceNamespace(model),
    },
    'table.yaml': {
      apiVersion: 'dynamodb.services.k8s.aws/v1alpha1',
      kind: 'Table',
      metadata: meta(`${model.name}-table`),
      spec: {
        tableName: model.tableName,
        billingMode: 'PAY_PER_REQUEST',
        attributeDefinitions: [{ attributeName: 'name', attributeType: 'S' }],
        keySchema: [{ attributeName: 'name', keyType: 'HASH' }],
        continuousBackups: { pointInTimeRecoveryEnabled: true },
        tags: tags(model),
      },
    },
    'repository.yaml': {
      apiVersion: 'ecr.services.k8s.aws/v1alpha1',
      kind: 'Repository',
      metadata: meta(`${model.name}-repository`),
      spec: {
        name: model.repositoryName,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        lifecyclePolicy: json({
          rules: [
            {
              rulePriority: 1,
              description: 'Expire untagged images after 14 days',
              selection: {
                tagStatus: 'untagged',
                countType: 'sinceImagePushed',
                countUnit: 'days',
                countNumber: 14,
              },
              action: { type: 'expire' },
            },
          ],
        }),
        tags: tags(model),
      },
    },
    'policy.yaml': {
      apiVersion: 'iam.services.k8s.aws/v1alpha1',
      kind: 'Policy',
      metadata: meta(`${model.name}-table-access`),
      spec: {
        name: `${model.name}-table-access`,
        description: `Only the actions ${model.name} calls, only on its table`,
        policyDocument: policyJson(model, p => p.tableAccess),
        tags: tags(model),
      },
    },
    'role.yaml': {
      apiVersion: 'iam.services.k8s.aws/v1alpha1',
      kind: 'Role',
      metadata: meta(`${model.name}-service`),
      spec: {
        name: `${model.name}-service`,
        assumeRolePolicyDocument: serviceTrust(model),
        policyRefs: [
          { from: { name: `${model.name}-table-access` } },
          ...(model.secret
            ? [{ from: { name: `${model.name}-secret-access` } }]
            : []),
        ],
        tags: tags(model),
      },
    },
    'deploy-role.yaml': {
      apiVersion: 'iam.services.k8s.aws/v1alpha1',
      kind: 'Role',
      metadata: meta(`${model.name}-deploy`),
      spec: deployRole(model),
    },
  };
  if (model.credentials === 'irsa' && !model.cluster.oidcProviderRegistered) {
    objects['oidc-provider.yaml'] = oidcProvider(
      model,
      model.cluster.oidcIssuer,
    );
  }
  if (model.secret) addSecretObjects(model, objects);
  if (model.credentials === 'pod-identity') {
    objects['pod-identity-association.yaml'] = {
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'PodIdentityAssociation',
      metadata: meta(`${model.name}-service`),
      spec: {
        clusterName: model.cluster.name,
        namespace: model.namespace,
        serviceAccount: model.serviceAccountName,
        roleRef: { from: { name: `${model.name}-service` } },
        tags: Object.fromEntries(tags(model).map(t => [t.key, t.value])),
      },
    };
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // The deploy role also needs an EKS access entry scoped to the namespace;
    // create it once: aws eks create-access-entry / associate-access-policy.
    resources: Object.keys(objects),
  };
  return [
    ...Object.entries(objects).map(([path, object]) => ({
      path,
      content: yaml.stringify(object),
    })),
    { path: 'kustomization.yaml', content: yaml.stringify(kustomization) },
  ];
}

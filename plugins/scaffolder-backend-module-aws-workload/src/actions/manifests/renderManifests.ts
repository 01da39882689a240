import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import { validateName } from '../../validation';

/** The Kubernetes side of one service, as the template describes it. */
export interface ManifestModel {
  name: string;
  namespace: string;
  serviceAccountName: string;
  credentials: 'irsa' | 'pod-identity';
  /** The IAM role of the service; the ServiceAccount carries it under IRSA. */
  roleArn: string;
  /** The ECR repository URI, without a tag: CI sets the tag (the commit SHA). */
  imageRepository: string;
  tableName: string;
  region: string;
  voteOptions: string[];
  port: number;
  ingress?: { host?: string };
}

export interface RenderedFile {
  path: string;
  content: string;
}

const IMAGE_NAME = 'vote-service';
const ROLE_ARN =
  /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
const REPOSITORY_URI =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9]+(?:[._\-/][a-z0-9]+)*$/;
const HOST =
  /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates the whole model first, so that a bad value writes nothing. */
export function validateManifestModel(model: ManifestModel): void {
  validateName('kubernetesName', 'name', model.name);
  validateName('serviceNamespace', 'namespace', model.namespace);
  validateName(
    'kubernetesName',
    'serviceAccountName',
    model.serviceAccountName,
  );
  validateName('dynamoDbTableName', 'tableName', model.tableName);
  validateName('awsRegion', 'region', model.region);
  if (!ROLE_ARN.test(model.roleArn)) {
    throw new InputError(
      `roleArn must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>); got ${JSON.stringify(
        model.roleArn.slice(0, 80),
      )}`,
    );
  }
  if (!REPOSITORY_URI.test(model.imageRepository)) {
    throw new InputError(
      `imageRepository must be an ECR repository URI (<account>.dkr.ecr.<region>.amazonaws.com/<name>) without a tag; got ${JSON.stringify(
        model.imageRepository.slice(0, 80),
      )}`,
    );
  }
  if (
    !Number.isInteger(model.port) ||
    model.port < 1024 ||
    model.port > 65535
  ) {
    throw new InputError(
      `port must be a whole number from 1024 to 65535 (the pod runs as non-root); got ${model.port}`,
    );
  }
  if (
    model.voteOptions.length < 2 ||
    model.voteOptions.some(o => !/^[a-z0-9][a-z0-9-]{0,30}$/.test(o))
  ) {
    throw new InputError(
      'voteOptions must be at least two lowercase words of letters, digits or "-" (at most 31 characters each)',
    );
  }
  if (new Set(model.voteOptions).size !== model.voteOptions.length) {
    throw new InputError('voteOptions must not repeat an option');
  }
  if (model.ingress?.host !== undefined && !HOST.test(model.ingress.host)) {
    throw new InputError(
      `ingress.host must be a DNS name such as vote.example.com; got ${JSON.stringify(
        model.ingress.host.slice(0, 80),
      )}`,
    );
  }
}

function labels(model: ManifestModel) {
  return {
    'app.kubernetes.io/name': model.name,
    'backstage.io/kubernetes-id': model.name,
  };
}

function deployment(model: ManifestModel) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: model.name,
      namespace: model.namespace,
      labels: labels(model),
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': model.name } },
      template: {
        metadata: { labels: labels(model) },
        spec: {
          serviceAccountName: model.serviceAccountName,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'vote',
              image: IMAGE_NAME,
              ports: [{ name: 'http', containerPort: model.port }],
              // Credentials come from the ServiceAccount (IRSA or Pod Identity), never from here.
              env: [
                { name: 'PORT', value: String(model.port) },
                { name: 'AWS_REGION', value: model.region },
                { name: 'DYNAMO_TABLE', value: model.tableName },
                { name: 'VOTE_OPTIONS', value: model.voteOptions.join(',') },
              ],
              readinessProbe: {
                httpGet: { path: '/readyz', port: 'http' },
                periodSeconds: 5,
              },
              livenessProbe: {
                httpGet: { path: '/healthz', port: 'http' },
                periodSeconds: 10,
                failureThreshold: 3,
              },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** Every Kubernetes object of the service, as a Kustomize base. */
export function renderManifests(model: ManifestModel): RenderedFile[] {
  validateManifestModel(model);
  const objects: Record<string, object> = {
    'namespace.yaml': {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: model.namespace },
    },
    'serviceaccount.yaml': {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: model.serviceAccountName,
        namespace: model.namespace,
        labels: labels(model),
        ...(model.credentials === 'irsa'
          ? { annotations: { 'eks.amazonaws.com/role-arn': model.roleArn } }
          : {}),
      },
    },
    'deployment.yaml': deployment(model),
    'service.yaml': {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: model.name,
        namespace: model.namespace,
        labels: labels(model),
      },
      spec: {
        selector: { 'app.kubernetes.io/name': model.name },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    },
  };
  if (model.ingress) {
    objects['ingress.yaml'] = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: model.name,
        namespace: model.namespace,
        labels: labels(model),
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [
          {
            ...(model.ingress.host ? { host: model.ingress.host } : {}),
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: {
                    service: { name: model.name, port: { name: 'http' } },
                  },
                },
              ],
            },
          },
        ],
      },
    };
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: Object.keys(objects),
    // CI pins the image to the commit SHA: kustomize edit set image vote-service=<uri>:<sha>
    images: [
      { name: IMAGE_NAME, newName: model.imageRepository, newTag: 'set-by-ci' },
    ],
  };
  return [
    ...Object.entries(objects).map(([path, object]) => ({
      path,
      content: yaml.stringify(object),
    })),
    { path: 'kustomization.yaml', content: yaml.stringify(kustomization) },
  ];
}

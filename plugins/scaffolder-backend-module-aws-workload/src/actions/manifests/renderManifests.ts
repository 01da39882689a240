import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import { validateName } from '../../validation';
import { APP_SECRET, secretProviderClassName } from './secretProviderClass';

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
  /**
   * The image's name in the manifests, which CI replaces with the
   * repository URI and the commit's tag (`kustomize edit set image`).
   */
  imageName: string;
  tableName: string;
  region: string;
  voteOptions: string[];
  port: number;
  ingress?: IngressModel;
  /** The application secret is mounted (its SecretProviderClass is the infrastructure's). */
  secrets?: boolean;
}

/** An ALB in front of the service, through the AWS Load Balancer Controller. */
export interface IngressModel {
  host?: string;
  /** An ACM certificate: the ALB then listens on HTTPS and redirects HTTP. */
  certificateArn?: string;
  /**
   * The VPC's CIDR. With IP targets the ALB connects to the pods from its
   * own addresses in the VPC: the NetworkPolicy admits this block.
   */
  vpcCidr: string;
}

/**
 * How a pod leaves: the kubelet runs the preStop sleep while the endpoints
 * controller and the ALB stop sending it traffic, then sends SIGTERM; the
 * server stops accepting and finishes in-flight requests within
 * SERVER_SHUTDOWN_SECONDS (the skeleton's src/server.ts forces an exit then).
 */
export const SHUTDOWN = {
  preStopSeconds: 15,
  serverShutdownSeconds: 10,
  get terminationGracePeriodSeconds() {
    return this.preStopSeconds + this.serverShutdownSeconds + 5;
  },
};

export interface RenderedFile {
  path: string;
  content: string;
}

/** An image name as kustomize's images field matches it: one lower-case path. */
const IMAGE_NAME =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const ROLE_ARN =
  /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
const REPOSITORY_URI =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9]+(?:[._\-/][a-z0-9]+)*$/;
const HOST =
  /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE_ARN =
  /^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const IPV4_CIDR =
  /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/([0-9]|[12]\d|3[0-2])$/;

/** Validates the whole model first, so that a bad value writes nothing. */
export function validateManifestModel(model: ManifestModel): void {
  validateName('kubernetesName', 'name', model.name);
  validateName('serviceNamespace', 'namespace', model.namespace);
  if (!IMAGE_NAME.test(model.imageName) || model.imageName.length > 128) {
    throw new InputError(
      `imageName must be an image name of lower-case letters, digits and . _ - / (at most 128), such as vote-service; got ${JSON.stringify(
        model.imageName.slice(0, 80),
      )}`,
    );
  }
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
  if (model.ingress) validateIngress(model.ingress);
}

function validateIngress(options: IngressModel) {
  if (options.host !== undefined && !HOST.test(options.host)) {
    throw new InputError(
      `ingress.host must be a DNS name such as vote.example.com; got ${JSON.stringify(
        options.host.slice(0, 80),
      )}`,
    );
  }
  if (
    options.certificateArn !== undefined &&
    !ACM_CERTIFICATE_ARN.test(options.certificateArn)
  ) {
    throw new InputError(
      `ingress.certificateArn must be an ACM certificate ARN (arn:aws:acm:<region>:<12 digits>:certificate/<uuid>); got ${JSON.stringify(
        options.certificateArn.slice(0, 120),
      )}`,
    );
  }
  if (!IPV4_CIDR.test(options.vpcCidr)) {
    throw new InputError(
      `ingress.vpcCidr must be an IPv4 CIDR block such as 10.0.0.0/16 (the VPC the load balancer runs in); got ${JSON.stringify(
        options.vpcCidr.slice(0, 40),
      )}`,
    );
  }
}

function selector(model: ManifestModel) {
  return { 'app.kubernetes.io/name': model.name };
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
    // No replicas: the HorizontalPodAutoscaler owns the count (an applied
    // count would reset it on every deploy).
    spec: {
      selector: { matchLabels: selector(model) },
      template: {
        metadata: { labels: labels(model) },
        spec: {
          serviceAccountName: model.serviceAccountName,
          terminationGracePeriodSeconds: SHUTDOWN.terminationGracePeriodSeconds,
          // Replicas in different zones, then on different nodes, where the
          // cluster has them; never a reason not to schedule.
          topologySpreadConstraints: [
            'topology.kubernetes.io/zone',
            'kubernetes.io/hostname',
          ].map(topologyKey => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector(model) },
            matchLabelKeys: ['pod-template-hash'],
          })),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'vote',
              image: model.imageName,
              ports: [{ name: 'http', containerPort: model.port }],
              // Credentials come from the ServiceAccount (IRSA or Pod Identity), never from here.
              env: [
                { name: 'PORT', value: String(model.port) },
                { name: 'AWS_REGION', value: model.region },
                { name: 'DYNAMO_TABLE', value: model.tableName },
                { name: 'VOTE_OPTIONS', value: model.voteOptions.join(',') },
                ...(model.secrets
                  ? [
                      {
                        name: APP_SECRET.fileVariable,
                        value: `${APP_SECRET.mountPath}/${APP_SECRET.fileName}`,
                      },
                    ]
                  : []),
              ],
              // Liveness and readiness wait until the server has started.
              startupProbe: {
                httpGet: { path: '/healthz', port: 'http' },
                periodSeconds: 2,
                failureThreshold: 30,
              },
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
              // The sleep action needs no shell in the image (Kubernetes 1.30+).
              lifecycle: {
                preStop: { sleep: { seconds: SHUTDOWN.preStopSeconds } },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                ...(model.secrets
                  ? [
                      {
                        name: APP_SECRET.volumeName,
                        mountPath: APP_SECRET.mountPath,
                        readOnly: true,
                      },
                    ]
                  : []),
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            ...(model.secrets
              ? [
                  {
                    name: APP_SECRET.volumeName,
                    csi: {
                      driver: APP_SECRET.driver,
                      readOnly: true,
                      volumeAttributes: {
                        secretProviderClass: secretProviderClassName(
                          model.name,
                        ),
                      },
                    },
                  },
                ]
              : []),
          ],
        },
      },
    },
  };
}

function metadata(model: ManifestModel) {
  return {
    name: model.name,
    namespace: model.namespace,
    labels: labels(model),
  };
}

function serviceAccount(model: ManifestModel) {
  return {
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
  };
}

function service(model: ManifestModel) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model),
    spec: {
      selector: selector(model),
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
}

/** Voluntary disruptions (node drains, upgrades) keep one pod serving. */
function podDisruptionBudget(model: ManifestModel) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(model),
    spec: {
      minAvailable: 1,
      selector: { matchLabels: selector(model) },
      // A pod that never got ready must not block a drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

/** Two replicas at least, more under load (CPU from metrics-server). */
function horizontalPodAutoscaler(model: ManifestModel) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(model),
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: model.name,
      },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 70 },
          },
        },
      ],
    },
  };
}

/**
 * Only the way in that the service has: the ALB's addresses in the VPC when
 * it has an Ingress (IP targets connect from there), else pods of its own
 * namespace. The kubelet's probes are always admitted. Egress stays open:
 * DynamoDB, STS and the Pod Identity Agent are all called from the pod.
 */
function networkPolicy(model: ManifestModel) {
  const from = model.ingress
    ? [{ ipBlock: { cidr: model.ingress.vpcCidr } }]
    : [{ podSelector: {} }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(model),
    spec: {
      podSelector: { matchLabels: selector(model) },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports: [{ protocol: 'TCP', port: model.port }] }],
    },
  };
}

function ingress(model: ManifestModel, options: IngressModel) {
  const tls = options.certificateArn
    ? {
        'alb.ingress.kubernetes.io/certificate-arn': options.certificateArn,
        'alb.ingress.kubernetes.io/listen-ports':
          '[{"HTTP": 80}, {"HTTPS": 443}]',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
      }
    : {};
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      ...metadata(model),
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
        // The ALB lets go of a pod while it sleeps in preStop.
        'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${SHUTDOWN.preStopSeconds}`,
        ...tls,
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [
        {
          ...(options.host ? { host: options.host } : {}),
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

/**
 * Every Kubernetes object of the service, as a Kustomize base. Only objects
 * of the service's namespace: the namespace itself comes from the
 * infrastructure, so that the deploy role (edit rights in the namespace
 * only) can apply all of it.
 */
export function renderManifests(model: ManifestModel): RenderedFile[] {
  validateManifestModel(model);
  const objects: Record<string, object> = {
    'serviceaccount.yaml': serviceAccount(model),
    'deployment.yaml': deployment(model),
    'service.yaml': service(model),
    'poddisruptionbudget.yaml': podDisruptionBudget(model),
    'horizontalpodautoscaler.yaml': horizontalPodAutoscaler(model),
    'networkpolicy.yaml': networkPolicy(model),
  };
  if (model.ingress) objects['ingress.yaml'] = ingress(model, model.ingress);
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: Object.keys(objects),
    // CI pins the image to the commit SHA: kustomize edit set image <imageName>=<uri>:<sha>
    images: [
      {
        name: model.imageName,
        newName: model.imageRepository,
        newTag: 'set-by-ci',
      },
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

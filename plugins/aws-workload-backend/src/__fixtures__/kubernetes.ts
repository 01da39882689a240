/** Kubernetes API objects as the API server returns them. */
import { ACCOUNT, REGION, roleArn } from './aws';

export const SECRET_ACCESS_KEY =
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzRECOGNISABLESECRET';
export const ACCESS_KEY_ID = 'AKIAZZRECOGNISABLE99';

const image = (name: string) =>
  `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}:3f9c2ab`;
export const RUNNING_DIGEST = `sha256:${'b2'.padEnd(64, '0')}`;

export function deployment(
  name: string,
  namespace: string,
  opts: { serviceAccountName?: string; env?: object[] } = {},
) {
  return {
    metadata: {
      name,
      namespace,
      uid: `uid-${name}`,
      resourceVersion: '4711',
      generation: 1,
      creationTimestamp: '2026-11-01T09:00:00Z',
      labels: { 'backstage.io/kubernetes-id': name, app: name },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { 'backstage.io/kubernetes-id': name, app: name } },
        spec: {
          ...(opts.serviceAccountName
            ? { serviceAccountName: opts.serviceAccountName }
            : {}),
          containers: [
            {
              name: 'vote',
              image: image(name),
              ports: [{ containerPort: 3000, protocol: 'TCP' }],
              env: [{ name: 'DYNAMO_TABLE', value: name }, ...(opts.env ?? [])],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
  };
}

export function podOf(
  dep: ReturnType<typeof deployment>,
  suffix: string,
  injected: object[] = [],
) {
  const { name, namespace } = dep.metadata;
  const spec = dep.spec.template.spec;
  return {
    metadata: {
      name: `${name}-6d8f7c9b5-${suffix}`,
      namespace,
      uid: `uid-pod-${suffix}`,
      labels: {
        ...dep.spec.template.metadata.labels,
        'pod-template-hash': '6d8f7c9b5',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${name}-6d8f7c9b5`,
          uid: 'uid-rs',
          controller: true,
        },
      ],
    },
    spec: {
      ...spec,
      serviceAccountName: spec.serviceAccountName ?? 'default',
      nodeName: 'ip-10-0-1-23.eu-west-3.compute.internal',
      containers: spec.containers.map(c => ({
        ...c,
        env: [...c.env, ...injected],
      })),
    },
    status: {
      phase: 'Running',
      startTime: '2026-11-20T10:00:00Z',
      containerStatuses: [
        {
          name: 'vote',
          ready: true,
          restartCount: 0,
          image: image(name),
          imageID: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}@${RUNNING_DIGEST}`,
        },
      ],
    },
  };
}

export const irsaEnv = (role: string) => [
  { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
  { name: 'AWS_REGION', value: REGION },
  { name: 'AWS_ROLE_ARN', value: roleArn(role) },
  {
    name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
    value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
  },
];

export function serviceAccount(name: string, namespace: string, role?: string) {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      uid: `uid-sa-${name}`,
      resourceVersion: '42',
      creationTimestamp: '2026-11-01T08:00:00Z',
      ...(role
        ? { annotations: { 'eks.amazonaws.com/role-arn': roleArn(role) } }
        : {}),
    },
  };
}

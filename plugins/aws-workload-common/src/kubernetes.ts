/**
 * The parts of Kubernetes objects the classifier reads. Structural, so that
 * objects from `@kubernetes/client-node`, `kubernetes-models` or parsed YAML
 * all fit without this isomorphic package depending on either.
 */

/** @public */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string | Date;
  ownerReferences?: { kind: string; name: string }[];
}

/** @public */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key: string; optional?: boolean };
    configMapKeyRef?: { name?: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string };
  };
}

/** @public */
export interface EnvFromSource {
  prefix?: string;
  secretRef?: { name?: string; optional?: boolean };
  configMapRef?: { name?: string; optional?: boolean };
}

/** @public */
export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
}

/** @public */
export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  volumeMounts?: VolumeMount[];
}

/** @public */
export interface Volume {
  name: string;
  secret?: { secretName?: string; items?: { key: string; path: string }[] };
  configMap?: { name?: string; items?: { key: string; path: string }[] };
  projected?: {
    sources?: {
      secret?: { name?: string; items?: { key: string; path: string }[] };
      configMap?: { name?: string; items?: { key: string; path: string }[] };
      serviceAccountToken?: { audience?: string; path: string };
    }[];
  };
  /** A CSI volume, such as the Secrets Store CSI driver's. */
  csi?: { driver?: string; volumeAttributes?: Record<string, string> };
}

/** @public */
export interface PodSpec {
  serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName that the API still honours. */
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  containers: Container[];
  initContainers?: Container[];
  /** Debug containers added to a running pod (`kubectl debug`). */
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  schedulerName?: string;
}

/** @public */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

/** @public */
export interface Pod {
  metadata: ObjectMeta;
  spec?: PodSpec;
  status?: {
    phase?: string;
    startTime?: string | Date;
    containerStatuses?: {
      name: string;
      image?: string;
      imageID?: string;
      ready?: boolean;
      restartCount?: number;
    }[];
  };
}

/** @public */
export interface ServiceAccount {
  metadata: ObjectMeta;
}

/**
 * A Secret or ConfigMap as far as the classifier may know it: key names only.
 *
 * @public
 */
export interface KeySource {
  kind: 'Secret' | 'ConfigMap';
  namespace: string;
  name: string;
  keys: string[];
  /**
   * For keys whose value is an AWS shared config or credentials file, what
   * it holds; the value itself is never kept. Known offline only.
   */
  fileContents?: Record<string, 'static-keys' | 'credential-process'>;
}

/**
 * An EKS Pod Identity association (ListPodIdentityAssociations + Describe).
 *
 * @public
 */
export interface PodIdentityAssociation {
  namespace: string;
  serviceAccount: string;
  roleArn?: string;
  associationArn?: string;
  associationId?: string;
}

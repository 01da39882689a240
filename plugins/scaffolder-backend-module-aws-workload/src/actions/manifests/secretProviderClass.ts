/**
 * The application secret of a service, from AWS Secrets Manager, mounted
 * into its pods as a file by the Secrets Store CSI driver with the AWS
 * provider, with the pod's own identity (IRSA or Pod Identity): the
 * infrastructure writes the SecretProviderClass (the deploy role's edit
 * rights do not cover it), the manifests mount it.
 */
export const APP_SECRET = {
  /** Where the driver mounts the secret's files in the container. */
  mountPath: '/mnt/secrets',
  /** The file the secret's value is written to. */
  fileName: 'admin-token',
  /** The variable that tells the app where the file is. */
  fileVariable: 'ADMIN_TOKEN_FILE',
  volumeName: 'app-secrets',
  driver: 'secrets-store.csi.k8s.io',
} as const;

/** The secret's name in Secrets Manager. */
export const appSecretName = (service: string) => `${service}-app`;

/** The SecretProviderClass's name in the service's namespace. */
export const secretProviderClassName = (service: string) =>
  `${service}-secrets`;

/** The SecretProviderClass for the AWS provider, as every flavour writes it. */
export function secretProviderClass(options: {
  service: string;
  namespace: string;
  region: string;
  credentials: 'irsa' | 'pod-identity';
}) {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: {
      name: secretProviderClassName(options.service),
      namespace: options.namespace,
      labels: { 'app.kubernetes.io/name': options.service },
    },
    spec: {
      provider: 'aws',
      parameters: {
        region: options.region,
        // Under Pod Identity the provider asks the Pod Identity Agent; under
        // IRSA it exchanges the pod's ServiceAccount token.
        ...(options.credentials === 'pod-identity'
          ? { usePodIdentity: 'true' }
          : {}),
        objects: `- objectName: "${appSecretName(options.service)}"
  objectType: "secretsmanager"
  objectAlias: "${APP_SECRET.fileName}"
`,
      },
    },
  };
}

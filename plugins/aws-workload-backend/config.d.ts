export interface Config {
  /**
   * The aws-workload backend. AWS credentials come from `aws.mainAccount` and
   * `aws.accounts` (@backstage/integration-aws-node); clusters from
   * `kubernetes.clusterLocatorMethods` of type `config` (the Kubernetes plugin's).
   */
  awsWorkload?: {
    /**
     * How long each section stays cached, as a duration string ("5m") or
     * object ({ minutes: 5 }). Defaults: table 5m, images 2m, workloads 30s,
     * IAM (roles, policies, OIDC providers) 5m, EKS (clusters, associations) 10m.
     * @visibility backend
     */
    cacheTtl?: {
      /** @visibility backend */
      table?: string | { seconds?: number; minutes?: number; hours?: number };
      /** @visibility backend */
      images?: string | { seconds?: number; minutes?: number; hours?: number };
      /** @visibility backend */
      workloads?:
        | string
        | { seconds?: number; minutes?: number; hours?: number };
      /** @visibility backend */
      iam?: string | { seconds?: number; minutes?: number; hours?: number };
      /** @visibility backend */
      eks?: string | { seconds?: number; minutes?: number; hours?: number };
    };
    /**
     * Timeout of one upstream HTTP call (AWS or Kubernetes), in milliseconds.
     * Default 5000. Throttled AWS calls are retried by the SDK with backoff,
     * up to `maxAttempts` attempts in all (default 3).
     * @visibility backend
     */
    upstreamTimeoutMs?: number;
    /** @visibility backend */
    maxAttempts?: number;
    /**
     * How many ECR images the images section returns, newest first. Default 20.
     * @visibility backend
     */
    maxImages?: number;
    /**
     * Call iam:SimulatePrincipalPolicy for the check "policy-allows-table",
     * which also accounts for permission boundaries. Default true; where the
     * call is denied, the local policy evaluation answers.
     * @visibility backend
     */
    simulatePolicies?: boolean;
    /**
     * Endpoint overrides per AWS service, for local emulators only
     * (dynalite, LocalStack). Never set them in production.
     * @visibility backend
     */
    endpoints?: {
      /** @visibility backend */
      dynamodb?: string;
      /** @visibility backend */
      ecr?: string;
      /** @visibility backend */
      eks?: string;
      /** @visibility backend */
      iam?: string;
      /** @visibility backend */
      sts?: string;
    };
    /**
     * Marks every answer as demo data (`demo: true`), for the local demo.
     * @visibility backend
     */
    demo?: boolean;
  };
}

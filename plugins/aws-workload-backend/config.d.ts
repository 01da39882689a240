import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
     * How often one caller may re-check one entity (the "Re-check" button:
     * every upstream read anew, behind the permission
     * aws-workload.entity.refresh), as a duration. Default 30 seconds.
     * @visibility backend
     */
    recheckInterval?:
      | string
      | { seconds?: number; minutes?: number; hours?: number };
    /**
     * Timeout of one upstream HTTP call (AWS or Kubernetes), in milliseconds.
     * Default 5000.
     * @visibility backend
     */
    upstreamTimeoutMs?: number;
    /**
     * Attempts per AWS call for the entity page, the first included (default
     * 3, at most 20): throttled and transient failures are retried by the
     * plugin's request gate, with exponential backoff and jitter; the AWS
     * SDK's own retries are off, so this is the bound.
     * @visibility backend
     */
    callAttempts?: number;
    /**
     * The old name of callAttempts, still read (with a warning at start).
     * @deprecated Use awsWorkload.callAttempts.
     * @visibility backend
     */
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
      /** @visibility backend */
      secretsmanager?: string;
    };
    /**
     * Upstream calls in flight at once per AWS account (and per Kubernetes
     * cluster). Default 20. The fleet refresh has its own budget of the same size.
     * @visibility backend
     */
    maxConcurrentPerAccount?: number;
    /**
     * A steady pace per account and service, in requests per second, for
     * services whose quota you know (e.g. { iam: 15 }). Unset: no pace, and
     * throttled calls are retried with backoff.
     * @visibility backend
     */
    requestsPerSecond?: {
      /** @visibility backend */
      dynamodb?: number;
      /** @visibility backend */
      ecr?: number;
      /** @visibility backend */
      eks?: number;
      /** @visibility backend */
      iam?: number;
      /** @visibility backend */
      secretsmanager?: number;
      /** @visibility backend */
      kubernetes?: number;
    };
    /**
     * The fleet view: a scheduled refresh of every annotated entity's posture,
     * stored in the plugin's database and served at /api/aws-workload/fleet.
     * @visibility backend
     */
    fleet?: {
      /**
       * Run the scheduled refresh on this instance. Default true. The route
       * serves what is stored either way.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * When the refresh runs. Default: every 10 minutes, timeout 5 minutes,
       * first run 30 seconds after start. One instance runs it per interval.
       * @visibility backend
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Attempts per throttled upstream call during a refresh, the first
       * included, with exponential backoff. Default 8, at most 30.
       * @visibility backend
       */
      throttledCallAttempts?: number;
      /**
       * The old name of throttledCallAttempts, still read (with a warning).
       * @deprecated Use awsWorkload.fleet.throttledCallAttempts.
       * @visibility backend
       */
      maxAttempts?: number;
      /**
       * Memory for the fleet route's shared answers (each caller's answer to
       * each query, kept a few seconds), in MiB. Default 64. Bounded by bytes:
       * many distinct queries cannot grow the process past it.
       * @visibility backend
       */
      answerCacheMiB?: number;
      /**
       * How long a role's policy simulation is reused when nothing that
       * decides it changed (its policies' documents, its permissions
       * boundary, the tables and actions asked about). Every role is
       * simulated again after this long anyway: organization SCPs are not in
       * what the refresh reads. Default 24 hours.
       * @visibility backend
       */
      resimulateInterval?:
        | string
        | { minutes?: number; hours?: number; days?: number };
    };
    /**
     * The fleet's history: each entity's changes of modes or failing checks,
     * and daily counts per mode and per failing check.
     * @visibility backend
     */
    history?: {
      /**
       * Days kept; older rows are deleted by the refresh. Default 90.
       * @visibility backend
       */
      retentionDays?: number;
    };
    /**
     * Notifications to an entity's owners when a fleet refresh finds its
     * posture changed, through the notifications plugin (which the portal
     * installs). None on the first refresh, none from a stale section.
     * @visibility backend
     */
    notifications?: {
      /**
       * Send them. Default true; false turns them off.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * The changes to notify about: static-keys (newly using static keys,
       * severity high), newly-failing (a check newly failing, normal),
       * healed (every check passing again, low). Default: all three.
       * @visibility backend
       */
      kinds?: Array<'static-keys' | 'newly-failing' | 'healed'>;
    };
    /**
     * Marks every answer as demo data (`demo: true`), for the local demo.
     * @visibility backend
     */
    demo?: boolean;
    /**
     * Opt-in limits on what an entity's annotations may make the backend
     * read. A breach is the entity's own InputError; nothing is looked up.
     * @visibility backend
     */
    guard?: {
      /**
       * Per cluster (config name or EKS name): the namespaces an entity may
       * name. An entity that names none ("every namespace") is refused there.
       * @visibility backend
       */
      clusters?: Array<{
        /** The cluster's config name or EKS name. @visibility backend */
        name: string;
        /** @visibility backend */
        namespaces: string[];
      }>;
      /**
       * Per AWS account id: the name prefixes of the tables and repositories
       * an entity may name.
       * @visibility backend
       */
      accounts?: Array<{
        /** @visibility backend */
        accountId: string;
        /** @visibility backend */
        tablePrefixes?: string[];
        /** @visibility backend */
        repositoryPrefixes?: string[];
      }>;
      /**
       * Refuse label selectors without a key=value or key in (…) term (for
       * example a bare `backstage.io/kubernetes-id` or `!key`): they match
       * every labelled pod. Default false.
       * @visibility backend
       */
      refuseMatchAllSelectors?: boolean;
    };
  };
}

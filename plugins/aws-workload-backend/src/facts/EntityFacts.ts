import {
  ClassifyContext,
  IamRoleFacts,
  ImageInfo,
  Lookup,
  OidcProviderFacts,
  SecretAccess,
  Section,
  TableAccess,
  TableInfo,
  WorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import { Entity } from '@backstage/catalog-model';

/**
 * What was read about how one workload's pods get AWS credentials: the role,
 * what it may do on the entity's table, the cluster's OIDC issuer and its IAM
 * provider (IRSA), and the secrets the pods mount. Read only for workloads
 * that run as a role (IRSA or Pod Identity).
 */
export interface CredentialFacts {
  role: Lookup<IamRoleFacts>;
  /** Absent when the entity names no table. */
  table?: TableAccess;
  /** IRSA only: the issuer the cluster's tokens carry. */
  oidcIssuer?: Lookup<string>;
  /** IRSA only: the account's IAM OIDC provider for that issuer. */
  oidcProvider?: Lookup<OidcProviderFacts>;
  /** Absent when the pods mount no secrets or none can be read. */
  secrets?: SecretAccess[];
}

/** One workload as read from one cluster, before it is judged. */
export interface WorkloadFacts {
  /** The cluster's name in the Kubernetes plugin's config. */
  cluster: string;
  /** The EKS cluster's own name, which the fixes name. */
  eksCluster: string;
  /** The workload object (or bare pod) and the pods it owns. */
  input: WorkloadInput;
  /** What the classifier reads besides the workload, where it was readable. */
  context: ClassifyContext;
  /** The Pod Identity association of the workload's ServiceAccount. */
  association?: Lookup<{ roleArn?: string; associationArn?: string }>;
  /** Read for workloads that run as a role; absent otherwise. */
  credentials?: CredentialFacts;
}

/**
 * Everything read about one entity: plain data, no clients, no credentials.
 * Each section is read on its own, so one failing upstream is that section's
 * error only; the assessment turns these facts into the entity view.
 */
export interface EntityFacts {
  entityRef: string;
  table: Section<TableInfo>;
  images: Section<ImageInfo[]>;
  workloads: Section<WorkloadFacts[]>;
  /** The entity's table and actions, when its annotations name them well. */
  tableRef?: { tableArn: string; actions: string[] };
}

/**
 * Reads the facts of entities. Two implementations: one entity at a time
 * through the shared caches (the entity page), and the whole fleet at once
 * from cluster snapshots and per-account IAM reads (the fleet refresh).
 */
export interface FactCollector {
  /** The facts of each entity, in the order given. */
  collect(entities: Entity[]): Promise<EntityFacts[]>;
}

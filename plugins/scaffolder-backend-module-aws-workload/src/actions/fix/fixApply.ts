import { partitionOfRegion } from '@aws-workload/plugin-aws-workload-common';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createTwoFilesPatch } from 'diff';
import fs from 'node:fs/promises';
import path from 'node:path';
import { validateName } from '../../validation';
import { examples } from './fixApply.examples';
import { formatTerraform } from '../iac/terraform/renderTerraform';
import { fixInfrastructure, RepositoryFiles } from './infrastructure';
import { fixManifests } from './manifests';

/** The fixes a pull request can carry, and the mode each one ends in. */
export const FIXES = {
  'static-keys': 'Move the workload off static keys',
  'irsa-trust': "Repair the IRSA role's trust policy",
  'irsa-to-pod-identity': 'Migrate from IRSA to EKS Pod Identity',
} as const;

export type FixKind = keyof typeof FIXES;

const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'cdk.out', '.terraform']);
/** Larger files are not sources a fix edits. */
const MAX_FILE_BYTES = 1024 * 1024;

async function readRepository(
  root: string,
  dir = root,
): Promise<RepositoryFiles> {
  const files: RepositoryFiles = new Map();
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) {
      for (const [p, c] of await readRepository(root, full)) files.set(p, c);
    } else if (entry.isFile() && (await fs.stat(full)).size <= MAX_FILE_BYTES) {
      const content = await fs.readFile(full, 'utf8');
      if (!content.includes('\u0000')) {
        files.set(path.relative(root, full).split(path.sep).join('/'), content);
      }
    }
  }
  return files;
}

/** Paths whose content differs, was added or was removed. */
function changedPaths(before: RepositoryFiles, after: RepositoryFiles) {
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter(p => before.get(p) !== after.get(p))
    .sort();
}

/** One unified diff of every change, as `git diff` prints it. */
export function unifiedDiff(
  before: RepositoryFiles,
  after: RepositoryFiles,
): string {
  return changedPaths(before, after)
    .map(p =>
      createTwoFilesPatch(
        before.has(p) ? `a/${p}` : '/dev/null',
        after.has(p) ? `b/${p}` : '/dev/null',
        before.get(p) ?? '',
        after.get(p) ?? '',
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, ''),
    )
    .join('');
}

/** What the fix is asked to do, validated. */
export interface FixRequest {
  fix: FixKind;
  target?: 'irsa' | 'pod-identity';
  name: string;
  workload?: string;
  namespace: string;
  owner: string;
  entityRef: string;
  awsAccountId: string;
  awsRegion: string;
  clusterName: string;
  oidcIssuer?: string;
  oidcProviderRegistered?: boolean;
}

const modeOf = (request: FixRequest): 'irsa' | 'pod-identity' => {
  if (request.fix === 'static-keys') return request.target ?? 'irsa';
  return request.fix === 'irsa-trust' ? 'irsa' : 'pod-identity';
};

/**
 * The repository after the fix, computed in memory; throws InputError
 * naming the field when the repository or a value does not allow it.
 */
export function planFix(
  files: RepositoryFiles,
  request: FixRequest,
): { files: RepositoryFiles; notes: string[] } {
  validateName('kubernetesName', 'name', request.name);
  validateName('serviceNamespace', 'namespace', request.namespace);
  validateName('awsAccountId', 'awsAccountId', request.awsAccountId);
  validateName('awsRegion', 'awsRegion', request.awsRegion);
  validateName('eksClusterName', 'clusterName', request.clusterName);
  const credentials = modeOf(request);
  const { partition } = partitionOfRegion(request.awsRegion);
  const roleArn = `arn:${partition}:iam::${request.awsAccountId}:role/${request.name}-service`;
  const manifests = fixManifests(files, {
    workload: request.workload ?? request.name,
    namespace: request.namespace,
    credentials,
    roleArn,
  });
  const fixed = fixInfrastructure(manifests.files, {
    credentials,
    name: request.name,
    owner: request.owner,
    entityRef: request.entityRef,
    accountId: request.awsAccountId,
    region: request.awsRegion,
    namespace: request.namespace,
    serviceAccountName: manifests.serviceAccount,
    clusterName: request.clusterName,
    oidcIssuer: request.oidcIssuer,
    oidcProviderRegistered: request.oidcProviderRegistered,
  });
  const infrastructure = changedPaths(manifests.files, fixed).map(
    p =>
      `${p}: ${
        credentials === 'irsa'
          ? `the role's trust names ServiceAccount ${request.namespace}/${manifests.serviceAccount} through the cluster's OIDC provider`
          : `the role trusts pods.eks.amazonaws.com and an association binds ServiceAccount ${request.namespace}/${manifests.serviceAccount} to it`
      }`,
  );
  return { files: fixed, notes: [...manifests.notes, ...infrastructure] };
}

/** Terraform files the fix changed, as `terraform fmt` writes them; others as they were. */
async function formatChangedTerraform(
  before: RepositoryFiles,
  after: RepositoryFiles,
): Promise<RepositoryFiles> {
  const formatted = new Map(after);
  for (const file of changedPaths(before, after)) {
    const content = after.get(file);
    if (file.endsWith('.tf') && content !== undefined) {
      const [result] = await formatTerraform([{ path: file, content }]);
      formatted.set(file, result.content);
    }
  }
  return formatted;
}

async function writeChanges(
  workspace: string,
  before: RepositoryFiles,
  after: RepositoryFiles,
) {
  for (const p of changedPaths(before, after)) {
    const target = resolveSafeChildPath(workspace, p);
    const content = after.get(p);
    if (content === undefined) {
      await fs.rm(target);
    } else {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content);
    }
  }
}

function describePullRequest(request: FixRequest, notes: string[]): string {
  const mode = modeOf(request) === 'irsa' ? 'IRSA' : 'EKS Pod Identity';
  return [
    `${FIXES[request.fix]} (${request.entityRef}): pods of ${
      request.workload ?? request.name
    } get AWS credentials through ${mode}.`,
    '',
    ...notes.map(n => `- ${n}`),
    '',
    'Opened from the AWS tab of the entity in Backstage. Apply the infrastructure first, then the manifests; pods pick up the new identity when they restart.',
  ].join('\n');
}

/**
 * Edits an entity's source repository to move its workload off static keys,
 * repair its IRSA trust or migrate it to Pod Identity, in the repository's
 * own IaC flavour; outputs the diff (what a dry run shows).
 *
 * @public
 */
export function createFixApplyAction() {
  return createTemplateAction({
    id: 'aws-workload:fix:apply',
    description:
      "Edits a service repository laid out as the vote-service template generates it (infra/terraform|cdk|ack, k8s/) so that its workload gets AWS credentials through IRSA or EKS Pod Identity: removes static keys from its manifests and the Secrets that held them, annotates or un-annotates its ServiceAccount, and rewrites the service role's trust, OIDC provider and Pod Identity association in the repository's flavour. Outputs the unified diff, a pull request title, body and branch name. Writes nothing when the result would still carry static keys.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        fix: z =>
          z
            .enum(['static-keys', 'irsa-trust', 'irsa-to-pod-identity'])
            .describe(
              'static-keys: move off static keys; irsa-trust: repair the IRSA trust; irsa-to-pod-identity: migrate to Pod Identity',
            ),
        target: z =>
          z
            .enum(['irsa', 'pod-identity'])
            .optional()
            .describe(
              'With static-keys: the mode to move to (default irsa); the other fixes imply theirs',
            ),
        name: z =>
          z
            .string()
            .describe(
              'The service name the repository was generated with: its role is <name>-service',
            ),
        workload: z =>
          z
            .string()
            .optional()
            .describe(
              'The workload (Deployment, ...) to fix; defaults to name',
            ),
        namespace: z =>
          z.string().describe('The Kubernetes namespace of the workload'),
        owner: z =>
          z.string().describe('The entity owner, tagged on new AWS resources'),
        entityRef: z =>
          z.string().describe('The entity ref, tagged on new AWS resources'),
        awsAccountId: z =>
          z.string().describe('The 12-digit AWS account of the role'),
        awsRegion: z => z.string().describe('The AWS region of the cluster'),
        clusterName: z => z.string().describe('The EKS name of the cluster'),
        oidcIssuer: z =>
          z
            .string()
            .optional()
            .describe(
              "The cluster's OIDC issuer URL; for IRSA where the repository does not name it",
            ),
        oidcProviderRegistered: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Whether the issuer is registered in IAM; used where the repository neither declares nor references the provider',
            ),
      },
      output: {
        diff: z => z.string().describe('The changes, as a unified diff'),
        changedFiles: z =>
          z.array(z.string()).describe('The paths changed, added or removed'),
        title: z => z.string().describe('A pull request title'),
        description: z =>
          z.string().describe('A pull request body: what changed and why'),
        branchName: z => z.string().describe('A branch name for the change'),
      },
    },
    async handler(ctx) {
      const request = ctx.input as FixRequest;
      const before = await readRepository(ctx.workspacePath);
      const planned = planFix(before, request);
      const after = await formatChangedTerraform(before, planned.files);
      const notes = planned.notes;
      const changed = changedPaths(before, after);
      if (changed.length === 0) {
        throw new InputError(
          `Nothing to change: the repository already gives ${
            request.workload ?? request.name
          } its credentials this way. If the entity page still shows the problem, what runs differs from the repository: apply it (terraform apply, cdk deploy or kubectl apply -k), then re-check.`,
        );
      }
      await writeChanges(ctx.workspacePath, before, after);
      const workload = request.workload ?? request.name;
      ctx.output('diff', unifiedDiff(before, after));
      ctx.output('changedFiles', changed);
      ctx.output('title', `${FIXES[request.fix]}: ${workload}`);
      ctx.output('description', describePullRequest(request, notes));
      ctx.output('branchName', `aws-workload/${request.fix}-${workload}`);
    },
  });
}

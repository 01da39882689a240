import { InputError } from '@backstage/errors';
import path from 'node:path';
import yaml from 'yaml';
import { cdkStackFile, IacModel } from '../iac/model';
import { renderAck } from '../iac/ack/renderAck';
import { renderCdk } from '../iac/cdk/renderCdk';
import { renderTerraform } from '../iac/terraform/renderTerraform';
import {
  joinUnits,
  statementUnits,
  swapUnits,
  terraformUnits,
  TextUnit,
} from './textUnits';

/** A repository's text files, by path relative to its root. */
export type RepositoryFiles = Map<string, string>;

/** Where the service's pods should get their AWS identity from, and as whom. */
export interface IdentityTarget {
  credentials: 'irsa' | 'pod-identity';
  /** The service's name: its role is `<name>-service`, as generated. */
  name: string;
  owner: string;
  entityRef: string;
  accountId: string;
  region: string;
  namespace: string;
  serviceAccountName: string;
  clusterName: string;
  /** Needed for IRSA on an existing cluster, where the repository does not say it. */
  oidcIssuer?: string;
  /** Used where the repository neither declares nor references the provider. */
  oidcProviderRegistered?: boolean;
}

export type Flavour = 'terraform' | 'cdk' | 'ack';

/** The file that declares the service role, in the flavour it is written in. */
export interface IdentityFile {
  flavour: Flavour;
  path: string;
}

const SERVICE_ROLE: Record<Flavour, RegExp> = {
  terraform: /^resource\s+"aws_iam_role"\s+"service"\s*\{/m,
  cdk: /new iam\.Role\(this, 'ServiceRole'/,
  ack: /^kind: Role\s*$[\s\S]*?^\s+name: \S+-service\s*$/m,
};

const FLAVOUR_OF: [RegExp, Flavour][] = [
  [/\.tf$/, 'terraform'],
  [/\.ts$/, 'cdk'],
  [/\.ya?ml$/, 'ack'],
];

/** The file under infra/ that declares the service role, and its flavour. */
export function findIdentityFile(files: RepositoryFiles): IdentityFile {
  for (const [file, content] of files) {
    if (!file.startsWith('infra/')) continue;
    const flavour = FLAVOUR_OF.find(([pattern]) => pattern.test(file))?.[1];
    if (flavour && SERVICE_ROLE[flavour].test(content)) {
      return { flavour, path: file };
    }
  }
  throw new InputError(
    'The repository has no service role under infra/ (aws_iam_role.service in Terraform, the ServiceRole of a CDK stack, or an ACK Role named <name>-service): this fix edits repositories laid out as the vote-service template generates them. Apply the fixes shown on the entity page by hand instead.',
  );
}

const ISSUER_IN_TEXT =
  /oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/id\/[A-Z0-9]{8,64}/;
const PROVIDER_DECLARED =
  /resource\s+"aws_iam_openid_connect_provider"\s+"cluster"|new iam\.OpenIdConnectProvider\(this, 'ClusterOidc'|^kind: OpenIDConnectProvider\s*$/m;
const PROVIDER_REFERENCED =
  /oidc_provider_arn\s*=\s*"arn:|fromOpenIdConnectProviderArn\(this, 'ClusterOidc'|Federated"?\s*:\s*"arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/oidc\.eks/;
const CREATES_CLUSTER =
  /^module\s+"eks"\s*\{|new eks\.Cluster\(this, 'Cluster'/m;

/** The flavour's files, joined: what the repository says about its cluster. */
function infrastructureText(files: RepositoryFiles, dir: string): string {
  return [...files]
    .filter(([file]) => file.startsWith(`${dir}/`))
    .map(([, content]) => content)
    .join('\n');
}

/**
 * The typed model the generator would render for the target, with the
 * cluster as the repository has it: created there, or existing with its
 * OIDC provider declared, referenced, or (failing both) as the lookup said.
 */
export function targetModel(
  target: IdentityTarget,
  files: RepositoryFiles,
  identity: IdentityFile,
): IacModel {
  const text = infrastructureText(files, path.posix.dirname(identity.path));
  const base = {
    name: target.name,
    owner: target.owner,
    entityRef: target.entityRef,
    accountId: target.accountId,
    region: target.region,
    // Neither appears in the identity units; the renderers want valid ones.
    tableName: target.name,
    repositoryName: target.name,
    namespace: target.namespace,
    serviceAccountName: target.serviceAccountName,
    credentials: target.credentials,
    tableActions: ['dynamodb:GetItem'],
    github: { owner: 'unused', repo: 'unused' },
  };
  if (CREATES_CLUSTER.test(text)) {
    return {
      ...base,
      cluster: {
        mode: 'create',
        name: target.clusterName,
        kubernetesVersion: '1.33',
      },
    };
  }
  const found = ISSUER_IN_TEXT.exec(text)?.[0];
  const issuer =
    target.oidcIssuer || (found ? `https://${found}` : undefined) || '';
  if (target.credentials === 'irsa' && !issuer) {
    throw new InputError(
      `oidcIssuer: IRSA needs the OIDC issuer URL of cluster ${target.clusterName}, and ${identity.path} does not name it; give it (aws eks describe-cluster --name ${target.clusterName} --query cluster.identity.oidc.issuer).`,
    );
  }
  let registered = target.oidcProviderRegistered ?? false;
  if (PROVIDER_DECLARED.test(text)) registered = false;
  else if (PROVIDER_REFERENCED.test(text)) registered = true;
  return {
    ...base,
    cluster: {
      mode: 'existing',
      name: target.clusterName,
      // Pod Identity renders no issuer; the model still wants a valid one.
      oidcIssuer:
        issuer ||
        `https://oidc.eks.${target.region}.amazonaws.com/id/00000000000000000000000000000000`,
      oidcProviderRegistered: registered,
    },
  };
}

const rendered = (files: { path: string; content: string }[], name: string) =>
  files.find(f => f.path === name)?.content ?? '';

/** The cluster locals of a Terraform `locals` block, swapped for the target's. */
function swapClusterLocals(current: string, target: string): string {
  const CLUSTER_LOCAL =
    /^\s+(cluster_name|oidc_issuer_host|oidc_provider_arn)\s*=/;
  const wanted = target.split('\n').filter(l => CLUSTER_LOCAL.test(l));
  const lines = current.split('\n');
  const first = lines.findIndex(l => CLUSTER_LOCAL.test(l));
  const kept = lines.filter(l => !CLUSTER_LOCAL.test(l));
  const at = first < 0 ? kept.length - 1 : first;
  kept.splice(at, 0, ...wanted);
  return kept.join('\n');
}

const TERRAFORM_OWNED = [
  'resource.aws_iam_openid_connect_provider.cluster',
  'data.aws_iam_policy_document.service_trust',
  'resource.aws_eks_pod_identity_association.service',
];

function fixTerraform(content: string, model: IacModel): string {
  const target = terraformUnits(rendered(renderTerraform(model), 'main.tf'));
  const targetLocals = target.find(u => u.key === 'locals')?.text ?? '';
  const swapped = swapUnits(
    terraformUnits(content),
    target,
    TERRAFORM_OWNED,
    'resource.aws_iam_role.service',
  ).map(
    (u): TextUnit =>
      u.key === 'locals'
        ? { key: u.key, text: swapClusterLocals(u.text, targetLocals) }
        : u,
  );
  return joinUnits(swapped);
}

const CDK_STATEMENTS = {
  serviceRole: /^ {4}const serviceRole = new iam\.Role\(this, 'ServiceRole'/,
  podIdentity: /^ {4}new eks\.CfnPodIdentityAssociation\(this, 'PodIdentity'/,
  podIdentityAgent: /^ {4}new eks\.Addon\(this, 'PodIdentityAgent'/,
};

function fixCdk(content: string, model: IacModel): string {
  const target = rendered(renderCdk(model), cdkStackFile(model));
  return joinUnits(
    swapUnits(
      statementUnits(content, CDK_STATEMENTS),
      statementUnits(target, CDK_STATEMENTS),
      Object.keys(CDK_STATEMENTS),
      'serviceRole',
    ),
  );
}

/** ACK files that exist only in one mode: added or removed with it. */
const ACK_MODE_FILES = ['oidc-provider.yaml', 'pod-identity-association.yaml'];

function fixAck(
  files: RepositoryFiles,
  rolePath: string,
  model: IacModel,
): RepositoryFiles {
  const dir = path.posix.dirname(rolePath);
  const target = renderAck(model);
  const targetRole = yaml.parse(rendered(target, 'role.yaml'));
  const next = new Map(files);
  const role = yaml.parseDocument(files.get(rolePath)!);
  role.setIn(
    ['spec', 'assumeRolePolicyDocument'],
    targetRole.spec.assumeRolePolicyDocument,
  );
  next.set(rolePath, role.toString());
  const kustomizationPath = `${dir}/kustomization.yaml`;
  const kustomization = yaml.parseDocument(
    files.get(kustomizationPath) ?? 'resources: []\n',
  );
  const resources = new Set<string>(
    (kustomization.get('resources') as yaml.YAMLSeq | undefined)
      ?.toJSON()
      ?.map(String) ?? [],
  );
  for (const file of ACK_MODE_FILES) {
    const content = target.find(f => f.path === file)?.content;
    if (content) {
      if (!files.has(`${dir}/${file}`)) next.set(`${dir}/${file}`, content);
      resources.add(file);
    } else {
      next.delete(`${dir}/${file}`);
      resources.delete(file);
    }
  }
  kustomization.set('resources', [...resources]);
  next.set(kustomizationPath, kustomization.toString());
  return next;
}

/**
 * The repository with its service role's trust, its OIDC provider and its
 * Pod Identity association as the generator writes them for the target, in
 * the flavour it already uses. Nothing else in the files changes.
 */
export function fixInfrastructure(
  files: RepositoryFiles,
  target: IdentityTarget,
): RepositoryFiles {
  const identity = findIdentityFile(files);
  const model = targetModel(target, files, identity);
  if (identity.flavour === 'ack') return fixAck(files, identity.path, model);
  const content = files.get(identity.path)!;
  const fixed =
    identity.flavour === 'terraform'
      ? fixTerraform(content, model)
      : fixCdk(content, model);
  return new Map(files).set(identity.path, fixed);
}

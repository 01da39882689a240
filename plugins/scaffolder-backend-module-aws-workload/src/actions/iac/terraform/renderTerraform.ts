import { format } from '@cdktf/hcl-tools';
import yaml from 'yaml';
import {
  codeNamesOf,
  IacModel,
  IacPolicyDocument,
  IacRefName,
  issuerHost,
  modelArns,
  RenderedFile,
  serviceNamespace,
  servicePolicies,
  splitRefs,
  validateIacModel,
} from '../model';
import {
  appSecretName,
  secretProviderClass,
} from '../../manifests/secretProviderClass';

/**
 * An HCL string literal. Values are validated before they get here; this
 * also escapes quotes, backslashes and template sequences, so that nothing
 * can end the string or start an interpolation.
 */
export function q(value: string): string {
  // In a replacement string "$$" is one "$": this writes HCL's "$${" escape.
  return JSON.stringify(value).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

const list = (values: string[]) => `[${values.map(q).join(', ')}]`;

/** What each reference of the policies is in this configuration. */
function terraformRefs(model: IacModel): Record<IacRefName, string> {
  return {
    tableArn: `aws_dynamodb_table.${codeNamesOf(model).table}.arn`,
    repositoryArn: 'aws_ecr_repository.service.arn',
    secretArn: 'aws_secretsmanager_secret.app.arn',
    clusterArn: `join("", [${q(
      modelArns(model).clusters,
    )}, local.cluster_name])`,
    clusterOidcProviderArn: 'local.oidc_provider_arn',
    clusterOidcIssuerHost: 'local.oidc_issuer_host',
    githubOidcProviderArn: 'data.aws_iam_openid_connect_provider.github.arn',
  };
}

/**
 * An HCL expression for a policy value: the reference alone where it is
 * one, else a string whose literal parts are escaped and whose references
 * are interpolated.
 */
function hclValue(value: string, refs: Record<IacRefName, string>): string {
  const parts = splitRefs(value);
  if (parts.length === 1 && 'ref' in parts[0]) return refs[parts[0].ref];
  return `"${parts
    .map(part =>
      'ref' in part ? `\${${refs[part.ref]}}` : q(part.text).slice(1, -1),
    )
    .join('')}"`;
}

/** One of the service's IAM documents as an `aws_iam_policy_document` data source. */
function policyDocumentTf(
  name: string,
  policy: IacPolicyDocument,
  refs: Record<IacRefName, string>,
): string {
  const values = (items: string[]) =>
    `[${items.map(v => hclValue(v, refs)).join(', ')}]`;
  const statements = policy.Statement.map(statement => {
    const lines = [
      ...(statement.Sid ? [`sid = ${q(statement.Sid)}`] : []),
      `effect = ${q(statement.Effect)}`,
      `actions = ${values(statement.Action)}`,
      ...(statement.Resource
        ? [`resources = ${values(statement.Resource)}`]
        : []),
      ...Object.entries(statement.Principal ?? {}).map(
        ([type, identifiers]) =>
          `principals {\n      type = ${q(type)}\n      identifiers = ${values(
            identifiers,
          )}\n    }`,
      ),
      ...Object.entries(statement.Condition ?? {}).flatMap(([test, keys]) =>
        Object.entries(keys).map(
          ([variable, conditionValues]) =>
            `condition {\n      test = ${q(test)}\n      variable = ${hclValue(
              variable,
              refs,
            )}\n      values = ${values(conditionValues)}\n    }`,
        ),
      ),
    ];
    return `  statement {\n    ${lines.join('\n    ')}\n  }`;
  });
  return `data "aws_iam_policy_document" ${q(name)} {\n${statements.join(
    '\n',
  )}\n}\n`;
}

function tagsBlock(model: IacModel) {
  return `{
    owner                = ${q(model.owner)}
    "backstage.io/entity" = ${q(model.entityRef)}
    "app.kubernetes.io/name" = ${q(model.name)}
  }`;
}

function versionsTf() {
  return `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
  }

  # Keep the state in a remote backend before the first apply: fill this in
  # (bucket, key, region; and use_lockfile = true), then run terraform init.
  # backend "s3" {
  #   bucket       = "<state bucket>"
  #   key          = "<service>/terraform.tfstate"
  #   region       = "<region>"
  #   use_lockfile = true
  # }
}
`;
}

function clusterLocals(model: IacModel) {
  if (model.cluster.mode === 'create') {
    return `  cluster_name      = module.eks.cluster_name
  oidc_issuer_host  = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
  oidc_provider_arn = module.eks.oidc_provider_arn`;
  }
  // Pod Identity reads no issuer: naming the provider here would reference
  // a resource that is only declared for IRSA.
  if (model.credentials === 'pod-identity') {
    return `  cluster_name = ${q(model.cluster.name)}`;
  }
  const host = issuerHost(model.cluster.oidcIssuer);
  const provider = model.cluster.oidcProviderRegistered
    ? q(modelArns(model).oidcProvider(host))
    : 'aws_iam_openid_connect_provider.cluster.arn';
  return `  cluster_name      = ${q(model.cluster.name)}
  oidc_issuer_host  = ${q(host)}
  oidc_provider_arn = ${provider}`;
}

function serviceTrust(model: IacModel) {
  const trust = policyDocumentTf(
    'service_trust',
    servicePolicies(model).serviceTrust,
    terraformRefs(model),
  );
  if (model.credentials === 'pod-identity') {
    return `${trust}
resource "aws_eks_pod_identity_association" "service" {
  cluster_name    = local.cluster_name
  namespace       = ${q(model.namespace)}
  service_account = ${q(model.serviceAccountName)}
  role_arn        = aws_iam_role.service.arn
  tags            = local.tags
}
`;
  }
  return trust;
}

function oidcProviderTf(model: IacModel) {
  if (
    model.cluster.mode !== 'existing' ||
    model.cluster.oidcProviderRegistered ||
    model.credentials !== 'irsa'
  )
    return '';
  return `# The cluster's OIDC issuer is not registered in IAM yet: IRSA needs it.
resource "aws_iam_openid_connect_provider" "cluster" {
  url            = ${q(model.cluster.oidcIssuer)}
  client_id_list = ["sts.amazonaws.com"]
  tags           = local.tags
}

`;
}

function clusterTf(model: IacModel) {
  if (model.cluster.mode !== 'create') return undefined;
  const addons =
    model.credentials === 'pod-identity'
      ? `
  addons = {
    eks-pod-identity-agent = {}
    vpc-cni                = { before_compute = true }
    coredns                = {}
    kube-proxy             = {}
  }`
      : '';
  return `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name            = ${q(`${model.cluster.name}-vpc`)}
  cidr            = "10.0.0.0/16"
  azs             = ${list(
    ['a', 'b', 'c'].map(zone => `${model.region}${zone}`),
  )}
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true

  public_subnet_tags  = { "kubernetes.io/role/elb" = 1 }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = 1 }
  tags                = local.tags
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = ${q(model.cluster.name)}
  kubernetes_version = ${q(model.cluster.kubernetesVersion)}
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = module.vpc.private_subnets
  enable_irsa        = true

  endpoint_public_access                   = true
  enable_cluster_creator_admin_permissions = true
${addons}
  eks_managed_node_groups = {
    default = {
      instance_types = ["t3.medium"]
      min_size       = 2
      max_size       = 3
      desired_size   = 2
    }
  }
  tags = local.tags
}
`;
}

function mainTf(model: IacModel) {
  return `provider "aws" {
  region              = ${q(model.region)}
  allowed_account_ids = [${q(model.accountId)}]
}

locals {
  tags = ${tagsBlock(model)}
${clusterLocals(model)}
}

resource "aws_dynamodb_table" "${codeNamesOf(model).table}" {
  name         = ${q(model.tableName)}
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "name"

  attribute {
    name = "name"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = local.tags
}

resource "aws_ecr_repository" "service" {
  name                 = ${q(model.repositoryName)}
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = local.tags
}

resource "aws_ecr_lifecycle_policy" "service" {
  repository = aws_ecr_repository.service.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 14 days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 14
      }
      action = { type = "expire" }
    }]
  })
}

# Only the actions the service calls, only on its table.
${policyDocumentTf(
  'table_access',
  servicePolicies(model).tableAccess,
  terraformRefs(model),
)}
resource "aws_iam_policy" "table_access" {
  name   = ${q(`${model.name}-table-access`)}
  policy = data.aws_iam_policy_document.table_access.json
  tags   = local.tags
}

${oidcProviderTf(model)}${serviceTrust(model)}
resource "aws_iam_role" "service" {
  name               = ${q(`${model.name}-service`)}
  assume_role_policy = data.aws_iam_policy_document.service_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "service_table_access" {
  role       = aws_iam_role.service.name
  policy_arn = aws_iam_policy.table_access.arn
}
`;
}

function deployTf(model: IacModel) {
  const policies = servicePolicies(model);
  const refs = terraformRefs(model);
  return `# GitHub Actions deploys with short-lived credentials: no access keys.
# GitHub's OIDC provider exists once per account; create it there if it is missing:
#   aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com
data "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}

${policyDocumentTf('deploy_trust', policies.deployTrust, refs)}
resource "aws_iam_role" "deploy" {
  name               = ${q(`${model.name}-deploy`)}
  assume_role_policy = data.aws_iam_policy_document.deploy_trust.json
  tags               = local.tags
}

${policyDocumentTf('deploy', policies.deploy, refs)}
resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# Lets the deploy role apply k8s/ into the service's namespace, and nowhere else.
resource "aws_eks_access_entry" "deploy" {
  cluster_name  = local.cluster_name
  principal_arn = aws_iam_role.deploy.arn
  tags          = local.tags
}

resource "aws_eks_access_policy_association" "deploy" {
  cluster_name  = local.cluster_name
  principal_arn = aws_iam_role.deploy.arn
  policy_arn    = ${q(modelArns(model).editAccessPolicy)}

  access_scope {
    type       = "namespace"
    namespaces = [${q(model.namespace)}]
  }
}
`;
}

/**
 * The SecretProviderClass, from its YAML beside this file. Its CRD comes
 * with the Secrets Store CSI driver, which must be installed before the
 * plan (kubernetes_manifest reads the CRD's schema).
 */
const secretProviderClassTf = `
resource "kubernetes_manifest" "secret_provider_class" {
  manifest   = yamldecode(file("\${path.module}/secret-provider-class.yaml"))
  depends_on = [kubernetes_namespace_v1.service]
}
`;

/**
 * The service's namespace, created with the infrastructure: the deploy
 * role's edit rights are scoped to it and cannot create it. Terraform talks
 * to the cluster as whoever runs it (aws eks get-token), who must be allowed
 * to create namespaces.
 */
function kubernetesTf(model: IacModel) {
  const creating = model.cluster.mode === 'create';
  const cluster = creating
    ? ''
    : `data "aws_eks_cluster" "this" {
  name = local.cluster_name
}

`;
  const endpoint = creating
    ? 'module.eks.cluster_endpoint'
    : 'data.aws_eks_cluster.this.endpoint';
  const certificate = creating
    ? 'module.eks.cluster_certificate_authority_data'
    : 'data.aws_eks_cluster.this.certificate_authority[0].data';
  const namespace = serviceNamespace(model);
  const labels = Object.entries(namespace.labels)
    .map(([key, value]) => `      ${q(key)} = ${q(value)}`)
    .join('\n');
  return `${cluster}provider "kubernetes" {
  host                   = ${endpoint}
  cluster_ca_certificate = base64decode(${certificate})
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", local.cluster_name, "--region", ${q(
      model.region,
    )}]
  }
}

resource "kubernetes_namespace_v1" "service" {
  metadata {
    name = ${q(namespace.name)}
    labels = {
${labels}
    }
  }
}
${model.secret ? secretProviderClassTf : ''}`;
}

/** The application secret, and a policy that lets the service role read only it. */
function secretsTf(model: IacModel, kmsKeyArn?: string) {
  return `# The application secret: its value is put once, outside Terraform
# (aws secretsmanager put-secret-value), so it never sits in the state.
resource "aws_secretsmanager_secret" "app" {
  name = ${q(appSecretName(model.name))}${
    kmsKeyArn ? `\n  kms_key_id = ${q(kmsKeyArn)}` : ''
  }
  tags = local.tags
}

${policyDocumentTf(
  'secret_access',
  servicePolicies(model).secretAccess!,
  terraformRefs(model),
)}
resource "aws_iam_policy" "secret_access" {
  name   = ${q(`${model.name}-secret-access`)}
  policy = data.aws_iam_policy_document.secret_access.json
  tags   = local.tags
}

resource "aws_iam_role_policy_attachment" "service_secret_access" {
  role       = aws_iam_role.service.name
  policy_arn = aws_iam_policy.secret_access.arn
}
`;
}

const outputsTf = (model: IacModel) => `output "table_arn" {
  value = aws_dynamodb_table.${codeNamesOf(model).table}.arn
}

output "repository_url" {
  value = aws_ecr_repository.service.repository_url
}

output "service_role_arn" {
  value = aws_iam_role.service.arn
}

output "deploy_role_arn" {
  value = aws_iam_role.deploy.arn
}
`;

/** The AWS resources of the service as a Terraform configuration. */
export function renderTerraform(model: IacModel): RenderedFile[] {
  validateIacModel(model);
  const cluster = clusterTf(model);
  return [
    { path: 'versions.tf', content: versionsTf() },
    { path: 'main.tf', content: mainTf(model) },
    { path: 'deploy.tf', content: deployTf(model) },
    ...(cluster ? [{ path: 'cluster.tf', content: cluster }] : []),
    { path: 'kubernetes.tf', content: kubernetesTf(model) },
    ...(model.secret
      ? [
          {
            path: 'secrets.tf',
            content: secretsTf(model, model.secret.kmsKeyArn),
          },
          {
            path: 'secret-provider-class.yaml',
            content: yaml.stringify(
              secretProviderClass({
                service: model.name,
                namespace: model.namespace,
                region: model.region,
                credentials: model.credentials,
              }),
            ),
          },
        ]
      : []),
    { path: 'outputs.tf', content: outputsTf(model) },
  ];
}

/**
 * Files as `terraform fmt` writes them (the same formatter, hclwrite, built
 * to WebAssembly): a generated repository passes `terraform fmt -check`.
 */
export async function formatTerraform(
  files: RenderedFile[],
): Promise<RenderedFile[]> {
  return Promise.all(
    files.map(async file =>
      file.path.endsWith('.tf')
        ? { path: file.path, content: await format(file.content) }
        : file,
    ),
  );
}

import { Check, FixArtefact } from './checks';
import { WorkloadClassification } from './classify';
import { withPodIdentityTrust } from './chain';
import { PolicyDocument, tableAccessPolicy } from './policy';

/**
 * What the fixes of one workload are written with: the entity's own values,
 * never placeholders.
 *
 * @public
 */
export interface FixContext {
  /** The EKS cluster the workload runs on, by its EKS name. */
  clusterName: string;
  /** The entity's table and the actions its app needs, when it names one. */
  table?: { tableArn: string; actions: string[] };
}

/** Kinds `kubectl rollout restart` restarts. */
const RESTARTABLE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** IAM role names: up to 64 of [\w+=,.@-]. */
function proposedRoleName(w: WorkloadClassification): string {
  return `${w.namespace}-${w.serviceAccount}`
    .replace(/[^\w+=,.@-]/g, '-')
    .slice(0, 64);
}

/** EKS Pod Identity's statement alone: the trust of a new role. */
const POD_IDENTITY_TRUST = withPodIdentityTrust({
  Version: '2012-10-17',
  Statement: [],
});

function tablePolicyOf(context: FixContext): PolicyDocument | undefined {
  return (
    context.table &&
    tableAccessPolicy(context.table.tableArn, context.table.actions)
  );
}

function tablePolicyArtefacts(context: FixContext): FixArtefact[] {
  const policy = tablePolicyOf(context);
  return policy
    ? [
        {
          label: "The table's actions (table-policy.json)",
          language: 'json',
          content: JSON.stringify(policy, null, 2),
        },
      ]
    : [];
}

const restartLine = (w: WorkloadClassification) =>
  RESTARTABLE_KINDS.includes(w.kind)
    ? `\n# Credentials are injected when a pod starts: restart the pods.\nkubectl rollout restart ${w.kind.toLowerCase()}/${
        w.name
      } -n ${w.namespace}`
    : '';

/**
 * A role for the ServiceAccount that EKS Pod Identity may assume, the
 * table's actions on it, and the association: the route off the node role
 * that needs no OIDC provider and no change to the manifests.
 */
function podIdentityArtefacts(
  w: WorkloadClassification,
  context: FixContext,
): FixArtefact[] {
  const role = proposedRoleName(w);
  const tableName = context.table?.tableArn.split('/').pop();
  const tablePolicy = tablePolicyOf(context);
  const commands = [
    `aws iam create-role --role-name ${role} --assume-role-policy-document file://trust-policy.json`,
    ...(tablePolicy
      ? [
          `aws iam put-role-policy --role-name ${role} --policy-name ${tableName}-access --policy-document file://table-policy.json`,
        ]
      : []),
    `aws eks create-pod-identity-association --cluster-name ${context.clusterName} --namespace ${w.namespace} --service-account ${w.serviceAccount} --role-arn "$(aws iam get-role --role-name ${role} --query Role.Arn --output text)"`,
  ];
  return [
    {
      label: 'Trust policy for EKS Pod Identity (trust-policy.json)',
      language: 'json',
      content: JSON.stringify(POD_IDENTITY_TRUST, null, 2),
    },
    ...tablePolicyArtefacts(context),
    {
      label: `Create role ${role} and bind ServiceAccount ${w.serviceAccount} to it (needs the eks-pod-identity-agent add-on)`,
      language: 'shell',
      content: commands.join('\n') + restartLine(w),
    },
  ];
}

/**
 * On Fargate, where EKS Pod Identity does not run: IRSA. The cluster's
 * issuer and OIDC provider are read by the commands themselves, so every
 * value is the cluster's own.
 */
function irsaArtefacts(
  w: WorkloadClassification,
  context: FixContext,
): FixArtefact[] {
  const role = proposedRoleName(w);
  const table = context.table;
  const tableName = table?.tableArn.split('/').pop();
  const subject = `system:serviceaccount:${w.namespace}:${w.serviceAccount}`;
  const lines = [
    `ISSUER=$(aws eks describe-cluster --name ${context.clusterName} --query cluster.identity.oidc.issuer --output text | sed 's|^https://||')`,
    `PROVIDER=$(aws iam list-open-id-connect-providers --query "OpenIDConnectProviderList[?ends_with(Arn, '/$ISSUER')].Arn" --output text)`,
    `# Empty PROVIDER: register it first with eksctl utils associate-iam-oidc-provider --cluster ${context.clusterName} --approve`,
    `cat > trust-policy.json <<EOF`,
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"$PROVIDER"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"$ISSUER:sub":"${subject}","$ISSUER:aud":"sts.amazonaws.com"}}}]}`,
    `EOF`,
    `aws iam create-role --role-name ${role} --assume-role-policy-document file://trust-policy.json`,
    ...(table
      ? [
          `aws iam put-role-policy --role-name ${role} --policy-name ${tableName}-access --policy-document file://table-policy.json`,
        ]
      : []),
    `kubectl annotate serviceaccount ${w.serviceAccount} -n ${w.namespace} eks.amazonaws.com/role-arn="$(aws iam get-role --role-name ${role} --query Role.Arn --output text)"`,
  ];
  return [
    ...tablePolicyArtefacts(context),
    {
      label: `Create role ${role} for IRSA and annotate ServiceAccount ${w.serviceAccount} (Fargate runs no Pod Identity Agent)`,
      language: 'shell',
      content: lines.join('\n') + restartLine(w),
    },
  ];
}

/**
 * The workload's own findings with what to apply: a role, its table policy
 * and the Pod Identity association, for the node-role fallback and after
 * the static keys are removed (whose `kubectl set env` line the finding
 * already carries).
 *
 * @public
 */
export function withFixArtefacts(
  w: WorkloadClassification,
  findings: Check[],
  context: FixContext,
): Check[] {
  return findings.map(f => {
    const offNodeRole =
      f.check === 'node-role-fallback' &&
      (f.status === 'fail' || f.status === 'warn');
    const offKeys = f.check === 'static-keys-present' && f.status === 'fail';
    if (!offNodeRole && !offKeys) return f;
    return {
      ...f,
      artefacts: [
        ...(f.artefacts ?? []),
        ...(w.fargate
          ? irsaArtefacts(w, context)
          : podIdentityArtefacts(w, context)),
      ],
    };
  });
}

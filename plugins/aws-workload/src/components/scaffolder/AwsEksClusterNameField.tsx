import {
  eksClusterCheckProblem,
  EksClusterCheck,
} from '@aws-workload/plugin-aws-workload-common';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { AwsWorkloadApi, awsWorkloadApiRef } from '../../api';

/** The name of the field in a template: `ui:field: AwsEksClusterName`. */
export const AWS_EKS_CLUSTER_NAME_FIELD = 'AwsEksClusterName';

/** The wizard's own fields this one reads beside the cluster name. */
interface AwsStepData {
  awsAccountId?: unknown;
  awsRegion?: unknown;
  createCluster?: unknown;
  credentials?: unknown;
  oidcIssuer?: unknown;
}

type Lookup =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'found'; check: EksClusterCheck }
  | { state: 'failed'; message: string };

/** The server's own words for a failed check, else the request's. */
function reasonOf(error: unknown): string {
  if (error instanceof ResponseError) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The request to make, or undefined where there is nothing to look up. */
function requestOf(clusterName: unknown, step: AwsStepData) {
  // A cluster the template creates is not there yet.
  if (step.createCluster === true || typeof clusterName !== 'string')
    return undefined;
  const request = {
    accountId: step.awsAccountId,
    region: step.awsRegion,
    clusterName,
  };
  // Malformed values get the schema's own messages.
  return eksClusterCheckProblem(request)
    ? undefined
    : (request as { accountId: string; region: string; clusterName: string });
}

/** What the user reads under the field once the cluster is found. */
function foundText(check: EksClusterCheck, step: AwsStepData): string {
  const found = `Found ${check.clusterName} in ${check.accountId}, ${
    check.region
  }${
    check.kubernetesVersion ? ` (Kubernetes ${check.kubernetesVersion})` : ''
  }.`;
  if (step.credentials === 'pod-identity') return found;
  const provider = {
    registered:
      'Its IAM OIDC provider is registered: the service role trusts it as it is.',
    'not-registered':
      'Its IAM OIDC provider is not registered yet: the infrastructure creates it.',
    unknown:
      'Whether its IAM OIDC provider is registered could not be read: the infrastructure creates it if it is not.',
  }[check.oidcProvider];
  return `${found} ${provider}`;
}

/**
 * The EKS cluster name, looked up with the portal's credentials when the
 * field loses focus, so that a cluster that is not there, or an account the
 * portal cannot read, shows on this step.
 */
export function AwsEksClusterNameField(
  props: FieldExtensionComponentProps<string>,
) {
  const {
    formData,
    onChange,
    rawErrors,
    required,
    disabled,
    schema,
    idSchema,
    formContext,
  } = props;
  const api = useApi(awsWorkloadApiRef);
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  const step: AwsStepData = formContext?.formData ?? {};

  const lookUp = async () => {
    const request = requestOf(formData, step);
    if (!request) {
      setLookup({ state: 'idle' });
      return;
    }
    setLookup({ state: 'checking' });
    try {
      setLookup({ state: 'found', check: await api.checkEksCluster(request) });
    } catch (error) {
      setLookup({ state: 'failed', message: reasonOf(error) });
    }
  };

  const helperId = `${idSchema.$id}-lookup`;
  const lookupText = {
    idle: undefined,
    checking: 'Looking the cluster up…',
    found: lookup.state === 'found' ? foundText(lookup.check, step) : '',
    failed: lookup.state === 'failed' ? lookup.message : '',
  }[lookup.state];
  // The step's validation says the same as a failed lookup: say it once.
  const errors = (rawErrors ?? []).filter(e => e !== lookupText);

  return (
    <FormControl
      margin="normal"
      required={required}
      error={errors.length > 0 || lookup.state === 'failed'}
      fullWidth
    >
      <TextField
        id={idSchema.$id}
        label={schema.title ?? 'EKS cluster name'}
        required={required}
        disabled={disabled}
        value={formData ?? ''}
        onChange={event => {
          onChange(event.target.value || undefined);
          setLookup({ state: 'idle' });
        }}
        onBlur={lookUp}
        helperText={schema.description}
        error={errors.length > 0 || lookup.state === 'failed'}
        inputProps={{ 'aria-describedby': helperId }}
      />
      <FormHelperText id={helperId} aria-live="polite">
        {[lookupText, ...errors].filter(Boolean).join(' ')}
      </FormHelperText>
    </FormControl>
  );
}

/**
 * Runs when the user leaves the step: a cluster that is not there stops the
 * wizard here, in words. Other failures stop it too unless the step gives
 * the issuer itself (then the template does not look the cluster up).
 */
export const validateAwsEksClusterName: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  const step: AwsStepData = context.formData;
  const request = requestOf(value, step);
  const api = context.apiHolder.get<AwsWorkloadApi>(awsWorkloadApiRef);
  if (!request || !api) return;
  try {
    await api.checkEksCluster(request);
  } catch (error) {
    const notFound =
      error instanceof ResponseError && error.response.status === 404;
    if (notFound || !step.oidcIssuer) validation.addError(reasonOf(error));
  }
};

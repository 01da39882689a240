import {
  PublishTarget,
  repoUrlHost,
} from '@aws-workload/plugin-aws-workload-common';
import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormLabel from '@material-ui/core/FormLabel';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef, useState } from 'react';
import { awsWorkloadApiRef } from '../../api';

/** The name of the field in a template: `ui:field: AwsWorkloadPublishTarget`. */
export const AWS_WORKLOAD_PUBLISH_TARGET_FIELD = 'AwsWorkloadPublishTarget';

/** The sentence the review step lists for this field. */
export function publishSummary(target: PublishTarget): string {
  return target.canPublish
    ? `Publishes to ${target.host}.`
    : `Not published: ${target.reason}`;
}

/**
 * Says, on the repository step and again on the review step (its value),
 * whether this portal can create the repository at the chosen location:
 * before Create, not after it failed.
 */
export function AwsWorkloadPublishTargetField(
  props: FieldExtensionComponentProps<string, { repoUrlField?: string }>,
) {
  const { onChange, schema, idSchema, formContext, uiSchema } = props;
  const api = useApi(awsWorkloadApiRef);
  const field = uiSchema?.['ui:options']?.repoUrlField ?? 'repoUrl';
  const repoUrl: unknown = formContext?.formData?.[field];
  const host = typeof repoUrl === 'string' ? repoUrlHost(repoUrl) : undefined;
  const [target, setTarget] = useState<PublishTarget | { error: string }>();
  // The form hands a new onChange on each render: read the latest, without
  // asking again each time.
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!host || typeof repoUrl !== 'string') return undefined;
    let current = true;
    api.getPublishTarget(repoUrl).then(
      answer => {
        if (!current) return;
        setTarget(answer);
        onChangeRef.current(publishSummary(answer));
      },
      error => {
        if (!current) return;
        setTarget({ error: `Could not check: ${error.message}` });
        onChangeRef.current(undefined);
      },
    );
    return () => {
      current = false;
    };
  }, [api, host, repoUrl]);

  let text = 'Choose where the repository goes.';
  if (target && 'error' in target) text = target.error;
  else if (target) text = publishSummary(target);
  const blocked = target && !('error' in target) && !target.canPublish;
  return (
    <FormControl margin="normal" fullWidth>
      <FormLabel id={`${idSchema.$id}-label`}>
        {schema.title ?? 'Publishing'}
      </FormLabel>
      <Typography
        role="status"
        aria-labelledby={`${idSchema.$id}-label`}
        color={blocked ? 'error' : 'textSecondary'}
        variant="body2"
      >
        {text}
      </Typography>
    </FormControl>
  );
}

import {
  ACCESS_KEY_ID,
  maskAccessKeyId,
} from '@aws-workload/plugin-aws-workload-common';

/** Env vars whose values the classifier reads; none of them is a secret. */
const READABLE_ENV = new Set([
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
]);

export const REDACTED = '[redacted]';

function redactContainer(container: any) {
  if (!container?.env) return container;
  return {
    ...container,
    env: container.env.map((e: any) => {
      if (e.value === undefined || e.value === '' || READABLE_ENV.has(e.name))
        return e;
      if (e.name === ACCESS_KEY_ID)
        return { ...e, value: maskAccessKeyId(e.value) };
      return { ...e, value: REDACTED };
    }),
  };
}

function redactPodSpec(spec: any) {
  if (!spec) return spec;
  return {
    ...spec,
    containers: (spec.containers ?? []).map(redactContainer),
    ...(spec.initContainers
      ? { initContainers: spec.initContainers.map(redactContainer) }
      : {}),
  };
}

/**
 * Replaces every env value but the few the classifier reads, as soon as an
 * object arrives from the API server: static keys and app secrets written in
 * a manifest never reach the cache, a log or a response. The access key id
 * keeps its last four characters.
 */
export function redactObject<T>(object: T): T {
  const o = object as any;
  if (o?.kind === 'CronJob' && o.spec?.jobTemplate?.spec?.template) {
    const template = o.spec.jobTemplate.spec.template;
    return {
      ...o,
      spec: {
        ...o.spec,
        jobTemplate: {
          ...o.spec.jobTemplate,
          spec: {
            ...o.spec.jobTemplate.spec,
            template: { ...template, spec: redactPodSpec(template.spec) },
          },
        },
      },
    };
  }
  if (o?.spec?.template) {
    return {
      ...o,
      spec: {
        ...o.spec,
        template: {
          ...o.spec.template,
          spec: redactPodSpec(o.spec.template.spec),
        },
      },
    };
  }
  if (o?.spec?.containers) return { ...o, spec: redactPodSpec(o.spec) };
  return object;
}

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
    // `kubectl debug` containers carry env like any other.
    ...(spec.ephemeralContainers
      ? { ephemeralContainers: spec.ephemeralContainers.map(redactContainer) }
      : {}),
  };
}

/** kubectl apply keeps a whole copy of the object, env values included. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The metadata without what repeats the object's content: the
 * last-applied-configuration annotation and managedFields (field paths,
 * and with some clients values). Neither is read by the classifier.
 */
function stripCopies(metadata: any) {
  if (!metadata) return metadata;
  const { managedFields, ...rest } = metadata;
  if (rest.annotations?.[LAST_APPLIED] === undefined) return rest;
  const { [LAST_APPLIED]: _copy, ...annotations } = rest.annotations;
  return { ...rest, annotations };
}

/** The pod template's metadata and spec, both made safe. */
function redactTemplate(template: any) {
  if (!template) return template;
  return {
    ...template,
    metadata: stripCopies(template.metadata),
    spec: redactPodSpec(template.spec),
  };
}

/**
 * Replaces every env value but the few the classifier reads, in containers,
 * init containers and ephemeral containers, and drops the copies of the
 * object that metadata carries (last-applied-configuration, managedFields),
 * as soon as an object arrives from the API server: static keys and app
 * secrets written in a manifest never reach the cache, a log or a response.
 * The access key id keeps its last four characters.
 */
export function redactObject<T>(object: T): T {
  const input = object as any;
  if (!input || typeof input !== 'object') return object;
  const o = { ...input, metadata: stripCopies(input.metadata) };
  if (o.kind === 'CronJob' && o.spec?.jobTemplate?.spec?.template) {
    return {
      ...o,
      spec: {
        ...o.spec,
        jobTemplate: {
          ...o.spec.jobTemplate,
          metadata: stripCopies(o.spec.jobTemplate.metadata),
          spec: {
            ...o.spec.jobTemplate.spec,
            template: redactTemplate(o.spec.jobTemplate.spec.template),
          },
        },
      },
    };
  }
  if (o.spec?.template) {
    return {
      ...o,
      spec: { ...o.spec, template: redactTemplate(o.spec.template) },
    };
  }
  if (o.spec?.containers) return { ...o, spec: redactPodSpec(o.spec) };
  return o;
}

import { matchesLabelSelector, parseLabelSelector } from './labelSelector';

/**
 * An object a fake cluster serves: what the API server stores. `kind` and
 * `apiVersion` may be left out where the resource says what it is.
 *
 * @public
 */
export interface FakeKubernetesObject {
  kind?: string;
  apiVersion?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * A fake cluster's objects by resource, as the API path names it: `pods`,
 * `deployments`, `serviceaccounts`, `rollouts`...
 *
 * @public
 */
export type FakeKubernetesObjects = Record<string, FakeKubernetesObject[]>;

/** @public */
export interface FakeKubernetesApiOptions {
  /** The objects served; a function is read on every request. */
  objects: FakeKubernetesObjects | (() => FakeKubernetesObjects);
  /** Waited before every answer. */
  latencyMs?: number;
  /**
   * Asked first on every request: a Response it returns is the answer (a
   * 429, an outage, a refusal), undefined lets the API answer.
   */
  intercept?: (
    request: Request,
  ) => Response | undefined | Promise<Response | undefined>;
}

/**
 * One request the fake API received.
 *
 * @public
 */
export interface FakeKubernetesRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
}

const BUILT_IN_KINDS: Record<string, string> = {
  pods: 'Pod',
  serviceaccounts: 'ServiceAccount',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
};

/** Groups that are Kubernetes' own: their list items carry no kind. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch']);

const PATH =
  /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([a-z0-9.-]+)(?:\/([^/]+))?$/;

/**
 * A Kubernetes API status answer (`kind: Status`), as the API server sends
 * it for errors.
 *
 * @public
 */
export function kubernetesStatus(
  code: number,
  reason: string,
  message: string,
): Response {
  return Response.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    },
    { status: code },
  );
}

/**
 * The API server's answer when a client is over its rate: 429, TooManyRequests.
 *
 * @public
 */
export const tooManyRequests = () =>
  kubernetesStatus(
    429,
    'TooManyRequests',
    'Too many requests, please try again later.',
  );

/**
 * The plural resource name of a kind, as API paths spell it.
 *
 * @public
 */
export function resourceOfKind(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * A Kubernetes API server over a set of objects, as a fetch handler
 * (`Request` in, `Response` out) that msw, a loopback HTTP server or a test
 * can call: gets by name, lists in one namespace or all, label selectors
 * with every operator the API server knows (`!key` and set-based ones too),
 * paging with `limit` and `continue`, and latency. Errors are `Status`
 * objects with the API server's codes and reasons.
 *
 * @public
 */
export class FakeKubernetesApi {
  /** Every request received, in order. */
  readonly requests: FakeKubernetesRequest[] = [];

  constructor(private readonly options: FakeKubernetesApiOptions) {}

  /** Groups objects that carry their `kind` by the resource that serves them. */
  static byResource(objects: FakeKubernetesObject[]): FakeKubernetesObjects {
    const grouped: FakeKubernetesObjects = {};
    for (const object of objects) {
      if (!object.kind) throw new Error('an object without kind');
      const resource = resourceOfKind(object.kind);
      (grouped[resource] ??= []).push(object);
    }
    return grouped;
  }

  /** Answers one request. */
  readonly handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.requests.push({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.get('authorization') ?? undefined,
    });
    if (this.options.latencyMs) {
      await new Promise(r => setTimeout(r, this.options.latencyMs));
    }
    const intercepted = await this.options.intercept?.(request);
    if (intercepted) return intercepted;
    if (request.method !== 'GET') {
      return kubernetesStatus(405, 'MethodNotAllowed', 'read-only fake');
    }
    const match = PATH.exec(url.pathname);
    if (!match) {
      return kubernetesStatus(
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
    }
    const [, coreVersion, group, groupVersion, namespace, resource, name] =
      match;
    const apiVersion = coreVersion ?? `${group}/${groupVersion}`;
    const objects =
      typeof this.options.objects === 'function'
        ? this.options.objects()
        : this.options.objects;
    const inScope = (objects[resource] ?? []).filter(
      o => !namespace || o.metadata.namespace === namespace,
    );
    if (name) {
      const found = inScope.find(o => o.metadata.name === name);
      return found
        ? Response.json(found)
        : kubernetesStatus(404, 'NotFound', `${resource} "${name}" not found`);
    }
    return this.list(url, {
      apiVersion,
      builtIn: BUILT_IN_GROUPS.has(group ?? ''),
      resource,
      items: inScope,
    });
  };

  private list(
    url: URL,
    scope: {
      apiVersion: string;
      builtIn: boolean;
      resource: string;
      items: FakeKubernetesObject[];
    },
  ): Response {
    let requirements;
    try {
      requirements = parseLabelSelector(
        url.searchParams.get('labelSelector') ?? '',
      );
    } catch (error) {
      return kubernetesStatus(400, 'BadRequest', String(error));
    }
    const matching = scope.items.filter(o =>
      matchesLabelSelector(o.metadata.labels, requirements),
    );
    const limit = Number(url.searchParams.get('limit') ?? 0) || matching.length;
    const token = url.searchParams.get('continue');
    const start = token
      ? Number(Buffer.from(token, 'base64url').toString())
      : 0;
    if (!Number.isInteger(start) || start < 0) {
      return kubernetesStatus(400, 'BadRequest', 'invalid continue token');
    }
    const page = matching.slice(start, start + limit);
    const rest = matching.length - (start + page.length);
    const kind =
      scope.items[0]?.kind ?? BUILT_IN_KINDS[scope.resource] ?? 'Object';
    return Response.json({
      apiVersion: scope.apiVersion,
      kind: `${kind}List`,
      metadata: {
        resourceVersion: '918400',
        ...(rest > 0
          ? {
              continue: Buffer.from(String(start + page.length)).toString(
                'base64url',
              ),
              remainingItemCount: rest,
            }
          : {}),
      },
      // Lists of Kubernetes' own kinds do not repeat kind on each item.
      items: scope.builtIn
        ? page.map(({ kind: _kind, apiVersion: _version, ...item }) => item)
        : page,
    });
  }
}

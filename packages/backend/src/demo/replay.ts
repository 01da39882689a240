/**
 * Replays recorded AWS and Kubernetes API responses at the HTTP layer, so the
 * real AWS SDK and @kubernetes/client-node run against them. Development only.
 */
import { http, HttpResponse, passthrough, RequestHandler } from 'msw';

export interface Recording {
  service: 'ecr' | 'eks' | 'iam' | 'sts' | 'dynamodb';
  operation: string;
  match?: Record<string, string>;
  status: number;
  body: unknown;
  contentType?: string;
}

interface AwsCall {
  service: Recording['service'];
  operation: string;
  params: Record<string, string>;
}

const JSON_CONTENT_TYPE: Record<string, string> = {
  ecr: 'application/x-amz-json-1.1',
  dynamodb: 'application/x-amz-json-1.0',
  eks: 'application/json',
};

function flatParams(body: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(
    (body ?? {}) as Record<string, unknown>,
  )) {
    if (
      typeof v === 'string' ||
      typeof v === 'number' ||
      typeof v === 'boolean'
    )
      params[k] = String(v);
  }
  return params;
}

/** The operation and parameters of a request, by protocol: JSON, query or REST. */
async function parseAwsCall(
  service: Recording['service'],
  request: Request,
): Promise<AwsCall | undefined> {
  const url = new URL(request.url);
  if (service === 'ecr' || service === 'dynamodb') {
    const target = request.headers.get('x-amz-target') ?? '';
    return {
      service,
      operation: target.split('.').pop() ?? '',
      params: flatParams(await request.json()),
    };
  }
  if (service === 'iam' || service === 'sts') {
    const form = new URLSearchParams(await request.text());
    return {
      service,
      operation: form.get('Action') ?? '',
      params: Object.fromEntries(form),
    };
  }
  const path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = Object.fromEntries(url.searchParams);
  if (path[0] !== 'clusters') return undefined;
  if (path.length === 2)
    return { service, operation: 'DescribeCluster', params: { name: path[1] } };
  if (path[2] === 'pod-identity-associations' && path.length === 3) {
    return {
      service,
      operation: 'ListPodIdentityAssociations',
      params: { name: path[1], ...query },
    };
  }
  if (path[2] === 'pod-identity-associations' && path.length === 4) {
    return {
      service,
      operation: 'DescribePodIdentityAssociation',
      params: { name: path[1], associationId: path[3] },
    };
  }
  return undefined;
}

function respond(recording: Recording) {
  const contentType =
    recording.contentType ??
    JSON_CONTENT_TYPE[recording.service] ??
    'application/json';
  const body =
    typeof recording.body === 'string'
      ? recording.body
      : JSON.stringify(recording.body);
  return new HttpResponse(body, {
    status: recording.status,
    headers: { 'content-type': contentType },
  });
}

export function findRecording(
  recordings: Recording[],
  call: AwsCall,
): Recording | undefined {
  return recordings.find(
    r =>
      r.service === call.service &&
      r.operation === call.operation &&
      Object.entries(r.match ?? {}).every(([k, v]) => call.params[k] === v),
  );
}

function notRecorded(call: AwsCall | undefined, url: string) {
  return HttpResponse.json(
    {
      __type: 'DemoNotRecorded',
      message: `No recorded response for ${call?.service ?? '?'} ${
        call?.operation ?? url
      }`,
    },
    { status: 400, headers: { 'x-amzn-errortype': 'DemoNotRecorded' } },
  );
}

export function awsReplayHandlers(
  recordings: Recording[],
  dynamoEndpoint: string,
): RequestHandler[] {
  const replay =
    (service: Recording['service']) =>
    async ({ request }: { request: Request }) => {
      const call = await parseAwsCall(service, request.clone());
      const recording = call && findRecording(recordings, call);
      return recording ? respond(recording) : notRecorded(call, request.url);
    };
  return [
    http.all(
      /^https:\/\/api\.ecr\.[a-z0-9-]+\.amazonaws\.com\//,
      replay('ecr'),
    ),
    http.all(/^https:\/\/eks\.[a-z0-9-]+\.amazonaws\.com\//, replay('eks')),
    http.all(/^https:\/\/iam\.amazonaws\.com\//, replay('iam')),
    http.all(/^https:\/\/sts(\.[a-z0-9-]+)?\.amazonaws\.com\//, replay('sts')),
    // dynalite is a real DynamoDB; only what it lacks is replayed.
    http.post(`${dynamoEndpoint}/`, async ({ request }) => {
      const call = await parseAwsCall('dynamodb', request.clone());
      const recording = call && findRecording(recordings, call);
      return recording ? respond(recording) : passthrough();
    }),
  ];
}

const KINDS: Record<string, { kind: string; apiVersion: string }> = {
  pods: { kind: 'Pod', apiVersion: 'v1' },
  serviceaccounts: { kind: 'ServiceAccount', apiVersion: 'v1' },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
};

/** `key=value`, `key==value`, `key!=value` and `key` terms, as kubectl reads them. */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: string | null,
): boolean {
  if (!selector) return true;
  return selector.split(',').every(raw => {
    const term = raw.trim();
    const neq = /^([^!=]+)!=(.*)$/.exec(term);
    if (neq) return labels?.[neq[1]] !== neq[2];
    const eq = /^([^=]+)==?(.*)$/.exec(term);
    if (eq) return labels?.[eq[1]] === eq[2];
    return labels?.[term] !== undefined;
  });
}

/** A read-only Kubernetes API server over a fixed set of objects. */
export function kubernetesReplayHandler(
  clusterUrl: string,
  objects: any[],
): RequestHandler {
  return http.get(`${clusterUrl}/*`, ({ request }) => {
    const url = new URL(request.url);
    const m =
      /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!m)
      return HttpResponse.json(
        {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
        },
        { status: 404 },
      );
    const [, namespace, resource, name] = m;
    const type = KINDS[resource];
    const inScope = objects.filter(
      o =>
        o.kind === type?.kind &&
        (!namespace || o.metadata.namespace === namespace),
    );
    if (name) {
      const found = inScope.find(o => o.metadata.name === name);
      return found
        ? HttpResponse.json(found)
        : HttpResponse.json(
            {
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: `${resource} "${name}" not found`,
              reason: 'NotFound',
              code: 404,
            },
            { status: 404 },
          );
    }
    const items = inScope.filter(o =>
      matchesSelector(o.metadata.labels, url.searchParams.get('labelSelector')),
    );
    return HttpResponse.json({
      apiVersion: type?.apiVersion ?? 'v1',
      kind: `${type?.kind ?? 'Object'}List`,
      metadata: { resourceVersion: '918400' },
      items: items.map(({ kind, apiVersion, ...rest }) => rest),
    });
  });
}

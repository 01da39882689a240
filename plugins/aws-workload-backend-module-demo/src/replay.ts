/**
 * Replays recorded AWS and Kubernetes API responses over HTTP, so the real
 * AWS SDK and @kubernetes/client-node run against them. Each handler answers
 * a web `Request` with a `Response`; `serveOnLoopback` puts one on its own
 * port on 127.0.0.1. Nothing in the process is intercepted: the plugin is
 * pointed at these servers through its upstreams extension point.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** Answers one request. */
export type Handler = (request: Request) => Promise<Response> | Response;

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
  return new Response(body, {
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
  return Response.json(
    {
      __type: 'DemoNotRecorded',
      message: `No recorded response for ${call?.service ?? '?'} ${
        call?.operation ?? url
      }`,
    },
    { status: 400, headers: { 'x-amzn-errortype': 'DemoNotRecorded' } },
  );
}

/** Answers one AWS service's calls from the recordings. */
export function awsReplayHandler(
  service: Recording['service'],
  recordings: Recording[],
): Handler {
  return async request => {
    const call = await parseAwsCall(service, request.clone());
    const recording = call && findRecording(recordings, call);
    return recording ? respond(recording) : notRecorded(call, request.url);
  };
}

/**
 * DynamoDB: dynalite is a real DynamoDB, so calls go there; only what it
 * lacks (continuous backups) is answered from the recordings.
 */
export function dynamoDbHandler(
  recordings: Recording[],
  dynaliteUrl: string,
): Handler {
  return async request => {
    const call = await parseAwsCall('dynamodb', request.clone());
    const recording = call && findRecording(recordings, call);
    if (recording) return respond(recording);
    const upstream = await fetch(`${dynaliteUrl}/`, {
      method: request.method,
      headers: request.headers,
      body: await request.arrayBuffer(),
    });
    return new Response(await upstream.arrayBuffer(), {
      status: upstream.status,
      headers: upstream.headers,
    });
  };
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
  objectsNow: any[] | (() => any[]),
): Handler {
  return request => {
    const objects =
      typeof objectsNow === 'function' ? objectsNow() : objectsNow;
    const url = new URL(request.url);
    const m =
      /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!m)
      return Response.json(
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
        ? Response.json(found)
        : Response.json(
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
    return Response.json({
      apiVersion: type?.apiVersion ?? 'v1',
      kind: `${type?.kind ?? 'Object'}List`,
      metadata: { resourceVersion: '918400' },
      items: items.map(({ kind, apiVersion, ...rest }) => rest),
    });
  };
}

/** A running loopback server: its base URL and how to stop it. */
export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Serves a handler on 127.0.0.1, on a port of the system's choosing. */
export async function serveOnLoopback(
  handler: Handler,
): Promise<LoopbackServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const response = await handler(
        new Request(`http://${req.headers.host}${req.url}`, {
          method: req.method,
          headers,
          body: hasBody ? Buffer.concat(chunks) : undefined,
        }),
      );
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, {
        'content-type':
          response.headers.get('content-type') ?? 'application/json',
        'content-length': body.length,
        ...(response.headers.get('x-amzn-errortype')
          ? { 'x-amzn-errortype': response.headers.get('x-amzn-errortype')! }
          : {}),
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`demo replay failed: ${(e as Error).message}`);
    }
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Replays recorded AWS and Kubernetes API responses over HTTP, so the real
 * AWS SDK and @kubernetes/client-node run against them. Each handler answers
 * a web `Request` with a `Response`; the fake-upstream kit's
 * `serveOnLoopback` puts one on its own port on 127.0.0.1. Nothing in the process is intercepted: the plugin is
 * pointed at these servers through its upstreams extension point.
 */
import {
  FakeKubernetesApi,
  FetchHandler,
} from '@aws-workload/plugin-aws-workload-node/testUtils';

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
): FetchHandler {
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
): FetchHandler {
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

/** A read-only Kubernetes API server over a fixed set of objects. */
export function kubernetesReplayHandler(
  objectsNow: any[] | (() => any[]),
): FetchHandler {
  const api = new FakeKubernetesApi({
    objects: () =>
      FakeKubernetesApi.byResource(
        typeof objectsNow === 'function' ? objectsNow() : objectsNow,
      ),
  });
  return api.handle;
}

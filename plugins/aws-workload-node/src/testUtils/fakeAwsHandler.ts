/**
 * The fake AWS account over HTTP, in each service's own protocol, so the
 * real AWS SDK runs against it: JSON with `X-Amz-Target` (DynamoDB, ECR),
 * REST with JSON (EKS) and the query protocol with XML answers (IAM, STS),
 * errors included. The local demo serves it on loopback ports.
 */
import { randomUUID } from 'node:crypto';
import { FakeAwsAccount, FakeAwsError, FakeAwsService } from './FakeAwsAccount';
import type { FetchHandler } from './serveOnLoopback';

interface AwsCall {
  operation: string;
  input: Record<string, any>;
}

const JSON_CONTENT_TYPE: Partial<Record<FakeAwsService, string>> = {
  dynamodb: 'application/x-amz-json-1.0',
  ecr: 'application/x-amz-json-1.1',
};
const XML_NAMESPACE: Partial<Record<FakeAwsService, string>> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};
/** Query-protocol fields that are numbers; every form value arrives as text. */
const NUMBER_FIELDS = new Set(['MaxItems', 'maxResults']);
/** Query-protocol outputs that are maps (`entry`/`key`/`value`), not structures. */
const MAP_FIELDS = new Set(['SummaryMap']);

/** A query-protocol form as the operation's input: `X.member.N` become lists. */
function queryInput(form: URLSearchParams): Record<string, any> {
  const input: Record<string, any> = {};
  for (const [key, value] of form) {
    const member = /^(\w+)\.member\.(\d+)$/.exec(key);
    if (member) {
      (input[member[1]] ??= [])[Number(member[2]) - 1] = value;
    } else if (key !== 'Action' && key !== 'Version') {
      input[key] = NUMBER_FIELDS.has(key) ? Number(value) : value;
    }
  }
  return input;
}

/** EKS's REST routes that the account answers. */
function eksCall(url: URL): AwsCall | undefined {
  const path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (path[0] !== 'clusters' || !path[1]) return undefined;
  const query = Object.fromEntries(url.searchParams);
  if (path.length === 2) {
    return { operation: 'DescribeCluster', input: { name: path[1] } };
  }
  if (path[2] !== 'pod-identity-associations') return undefined;
  if (path.length === 3) {
    return {
      operation: 'ListPodIdentityAssociations',
      input: {
        clusterName: path[1],
        ...query,
        ...(query.maxResults ? { maxResults: Number(query.maxResults) } : {}),
      },
    };
  }
  return {
    operation: 'DescribePodIdentityAssociation',
    input: { clusterName: path[1], associationId: path[3] },
  };
}

/** The operation and input of a request, by the service's protocol. */
async function parseCall(
  service: FakeAwsService,
  request: Request,
): Promise<AwsCall | undefined> {
  if (service === 'eks') return eksCall(new URL(request.url));
  if (service === 'iam' || service === 'sts') {
    const form = new URLSearchParams(await request.text());
    return { operation: form.get('Action') ?? '', input: queryInput(form) };
  }
  const target = request.headers.get('x-amz-target') ?? '';
  return {
    operation: target.split('.').pop() ?? '',
    input: JSON.parse((await request.text()) || '{}'),
  };
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

/** One value in the query protocol's XML: lists of `member`s, ISO dates. */
function xmlOf(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map(v => xmlOf('member', v)).join('')}</${name}>`;
  }
  if (value instanceof Date) {
    return `<${name}>${value.toISOString()}</${name}>`;
  }
  if (typeof value === 'object' && MAP_FIELDS.has(name)) {
    const entries = Object.entries(value).map(
      ([k, v]) => `<entry>${xmlOf('key', k)}${xmlOf('value', v)}</entry>`,
    );
    return `<${name}>${entries.join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([k, v]) => xmlOf(k, v));
    return `<${name}>${children.join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const requestIdXml = () => `<RequestId>${randomUUID()}</RequestId>`;

/** JSON with dates as epoch seconds, as the JSON protocols send them. */
const jsonOf = (output: object) =>
  JSON.stringify(output, function replacer(this: any, key, value) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });

function answer(service: FakeAwsService, operation: string, output: object) {
  const namespace = XML_NAMESPACE[service];
  if (namespace) {
    const result = Object.entries(output)
      .map(([k, v]) => xmlOf(k, v))
      .join('');
    return new Response(
      `<${operation}Response xmlns="${namespace}"><${operation}Result>${result}</${operation}Result><ResponseMetadata>${requestIdXml()}</ResponseMetadata></${operation}Response>`,
      { headers: { 'content-type': 'text/xml' } },
    );
  }
  return new Response(jsonOf(output), {
    headers: {
      'content-type': JSON_CONTENT_TYPE[service] ?? 'application/json',
    },
  });
}

function failure(service: FakeAwsService, error: FakeAwsError) {
  const namespace = XML_NAMESPACE[service];
  if (namespace) {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    return new Response(
      `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type>${xmlOf(
        'Code',
        error.code,
      )}${xmlOf(
        'Message',
        error.message,
      )}</Error>${requestIdXml()}</ErrorResponse>`,
      { status: error.status, headers: { 'content-type': 'text/xml' } },
    );
  }
  // The JSON protocols name the error in the body; REST-JSON in a header.
  const body =
    service === 'eks'
      ? { message: error.message }
      : { __type: error.code, message: error.message };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      'content-type': JSON_CONTENT_TYPE[service] ?? 'application/json',
      'x-amzn-errortype': error.code,
    },
  });
}

/**
 * Answers one service's HTTP requests from the fake account, as that service
 * does on the wire. Errors the account raises (`FakeAwsError`) become the
 * service's error responses; anything else thrown is a 500.
 *
 * @public
 */
export function fakeAwsHandler(
  account: FakeAwsAccount,
  service: FakeAwsService,
): FetchHandler {
  return async request => {
    const call = await parseCall(service, request);
    try {
      if (!call) {
        throw new FakeAwsError({
          code: 'UnknownOperationException',
          message: `The fake AWS account does not answer ${request.method} ${
            new URL(request.url).pathname
          }`,
          status: 404,
        });
      }
      return answer(
        service,
        call.operation,
        await account.call(service, call.operation, call.input),
      );
    } catch (e) {
      if (e instanceof FakeAwsError) return failure(service, e);
      throw e;
    }
  };
}

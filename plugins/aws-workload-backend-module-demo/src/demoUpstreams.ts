/**
 * The demo's AWS account and Kubernetes API server, each answered over HTTP
 * by the fake-upstream kit of `@aws-workload/plugin-aws-workload-node`, the
 * same kit the plugin's tests and benchmarks read through the SDK: the real
 * AWS SDK and `@kubernetes/client-node` run against them. Nothing in the
 * process is intercepted.
 */
import {
  FakeAwsAccount,
  FakeAwsError,
  fakeAwsHandler,
  FakeAwsObjects,
  FakeKubernetesApi,
  FetchHandler,
} from '@aws-workload/plugin-aws-workload-node/testUtils';

/** `data/aws-account.json`: the account's objects besides its tables and cluster. */
export interface DemoAwsAccountData {
  /** Who the demo's credentials are, as AWS names it in an AccessDenied. */
  callerArn: string;
  /** Operations the demo's identity may not call (an AccessDenied each). */
  deniedOperations: string[];
  objects: Omit<FakeAwsObjects, 'tables' | 'clusters'>;
}

/** `data/demo.json`: the account, its tables with their items, its cluster. */
export interface DemoData {
  region: string;
  accountId: string;
  cluster: { name: string; url: string; issuer: string };
  tables: {
    TableName: string;
    items: Record<string, any>[];
    pointInTimeRecovery?: boolean;
  }[];
}

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * A JSON reviver for the account file: ECR's times (`imagePushedAt`,
 * `imageScanCompletedAt`…) are `Date`s in the SDK's shapes, ISO text in JSON.
 */
export function reviveAwsDates(key: string, value: unknown) {
  return /(At|Time)$/.test(key) &&
    typeof value === 'string' &&
    ISO_DATE_TIME.test(value)
    ? new Date(value)
    : value;
}

/** The demo's AWS account: its tables and cluster from `demo.json`, the rest from `aws-account.json`. */
export function demoAwsAccount(
  data: DemoData,
  account: DemoAwsAccountData,
): FakeAwsAccount {
  const objects: FakeAwsObjects = {
    ...account.objects,
    tables: data.tables.map(t => ({
      name: t.TableName,
      pointInTimeRecovery: t.pointInTimeRecovery ?? true,
    })),
    clusters: [
      {
        name: data.cluster.name,
        endpoint: data.cluster.url,
        issuer: data.cluster.issuer,
      },
    ],
  };
  return new FakeAwsAccount({
    objects: () => objects,
    accountId: data.accountId,
    region: data.region,
    callerArn: account.callerArn,
    before: async (service, operation) => {
      if (account.deniedOperations.includes(operation)) {
        throw new FakeAwsError({
          code: 'AccessDenied',
          message: `User: ${account.callerArn} is not authorized to perform: ${service}:${operation}`,
          status: 403,
        });
      }
    },
  });
}

/** What dynalite lacks and the fake account answers; every other DynamoDB call goes to dynalite. */
const ANSWERED_BY_ACCOUNT = new Set(['DescribeContinuousBackups']);

/**
 * DynamoDB: dynalite holds the demo's tables and items, so calls go there;
 * what dynalite lacks (continuous backups) the fake account answers.
 */
export function dynamoDbHandler(
  account: FakeAwsAccount,
  dynaliteUrl: string,
): FetchHandler {
  const answer = fakeAwsHandler(account, 'dynamodb');
  return async request => {
    const operation = request.headers.get('x-amz-target')?.split('.').pop();
    if (operation && ANSWERED_BY_ACCOUNT.has(operation)) return answer(request);
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
export function kubernetesHandler(objectsNow: () => any[]): FetchHandler {
  const api = new FakeKubernetesApi({
    objects: () => FakeKubernetesApi.byResource(objectsNow()),
  });
  return api.handle;
}

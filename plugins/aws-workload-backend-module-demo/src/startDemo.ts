/**
 * The local demo's upstreams: dynalite with the example tables, and the
 * fake-upstream kit's AWS account (ECR, EKS, IAM, STS and the rest of
 * DynamoDB) and Kubernetes API server, each on its own loopback port.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AwsWorkloadUpstreams } from '@aws-workload/plugin-aws-workload-node';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import dynalite from 'dynalite';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  fakeAwsHandler,
  LoopbackServer,
  serveOnLoopback,
} from '@aws-workload/plugin-aws-workload-node/testUtils';
import {
  DemoAwsAccountData,
  DemoData,
  demoAwsAccount,
  dynamoDbHandler,
  kubernetesHandler,
  reviveAwsDates,
} from './demoUpstreams';
import { CANARY_PHASE_MS, withCanary } from './canary';

/** The demo's data, shipped in the package. */
export const DEMO_DATA_DIR = resolvePackagePath(
  '@aws-workload/plugin-aws-workload-backend-module-demo',
  'data',
);

/** Dummy credentials: enough for the SDK to sign requests to the loopback servers. */
const DEMO_CREDENTIALS = {
  accessKeyId: 'AKIADEMOLOCALONLY000',
  secretAccessKey: 'demo-local-only-not-a-secret',
};

const readJson = (file: string, reviver?: Parameters<typeof JSON.parse>[1]) =>
  JSON.parse(fs.readFileSync(path.join(DEMO_DATA_DIR, file), 'utf8'), reviver);

async function startDynalite(data: DemoData) {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint: url,
    region: data.region,
    credentials: DEMO_CREDENTIALS,
  });
  for (const table of data.tables) {
    await client.send(
      new CreateTableCommand({
        TableName: table.TableName,
        AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const item of table.items) {
      await client.send(
        new PutItemCommand({ TableName: table.TableName, Item: item }),
      );
    }
  }
  client.destroy();
  return {
    url,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** The demo account's credentials; any other account has none, as in a portal without it. */
function demoCredentials(accountId: string): AwsCredentialsManager {
  return {
    async getCredentialProvider(options) {
      const wanted = options?.accountId ?? accountId;
      if (wanted !== accountId) {
        throw new NotFoundError(
          `No AWS credentials for account ${wanted}: the demo has account ${accountId} only`,
        );
      }
      return {
        accountId,
        sdkCredentialProvider: async () => DEMO_CREDENTIALS,
      };
    },
  };
}

/** The running demo: the upstreams to hand the plugin, and how to stop them. */
export interface RunningDemo {
  upstreams: AwsWorkloadUpstreams;
  stop(): Promise<void>;
}

export async function startDemo(): Promise<RunningDemo> {
  const data = readJson('demo.json') as DemoData;
  const account = demoAwsAccount(
    data,
    readJson('aws-account.json', reviveAwsDates) as DemoAwsAccountData,
  );
  const objects = fs
    .readdirSync(path.join(DEMO_DATA_DIR, 'kubernetes'))
    .filter(f => f.endsWith('.json'))
    .flatMap(f => readJson(path.join('kubernetes', f)).items);

  const servers: LoopbackServer[] = [await startDynalite(data)];
  const serve = async (handler: Parameters<typeof serveOnLoopback>[0]) => {
    const server = await serveOnLoopback(handler);
    servers.push(server);
    return server.url;
  };
  const upstreams: AwsWorkloadUpstreams = {
    demo: true,
    credentials: demoCredentials(data.accountId),
    endpoints: {
      dynamodb: await serve(dynamoDbHandler(account, servers[0].url)),
      ecr: await serve(fakeAwsHandler(account, 'ecr')),
      eks: await serve(fakeAwsHandler(account, 'eks')),
      iam: await serve(fakeAwsHandler(account, 'iam')),
      sts: await serve(fakeAwsHandler(account, 'sts')),
    },
    clusters: [
      {
        name: data.cluster.name,
        url: await serve(kubernetesHandler(withCanary(objects))),
        // An EKS token is made and sent, as for a real EKS cluster.
        authProvider: 'aws',
        // Plain HTTP on loopback, which the Kubernetes client allows only so.
        skipTLSVerify: true,
        awsClusterId: data.cluster.name,
        region: data.region,
      },
    ],
    // The fleet page has data a few seconds after the backend starts; each
    // refresh sees the canary in its next phase.
    fleetSchedule: {
      frequency: { milliseconds: CANARY_PHASE_MS },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 3 },
    },
  };
  return {
    upstreams,
    async stop() {
      await Promise.all(servers.map(s => s.close()));
    },
  };
}

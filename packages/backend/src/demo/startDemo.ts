/**
 * The local demo behind `yarn start`: dynalite with the example tables, and
 * recorded ECR, EKS, IAM, STS and Kubernetes answers replayed in-process, so
 * the aws-workload plugin shows real answers without an AWS account.
 * Development only; AWS_WORKLOAD_DEMO=off turns it off.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { setupServer } from 'msw/node';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  awsReplayHandlers,
  kubernetesReplayHandler,
  Recording,
} from './replay';

/** examples/demo at the repository root: the demo runs from a checkout only. */
export const DEMO_DIR = resolvePackagePath('backend', '../../examples/demo');

/** Dummy credentials: enough for the SDK to sign requests that never leave this process. */
const DEMO_ACCESS_KEY_ID = 'AKIADEMOLOCALONLY000';
const DEMO_SECRET = 'demo-local-only-not-a-secret';

interface DemoData {
  region: string;
  accountId: string;
  cluster: { name: string; url: string };
  tables: { TableName: string; items: Record<string, any>[] }[];
}

const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(DEMO_DIR, file), 'utf8'));

async function startDynalite(data: DemoData) {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: data.region,
    credentials: {
      accessKeyId: DEMO_ACCESS_KEY_ID,
      secretAccessKey: DEMO_SECRET,
    },
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
  return { server, endpoint };
}

/** Config the demo needs, as the backend's APP_CONFIG_ environment overrides. */
export function demoConfig(data: DemoData, dynamoEndpoint: string) {
  return {
    aws: {
      mainAccount: {
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: DEMO_SECRET,
      },
      accounts: [
        {
          accountId: data.accountId,
          accessKeyId: DEMO_ACCESS_KEY_ID,
          secretAccessKey: DEMO_SECRET,
        },
      ],
    },
    awsWorkload: {
      demo: true,
      endpoints: { dynamodb: dynamoEndpoint },
      // The fleet page has data a few seconds after `yarn start`.
      fleet: {
        schedule: {
          frequency: { minutes: 5 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 3 },
        },
      },
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: data.cluster.name,
              url: data.cluster.url,
              authProvider: 'aws',
              skipTLSVerify: true,
              skipMetricsLookup: true,
              authMetadata: { 'kubernetes.io/x-k8s-aws-id': data.cluster.name },
            },
          ],
        },
      ],
    },
  };
}

export async function startDemo() {
  const data = readJson('demo.json') as DemoData;
  const recordings = readJson('aws-recordings.json').recordings as Recording[];
  const objects = fs
    .readdirSync(path.join(DEMO_DIR, 'kubernetes'))
    .filter(f => f.endsWith('.json'))
    .flatMap(f => readJson(path.join('kubernetes', f)).items);

  // No instance metadata: nothing may reach for real credentials.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const dynamo = await startDynalite(data);
  const msw = setupServer(
    ...awsReplayHandlers(recordings, dynamo.endpoint),
    kubernetesReplayHandler(data.cluster.url, objects),
  );
  msw.listen({ onUnhandledRequest: 'bypass' });
  const config = demoConfig(data, dynamo.endpoint);
  return {
    config,
    async stop() {
      msw.close();
      await new Promise(resolve => dynamo.server.close(resolve));
    },
  };
}

/** Sets the demo config as APP_CONFIG_ overrides, read when the backend starts. */
export function exportDemoConfig(config: ReturnType<typeof demoConfig>) {
  process.env.APP_CONFIG_aws_mainAccount = JSON.stringify(
    config.aws.mainAccount,
  );
  process.env.APP_CONFIG_aws_accounts = JSON.stringify(config.aws.accounts);
  process.env.APP_CONFIG_awsWorkload_demo = 'true';
  process.env.APP_CONFIG_awsWorkload_endpoints_dynamodb =
    config.awsWorkload.endpoints.dynamodb;
  process.env.APP_CONFIG_awsWorkload_fleet_schedule = JSON.stringify(
    config.awsWorkload.fleet.schedule,
  );
  process.env.APP_CONFIG_kubernetes_clusterLocatorMethods = JSON.stringify(
    config.kubernetes.clusterLocatorMethods,
  );
}

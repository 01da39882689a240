// Creates the service's table in a local DynamoDB emulator (dynalite,
// DynamoDB Local), as the infrastructure creates it on AWS: hash key "name",
// on demand. Only ever with DYNAMO_ENDPOINT set: on AWS the table is the
// infrastructure's.
import {
  CreateTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { readConfig } from '../src/config.ts';
import { createDynamoClient } from '../src/votes.ts';

const config = readConfig();
if (!config.endpoint) {
  console.error(
    'Set DYNAMO_ENDPOINT to the local emulator (for example http://localhost:4567): on AWS the infrastructure creates the table.',
  );
  process.exit(2);
}
const client = createDynamoClient(config.region, config.endpoint);
try {
  await client.send(
    new CreateTableCommand({
      TableName: config.table,
      AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists(
    { client, maxWaitTime: 30 },
    { TableName: config.table },
  );
  console.log(`created table ${config.table} at ${config.endpoint}`);
} catch (error) {
  if (!(error instanceof ResourceInUseException)) throw error;
  console.log(`table ${config.table} already exists at ${config.endpoint}`);
}

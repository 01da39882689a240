import {
  BatchGetItemCommand,
  DynamoDBClient,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';

export class UnknownOption extends Error {
  constructor(option: string) {
    super(`"${option}" is not one of the vote options`);
    this.name = 'UnknownOption';
  }
}

const MAX_ATTEMPTS = 5;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Votes in one DynamoDB table: one item per option, hash key "name", a "count" number. */
export class VoteStore {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly table: string;
  readonly options: string[];

  constructor(
    client: Pick<DynamoDBClient, 'send'>,
    table: string,
    options: string[],
  ) {
    this.client = client;
    this.table = table;
    this.options = options;
  }

  /** Every option's count in one round trip (BatchGetItem), retrying what DynamoDB leaves unprocessed. */
  async counts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = Object.fromEntries(
      this.options.map(o => [o, 0]),
    );
    let keys: Record<string, AttributeValue>[] = this.options.map(name => ({
      name: { S: name },
    }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === MAX_ATTEMPTS)
        throw new Error(
          `DynamoDB left ${keys.length} keys unprocessed after ${MAX_ATTEMPTS} attempts`,
        );
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const result = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.table]: {
              Keys: keys,
              ProjectionExpression: '#name, #count',
              ExpressionAttributeNames: { '#name': 'name', '#count': 'count' },
            },
          },
        }),
      );
      for (const item of result.Responses?.[this.table] ?? []) {
        const name = item.name?.S;
        if (name && name in counts) counts[name] = Number(item.count?.N ?? 0);
      }
      keys = result.UnprocessedKeys?.[this.table]?.Keys ?? [];
    }
    return counts;
  }

  /** Every option back to zero (the role may only UpdateItem: no deletes). */
  async reset(): Promise<void> {
    for (const option of this.options) {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { name: { S: option } },
          UpdateExpression: 'SET #count = :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':zero': { N: '0' } },
        }),
      );
    }
  }

  /** One more vote, atomically (ADD), and the option's new count. */
  async vote(option: string): Promise<number> {
    if (!this.options.includes(option)) throw new UnknownOption(option);
    const result = await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { name: { S: option } },
        UpdateExpression: 'ADD #count :one',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.count?.N ?? 0);
  }
}

/** The SDK's default credential chain: IRSA and Pod Identity need no code here. */
export function createDynamoClient(
  region: string,
  endpoint?: string,
): DynamoDBClient {
  if (!endpoint) return new DynamoDBClient({ region });
  // A local emulator only: it accepts any signature.
  return new DynamoDBClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  awsConsoleUrl,
  parseDynamoDbTableArn,
  TableInfo,
} from '@aws-workload/plugin-aws-workload-common';
import { cacheKey, ReaderOptions } from './CachedLoader';

export const ITEM_COUNT_NOTE =
  'AWS refreshes the item count and size about every six hours.';

/** DescribeTable and DescribeContinuousBackups, as a TableInfo. */
export class DynamoDbService {
  constructor(
    private readonly options: ReaderOptions & {
      /** The fleet needs the table's status only: it skips DescribeContinuousBackups. */
      withBackups?: boolean;
    },
  ) {}

  private get withBackups(): boolean {
    return this.options.withBackups ?? true;
  }

  async describeTable(tableArn: string): Promise<TableInfo> {
    const arn = parseDynamoDbTableArn(tableArn);
    return this.options.loader.load(
      cacheKey(
        this.withBackups ? 'dynamodb:table' : 'dynamodb:table-status',
        tableArn,
      ),
      this.options.ttlMs,
      async () => {
        const client = await this.options.clients.client(
          'dynamodb',
          arn.accountId,
          arn.region,
        );
        const [{ Table: table }, pitr] = await Promise.all([
          client.send(new DescribeTableCommand({ TableName: arn.tableName })),
          this.withBackups
            ? client
                .send(
                  new DescribeContinuousBackupsCommand({
                    TableName: arn.tableName,
                  }),
                )
                .then(
                  r =>
                    r.ContinuousBackupsDescription
                      ?.PointInTimeRecoveryDescription
                      ?.PointInTimeRecoveryStatus,
                )
                .catch(() => undefined)
            : undefined,
        ]);
        if (!table)
          throw new Error(
            `DescribeTable returned no table for ${arn.tableName}`,
          );
        const types = new Map(
          (table.AttributeDefinitions ?? []).map(a => [
            a.AttributeName,
            a.AttributeType,
          ]),
        );
        return {
          tableArn,
          tableName: arn.tableName,
          region: arn.region,
          accountId: arn.accountId,
          status: table.TableStatus ?? 'UNKNOWN',
          billingMode:
            table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST'
              ? 'PAY_PER_REQUEST'
              : 'PROVISIONED',
          keySchema: (table.KeySchema ?? []).map(k => ({
            attributeName: k.AttributeName!,
            keyType: k.KeyType as 'HASH' | 'RANGE',
            attributeType: types.get(k.AttributeName),
          })),
          itemCount: table.ItemCount,
          sizeBytes: table.TableSizeBytes,
          itemCountNote: ITEM_COUNT_NOTE,
          pointInTimeRecovery: pitr as TableInfo['pointInTimeRecovery'],
          encryption: encryptionOf(table.SSEDescription),
          createdAt: table.CreationDateTime?.toISOString(),
          // The console of the table's partition (China, GovCloud).
          consoleUrl: awsConsoleUrl(
            arn.region,
            `dynamodbv2/home?region=${
              arn.region
            }#table?name=${encodeURIComponent(arn.tableName)}`,
          ),
        };
      },
    );
  }
}

function encryptionOf(sse?: {
  SSEType?: string;
  KMSMasterKeyArn?: string;
}): TableInfo['encryption'] {
  // No SSEDescription means the default: a key owned by DynamoDB.
  if (!sse?.SSEType) return { type: 'AWS_OWNED' };
  return sse.KMSMasterKeyArn
    ? { type: 'KMS', kmsKeyArn: sse.KMSMasterKeyArn }
    : { type: 'AWS_MANAGED' };
}

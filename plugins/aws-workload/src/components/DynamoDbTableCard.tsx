import { TableInfo } from '@aws-workload/plugin-aws-workload-common';
import {
  StatusOK,
  StatusWarning,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { formatBytes } from './format';
import { SectionCard } from './SectionCard';

/**
 * The icon beside the text: Backstage's status components hide what they
 * wrap from assistive technology, so the status stays outside them.
 */
function TableStatus({ status }: { status: string }) {
  return (
    <span
      data-table-status={status}
      style={{ display: 'inline-flex', alignItems: 'center' }}
    >
      {status === 'ACTIVE' ? <StatusOK /> : <StatusWarning />}
      {status}
    </span>
  );
}

function tableMetadata(table: TableInfo) {
  return {
    table: table.tableName,
    status: <TableStatus status={table.status} />,
    'billing mode':
      table.billingMode === 'PAY_PER_REQUEST' ? 'On demand' : 'Provisioned',
    'key schema': table.keySchema
      .map(
        k =>
          `${k.attributeName} (${
            k.keyType === 'HASH' ? 'partition' : 'sort'
          } key${k.attributeType ? `, ${k.attributeType}` : ''})`,
      )
      .join(', '),
    items:
      table.itemCount === undefined ? '—' : table.itemCount.toLocaleString(),
    size: formatBytes(table.sizeBytes),
    'point-in-time recovery': table.pointInTimeRecovery ?? 'unknown',
    encryption: table.encryption.kmsKeyArn
      ? `KMS (${table.encryption.kmsKeyArn})`
      : {
          AWS_OWNED: 'AWS owned key',
          AWS_MANAGED: 'AWS managed key',
          KMS: 'KMS',
        }[table.encryption.type],
    region: table.region,
    account: table.accountId,
  };
}

/** The entity's DynamoDB table: status, billing, keys, size, recovery and encryption. */
export function DynamoDbTableCard() {
  return (
    <SectionCard<TableInfo>
      title="DynamoDB table"
      section="table"
      deepLink={table => ({
        title: 'Open in the AWS console',
        link: table.consoleUrl,
      })}
    >
      {table => (
        <>
          <StructuredMetadataTable metadata={tableMetadata(table)} />
          <Typography variant="caption" color="textSecondary">
            {table.itemCountNote}
          </Typography>
        </>
      )}
    </SectionCard>
  );
}

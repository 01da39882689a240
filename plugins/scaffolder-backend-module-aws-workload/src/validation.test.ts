import { InputError } from '@backstage/errors';
import { NameKind, validateName } from './validation';

describe('validateName', () => {
  it.each([
    ['awsAccountId', '123456789012'],
    ['awsRegion', 'eu-west-3'],
    ['awsRegion', 'us-gov-west-1'],
    ['eksClusterName', 'vote-demo_1'],
    ['dynamoDbTableName', 'vote.table_1-x'],
    ['ecrRepositoryName', 'team/vote-service'],
    ['kubernetesName', 'vote'],
    ['serviceNamespace', 'vote'],
    ['serviceNamespace', 'kube-systems'],
  ] as [NameKind, string][])('accepts a valid %s %j', (kind, value) => {
    expect(validateName(kind, 'field', value)).toBe(value);
  });

  it.each([
    [
      'awsAccountId',
      'accountId',
      '12345',
      /^accountId must be 12 digits; got "12345"$/,
    ],
    ['awsRegion', 'region', 'mars-1', /^region must be an AWS region code/],
    ['eksClusterName', 'clusterName', '-vote', /^clusterName must be 1 to 100/],
    ['dynamoDbTableName', 'tableName', 'ab', /^tableName must be 3 to 255/],
    [
      'dynamoDbTableName',
      'tableName',
      'vote"}\nresource',
      /^tableName must be/,
    ],
    ['ecrRepositoryName', 'repository', 'Vote', /lowercase/],
    ['ecrRepositoryName', 'repository', 'vote//x', /lowercase/],
    ['kubernetesName', 'namespace', 'Vote', /DNS-1123/],
    ['kubernetesName', 'name', 'a'.repeat(64), /DNS-1123/],
    ['kubernetesName', 'name', 'vote-', /DNS-1123/],
    ['kubernetesName', 'name', '${jndi:x}', /DNS-1123/],
    ['serviceNamespace', 'namespace', 'kube-system', /not a system namespace/],
    ['serviceNamespace', 'namespace', 'kube-public', /not a system namespace/],
    [
      'serviceNamespace',
      'namespace',
      'kube-node-lease',
      /not a system namespace/,
    ],
    ['serviceNamespace', 'namespace', 'Vote', /DNS-1123/],
  ] as [NameKind, string, string, RegExp][])(
    'rejects %s %s=%j with an InputError naming the field and rule',
    (kind, field, value, message) => {
      expect(() => validateName(kind, field, value)).toThrow(InputError);
      expect(() => validateName(kind, field, value)).toThrow(message);
    },
  );

  it('rejects values that are not strings', () => {
    expect(() =>
      validateName('awsAccountId', 'accountId', 123456789012),
    ).toThrow('got number');
  });
});

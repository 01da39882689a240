import { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_DYNAMODB_ACTIONS,
  getDynamoDbActions,
  getKubernetesLabelSelector,
  isAwsWorkloadAvailable,
} from './annotations';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'vote', annotations },
  spec: { type: 'service', owner: 'vote-team', lifecycle: 'production' },
});

describe('annotations', () => {
  it('reads the DynamoDB actions, adding the service prefix to bare names', () => {
    expect(
      getDynamoDbActions(
        entity({
          'aws.amazon.com/dynamodb-actions':
            'BatchGetItem, dynamodb:UpdateItem,',
        }),
      ),
    ).toEqual(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']);
  });

  it('falls back to the read and write item actions', () => {
    expect(getDynamoDbActions(entity({}))).toEqual(DEFAULT_DYNAMODB_ACTIONS);
    expect(
      getDynamoDbActions(entity({ 'aws.amazon.com/dynamodb-actions': ' , ' })),
    ).toEqual(DEFAULT_DYNAMODB_ACTIONS);
  });

  it('prefers the explicit label selector over the kubernetes id, as the Kubernetes plugin does', () => {
    expect(
      getKubernetesLabelSelector(
        entity({ 'backstage.io/kubernetes-id': 'vote' }),
      ),
    ).toBe('backstage.io/kubernetes-id=vote');
    expect(
      getKubernetesLabelSelector(
        entity({
          'backstage.io/kubernetes-id': 'vote',
          'backstage.io/kubernetes-label-selector': 'app=vote',
        }),
      ),
    ).toBe('app=vote');
  });

  it('is available only with at least one of its annotations', () => {
    expect(isAwsWorkloadAvailable(entity({}))).toBe(false);
    expect(
      isAwsWorkloadAvailable(entity({ 'aws.amazon.com/amazon-ecr-arn': ' ' })),
    ).toBe(false);
    expect(
      isAwsWorkloadAvailable(
        entity({
          'aws.amazon.com/dynamodb-table-arn':
            'arn:aws:dynamodb:eu-west-3:123456789012:table/vote',
        }),
      ),
    ).toBe(true);
  });
});

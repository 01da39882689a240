import { AnnotationError } from '@aws-workload/plugin-aws-workload-common';
import { ConfigReader } from '@backstage/config';
import { ClusterDetails } from '../clients/ClusterConfig';
import { LookupGuard } from './LookupGuard';

const guard = LookupGuard.fromConfig(
  new ConfigReader({
    awsWorkload: {
      guard: {
        clusters: [{ name: 'prod-eks', namespaces: ['shop', 'vote'] }],
        accounts: [
          {
            accountId: '123456789012',
            tablePrefixes: ['shop-'],
            repositoryPrefixes: ['shop/'],
          },
        ],
        refuseMatchAllSelectors: true,
      },
    },
  }),
)!;

const prod: ClusterDetails = {
  name: 'prod',
  url: 'https://x',
  authProvider: 'aws',
  skipTLSVerify: false,
  awsClusterId: 'prod-eks',
};
const other: ClusterDetails = { ...prod, name: 'dev', awsClusterId: 'dev' };

describe('LookupGuard', () => {
  it('is off unless configured', () => {
    expect(LookupGuard.fromConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('allows tables and repositories by name prefix per account, other accounts untouched', () => {
    expect(() =>
      guard.checkTable(
        'arn:aws:dynamodb:eu-west-3:123456789012:table/shop-orders',
      ),
    ).not.toThrow();
    expect(() =>
      guard.checkTable(
        'arn:aws:dynamodb:eu-west-3:210987654321:table/anything',
      ),
    ).not.toThrow();
    expect(() =>
      guard.checkTable('arn:aws:dynamodb:eu-west-3:123456789012:table/payroll'),
    ).toThrow(
      /^aws\.amazon\.com\/dynamodb-table-arn: this portal allows tables of account 123456789012 named shop-… only$/,
    );
    expect(() =>
      guard.checkRepository(
        'arn:aws:ecr:eu-west-3:123456789012:repository/shop/orders',
      ),
    ).not.toThrow();
    expect(() =>
      guard.checkRepository(
        'arn:aws:ecr:eu-west-3:123456789012:repository/payroll',
      ),
    ).toThrow(AnnotationError);
  });

  it('allows only the listed namespaces on a guarded cluster, named explicitly', () => {
    const lookup = { labelSelector: 'backstage.io/kubernetes-id=shop' };
    expect(() =>
      guard.checkWorkloads([prod], { ...lookup, namespace: 'shop' }),
    ).not.toThrow();
    expect(() =>
      guard.checkWorkloads([prod], { ...lookup, namespace: 'kube-system' }),
    ).toThrow(
      /^backstage\.io\/kubernetes-namespace: on cluster prod this portal allows the namespaces shop, vote only/,
    );
    expect(() => guard.checkWorkloads([prod], lookup)).toThrow(AnnotationError);
    expect(() => guard.checkWorkloads([other], lookup)).not.toThrow();
  });

  it.each([
    ['backstage.io/kubernetes-id'],
    ['!canary'],
    ['app!=db,tier'],
    ['env notin (dev)'],
  ])('refuses selector %j: it matches every labelled pod', labelSelector => {
    expect(() =>
      guard.checkWorkloads([other], { labelSelector, namespace: 'x' }),
    ).toThrow(/^backstage\.io\/kubernetes-label-selector: /);
  });

  it.each([['app=shop'], ['app==shop,!canary'], ['env in (prod,staging)']])(
    'allows selector %j: it pins a value',
    labelSelector => {
      expect(() =>
        guard.checkWorkloads([other], { labelSelector, namespace: 'x' }),
      ).not.toThrow();
    },
  );
});

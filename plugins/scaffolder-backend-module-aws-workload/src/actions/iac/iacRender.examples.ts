import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const common = {
  name: 'vote',
  owner: 'group:default/vote-team',
  entityRef: 'component:default/vote',
  awsAccountId: '123456789012',
  awsRegion: 'eu-west-3',
  namespace: 'vote',
  githubOwner: 'acme',
  githubRepo: 'vote',
  tableActions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  // The vote service's names in the code; without them, table and ServiceStack.
  tableResourceName: 'votes',
  stackClassName: 'VoteServiceStack',
};

const step = (input: object) =>
  yaml.stringify({
    steps: [
      {
        id: 'iac',
        action: 'aws-workload:iac:render',
        name: 'Write the infrastructure',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'IRSA on an existing cluster whose OIDC provider is registered',
    example: step({
      ...common,
      clusterName: 'vote-demo',
      oidcIssuer:
        'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
      oidcProviderRegistered: true,
    }),
  },
  {
    description: 'Pod Identity on a new VPC and EKS cluster',
    example: step({
      ...common,
      credentials: 'pod-identity',
      clusterName: 'vote-cluster',
      createCluster: true,
    }),
  },
];

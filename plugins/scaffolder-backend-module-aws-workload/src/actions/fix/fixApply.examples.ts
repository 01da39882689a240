import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const service = {
  name: 'vote',
  namespace: 'vote',
  owner: 'group:default/team-a',
  entityRef: 'component:default/vote',
  awsAccountId: '123456789012',
  awsRegion: 'eu-west-3',
  clusterName: 'vote-demo',
};

export const examples: TemplateExample[] = [
  {
    description:
      'Move a workload off static keys to IRSA, in the IaC flavour its repository uses',
    example: yaml.stringify({
      steps: [
        {
          id: 'fix',
          action: 'aws-workload:fix:apply',
          name: 'Move vote off static keys',
          input: {
            ...service,
            fix: 'static-keys',
            target: 'irsa',
            oidcIssuer:
              'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
          },
        },
      ],
    }),
  },
  {
    description:
      "Repair a role's IRSA trust so that it names the workload's ServiceAccount",
    example: yaml.stringify({
      steps: [
        {
          id: 'fix',
          action: 'aws-workload:fix:apply',
          name: 'Repair the trust of vote-service',
          input: { ...service, fix: 'irsa-trust' },
        },
      ],
    }),
  },
  {
    description:
      'Migrate from IRSA to EKS Pod Identity, then open a pull request with the change',
    example: yaml.stringify({
      steps: [
        {
          id: 'fix',
          action: 'aws-workload:fix:apply',
          name: 'Migrate vote to Pod Identity',
          input: { ...service, fix: 'irsa-to-pod-identity' },
        },
        {
          id: 'pr',
          action: 'publish:github:pull-request',
          name: 'Open the pull request',
          input: {
            repoUrl: 'github.com?owner=example&repo=vote',
            branchName: "${{ steps['fix'].output.branchName }}",
            title: "${{ steps['fix'].output.title }}",
            description: "${{ steps['fix'].output.description }}",
          },
        },
      ],
    }),
  },
];

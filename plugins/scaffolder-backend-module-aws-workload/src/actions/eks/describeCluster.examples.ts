import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Look up the cluster a new service will run on, for its IRSA trust policy',
    example: yaml.stringify({
      steps: [
        {
          id: 'cluster',
          action: 'aws:eks:describe-cluster',
          name: 'Describe the EKS cluster',
          input: {
            accountId: '123456789012',
            region: 'eu-west-3',
            clusterName: 'vote-demo',
          },
        },
      ],
    }),
  },
  {
    description: 'Use the values a user picked in the wizard',
    example: yaml.stringify({
      steps: [
        {
          id: 'cluster',
          action: 'aws:eks:describe-cluster',
          name: 'Describe the EKS cluster',
          input: {
            accountId: '${{ parameters.awsAccountId }}',
            region: '${{ parameters.awsRegion }}',
            clusterName: '${{ parameters.clusterName }}',
          },
        },
      ],
    }),
  },
];

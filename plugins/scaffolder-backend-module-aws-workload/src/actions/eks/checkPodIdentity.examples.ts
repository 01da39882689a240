import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Before migrating a workload to Pod Identity: the agent runs, and its pods are not on Fargate',
    example: yaml.stringify({
      steps: [
        {
          id: 'podIdentity',
          action: 'aws:eks:check-pod-identity',
          name: 'Check that Pod Identity can run the pods',
          input: {
            accountId: '123456789012',
            region: 'eu-west-3',
            clusterName: 'vote-demo',
            namespace: 'vote',
            podLabels: { 'app.kubernetes.io/name': 'vote' },
          },
        },
      ],
    }),
  },
];

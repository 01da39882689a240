import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'The vote service with IRSA, without an Ingress',
    example: yaml.stringify({
      steps: [
        {
          id: 'manifests',
          action: 'aws-workload:manifests:render',
          name: 'Write the Kubernetes manifests',
          input: {
            name: 'vote',
            namespace: 'vote',
            credentials: 'irsa',
            roleArn: 'arn:aws:iam::123456789012:role/vote-service',
            imageRepository:
              '123456789012.dkr.ecr.eu-west-3.amazonaws.com/vote',
            imageName: 'vote-service',
            tableName: 'vote',
            region: 'eu-west-3',
            voteOptions: ['up', 'down'],
          },
        },
      ],
    }),
  },
  {
    description: 'Pod Identity and a public ALB Ingress',
    example: yaml.stringify({
      steps: [
        {
          id: 'manifests',
          action: 'aws-workload:manifests:render',
          name: 'Write the Kubernetes manifests',
          input: {
            name: 'vote',
            namespace: 'vote',
            credentials: 'pod-identity',
            roleArn: 'arn:aws:iam::123456789012:role/vote-service',
            imageRepository:
              '123456789012.dkr.ecr.eu-west-3.amazonaws.com/vote',
            imageName: 'vote-service',
            tableName: 'vote',
            region: 'eu-west-3',
            voteOptions: ['yes', 'no', 'maybe'],
            ingressHost: 'vote.example.com',
            ingressCertificateArn:
              'arn:aws:acm:eu-west-3:123456789012:certificate/0f2d7c1e-4b5a-4c3d-9e8f-7a6b5c4d3e2f',
            vpcCidr: '10.0.0.0/16',
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish only where the portal can, and hand the files over otherwise',
    example: yaml.stringify({
      steps: [
        {
          id: 'publishTarget',
          action: 'aws-workload:publish:check',
          name: 'Check where the repository can be published',
          input: { repoUrl: 'github.com?owner=acme&repo=vote' },
        },
        {
          id: 'publish',
          if: "${{ steps['publishTarget'].output.canPublish }}",
          action: 'publish:github',
          name: 'Publish to GitHub',
          input: { repoUrl: 'github.com?owner=acme&repo=vote' },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Pack what the earlier steps wrote, so that the run offers it as a download',
    example: yaml.stringify({
      steps: [
        {
          id: 'archive',
          action: 'aws-workload:workspace:archive',
          name: 'Pack the generated files',
          input: { name: 'vote' },
        },
      ],
    }),
  },
];

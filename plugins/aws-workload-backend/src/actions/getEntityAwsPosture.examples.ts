import { ActionsRegistryActionExample } from '@backstage/backend-plugin-api/alpha';
import type { AnyZodObject } from 'zod/v3';

export const examples: ActionsRegistryActionExample<
  AnyZodObject,
  AnyZodObject
>[] = [
  {
    title: 'A service whose pods use IRSA',
    description:
      'Asks how the pods of component:default/vote-irsa get AWS credentials and what is broken in that chain.',
    input: { entityRef: 'component:default/vote-irsa' },
  },
  {
    title: 'A component named without its kind and namespace',
    description:
      'A bare name is read as a Component in the default namespace, as the catalog reads it.',
    input: { entityRef: 'vote-static-keys' },
  },
];

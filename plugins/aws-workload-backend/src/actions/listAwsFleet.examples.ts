import { ActionsRegistryActionExample } from '@backstage/backend-plugin-api/alpha';
import type { AnyZodObject } from 'zod/v3';

export const examples: ActionsRegistryActionExample<
  AnyZodObject,
  AnyZodObject
>[] = [
  {
    title: 'Every service still on static keys',
    description:
      'The entities with a workload whose pods read AWS access keys from their environment or a mounted file.',
    input: { mode: ['static-keys'] },
  },
  {
    title: "One team's broken credential chains",
    description:
      'The entities owned by group:default/team-vote with a failing IRSA trust-policy check.',
    input: {
      owner: ['group:default/team-vote'],
      failingCheck: ['trust-policy-allows-sa'],
    },
  },
];

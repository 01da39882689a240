import { Lookup } from '@aws-workload/plugin-aws-workload-common';

/**
 * Turns an unexpected failure into "could not look", with its reason: a
 * chain check then says `unknown`, never a guess. Every reader of an
 * upstream (IAM, EKS, the cluster) answers through it.
 */
export async function lookup<T>(
  fn: () => Promise<Lookup<T>>,
): Promise<Lookup<T>> {
  try {
    return await fn();
  } catch (e) {
    const error = e as Error;
    return { status: 'unknown', reason: `${error.name}: ${error.message}` };
  }
}

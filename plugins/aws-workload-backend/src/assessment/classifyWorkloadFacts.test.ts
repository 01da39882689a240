import { toWorkloadInput } from '@aws-workload/plugin-aws-workload-common';
import {
  deployment,
  irsaEnv,
  podOf,
  serviceAccount,
} from '../__fixtures__/kubernetes';
import { WorkloadFacts } from '../facts/EntityFacts';
import { classifyWorkloadFacts } from './classifyWorkloadFacts';

const dep = deployment('vote', 'vote', { serviceAccountName: 'vote' });
const input = toWorkloadInput(
  { apiVersion: 'apps/v1', kind: 'Deployment', ...dep },
  [podOf(dep, 'a1b2c', irsaEnv('vote')) as any],
)!;
const facts = (context: WorkloadFacts['context']): WorkloadFacts => ({
  cluster: 'production',
  eksCluster: 'vote-demo',
  input,
  context,
});

describe('classifyWorkloadFacts', () => {
  it('classifies a workload once for its collector and its assessment, and again when its context differs', () => {
    const context = {
      serviceAccounts: [serviceAccount('vote', 'vote', 'vote') as any],
    };
    const first = classifyWorkloadFacts(facts(context));
    expect(first.mode).toBe('irsa');
    // The same workload with its credentials added (a new facts object).
    expect(
      classifyWorkloadFacts({
        ...facts(context),
        credentials: { role: { status: 'not-found' } },
      }),
    ).toBe(first);
    // Another context (its ServiceAccount unreadable) is another question.
    const other = classifyWorkloadFacts(facts({}));
    expect(other).not.toBe(first);
    expect(other).toEqual(classifyWorkloadFacts(facts({})));
  });
});

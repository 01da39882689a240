import { EntityProvider } from '@backstage/plugin-catalog-react';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { entity } from '../__fixtures__/entityView';
import { TechInsightsChecksCard } from './TechInsightsChecksCard';

/** Checks as the tech-insights backend lists them (GET /checks). */
const checks = [
  {
    id: 'awsCredentialChainHealthy',
    type: 'json-rules-engine',
    name: 'AWS credential chain healthy',
    description: 'Every link from the pod to the IAM role checks out.',
    factIds: ['awsWorkloadPostureRetriever'],
    metadata: { category: 'Security', rank: 2, solution: 'Open the AWS tab.' },
  },
  {
    id: 'awsNoStaticKeys',
    type: 'json-rules-engine',
    name: 'No static AWS keys',
    description: 'No pod reads AWS access keys.',
    factIds: ['awsWorkloadPostureRetriever'],
    metadata: {
      category: 'Security',
      rank: 1,
      solution: 'Bind its ServiceAccount to an IAM role.',
    },
  },
  {
    id: 'hasOwner',
    type: 'json-rules-engine',
    name: 'Has an owner',
    description: 'Not ours.',
    factIds: ['entityOwnershipFactRetriever'],
  },
];

function render(answers: {
  checks: unknown;
  run?: (body: any) => unknown;
  runStatus?: number;
}) {
  const calls: { url: string; body?: any }[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ url, body });
      const json = url.endsWith('/checks')
        ? answers.checks
        : answers.run?.(body);
      const status = url.endsWith('/checks') ? 200 : answers.runStatus ?? 200;
      return new Response(JSON.stringify(json), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
    },
  };
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend/api/${id}`,
  };
  return {
    calls,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [fetchApiRef, fetchApi],
          [discoveryApiRef, discoveryApi],
        ]}
      >
        <EntityProvider entity={entity}>
          <TechInsightsChecksCard />
        </EntityProvider>
      </TestApiProvider>,
    ),
  };
}

describe('TechInsightsChecksCard', () => {
  it('runs only the AWS posture checks for the entity and says each result in words, rank first, with the fix of a failing one', async () => {
    const { calls, rendered } = render({
      checks,
      run: (body: { checks: string[] }) =>
        checks
          .filter(c => body.checks.includes(c.id))
          .map(check => ({
            check,
            result: check.id !== 'awsNoStaticKeys',
            facts: {},
          })),
    });
    await rendered;
    const list = await screen.findByRole('list', { name: 'AWS checks' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      'No static AWS keys: FailingTo fix: Bind its ServiceAccount to an IAM role.',
      'AWS credential chain healthy: PassingEvery link from the pod to the IAM role checks out.',
    ]);
    const run = calls.find(c => c.url.includes('/checks/run/'))!;
    expect(run.url).toBe(
      `http://backend/api/tech-insights/checks/run/${
        entity.metadata.namespace ?? 'default'
      }/${entity.kind}/${entity.metadata.name}`,
    );
    expect(run.body.checks.sort()).toEqual([
      'awsCredentialChainHealthy',
      'awsNoStaticKeys',
    ]);
  });

  it('says "No result yet" for a check Tech Insights holds no fact for', async () => {
    const { rendered } = render({ checks, run: () => [] });
    await rendered;
    expect(await screen.findAllByText('No result yet')).toHaveLength(2);
  });

  it('says what to install when Tech Insights does not answer', async () => {
    const failing = render({ checks, run: () => ({}), runStatus: 404 });
    await failing.rendered;
    expect(
      await screen.findByText(/Tech Insights did not answer/),
    ).toBeInTheDocument();
  });

  it('asks for the checks to be copied when none reads the AWS posture facts', async () => {
    const { rendered } = render({ checks: [checks[2]] });
    await rendered;
    expect(
      await screen.findByText(
        /No Tech Insights check reads the AWS posture facts/,
      ),
    ).toBeInTheDocument();
  });
});

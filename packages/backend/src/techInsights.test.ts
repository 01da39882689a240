/**
 * The AWS posture module in the real tech-insights backend with the json-rules-engine
 * fact checker and the shipped checks, beside the aws-workload plugin on
 * the demo's data: the facts come from the stored fleet over HTTP, the
 * checks run through /api/tech-insights/checks/run.
 */
import awsWorkloadDemo from '@aws-workload/plugin-aws-workload-backend-module-demo';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonRulesEngine from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import techInsightsModuleAwsWorkloadPosture from '@aws-workload/plugin-tech-insights-backend-module-aws-workload';
import awsWorkloadPlugin from '@aws-workload/plugin-aws-workload-backend';

/** The checks this package ships, as a portal copies them. */
const shipped = parse(
  readFileSync(
    resolve(
      __dirname,
      '../../../plugins/tech-insights-backend-module-aws-workload/checks.yaml',
    ),
    'utf8',
  ),
) as { techInsights: Record<string, any> };

const config = {
  catalog: {
    rules: [{ allow: ['Component', 'Resource', 'System', 'Group', 'User'] }],
    processingInterval: { seconds: 1 },
  },
  awsWorkload: {
    fleet: {
      schedule: {
        frequency: { seconds: 2 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 1 },
      },
    },
  },
  techInsights: {
    ...shipped.techInsights,
    factRetrievers: {
      awsWorkloadPostureRetriever: {
        ...shipped.techInsights.factRetrievers.awsWorkloadPostureRetriever,
        // Every second here, so that a run follows the fleet's first refresh.
        cadence: '* * * * * *',
      },
    },
  },
};

type CheckResult = {
  check: { id: string; metadata: { rank: number; solution: string } };
  result: boolean;
  facts: Record<string, { value: unknown }>;
};

async function until<T>(what: string, probe: () => Promise<T | undefined>) {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('Tech Insights facts of the AWS posture', () => {
  let backend: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  const runChecks = async (name: string) => {
    const res = await request(backend)
      .post(`/api/tech-insights/checks/run/default/component/${name}`)
      .set('Authorization', mockCredentials.user.header())
      .send({});
    return { status: res.status, results: res.body as CheckResult[] };
  };
  const byId = (results: CheckResult[]) =>
    Object.fromEntries(results.map(r => [r.check.id, r]));

  beforeAll(async () => {
    const started = await startTestBackend({
      features: [
        catalogBackend,
        awsWorkloadPlugin,
        awsWorkloadDemo,
        techInsightsBackend,
        techInsightsJsonRulesEngine,
        techInsightsModuleAwsWorkloadPosture,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    backend = started.server;
    stop = () => started.stop();
    // The retriever stores facts once the fleet holds the demo's services.
    await until('facts of the demo services', async () => {
      const { results } = await runChecks('vote-static-keys');
      return Array.isArray(results) &&
        results.some(r => r.check.id === 'awsNoStaticKeys')
        ? true
        : undefined;
    });
  }, 60_000);
  afterAll(() => stop());

  it('fails "No static AWS keys" on vote-static-keys, rank 1, with its solution', async () => {
    const { status, results } = await runChecks('vote-static-keys');
    expect(status).toBe(200);
    const checks = byId(results);
    expect(checks.awsNoStaticKeys.result).toBe(false);
    expect(checks.awsNoStaticKeys.check.metadata.rank).toBe(1);
    expect(checks.awsNoStaticKeys.check.metadata.solution).toMatch(
      /bind its ServiceAccount to an IAM role/,
    );
    expect(checks.awsNoStaticKeys.facts.staticKeysPresent.value).toBe(true);
    expect(checks.awsCredentialChainHealthy.result).toBe(false);
  });

  it('passes the credential checks on vote-irsa', async () => {
    const { results } = await runChecks('vote-irsa');
    const checks = byId(results);
    expect(checks.awsNoStaticKeys.result).toBe(true);
    expect(checks.awsCredentialChainHealthy.result).toBe(true);
    expect(checks.awsCredentialChainHealthy.facts.chainHealthy.value).toBe(
      true,
    );
  });

  it('fails the chain on vote-broken-irsa, whose trust policy names another ServiceAccount', async () => {
    const { results } = await runChecks('vote-broken-irsa');
    const checks = byId(results);
    expect(checks.awsNoStaticKeys.result).toBe(true);
    expect(checks.awsCredentialChainHealthy.result).toBe(false);
  });

  it('publishes the versioned schema of its facts', async () => {
    const res = await request(backend)
      .get('/api/tech-insights/fact-schemas?ids[]=awsWorkloadPostureRetriever')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        id: 'awsWorkloadPostureRetriever',
        version: '1.0.0',
        credentialModes: expect.objectContaining({ type: 'set' }),
        staticKeysPresent: expect.objectContaining({ type: 'boolean' }),
      }),
    ]);
  });
});

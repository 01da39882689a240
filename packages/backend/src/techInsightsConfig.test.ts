import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(__dirname, '../../..');
const read = (file: string) =>
  parse(readFileSync(resolve(root, file), 'utf8')) as {
    techInsights: { factChecker: unknown; factRetrievers: any };
  };

describe("the portal's Tech Insights checks", () => {
  it('are the AWS posture module checks a portal copies, on a faster cadence', () => {
    const portal = read('app-config.yaml').techInsights;
    const shipped = read(
      'plugins/tech-insights-backend-module-aws-workload/checks.yaml',
    ).techInsights;
    expect(portal.factChecker).toEqual(shipped.factChecker);
    expect(portal.factRetrievers.awsWorkloadPostureRetriever).toEqual({
      ...shipped.factRetrievers.awsWorkloadPostureRetriever,
      cadence: '*/15 * * * * *',
    });
  });
});

import { expect, Page, test } from '@playwright/test';
import {
  backendUrl,
  screenshotPath,
  signInAsGuest,
  waitForBackend,
} from './portal';

/**
 * The posture outside the plugin's own pages, in the demo portal: the Tech
 * Insights scorecard on the entity page, and the actions an AI assistant
 * reaches over MCP.
 */
test.beforeAll(async ({ request }) => {
  await waitForBackend(request);
});

/** The scorecard's rows, once Tech Insights holds the demo's facts. */
async function scorecardOf(page: Page, name: string) {
  const list = page.getByRole('list', { name: 'AWS checks' });
  // The retriever runs every 15 s in development; the first run can come
  // before the fleet's first refresh.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}`);
    await expect(
      list.getByRole('listitem').filter({ hasText: 'No static AWS keys' }),
    ).toContainText(/Passing|Failing/, { timeout: 5_000 });
  }).toPass({ timeout: 90_000, intervals: [2_000] });
  return list;
}

test('the Tech Insights scorecard fails vote-static-keys on static keys, with the fix, and passes vote-irsa', async ({
  page,
}) => {
  await signInAsGuest(page);
  const failing = await scorecardOf(page, 'vote-static-keys');
  const keys = failing
    .getByRole('listitem')
    .filter({ hasText: 'No static AWS keys' });
  await expect(keys).toContainText('No static AWS keys: Failing');
  await expect(keys).toContainText(
    'To fix: Remove the keys from the pod, bind its ServiceAccount to an IAM role',
  );
  // Rank 1 comes first.
  await expect(failing.getByRole('listitem').first()).toContainText(
    'No static AWS keys',
  );
  await failing.screenshot({
    path: screenshotPath('tech-insights-vote-static-keys.png'),
  });

  const passing = await scorecardOf(page, 'vote-irsa');
  await expect(
    passing.getByRole('listitem').filter({ hasText: 'No static AWS keys' }),
  ).toContainText('No static AWS keys: Passing');
  await expect(
    passing
      .getByRole('listitem')
      .filter({ hasText: 'AWS credential chain healthy' }),
  ).toContainText('AWS credential chain healthy: Passing');
});

test("the canary's owners hear of its posture change in the portal's notifications", async ({
  page,
}) => {
  await signInAsGuest(page);
  // The demo's canary changes between IRSA and static keys every 30 seconds;
  // the fleet refresh (every 30 seconds) notifies from its second run on.
  const notification = page
    .getByText(
      /^vote-canary (now uses static AWS keys|: AWS credential chain healthy again)$/,
    )
    .first();
  await expect(async () => {
    await page.goto('/notifications');
    await expect(notification).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await page.screenshot({
    path: screenshotPath('notifications-vote-canary.png'),
    fullPage: true,
  });
});

test('the fleet charts the modes over time, and the AWS tab says since when a check fails', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/aws-workload');
  const today = new Date().toISOString().slice(0, 10);
  const chart = page.getByRole('img', {
    name: /^Entities per credential mode (on|from) /,
  });
  await expect(chart).toBeVisible({ timeout: 60_000 });
  await expect(chart).toHaveAttribute('aria-label', new RegExp(today));
  await expect(page.getByRole('list', { name: 'Latest counts' })).toContainText(
    'IRSA:',
  );
  await chart.screenshot({ path: screenshotPath('fleet-trend.png') });

  await page.goto('/catalog/default/component/vote-static-keys/aws');
  const keys = page
    .getByRole('list', { name: /^Checks to act on/ })
    .first()
    .locator('[data-check="static-keys-present"]');
  await expect(keys).toContainText(/Failing since .+ \(.+\)/);
});

test("an MCP client lists the plugin's tools and reads an entity's posture", async ({
  request,
}) => {
  const session = await request.get(
    `${backendUrl}/api/auth/guest/refresh?env=development`,
  );
  const token = (await session.json()).backstageIdentity.token as string;
  const mcp = (body: object) =>
    request.post(`${backendUrl}/api/mcp-actions/v1`, {
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json, text/event-stream',
      },
      data: { jsonrpc: '2.0', id: 1, ...body },
    });
  /** The JSON-RPC result of a streamable HTTP answer (one SSE message). */
  const resultOf = async (res: Awaited<ReturnType<typeof mcp>>) => {
    expect(res.status()).toBe(200);
    const data = (await res.text())
      .split('\n')
      .find(line => line.startsWith('data: '))!;
    return JSON.parse(data.slice('data: '.length)).result;
  };
  const tools = await resultOf(await mcp({ method: 'tools/list' }));
  expect(tools.tools.map((t: { name: string }) => t.name)).toEqual(
    expect.arrayContaining([
      'aws-workload.get-entity-aws-posture',
      'aws-workload.list-aws-fleet',
      'aws-workload.inspect-kubernetes-manifests',
    ]),
  );
  const posture = await resultOf(
    await mcp({
      method: 'tools/call',
      params: {
        name: 'aws-workload.get-entity-aws-posture',
        arguments: { entityRef: 'component:default/vote-static-keys' },
      },
    }),
  );
  expect(posture.structuredContent.modes).toEqual(['static-keys']);
});

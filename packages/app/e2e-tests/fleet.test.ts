import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { screenshotPath, signInAsGuest, waitForBackend } from './portal';

test.beforeAll(async ({ request }) => {
  await waitForBackend(request);
});

/**
 * The five ways of the vote service (vote-team's); the demo's canary
 * (owned by guests) changes mode every 30 seconds, so the counts leave it out.
 */
const VOTE_TEAM = '?owner=group:default/vote-team';

const count = (page: import('@playwright/test').Page, bucket: string) =>
  page.getByTestId(`mode-bar-${bucket}`).getByTestId('count');

test('the fleet page counts the demo entities per mode, filters, and links each row to its AWS tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  // Reached from the sidebar, as a platform engineer would.
  await page.getByRole('link', { name: 'AWS fleet' }).first().click();
  await expect(page).toHaveURL(/\/aws-workload$/);
  await page.goto(`/aws-workload${VOTE_TEAM}`);
  // The first refresh runs a few seconds after the backend starts.
  await expect
    .poll(
      async () => {
        if (await page.getByText('Entities (5)').isVisible()) return true;
        await page.reload();
        return false;
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(true);
  await expect(count(page, 'irsa')).toHaveText('2');
  await expect(count(page, 'pod-identity')).toHaveText('1');
  await expect(count(page, 'static-keys')).toHaveText('1');
  await expect(count(page, 'node-role')).toHaveText('1');
  await expect(count(page, 'none')).toHaveText('0');
  await expect(page.getByText('trust-sub', { exact: true })).toBeVisible();
  // The broken chain reads as broken on the fleet too, with the check's title.
  const broken = page.getByRole('row', { name: /vote-broken-irsa/ });
  await expect(broken.locator('[data-mode]')).toHaveText(
    'IRSA · 1 check failing',
  );
  await expect(broken).toContainText('Trust policy names this ServiceAccount');
  await page.screenshot({ path: screenshotPath('fleet.png'), fullPage: true });

  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter(v =>
    ['serious', 'critical'].includes(v.impact ?? ''),
  );
  expect(
    serious.map(
      v =>
        `${v.id}: ${v.help} at ${v.nodes
          .slice(0, 3)
          .map(n => `${n.target.join(' ')} ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    ),
  ).toEqual([]);

  await page.getByTestId('mode-bar-static-keys').click();
  await expect(page.getByText('Entities (1)')).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'vote-static-keys', exact: true }),
  ).toBeVisible();
  await expect(page.getByText('static-keys-present')).toBeVisible();
  // The chart keeps the other modes while one is selected.
  await expect(count(page, 'irsa')).toHaveText('2');

  await page
    .getByRole('link', { name: 'vote-static-keys', exact: true })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/vote-static-keys\/aws$/,
  );
  await expect(page.locator('[data-mode]').first()).toHaveText(
    'Static keys · 1 check failing',
  );
});

test('the fleet searches, filters by warning and groups, with the view in the URL and the counts following', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto(`/aws-workload${VOTE_TEAM}`);
  await expect(page.getByText('Entities (5)')).toBeVisible({ timeout: 60_000 });
  // The count follows the search box, and the search is in the URL.
  await page
    .getByRole('searchbox', { name: 'Search the fleet' })
    .fill('pod identity');
  await expect(page.getByText('Entities (1)')).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'vote-pod-identity', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'vote-irsa', exact: true }),
  ).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]q=pod\+identity/);
  await page.getByRole('searchbox', { name: 'Search the fleet' }).fill('');

  // Warnings are findings: the node-role service is found by its warning.
  await page.getByLabel('Warning').click();
  await page
    .getByRole('option', { name: "Pods do not fall back to the node's role" })
    .click();
  await expect(page.getByText('Entities (1)')).toBeVisible();
  const nodeRole = page.getByRole('row', { name: /vote-node-role/ });
  await expect(nodeRole).toContainText(
    "Pods do not fall back to the node's role",
  );
  // Cluster and account columns, and the running image's findings.
  await expect(nodeRole).toContainText('vote-demo');
  await expect(nodeRole).toContainText('123456789012');
  await expect(nodeRole.locator('[data-findings]')).toHaveText(
    /\d+ critical, \d+ high/,
  );
  await expect(page).toHaveURL(/warningCheck=node-role-fallback/);

  // The view survives a reload and can be shared: grouped by owner, filtered.
  await page.getByLabel('Group by').click();
  await page.getByRole('option', { name: 'Owner' }).click();
  await expect(page).toHaveURL(/group=owner/);
  await page.reload();
  await expect(
    page.getByRole('region', { name: /^Owner group:default\/vote-team/ }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Entities (', { exact: false })).toHaveCount(0);
  await expect(page.getByLabel('Warning')).toContainText(
    "Pods do not fall back to the node's role",
  );
  await page.screenshot({
    path: screenshotPath('fleet-grouped.png'),
    fullPage: true,
  });
});

import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { screenshotPath, signInAsGuest, waitForBackend } from './portal';

/** The demo entities and what their AWS tab must show (local demo data). */
const DEMOS = [
  { name: 'vote-node-role', chip: 'Node role', mode: 'node-role' },
  { name: 'vote-static-keys', chip: 'Static keys', mode: 'static-keys' },
  { name: 'vote-irsa', chip: 'IRSA', mode: 'irsa' },
  { name: 'vote-pod-identity', chip: 'Pod Identity', mode: 'pod-identity' },
  { name: 'vote-broken-irsa', chip: 'IRSA', mode: 'irsa' },
];

test.beforeAll(async ({ request }) => {
  await waitForBackend(request);
});

async function openAwsTab(page: Page, name: string) {
  await page.goto(`/catalog/default/component/${name}/aws`);
  await expect(
    page.getByText('Pod credentials', { exact: true }),
  ).toBeVisible();
  await expect(page.locator('[data-mode]').first()).toBeVisible();
}

test('each demo service shows its credential mode, table and images on the AWS tab', async ({
  page,
}) => {
  await signInAsGuest(page);
  for (const demo of DEMOS) {
    await openAwsTab(page, demo.name);
    const chip = page.locator('[data-mode]').first();
    await expect(chip).toHaveText(demo.chip);
    await expect(chip).toHaveAttribute('data-mode', demo.mode);
    await expect(
      page.getByText('DynamoDB table', { exact: true }),
    ).toBeVisible();
    await expect(
      page.getByText(demo.name, { exact: true }).first(),
    ).toBeVisible();
    await expect(page.getByText('running').first()).toBeVisible();
    await page.screenshot({
      path: screenshotPath(`aws-tab-${demo.name}.png`),
      fullPage: true,
    });
  }
});

test('the cards are on the overview page too', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/vote-irsa');
  await expect(
    page.getByText('Pod credentials', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText('DynamoDB table', { exact: true })).toBeVisible();
  await expect(page.getByText('ECR images', { exact: true })).toBeVisible();
});

test('the AWS tab follows the dark theme', async ({ page }) => {
  await signInAsGuest(page);
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  await openAwsTab(page, 'vote-pod-identity');
  const background = await page.evaluate(
    () => getComputedStyle(document.body).backgroundColor,
  );
  expect(background).not.toBe('rgb(255, 255, 255)');
  await page.screenshot({
    path: screenshotPath('aws-tab-dark.png'),
    fullPage: true,
  });
});

test('the broken IRSA chain shows its failing check and the fix', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-broken-irsa');
  const failing = page.locator('[data-status="fail"]');
  await expect(failing).toHaveCount(1);
  await expect(failing).toHaveAttribute('data-check', 'trust-sub');
  await expect(failing).toContainText(
    'system:serviceaccount:vote-broken-irsa:vote',
  );
  await expect(failing).toContainText('Fix:');
  await expect(page.locator('[data-status="pass"]')).toHaveCount(7);
});

test('the AWS tab has no serious or critical accessibility violations', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-irsa');
  await expect(page.getByText('ECR images', { exact: true })).toBeVisible();
  const results = await new AxeBuilder({ page }).include('main').analyze();
  const serious = results.violations.filter(
    v => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    serious.map(
      v =>
        `${v.id}: ${v.help} at ${v.nodes
          .map(n => n.target.join(' '))
          .join(', ')}`,
    ),
  ).toEqual([]);
});

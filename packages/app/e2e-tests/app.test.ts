import { test, expect } from '@playwright/test';
import { screenshotPath, signInAsGuest, waitForBackend } from './portal';

test.beforeAll(async ({ request }) => {
  await waitForBackend(request);
});

test('a guest signs in and finds the example services in the catalog', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page
    .getByRole('link', { name: 'Catalog', exact: true })
    .first()
    .click();
  await expect(
    page.getByRole('heading', { name: 'AWS Workload Portal Catalog' }),
  ).toBeVisible();

  for (const name of [
    'vote-node-role',
    'vote-static-keys',
    'vote-irsa',
    'vote-pod-identity',
    'vote-broken-irsa',
  ]) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.screenshot({
    path: screenshotPath('catalog.png'),
    fullPage: true,
  });

  await page.getByRole('link', { name: 'vote-irsa', exact: true }).click();
  await expect(
    page.getByText('IRSA: the ServiceAccount is bound'),
  ).toBeVisible();
});

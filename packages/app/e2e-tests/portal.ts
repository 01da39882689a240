import { expect, Page, APIRequestContext } from '@playwright/test';
import path from 'node:path';

export const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';

/** Git-ignored folder for screenshots that documentation may reuse. */
export const screenshotPath = (name: string) =>
  path.resolve(__dirname, '../../../test-results/screenshots', name);

/** The dev server can answer before the backend has finished starting. */
export async function waitForBackend(request: APIRequestContext) {
  await expect
    .poll(
      async () =>
        (await request
          .get(`${backendUrl}/.backstage/health/v1/readiness`)
          .then(r => r.status())
          .catch(() => 0)) as number,
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(200);
}

export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // The sidebar renders twice (desktop and mobile); one is always hidden.
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible();
}

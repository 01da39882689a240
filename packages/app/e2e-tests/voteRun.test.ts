import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { screenshotPath, signInAsGuest, waitForBackend } from './portal';

test.beforeAll(async ({ request }) => {
  await waitForBackend(request);
});

// The demo portal has no GitHub token: the run cannot publish, and must
// still hand over everything it generated.
test.skip(
  Boolean(process.env.GITHUB_TOKEN),
  'with GITHUB_TOKEN set the run would publish a real repository',
);

test('a run on a portal that cannot publish hands the generated files over, and says why', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page);
  await page.goto('/create/templates/default/vote-service');

  await page.getByLabel('Name').fill('ballot');
  await page.getByLabel('Owner').fill('vote-team');
  await page
    .getByRole('option', { name: /vote-team/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('AWS account id').fill('123456789012');
  await page
    .getByRole('textbox', { name: 'EKS cluster name' })
    .fill('vote-demo');
  // The issuer given: the run reads nothing from AWS.
  await page
    .getByLabel('OIDC issuer URL (optional)')
    .fill(
      'https://oidc.eks.eu-west-3.amazonaws.com/id/D3M0V0TEC1USTER5C5F3E2B7A1D4E6F',
    );
  await page.getByLabel('Kubernetes namespace').fill('ballot');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Owner').fill('acme');
  await page.getByLabel('Repository').fill('ballot');
  await page.getByLabel('Repository').press('Tab');
  // Said on the repository step, and listed on the review step: before
  // Create, not after a failed publish.
  await expect(page.getByRole('status', { name: 'Publishing' })).toContainText(
    'Not published: The portal has no token or GitHub App',
  );
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(
    page
      .getByText(/^Not published: The portal has no token or GitHub App/)
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: screenshotPath('wizard-review-not-published.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText('Not published').first()).toBeVisible({
    timeout: 120_000,
  });
  await expect(
    page
      .getByText(
        /The portal has no token or GitHub App for github\.com \(integrations\.github\), so it cannot create the repository/,
      )
      .first(),
  ).toBeVisible();
  const download = page.getByRole('link', {
    name: 'Download the generated files',
  });
  await expect(download).toBeVisible();
  await page.screenshot({
    path: screenshotPath('wizard-not-published.png'),
    fullPage: true,
  });

  const [file] = await Promise.all([
    page.waitForEvent('download'),
    download.click(),
  ]);
  expect(file.suggestedFilename()).toBe('ballot.tar.gz');
  const saved = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'download-')),
    'ballot.tar.gz',
  );
  await file.saveAs(saved);
  const entries = execFileSync('tar', ['-tzf', saved], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  expect(entries).toEqual(
    expect.arrayContaining([
      'README.md',
      'package-lock.json',
      'k8s/deployment.yaml',
      'infra/terraform/main.tf',
      'catalog-info.yaml',
    ]),
  );

  // Kept by the aws-workload backend too, for a run that would have failed
  // after rendering: the page the run's log links to offers the same files.
  const taskId = new URL(page.url()).pathname.split('/').pop();
  await page.goto(`/aws-workload-files/${taskId}`);
  await expect(
    page.getByRole('link', { name: 'Download the generated files' }),
  ).toBeVisible();
  await expect(page.getByText(`What run ${taskId} generated`)).toBeVisible();
});

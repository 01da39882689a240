import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { screenshotPath, signInAsGuest, waitForBackend } from './portal';

/**
 * The demo entities and what their AWS tab must show (local demo data): the
 * chip says the mode and whether the chain works, at a glance.
 */
const DEMOS = [
  {
    name: 'vote-node-role',
    chip: 'Node role · 1 warning',
    mode: 'node-role',
    health: 'warning',
  },
  {
    name: 'vote-static-keys',
    chip: 'Static keys · 1 check failing',
    mode: 'static-keys',
    health: 'failing',
  },
  {
    name: 'vote-irsa',
    chip: 'IRSA · healthy',
    mode: 'irsa',
    health: 'healthy',
  },
  {
    name: 'vote-pod-identity',
    chip: 'Pod Identity · healthy',
    mode: 'pod-identity',
    health: 'healthy',
  },
  {
    name: 'vote-broken-irsa',
    chip: 'IRSA · 1 check failing',
    mode: 'irsa',
    health: 'failing',
  },
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
    await expect(chip).toHaveAttribute('data-health', demo.health);
    await expect(
      page.getByText('DynamoDB table', { exact: true }),
    ).toBeVisible();
    await expect(
      page.getByText(demo.name, { exact: true }).first(),
    ).toBeVisible();
    await expect(
      page.getByText('running', { exact: true }).first(),
    ).toBeVisible();
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

test('the broken IRSA chain shows its failing check first, with the fix, and folds the passed ones', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-broken-irsa');
  // What assistive technology reads: the list by its name, each check by
  // its status in words and its title (not an empty item beside an icon).
  const toActOn = page.getByRole('list', {
    name: 'Checks to act on, Deployment vote-broken-irsa',
  });
  const items = toActOn.getByRole('listitem');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAttribute('data-check', 'trust-sub');
  await expect(items.first()).toContainText(
    'Failing: Trust policy names this ServiceAccount',
  );
  await expect(items.first()).toContainText(
    'system:serviceaccount:vote-broken-irsa:vote',
  );
  await expect(items.first()).toContainText('Fix:');
  // The fix as code: the role's trust policy corrected with this entity's
  // own values, and the command that applies it; the copy button copies
  // exactly what is shown.
  const policy = items.first().locator('pre[data-artefact="json"]');
  const corrected = JSON.parse((await policy.textContent())!);
  const condition = JSON.stringify(corrected.Statement);
  expect(condition).toContain(
    'system:serviceaccount:vote-broken-irsa:vote-broken-irsa',
  );
  await expect(items.first().locator('pre[data-artefact="shell"]')).toHaveText(
    'aws iam update-assume-role-policy --role-name vote-broken-irsa --policy-document file://trust-policy.json',
  );
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await items
    .first()
    .getByRole('button', {
      name: 'Copy: Corrected trust policy (trust-policy.json)',
    })
    .click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    await policy.textContent(),
  );
  const passed = page.locator('details', { hasText: '7 checks passed' });
  await expect(passed).toBeVisible();
  await expect(passed).not.toHaveAttribute('open', '');
  await expect(passed.locator('[data-status="pass"]').first()).toBeHidden();
  await passed.locator('summary').click();
  const passedList = page.getByRole('list', {
    name: 'Checks passed, Deployment vote-broken-irsa',
  });
  await expect(passedList.getByRole('listitem')).toHaveCount(7);
  await expect(passedList.getByRole('listitem').first()).toContainText(
    'Passed: ',
  );
  await page.screenshot({
    path: screenshotPath('aws-tab-broken-irsa-checks.png'),
    fullPage: true,
  });
});

test('the node-role service carries the commands that bind it to a role, and is re-checked on demand', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-node-role');
  const toActOn = page.getByRole('list', {
    name: 'Checks to act on, Deployment vote-node-role',
  });
  const fallback = toActOn.locator('[data-check="node-role-fallback"]');
  await expect(fallback).toContainText(
    "Warning: Pods do not fall back to the node's role",
  );
  // A role EKS Pod Identity may assume, the table's actions, the
  // association on the workload's own cluster: the entity's values only.
  const trust = JSON.parse(
    (await fallback
      .locator('pre[data-artefact="json"]')
      .first()
      .textContent())!,
  );
  expect(trust.Statement[0].Principal).toEqual({
    Service: 'pods.eks.amazonaws.com',
  });
  const commands = fallback.locator('pre[data-artefact="shell"]');
  await expect(commands).toHaveText(
    [
      'aws iam create-role --role-name vote-node-role-default --assume-role-policy-document file://trust-policy.json',
      'aws iam put-role-policy --role-name vote-node-role-default --policy-name vote-node-role-access --policy-document file://table-policy.json',
      'aws eks create-pod-identity-association --cluster-name vote-demo --namespace vote-node-role --service-account default --role-arn "$(aws iam get-role --role-name vote-node-role-default --query Role.Arn --output text)"',
      '# Credentials are injected when a pod starts: restart the pods.',
      'kubectl rollout restart deployment/vote-node-role -n vote-node-role',
    ].join('\n'),
  );
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await fallback
    .getByRole('button', { name: /^Copy: Create role vote-node-role-/ })
    .click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    await commands.textContent(),
  );

  // Did it work? When it was checked, and a re-check on demand; a second
  // one at once is refused with the time to wait.
  await expect(page.getByText(/^Checked/)).toBeVisible();
  await expect(page.getByText(/IAM is eventually consistent/)).toBeVisible();
  await page.getByRole('button', { name: 'Re-check' }).click();
  await expect(page.getByText('Re-checked just now.')).toBeVisible();
  await expect(page.locator('[data-mode]').first()).toHaveText(
    'Node role · 1 warning',
  );
  await page.getByRole('button', { name: 'Re-check' }).click();
  await expect(
    page.getByText(/Could not re-check: .*try again in \d+ s/),
  ).toBeVisible();
  await page.screenshot({
    path: screenshotPath('aws-tab-node-role-fix.png'),
    fullPage: true,
  });
});

test('the workload lists its pods, each digest linking to its ECR image on the page', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-irsa');
  const pods = page.getByRole('table', {
    name: 'Pods of Deployment vote-irsa',
  });
  const rows = pods.getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Running');
  await expect(rows.nth(1)).toContainText('1/1');
  const digest = rows.nth(1).getByRole('link');
  const target = (await digest.getAttribute('href'))!;
  expect(target).toMatch(/^#ecr-image-[0-9a-f]{32}$/);
  // The anchor is the digest of the running image in the ECR card.
  await expect(page.locator(target)).toHaveText(await digest.innerText());
  await digest.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/vote-irsa\/aws#ecr-image-/,
  );
});

test('the table status is read as text, not hidden with its icon', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-irsa');
  const status = page.locator('[data-table-status]');
  await expect(status).toHaveText('ACTIVE');
  // No aria-hidden ancestor: assistive technology reaches the word.
  expect(
    await status.evaluate(el => el.closest('[aria-hidden="true"]') === null),
  ).toBe(true);
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

test('a broken chain is one click from a pull request: the fix template opens prefilled from the entity', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAwsTab(page, 'vote-static-keys');
  const link = page.getByRole('link', {
    name: 'Move off static keys in a pull request',
  });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/fix-aws-credentials\?formData=/,
  );
  await expect(
    page.getByRole('heading', {
      name: 'Fix AWS credentials in a pull request',
    }),
  ).toBeVisible({ timeout: 30_000 });
  // The first step: the entity and the fix, as the card chose them.
  await expect(page.getByRole('textbox', { name: 'Entity' })).toHaveValue(
    'component:default/vote-static-keys',
  );
  // Off Fargate, the move goes to Pod Identity (checked before any write).
  await expect(
    page.getByRole('button', { name: 'Move to EKS Pod Identity' }),
  ).toBeVisible();
  await expect(
    page.getByText('Move the workload off static keys'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  // The service: its name, namespace, account, region and cluster.
  await expect(
    page.getByRole('textbox', { name: 'Service name', exact: true }),
  ).toHaveValue('vote-static-keys');
  await expect(
    page.getByRole('textbox', { name: 'Kubernetes namespace', exact: true }),
  ).toHaveValue('vote-static-keys');
  await expect(
    page.getByRole('textbox', { name: 'AWS account id', exact: true }),
  ).toHaveValue('123456789012');
  await expect(
    page.getByRole('textbox', { name: 'Region', exact: true }),
  ).toHaveValue('eu-west-3');
  await expect(
    page.getByRole('textbox', { name: 'EKS cluster name', exact: true }),
  ).toHaveValue('vote-demo');
  await page.screenshot({
    path: screenshotPath('fix-template-prefilled.png'),
    fullPage: true,
  });
});

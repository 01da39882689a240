import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ReactElement } from 'react';
import { AwsWorkloadApi, awsWorkloadApiRef } from '../api';
import { entity, view } from '../__fixtures__/entityView';
import { AwsWorkloadContent } from './AwsWorkloadContent';
import { DynamoDbTableCard } from './DynamoDbTableCard';
import { EcrImagesCard } from './EcrImagesCard';
import { PodCredentialsCard } from './PodCredentialsCard';

function render(
  element: ReactElement,
  getEntityView: AwsWorkloadApi['getEntityView'],
  more: Partial<AwsWorkloadApi> = {},
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsWorkloadApiRef, { getEntityView, ...more }],
        [permissionApiRef, new MockPermissionApi(() => permission)],
      ]}
    >
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}

const answer =
  (overrides: Partial<EntityAwsWorkloadResponse> = {}) =>
  async () => ({ ...view, ...overrides });

describe.each([
  [
    'DynamoDbTableCard',
    <DynamoDbTableCard />,
    'table',
    'aws.amazon.com/dynamodb-table-arn',
    'DynamoDB table',
  ],
  [
    'EcrImagesCard',
    <EcrImagesCard />,
    'images',
    'aws.amazon.com/amazon-ecr-arn',
    'ECR images',
  ],
  [
    'PodCredentialsCard',
    <PodCredentialsCard />,
    'workloads',
    'backstage.io/kubernetes-id',
    'Pod credentials',
  ],
] as const)('%s', (_, card, section, annotation, title) => {
  it('shows progress while loading', async () => {
    await render(card, () => new Promise(() => {}));
    expect(screen.getByText(title)).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('names the annotation to add when it is missing', async () => {
    await render(card, answer({ [section]: { status: 'absent', annotation } }));
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(new RegExp(annotation)).length).toBeGreaterThan(
      0,
    );
  });

  it("shows the section's own error", async () => {
    await render(
      card,
      answer({
        [section]: {
          status: 'error',
          error: {
            name: 'CredentialsProviderError',
            message:
              'No AWS credentials for account 123456789012: add it to aws.accounts',
          },
        },
      }),
    );
    // The reason and what to do are in the panel's title, readable at once.
    expect(
      await screen.findByText(
        `Error: Could not read the ${title}: No AWS credentials for account 123456789012: add it to aws.accounts`,
      ),
    ).toBeVisible();
    expect(
      screen.getByText('Reported as CredentialsProviderError.'),
    ).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/\bat \S+ \(|stack/i);
  });

  it('shows an error when the whole request fails', async () => {
    await render(card, async () => {
      throw new Error('aws-workload backend unreachable');
    });
    expect(
      await screen.findByText(
        'Error: The aws-workload backend did not answer: aws-workload backend unreachable',
      ),
    ).toBeVisible();
    expect(document.body.textContent).not.toMatch(/\bat \S+ \(|stack/i);
  });
});

describe('cards with data', () => {
  it('DynamoDbTableCard shows the table, the six-hour note and the console link', async () => {
    await render(<DynamoDbTableCard />, answer());
    expect(await screen.findByText('vote-broken-irsa')).toBeInTheDocument();
    // The status is text beside the icon, not inside its aria-hidden wrapper.
    const status = screen.getByText('ACTIVE');
    expect(status.closest('[aria-hidden="true"]')).toBeNull();
    expect(screen.getByText('On demand')).toBeInTheDocument();
    expect(screen.getByText('name (partition key, S)')).toBeInTheDocument();
    expect(screen.getByText('1,234')).toBeInTheDocument();
    expect(screen.getByText('50.8 KiB')).toBeInTheDocument();
    expect(screen.getByText(/about every six hours/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open in the AWS console/ }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('dynamodbv2/home?region=eu-west-3'),
    );
  });

  it('EcrImagesCard lists images newest first with running badge, short digest and findings', async () => {
    await render(<EcrImagesCard />, answer());
    const rows = await screen.findAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('git-3f9c2ab')).toBeInTheDocument();
    expect(within(rows[1]).getByText('running')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('sha256:a67a11111111'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('1 medium, 3 low')).toBeInTheDocument();
    expect(within(rows[2]).getByText('untagged')).toBeInTheDocument();
    expect(within(rows[2]).queryByText('running')).not.toBeInTheDocument();
    expect(within(rows[2]).getByText('3 critical, 2 high')).toBeInTheDocument();
    expect(within(rows[1]).getByText('58.5 MiB')).toBeInTheDocument();
    // A pod's digest links here: the row's digest carries the anchor.
    expect(within(rows[1]).getByText('sha256:a67a11111111')).toHaveAttribute(
      'id',
      expect.stringMatching(/^ecr-image-a67a11111111/),
    );
  });

  it('PodCredentialsCard: the chip carries the chain health, failing checks come first with their fix, passed ones are folded', async () => {
    await render(<PodCredentialsCard />, answer());
    const chips = await screen.findAllByText(/^(IRSA|Static keys) · /);
    expect(
      chips.map(c => c.closest('[data-mode]')?.getAttribute('data-mode')),
    ).toEqual(['irsa', 'static-keys']);
    // The broken trust is not a healthy IRSA chip.
    expect(chips[0]).toHaveTextContent('IRSA · 1 check failing');
    expect(chips[0].closest('[data-health]')).toHaveAttribute(
      'data-health',
      'failing',
    );
    const irsa = screen.getByRole('region', {
      name: 'Deployment vote-broken-irsa',
    });
    expect(
      within(irsa).getByText('arn:aws:iam::123456789012:role/vote-broken-irsa'),
    ).toBeInTheDocument();
    expect(
      within(irsa).getByRole('link', {
        name: /open the role in the AWS console/,
      }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/iam/home#/roles/details/vote-broken-irsa',
    );
    const toActOn = within(irsa).getByRole('list', {
      name: 'Checks to act on, Deployment vote-broken-irsa',
    });
    const rows = within(toActOn).getAllByRole('listitem');
    expect(rows[0]).toHaveAttribute('data-check', 'trust-sub');
    // Words a screen reader reads, not only an icon: status, title, id.
    expect(rows[0]).toHaveTextContent(
      'Failing: Trust policy names this ServiceAccount',
    );
    expect(rows[0]).toHaveTextContent('trust-sub');
    expect(rows[0]).toHaveTextContent('Fix: Trust the provider');
    // The artefacts to apply, each with its own copy button.
    expect(
      within(rows[0]).getByRole('button', {
        name: 'Copy: Corrected trust policy (trust-policy.json)',
      }),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByRole('button', { name: 'Copy: Apply it' }),
    ).toBeInTheDocument();
    expect(
      rows[0].querySelector('pre[data-artefact="shell"]'),
    ).toHaveTextContent(
      'aws iam update-assume-role-policy --role-name vote-broken-irsa',
    );
    expect(
      rows.map(r => r.getAttribute('data-status')).filter(x => x === 'pass'),
    ).toEqual([]);
    expect(irsa.querySelector('[data-status="unknown"]')).toHaveTextContent(
      'AccessDenied',
    );
    const folded = irsa.querySelector('details')!;
    expect(folded).not.toHaveAttribute('open');
    expect(folded.querySelector('summary')).toHaveTextContent(
      /^\d+ checks? passed$/,
    );
    expect(
      folded.querySelectorAll('[data-status="pass"]').length,
    ).toBeGreaterThan(0);
    const legacy = screen.getByRole('region', {
      name: 'Deployment legacy-worker',
    });
    expect(
      within(legacy).getByText(/access key \*\*\*\*MPLE/),
    ).toBeInTheDocument();
  });

  it('PodCredentialsCard: says since when a failing check has been failing, from the fleet', async () => {
    await render(
      <PodCredentialsCard />,
      answer({
        failingSince: { 'trust-sub': '2026-11-30T08:00:00.000Z' },
      }),
    );
    const irsa = await screen.findByRole('region', {
      name: 'Deployment vote-broken-irsa',
    });
    const [trust] = within(
      within(irsa).getByRole('list', {
        name: 'Checks to act on, Deployment vote-broken-irsa',
      }),
    ).getAllByRole('listitem');
    expect(trust).toHaveAttribute('data-check', 'trust-sub');
    expect(within(trust).getByText(/^Failing since /)).toHaveTextContent(
      /^Failing since .*2026.* \(.+ ago\)$/,
    );
    // Only the checks the fleet dates: static keys has no date here.
    const keys = screen.getByRole('region', {
      name: 'Deployment legacy-worker',
    });
    expect(within(keys).queryByText(/^Failing since /)).toBeNull();
  });

  it('PodCredentialsCard: links each workload to the pull-request fix that applies, prefilled', async () => {
    await render(<PodCredentialsCard />, answer());
    const links = await screen.findAllByRole('link', {
      name: /in a pull request$/,
    });
    const forms = links.map(link => {
      const url = new URL(link.getAttribute('href')!, 'http://portal');
      return {
        name: link.textContent,
        path: url.pathname,
        formData: JSON.parse(url.searchParams.get('formData')!),
      };
    });
    expect(forms.map(f => [f.name, f.path, f.formData.fix])).toEqual([
      [
        'Repair the trust policy in a pull request',
        '/create/templates/default/fix-aws-credentials',
        'irsa-trust',
      ],
      [
        'Move off static keys in a pull request',
        '/create/templates/default/fix-aws-credentials',
        'static-keys',
      ],
    ]);
    expect(forms[0].formData).toMatchObject({
      entityRef: 'component:default/vote-broken-irsa',
      repoUrl: 'github.com?owner=acme&repo=vote-broken-irsa',
      awsAccountId: '123456789012',
      awsRegion: 'eu-west-3',
    });
  });

  it('keeps the other cards working when one section fails', async () => {
    await render(
      <AwsWorkloadContent />,
      answer({
        images: {
          status: 'error',
          error: {
            name: 'AccessDeniedException',
            message: 'not authorized to perform: ecr:DescribeImages',
          },
        },
      }),
    );
    expect(
      (await screen.findAllByText(/ecr:DescribeImages/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('On demand')).toBeInTheDocument();
    expect(screen.getAllByText(/^IRSA · /)).toHaveLength(1);
  });
});

describe('Re-check', () => {
  it('says when the chain was checked, re-checks on demand and shows the new answer on every card', async () => {
    const listeners = new Set<(v: EntityAwsWorkloadResponse) => void>();
    const fixed = JSON.parse(JSON.stringify(view)) as EntityAwsWorkloadResponse;
    if (fixed.workloads.status !== 'ok') throw new Error('fixture');
    fixed.workloads.data[0].checks = fixed.workloads.data[0].checks.map(c => ({
      ...c,
      status: 'pass' as const,
    }));
    fixed.workloads.fetchedAt = new Date().toISOString();
    const recheckEntity = jest.fn(async () => {
      listeners.forEach(l => l(fixed));
      return fixed;
    });
    await render(<PodCredentialsCard />, answer(), {
      recheckEntity,
      onRecheck: (_, listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    expect(await screen.findByText(/Checked/)).toBeInTheDocument();
    expect(
      screen.getByText(/IAM is eventually consistent/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Re-check' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Re-checked just now.',
      ),
    );
    expect(recheckEntity).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: entity.metadata.name,
    });
    expect(screen.getAllByText(/healthy/).length).toBeGreaterThan(0);
  });

  it('says why a re-check was refused', async () => {
    await render(<PodCredentialsCard />, answer(), {
      recheckEntity: jest.fn(async () => {
        throw new Error(
          'component:default/vote was re-checked moments ago; try again in 20 s',
        );
      }),
      onRecheck: () => () => {},
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Re-check' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Could not re-check: component:default/vote was re-checked moments ago; try again in 20 s',
      ),
    );
  });
});

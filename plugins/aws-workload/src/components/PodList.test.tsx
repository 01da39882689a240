import { WorkloadInfo } from '@aws-workload/plugin-aws-workload-common';
import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { imageAnchor } from './format';
import { PODS_SHOWN, PodList } from './PodList';

const digest = `sha256:${'a6'.repeat(32)}`;

function workload(pods: number): WorkloadInfo {
  return {
    cluster: 'vote-demo',
    kind: 'Deployment',
    namespace: 'vote',
    name: 'vote',
    mode: 'irsa',
    serviceAccount: 'vote',
    checks: [],
    pods: Array.from({ length: pods }, (_, i) => ({
      name: `vote-6d8f7c9b5-p${i}`,
      phase: i === 0 ? 'Pending' : 'Running',
      startedAt: '2026-11-20T10:00:00.000Z',
      readyContainers: i === 0 ? 0 : 1,
      containers: 1,
      restarts: i,
      images: [{ container: 'vote', digest }],
    })),
  } as unknown as WorkloadInfo;
}

describe('PodList', () => {
  it('lists each pod with phase, readiness, restarts and a digest linked to its ECR row', async () => {
    await renderInTestApp(<PodList workload={workload(2)} />);
    const table = screen.getByRole('table', {
      name: 'Pods of Deployment vote',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('vote-6d8f7c9b5-p0');
    expect(rows[0]).toHaveTextContent('Pending');
    expect(rows[0]).toHaveTextContent('0/1');
    expect(rows[1]).toHaveTextContent('1/1');
    expect(within(rows[1]).getAllByRole('cell')[3]).toHaveTextContent('1');
    expect(within(rows[0]).getByRole('link')).toHaveAttribute(
      'href',
      `#${imageAnchor(digest)}`,
    );
    expect(screen.queryByRole('button')).toBeNull();
  });

  it(`shows ${PODS_SHOWN} pods and folds the rest behind a button`, async () => {
    await renderInTestApp(<PodList workload={workload(8)} />);
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(PODS_SHOWN + 1);
    const more = screen.getByRole('button', { name: 'Show all 8 pods' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(more);
    expect(within(table).getAllByRole('row')).toHaveLength(9);
    expect(
      screen.getByRole('button', { name: 'Show fewer pods' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows nothing for a workload without pods', async () => {
    await renderInTestApp(<PodList workload={workload(0)} />);
    expect(screen.queryByRole('table')).toBeNull();
  });
});

import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { awsWorkloadApiRef } from '../../api';
import { AwsWorkloadPublishTargetField } from './AwsWorkloadPublishTargetField';

const REASON =
  'The portal has no token or GitHub App for github.com (integrations.github), so it cannot create the repository.';

async function renderField(repoUrl: string | undefined) {
  const onChange = jest.fn();
  const getPublishTarget = jest.fn(async (url: string) => ({
    host: new URL(`https://${url}`).host,
    canPublish: false,
    reason: REASON,
  }));
  await renderInTestApp(
    <TestApiProvider apis={[[awsWorkloadApiRef, { getPublishTarget }]]}>
      <AwsWorkloadPublishTargetField
        {...({
          onChange,
          schema: { title: 'Publishing', type: 'string' },
          uiSchema: {},
          idSchema: { $id: 'root_publishTarget' },
          formContext: { formData: { repoUrl } },
        } as any)}
      />
    </TestApiProvider>,
  );
  return { onChange, getPublishTarget };
}

describe('the wizard’s publish notice', () => {
  it('says before Create that the run will not publish, and gives the review step the same words', async () => {
    const { onChange } = await renderField('github.com?owner=acme&repo=ballot');
    const status = await screen.findByRole('status', { name: 'Publishing' });
    await waitFor(() =>
      expect(status).toHaveTextContent(`Not published: ${REASON}`),
    );
    expect(onChange).toHaveBeenLastCalledWith(`Not published: ${REASON}`);
  });

  it('asks nothing until a location is chosen', async () => {
    const { getPublishTarget } = await renderField(undefined);
    expect(
      screen.getByRole('status', { name: 'Publishing' }),
    ).toHaveTextContent('Choose where the repository goes.');
    expect(getPublishTarget).not.toHaveBeenCalled();
  });
});

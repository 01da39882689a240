import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { GeneratedFilesOutput } from './GeneratedFilesOutput';

describe('the vote-service template’s outputs', () => {
  const created: Blob[] = [];
  beforeAll(() => {
    // jsdom has no object URLs.
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return `blob:test/${created.length}`;
    };
    URL.revokeObjectURL = () => {};
  });

  it('offers the generated files as a download, beside the run’s own text', async () => {
    const archive = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x2a]);
    await renderInTestApp(
      <GeneratedFilesOutput
        output={{
          archiveFileName: 'ballot.tar.gz',
          archiveBase64: archive.toString('base64'),
          text: [
            { title: 'Not published', content: 'The portal has no token.' },
          ],
        }}
      />,
    );
    const link = screen.getByRole('link', {
      name: 'Download the generated files',
    });
    expect(link).toHaveAttribute('download', 'ballot.tar.gz');
    expect(link.getAttribute('href')).toMatch(/^blob:/);
    const blob = created[created.length - 1];
    expect(blob.type).toBe('application/gzip');
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(archive);
    expect(screen.getByText('Not published')).toBeInTheDocument();
  });

  it('shows no download when the run has no archive', async () => {
    await renderInTestApp(
      <GeneratedFilesOutput
        output={{ text: [{ title: 'Published', content: 'In acme/ballot.' }] }}
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByText('Published')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Download the generated files' }),
    ).toBeNull();
  });
});

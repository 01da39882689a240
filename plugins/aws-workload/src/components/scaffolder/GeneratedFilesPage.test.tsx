import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { awsWorkloadApiRef } from '../../api';
import { GeneratedFilesPage } from './GeneratedFilesPage';

async function renderPage(getGeneratedFiles: jest.Mock) {
  await renderInTestApp(
    <TestApiProvider apis={[[awsWorkloadApiRef, { getGeneratedFiles }]]}>
      <Routes>
        <Route path="/aws-workload-files/*" element={<GeneratedFilesPage />} />
      </Routes>
    </TestApiProvider>,
    { routeEntries: ['/aws-workload-files/task-1'] },
  );
}

describe('the download page of a run’s generated files', () => {
  beforeAll(() => {
    URL.createObjectURL = () => 'blob:test/1';
    URL.revokeObjectURL = () => {};
  });

  it('asks for the run in the address and offers its files', async () => {
    const getGeneratedFiles = jest.fn(async () => ({
      fileName: 'ballot.tar.gz',
      base64: Buffer.from('tarball').toString('base64'),
    }));
    await renderPage(getGeneratedFiles);
    const link = await screen.findByRole('link', {
      name: 'Download the generated files',
    });
    expect(link).toHaveAttribute('download', 'ballot.tar.gz');
    expect(getGeneratedFiles).toHaveBeenCalledWith('task-1');
  });

  it('says why there is nothing, in the backend’s words', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'No generated files of run task-1: they are kept 7 days',
        },
        request: { method: 'GET', url: '/x' },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response as any);
    await renderPage(jest.fn(async () => Promise.reject(error)));
    expect(
      await screen.findByText(
        'No generated files of run task-1: they are kept 7 days',
      ),
    ).toBeInTheDocument();
  });
});

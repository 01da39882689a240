import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Typography from '@material-ui/core/Typography';
import { Route, Routes, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { awsWorkloadApiRef } from '../../api';
import { ArchiveDownload } from './GeneratedFilesOutput';

function GeneratedFilesOfRun() {
  const { taskId = '' } = useParams();
  const api = useApi(awsWorkloadApiRef);
  const { value, loading, error } = useAsync(
    () => api.getGeneratedFiles(taskId),
    [api, taskId],
  );
  if (loading) return <Progress />;
  if (error) {
    const message =
      error instanceof ResponseError ? error.cause.message : error.message;
    return (
      <WarningPanel severity="error" title="No files to download">
        {message}
      </WarningPanel>
    );
  }
  return (
    <>
      <Typography paragraph>
        What run {taskId} generated, kept for a week in case a later step (such
        as publishing) failed.
      </Typography>
      {value && <ArchiveDownload archive={value} />}
    </>
  );
}

/**
 * `<mount path>/:taskId`: downloads a scaffolder run's generated files, which
 * the run's log links to when a later step fails.
 */
export function GeneratedFilesPage() {
  return (
    <Page themeId="tool">
      <Header title="Generated files" />
      <Content>
        <Routes>
          <Route path=":taskId" element={<GeneratedFilesOfRun />} />
        </Routes>
      </Content>
    </Page>
  );
}

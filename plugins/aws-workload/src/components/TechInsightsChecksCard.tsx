import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  StatusError,
  StatusOK,
  WarningPanel,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';

/** The fact retriever of `@aws-workload/plugin-tech-insights-backend-module-aws-workload`. */
const POSTURE_RETRIEVER_ID = 'awsWorkloadPostureRetriever';

/** A check as `GET /api/tech-insights/checks` lists it. */
interface TechInsightsCheck {
  id: string;
  name: string;
  description: string;
  factIds: string[];
  metadata?: { category?: string; rank?: number; solution?: string };
}

/** A check's result as `POST /api/tech-insights/checks/run/…` answers. */
interface TechInsightsCheckResult {
  check: TechInsightsCheck;
  result: boolean;
}

interface PostureCheckRow {
  check: TechInsightsCheck;
  /** Absent when Tech Insights holds no fact for it yet (not scanned, no image, …). */
  passed?: boolean;
}

async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as T;
}

const rankOf = (c: TechInsightsCheck) => c.metadata?.rank ?? 99;

/** The tech-insights checks on the AWS posture facts, run for one entity. */
function usePostureChecks() {
  const { entity } = useEntity();
  const discoveryApi = useApi(discoveryApiRef);
  const { fetch } = useApi(fetchApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useAsync(async (): Promise<PostureCheckRow[]> => {
    const baseUrl = await discoveryApi.getBaseUrl('tech-insights');
    const checks = (
      await readJson<TechInsightsCheck[]>(await fetch(`${baseUrl}/checks`))
    ).filter(c => c.factIds.includes(POSTURE_RETRIEVER_ID));
    if (checks.length === 0) return [];
    const results = await readJson<TechInsightsCheckResult[]>(
      await fetch(
        `${baseUrl}/checks/run/${[namespace, kind, name]
          .map(encodeURIComponent)
          .join('/')}`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ checks: checks.map(c => c.id) }),
        },
      ),
    );
    const byId = new Map(results.map(r => [r.check.id, r.result]));
    return checks
      .map(check => ({ check, passed: byId.get(check.id) }))
      .sort((a, b) => rankOf(a.check) - rankOf(b.check));
  }, [discoveryApi, fetch, kind, namespace, name]);
}

function ResultText({ passed }: { passed?: boolean }) {
  if (passed === undefined) return <span>No result yet</span>;
  // The status icons hide themselves from assistive technology: the word
  // beside them is what a screen reader hears.
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      {passed ? <StatusOK /> : <StatusError />}
      {passed ? 'Passing' : 'Failing'}
    </span>
  );
}

/**
 * The entity's AWS checks as the Tech Insights plugin scores them: each
 * default check on the posture facts, highest rank first, with what to do
 * when it fails.
 */
export function TechInsightsChecksCard() {
  const { value, loading, error } = usePostureChecks();
  const title = 'AWS scorecard (Tech Insights)';
  if (loading) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title={title}>
        <WarningPanel
          severity="error"
          title={`Tech Insights did not answer: ${error.message}`}
          message="The card reads the tech-insights backend plugin; check that it and its AWS posture module are installed."
        />
      </InfoCard>
    );
  }
  if (!value || value.length === 0) {
    return (
      <InfoCard title={title}>
        <Typography>
          No Tech Insights check reads the AWS posture facts. Copy the checks of
          the AWS posture module into the portal's configuration.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title={title}>
      <List dense aria-label="AWS checks">
        {value.map(({ check, passed }) => (
          <ListItem key={check.id} data-check-id={check.id}>
            <ListItemText
              // The card's list would otherwise keep a long fix on one line.
              secondaryTypographyProps={{ style: { whiteSpace: 'normal' } }}
              style={{ minWidth: 0 }}
              primary={
                <>
                  {check.name}: <ResultText passed={passed} />
                </>
              }
              secondary={
                passed === false && check.metadata?.solution
                  ? `To fix: ${check.metadata.solution}`
                  : check.description
              }
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}

import Grid from '@material-ui/core/Grid';
import { DynamoDbTableCard } from './DynamoDbTableCard';
import { EcrImagesCard } from './EcrImagesCard';
import { PodCredentialsCard } from './PodCredentialsCard';

/** The entity's AWS tab: credentials first, then the table and the images. */
export function AwsWorkloadContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <PodCredentialsCard />
      </Grid>
      <Grid item xs={12} md={5}>
        <DynamoDbTableCard />
      </Grid>
      <Grid item xs={12} md={7}>
        <EcrImagesCard />
      </Grid>
    </Grid>
  );
}

import {
  CREDENTIAL_MODE_LABELS,
  CredentialMode,
} from '@aws-workload/plugin-aws-workload-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';

const colour = (theme: Theme, mode: CredentialMode) =>
  ({
    irsa: theme.palette.success.main,
    'pod-identity': theme.palette.success.main,
    // dark: white text on error.main falls short of 4.5:1 contrast (axe).
    'static-keys': theme.palette.error.dark,
    'node-role': theme.palette.warning.main,
  }[mode]);

const useStyles = makeStyles<Theme, { mode: CredentialMode }>(theme => ({
  chip: ({ mode }) => ({
    backgroundColor: colour(theme, mode),
    color: theme.palette.getContrastText(colour(theme, mode)),
    fontWeight: theme.typography.fontWeightMedium as number,
  }),
}));

/** The credential mode for people: "IRSA", "Pod Identity", "Static keys", "Node role". */
export function ModeChip({ mode }: { mode: CredentialMode }) {
  const classes = useStyles({ mode });
  return (
    <Chip
      size="small"
      className={classes.chip}
      label={CREDENTIAL_MODE_LABELS[mode]}
      data-mode={mode}
    />
  );
}

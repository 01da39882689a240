import {
  ChainHealth,
  CREDENTIAL_MODE_LABELS,
  CredentialMode,
  modeHealthLabel,
} from '@aws-workload/plugin-aws-workload-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';

type Tone = 'error' | 'warning' | 'success' | 'neutral';

/**
 * The chip's colour says whether the chain works: static keys are always an
 * error, a chain with a failing check is one whatever its mode.
 */
function toneOf(mode: CredentialMode, health?: ChainHealth): Tone {
  if (mode === 'static-keys' || health?.status === 'failing') return 'error';
  if (mode === 'node-role' || health?.status === 'warning') return 'warning';
  if (health?.status === 'unknown') return 'neutral';
  return 'success';
}

const background = (theme: Theme, tone: Tone) =>
  ({
    // dark: white text on error.main falls short of 4.5:1 contrast (axe).
    error: theme.palette.error.dark,
    warning: theme.palette.warning.main,
    success: theme.palette.success.main,
    neutral: theme.palette.grey[300],
  }[tone]);

const useStyles = makeStyles<Theme, { tone: Tone }>(theme => ({
  chip: ({ tone }) => ({
    backgroundColor: background(theme, tone),
    color: theme.palette.getContrastText(background(theme, tone)),
    fontWeight: theme.typography.fontWeightMedium as number,
  }),
}));

/**
 * The credential mode for people ("IRSA", "Pod Identity", "Static keys",
 * "Node role"), with the health of its chain where it is known: "IRSA ·
 * 1 check failing" in the error colour, "IRSA · healthy" in the success one.
 */
export function ModeChip(props: {
  mode: CredentialMode;
  health?: ChainHealth;
}) {
  const { mode, health } = props;
  const tone = toneOf(mode, health);
  const classes = useStyles({ tone });
  return (
    <Chip
      size="small"
      className={classes.chip}
      label={
        health ? modeHealthLabel(mode, health) : CREDENTIAL_MODE_LABELS[mode]
      }
      data-mode={mode}
      data-health={health?.status}
    />
  );
}

import type { ScmIntegrationRegistry } from '@backstage/integration';

/**
 * What a portal can do with a RepoUrlPicker location: publish there, or
 * not, and why not in words with what to do instead.
 *
 * @public
 */
export interface PublishTarget {
  host: string;
  canPublish: boolean;
  reason: string;
}

/** Where a dry run of a template shows its files without publishing. */
const DRY_RUN = '/create/edit';

/**
 * The host of a RepoUrlPicker value (`github.com?owner=…&repo=…`), or
 * undefined when it is not one.
 *
 * @public
 */
export function repoUrlHost(repoUrl: string): string | undefined {
  try {
    const host = new URL(`https://${repoUrl}`).host;
    return host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the portal has credentials to create a repository on the host of
 * a RepoUrlPicker value: a GitHub integration with a token or a GitHub App.
 * The integration Backstage adds for github.com without config has neither.
 *
 * @public
 */
export function publishTargetOf(
  integrations: Pick<ScmIntegrationRegistry, 'github'>,
  host: string,
): PublishTarget {
  const github = integrations.github.byHost(host);
  if (github?.config.token || (github?.config.apps ?? []).length > 0) {
    return {
      host,
      canPublish: true,
      reason: `The portal publishes to ${host} with its GitHub integration.`,
    };
  }
  const why = github
    ? `The portal has no token or GitHub App for ${host} (integrations.github)`
    : `The portal has no integration for ${host}`;
  return {
    host,
    canPublish: false,
    reason: `${why}, so it cannot create the repository: the run packs the generated files for download instead of publishing them. Ask a platform engineer to add the integration, or look at the files first in the template editor's dry run (${DRY_RUN}).`,
  };
}

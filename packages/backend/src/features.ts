/**
 * The plugins and modules of the portal's backend, shared by the entry point
 * and by the tests that boot the same backend against production services.
 * Static imports, so that Jest can load them without ESM support.
 */
import awsWorkloadBackend from '@aws-workload/plugin-aws-workload-backend';
import catalogAwsWorkloadTemplates from '@aws-workload/plugin-catalog-backend-module-aws-workload-templates';
import scaffolderAwsWorkload from '@aws-workload/plugin-scaffolder-backend-module-aws-workload';
import techInsightsAwsWorkloadPosture from '@aws-workload/plugin-tech-insights-backend-module-aws-workload';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonRulesEngine from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import appBackend from '@backstage/plugin-app-backend';
import authBackend from '@backstage/plugin-auth-backend';
import guestAuthProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import allowAllPolicy from '@backstage/plugin-permission-backend-module-allow-all-policy';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderGithub from '@backstage/plugin-scaffolder-backend-module-github';
import searchBackend from '@backstage/plugin-search-backend';
import searchCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import signalsBackend from '@backstage/plugin-signals-backend';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';

export const portalFeatures = () => [
  appBackend,
  authBackend,
  guestAuthProvider,
  catalogBackend,
  catalogScaffolderEntityModel,
  catalogAwsWorkloadTemplates,
  permissionBackend,
  allowAllPolicy,
  scaffolderBackend,
  scaffolderGithub,
  scaffolderAwsWorkload,
  searchBackend,
  searchCatalogCollator,
  kubernetesBackend,
  awsWorkloadBackend,
  // AI assistants reach the plugins' actions (backend.actions.pluginSources)
  // over MCP at /api/mcp-actions/v1.
  mcpActionsBackend,
  // Scorecards: the AWS posture as Tech Insights facts, scored by the
  // json-rules-engine checks of app-config.yaml (techInsights).
  techInsightsBackend,
  techInsightsJsonRulesEngine,
  techInsightsAwsWorkloadPosture,
  userSettingsBackend,
  // Owners hear of their entities' posture changes (the fleet refresh sends
  // them); user settings and notifications reach open tabs through signals.
  notificationsBackend,
  signalsBackend,
];

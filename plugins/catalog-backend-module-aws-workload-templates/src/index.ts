/**
 * The aws-workload software templates, installable in one line:
 * `backend.add(import('@aws-workload/plugin-catalog-backend-module-aws-workload-templates'))`.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsWorkloadTemplates as default } from './module';
export { TEMPLATES_DIR } from './module';

import { emptyInputs } from '../types';
import { toApiShape, translateTerraform } from './terraform';

const metadata = [{ name: 'x', namespace: 'ns' }];
const podSpec = [{ container: [{ name: 'x', image: 'x:1' }] }];
const template = [{ metadata: [{}], spec: podSpec }];

/** The smallest block of each resource, as hcl2json hands it over. */
const BLOCKS: Record<string, [string, object]> = {
  kubernetes_deployment: ['Deployment', { metadata, spec: [{ template }] }],
  kubernetes_deployment_v1: ['Deployment', { metadata, spec: [{ template }] }],
  kubernetes_stateful_set: ['StatefulSet', { metadata, spec: [{ template }] }],
  kubernetes_stateful_set_v1: [
    'StatefulSet',
    { metadata, spec: [{ template }] },
  ],
  kubernetes_daemonset: ['DaemonSet', { metadata, spec: [{ template }] }],
  kubernetes_daemon_set_v1: ['DaemonSet', { metadata, spec: [{ template }] }],
  kubernetes_job: ['Job', { metadata, spec: [{ template }] }],
  kubernetes_job_v1: ['Job', { metadata, spec: [{ template }] }],
  kubernetes_cron_job: [
    'CronJob',
    { metadata, spec: [{ job_template: [{ spec: [{ template }] }] }] },
  ],
  kubernetes_cron_job_v1: [
    'CronJob',
    { metadata, spec: [{ job_template: [{ spec: [{ template }] }] }] },
  ],
  kubernetes_pod: ['Pod', { metadata, spec: podSpec }],
  kubernetes_pod_v1: ['Pod', { metadata, spec: podSpec }],
  kubernetes_service_account: ['ServiceAccount', { metadata }],
  kubernetes_service_account_v1: ['ServiceAccount', { metadata }],
  kubernetes_secret: ['Secret', { metadata, data: { AWS_ACCESS_KEY_ID: 'x' } }],
  kubernetes_secret_v1: [
    'Secret',
    { metadata, data: { AWS_ACCESS_KEY_ID: 'x' } },
  ],
  kubernetes_config_map: ['ConfigMap', { metadata, data: { A: 'b' } }],
  kubernetes_config_map_v1: ['ConfigMap', { metadata, data: { A: 'b' } }],
};

describe('translateTerraform', () => {
  it.each(Object.entries(BLOCKS))('reads %s as a %s', (type, [kind, block]) => {
    const into = emptyInputs();
    translateTerraform(
      [
        {
          file: 'main.tf',
          format: 'terraform',
          object: { resource: { [type]: { x: [block] } } },
        },
      ],
      into,
    );
    expect(into.objects).toHaveLength(1);
    expect(into.objects[0].object).toMatchObject({
      kind,
      metadata: { name: 'x', namespace: 'ns' },
    });
  });

  it('keeps Secret data as stringData: the provider takes it as plain text', () => {
    const into = emptyInputs();
    translateTerraform(
      [
        {
          file: 'main.tf',
          format: 'terraform',
          object: {
            resource: {
              kubernetes_secret_v1: { x: [BLOCKS.kubernetes_secret_v1[1]] },
            },
          },
        },
      ],
      into,
    );
    expect(into.objects[0].object.stringData).toEqual({
      AWS_ACCESS_KEY_ID: 'x',
    });
    expect(into.objects[0].object.data).toBeUndefined();
  });

  it('turns provider blocks into API shapes: list blocks pluralised, maps kept as written', () => {
    expect(
      toApiShape({
        metadata: [{ annotations: { 'eks.amazonaws.com/role-arn': 'r' } }],
        spec: [
          {
            service_account_name: 'sa',
            container: [
              {
                name: 'a',
                env_from: [{ secret_ref: [{ name: 's', optional: true }] }],
                volume_mount: [{ name: 'v', mount_path: '/root/.aws' }],
              },
            ],
            volume: [{ name: 'v', secret: [{ secret_name: 's' }] }],
          },
        ],
      }),
    ).toEqual({
      metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'r' } },
      spec: {
        serviceAccountName: 'sa',
        containers: [
          {
            name: 'a',
            envFrom: [{ secretRef: { name: 's', optional: true } }],
            volumeMounts: [{ name: 'v', mountPath: '/root/.aws' }],
          },
        ],
        volumes: [{ name: 'v', secret: { secretName: 's' } }],
      },
    });
  });
});

/**
 * The plugin's actions through the default actions registry and the real
 * MCP actions backend, beside the real catalog and permission backends:
 * what an AI assistant sees is what the caller may see on the pages.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogBackend from '@backstage/plugin-catalog-backend';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { awsWorkloadPlugin } from '../plugin';
import { catalogEntitiesModule } from '../__testUtils__/catalogEntities';
import {
  guestToken,
  hidingPolicyModule,
  realAuthConfig,
  realAuthFeatures,
} from '../__testUtils__/realPortal';
import { SimulatedFleet } from '../__testUtils__/simulatedFleet';
import { useSimulatedUpstreams } from '../__testUtils__/simulatedUpstreams';
import { examples as inspectExamples } from './inspectKubernetesManifests.examples';

const fleet = new SimulatedFleet({
  entities: 20,
  clusters: 1,
  podsPerEntity: 1,
  roles: 2,
  latencyMs: 0,
});
const mswServer = useSimulatedUpstreams(fleet);

const HIDDEN_OWNER = 'group:default/team-1';
const visible = fleet.members.filter(
  m => m.entity.spec!.owner !== HIDDEN_OWNER,
);
const hidden = fleet.members.find(m => m.entity.spec!.owner === HIDDEN_OWNER)!;
const refOf = (name: string) => `component:default/${name}`;

const config = {
  ...realAuthConfig,
  backend: { actions: { pluginSources: ['aws-workload'] } },
  catalog: { rules: [{ allow: ['Component', 'Group', 'User'] }] },
  ...fleet.portalConfig(2),
} as unknown as JsonObject;

async function startPortal(
  fleetPermission: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  const { server } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogBackend,
      catalogEntitiesModule('test-action-entities', fleet.entities),
      permissionBackend,
      hidingPolicyModule({
        pluginPermissions: fleetPermission,
        hiddenOwner: HIDDEN_OWNER,
      }),
      ...realAuthFeatures,
      schedulerServiceFactory,
      // The registry and the actions service a portal's createBackend()
      // runs, in place of the test backend's mock registry.
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      mcpActionsBackend,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { server, token: await guestToken(server) };
}

type Portal = Awaited<ReturnType<typeof startPortal>>;

function invoke(portal: Portal, action: string, input: object) {
  return request(portal.server)
    .post(
      `/api/aws-workload/.backstage/actions/v2/actions/aws-workload:${action}/invoke`,
    )
    .set('Authorization', `Bearer ${portal.token}`)
    .send({ input });
}

/** Waits until the background refresh stored every entity. */
async function fleetStored(portal: Portal) {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const res = await request(portal.server)
      .get('/api/aws-workload/fleet?limit=1')
      .set('Authorization', `Bearer ${portal.token}`);
    if (res.body.lastRefresh?.entities === fleet.members.length) return;
    if (Date.now() > deadline) throw new Error('the fleet was not stored');
    await new Promise(r => setTimeout(r, 300));
  }
}

describe('actions for AI assistants', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal(AuthorizeResult.ALLOW);
    await fleetStored(portal);
  }, 60_000);

  it('lists three read-only actions with their schemas and examples', async () => {
    const res = await request(portal.server)
      .get('/api/aws-workload/.backstage/actions/v1/actions')
      .set('Authorization', `Bearer ${portal.token}`);
    expect(res.status).toBe(200);
    const actions = res.body.actions as any[];
    expect(actions.map(a => a.id).sort()).toEqual([
      'aws-workload:get-entity-aws-posture',
      'aws-workload:inspect-kubernetes-manifests',
      'aws-workload:list-aws-fleet',
    ]);
    for (const action of actions) {
      expect(action.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.description.length).toBeGreaterThan(100);
    }
    const posture = actions.find(
      a => a.id === 'aws-workload:get-entity-aws-posture',
    );
    expect(posture.schema.input.required).toEqual(['entityRef']);
    expect(posture.schema.input.properties.entityRef.description).toMatch(
      /kind:namespace\/name/,
    );
  });

  it("gets an entity's posture with the caller's catalog access", async () => {
    const irsa = visible.find(m => m.mode === 'irsa')!;
    const res = await invoke(portal, 'get-entity-aws-posture', {
      entityRef: refOf(irsa.name),
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      entityRef: refOf(irsa.name),
      modes: ['irsa'],
      table: { status: 'ok', name: expect.any(String) },
      workloadsSection: { status: 'ok' },
    });
    expect(res.body.output.workloads[0]).toMatchObject({
      mode: 'irsa',
      roleArn: expect.stringMatching(/^arn:aws:iam::/),
    });

    const keys = visible.find(m => m.mode === 'static-keys')!;
    const withKeys = await invoke(portal, 'get-entity-aws-posture', {
      entityRef: keys.name,
    });
    expect(withKeys.body.output.modes).toEqual(['static-keys']);
    const problems = withKeys.body.output.workloads[0].problems;
    expect(problems).toContainEqual(
      expect.objectContaining({
        check: 'static-keys-present',
        status: 'fail',
        fix: expect.stringMatching(/\S/),
      }),
    );

    // An entity the user cannot read does not exist for them.
    const refused = await invoke(portal, 'get-entity-aws-posture', {
      entityRef: refOf(hidden.name),
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toBe(`No entity ${refOf(hidden.name)}`);
  });

  it('refuses a malformed entity ref, naming the field and the rule', async () => {
    const res = await invoke(portal, 'get-entity-aws-posture', {
      entityRef: 'component:default/',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^entityRef must look like kind:namespace\/name/,
    );
    const missing = await invoke(portal, 'get-entity-aws-posture', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.name).toBe('InputError');
  });

  it("lists the stored fleet with the page's filters and the caller's visibility", async () => {
    const res = await invoke(portal, 'list-aws-fleet', {
      mode: ['static-keys', 'node-role'],
      kind: ['Component'],
    });
    expect(res.status).toBe(200);
    const expected = visible
      .filter(m => m.mode === 'static-keys' || m.mode === 'node-role')
      .map(m => refOf(m.name))
      .sort();
    expect(res.body.output.items.map((i: any) => i.entityRef).sort()).toEqual(
      expected,
    );
    expect(res.body.output.totalItems).toBe(expected.length);
    expect(res.body.output.lastRefreshAt).toEqual(expect.any(String));
    const all = await invoke(portal, 'list-aws-fleet', {});
    expect(all.body.output.totalItems).toBe(visible.length);
    expect(all.body.output.items.map((i: any) => i.owner)).not.toContain(
      HIDDEN_OWNER,
    );

    const bad = await invoke(portal, 'list-aws-fleet', { mode: ['root'] });
    expect(bad.status).toBe(400);
  });

  it("inspects manifests offline: the examples' answers", async () => {
    const [keys, irsa] = inspectExamples;
    const withKeys = await invoke(
      portal,
      'inspect-kubernetes-manifests',
      keys.input,
    );
    expect(withKeys.status).toBe(200);
    expect(withKeys.body.output.workloads).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'vote',
        mode: 'static-keys',
        line: 1,
      }),
    ]);
    const bound = await invoke(
      portal,
      'inspect-kubernetes-manifests',
      irsa.input,
    );
    expect(bound.body.output.workloads).toEqual([
      expect.objectContaining({
        namespace: 'vote',
        mode: 'irsa',
        roleArn: 'arn:aws:iam::123456789012:role/vote',
      }),
    ]);
    const broken = await invoke(portal, 'inspect-kubernetes-manifests', {
      manifests: 'kind: [unclosed',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/^manifests: not valid YAML/);
  });

  it('reaches an MCP client through the MCP actions backend, as the signed-in user', async () => {
    const { port } = (portal.server as any).address() as AddressInfo;
    // msw's fetch interception holds the MCP transport's event streams; the
    // tools called here read the stored fleet and the catalog, nothing
    // upstream, so the real network serves this test.
    mswServer.close();
    const client = new Client({ name: 'aws-workload-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://localhost:${port}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: `Bearer ${portal.token}` },
          },
        },
      ),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map(t => t.name).sort()).toEqual([
        'aws-workload.get-entity-aws-posture',
        'aws-workload.inspect-kubernetes-manifests',
        'aws-workload.list-aws-fleet',
      ]);
      const keys = visible.find(m => m.mode === 'static-keys')!;
      const result = (await client.callTool({
        name: 'aws-workload.list-aws-fleet',
        arguments: { failingCheck: ['static-keys-present'] },
      })) as any;
      expect(result.isError).toBeFalsy();
      expect(
        result.structuredContent.items.map((i: any) => i.entityRef),
      ).toContain(refOf(keys.name));
      const refused = (await client.callTool({
        name: 'aws-workload.get-entity-aws-posture',
        arguments: { entityRef: refOf(hidden.name) },
      })) as any;
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('No entity');
    } finally {
      await client.close();
      mswServer.listen({ onUnhandledRequest: 'error' });
    }
  }, 20_000);
});

describe('actions without the fleet permission', () => {
  it('hides the fleet action from the caller and refuses to run it', async () => {
    const portal = await startPortal(AuthorizeResult.DENY);
    const listed = await request(portal.server)
      .get('/api/aws-workload/.backstage/actions/v1/actions')
      .set('Authorization', `Bearer ${portal.token}`);
    expect(listed.body.actions.map((a: any) => a.id).sort()).toEqual([
      'aws-workload:get-entity-aws-posture',
      'aws-workload:inspect-kubernetes-manifests',
    ]);
    const res = await invoke(portal, 'list-aws-fleet', {});
    expect(res.status).toBe(404);
  }, 30_000);
});

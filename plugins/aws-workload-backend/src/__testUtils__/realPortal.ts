/**
 * What the tests that run the real catalog and permission backends share:
 * a portal policy, real auth with the guest provider, a signed-in user's token.
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { createBackendModule } from '@backstage/backend-plugin-api';
import authBackend from '@backstage/plugin-auth-backend';
import guestAuthProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { awsWorkloadPermissions } from '@aws-workload/plugin-aws-workload-common';
import request from 'supertest';

/**
 * How the portal's policy hides an owner's entities from users: a condition
 * on the owner (which the fleet store applies in SQL) or the same one
 * written with a rule it does not hold (the fleet then asks the catalog).
 */
export type Hiding = 'owner-rule' | 'spec-rule';

/** The portal's policy: the plugin's permissions as given, users' catalog reads without one owner's entities. */
export function hidingPolicyModule(options: {
  pluginPermissions: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  hiddenOwner: string;
  hiding?: Hiding;
}) {
  const { pluginPermissions, hiddenOwner, hiding = 'owner-rule' } = options;
  const policy: PermissionPolicy = {
    async handle(query: PolicyQuery, user?: PolicyQueryUser) {
      if (awsWorkloadPermissions.some(p => p.name === query.permission.name)) {
        return { result: pluginPermissions };
      }
      if (
        user &&
        isResourcePermission(query.permission, 'catalog-entity') &&
        query.permission.attributes.action === 'read'
      ) {
        return createCatalogConditionalDecision(query.permission, {
          not:
            hiding === 'owner-rule'
              ? catalogConditions.isEntityOwner({ claims: [hiddenOwner] })
              : catalogConditions.hasSpec({ key: 'owner', value: hiddenOwner }),
        });
      }
      return { result: AuthorizeResult.ALLOW };
    },
  };
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(env) {
      env.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: point }) {
          point.setPolicy(policy);
        },
      });
    },
  });
}

/**
 * Real auth: the permission backend gives conditional decisions only to
 * requests a plugin makes on a user's behalf (tokens with an actor), which
 * the mock auth service does not mint.
 */
export const realAuthFeatures = [
  authServiceFactory,
  httpAuthServiceFactory,
  userInfoServiceFactory,
  authBackend,
  guestAuthProvider,
];

/** Config for {@link realAuthFeatures}. */
export const realAuthConfig = {
  app: { baseUrl: 'http://localhost:3000' },
  auth: {
    providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
  },
  permission: { enabled: true },
};

/** A signed-in user's token, from the auth backend's guest provider. */
export async function guestToken(backend: any): Promise<string> {
  const res = await request(backend).get(
    '/api/auth/guest/refresh?env=development',
  );
  const token = res.body?.backstageIdentity?.token;
  if (!token) throw new Error(`no guest token: ${res.status}`);
  return token;
}

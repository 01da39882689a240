import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { audited } from './lib/audited';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  eksClusterCheckProblem,
  EntityAwsWorkloadResponse,
  entityRefreshPermission,
  FleetQuery,
  FLEET_FACETS,
  FLEET_GROUP_BY,
  FLEET_MAX_LIMIT,
  FLEET_MODE_BUCKETS,
  FLEET_SORT_FIELDS,
  publishTargetOf,
  repoUrlHost,
} from '@aws-workload/plugin-aws-workload-common';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { FleetQueryService } from './fleet/FleetQueryService';
import { CallerEntityReads } from './lib/CallerEntityReads';
import { callerKey } from './lib/callerKey';
import { RecheckLimiter } from './lib/RecheckLimiter';
import {
  generatedFilesOf,
  GeneratedFilesStore,
  KEPT_DAYS,
  validTaskId,
} from './scaffolder/GeneratedFilesStore';
import { ClusterCheckService } from './views/ClusterCheckService';
import { EntityViewService } from './views/EntityViewService';

/** Kinds, namespaces and names as the catalog allows them. */
const REF_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  entities: CallerEntityReads;
  entityView: EntityViewService;
  fleet: FleetQueryService;
  recheckLimiter: RecheckLimiter;
  clusterCheck: ClusterCheckService;
  /** The portal's SCM integrations, which the wizard's publish notice reads. */
  integrations: Pick<ScmIntegrationRegistry, 'github'>;
  /** The generated files of scaffolder runs, kept for download. */
  generatedFiles: GeneratedFilesStore;
  /** Audit events of reads and actions (`coreServices.auditor`). */
  auditor?: AuditorService;
}

/** The path's kind, namespace and name, each as the catalog allows it. */
function entityRefOf(params: Record<string, string>): string {
  const { kind, namespace, name } = params;
  for (const [field, value] of Object.entries({ kind, namespace, name })) {
    if (!REF_PART.test(value)) {
      throw new InputError(
        `${field} must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
    }
  }
  return stringifyEntityRef({ kind, namespace, name });
}

/** `?mode=irsa&mode=static-keys` or `?mode=irsa,static-keys`. */
function listParam(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).flatMap(v => {
    if (typeof v !== 'string') {
      throw new InputError(`${field} must be a string or a list of strings`);
    }
    return v.split(',').map(s => s.trim());
  });
  // "" alone asks for entities without a value (no owner, no cluster).
  return values.length === 1 && values[0] === ''
    ? ['']
    : values.filter(Boolean);
}

/** One of a list of words, or undefined when absent. */
function oneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InputError(
      `${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(
        String(value).slice(0, 40),
      )}`,
    );
  }
  return value as T;
}

const MAX_SEARCH_LENGTH = 200;
/** The fleet page's trend: the last 30 days; at most a year. */
const DEFAULT_TREND_DAYS = 30;
const MAX_TREND_DAYS = 366;

function intParam(
  value: unknown,
  field: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(
      `${field} must be a whole number from ${min} to ${max}`,
    );
  }
  return n;
}

export function parseFleetQuery(query: Record<string, unknown>): FleetQuery {
  const known: string[] = [
    ...FLEET_FACETS,
    'q',
    'sort',
    'order',
    'groupBy',
    'offset',
    'limit',
  ];
  const unknownKey = Object.keys(query).find(k => !known.includes(k));
  if (unknownKey) {
    throw new InputError(
      `Unknown query parameter ${unknownKey}; use ${known.join(', ')}`,
    );
  }
  const mode = listParam(query.mode, 'mode');
  const badMode = mode?.find(
    m => !FLEET_MODE_BUCKETS.includes(m as (typeof FLEET_MODE_BUCKETS)[number]),
  );
  if (badMode !== undefined) {
    throw new InputError(
      `mode must be one of ${FLEET_MODE_BUCKETS.join(
        ', ',
      )}; got "${badMode.slice(0, 40)}"`,
    );
  }
  if (
    query.q !== undefined &&
    (typeof query.q !== 'string' || query.q.length > MAX_SEARCH_LENGTH)
  ) {
    throw new InputError(
      `q must be one string of at most ${MAX_SEARCH_LENGTH} characters`,
    );
  }
  return {
    mode: mode as FleetQuery['mode'],
    owner: listParam(query.owner, 'owner'),
    kind: listParam(query.kind, 'kind')?.map(k => k.toLocaleLowerCase('en-US')),
    failingCheck: listParam(query.failingCheck, 'failingCheck'),
    warningCheck: listParam(query.warningCheck, 'warningCheck'),
    cluster: listParam(query.cluster, 'cluster'),
    account: listParam(query.account, 'account'),
    q: (query.q as string | undefined)?.trim() || undefined,
    sort: oneOf(query.sort, 'sort', FLEET_SORT_FIELDS),
    order: oneOf(query.order, 'order', ['asc', 'desc'] as const),
    groupBy: oneOf(query.groupBy, 'groupBy', FLEET_GROUP_BY),
    offset: intParam(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER),
    limit: intParam(query.limit, 'limit', 1, FLEET_MAX_LIMIT),
  };
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, entities, entityView, fleet, clusterCheck } =
    options;
  const router = Router();
  /** The live view, with since when its checks fail from the fleet's history. */
  const withFailingSince = async (view: EntityAwsWorkloadResponse) => {
    const failingSince = await fleet.failingSinceOf(view.entityRef);
    return failingSince ? { ...view, failingSince } : view;
  };

  // The archive action hands a run's files over (up to 4 MiB packed, in
  // base64): a body limit of its own, before the routes' default one.
  router.put(
    '/scaffolder/generated-files/:taskId',
    express.json({ limit: '6mb' }),
    async (req, res) => {
      await httpAuth.credentials(req, { allow: ['service'] });
      const taskId = validTaskId(req.params.taskId);
      await audited(
        options.auditor,
        {
          eventId: 'generated-files-keep',
          severityLevel: 'medium',
          request: req,
          meta: { taskId },
        },
        () => options.generatedFiles.put(taskId, generatedFilesOf(req.body)),
      );
      res.status(204).end();
    },
  );

  router.use(express.json());

  router.get('/scaffolder/generated-files/:taskId', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const taskId = validTaskId(req.params.taskId);
    const files = await audited(
      options.auditor,
      {
        eventId: 'generated-files-download',
        severityLevel: 'medium',
        request: req,
        meta: { taskId },
      },
      () => options.generatedFiles.get(taskId, credentials),
      found => ({ found: Boolean(found) }),
    );
    if (!files) {
      throw new NotFoundError(
        `No generated files of run ${req.params.taskId}: they are kept ${KEPT_DAYS} days, for whoever may see the run`,
      );
    }
    res.json(files);
  });

  // The create-service wizard's cluster field: a signed-in user only.
  router.get('/clusters/check', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const problem = eksClusterCheckProblem(req.query);
    if (problem) throw new InputError(problem.message);
    const { accountId, region, clusterName } = req.query as Record<
      string,
      string
    >;
    res.json(
      await audited(
        options.auditor,
        {
          eventId: 'cluster-check',
          severityLevel: 'low',
          request: req,
          meta: { accountId, region, clusterName },
        },
        () => clusterCheck.check({ accountId, region, clusterName }),
      ),
    );
  });

  // The wizard's publish notice: can this portal create the repository?
  router.get('/scaffolder/publish-target', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const { repoUrl } = req.query;
    const host = typeof repoUrl === 'string' ? repoUrlHost(repoUrl) : undefined;
    if (!host) {
      throw new InputError(
        'repoUrl must look like github.com?owner=<owner>&repo=<repo>',
      );
    }
    res.json(publishTargetOf(options.integrations, host));
  });

  router.get('/entity/:kind/:namespace/:name', async (req, res) => {
    const ref = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    // Read with the caller's own credentials: what they cannot see does not
    // exist for them, and nothing upstream is called for it.
    const view = await audited(
      options.auditor,
      {
        eventId: 'entity-view',
        severityLevel: 'low',
        request: req,
        meta: { entityRef: ref },
      },
      async () => {
        const entity = await entities.getEntityByRef(ref, credentials);
        if (!entity) throw new NotFoundError(`No entity ${ref}`);
        return entityView.getRecentEntityView(entity);
      },
    );
    res.json(await withFailingSince(view));
  });

  router.post('/entity/:kind/:namespace/:name/recheck', async (req, res) => {
    const ref = entityRefOf(req.params);
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: entityRefreshPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Re-checking needs the permission ${entityRefreshPermission.name}`,
      );
    }
    const entity = await entities.getEntityByRef(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${ref}`);
    // Callers that cannot be named share one slot per entity.
    const caller = callerKey(credentials) ?? 'unnamed';
    const limited = options.recheckLimiter.take(ref, caller);
    if (limited) {
      res.set('Retry-After', String(limited.waitSeconds));
      res.status(429).json({
        error: {
          name: 'TooManyRequestsError',
          message: `${ref} was re-checked moments ago; try again in ${limited.waitSeconds} s`,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
      return;
    }
    // Re-reads every upstream at once: an action, not a read.
    res.json(
      await withFailingSince(
        await audited(
          options.auditor,
          {
            eventId: 'entity-recheck',
            severityLevel: 'medium',
            request: req,
            meta: { entityRef: ref },
          },
          () => entityView.recheckEntityView(entity),
        ),
      ),
    );
  });

  router.get('/fleet/trend', async (req, res) => {
    const unknownKey = Object.keys(req.query).find(k => k !== 'days');
    if (unknownKey) {
      throw new InputError(`Unknown query parameter ${unknownKey}; use days`);
    }
    const days =
      intParam(req.query.days, 'days', 1, MAX_TREND_DAYS) ?? DEFAULT_TREND_DAYS;
    const credentials = await httpAuth.credentials(req);
    res.json(await fleet.trend(days, credentials));
  });

  router.get('/fleet', async (req, res) => {
    const query = parseFleetQuery(req.query as Record<string, unknown>);
    const credentials = await httpAuth.credentials(req);
    const answer = await audited(
      options.auditor,
      {
        eventId: 'fleet-read',
        severityLevel: 'low',
        request: req,
        meta: { query: JSON.parse(JSON.stringify(query)) },
      },
      () => fleet.queryEncoded(query, credentials),
    );
    res.type('application/json');
    res.vary('Accept-Encoding');
    // Already compressed: the portal's compression middleware leaves a
    // response with a Content-Encoding alone.
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip');
      res.send(answer.gzip);
    } else {
      res.send(answer.json);
    }
  });

  return router;
}

import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { EntityViewService } from './service/EntityViewService';

/** Kinds, namespaces and names as the catalog allows them. */
const REF_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  entityView: EntityViewService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, entityView } = options;
  const router = Router();
  router.use(express.json());

  router.get('/entity/:kind/:namespace/:name', async (req, res) => {
    const { kind, namespace, name } = req.params;
    for (const [field, value] of Object.entries({ kind, namespace, name })) {
      if (!REF_PART.test(value)) {
        throw new InputError(
          `${field} must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit`,
        );
      }
    }
    const credentials = await httpAuth.credentials(req);
    const ref = stringifyEntityRef({ kind, namespace, name });
    // Read with the caller's own credentials: what they cannot see does not
    // exist for them, and nothing upstream is called for it.
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${ref}`);
    res.json(await entityView.getEntityView(entity));
  });

  return router;
}

// Read routes for entities, and the claims about (or made by) an entity.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClaimsRepository } from '../claims/claims.repository.js';
import { ClaimPage } from '../claims/claims.schemas.js';
import { EntityType } from '../domain/vocabulary.js';
import { decodeCursor, pageFields } from '../http/pagination.js';
import { AppError } from '../http/problems.js';
import { responses } from '../http/responses.js';
import { Cursor, IdParams, Limit, pageOf } from '../http/schemas.js';
import type { EntitiesRepository } from './entities.repository.js';
import { Entity } from './entities.schemas.js';

const EntityPage = pageOf(Entity, 'EntityPage');
const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });

export const entitiesRoutes: FastifyPluginAsyncZod<{ entities: EntitiesRepository; claims: ClaimsRepository }> = async (
  app,
  { entities, claims },
) => {
  app.get(
    '/v1/entities',
    {
      schema: {
        operationId: 'listEntities',
        summary: 'List entities',
        tags: ['entities'],
        querystring: PageQuery.extend({ type: EntityType.optional() }),
        response: responses({ description: 'A page of entities, by id.', schema: EntityPage }, 400),
      },
    },
    async (request, reply) => {
      const page = entities.list({ type: request.query.type }, decodeCursor(request.query.cursor), request.query.limit);
      return { items: page.items, ...pageFields(request, reply, page.lastId) };
    },
  );

  app.get(
    '/v1/entities/:id',
    {
      schema: {
        operationId: 'getEntity',
        summary: 'Get an entity',
        tags: ['entities'],
        params: IdParams,
        response: responses({ description: 'The entity.', schema: Entity }, 400, 404),
      },
    },
    async (request) => {
      const entity = entities.get(request.params.id);
      if (!entity) throw new AppError('entity-not-found', `No entity has id "${request.params.id}"`);
      return entity;
    },
  );

  app.get(
    '/v1/entities/:id/claims',
    {
      schema: {
        operationId: 'listEntityClaims',
        summary: 'List the claims about an entity, or made by it',
        tags: ['entities', 'claims'],
        params: IdParams,
        querystring: PageQuery.extend({
          role: z.enum(['subject', 'claimant']).default('subject').describe('`subject`: claims about the entity; `claimant`: claims it made.'),
        }),
        response: responses({ description: 'A page of claims.', schema: ClaimPage }, 400, 404),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!entities.exists(id)) throw new AppError('entity-not-found', `No entity has id "${id}"`);
      const filters = request.query.role === 'claimant' ? { claimant: id } : { subject: id };
      const page = claims.list(filters, decodeCursor(request.query.cursor), request.query.limit);
      return { items: page.items, ...pageFields(request, reply, page.lastId) };
    },
  );
};

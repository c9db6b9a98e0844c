// Read routes for entities, and the claims about (or made by) an entity.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClaimsRepository } from '../claims/claims.repository.js';
import { IncludeRetracted } from '../claims/claims.list-query.js';
import { ClaimPage } from '../claims/claims.schemas.js';
import { EntityType } from '../domain/vocabulary.js';
import { sendTagged, type Tagged } from '../http/conditional.js';
import { decodeCursor, pageFields } from '../http/pagination.js';
import { parsePrefixQuery } from '../search/search-query.js';
import { AppError } from '../http/problems.js';
import { ETAG_HEADER, responses } from '../http/responses.js';
import { Cursor, IdParams, Limit, pageOf } from '../http/schemas.js';
import type { EntitiesRepository } from './entities.repository.js';
import { EntityView } from './entities.schemas.js';

const ENTITY_MATCHES = ['prefix', 'near'] as const;
// Kept under its name as the list's page: clients generated from the OpenAPI document name their types by it.
const EntityPage = pageOf(EntityView, 'EntityPage').extend({
  match: z
    .enum(ENTITY_MATCHES)
    .optional()
    .describe(
      'With `q` only: how the names matched. `prefix`: every word of `q` starts a word of the name or an alias. `near`: ' +
        'none did, so these are the names where each word of `q` is a slip from the start of one of their words (a ' +
        'letter left out, added, changed, or two swapped; one such edit from 4 letters, two from 8, none below), ' +
        'fewest edits first.',
    ),
}).meta({ id: 'EntityPage', description: 'A page of entities: by id, or with `q` the best matches, one page. The next page is also in the Link header.' });
const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });

const ListQuery = PageQuery.extend({
  type: EntityType.optional(),
  q: z.string().optional().describe('Name or alias prefix, e.g. `deeps` or `nvid`.').meta({ examples: ['deeps'] }),
}).superRefine((query, ctx) => {
  // A search answers one page, best match first, and issues no cursor: one sent with it was ignored, and the same
  // first page came back as if it were the next.
  if (query.q !== undefined && query.cursor !== undefined)
    ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'cursor does not apply with q: a search is one page, best match first; raise limit for more' });
});

export const entitiesRoutes: FastifyPluginAsyncZod<{
  entities: EntitiesRepository;
  claims: ClaimsRepository;
  tag: (entity: EntityView) => Tagged;
}> = async (app, { entities, claims, tag }) => {
  app.get(
    '/v1/entities',
    {
      schema: {
        operationId: 'listEntities',
        summary: 'List entities',
        tags: ['entities'],
        description:
          'Entities by id, optionally of one type. With `q`, entities whose name or an alias has words starting with ' +
          'the words of `q` (accents and case fold), best match first, for autocomplete: one page, no cursor (a ' +
          '`cursor` with `q` is 400). When none does, the names a typing slip away (`match: near`): "nvida" finds Nvidia.',
        querystring: ListQuery,
        response: responses({ description: 'A page of entities, by id (or by relevance with `q`).', schema: EntityPage }, 400),
      },
    },
    async (request, reply) => {
      if (request.query.q !== undefined) {
        const { q, type, limit } = request.query;
        const items = entities.suggest(parsePrefixQuery(q).match, type, limit);
        if (items.length > 0) return { items, ...pageFields(request, reply, null), match: 'prefix' as const };
        return { items: entities.near(q, type, limit), ...pageFields(request, reply, null), match: 'near' as const };
      }
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
        params: IdParams.entity,
        response: responses({ description: 'The entity.', schema: EntityView, headers: ETAG_HEADER }, 304, 400, 404),
      },
    },
    async (request, reply) => {
      const entity = entities.get(request.params.id);
      if (!entity) throw new AppError('entity-not-found', `No entity has id "${request.params.id}"`);
      return sendTagged(request, reply, tag(entity));
    },
  );

  app.get(
    '/v1/entities/:id/claims',
    {
      schema: {
        operationId: 'listEntityClaims',
        summary: 'List the claims about an entity, or made by it',
        tags: ['entities', 'claims'],
        params: IdParams.entity,
        querystring: PageQuery.extend({
          role: z.enum(['subject', 'claimant']).default('subject').describe('`subject`: claims about the entity; `claimant`: claims it made.').meta({ examples: ['claimant'] }),
          includeRetracted: IncludeRetracted,
        }),
        response: responses({ description: 'A page of claims.', schema: ClaimPage }, 400, 404),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!entities.exists(id)) throw new AppError('entity-not-found', `No entity has id "${id}"`);
      const { role, includeRetracted } = request.query;
      const filters = role === 'claimant' ? { claimant: id, includeRetracted } : { subject: id, includeRetracted };
      const page = claims.list(filters, decodeCursor(request.query.cursor), request.query.limit);
      return { items: page.items, ...pageFields(request, reply, page.lastId) };
    },
  );
};

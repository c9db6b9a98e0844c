// Read routes for sources, and the claims that cite a source.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClaimsRepository } from '../claims/claims.repository.js';
import { IncludeRetracted } from '../claims/claims.list-query.js';
import { ClaimPage } from '../claims/claims.schemas.js';
import { SourceType } from '../domain/vocabulary.js';
import { sendTagged, type Tagged } from '../http/conditional.js';
import { decodeCursor, pageFields } from '../http/pagination.js';
import { AppError } from '../http/problems.js';
import { ETAG_HEADER, responses } from '../http/responses.js';
import { Cursor, IdParams, Limit, pageOf } from '../http/schemas.js';
import type { SourcesRepository } from './sources.repository.js';
import { SourceView } from './sources.schemas.js';

const SourcePage = pageOf(SourceView, 'SourcePage');
const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });

export const sourcesRoutes: FastifyPluginAsyncZod<{
  sources: SourcesRepository;
  claims: ClaimsRepository;
  tag: (source: SourceView) => Tagged;
}> = async (app, { sources, claims, tag }) => {
  app.get(
    '/v1/sources',
    {
      schema: {
        operationId: 'listSources',
        summary: 'List sources',
        tags: ['sources'],
        querystring: PageQuery.extend({ type: SourceType.optional() }),
        response: responses({ description: 'A page of sources, by id.', schema: SourcePage }, 400),
      },
    },
    async (request, reply) => {
      const page = sources.list({ type: request.query.type }, decodeCursor(request.query.cursor), request.query.limit);
      return { items: page.items, ...pageFields(request, reply, page.lastId) };
    },
  );

  app.get(
    '/v1/sources/:id',
    {
      schema: {
        operationId: 'getSource',
        summary: 'Get a source',
        tags: ['sources'],
        params: IdParams.source,
        response: responses({ description: 'The source.', schema: SourceView, headers: ETAG_HEADER }, 304, 400, 404),
      },
    },
    async (request, reply) => {
      const source = sources.get(request.params.id);
      if (!source) throw new AppError('source-not-found', `No source has id "${request.params.id}"`);
      return sendTagged(request, reply, tag(source));
    },
  );

  app.get(
    '/v1/sources/:id/claims',
    {
      schema: {
        operationId: 'listSourceClaims',
        summary: 'List the claims that cite a source',
        tags: ['sources', 'claims'],
        params: IdParams.source,
        querystring: PageQuery.extend({ includeRetracted: IncludeRetracted }),
        response: responses({ description: 'A page of claims citing the source.', schema: ClaimPage }, 400, 404),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!sources.exists(id)) throw new AppError('source-not-found', `No source has id "${id}"`);
      const page = claims.list({ source: id, includeRetracted: request.query.includeRetracted }, decodeCursor(request.query.cursor), request.query.limit);
      return { items: page.items, ...pageFields(request, reply, page.lastId) };
    },
  );
};

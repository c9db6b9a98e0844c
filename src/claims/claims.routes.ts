// Read routes for claims: a filtered, paginated list and one claim in full.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { firstDay, lastDay } from '../domain/partial-date.js';
import { sendTagged, type Tagged } from '../http/conditional.js';
import { decodeCursor, pageFields } from '../http/pagination.js';
import { AppError } from '../http/problems.js';
import { ETAG_HEADER, responses } from '../http/responses.js';
import { IdParams } from '../http/schemas.js';
import { type ClaimFilters, ClaimListQuery } from './claims.list-query.js';
import type { ClaimsRepository } from './claims.repository.js';
import { Claim, ClaimPage } from './claims.schemas.js';

/** Turns the list query into repository filters, widening partial dates to the days they cover. */
export function toClaimFilters(q: ClaimListQuery): ClaimFilters {
  return {
    kind: q.kind,
    subject: q.subject,
    claimant: q.claimant,
    source: q.source,
    verdict: q.verdict,
    factFrom: q.factFrom && firstDay(q.factFrom),
    factTo: q.factTo && lastDay(q.factTo),
    claimedFrom: q.claimedFrom && firstDay(q.claimedFrom),
    claimedTo: q.claimedTo && lastDay(q.claimedTo),
    includeRetracted: q.includeRetracted,
  };
}

export const claimsRoutes: FastifyPluginAsyncZod<{ claims: ClaimsRepository; tag: (claim: Claim) => Tagged }> = async (app, { claims, tag }) => {
  app.get(
    '/v1/claims',
    {
      schema: {
        operationId: 'listClaims',
        summary: 'List claims',
        description:
          'Claims in a stable order (by id), filtered by any combination of parameters. Follow `nextCursor` ' +
          '(or the `Link: rel="next"` header) for the next page. Retracted claims are left out unless `includeRetracted=true`.',
        tags: ['claims'],
        querystring: ClaimListQuery,
        response: responses({ description: 'A page of claims.', schema: ClaimPage }, 400),
      },
    },
    async (request, reply) => {
      const page = claims.list(toClaimFilters(request.query), decodeCursor(request.query.cursor), request.query.limit);
      return { items: page.items, ...pageFields(request, reply, page.lastId) };
    },
  );

  app.get(
    '/v1/claims/:id',
    {
      schema: {
        operationId: 'getClaim',
        summary: 'Get a claim',
        description:
          'The whole claim: value, qualifiers, timing, assessment, caveats, citations with their sources, and related ' +
          'claims. A retracted claim is served too, with its `retraction`. `links.revision` is the permalink of the ' +
          'revision shown. Send the ETag back in If-None-Match to revalidate (304), or in If-Match to change the claim.',
        tags: ['claims'],
        params: IdParams,
        response: responses({ description: 'The claim.', schema: Claim, headers: ETAG_HEADER }, 304, 400, 404),
      },
    },
    async (request, reply) => {
      const claim = claims.get(request.params.id);
      if (!claim) throw new AppError('claim-not-found', `No claim has id "${request.params.id}"`);
      return sendTagged(request, reply, tag(claim));
    },
  );
};

// Read routes for claims: a filtered, paginated list and one claim in full.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addVary, sendTagged, sendTaggedText, type Tagged } from '../http/conditional.js';
import { pageFieldsFor, withParams } from '../http/pagination.js';
import { AppError } from '../http/problems.js';
import { ETAG_HEADER, responses } from '../http/responses.js';
import { IdParams } from '../http/schemas.js';
import { ClaimListQuery, type Facet, toClaimFilters } from './claims.list-query.js';
import { RELEVANCE_WINDOW } from './claims.relevance-sql.js';
import { publishContext, renderClaimRepresentation } from '../pages/pages.routes.js';
import type { ClaimsRepository } from './claims.repository.js';
import { findClaims } from './claims.search.js';
import type { FilterReading } from '../search/query-filters.js';
import { Claim } from './claims.schemas.js';
import { ClaimSearchPage } from './claims.search.schemas.js';

/** The 200 of GET /v1/claims/{id} documents the page and the ClaimReview JSON-LD beside the JSON. */
function withRepresentations<R extends Record<number, unknown>>(map: R): R {
  const ok = map[200] as { content: Record<string, unknown> };
  ok.content['text/html'] = { schema: { type: 'string', description: 'The claim page for people (see GET /c/{id}).' } };
  // Open (additionalProperties), so that generated clients can read its fields: a bare `type: object` became
  // Record<string, never> in TypeScript.
  ok.content['application/ld+json'] = {
    schema: {
      type: 'object',
      description:
        'A schema.org ClaimReview of the claim (https://schema.org/ClaimReview). A retracted claim has `creativeWorkStatus` "Retracted", a `correction`, and a rating of "Retracted" with no value.',
      properties: {
        '@context': { type: 'string', const: 'https://schema.org' },
        '@type': { type: 'string', const: 'ClaimReview' },
        '@id': { type: 'string', format: 'uri', description: 'The permalink of the revision reviewed.' },
        url: { type: 'string', format: 'uri', description: "The claim's page." },
        claimReviewed: { type: 'string' },
        reviewRating: { type: 'object', additionalProperties: true },
        itemReviewed: { type: 'object', additionalProperties: true },
      },
      required: ['@context', '@type', '@id', 'url', 'claimReviewed', 'reviewRating', 'itemReviewed'],
      additionalProperties: true,
    },
  };
  return map;
}

export interface ClaimsRoutesOptions {
  claims: ClaimsRepository;
  tag: (claim: Claim) => Tagged;
  /** Service name and public base URL for the page and the JSON-LD. */
  publishing?: { serviceName?: string | undefined; baseUrl?: string | undefined };
}

/**
 * The reading's fields and its link: this request with the filters read set and `q` the words left. With no words
 * left, the parameters that need `q` go too (match, sort=relevance), or the link would be a 400.
 */
function asFiltersBody(reading: FilterReading, link: (changes: Record<string, string | undefined>) => string, sort: string | undefined) {
  const words = reading.q === undefined ? { match: undefined, ...(sort === 'relevance' ? { sort: undefined } : {}) } : {};
  return {
    ...reading.filters,
    ...(reading.q === undefined ? {} : { q: reading.q }),
    href: link({ ...reading.filters, q: reading.q, cursor: undefined, ...words }),
  };
}

export const claimsRoutes: FastifyPluginAsyncZod<ClaimsRoutesOptions> = async (app, { claims, tag, publishing = {} }) => {
  app.get(
    '/v1/claims',
    {
      schema: {
        operationId: 'listClaims',
        summary: 'Find claims',
        description:
          'Claims matching every filter given, optionally searched by `q` (ranked by relevance, each with a ' +
          'highlighted `snippet`) and counted by `facets`. Follow `nextCursor` (or the `Link: rel="next"` header) for ' +
          'the next page; every sort pages by keyset, so each claim appears exactly once, also when claims are written ' +
          'between pages (later pages of a search leave out claims written after its first; a claim edited meanwhile ' +
          'may move). Relevance is bm25 (the ' +
          `statement weighted above the rest) over the ${RELEVANCE_WINDOW.toLocaleString('en')} most recent matches, ` +
          'then older matches newest first. In a search without OR, a word that at least half of all claims hold (which ' +
          'bm25 weighs at 1e-6) and the terms after NOT are left out of the scores when another term remains; they ' +
          'still decide what matches. A search of plain words that no claim holds every word of answers the claims holding ' +
          'some of them, and says so in `match`; one that finds nothing as written may carry a respelled `suggestion`, ' +
          'and one that names an amount, a date, who claimed it or what it is about, the same search read as filters (`asFilters`). ' +
          'Retracted claims are left out unless `includeRetracted=true`.',
        tags: ['claims'],
        querystring: ClaimListQuery,
        response: responses({ description: 'A page of claims.', schema: ClaimSearchPage }, 400),
      },
    },
    async (request, reply) => {
      const query = request.query;
      const facets = query.facets === undefined ? undefined : ([...new Set(query.facets.split(','))] as Facet[]);
      const page = findClaims(claims, { ...query, filters: toClaimFilters(query), facets });
      const body = {
        items: page.items,
        // A relaxed search's next page asks for the reading its first was answered with.
        ...pageFieldsFor(request, reply, page.nextCursor, page.match === 'any' ? { match: 'any' } : {}),
        ...(page.match === undefined ? {} : { match: page.match }),
        ...(page.suggestion === undefined ? {} : { suggestion: page.suggestion }),
        ...(page.asFilters === undefined ? {} : { asFilters: asFiltersBody(page.asFilters, (changes) => withParams(request, changes), query.sort) }),
      };
      return page.facets ? { ...body, facets: page.facets } : body;
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
        params: IdParams.claim,
        response: withRepresentations(responses({ description: 'The claim.', schema: Claim, headers: ETAG_HEADER }, 304, 400, 404, 406)),
      },
    },
    async (request, reply) => {
      const claim = claims.get(request.params.id);
      if (!claim) throw new AppError('claim-not-found', `No claim has id "${request.params.id}"`);
      // One URL for people and programs: browsers get the page, aggregators ClaimReview, everyone else JSON.
      addVary(reply, 'Accept');
      const representation = await renderClaimRepresentation(claim, request.headers.accept, publishContext(request, publishing));
      if (representation.kind === 'json') return sendTagged(request, reply, tag(claim));
      // The page and the JSON-LD are tagged too, each by its own bytes, so each revalidates on its own.
      return sendTaggedText(request, reply, representation.body, representation.contentType);
    },
  );
};

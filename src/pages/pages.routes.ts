// Routes for people and for citing: the front page, a claim's page at /c/{id}, and citations of a claim record.
// Also the representation switch GET /v1/claims/{id} uses for content negotiation (HTML page, ClaimReview
// JSON-LD, or its usual JSON).
//
// /c/{id} renders the page itself (200) rather than redirecting to /v1/claims/{id}: it is the short link people
// paste, a redirect would cost a round trip, and /v1/claims/{id} answers JSON to any client that does not ask for
// HTML (curl, link checkers), which is the wrong default for a link meant for people. The page names
// /c/{id} as its canonical URL and links to the JSON and to the permalink of the revision shown.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CITATION_MEDIA_TYPES, type CitationStyle, CitationStyle as CitationStyleSchema, citeClaim } from '../citation/citation.js';
import type { ClaimsRepository } from '../claims/claims.repository.js';
import { toClaimReview } from '../claimreview/claimreview.js';
import type { ClaimView, PublishContext } from '../domain/claim-view.js';
import { negotiate } from '../http/accept.js';
import { AppError } from '../http/problems.js';
import { addVary, sendTaggedText } from '../http/conditional.js';
import { ETAG_HEADER, NOT_MODIFIED, problemResponse } from '../http/responses.js';
import { IdParams } from '../http/schemas.js';
import { renderClaimPage } from './claim.page.js';
import { renderIndexPage } from './index.page.js';
import { HTML, taggedText, textContent } from './page-responses.js';

export interface PagesOptions {
  claims: ClaimsRepository;
  /** Publisher of citations and author of reviews. */
  serviceName?: string | undefined;
  /** Absolute origin for permalinks ("https://claims.example.org"); taken from the request when not set. */
  baseUrl?: string | undefined;
}

export const DEFAULT_SERVICE_NAME = 'claims-api';

/** How many claims the front page lists. */
const INDEX_SIZE = 30;

const JSON_LD = 'application/ld+json; charset=utf-8';

/** Media types GET /v1/claims/{id} can answer with, in the order a client that accepts anything gets them. */
export const CLAIM_MEDIA_TYPES = ['application/json', 'text/html', 'application/ld+json'] as const;

export type ClaimRepresentation = { kind: 'json' } | { kind: 'html' | 'jsonld'; contentType: string; body: string };

/**
 * Rendered claim pages, by everything a page depends on: the claim exactly as served (a hash of its JSON, so a
 * renamed source or a new inverse relation makes a new page), where it is published, and the day (the citations
 * carry an accessed date). Rendering costs about 15 ms, most of it the citation engine; a hit costs a hash.
 */
const pageCache = new Map<string, string>();
const PAGE_CACHE_SIZE = 500;

export async function renderClaimPageCached(claim: ClaimView, ctx: PublishContext & { now?: Date; asRevision?: boolean }): Promise<string> {
  const now = ctx.now ?? new Date();
  const key = createHash('sha256')
    .update(JSON.stringify(claim))
    .update(`\0${ctx.baseUrl}\0${ctx.serviceName}\0${now.toISOString().slice(0, 10)}\0${ctx.asRevision === true}`)
    .digest('base64url');
  const hit = pageCache.get(key);
  if (hit !== undefined) {
    // Most recently used last, so the oldest entry is the first to go.
    pageCache.delete(key);
    pageCache.set(key, hit);
    return hit;
  }
  const page = await renderClaimPage(claim, { ...ctx, now });
  pageCache.set(key, page);
  if (pageCache.size > PAGE_CACHE_SIZE) pageCache.delete(pageCache.keys().next().value!);
  return page;
}

/**
 * For the GET /v1/claims/{id} handler: which representation of `claim` the Accept header asks for. `json` means
 * "send the usual JSON body" (the route keeps its compiled serializer and ETag); the others come rendered.
 * Throws `not-acceptable` (406) when no representation is acceptable. The route should also send `Vary: Accept`.
 */
export async function renderClaimRepresentation(
  claim: ClaimView,
  accept: string | undefined,
  ctx: PublishContext & { now?: Date },
): Promise<ClaimRepresentation> {
  const chosen = negotiate(accept, CLAIM_MEDIA_TYPES);
  if (chosen === null)
    throw new AppError('not-acceptable', `A claim is available as ${CLAIM_MEDIA_TYPES.join(', ')}; Accept allows none of them`);
  if (chosen === 'application/json') return { kind: 'json' };
  if (chosen === 'text/html') return { kind: 'html', contentType: HTML, body: await renderClaimPageCached(claim, ctx) };
  return { kind: 'jsonld', contentType: JSON_LD, body: `${JSON.stringify(toClaimReview(claim, ctx))}\n` };
}

/** The style an Accept header asks for when no `style` is given: plain text means APA. */
const STYLE_BY_MEDIA_TYPE = {
  'text/plain': 'apa',
  'application/x-bibtex': 'bibtex',
  'application/x-research-info-systems': 'ris',
  'application/vnd.citationstyles.csl+json': 'csl-json',
} as const satisfies Record<string, CitationStyle>;
const CITATION_OFFERS = Object.keys(STYLE_BY_MEDIA_TYPE) as (keyof typeof STYLE_BY_MEDIA_TYPE)[];

const CitationQuery = z.strictObject({
  style: CitationStyleSchema.optional().describe(
    'The citation style; Accept is then not consulted. Without it, Accept chooses among text/plain (APA), ' +
      'application/x-bibtex, application/x-research-info-systems and application/vnd.citationstyles.csl+json: no ' +
      'Accept, or */*, gets text/plain (APA), and an Accept that allows none of them (application/json, say) is 406.',
  ),
});

// CSL-JSON is JSON, an array of one CSL item, not a string: documented so, for clients that parse by the schema.
// Every citation is sent as ready text, so these schemas document and never serialize.
const CSL_JSON_TYPE = CITATION_MEDIA_TYPES['csl-json'];
const citationContent = {
  description: 'The citation. Its ETag changes with the claim and with the access date it carries (once a day).',
  headers: ETAG_HEADER,
  content: {
    ...textContent('', [...new Set(Object.values(CITATION_MEDIA_TYPES))].filter((t) => t !== CSL_JSON_TYPE)).content,
    [CSL_JSON_TYPE]: {
      schema: z
        .array(z.looseObject({ id: z.string(), type: z.string(), title: z.string(), URL: z.string() }))
        .describe('CSL-JSON: an array of one CSL item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).'),
    },
  },
};

/** Where links point and who publishes, for one request: the configured origin, else the one the request came to. */
/** A host as the Host header may name one: a name or IPv4 address, or a bracketed IPv6 address, and a port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Where permalinks point. PUBLIC_URL when set (production); otherwise the request's own origin, which comes from
 * headers a client writes (Host, and X-Forwarded-Host/-Proto behind a trusted proxy): a scheme other than http(s)
 * or a host that is not one ("evil.example/phish?", "javascript:…") is refused rather than written into every link.
 */
export function publishContext(request: FastifyRequest, options: { serviceName?: string | undefined; baseUrl?: string | undefined } = {}): PublishContext {
  const serviceName = options.serviceName ?? DEFAULT_SERVICE_NAME;
  if (options.baseUrl) return { serviceName, baseUrl: options.baseUrl };
  const protocol = request.protocol.toLowerCase();
  const { host } = request;
  if ((protocol !== 'http' && protocol !== 'https') || !HOST.test(host))
    throw new AppError('invalid-request', 'The request names no valid host (Host, or X-Forwarded-Host/-Proto from a trusted proxy) to build links from');
  return { serviceName, baseUrl: `${protocol}://${host}` };
}

export const pagesRoutes: FastifyPluginAsyncZod<PagesOptions> = async (app, { claims, serviceName = DEFAULT_SERVICE_NAME, baseUrl }) => {
  const contextOf = (request: FastifyRequest) => publishContext(request, { serviceName, baseUrl });
  const claimOr404 = (id: string) => {
    const claim = claims.get(id);
    if (!claim) throw new AppError('claim-not-found', `No claim has id "${id}"`);
    return claim;
  };

  app.get(
    '/',
    {
      schema: {
        operationId: 'getHomePage',
        summary: 'Front page (HTML)',
        description: `A page for people: what the service holds, links to the API docs, and up to ${INDEX_SIZE} claims, most recently updated first.`,
        tags: ['pages'],
        response: { 200: taggedText('The front page.', ['text/html']), 304: NOT_MODIFIED, 500: problemResponse(500) },
      },
    },
    async (request, reply) => {
      // The most recently changed claims, from the (updated_at, id) index: exact at any size.
      const { items } = claims.find({ filters: {}, sort: '-updated', cursor: null, limit: INDEX_SIZE });
      return sendTaggedText(request, reply, renderIndexPage(items, { serviceName }), HTML);
    },
  );

  app.get(
    '/c/:id',
    {
      schema: {
        operationId: 'getClaimPage',
        summary: 'A claim, as a page for people (HTML)',
        description:
          'The short link people share: the same page GET /v1/claims/{id} serves to browsers (Accept: text/html), rendered ' +
          'directly rather than redirected, with the ClaimReview JSON-LD embedded and a "cite this" box.',
        tags: ['pages'],
        params: IdParams.claim,
        response: {
          200: taggedText('The claim page.', ['text/html']),
          304: NOT_MODIFIED,
          400: problemResponse(400),
          404: problemResponse(404),
          500: problemResponse(500),
        },
      },
    },
    async (request, reply) => {
      const claim = claimOr404(request.params.id);
      return sendTaggedText(request, reply, await renderClaimPageCached(claim, contextOf(request)), HTML);
    },
  );

  app.get(
    '/v1/claims/:id/citation',
    {
      schema: {
        operationId: 'getClaimCitation',
        summary: 'Cite a claim record',
        description:
          'A citation of the claim record itself: title = the statement (on one line: its line breaks and tabs become ' +
          'spaces), author and website = this service, date = the date of the current revision, URL = the permalink of ' +
          'that revision, accessed = today. Choose the format with ' +
          '`style`, or with Accept. Unknown `style` is 400; an Accept that allows no citation format is 406.',
        tags: ['claims'],
        params: IdParams.claim,
        querystring: CitationQuery,
        response: {
          200: citationContent,
          304: NOT_MODIFIED,
          400: problemResponse(400),
          404: problemResponse(404),
          406: problemResponse(406),
          500: problemResponse(500),
        },
      },
    },
    async (request, reply) => {
      let style: CitationStyle | undefined = request.query.style;
      if (style === undefined) {
        const offer = negotiate(request.headers.accept, CITATION_OFFERS);
        if (offer === null)
          throw new AppError('not-acceptable', `Citations are available as ${CITATION_OFFERS.join(', ')}; Accept allows none of them`);
        style = STYLE_BY_MEDIA_TYPE[offer];
      }
      const claim = claimOr404(request.params.id);
      const body = await citeClaim(claim, style, { ...contextOf(request), accessed: new Date() });
      return sendTaggedText(request, addVary(reply, 'Accept'), body, `${CITATION_MEDIA_TYPES[style]}; charset=utf-8`);
    },
  );
};


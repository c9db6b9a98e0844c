// The search page at /search: the claims list's search (GET /v1/claims?q=) for people, a page at a time, with the
// snippets, refinements, "did you mean" and "read as filters" links that src/pages/search-page.query.ts builds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClaimsRepository } from '../claims/claims.repository.js';
import { findClaims } from '../claims/claims.search.js';
import { sendTaggedText } from '../http/conditional.js';
import { pageFieldsFor } from '../http/pagination.js';
import { NOT_MODIFIED, problemResponse } from '../http/responses.js';
import { parseSearchQuery } from '../search/search-query.js';
import { indexText } from '../search/search-text.js';
import { createSnippets } from '../search/snippet.js';
import { HTML, taggedText } from './page-responses.js';
import { DEFAULT_SERVICE_NAME } from './pages.routes.js';
import { renderSearchPage } from './search.page.js';
import { boundRefinements, filtersSet, keptFilters, pageFilters, readingLink, REFINE, refinements, respelledHref, SearchPageQuery, unfilteredHref } from './search-page.query.js';

const SEARCH_PAGE_SIZE = 20;

export const searchPageRoutes: FastifyPluginAsyncZod<{ claims: ClaimsRepository; serviceName?: string | undefined }> = async (app, { claims, serviceName = DEFAULT_SERVICE_NAME }) => {
  app.get(
    '/search',
    {
      schema: {
        operationId: 'getSearchPage',
        summary: 'Search claims, as a page for people (HTML)',
        description:
          `The front page's search box: the search of \`GET /v1/claims?q=\` (the same syntax and ranking, and the same ` +
          `reading of plain words that no claim holds every word of), ${SEARCH_PAGE_SIZE} claims a page, each with the ` +
          'snippet showing where it matched, beside links that narrow it by kind, verdict, claimant or subject with ' +
          'their counts, a "did you mean" link where a search found nothing as written, and a "read as filters" link ' +
          'where it names an amount, a date, who claimed it or what it is about (the API\'s `asFilters`). The value and date filters are ' +
          'the API\'s, each shown in force with a link that lifts it. Without `q`, the claims its filters select, or with ' +
          'none the empty search box. Bad input is a 400 problem, as in the API.',
        tags: ['pages'],
        querystring: SearchPageQuery,
        response: {
          200: taggedText('The search page.', ['text/html']),
          304: NOT_MODIFIED,
          400: problemResponse(400),
          500: problemResponse(500),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { match, cursor } = query;
      // An empty box submitted is no search yet, not a query without words; filters alone list their claims (a search
      // read as filters may leave no words: "what did SemiAnalysis claim").
      const searched = query.q === undefined || query.q.trim() === '' ? undefined : query.q;
      const filtered = filtersSet(query);
      if (searched === undefined && !filtered)
        return sendTaggedText(request, reply, renderSearchPage({ q: undefined, listed: false, claims: [], match: undefined, next: null, later: false, refine: [] }, { serviceName }), HTML);
      const page = findClaims(claims, { filters: pageFilters(query), q: searched, match, cursor, limit: SEARCH_PAGE_SIZE, facets: [...REFINE] });
      const { links } = pageFieldsFor(request, reply, page.nextCursor, page.match === 'any' ? { match: 'any' } : {});
      const asked = { ...query, q: searched };
      const refine = [...boundRefinements(asked), ...refinements(asked, page.facets ?? {})];
      // Every claim has one verdict, and the facet counts are exact: their sum is the number of matches.
      const total = page.facets?.verdict?.reduce((n, c) => n + c.count, 0);
      const suggestion = page.suggestion === undefined ? undefined : { q: page.suggestion, href: respelledHref(asked, page.suggestion) };
      const reading = page.asFilters === undefined ? undefined : readingLink(asked, page.asFilters);
      // The statement is the result's title, its matches marked; the snippet follows only where it shows more of the claim.
      const snippets = searched === undefined ? undefined : createSnippets(parseSearchQuery(searched, page.match).highlight);
      const listed = page.items.map((item) => {
        if (snippets === undefined) return { ...item, snippet: undefined };
        const statement = indexText(item.statement);
        return { ...item, markedStatement: snippets.marked(statement), snippet: item.snippet === snippets.snippet([statement]) ? undefined : item.snippet };
      });
      const kept = { filters: keptFilters(asked), unfiltered: unfilteredHref(asked) };
      const results = { q: searched, listed: true, claims: listed, match: page.match, next: links.next, later: cursor !== undefined, refine, total, suggestion, reading, kept };
      return sendTaggedText(request, reply, renderSearchPage(results, { serviceName }), HTML);
    },
  );
};

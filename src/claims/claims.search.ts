// A page of claims as a reader's search asks for it, for the claims list and the search page alike: its cursor read
// against the list it pages, and a search of plain words that no claim holds every word of answered with the claims
// holding some of them (match=any), since an empty page tells a reader who typed a question nothing; one that finds
// nothing as written with a word no claim holds carries the search respelled (src/search/spelling.ts). See ADR 0005.
import { firstDay, lastDay } from '../domain/partial-date.js';
import { AppError } from '../http/problems.js';
import { type FilterReading, readFilters } from '../search/query-filters.js';
import { anyWordReading, type ParsedQuery, parseSearchQuery, type SearchMatch } from '../search/search-query.js';
import { respell } from '../search/spelling.js';
import { decodeListCursor, encodeListCursor, listScope, type ClaimFilters, type Facet, type SORTS } from './claims.list-query.js';
import type { ClaimsRepository, FoundPage } from './claims.repository.js';

export interface SearchRequest {
  filters: ClaimFilters;
  q?: string | undefined;
  /** As asked for; left out, plain words may be relaxed to `any`. */
  match?: SearchMatch | undefined;
  sort?: (typeof SORTS)[number] | undefined;
  cursor?: string | undefined;
  limit: number;
  facets?: Facet[] | undefined;
}

export interface SearchedPage extends FoundPage {
  /** How the search's words were matched (with `q` only). */
  match?: SearchMatch;
  /** The search respelled, when it found nothing as written and a word no claim holds is near one they do. */
  suggestion?: string;
  /** The search read as filters (an amount, a date, a claimant), when it holds such a phrase and so read finds claims. */
  asFilters?: FilterReading;
  /** The next page's cursor, encoded; null on the last page. */
  nextCursor: string | null;
}

export function findClaims(claims: ClaimsRepository, request: SearchRequest): SearchedPage {
  const { filters, q, limit, facets } = request;
  const sort = request.sort ?? (q === undefined ? 'id' : 'relevance');
  const decode = (m: SearchMatch) => (request.cursor === undefined ? null : decodeListCursor(request.cursor, sort, listScope(filters, q, sort, m)));
  let match: SearchMatch = request.match ?? 'all';
  let cursor = decode(match);
  // A relaxed search's cursor sent without the match=any its link carries (a client building the next URL from
  // nextCursor): the cursor says which reading it pages.
  if (cursor === null && request.match === undefined && q !== undefined && (cursor = decode('any')) !== null) match = 'any';
  const search = q === undefined ? undefined : parseSearchQuery(q, match);
  if (request.cursor !== undefined && cursor === null)
    throw new AppError(
      'invalid-cursor',
      'The cursor is not one this service issued for this list (its sort, filters and search); request the first page without it',
    );
  const options = { filters, sort, cursor, limit, facets };
  let page = claims.find({ ...options, query: search });
  // Only on a first page: the next carries the reading, so that a search pages one reading throughout.
  const foundNothing = cursor === null && q !== undefined && page.items.length === 0;
  const anyWords = foundNothing && request.match === undefined ? anyWordReading(q) : null;
  if (anyWords !== null) {
    const relaxed = claims.find({ ...options, query: anyWords });
    if (relaxed.items.length > 0) [page, match] = [relaxed, 'any'];
  }
  const suggestion = foundNothing ? suggest(claims, request, search!, page.items.length > 0) : null;
  const asFilters = cursor === null && q !== undefined ? readAsFilters(claims, request) : null;
  const nextCursor = page.next && encodeListCursor(page.next, listScope(filters, q, sort, match));
  return {
    ...page,
    nextCursor,
    ...(search === undefined ? {} : { match }),
    ...(suggestion === null ? {} : { suggestion }),
    ...(asFilters === null ? {} : { asFilters }),
  };
}

/**
 * The search read as filters (src/search/query-filters.ts), on a first page, when it finds claims under the request's
 * own filters and those read, its words left read as the reader's would be (as asked, or relaxed). A filter the
 * request sets already is the reader's own: a reading that would set it again is not offered.
 */
function readAsFilters(claims: ClaimsRepository, request: SearchRequest): FilterReading | null {
  const reading = readFilters(request.q!, claims.entityNamed);
  if (reading === null) return null;
  const read = reading.filters;
  if ((Object.keys(read) as (keyof typeof read)[]).some((k) => request.filters[k] !== undefined)) return null;
  const filters: ClaimFilters = { ...request.filters };
  if (read.claimant !== undefined) filters.claimant = read.claimant;
  if (read.subject !== undefined) filters.subject = read.subject;
  if (read.unit !== undefined) filters.unit = read.unit;
  if (read.valueMin !== undefined) filters.valueMin = Number(read.valueMin);
  if (read.valueMax !== undefined) filters.valueMax = Number(read.valueMax);
  // Widened to the days they cover, as toClaimFilters widens the request's own; either end may be open.
  if (read.factFrom !== undefined) filters.factFrom = firstDay(read.factFrom);
  if (read.factTo !== undefined) filters.factTo = lastDay(read.factTo);
  if (read.claimedFrom !== undefined) filters.claimedFrom = firstDay(read.claimedFrom);
  if (read.claimedTo !== undefined) filters.claimedTo = lastDay(read.claimedTo);
  // One end read beside the request's other ("before 2025" with factFrom=2025): a range the list refuses as out of
  // order, which overlapping periods would still match.
  if ((filters.factTo ?? '9') < (filters.factFrom ?? '0') || (filters.claimedTo ?? '9') < (filters.claimedFrom ?? '0')) return null;
  const finds = (query: ParsedQuery | null | undefined) =>
    query !== null && claims.find({ filters, sort: query === undefined ? 'id' : 'relevance', cursor: null, limit: 1, query, snippets: false }).items.length > 0;
  try {
    if (reading.q === undefined) return finds(undefined) ? reading : null;
    return finds(parseSearchQuery(reading.q, request.match ?? 'all')) || (request.match === undefined && finds(anyWordReading(reading.q))) ? reading : null;
  } catch (error) {
    // The words left make no search of their own (too long, say): then there is no reading to offer.
    if (error instanceof AppError) return null;
    throw error;
  }
}

/**
 * A search that found nothing as written, respelled (src/search/spelling.ts), when the respelled search finds claims
 * under the same filters, read as the reader's would be: as asked, or relaxed when they did not say how. Where the
 * relaxed reading found claims all the same, only names are respelled.
 */
function suggest(claims: ClaimsRepository, request: SearchRequest, search: ParsedQuery, relaxed: boolean): string | null {
  const respelled = respell(request.q!, search, claims.lexicon, relaxed);
  if (respelled === null) return null;
  const finds = (query: ParsedQuery | null) =>
    query !== null && claims.find({ filters: request.filters, sort: 'relevance', cursor: null, limit: 1, query, snippets: false }).items.length > 0;
  return finds(parseSearchQuery(respelled, request.match ?? 'all')) || (request.match === undefined && finds(anyWordReading(respelled))) ? respelled : null;
}

// Finding claims: a page of the claims that match the filters and an optional search, in any of the list's orders,
// with the next page's cursor and facet counts. The SQL comes from claims.list-sql.ts and claims.relevance-sql.ts; a
// search's ranked window from claims.relevance-window.ts.
// Once the columns the service keeps in memory are loaded (src/search/doc-columns.ts), a ranked search takes its
// filtered window from them, facets are counted there, with or without a search, and they choose how a page in any
// other order is read (claims.sorted-drive.ts); until then, and inside a transaction, SQL does all three as it plans.
// ADR 0005 has the measurements behind each choice.
import type { Db } from '../db/open.js';
import { createIndexedTermTest } from '../search/indexed-terms.js';
import { narrowSearchQuery, type ParsedQuery } from '../search/search-query.js';
import { AppError } from '../http/problems.js';
import type { ClaimFilters, CursorPayload, Facet, SORTS } from './claims.list-query.js';
import { buildColumnFacetsQuery, buildFacetQuery, COLUMN_FACETS, FACET_SIZE } from './claims.facet-sql.js';
import { buildOrderedQuery, type OrderCursor, type OrderSort } from './claims.list-sql.js';
import { createRelevanceAnchors } from './claims.relevance-anchor.js';
import { bestRanked, createRelevanceWindows } from './claims.relevance-window.js';
import { buildRelevanceTailQuery, RELEVANCE_WINDOW, searchMatch } from './claims.relevance-sql.js';
import type { ClaimRow } from './claims.rows.js';
import { createPageItems, type PageItem } from './claims.page-items.js';
import type { ColumnSearch } from './claims.column-search.js';
import { createFacetCache, type FacetCache, type TopValues } from './claims.facet-cache.js';
import { createSortedDrives, type PhaseDrive, reading, type SortedDriveLimits } from './claims.sorted-drive.js';
import type { TermScores } from './claims.term-scores.js';

export interface FindOptions {
  filters: ClaimFilters;
  /** A parsed search (parseSearchQuery); only its hits are listed when given. */
  query?: ParsedQuery | undefined;
  /** Whether search hits carry a snippet; true unless the caller (an export) has no use for them. */
  snippets?: boolean;
  sort: (typeof SORTS)[number];
  cursor: CursorPayload | null;
  limit: number;
  facets?: Facet[] | undefined;
  /**
   * Where a search's passing hits are kept between pages of one reading (an export), so that FTS5 is asked once,
   * not once a page: a broad search costs up to seconds a time, and an export of 100,000 claims is 400 pages. Hits
   * read at the first page stay as they were; the filters are still tested in SQL on every page.
   */
  hitsHolder?: { hits?: Int32Array | null };
}

export interface FacetCount {
  value: string;
  label: string | null;
  count: number;
}

export interface FoundPage {
  items: PageItem[];
  /** Where the next page starts; null on the last page. */
  next: CursorPayload | null;
  facets?: Partial<Record<Facet, FacetCount[]>>;
}

type Statement = ReturnType<Db['prepare']>;
/** Facets whose values are entity ids, labelled with the entity's name. */
const ENTITY_FACETS: ReadonlySet<Facet> = new Set(['claimant', 'subject']);
type Params = Record<string, unknown>;

/** The top FACET_SIZE values, most frequent first, then by value. */
function topValues(counts: Map<string, number>): TopValues {
  return [...counts].sort(([va, a], [vb, b]) => b - a || (va < vb ? -1 : va > vb ? 1 : 0)).slice(0, FACET_SIZE);
}

export interface FinderOptions {
  facetCache?: FacetCache;
  /** Where sorted pages of filtered lists switch between reading passing claims, walking an index and SQLite's plan. */
  sortedDrives?: SortedDriveLimits;
  /**
   * Scores one-word and one-phrase searches in memory (claims.term-scores.ts); without it, bm25() in SQL scores every
   * search.
   */
  termScores?: TermScores;
}

export function createClaimFinder(db: Db, columnSearch: ColumnSearch, options: FinderOptions = {}) {
  const { facetCache = createFacetCache() } = options;
  const statements = new Map<string, Statement>();
  const chooseDrive = createSortedDrives(db, columnSearch, options.sortedDrives);
  const indexed = createIndexedTermTest(db);
  /** Each SQL shape is prepared once, the first time a request needs it. */
  const prepared = ({ sql, key }: { sql: string; key: string }): Statement => {
    let stmt = statements.get(key);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(key, stmt);
    }
    return stmt;
  };
  const pageItems = createPageItems(db);
  const entityName = db.prepare<[string], string>('SELECT name FROM entities WHERE id = ?').pluck();
  const windows = createRelevanceWindows(prepared, options.termScores);
  const { anchorOf, latestChange } = createRelevanceAnchors(db);

  /** Each facet's top values, with subjects and claimants named. */
  function labelled(facets: readonly Facet[], tops: TopValues[]): Partial<Record<Facet, FacetCount[]>> {
    return Object.fromEntries(
      facets.map((facet, i) => [
        facet,
        tops[i]!.map(([value, count]) => ({ value, label: ENTITY_FACETS.has(facet) ? (entityName.get(value) ?? null) : null, count })),
      ]),
    );
  }
  /** Each facet's top FACET_SIZE values from its counts per value, labelled. */
  const facetCounts = (facets: readonly Facet[], counts: Map<string, number>[]) => labelled(facets, counts.map(topValues));
  /**
   * A page of claims matching the filters (and the search, when `query` is given), in the requested order, with
   * the cursor of the next page and, if asked, facet counts. Relevance order is bm25 over the most recent
   * RELEVANCE_WINDOW matches, then the older matches newest first (see claims.relevance-sql.ts).
   */
  function find(options: FindOptions): FoundPage {
    const { filters, sort, cursor, limit } = options;
    // Without the plurals and equivalents no claim holds: exact, and a word left alone is scored in memory.
    const query = options.query === undefined ? undefined : narrowSearchQuery(options.query, indexed);
    const match = query === undefined ? undefined : searchMatch(query.match, filters.includeRetracted);
    const fetch = limit + 1;
    const withMatch = (params: Params) => (match === undefined ? params : { ...params, match });
    const filtered = Object.entries(filters).some(([k, v]) => v !== undefined && k !== 'includeRetracted');
    const wanted = options.facets ?? [];
    // Facets without a search are counted once per change number (claims.facet-cache.ts).
    const version = match === undefined && wanted.length > 0 ? columnSearch.version() : null;
    const cached = version === null ? undefined : facetCache.get(filters, wanted, version);
    // The columns serve facets and a search with filters; a plain search or list is answered by an index alone.
    const keep = (cached === undefined && wanted.length > 0) || (match !== undefined && filtered) ? columnSearch.test(filters) : null;
    const memoryFacets = keep === null ? [] : wanted;
    if (keep === null && cached === undefined && match === undefined && wanted.length > 0 && !columnSearch.loaded())
      throw new AppError(
        'service-unavailable',
        'Facet counts without a search are served once the service has read its search columns, seconds after it starts; retry shortly',
      );
    let facets: Partial<Record<Facet, FacetCount[]>> | undefined = cached === undefined ? undefined : labelled(wanted, cached);
    // A search's hits that pass the filters, read from FTS5 at most once a request (for facets and for the page).
    const held = options.hitsHolder ?? {};
    const passingHits = (): Int32Array | null => {
      if (held.hits === undefined) {
        const test = keep ?? columnSearch.test(filters);
        held.hits = test === null || match === undefined ? null : columnSearch.hitsPassing(match, test);
      }
      return held.hits;
    };
    let rows: ClaimRow[] = [];
    let more: boolean;
    const positions: CursorPayload[] = [];

    if (sort === 'relevance') {
      if (match === undefined || query === undefined) throw new Error('relevance needs a search');
      const docs: number[] = [];
      let tailFrom: number | null = null;
      if (cursor === null || cursor.phase === 'r') {
        const after = cursor?.phase === 'r' ? cursor : null;
        const anchor = after === null ? null : anchorOf(after);
        // Read before the scores: a write committed in between (another process) then counts as after the page.
        const seq = latestChange.get() ?? 0;
        // Later pages rank the first page's window (RelevanceCursor in claims.relevance-sql.ts).
        const top = after?.top;
        const request = { query, match, includeRetracted: filters.includeRetracted === true, anchor };
        // The terms bm25 weighs: every one, or all but those that weigh nothing and cost most; on later pages, those
        // of the first.
        const { ranking, skip } = windows.ranking(query, after === null ? undefined : (after.skip ?? []));
        // With filters, the window from the columns, then bm25 for those hits only: in one query, FTS5 would also
        // read the whole posting list of every filter term to weigh it.
        const fromColumns = (): number[] => {
          if (memoryFacets.length === 0)
            return columnSearch.newestHits(match, keep!, RELEVANCE_WINDOW, top === undefined ? Number.MAX_SAFE_INTEGER : top + 1);
          const hits = passingHits()!; // newest first
          facets = facetCounts(memoryFacets, columnSearch.countHits(hits, memoryFacets));
          let from = 0;
          while (top !== undefined && from < hits.length && hits[from]! > top) from++;
          return Array.from(hits.subarray(from, from + RELEVANCE_WINDOW));
        };
        const { window, ranked } =
          keep !== null && filtered ? windows.rankGiven(request, fromColumns(), ranking) : windows.fromIndex(request, filters, fetch, ranking);
        const best = bestRanked(ranked, fetch);
        // The window's bounds are the first page's; on the first page a full window has older matches beyond it.
        const full = after === null ? window.size === RELEVANCE_WINDOW && window.oldest !== null : after.bottom !== undefined;
        const bounds = {
          ...((top ?? window.newest) === null ? {} : { top: (top ?? window.newest)! }),
          ...(full ? { bottom: after === null ? window.oldest! : after.bottom! } : {}),
          ...(skip.length > 0 ? { skip } : {}),
          seq,
        };
        best.forEach((r, i) => {
          docs.push(r.doc);
          const prev = i > 0 ? { prev: best[i - 1]!.doc, prevScore: best[i - 1]!.score } : {};
          positions.push({ sort, phase: 'r', score: r.score, doc: r.doc, ...bounds, ...prev });
        });
        // Older matches than the window follow it, newest first.
        if (full) tailFrom = bounds.bottom!;
      } else if (cursor.phase === 't') tailFrom = cursor.doc;
      if (docs.length < fetch && tailFrom !== null) {
        let tail: number[];
        if (keep !== null) tail = columnSearch.newestHits(match, keep, fetch - docs.length, tailFrom);
        else {
          const q = buildRelevanceTailQuery(filters, tailFrom, fetch - docs.length);
          tail = (prepared(q).all(withMatch(q.params)) as { doc: number }[]).map((r) => r.doc);
        }
        for (const doc of tail) {
          docs.push(doc);
          positions.push({ sort, phase: 't', doc });
        }
      }
      // The doc after the page only says that another page follows: its row is not needed.
      more = docs.length > limit;
      rows = pageItems.rowsInOrder(docs.slice(0, limit));
    } else {
      const phases: ('id' | 'k' | 'n')[] = sort === 'id' ? ['id'] : cursor?.phase === 'n' ? ['n'] : ['k', 'n'];
      // Which rows SQL reads is chosen from the columns (claims.sorted-drive.ts), for filters or a search.
      const drives =
        filtered || match !== undefined
          ? chooseDrive(filters, () => keep ?? columnSearch.test(filters), sort as OrderSort, fetch, match === undefined ? undefined : passingHits)
          : null;
      for (const phase of phases) {
        if (rows.length >= fetch) break;
        const from = cursor !== null && cursor.phase === phase ? (cursor as OrderCursor) : null;
        const drive: PhaseDrive = drives?.(phase, from, fetch - rows.length) ?? { how: 'plan' };
        // The docs given, or those claims_doc_passes() knows, are the search's hits already: SQL need not search again.
        const searched = match !== undefined && drive.docs === undefined && drive.passes === undefined;
        const q = buildOrderedQuery(filters, sort, phase, from, searched, fetch - rows.length, drive.how, drive.keyFrom !== undefined, drive.passes !== undefined);
        let params: Params = searched ? withMatch(q.params) : q.params;
        if (drive.docs) params = { ...params, docs: JSON.stringify(Array.from(drive.docs)) };
        if (drive.keyFrom !== undefined) params = { ...params, keyFrom: drive.keyFrom };
        for (const r of reading(drive, () => prepared(q).all(params)) as (ClaimRow & { sort_key?: string | number })[]) {
          rows.push(r);
          positions.push(phase === 'k' ? { sort, phase, key: r.sort_key!, id: r.id } : { sort, phase, id: r.id });
        }
      }
      more = rows.length > limit;
    }

    const page = rows.slice(0, limit);
    const items = pageItems.items(page, query !== undefined && options.snippets !== false ? query.highlight : undefined);
    if (wanted.length > 0) {
      if (facets === undefined && memoryFacets.length > 0) {
        if (match === undefined) {
          const tops = columnSearch.tallyAll(filters, keep!, memoryFacets).map(topValues);
          if (version !== null) facetCache.set(filters, memoryFacets, version, tops);
          facets = labelled(memoryFacets, tops);
        } else facets = facetCounts(memoryFacets, columnSearch.countHits(passingHits()!, memoryFacets));
      }
      facets = { ...facets, ...countFacets(wanted.filter((f) => facets?.[f] === undefined), filters, match) };
      // In the order asked for.
      facets = Object.fromEntries(wanted.map((f) => [f, facets![f]!]));
    }
    return { items, next: more ? positions[limit - 1]! : null, ...(facets ? { facets } : {}) };
  }

  /**
   * Facet counts in SQL: the column facets in one pass over the matches, summed here per facet; subjects (a claim
   * has several) in their own query. The top FACET_SIZE values of each, most frequent first, then by value.
   */
  function countFacets(facets: Facet[], filters: ClaimFilters, match: string | undefined): Partial<Record<Facet, FacetCount[]>> {
    const withMatch = (params: Params) => (match === undefined ? params : { ...params, match });
    const out: Partial<Record<Facet, FacetCount[]>> = {};
    const columnFacets = COLUMN_FACETS.filter((f) => facets.includes(f));
    if (columnFacets.length > 0) {
      const q = buildColumnFacetsQuery(filters, columnFacets, match !== undefined);
      const sums = columnFacets.map(() => new Map<string, number>());
      for (const row of prepared(q).all(withMatch(q.params)) as Record<string, string | number | null>[]) {
        columnFacets.forEach((_, i) => {
          const value = row[`f${i}`];
          if (value !== null && value !== undefined) sums[i]!.set(String(value), (sums[i]!.get(String(value)) ?? 0) + (row.count as number));
        });
      }
      Object.assign(out, facetCounts(columnFacets, sums));
    }
    if (facets.includes('subject')) {
      const q = buildFacetQuery(filters, 'subject', match !== undefined);
      out.subject = prepared(q).all(withMatch(q.params)) as FacetCount[];
    }
    return out;
  }

  return { find };
}

// npm run bench:diff -- [--scale 1000000] [--queries 400] [--pages 3] [--seed 1]
//
// The service answers a search from its in-memory columns and scores (src/search/doc-columns.ts,
// src/claims/claims.term-scores.ts, claims.sorted-drive.ts) once they are loaded, and from SQL alone before. Both
// must give the same pages. The tests check each path on a few thousand claims; this checks them against each other
// on a bench dataset, where the thresholds that choose a path (the relevance window, the 5,000 docs, the backward
// batches) are crossed the way they are in production: random searches (words, phrases, pairs, prefixes, OR, NOT)
// drawn from the claims' own statements, under random filters drawn from random claims, in every order, with facets,
// page after page. Any difference in a page's ids, snippets, facet counts or next cursor (which carries the last
// score, so scores are compared to the bit) is printed and counted. tests/search-diff.test.ts runs it small.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createColumnSearch } from '../src/claims/claims.column-search.js';
import { createClaimFinder } from '../src/claims/claims.find.js';
import { ClaimListQuery, FACETS, toClaimFilters, type CursorPayload } from '../src/claims/claims.list-query.js';
import { createTermScores } from '../src/claims/claims.term-scores.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { createDocColumns } from '../src/search/doc-columns.js';
import { parseSearchQuery } from '../src/search/search-query.js';

export interface DiffOptions {
  queries: number;
  /** Pages compared per search, at most. */
  pages: number;
  seed: number;
  /** Told of each search compared, and of each difference. */
  onProgress?: (done: number) => void;
  onDifference?: (report: string) => void;
}

export interface DiffResult {
  searches: number;
  pages: number;
  items: number;
  /** Ranked searches with more matches than the relevance window, and pages read in its tail (newest first). */
  fullWindows: number;
  tailPages: number;
  differences: number;
}

type DrawnClaim = { id: string; statement: string; kind: string; verdict: string | null; value_unit: string | null; value_low: number | null; value_high: number | null; claimant_id: string | null };

export function searchDifferences(db: Db, options: DiffOptions): DiffResult {
  let state = options.seed >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const columns = createDocColumns(db, { loadAtOnce: Number.POSITIVE_INFINITY });
  if (!columns.sync()) throw new Error('the search columns did not load');
  const columnSearch = createColumnSearch(db, columns);
  const inMemory = createClaimFinder(db, columnSearch, { termScores: createTermScores(db, columns) });
  // As before the columns load: no filter is tested in memory, every score is bm25().
  const inSql = createClaimFinder(db, { ...columnSearch, test: () => null });

  const lastDoc = db.prepare('SELECT max(doc_id) FROM claims').pluck().get() as number;
  const claimFrom = db.prepare<[number], DrawnClaim>('SELECT * FROM claims WHERE doc_id >= ? ORDER BY doc_id LIMIT 1');
  const subjectOf = db.prepare<[string], string>('SELECT entity_id FROM claim_subjects WHERE claim_id = ? LIMIT 1').pluck();
  const sourceOf = db.prepare<[string], string>('SELECT source_id FROM claim_citations WHERE claim_id = ? LIMIT 1').pluck();
  const qualifierOf = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM claim_qualifiers WHERE claim_id = ? LIMIT 1');
  const randomClaim = () => claimFrom.get(1 + Math.floor(random() * lastDoc))!;

  const wordsOf = (text: string) =>
    text
      .split(/[^\p{L}\p{N}.,]+/u)
      .map((w) => w.replace(/^[.,]+|[.,]+$/g, ''))
      .filter((w) => w.length > 0 && !/^(AND|OR|NOT)$/.test(w));
  function randomSearch(): string {
    const words = wordsOf(randomClaim().statement);
    if (words.length < 2) words.push(...wordsOf(randomClaim().statement), 'claim');
    const word = () => pick(words);
    const r = random();
    if (r < 0.3) return word();
    if (r < 0.45) {
      const at = Math.floor(random() * (words.length - 1));
      return `"${words[at]} ${words[at + 1]}"`;
    }
    if (r < 0.6) return `${word()} ${word()}`;
    if (r < 0.7) {
      const w = word();
      return w.length > 3 ? `${w.slice(0, 3 + Math.floor(random() * (w.length - 3)))}*` : w;
    }
    if (r < 0.8) return `${word()} OR ${pick(wordsOf(randomClaim().statement))}`;
    if (r < 0.9) return `${word()} NOT ${word()}`;
    return `${word()} ${word()} OR ${word()}`;
  }
  const year = () => 2020 + Math.floor(random() * 7);
  function randomFilters(): Record<string, string> {
    const filters: Record<string, string> = {};
    for (let n = Math.floor(random() * 3); n > 0; n--) {
      const claim = randomClaim();
      switch (Math.floor(random() * 12)) {
        case 0: filters.kind = claim.kind; break;
        case 1: if (claim.verdict) filters.verdict = claim.verdict; break;
        case 2:
          if (claim.value_unit) {
            filters.unit = claim.value_unit;
            if (random() < 0.5 && claim.value_low !== null) filters.valueMin = String(claim.value_low);
            else if (claim.value_high !== null) filters.valueMax = String(claim.value_high);
          }
          break;
        case 3: if (claim.claimant_id) filters.claimant = claim.claimant_id; break;
        case 4: filters.subject = subjectOf.get(claim.id) ?? 'nobody'; break;
        case 5: filters.source = sourceOf.get(claim.id) ?? 'nothing'; break;
        case 6: {
          const q = qualifierOf.get(claim.id);
          if (q) filters[`qualifier.${q.key}`] = q.value;
          break;
        }
        case 7: filters.citationRole = pick(['primary', 'secondary']); break;
        case 8: filters.factFrom = `${year()}-0${1 + Math.floor(random() * 9)}-15`; break;
        case 9: filters.factTo = `${year()}-0${1 + Math.floor(random() * 9)}-15`; break;
        case 10: filters.claimedFrom = `${year()}-1${Math.floor(random() * 3)}-01`; break;
        default: filters.includeRetracted = 'true';
      }
    }
    return filters;
  }

  const result: DiffResult = { searches: 0, pages: 0, items: 0, fullWindows: 0, tailPages: 0, differences: 0 };
  for (let i = 0; i < options.queries; i++) {
    const params: Record<string, string> = { ...randomFilters(), q: randomSearch() };
    params.sort = pick(params.unit ? ['relevance', 'relevance', 'factDate', '-claimedOn', 'value', '-value', '-updated', 'id'] : ['relevance', 'relevance', 'relevance', 'factDate', '-claimedOn', 'claimedOn', '-updated', 'id']);
    if (random() < 0.5) params.facets = FACETS.filter(() => random() < 0.4).join(',') || 'kind';
    const parsed = ClaimListQuery.safeParse(params);
    if (!parsed.success) continue;
    let query;
    try {
      query = parseSearchQuery(parsed.data.q!);
    } catch {
      continue; // refused with a 400, by both
    }
    result.searches++;
    const request = { filters: toClaimFilters(parsed.data), query, sort: parsed.data.sort ?? 'relevance', limit: pick([1, 7, 20, 50, 100]) } as const;
    const facets = parsed.data.facets?.split(',') as (typeof FACETS)[number][] | undefined;
    let cursors: [CursorPayload | null, CursorPayload | null] = [null, null];
    for (let page = 0; page < options.pages; page++) {
      const [a, b] = [inMemory, inSql].map((finder, w) => finder.find({ ...request, cursor: cursors[w]!, facets: page === 0 ? facets : undefined }));
      result.pages++;
      result.items += a!.items.length;
      const shown = (found: typeof a) => ({
        items: found!.items.map((item) => `${item.id} ${item.snippet ?? ''}`),
        facets: JSON.stringify(found!.facets ?? null),
        next: JSON.stringify(found!.next),
      });
      const [x, y] = [shown(a), shown(b)];
      if (x.items.join('\n') !== y.items.join('\n') || x.facets !== y.facets || x.next !== y.next) {
        result.differences++;
        const at = x.items.findIndex((item, j) => item !== y.items[j]);
        options.onDifference?.(
          [
            `${JSON.stringify(params)} limit ${request.limit}, page ${page + 1}:`,
            ...(at >= 0 || x.items.length !== y.items.length ? [`  item ${at}: in memory ${x.items[at]}; in SQL ${y.items[at]}`] : []),
            ...(x.facets !== y.facets ? [`  facets in memory ${x.facets}`, `  facets in SQL    ${y.facets}`] : []),
            ...(x.next !== y.next ? [`  next in memory ${x.next}`, `  next in SQL    ${y.next}`] : []),
          ].join('\n'),
        );
        break;
      }
      if (a!.next === null) break;
      if (page === 0 && a!.next.phase === 'r' && a!.next.bottom !== undefined) result.fullWindows++;
      if (a!.next.phase === 't') result.tailPages++;
      cursors = [a!.next, b!.next];
    }
    options.onProgress?.(i + 1);
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { dataset } = await import('./dataset.js');
  const { values: flags } = parseArgs({
    options: {
      scale: { type: 'string', default: '1000000' },
      queries: { type: 'string', default: '400' },
      pages: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
    },
  });
  const { path } = dataset(Number(flags.scale));
  const db = openDatabase(path, { readonly: true });
  const started = performance.now();
  const result = searchDifferences(db, {
    queries: Number(flags.queries),
    pages: Number(flags.pages),
    seed: Number(flags.seed),
    onProgress: (done) => {
      if (done % 25 === 0) console.log(`${done} searches, ${Math.round((performance.now() - started) / 1000)} s`);
    },
    onDifference: (report) => console.log(`DIFFERENT ${report}`),
  });
  console.log(
    `${result.searches} searches (${result.fullWindows} past the relevance window), ${result.pages} pages (${result.tailPages} in a window's tail), ${result.items} items: ${result.differences} different`,
  );
  process.exitCode = result.differences === 0 ? 0 : 1;
}

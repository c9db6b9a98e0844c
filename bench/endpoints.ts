// What the bench measures: each read endpoint with the spread of requests it gets. A later endpoint (search,
// facets, exports) joins the bench by adding an entry here and, if the floor must answer it, a route in floor.ts.
import { CLAIM_KINDS } from '../src/domain/vocabulary.js';
import { encodeCursor } from '../src/http/pagination.js';
import { claimId, entityId, prng, sourceId } from './generate.js';

export interface Dataset {
  claims: number;
  entities: number;
  sources: number;
  /**
   * Search terms drawn from the data (bench/run.ts): rare words at the top of the rare range (just under 0.1% of
   * claims), rare words spread over it, phrases (a handful of claims), common words (~2%).
   */
  terms: { rare: string[]; rareSpread: string[]; phrases: string[]; common: string[] };
}

export interface Endpoint {
  name: string;
  route: string;
  /** Paths to cycle through, deterministic for a dataset. */
  paths(data: Dataset): string[];
  /**
   * The p99 the issues ask for at 10 connections: 5 ms for reads (issue 3), 10/30/60 ms for searches (issue 5); null
   * where no issue sets one.
   */
  p99TargetMs: number | null;
}

const SPREAD = 5000;
const many = (seed: number, make: (rng: ReturnType<typeof prng>) => string) => {
  const rng = prng(seed);
  return Array.from({ length: SPREAD }, () => make(rng));
};

export const ENDPOINTS: Endpoint[] = [
  {
    name: 'claim by id',
    route: 'GET /v1/claims/{id}',
    paths: (d) => many(1, (r) => `/v1/claims/${claimId(r.int(0, d.claims - 1))}`),
    p99TargetMs: 5,
  },
  {
    name: 'list by kind, first page',
    route: 'GET /v1/claims?kind=…&limit=50',
    paths: () => CLAIM_KINDS.map((k) => `/v1/claims?kind=${k}&limit=50`),
    p99TargetMs: 5,
  },
  {
    name: 'list by kind, deep cursor',
    route: 'GET /v1/claims?kind=…&limit=50&cursor=…',
    // A cursor after a random claim: pages from anywhere in the table, as a client walking a long list gets.
    paths: (d) => many(2, (r) => `/v1/claims?kind=${r.pick(CLAIM_KINDS)}&limit=50&cursor=${encodeCursor(claimId(r.int(0, d.claims - 1)))}`),
    p99TargetMs: 5,
  },
  {
    name: 'list by subject',
    route: 'GET /v1/claims?subject=…&limit=50',
    paths: (d) => many(3, (r) => `/v1/claims?subject=${entityId(r.int(0, d.entities - 1))}&limit=50`),
    p99TargetMs: 5,
  },
  {
    name: 'search, rare word or phrase',
    route: 'GET /v1/claims?q=… (words with just under 0.1% of claims, or phrases)',
    paths: (d) => many(5, (r) => `/v1/claims?q=${encodeURIComponent(r.chance(0.5) ? r.pick(d.terms.rare) : `"${r.pick(d.terms.phrases)}"`)}`),
    p99TargetMs: 10,
  },
  {
    // The words above are the costliest rare words (bm25 scores every match); these are spread over the range.
    name: 'search, rare word, spread',
    route: 'GET /v1/claims?q=… (words with 2 to 0.1% of claims, log-spread)',
    paths: (d) => many(8, (r) => `/v1/claims?q=${encodeURIComponent(r.pick(d.terms.rareSpread))}`),
    p99TargetMs: 10,
  },
  {
    // What readers type most: words without quotes. The phrases' word pairs, unquoted (an AND): a rare word beside
    // one that 0.1-100% of claims hold, which bm25 must weigh by counting its claims.
    name: 'search, two words',
    route: 'GET /v1/claims?q=… (a phrase\'s two words unquoted: a rare word and one in 0.1-100% of claims)',
    paths: (d) => many(14, (r) => `/v1/claims?q=${encodeURIComponent(r.pick(d.terms.phrases))}`),
    p99TargetMs: 10,
  },
  {
    name: 'search, common word',
    route: 'GET /v1/claims?q=… (~2% of claims), by relevance',
    paths: (d) => many(6, (r) => `/v1/claims?q=${encodeURIComponent(r.pick(d.terms.common))}`),
    p99TargetMs: 30,
  },
  {
    name: 'search, common + filter + 2 facets',
    route: 'GET /v1/claims?q=…&kind=…&facets=kind,verdict',
    paths: (d) => many(7, (r) => `/v1/claims?q=${encodeURIComponent(r.pick(d.terms.common))}&kind=${r.pick(CLAIM_KINDS)}&facets=kind,verdict`),
    p99TargetMs: 60,
  },
  {
    // A filter sidebar: every facet, over all claims or under one kind or subject, without a search.
    name: 'facets, all six, no search',
    route: 'GET /v1/claims?facets=kind,verdict,subject,claimant,unit,year[&kind=…|&subject=…]',
    paths: (d) =>
      many(9, (r) => {
        const filter = r.pick(['', `&kind=${r.pick(CLAIM_KINDS)}`, `&subject=${entityId(r.int(0, d.entities - 1))}`]);
        return `/v1/claims?facets=kind,verdict,subject,claimant,unit,year${filter}`;
      }),
    p99TargetMs: null,
  },
  {
    name: 'search, common + subject',
    route: 'GET /v1/claims?q=…&subject=…',
    paths: (d) => many(10, (r) => `/v1/claims?q=${encodeURIComponent(r.pick(d.terms.common))}&subject=${entityId(r.int(0, d.entities - 1))}`),
    p99TargetMs: null,
  },
  {
    // Filters in an order other than id: a subject's claims newest first, a kind by last update, a period in date
    // order (a range on the sort key itself), amounts in USD by size (claims.sorted-drive.ts).
    name: 'list, filter + sort',
    route: 'GET /v1/claims?subject=…&sort=-factDate | kind=…&sort=-updated | factFrom=…&sort=factDate | unit=USD&sort=-value',
    paths: (d) =>
      many(11, (r) =>
        r.pick([
          `/v1/claims?subject=${entityId(r.int(0, d.entities - 1))}&sort=-factDate&limit=50`,
          `/v1/claims?kind=${r.pick(CLAIM_KINDS)}&sort=-updated&limit=50`,
          `/v1/claims?factFrom=${r.int(2020, 2025)}-0${r.int(1, 9)}-01&sort=factDate&limit=50`,
          `/v1/claims?unit=USD&valueMin=${10 ** r.int(0, 9)}&sort=-value&limit=50`,
        ]),
      ),
    p99TargetMs: 5,
  },
  {
    name: 'search, common word, by date',
    route: 'GET /v1/claims?q=…&sort=-claimedOn (~2% of claims)',
    paths: (d) => many(12, (r) => `/v1/claims?q=${encodeURIComponent(r.pick(d.terms.common))}&sort=-claimedOn`),
    p99TargetMs: null,
  },
  {
    // The broadest search a query may hold: 3-character prefixes (the shortest allowed) of common words, one or two.
    // In the generated vocabulary each covers about 1,250 words and most claims; the prefix index (migration 0009)
    // keeps each to one posting list.
    name: 'search, 3-letter prefixes',
    route: 'GET /v1/claims?q=abc* [OR def*]',
    paths: (d) =>
      many(13, (r) => {
        const stems = d.terms.common.filter((w) => /^[\p{L}\p{N}]{3}/u.test(w));
        const prefix = () => `${r.pick(stems).slice(0, 3)}*`;
        return `/v1/claims?q=${encodeURIComponent(r.chance(0.5) ? prefix() : `${prefix()} OR ${prefix()}`)}`;
      }),
    p99TargetMs: null,
  },
  {
    name: 'source by id',
    route: 'GET /v1/sources/{id}',
    paths: (d) => many(4, (r) => `/v1/sources/${sourceId(r.int(0, d.sources - 1))}`),
    p99TargetMs: 5,
  },
];

// What the bench measures: each read endpoint with the spread of requests it gets. A later endpoint (search,
// facets, exports) joins the bench by adding an entry here and, if the floor must answer it, a route in floor.ts.
import { CLAIM_KINDS } from '../src/domain/vocabulary.js';
import { encodeCursor } from '../src/http/pagination.js';
import { claimId, entityId, prng, sourceId } from './generate.js';

export interface Dataset {
  claims: number;
  entities: number;
  sources: number;
}

export interface Endpoint {
  name: string;
  route: string;
  /** Paths to cycle through, deterministic for a dataset. */
  paths(data: Dataset): string[];
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
  },
  {
    name: 'list by kind, first page',
    route: 'GET /v1/claims?kind=…&limit=50',
    paths: () => CLAIM_KINDS.map((k) => `/v1/claims?kind=${k}&limit=50`),
  },
  {
    name: 'list by kind, deep cursor',
    route: 'GET /v1/claims?kind=…&limit=50&cursor=…',
    // A cursor after a random claim: pages from anywhere in the table, as a client walking a long list gets.
    paths: (d) => many(2, (r) => `/v1/claims?kind=${r.pick(CLAIM_KINDS)}&limit=50&cursor=${encodeCursor(claimId(r.int(0, d.claims - 1)))}`),
  },
  {
    name: 'list by subject',
    route: 'GET /v1/claims?subject=…&limit=50',
    paths: (d) => many(3, (r) => `/v1/claims?subject=${entityId(r.int(0, d.entities - 1))}&limit=50`),
  },
  {
    name: 'source by id',
    route: 'GET /v1/sources/{id}',
    paths: (d) => many(4, (r) => `/v1/sources/${sourceId(r.int(0, d.sources - 1))}`),
  },
];

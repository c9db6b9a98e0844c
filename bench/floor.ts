// The floor: the least a server can do to answer the benchmarked requests. Plain node:http, the service's own
// repositories (so the same prepared SQL and the same response objects), JSON.stringify, and nothing else: no
// framework, no validation, no logging, no error shape. The service is measured as a ratio of this.
//
// Usage: node --import tsx bench/floor.ts <database> <port>
import { createServer, type ServerResponse } from 'node:http';
import { openDatabase } from '../src/db/open.js';
import { createStore } from '../src/store.js';
import type { FindOptions } from '../src/claims/claims.repository.js';
import { decodeListCursor, encodeListCursor, type Facet, listScope } from '../src/claims/claims.list-query.js';
import { parseSearchQuery } from '../src/search/search-query.js';

const [databasePath, port = '3200'] = process.argv.slice(2);
if (!databasePath) throw new Error('usage: floor.ts <database> <port>');

// Opened as the service opens it: the same cache and memory map.
const db = openDatabase(databasePath);
const store = createStore(db);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

const CLAIM = /^\/v1\/claims\/([a-z0-9-]+)$/;
const SOURCE = /^\/v1\/sources\/([a-z0-9-]+)$/;

createServer((req, res) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  let m: RegExpExecArray | null;

  if (path === '/v1/claims') {
    // What the route does, minus validation and problem answers: the same repository call, the same body.
    const q = params.get('q');
    const search = q === null ? undefined : parseSearchQuery(q);
    const sort = (params.get('sort') ?? (search === undefined ? 'id' : 'relevance')) as FindOptions['sort'];
    const cursor = params.get('cursor');
    const facets = params.get('facets')?.split(',') as Facet[] | undefined;
    const filters = {
      kind: params.get('kind') ?? undefined,
      subject: params.get('subject') ?? undefined,
      unit: params.get('unit') ?? undefined,
      valueMin: params.has('valueMin') ? Number(params.get('valueMin')) : undefined,
      factFrom: params.get('factFrom') ?? undefined,
    };
    const scope = listScope(filters, q ?? undefined, sort);
    const page = store.claims.find({
      filters,
      query: search,
      sort,
      cursor: cursor === null ? null : decodeListCursor(cursor, sort, scope),
      limit: Number(params.get('limit') ?? 20),
      facets,
    });
    // The same next link the service builds: the request's own query with the cursor replaced.
    let next: string | null = null;
    if (page.next !== null) {
      params.set('cursor', encodeListCursor(page.next, scope));
      next = `${path}?${params.toString()}`;
    }
    // The bench's searches all find claims, so the service never relaxes them (match=any) nor respells them
    // (suggestion): the floor need not either.
    const body = { items: page.items, nextCursor: next === null ? null : params.get('cursor'), links: { next }, ...(search === undefined ? {} : { match: 'all' }) };
    return send(res, 200, page.facets ? { ...body, facets: page.facets } : body, next === null ? {} : { link: `<${next}>; rel="next"` });
  }
  if ((m = CLAIM.exec(path))) {
    const claim = store.claims.get(m[1]!);
    return claim ? send(res, 200, claim) : send(res, 404, { status: 404 });
  }
  if ((m = SOURCE.exec(path))) {
    const source = store.sources.get(m[1]!);
    return source ? send(res, 200, source) : send(res, 404, { status: 404 });
  }
  send(res, 404, { status: 404 });
}).listen(Number(port), '127.0.0.1', () => {
  process.send?.('ready');
  // As the service does once it listens; the bench compares and measures once this says the columns are read.
  store.claims.planSearch({ onLoaded: () => process.send?.('loaded') });
  store.claims.warmSearch();
});

// Exit through process.exit so that --cpu-prof and friends can write their output.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));

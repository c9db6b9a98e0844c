// Promise 1 (issue 7): malformed input never gives a 5xx. fast-check generates requests from the OpenAPI document
// the app serves (its operations, path and query parameters with their enums, request-body properties) and mixes
// in hostile ones: unknown methods and paths, odd ids, broken and oversized JSON, wrong media types, prototype-
// pollution payloads, bad keys and conditional headers. Every answer must be below 500; every 4xx must be
// problem+json whose `status` is the HTTP status; nothing may reach Object.prototype.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createKey, createTestApp, newClaimBody, PROBLEM_CONTENT_TYPE } from './helpers.js';

/** Requests per CI run; FUZZ_RUNS raises it for a longer local run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

type Schema = { type?: string | string[]; enum?: unknown[]; $ref?: string; properties?: Record<string, Schema>; anyOf?: Schema[]; items?: Schema; maximum?: number; minimum?: number };
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let doc: Doc;
const keys: Record<string, string> = {};
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  ctx = await createTestApp();
  const res = await ctx.app.inject('/openapi.json');
  expect(res.statusCode).toBe(200);
  doc = res.json();
  keys.editor = createKey(ctx.store, { name: 'fuzz-editor', scope: 'editor' });
  keys.admin = createKey(ctx.store, { name: 'fuzz-admin', scope: 'admin' });
  keys.revoked = createKey(ctx.store, { name: 'fuzz-revoked', scope: 'admin', revoked: true });
});
afterAll(() => ctx.app.close());

const resolve = (s: Schema | undefined): Schema => {
  let schema = s ?? {};
  for (let i = 0; schema.$ref && i < 10; i++) schema = doc.components.schemas[schema.$ref.split('/').pop()!] ?? {};
  return schema;
};

// ---- values -----------------------------------------------------------------------------------------------

const SEED_IDS = ['deepseek-v3-training-cost', 'semianalysis-deepseek-debates', 'deepseek', 'nvidia', 'us-chip-industry-1-trillion-within-decade'];
const HOSTILE = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '..', '%2e%2e', '%00', '%2F', '%', '%zz', '%E2%82', '%F0%9F%92%A9',
  "'; DROP TABLE claims; --", '" OR 1=1 --', '<script>alert(1)</script>', '${7*7}', '{{7*7}}', 'null', 'undefined', 'NaN', '-1', '0', '1e309',
  '9007199254740993', ' ', '', 'a'.repeat(300), 'UPPER', 'x/../y', '\u202e', '🙂',
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SEED_IDS, ...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,60}$/) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
/** Now and then a huge value: past the query cap (414) or the router's path-parameter cap. */
const huge = fc.nat(3000).map((n) => 'z'.repeat(n));

/** A value for a parameter: from its schema where it has one (enum, integer range), else anything. */
function valueFor(schema: Schema | undefined): fc.Arbitrary<string> {
  const s = resolve(schema);
  const options: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 12, arbitrary: text },
    { weight: 1, arbitrary: huge },
  ];
  const branches = [s, ...(s.anyOf ?? []).map(resolve)];
  for (const b of branches) {
    if (b.enum?.length) options.push({ weight: 12, arbitrary: fc.constantFrom(...b.enum.map(String)) });
    if (b.type === 'integer' || b.type === 'number') options.push({ weight: 12, arbitrary: fc.integer({ min: (b.minimum ?? 0) - 2, max: (b.maximum ?? 1000) + 2 }).map(String) });
    if (b.type === 'boolean') options.push({ weight: 12, arbitrary: fc.constantFrom('true', 'false') });
  }
  return fc.oneof(...options);
}

/** A value as it goes into a URL: percent-encoded, or one time in eight raw (odd escapes like %zz included). */
const inUrl = (value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.nat(7)).map(([v, n]) => (n === 0 ? v.replace(/[\s#?&/\\]/g, '') : encodeURIComponent(v)));

/** A query string: documented parameters with schema-driven values, plus strays, duplicates and pollution keys. */
function queryFor(params: Parameter[]): fc.Arbitrary<string> {
  const named = params.filter((p) => p.in === 'query');
  const pair = fc.oneof(
    ...(named.length ? [{ weight: 6, arbitrary: fc.constantFrom(...named).chain((p) => inUrl(valueFor(p.schema)).map((v) => `${p.name}=${v}`)) }] : []),
    { weight: 1, arbitrary: fc.tuple(inUrl(text), inUrl(text)).map(([k, v]) => `${k}=${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__[polluted]=1', 'constructor[prototype][polluted]=1', '__proto__=x', 'a[]=1&a[]=2', '&&', '=', 'limit', 'limit=&limit=') },
  );
  return fc
    .oneof({ weight: 9, arbitrary: fc.array(pair, { maxLength: 6 }) }, { weight: 1, arbitrary: fc.array(pair, { minLength: 18, maxLength: 24 }) })
    .map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

/** A body: the documented request-body properties of the operation set to random JSON, or raw hostile text. */
function bodyFor(op: Operation | undefined): fc.Arbitrary<string | undefined> {
  const schema = resolve(op?.requestBody?.content['application/json']?.schema);
  const props = Object.keys(schema.properties ?? {});
  const json = fc.jsonValue({ maxDepth: 3 });
  const fromSchema = fc
    .tuple(fc.constantFrom<Record<string, unknown>>(newClaimBody(), { name: 'Fuzz', type: 'organization', reason: 'fuzz' }, {}), fc.array(fc.tuple(props.length ? fc.constantFrom(...props) : text, json), { maxLength: 4 }), fc.boolean())
    .map(([base, changes, drop]) => {
      const body: Record<string, unknown> = { ...base };
      for (const [k, v] of changes) {
        if (drop) delete body[k];
        else body[k] = v;
      }
      return JSON.stringify(body);
    });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(newClaimBody(), { name: 'Fuzz', type: 'organization', reason: 'fuzz' }).map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: fromSchema },
    { weight: 2, arbitrary: json.map((v) => JSON.stringify(v)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"polluted":true},"reason":"x"}',
        '{"constructor":{"prototype":{"polluted":true}},"reason":"x"}',
        `{"statement":"x","__proto__":{"polluted":1},"subjects":[{"id":"deepseek","__proto__":{"polluted":1}}]}`,
        '{"a":', '{"a":1}}', '[', 'null', '""', '', ' ', '\u0000', '{"a":"\\ud800"}', '{"a":1e999}', 'NaN', '{"reason":"' + 'x'.repeat(5000) + '"}',
        '[' + '['.repeat(5000) + ']'.repeat(5000) + ']',
      ),
    },
    { weight: 1, arbitrary: fc.constant('x'.repeat(1024 * 1024 + 10)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/problem+json', 'application/merge-patch+json', 'application/json; charset=latin1', '', 'garbage'];
const ACCEPTS = ['*/*', 'application/json', 'text/html', 'application/ld+json', 'text/plain', 'image/png', 'application/x-bibtex', 'text/html;q=0, */*;q=0', 'garbage,,;q=x'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

function requestArb() {
  const ops = operations();
  const documented = fc.constantFrom(...ops).chain(({ path, method, op }) => {
    const params = op.parameters ?? [];
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    // Path parameters: seed ids and hostile strings, and for `revision` numbers around the real ones.
    const pathValues = fc.tuple(
      ...names.map((n) => inUrl(n === 'revision' ? fc.oneof(fc.integer({ min: -2, max: 5 }).map(String), text) : valueFor(params.find((p) => p.name === n)?.schema))),
    );
    return fc.record({
      method: fc.oneof({ weight: 5, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      url: fc.tuple(pathValues, queryFor(params)).map(([values, query]) => {
        let i = 0;
        return path.replace(/\{[^}]+\}/g, () => (values as string[])[i++]!) + query;
      }),
      body: bodyFor(op),
    });
  });
  const random = fc.record({
    method: fc.constantFrom(...METHODS),
    url: fc.tuple(fc.array(inUrl(text), { maxLength: 5 }), queryFor([])).map(([segments, query]) => `/${segments.join('/')}${query}`),
    body: bodyFor(undefined),
  });
  return fc.record({
    req: fc.oneof({ weight: 4, arbitrary: documented }, { weight: 1, arbitrary: random }),
    auth: fc.constantFrom<'none' | 'editor' | 'admin' | 'revoked' | 'garbage'>('none', 'editor', 'editor', 'admin', 'revoked', 'garbage'),
    contentType: fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    accept: fc.option(fc.constantFrom(...ACCEPTS), { nil: undefined }),
    ifMatch: fc.option(fc.oneof(fc.constantFrom('*', '"stale"', 'W/"x"', ''), text), { nil: undefined }),
    ifNoneMatch: fc.option(fc.constantFrom('*', '"stale"', 'garbage'), { nil: undefined }),
    idempotencyKey: fc.option(text, { nil: undefined }),
  });
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it(`answers ${RUNS} generated requests without a 5xx, with problem+json for every 4xx, and no prototype pollution`, async () => {
    const statuses = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(requestArb(), async ({ req, auth, contentType, accept, ifMatch, ifNoneMatch, idempotencyKey }) => {
        const headers: Record<string, string> = {};
        if (auth === 'garbage') headers.authorization = 'Bearer cak_garbage';
        else if (auth !== 'none') Object.assign(headers, bearer(keys[auth]!));
        if (contentType !== '' && req.body !== undefined) headers['content-type'] = contentType;
        if (accept !== undefined) headers.accept = accept;
        // Header values must be valid for a real client too: no control characters.
        const safe = (v: string) => v.replace(/[^\x20-\x7e]/g, '');
        if (ifMatch !== undefined) headers['if-match'] = safe(ifMatch);
        if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
        if (idempotencyKey !== undefined) headers['idempotency-key'] = safe(idempotencyKey);
        const res = await ctx.app.inject({ method: req.method as 'GET', url: req.url, headers, ...(req.body !== undefined ? { payload: req.body } : {}) });
        sent++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const where = `${req.method} ${req.url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], where).toBe(PROBLEM_CONTENT_TYPE);
          if (req.method !== 'HEAD') {
            const body = res.json() as { status: number; code: string; type: string };
            expect(body.status, where).toBe(res.statusCode);
            expect(body.type, where).toBe(`/problems/${body.code}`);
            expect(res.body, where).not.toMatch(/\n\s+at |node_modules|SqliteError|SQLITE_/);
          }
        }
        expect(({} as Record<string, unknown>).polluted, where).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
    // The service still answers normally afterwards.
    expect((await ctx.app.inject('/v1/claims/deepseek-v3-training-cost')).statusCode).toBe(200);
    console.log(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  }, 120_000);
});

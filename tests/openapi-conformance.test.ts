// The committed openapi/openapi.json is the contract generated clients are built from, and openapi.test.ts only
// proves it is well formed and equal to what /openapi.json serves. This test proves the service answers what the
// document says: it crawls every operation with the document's own examples, enum values, error cases, writes and
// paging links, and validates each answer's status, media type, body and required headers against the document.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../src/claims/claims.schemas.js';
import { DEFAULT_LIMITS } from '../src/http/limits.js';
import { bearer, createKey, createTestApp, newClaimBody, toReplaceBody } from './helpers.js';

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
  // OpenAPI 3.2's itemSchema, as an extension in 3.1: what each line of a streamed (NDJSON) body is.
  'x-itemSchema'?: Schema;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
  headers?: Record<string, { required?: boolean }>;
}
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, ResponseObject>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

type Method = 'GET' | 'POST' | 'PUT';
interface Probe {
  method: Method;
  url: string;
  headers?: Record<string, string>;
  payload?: string | object;
  /** The status the probe was built to provoke; a different one means the crawl did not test what it claims. */
  expect?: number;
  /** The media type an Accept header asked for alone. */
  expectType?: string;
}
type Answer = Awaited<ReturnType<Ctx['app']['inject']>>;
type Ctx = Awaited<ReturnType<typeof createTestApp>>;

const DOC_ID = 'https://claims-api.test/openapi.json';
const JSON_TYPES = /^application\/(?:json|[\w.+-]+\+json)$/;
// Parameters whose documented values only make sense with another one (their descriptions say so).
const COMPANIONS: Record<string, string> = {
  valueMin: 'unit=USD',
  valueMax: 'unit=USD',
  'sort=value': 'unit=USD',
  'sort=-value': 'unit=USD',
  // How the words of a search combine: the one relaxed, the other not.
  match: 'q=what%20did%20SemiAnalysis%20claim',
  'sort=relevance': 'q=deepseek',
};
// The test app keeps the production request limits (tests/helpers.ts TEST_LIMITS only lifts budgets and shedding).
const MAX_QUERY = DEFAULT_LIMITS.query.maxLength;
const MAX_BODY = DEFAULT_LIMITS.bodyLimitBytes;

let ctx: Ctx;
let doc: OpenApi;
let ajv: Ajv2020;
let editor: Record<string, string>;
let admin: Record<string, string>;

const failures: string[] = [];
const misfires: string[] = [];
const covered = new Set<string>();
const seen = new Set<string>();
const problemTypes = new Set<string>();
let validated = 0;

const pointer = (...segments: string[]) => `#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
const validators = new Map<string, ValidateFunction>();
function validatorAt(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.getSchema(`${DOC_ID}${ref}`);
    if (!v) throw new Error(`no schema at ${ref}`);
    validators.set(ref, v);
  }
  return v;
}
const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 6)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('; ');

let templates: { path: string; segments: string[] }[] | undefined;
/** The documented path a request path falls under: literal segments beat parameters. */
function templateOf(pathname: string): string | undefined {
  templates ??= Object.keys(doc.paths).map((path) => ({ path, segments: path.split('/') }));
  const parts = pathname.split('/');
  let best: { path: string; literals: number } | undefined;
  for (const t of templates) {
    if (t.segments.length !== parts.length) continue;
    let literals = 0;
    const fits = t.segments.every((s, i) => {
      if (/^\{[^}]+\}$/.test(s)) return parts[i] !== '';
      literals++;
      return s === parts[i];
    });
    if (fits && (!best || literals > best.literals)) best = { path: t.path, literals };
  }
  return best?.path;
}

const label = (p: Probe) => {
  const url = p.url.length > 110 ? `${p.url.slice(0, 110)}…(${p.url.length} chars)` : p.url;
  const accept = p.headers?.accept ? ` [Accept: ${p.headers.accept}]` : '';
  return `${p.method} ${url}${accept}`;
};

/** Sends the probe and checks the answer against the document; returns the answer for the crawl to follow. */
async function send(p: Probe, app: Ctx['app'] = ctx.app): Promise<Answer> {
  const res = await app.inject({ method: p.method, url: p.url, headers: p.headers ?? {}, ...(p.payload === undefined ? {} : { payload: p.payload }) });
  check(p, res);
  return res;
}

function check(p: Probe, res: Answer) {
  const status = res.statusCode;
  const mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const where = `${label(p)} -> ${status} ${mediaType || '(no content type)'}`;
  if (p.expect !== undefined && status !== p.expect) misfires.push(`${where}: built to provoke ${p.expect}; ${res.body.slice(0, 200)}`);
  if (p.expectType !== undefined && status < 300 && mediaType !== p.expectType) misfires.push(`${where}: Accept asked for ${p.expectType}`);

  const path = templateOf(new URL(p.url, 'http://x').pathname);
  const method = p.method.toLowerCase();
  const op = path === undefined ? undefined : doc.paths[path]![method];
  if (!path || !op) return void failures.push(`${where}: no such operation in the document`);
  const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => op.responses[k]);
  if (!statusKey) return void failures.push(`${where}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`);
  validated++;
  covered.add(`${p.method} ${path}`);
  const documented = op.responses[statusKey]!;

  for (const [name, header] of Object.entries(documented.headers ?? {}))
    if (header.required && res.headers[name.toLowerCase()] === undefined) failures.push(`${where}: required header ${name} is missing`);

  const types = Object.keys(documented.content ?? {});
  if (types.length === 0) {
    if (res.rawPayload.length > 0 || mediaType) failures.push(`${where}: documented without content, answered ${res.rawPayload.length} bytes`);
    return;
  }
  if (!types.includes(mediaType)) return void failures.push(`${where}: media type not documented for ${statusKey} (documented: ${types.join(', ')})`);
  const media = documented.content![mediaType]!;
  const at = (...rest: string[]) => pointer('paths', path, method, 'responses', statusKey, 'content', mediaType, ...rest);

  if (JSON_TYPES.test(mediaType)) {
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      return void failures.push(`${where}: body is not JSON: ${res.body.slice(0, 100)}`);
    }
    if (media.schema) {
      const validate = validatorAt(at('schema'));
      if (!validate(body)) failures.push(`${where}: ${describeErrors(validate.errors)}`);
    }
    const type = (body as { type?: unknown }).type;
    if (mediaType === 'application/problem+json' && typeof type === 'string') problemTypes.add(type);
  } else if (mediaType === 'application/x-ndjson' && media['x-itemSchema']) {
    const validate = validatorAt(at('x-itemSchema'));
    const lines = res.body.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let item: unknown;
      try {
        item = JSON.parse(line);
      } catch {
        return void failures.push(`${where}: line ${i + 1} is not JSON: ${line.slice(0, 100)}`);
      }
      if (!validate(item)) failures.push(`${where}: line ${i + 1}: ${describeErrors(validate.errors)}`);
    });
  } else if (media.schema) {
    const validate = validatorAt(at('schema'));
    if (!validate(res.body)) failures.push(`${where}: ${describeErrors(validate.errors)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What to ask, from the document.

const resolve = (schema: Schema | undefined): Schema => {
  if (!schema) return {};
  const { $ref, ...rest } = schema as Schema & { $ref?: string };
  return $ref ? { ...resolve(doc.components.schemas[$ref.split('/').pop()!]), ...rest } : schema;
};
const examplesOf = (p: Parameter): unknown[] => {
  const all = [p.example, ...Object.values(p.examples ?? {}).map((e) => e.value)].filter((v) => v !== undefined);
  return [...new Set(all.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as unknown);
};
const exampleOf = (p: Parameter) => examplesOf(p)[0] ?? (resolve(p.schema).examples as unknown[] | undefined)?.[0];
const withQuery = (url: string, query: string) => (query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`);
const pair = (name: string, value: unknown) => {
  const q = `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  const companion = COMPANIONS[`${name}=${String(value)}`] ?? COMPANIONS[name];
  return companion ? `${q}&${companion}` : q;
};

/**
 * Values the parameter's schema refuses, confirmed invalid by the schema itself, with the status they should
 * provoke: 400, except that an over-long path segment may be refused as 414 first (both are documented).
 */
function invalidValues(p: Parameter, ref: string): { value: string; expect?: number }[] {
  const schema = resolve(p.schema);
  const validate = validatorAt(ref);
  const accepted = (value: string): boolean => validate(value);
  if (schema.type === 'integer') {
    const out = ['not-a-number'];
    if (typeof schema.minimum === 'number') out.push(String(schema.minimum - 1));
    if (typeof schema.maximum === 'number' && schema.maximum < Number.MAX_SAFE_INTEGER) out.push(String(schema.maximum + 1));
    return out.map((value) => ({ value, expect: 400 }));
  }
  const out: { value: string; expect?: number }[] = [{ value: 'Not a documented value!', expect: 400 }];
  if (typeof schema.maxLength === 'number') out.push({ value: 'x'.repeat(schema.maxLength + 1), ...(p.in === 'path' ? {} : { expect: 400 }) });
  return out.filter((c) => !accepted(c.value) && c.value.length < MAX_QUERY - 100);
}

/** Fills a path template from each path parameter's example, or from `override` by name. */
function fill(path: string, op: Operation, override: Record<string, string> = {}) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (override[name] !== undefined) return override[name]!;
    const p = op.parameters?.find((q) => q.in === 'path' && q.name === name);
    if (!p) throw new Error(`${path}: path parameter ${name} is not documented`);
    return encodeURIComponent(String(exampleOf(p)));
  });
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase() as Method, op })));

const linkNext = (res: Answer) => /<([^>]+)>\s*;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
const json = <T>(res: Answer) => (JSON_TYPES.test(String(res.headers['content-type']).split(';')[0]!) ? (JSON.parse(res.body) as T) : undefined);

/** Follows the pages of a list: through `links.next`, or through the Link header when `viaHeader`. */
async function crawlPages(first: string, viaHeader = false, maxPages = 20) {
  let url: string | undefined = first;
  for (let i = 0; url && i < maxPages; i++) {
    const res = await send({ method: 'GET', url, expect: 200 });
    const body = json<{ links?: { next?: string | null }; items?: { links?: Record<string, string> }[] }>(res);
    for (const item of body?.items ?? []) for (const link of Object.values(item.links ?? {})) if (typeof link === 'string') toFollow.add(link);
    url = viaHeader ? linkNext(res) : (body?.links?.next ?? undefined);
  }
}
const toFollow = new Set<string>();

// ---------------------------------------------------------------------------------------------------------------
// The crawl.

async function crawlReads() {
  for (const { path, method, op } of operations()) {
    if (method !== 'GET') continue;
    const params = op.parameters ?? [];
    const url = fill(path, op);
    const base = await send({ method, url, expect: 200 });

    // Each documented example and enum value of each query parameter, one at a time.
    for (const p of params.filter((q) => q.in === 'query')) {
      const values = new Set<unknown>([...examplesOf(p), ...((resolve(p.schema).enum as unknown[] | undefined) ?? [])]);
      for (const v of values) await send({ method, url: withQuery(url, pair(p.name, v)), expect: 200 });
      const ref = pointer('paths', path, method.toLowerCase(), 'parameters', String(params.indexOf(p)), 'schema');
      for (const bad of invalidValues(p, ref)) await send({ method, url: withQuery(url, pair(p.name, bad.value)), ...bad });
    }

    // Path parameters: a well-formed id nothing has (404), a malformed one (400).
    for (const p of params.filter((q) => q.in === 'path')) {
      const ref = pointer('paths', path, method.toLowerCase(), 'parameters', String(params.indexOf(p)), 'schema');
      const schema = resolve(p.schema);
      const missing = schema.type === 'integer' ? '99999' : 'no-such-record-anywhere';
      if (op.responses['404']) await send({ method, url: fill(path, op, { [p.name]: missing }), expect: 404 });
      for (const bad of invalidValues(p, ref)) await send({ method, url: fill(path, op, { [p.name]: encodeURIComponent(bad.value) }), ...bad });
    }

    // Limits every operation documents: a query string too long (414), too many parameters (400).
    await send({ method, url: withQuery(url, `pad=${'x'.repeat(MAX_QUERY + 10)}`), expect: 414 });
    await send({ method, url: withQuery(url, Array.from({ length: 25 }, (_, i) => `p${i}=1`).join('&')), expect: 400 });

    // Content negotiation: each documented representation by Accept (an operation that documents 406 chooses by
    // Accept; the export chooses by its format parameter, so Accept only must not break it); one nothing serves;
    // a browser's Accept everywhere, which JSON-only operations must still answer as documented.
    const offered = Object.keys(op.responses['200']?.content ?? {});
    const negotiates = op.responses['406'] !== undefined;
    if (offered.length > 1)
      for (const type of offered) {
        const res = await send({ method, url, headers: { accept: type }, expect: 200, ...(negotiates ? { expectType: type } : {}) });
        const etag = res.headers.etag;
        if (typeof etag === 'string') await send({ method, url, headers: { accept: type, 'if-none-match': etag }, ...(op.responses['304'] ? { expect: 304 } : {}) });
      }
    if (op.responses['406']) await send({ method, url, headers: { accept: 'image/png' }, expect: 406 });
    await send({ method, url, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    await send({ method, url, headers: { accept: 'application/json;q=0.5, text/*;q=0.9' } });

    // Revalidation, wherever an ETag is sent (documented or not): the ETag back in If-None-Match is 304 with no
    // body where 304 is documented; a stale one is the full answer.
    if (typeof base.headers.etag === 'string') {
      await send({ method, url, headers: { 'if-none-match': base.headers.etag }, ...(op.responses['304'] ? { expect: 304 } : {}) });
      await send({ method, url, headers: { 'if-none-match': '"stale"' }, expect: 200 });
    }

    // Paged lists: every page, small pages, through the body's links and the Link header.
    if (params.some((q) => q.in === 'query' && q.name === 'limit')) {
      await crawlPages(withQuery(url, 'limit=3'));
      await crawlPages(withQuery(url, 'limit=7'), true);
    }
  }
  // Searches and sorts whose pages differ from a plain list (snippets, facets, value order).
  await crawlPages('/v1/claims?q=deepseek&limit=4&facets=kind,verdict,subject,claimant,unit,year');
  await crawlPages('/v1/claims?sort=-value&unit=USD&limit=5', true);
  await crawlPages('/v1/entities?q=nv&limit=2');
  await crawlPages('/v1/changes?limit=10', true);
  // Odd values the schemas cannot rule out (free-form dates, search syntax, a forged cursor): refused or not, the
  // answer must be a documented one.
  for (const q of ['factFrom=2025-13-45', 'claimedTo=yesterday', 'q=%22unbalanced', 'q=AND', 'valueMin=1', 'cursor=bm90LWEtY3Vyc29y', 'sort=value'])
    await send({ method: 'GET', url: `/v1/claims?${q}` });
  await send({ method: 'GET', url: '/v1/export?format=csv&records=all', expect: 400 });
  await send({ method: 'GET', url: '/v1/export?records=all&includeRetracted=true', expect: 200 });
  await send({ method: 'GET', url: '/v1/claims/deepseek-v3-training-cost/citation?style=bibtex', headers: { accept: 'text/plain' }, expect: 200 });
}

/** Every record, revision and current version the lists and the change feed link to. */
async function followLinks() {
  for (const url of [...toFollow].filter((u) => !seen.has(u))) {
    seen.add(url);
    await send({ method: 'GET', url, expect: 200 });
    // Each claim's page for people, and its citation in the default style.
    if (/^\/v1\/claims\/[^/]+$/.test(url)) {
      await send({ method: 'GET', url: url.replace('/v1/claims/', '/c/'), expect: 200 });
      await send({ method: 'GET', url: `${url}/citation`, expect: 200 });
    }
  }
}

const etagOf = async (url: string) => (await ctx.app.inject(url)).headers.etag as string;
const asJson = (headers: Record<string, string> = editor) => ({ ...headers, 'content-type': 'application/json' });

/** The fields a replace body may hold, as the document lists them, taken from the record a GET returned. */
function replaceBody(schemaName: string, record: Record<string, unknown>, reason: string) {
  const allowed = Object.keys((doc.components.schemas[schemaName]!.properties ?? {}) as object);
  return { ...Object.fromEntries(Object.entries(record).filter(([k]) => allowed.includes(k))), reason };
}

async function crawlWrites() {
  const resources = [
    { collection: '/v1/entities', replace: 'EntityReplaceInput', body: (id?: string) => ({ ...(id ? { id } : {}), name: `Entity ${id ?? 'anon'}`, type: 'organization', reason: 'conformance' }) },
    { collection: '/v1/sources', replace: 'SourceReplaceInput', body: (id?: string) => ({ ...(id ? { id } : {}), type: 'web_page', title: `Source ${id ?? 'anon'}`, evidence: 'original', reason: 'conformance' }) },
    { collection: '/v1/claims', replace: 'ClaimReplaceInput', body: (id?: string) => newClaimBody(id ? { id } : {}) },
  ];
  const idempotencyKey = String(exampleOf(doc.paths['/v1/claims']!.post!.parameters!.find((p) => p.name === 'idempotency-key')!));
  for (const [i, { collection, replace, body }] of resources.entries()) {
    const id = `conformance-${i}`;
    const post = (payload: unknown, headers: Record<string, string> = asJson(), expect?: number) =>
      send({ method: 'POST', url: collection, headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), ...(expect ? { expect } : {}) });
    await post(body(id), asJson(), 201);
    await post(body(), asJson(), 201);
    const key = { ...asJson(), 'idempotency-key': `${idempotencyKey}-${i}` };
    await post(body(`${id}-once`), key, 201);
    await post(body(`${id}-once`), key, 201);
    await post(body(`${id}-other`), key, 422);
    await post(body(id), asJson(), 409);
    await post({ ...body(`${id}-x`), reason: undefined }, asJson(), 400);
    await post({ ...body(`${id}-x`), revision: 3, owner: 'me' }, asJson(), 400);
    await post('{"not json', asJson(), 400);
    await post(body(`${id}-x`), { ...editor, 'content-type': 'text/plain' }, 415);
    await post(body(`${id}-x`), { 'content-type': 'application/json' }, 401);
    await post(body(`${id}-x`), asJson(bearer('cak_not-a-real-key')), 401);
    await post({ ...body(`${id}-x`), pad: 'x'.repeat(MAX_BODY + 1) }, asJson(), 413);

    // Replace the documented example record, with the document's If-Match example as the stale validator.
    const op = doc.paths[`${collection}/{id}`]!.put!;
    const url = fill(`${collection}/{id}`, op);
    const staleEtag = String(exampleOf(op.parameters!.find((p) => p.name === 'if-match')!));
    const current = (await ctx.app.inject(url)).json() as Record<string, unknown>;
    const record = collection === '/v1/claims' ? toReplaceBody(current as Record<string, unknown> & Claim, 'conformance') : current;
    // One field edited: a PUT of the record as it is records no revision, and revision 2 is crawled below.
    const field = { '/v1/entities': 'name', '/v1/sources': 'title', '/v1/claims': 'statement' }[collection]!;
    const valid = replaceBody(replace, { ...record, [field]: `${String((record as Record<string, unknown>)[field])} (edited)` }, 'conformance');
    const put = (target: string, payload: unknown, headers: Record<string, string>, expect: number) =>
      send({ method: 'PUT', url: target, headers, payload: JSON.stringify(payload), expect });
    await put(url, valid, asJson(), 428);
    await put(url, valid, { ...asJson(), 'if-match': staleEtag }, 412);
    await put(url, { ...valid, reason: undefined }, { ...asJson(), 'if-match': await etagOf(url) }, 400);
    await put(url, valid, { 'content-type': 'application/json', 'if-match': await etagOf(url) }, 401);
    await send({ method: 'PUT', url, headers: { ...editor, 'content-type': 'text/plain', 'if-match': await etagOf(url) }, payload: 'text', expect: 415 });
    await put(fill(`${collection}/{id}`, op, { id: 'no-such-record-anywhere' }), valid, { ...asJson(), 'if-match': staleEtag }, 404);
    await put(fill(`${collection}/{id}`, op, { id: 'Not%20an%20id' }), valid, { ...asJson(), 'if-match': staleEtag }, 400);
    await put(url, { ...valid, pad: 'x'.repeat(MAX_BODY + 1) }, { ...asJson(), 'if-match': await etagOf(url) }, 413);
    if (collection === '/v1/claims') await put(url, { ...valid, subjects: [{ id: 'nobody-at-all' }] }, { ...asJson(), 'if-match': await etagOf(url) }, 422);
    await put(url, valid, { ...asJson(), 'if-match': await etagOf(url) }, 200);
    toFollow.add(url);
    toFollow.add(`${url}/revisions`);
    toFollow.add(`${url}/revisions/2`);
    toFollow.add(`${collection}/${id}`);
  }
  await send({ method: 'POST', url: '/v1/claims', headers: asJson(), payload: JSON.stringify(newClaimBody({ id: 'conformance-ghost', subjects: [{ id: 'nobody-at-all' }] })), expect: 422 });
  // A query string too long, on every write: refused before the key or the body is looked at.
  for (const { path, method, op } of operations())
    if (method !== 'GET')
      await send({ method, url: `${fill(path, op)}?pad=${'x'.repeat(MAX_QUERY + 10)}`, headers: { ...admin, 'content-type': 'application/json' }, payload: '{}', expect: 414 });

  // Retraction: refused without If-Match, with a stale one, to an editor, without a key, with a bad body or
  // successor; then a real one (admin), and a second that is refused because the claim is retracted.
  const retraction = doc.paths['/v1/claims/{id}/retraction']!.post!;
  const example = fill('/v1/claims/{id}/retraction', retraction);
  const stale = String(exampleOf(retraction.parameters!.find((p) => p.name === 'if-match')!));
  const retract = (url: string, payload: unknown, headers: Record<string, string>, expect: number) =>
    send({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload), expect });
  const fresh = async (url: string) => etagOf(url.replace(/\/retraction$/, ''));
  await retract(example, { reason: 'conformance' }, admin, 428);
  await retract(example, { reason: 'conformance' }, { ...admin, 'if-match': stale }, 412);
  await retract(example, { reason: 'conformance' }, { ...editor, 'if-match': await fresh(example) }, 403);
  await retract(example, { reason: 'conformance' }, { 'if-match': await fresh(example) }, 401);
  await retract(example, {}, { ...admin, 'if-match': await fresh(example) }, 400);
  await retract(example, { reason: 'conformance', supersededBy: 'no-such-claim' }, { ...admin, 'if-match': await fresh(example) }, 422);
  await retract('/v1/claims/no-such-record-anywhere/retraction', { reason: 'conformance' }, { ...admin, 'if-match': stale }, 404);
  const victim = '/v1/claims/us-chip-industry-1-trillion-within-decade';
  await retract(`${victim}/retraction`, { reason: 'conformance', supersededBy: 'semiconductor-sales-1-trillion-by-2030' }, { ...admin, 'if-match': await etagOf(victim) }, 200);
  await retract(`${victim}/retraction`, { reason: 'again' }, { ...admin, 'if-match': await etagOf(victim) }, 409);
  await retract(`${victim}/retraction`, { reason: 'x'.repeat(MAX_BODY + 1) }, { ...admin, 'if-match': await etagOf(victim) }, 413);
  await send({ method: 'POST', url: `${victim}/retraction`, headers: { ...admin, 'content-type': 'text/plain', 'if-match': await etagOf(victim) }, payload: 'text', expect: 415 });
  const final = (await ctx.app.inject(victim)).json() as Record<string, unknown> & Claim;
  const edit = JSON.stringify(replaceBody('ClaimReplaceInput', toReplaceBody(final, 'edit a retracted claim'), 'edit a retracted claim'));
  await send({ method: 'PUT', url: victim, headers: { ...asJson(), 'if-match': await etagOf(victim) }, payload: edit, expect: 409 });
  await send({ method: 'PUT', url: victim, headers: { ...asJson(), 'if-match': await etagOf(victim) }, payload: JSON.stringify({ pad: 'x'.repeat(MAX_BODY + 1) }), expect: 413 });
  // A retracted claim in each representation, its history, and the export that carries its retraction.
  for (const type of Object.keys(doc.paths['/v1/claims/{id}']!.get!.responses['200']!.content!)) await send({ method: 'GET', url: victim, headers: { accept: type }, expect: 200, expectType: type });
  for (const url of [`/c/${victim.split('/').pop()}`, `${victim}/citation?style=csl-json`, `${victim}/revisions`, `${victim}/revisions/2`, '/v1/claims?includeRetracted=true&limit=100'])
    await send({ method: 'GET', url, expect: 200 });
  const exported = await send({ method: 'GET', url: '/v1/export?records=all&includeRetracted=true', expect: 200 });
  await send({ method: 'GET', url: '/v1/export?format=csv&includeRetracted=true', expect: 200 });

  // Import: the export as it is (dry run), new records for real, and every refusal the operation documents.
  const ndjson = (headers: Record<string, string> = editor) => ({ ...headers, 'content-type': 'application/x-ndjson' });
  const file = (records: unknown[]) =>
    [exported.body.split('\n')[0], ...records.map((r) => JSON.stringify(r)), JSON.stringify({ type: 'end', count: records.length })].join('\n');
  const entity = (id: string, name = `Imported ${id}`) => ({ type: 'entity', record: { id, name, type: 'organization' } });
  const reason = encodeURIComponent(String(exampleOf(doc.paths['/v1/import']!.post!.parameters!.find((p) => p.name === 'reason')!)));
  const importing = (query: string, payload: string, headers: Record<string, string>, expect?: number) =>
    send({ method: 'POST', url: `/v1/import?${query}`, headers, payload, ...(expect ? { expect } : {}) });
  const withoutRetracted = (await ctx.app.inject('/v1/export?records=all&includeRetracted=false')).body;
  await importing(`reason=${reason}&dryRun=true`, withoutRetracted, ndjson(), 200);
  await importing(`reason=${reason}&dryRun=true`, exported.body, ndjson(admin), 200);
  // A new claim that arrives retracted takes an admin key.
  const retracted = exported.body
    .split('\n')
    .map((l) => (l.trim() === '' ? null : (JSON.parse(l) as { type: string; record: { id: string }; retraction?: unknown })))
    .find((l) => l?.type === 'claim' && l.retraction);
  if (!retracted) throw new Error('the export holds no retracted claim');
  const reborn = file([{ ...retracted, record: { ...retracted.record, id: 'imported-retracted' } }]);
  await importing(`reason=${reason}&dryRun=true`, reborn, ndjson(), 403);
  await importing(`reason=${reason}`, reborn, ndjson(admin), 200);
  await importing(`reason=${reason}`, file([entity('imported-one'), entity('imported-two')]), ndjson(), 200);
  await importing(`reason=${reason}`, file([entity('deepseek', 'Someone else')]), ndjson(), 409);
  await importing(`reason=${reason}`, file([{ type: 'claim', record: { ...newClaimBody({ id: 'imported-claim', subjects: [{ id: 'nobody-at-all' }] }), reason: undefined } }]), ndjson(), 422);
  await importing(`reason=${reason}`, file([{ type: 'planet', record: {} }]), ndjson(), 400);
  await importing(`reason=${reason}`, `${file([entity('imported-three')]).split('\n').slice(0, 2).join('\n')}\n{not json`, ndjson(), 400);
  await importing(`reason=${reason}`, '', ndjson(), 400);
  await importing('dryRun=true', withoutRetracted, ndjson(), 400);
  await importing(`reason=${reason}`, withoutRetracted, { ...editor, 'content-type': 'application/json' }, 415);
  await importing(`reason=${reason}`, withoutRetracted, ndjson({}), 401);
  toFollow.add('/v1/entities/imported-one');
}

/**
 * Every operation once more against an app whose budgets are spent (429) and one that sheds load (503): the
 * refusals every operation documents, which the crawl's generous limits never provoke. Health checks are exempt
 * from both, so they get no expectation.
 */
async function crawlRefusals() {
  const budgets = await createTestApp({ limits: { rateLimit: { reads: 1, writes: 1, windowMs: 60_000 } } });
  const shedding = await createTestApp({
    limits: { shedding: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, maxRssBytes: 0, retryAfterSeconds: 7, sampleIntervalMs: 10 } },
  });
  try {
    await new Promise((r) => setTimeout(r, 50)); // the shedding app decides on its first sample
    for (const [{ app, store }, status] of [[budgets, 429], [shedding, 503]] as const) {
      const key = bearer(createKey(store, { name: 'refusals', scope: 'admin' }));
      // Reads are budgeted per address, writes per key: spend one of each.
      await app.inject('/v1/claims');
      await app.inject({ method: 'POST', url: '/v1/entities', headers: { ...key, 'content-type': 'application/json' }, payload: '{}' });
      for (const { path, method, op } of operations()) {
        const exempt = !op.responses[String(status)] || /^\/(healthz|readyz)$/.test(path);
        const importing = path === '/v1/import';
        const contentType = importing ? 'application/x-ndjson' : 'application/json';
        const write =
          method === 'GET' ? {} : { headers: { ...key, 'content-type': contentType, 'if-match': '"stale"' }, payload: importing ? '\n' : '{"reason":"refused"}' };
        await send({ method, url: fill(path, op) + (importing ? '?reason=refused' : ''), ...write, ...(exempt ? {} : { expect: status }) }, app);
      }
    }
  } finally {
    await budgets.app.close();
    await shedding.app.close();
  }
}

async function crawlProblems() {
  // Each problem type an answer named: its description is a documented operation too.
  for (const type of [...problemTypes].sort()) await send({ method: 'GET', url: type, expect: 200 });
}

beforeAll(async () => {
  ctx = await createTestApp();
  doc = (await ctx.app.inject('/openapi.json')).json() as OpenApi;
  // strict: false only lets OpenAPI's own keywords (example, x-itemSchema) stand in schemas; nothing is coerced,
  // defaulted or removed from the bodies validated.
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajvFormats.default(ajv);
  ajv.addSchema(doc as object, DOC_ID);
  editor = bearer(createKey(ctx.store, { name: 'conformance-editor' }));
  admin = bearer(createKey(ctx.store, { name: 'conformance-admin', scope: 'admin' }));

  await crawlReads();
  await followLinks();
  await crawlWrites();
  await followLinks();
  await crawlRefusals();
  await crawlProblems();
}, 60_000);
afterAll(() => ctx?.app.close());

describe('the service answers as its OpenAPI document says', () => {
  it('documents every status, media type, body and required header it answered with', () => {
    expect(failures).toEqual([]);
  });

  it('was asked every operation in the document, with a few hundred requests', () => {
    const all = operations().map(({ path, method }) => `${method} ${path}`);
    expect([...covered].sort()).toEqual(all.sort());
    expect(validated).toBeGreaterThan(600);
  });

  it('provoked the status each probe was built for (else the crawl does not test what it claims)', () => {
    expect(misfires).toEqual([]);
  });
});

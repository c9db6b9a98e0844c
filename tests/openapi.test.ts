// The OpenAPI document: valid 3.1, complete for every operation, and identical to the committed file.
import { readFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from '../scripts/openapi.js';
import { compilePendingSerializers } from '../src/http/serializer.js';
import { NON_MONEY_UNITS } from '../src/domain/vocabulary.js';
import { bearer, createKey, createTestApp } from './helpers.js';

const SUCCESS_TYPES = [
  'application/json',
  'text/html',
  'application/ld+json',
  'text/plain',
  'application/x-bibtex',
  'application/x-research-info-systems',
  'application/vnd.citationstyles.csl+json',
  'application/x-ndjson',
  'text/csv',
];

type Operation = { operationId?: string; summary?: string; tags?: string[]; responses: Record<string, { content?: Record<string, unknown> }> };

let served: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
let ctx: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  ctx = await createTestApp({ seed: false });
  served = (await ctx.app.inject('/openapi.json')).json();
});
afterAll(() => ctx.app.close());

describe('OpenAPI document', () => {
  it('has a response schema fast-json-stringify compiles for every route and status', async () => {
    // Serializers compile on first use; this compiles the rest, as the server does after it starts listening.
    await expect(compilePendingSerializers()).resolves.toBeGreaterThan(10);
  });

  it('passes an OpenAPI 3.1 validator with no errors', async () => {
    const result = await validate(structuredClone(served) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect((served as unknown as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('matches the committed openapi/openapi.json', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(committed, 'run `npm run openapi` and commit the result').toBe(await generateOpenApi());
    expect(JSON.parse(committed)).toEqual(served);
  });

  it('gives every operation an operationId, summary, tags and documented error responses', () => {
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(served.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId!), `${where} duplicates an operationId`).toBe(false);
        ids.add(op.operationId!);
        expect(op.summary, where).toBeTruthy();
        expect(op.tags?.length, where).toBeGreaterThan(0);
        expect(Object.keys(op.responses), where).toContain('500');
        if (path.includes('{id}')) expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['400', '404']));
        for (const [status, response] of Object.entries(op.responses)) {
          const types = Object.keys(response.content ?? {});
          // 304 Not Modified has no body, by definition; every error is problem+json; a success is JSON or one of
          // the documented representations for people and reference managers (pages, citations).
          if (status === '304') expect(types, `${where} ${status}`).toEqual([]);
          else if (Number(status) >= 400) expect(types, `${where} ${status}`).toEqual(['application/problem+json']);
          else {
            expect(types.length, `${where} ${status}`).toBeGreaterThan(0);
            for (const t of types) expect(SUCCESS_TYPES, `${where} ${status} ${t}`).toContain(t);
          }
        }
      }
    }
  });

  it('documents the headers every answer carries, as they are sent', async () => {
    type Responses = Record<string, { headers?: Record<string, unknown> }>;
    const documented = (path: string, method: string, status: string) => Object.keys((served.paths[path]![method]!.responses as Responses)[status]!.headers ?? {});
    // A page with more after it: request id, rate budget, the next page's Link.
    const seeded = await createTestApp();
    const list = await seeded.app.inject('/v1/claims?limit=1');
    await seeded.app.close();
    for (const header of ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Link']) {
      expect(list.headers[header.toLowerCase()], header).toBeDefined();
      expect(documented('/v1/claims', 'get', '200')).toContain(header);
    }
    // Health checks are exempt from rate limits: no budget sent, none documented.
    const health = await ctx.app.inject('/healthz');
    expect(health.headers['ratelimit-limit']).toBeUndefined();
    expect(documented('/healthz', 'get', '200')).not.toContain('RateLimit-Limit');
    expect(documented('/healthz', 'get', '200')).toContain('X-Request-Id');
    // 428 without If-Match: the document says it is required.
    const put = served.paths['/v1/claims/{id}']!.put as Operation & { parameters: { name: string; required?: boolean }[] };
    const ifMatch = put.parameters.find((p) => p.name === 'if-match');
    expect(ifMatch?.required).toBe(true);
    expect(documented('/v1/claims', 'post', '201')).toContain('Idempotent-Replayed');
  });

  it('describes every parameter and gives it an example, on the parameter where generators and /docs look', () => {
    type Param = { in: string; name: string; description?: string; example?: unknown; examples?: unknown };
    const undocumented: string[] = [];
    for (const [path, methods] of Object.entries(served.paths))
      for (const [method, op] of Object.entries(methods as Record<string, { parameters?: Param[] }>))
        for (const p of op.parameters ?? []) {
          if (!p.description) undocumented.push(`${method} ${path} ${p.in} ${p.name}: no description`);
          if (p.example === undefined && p.examples === undefined) undocumented.push(`${method} ${path} ${p.in} ${p.name}: no example`);
        }
    expect(undocumented).toEqual([]);
  });

  it("states the service's checks of text, dates and units as patterns, so a generated validator refuses what the service refuses", () => {
    const schemas = served.components.schemas as Record<string, { pattern?: string; properties?: Record<string, { pattern?: string }> }>;
    const pattern = (p: string | undefined) => new RegExp(p!, 'u');
    const text = pattern(schemas.ClaimWrite!.properties!.statement!.pattern);
    for (const s of ['A claim.', ' padded ', 'line\nbreak', 'tab\there', 'Zürich', '漢字']) expect(text.test(s), JSON.stringify(s)).toBe(true);
    for (const s of ['', '   ', '\n\t ', 'nul\u0000', 'esc\u001b[31m', '\u007f']) expect(text.test(s), JSON.stringify(s)).toBe(false);

    const date = pattern((schemas.PartialDate!.properties!.date as { pattern?: string }).pattern);
    for (const s of ['2025', '2025-01', '2025-01-31', '1999-12-01']) expect(date.test(s), s).toBe(true);
    for (const s of ['25', '2025-1', '2025-13', '2025-01-32', '2025-00-10', '2025/01/31', '2025-01-31T00:00Z']) expect(date.test(s), s).toBe(false);

    const unit = pattern(schemas.Unit!.pattern);
    for (const s of ['USD', 'EUR', 'CNY', ...NON_MONEY_UNITS]) expect(unit.test(s), s).toBe(true);
    for (const s of ['usd', 'US$', 'GPU hours', 'dollars', '']) expect(unit.test(s), s).toBe(false);
  });

  it('names the shared shapes as components', () => {
    expect(Object.keys(served.components.schemas)).toEqual(
      expect.arrayContaining(['Claim', 'ClaimSummary', 'ClaimPage', 'Source', 'Entity', 'Problem', 'Value', 'PartialDate', 'Citation', 'Caveat']),
    );
  });
});

describe('OpenAPI examples', () => {
  it('has a request body example for every create and the retraction, and the service accepts each as it stands', async () => {
    const seeded = await createTestApp();
    try {
      const admin = bearer(createKey(seeded.store, { name: 'examples', scope: 'admin' }));
      type Op = { operationId: string; parameters?: { in: string; name: string; example?: unknown }[]; requestBody?: { content: Record<string, { example?: unknown }> } };
      const withExample = Object.entries(served.paths).flatMap(([path, methods]) =>
        Object.entries(methods as Record<string, Op>)
          .filter(([, op]) => op.requestBody?.content['application/json']?.example !== undefined)
          .map(([method, op]) => ({ path, method, op })),
      );
      expect(withExample.map((o) => o.op.operationId).sort()).toEqual(['createClaim', 'createEntity', 'createSource', 'retractClaim']);
      for (const { path, method, op } of withExample) {
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => String(op.parameters!.find((p) => p.in === 'path' && p.name === name)!.example));
        const ifMatch = op.parameters?.some((p) => p.name === 'if-match') ? { 'if-match': (await seeded.app.inject(url.replace(/\/retraction$/, ''))).headers.etag as string } : {};
        const res = await seeded.app.inject({ method: method.toUpperCase() as 'POST', url, headers: { ...admin, ...ifMatch }, payload: op.requestBody!.content['application/json']!.example as object });
        expect(res.statusCode, `${op.operationId}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
      }
    } finally {
      await seeded.app.close();
    }
  });

  it('are accepted by the service: each query parameter example of each read, on the seed, is not a 4xx', async () => {
    const seeded = await createTestApp();
    try {
      type Param = { in: string; name: string; example?: unknown; examples?: Record<string, { value: unknown }>; schema?: { $ref?: string; examples?: unknown[]; enum?: unknown[] } };
      const component = (p: Param) => (p.schema?.$ref ? (served.components.schemas[p.schema.$ref.split('/').pop()!] as Param['schema']) : undefined);
      const exampleOf = (p: Param) =>
        p.example ?? (p.examples ? Object.values(p.examples)[0]!.value : undefined) ?? p.schema?.examples?.[0] ?? component(p)?.examples?.[0];
      // Examples that only make sense with another parameter.
      const companions: Record<string, string> = { valueMin: '&unit=USD', valueMax: '&unit=USD', revision: '', match: '&q=deepseek' };
      let tried = 0;
      for (const [path, methods] of Object.entries(served.paths)) {
        const op = (methods as Record<string, { parameters?: Param[] }>).get;
        if (!op) continue;
        // Path parameters take their own examples, so each documented example names a record the seed holds.
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => String(exampleOf(op.parameters!.find((p) => p.in === 'path' && p.name === name)!)));
        const plain = await seeded.app.inject(url);
        expect(plain.statusCode, `GET ${url}: ${plain.body.slice(0, 300)}`).toBeLessThan(400);
        for (const p of (op.parameters ?? []).filter((q) => q.in === 'query')) {
          const example = exampleOf(p);
          if (example === undefined) continue;
          const res = await seeded.app.inject(`${url}?${p.name}=${encodeURIComponent(String(example))}${companions[p.name] ?? ''}`);
          expect(res.statusCode, `GET ${path}?${p.name}=${String(example)}: ${res.body.slice(0, 300)}`).toBeLessThan(400);
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(40);
    } finally {
      await seeded.app.close();
    }
  });
});

// Bulk export and import: streamed NDJSON and CSV with the list's filters, the header and trailer, an import that
// takes whole files only, checks every line before writing (listing at most MAX_PROBLEMS problems, however bad the
// file) and writes all or nothing through the write service, and the round trip export -> import into an empty
// database -> export giving the same records.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaimListQuery, toClaimFilters } from '../src/claims/claims.list-query.js';
import { runExport, runImport } from '../src/exchange/exchange.cli.js';
import { csvField } from '../src/exchange/csv.js';
import { ExchangeLine } from '../src/exchange/exchange.schemas.js';
import { pullStream } from '../src/exchange/export.js';
import { MAX_PROBLEMS } from '../src/exchange/import.js';
import { parseSearchQuery } from '../src/search/search-query.js';
import { bearer, collectIds, createKey, createTestApp, createTestStore, PROBLEM_CONTENT_TYPE } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof createTestApp>>;
const NDJSON = 'application/x-ndjson';

const lines = (body: string) => body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
/** The records of an NDJSON export: every line but the header, whose time and cursor belong to the moment. */
const records = (body: string) => body.split('\n').slice(1).join('\n');

/** A whole import file around record lines: an export's header first, its trailer with the count of records last. */
const wholeFile = (recordLines: string[]) =>
  [
    JSON.stringify({ type: 'export', exportedAt: '2026-12-01T00:00:00.000Z', cursor: 'test', records: 'all', filters: {} }),
    ...recordLines,
    JSON.stringify({ type: 'end', count: recordLines.filter((l) => l.trim() !== '').length }),
  ].join('\n');

const importFile = (ctx: Ctx, body: string, key: string, query = 'reason=Bulk%20load') =>
  ctx.app.inject({ method: 'POST', url: `/v1/import?${query}`, headers: { ...bearer(key), 'content-type': NDJSON }, payload: body });

async function retract(ctx: Ctx, admin: string, id: string, supersededBy: string) {
  const etag = (await ctx.app.inject(`/v1/claims/${id}`)).headers.etag as string;
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/claims/${id}/retraction`,
    headers: { ...bearer(admin), 'if-match': etag },
    payload: { reason: 'Superseded in a test', supersededBy },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A minimal RFC 4180 reader, to check the CSV the way a spreadsheet would read it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

describe('GET /v1/export', () => {
  it('streams every record as NDJSON: header, entities, sources, claims in id order, trailer with the count', async () => {
    const { app } = await createTestApp();
    const res = await app.inject('/v1/export?records=all');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(`${NDJSON}; charset=utf-8`);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="claims-api-all-.+\.ndjson"$/);
    const all = lines(res.body);
    const [header, ...rest] = all;
    const trailer = rest.pop();
    expect(header).toMatchObject({ type: 'export', records: 'all', cursor: res.headers['export-cursor'], exportedAt: res.headers['export-time'] });
    // The cursor is where the change feed stands: nothing follows it.
    const feed = (await app.inject(`/v1/changes?after=${header!.cursor as string}`)).json() as { items: unknown[] };
    expect(feed.items).toEqual([]);
    expect(trailer).toEqual({ type: 'end', count: rest.length });
    for (const line of rest) expect(ExchangeLine.safeParse(line).success, JSON.stringify(line)).toBe(true);
    const types = rest.map((l) => l.type as string);
    expect(types).toEqual([...types].sort((a, b) => ['entity', 'source', 'claim'].indexOf(a) - ['entity', 'source', 'claim'].indexOf(b)));
    for (const type of ['entity', 'source', 'claim']) {
      const ids = rest.filter((l) => l.type === type).map((l) => (l.record as { id: string }).id);
      expect(ids).toEqual([...ids].sort());
    }
    expect(rest.filter((l) => l.type === 'claim').map((l) => (l.record as { id: string }).id)).toEqual(await collectIds(app, '/v1/claims?limit=100'));
    // A claim line is the write shape: no server-owned fields.
    const claim = rest.find((l) => l.type === 'claim')!.record as Record<string, unknown>;
    for (const owned of ['revision', 'createdAt', 'updatedAt', 'retraction', 'supersedes', 'links']) expect(claim).not.toHaveProperty(owned);
  });

  it('takes the claims list filters and exports the same claims the list finds', async () => {
    const { app } = await createTestApp();
    for (const query of ['kind=market_value_change', 'subject=nvidia&factFrom=2025-01', 'unit=USD&valueMin=400000000', 'q=training%20cost', 'citationRole=secondary']) {
      const listed = (await collectIds(app, `/v1/claims?${query}&limit=100`)).sort();
      const res = await app.inject(`/v1/export?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      const exported = lines(res.body).filter((l) => l.type === 'claim').map((l) => (l.record as { id: string }).id);
      expect(exported, query).toEqual(listed);
      expect(lines(res.body)[0]!.filters).toMatchObject(Object.fromEntries(new URLSearchParams(query)));
    }
    // A search the list relaxes (no claim holds every word) exports nothing, unless match=any asks for that reading.
    const question = 'q=what%20did%20SemiAnalysis%20claim';
    const relaxed = (await collectIds(app, `/v1/claims?${question}&limit=100`)).sort();
    expect(relaxed.length).toBeGreaterThan(5);
    const claimsOf = async (url: string) => lines((await app.inject(url)).body).filter((l) => l.type === 'claim').map((l) => (l.record as { id: string }).id);
    expect(await claimsOf(`/v1/export?${question}`)).toEqual([]);
    expect(await claimsOf(`/v1/export?${question}&match=any`)).toEqual(relaxed);
    expect((await app.inject('/v1/export?match=any')).statusCode).toBe(400);
  });

  it('refuses bad filters before streaming, as problem+json', async () => {
    const { app } = await createTestApp();
    for (const url of ['/v1/export?valueMin=5', '/v1/export?records=sources&kind=quote', '/v1/export?records=all&format=csv', '/v1/export?limit=5', '/v1/export?factFrom=2025-02&factTo=2025-01']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    }
    // Only claims are retracted: includeRetracted means nothing for sources or entities, and is refused like kind.
    for (const records of ['sources', 'entities']) {
      const res = await app.inject(`/v1/export?records=${records}&includeRetracted=true`);
      expect(res.statusCode, records).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/includeRetracted', detail: expect.stringMatching(/does not apply to records=/) })]);
    }
    for (const records of ['claims', 'all']) expect((await app.inject(`/v1/export?records=${records}&includeRetracted=false`)).statusCode, records).toBe(200);
  });

  it('writes CSV by RFC 4180 with the documented columns', async () => {
    const { app } = await createTestApp();
    const res = await app.inject('/v1/export?format=csv&includeRetracted=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const [head, ...rows] = parseCsv(res.body);
    expect(head).toEqual(expect.arrayContaining(['id', 'statement', 'valueAmount', 'valueUnit', 'subjects', 'citations', 'revision', 'retractedAt']));
    const ids = await collectIds(app, '/v1/claims?includeRetracted=true&limit=100');
    expect(rows.map((r) => r[0])).toEqual(ids);
    const col = (row: string[], name: string) => row[head!.indexOf(name)]!;
    const cost = rows.find((r) => r[0] === 'deepseek-v3-training-cost')!;
    const claim = (await app.inject('/v1/claims/deepseek-v3-training-cost')).json() as { statement: string; value: { amount: string }; citations: unknown[] };
    expect(col(cost, 'statement')).toBe(claim.statement);
    expect(col(cost, 'valueAmount')).toBe(claim.value.amount);
    expect(JSON.parse(col(cost, 'citations'))).toHaveLength(claim.citations.length);
    for (const r of rows) expect(r).toHaveLength(head!.length);

    for (const records of ['sources', 'entities']) {
      const csv = parseCsv((await app.inject(`/v1/export?format=csv&records=${records}`)).body);
      expect(csv.slice(1).map((r) => r[0])).toEqual(await collectIds(app, `/v1/${records}?limit=100`));
    }
  });

  it('quotes fields the RFC 4180 way', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
  });

  it('reads a page only when the reader has taken the previous one (backpressure)', async () => {
    let produced = 0;
    function* chunks() {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield 'x'.repeat(64 * 1024);
      }
    }
    const stream = pullStream(chunks());
    await new Promise((r) => setTimeout(r, 20));
    // Nothing is read before anyone asks, and then no further than the high-water mark.
    expect(produced).toBeLessThanOrEqual(1);
    expect(stream.read()).toBeNull(); // asks for the first page, made in a turn of its own
    await once(stream, 'readable');
    const first = stream.read() as Buffer;
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeLessThanOrEqual(3);
    let bytes = 0;
    await pipeline(stream, new Writable({ write: (chunk: Buffer, _e, done) => ((bytes += chunk.length), setImmediate(done)) }));
    expect(produced).toBe(1000);
    expect(first.length + bytes).toBe(1000 * 64 * 1024);
  });

  it('lets other requests run between pages, even when the reader keeps up', async () => {
    let produced = 0;
    function* chunks() {
      for (let i = 0; i < 40; i++) {
        produced++;
        const until = performance.now() + 3; // a page's work
        while (performance.now() < until);
        yield 'x'.repeat(1024);
      }
    }
    let seenAt = -1;
    setTimeout(() => (seenAt = produced), 0); // another request's I/O, due at once
    await pipeline(pullStream(chunks()), new Writable({ write: (_chunk, _e, done) => done() }));
    expect(produced).toBe(40);
    expect(seenAt).toBeGreaterThanOrEqual(0);
    expect(seenAt).toBeLessThan(5);
  });

  it('asks FTS5 for a search once per export, not once a page', async () => {
    const { app, store } = await createTestApp();
    const holders: { hits?: Int32Array | null }[] = [];
    const find = store.claims.find;
    store.claims.find = (options) => (holders.push(options.hitsHolder!), find(options));
    const res = await app.inject('/v1/export?q=deepseek&kind=cost_figure');
    expect(res.statusCode).toBe(200);
    // Every page of one export shares one holder, filled by the first page's search.
    expect(holders.length).toBeGreaterThan(0);
    expect(new Set(holders).size).toBe(1);
    expect(holders[0]!.hits).toBeInstanceOf(Int32Array);
    // A held list is what the next page reads: an empty one gives no claims, with no new search.
    const filters = toClaimFilters(ClaimListQuery.parse({ kind: 'cost_figure' }));
    const page = (hitsHolder: { hits?: Int32Array | null }) =>
      find({ filters, query: parseSearchQuery('deepseek'), snippets: false, sort: 'id', cursor: null, limit: 100, hitsHolder }).items.length;
    expect(page({})).toBeGreaterThan(0);
    expect(page({ hits: new Int32Array(0) })).toBe(0);
    await app.close();
  });

  it('answers HEAD with the headers alone, reading no record', async () => {
    const { app, store } = await createTestApp();
    let pages = 0;
    const find = store.claims.find;
    store.claims.find = (options) => (pages++, find(options));
    const res = await app.inject({ method: 'HEAD', url: '/v1/export?records=claims' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(`${NDJSON}; charset=utf-8`);
    expect(res.headers['export-cursor']).toBeTruthy();
    expect(res.body).toBe('');
    // Fastify drained a streamed body for HEAD: the whole export ran after the answer, with no client to stop it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pages).toBe(0);
    expect((await app.inject('/v1/export?records=claims')).body).toContain('"type":"claim"');
    expect(pages).toBeGreaterThan(0);
    await app.close();
  });

  it('pages through more records than one page holds', async () => {
    const { app, store } = await createTestApp({ seed: false });
    store.write.batch(() => {
      for (let i = 0; i < 1234; i++) store.write.createEntity({ id: `e-${String(i).padStart(5, '0')}`, name: `Entity ${i}`, type: 'organization', aliases: [], description: null, wikidataId: null, homepage: null }, { author: 'test', reason: 'many' });
    });
    const body = lines((await app.inject('/v1/export?records=entities')).body);
    expect(body.at(-1)).toEqual({ type: 'end', count: 1234 });
    const ids = body.slice(1, -1).map((l) => (l.record as { id: string }).id);
    expect(new Set(ids).size).toBe(1234);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('POST /v1/import', () => {
  it('round trip: export -> import into an empty database -> export gives the same records', async () => {
    const source = await createTestApp();
    const admin = createKey(source.store, { name: 'chief', scope: 'admin' });
    await retract(source, admin, 'deepseek-r1-mit-licence', 'deepseek-v3-training-cost');
    // A chain whose later link comes first in the file: the import must retract in the order it was retracted here
    // (a claim can only be superseded by one that stands).
    await retract(source, admin, 'deepseek-v3-pretraining-cost', 'deepseek-app-us-app-store-rank-1');
    await retract(source, admin, 'deepseek-app-us-app-store-rank-1', 'deepseek-r1-training-cost');
    // A whole export keeps retracted claims by default: deepseek-v3-training-cost, which stands, aggregates the
    // retracted pretraining cost, so a file without it could not be imported.
    const first = await source.app.inject('/v1/export?records=all');
    expect(first.body).toContain('"retraction":{"reason":"Superseded in a test","supersededBy":"deepseek-v3-training-cost"}');
    expect(records(first.body)).toBe(records((await source.app.inject('/v1/export?records=all&includeRetracted=true')).body));
    expect((await source.app.inject('/v1/export?records=all&includeRetracted=false')).body).not.toContain('"retraction"');
    expect((await source.app.inject('/v1/export')).body).not.toContain('"retraction"');

    const target = await createTestApp({ seed: false });
    const importer = createKey(target.store, { name: 'migration', scope: 'admin' });
    const res = await importFile(target, first.body, importer);
    expect(res.statusCode, res.body).toBe(200);
    const counts = lines(first.body).reduce<Record<string, number>>((n, l) => ({ ...n, [l.type as string]: (n[l.type as string] ?? 0) + 1 }), {});
    expect(res.json()).toMatchObject({ dryRun: false, created: { entities: counts.entity, sources: counts.source, claims: counts.claim }, retracted: 3 });

    const second = await target.app.inject('/v1/export?records=all&includeRetracted=true');
    expect(records(second.body)).toBe(records(first.body));
    for (const format of ['format=csv&includeRetracted=true', 'format=csv&records=sources']) {
      // CSV carries timestamps, which are the new database's own; everything else is the same.
      const strip = (csv: string) => parseCsv(csv).map((r) => r.slice(0, -6).join('|'));
      const a = strip((await source.app.inject(`/v1/export?${format}`)).body);
      const b = strip((await target.app.inject(`/v1/export?${format}`)).body);
      if (format.includes('sources')) expect(b.length).toBe(a.length);
      else expect(b).toEqual(a);
    }

    // Each record went through the write path: a revision by the importing key with the reason, in the change feed.
    const feed = (await target.app.inject('/v1/changes?limit=100')).json() as { items: { author: string; reason: string; action: string }[] };
    expect(feed.items.length).toBeGreaterThan(0);
    for (const change of feed.items) expect(change.author).toBe('migration');
    expect(feed.items.filter((c) => c.reason === 'Bulk load').length).toBeGreaterThan(50);
    expect(feed.items.some((c) => c.action === 'retract' && c.reason === 'Superseded in a test')).toBe(true);
    expect(res.json().cursor).toBe(second.headers['export-cursor']);

    // Importing the same file again changes nothing.
    const again = await importFile(target, first.body, importer);
    expect(again.json()).toMatchObject({ created: { entities: 0, sources: 0, claims: 0 }, unchanged: { claims: counts.claim } });
    expect((await target.app.inject('/v1/export?records=all&includeRetracted=true')).headers['export-cursor']).toBe(second.headers['export-cursor']);
  });

  it('rejects the whole file with every bad line, its number and JSON pointers; nothing is written', async () => {
    const ctx = await createTestApp({ seed: false });
    const key = createKey(ctx.store, { name: 'desk' });
    // Line 1 is the header, so the record lines are 2 to 8.
    const file = [
      JSON.stringify({ type: 'entity', record: { id: 'acme', name: 'Acme', type: 'organization' } }),
      '{not json',
      JSON.stringify({ type: 'source', record: { id: 'doc', type: 'web_page', title: '' , evidence: 'original' } }),
      '',
      JSON.stringify({ type: 'claim', record: { id: 'c1', statement: 'S', kind: 'quote', subjects: [{ id: 'acme' }], citations: [{ source: { id: 'doc' }, role: 'primary', stance: 'states' }], assessment: { verdict: 'unassessed' }, revision: 3 } }),
      JSON.stringify({ type: 'planet', record: {} }),
      JSON.stringify({ type: 'entity', record: { id: 'acme', name: 'Acme again', type: 'organization' } }),
    ];
    const res = await importFile(ctx, wholeFile(file), key);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    const body = res.json() as { code: string; errors: { in: string; pointer: string; detail: string }[] };
    expect(body.code).toBe('invalid-request');
    const pointers = body.errors.map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/3', '/4/record/title', '/6/record/revision', '/7/type', '/8/record/id']));
    expect(pointers.every((p) => /^\/[3-8](\/|$)/.test(p))).toBe(true);
    for (const e of body.errors) expect(e.detail).toMatch(/^Line \d+: /);
    expect(ctx.store.revisions.lastSeq()).toBe(0);
    expect(ctx.store.entities.exists('acme')).toBe(false);
  });

  it('422 for references to records neither in the file nor in the database; 409 for ids taken by other content', async () => {
    const ctx = await createTestApp();
    const key = createKey(ctx.store, { name: 'desk' });
    const claim = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ type: 'claim', record: { id, statement: 'S', kind: 'quote', subjects: [{ id: 'deepseek' }], citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states' }], assessment: { verdict: 'unassessed' }, ...extra } });
    const before = ctx.store.revisions.lastSeq();
    const refs = await importFile(ctx, wholeFile([claim('n1', { subjects: [{ id: 'nobody' }] }), claim('n2', { relations: [{ type: 'supports', claim: { id: 'n1' } }, { type: 'supports', claim: { id: 'ghost' } }] })]), key);
    expect(refs.statusCode, refs.body).toBe(422);
    expect((refs.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual(['/2/record/subjects/0/id', '/3/record/relations/1/claim/id']);

    const taken = await importFile(ctx, wholeFile([claim('n3'), JSON.stringify({ type: 'entity', record: { id: 'deepseek', name: 'Someone else', type: 'organization' } })]), key);
    expect(taken.statusCode, taken.body).toBe(409);
    expect((taken.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual(['/3/record/id']);
    expect(ctx.store.revisions.lastSeq()).toBe(before);
    expect(ctx.store.claims.exists('n3')).toBe(false);
  });

  it('writes claims after the claims they relate to, and relations that form a cycle as a second revision', async () => {
    const ctx = await createTestApp();
    const key = createKey(ctx.store, { name: 'desk' });
    const claim = (id: string, to: string) =>
      JSON.stringify({ type: 'claim', record: { id, statement: `Claim ${id}`, kind: 'quote', subjects: [{ id: 'deepseek' }], citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states' }], assessment: { verdict: 'unassessed' }, relations: [{ type: 'contradicts', claim: { id: to } }] } });
    const res = await importFile(ctx, wholeFile([claim('cyc-a', 'cyc-b'), claim('cyc-b', 'cyc-c'), claim('cyc-c', 'cyc-a'), claim('chain-1', 'cyc-a')]), key);
    expect(res.statusCode, res.body).toBe(200);
    // Every claim holds exactly the relations its line gave; the cycle was closed by a second revision.
    const exported = lines((await ctx.app.inject('/v1/export')).body).filter((l) => l.type === 'claim' && ['cyc-a', 'cyc-b', 'cyc-c', 'chain-1'].includes((l.record as { id: string }).id));
    expect(exported.map((l) => [(l.record as { id: string }).id, (l.record as { relations: { claim: { id: string } }[] }).relations.map((r) => r.claim.id)])).toEqual([
      ['chain-1', ['cyc-a']],
      ['cyc-a', ['cyc-b']],
      ['cyc-b', ['cyc-c']],
      ['cyc-c', ['cyc-a']],
    ]);
    expect(['cyc-a', 'cyc-b', 'cyc-c'].map((id) => ctx.store.claims.get(id)!.revision).sort()).toEqual([1, 1, 2]);
  });

  it('dryRun checks and writes nothing', async () => {
    const source = await createTestApp();
    const file = (await source.app.inject('/v1/export?records=all')).body;
    const ctx = await createTestApp({ seed: false });
    const key = createKey(ctx.store, { name: 'desk' });
    const res = await importFile(ctx, file, key, 'reason=Try&dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, created: { claims: expect.any(Number) } });
    expect(res.json().created.claims).toBeGreaterThan(10);
    expect(ctx.store.revisions.lastSeq()).toBe(0);
    expect(ctx.store.isEmpty()).toBe(true);
  });

  it('needs an editor key, a reason and NDJSON; retracted claims need an admin key', async () => {
    const source = await createTestApp();
    const admin = createKey(source.store, { name: 'chief', scope: 'admin' });
    await retract(source, admin, 'deepseek-r1-mit-licence', 'deepseek-v3-training-cost');
    const file = (await source.app.inject('/v1/export?records=all&includeRetracted=true')).body;
    const ctx = await createTestApp({ seed: false });
    const editor = createKey(ctx.store, { name: 'desk' });
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/import?reason=x', headers: { 'content-type': NDJSON }, payload: file })).statusCode).toBe(401);
    expect((await importFile(ctx, file, editor, 'dryRun=true')).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/import?reason=x', headers: { ...bearer(editor), 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(415);
    const forbidden = await importFile(ctx, file, editor);
    expect(forbidden.statusCode, forbidden.body).toBe(403);
    expect((forbidden.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual([expect.stringMatching(/^\/\d+\/retraction$/)]);
    expect(ctx.store.isEmpty()).toBe(true);
  });

  it('accepts bodies far above the 1 MiB every other route keeps', async () => {
    const ctx = await createTestApp({ seed: false });
    const key = createKey(ctx.store, { name: 'desk' });
    const description = 'd'.repeat(900);
    const file = wholeFile(Array.from({ length: 2000 }, (_, i) => JSON.stringify({ type: 'entity', record: { id: `big-${i}`, name: `Big ${i}`, type: 'organization', description } })));
    expect(file.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const res = await importFile(ctx, file, key);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json().created.entities).toBe(2000);
    const elsewhere = await ctx.app.inject({ method: 'POST', url: '/v1/entities', headers: { ...bearer(key), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x', type: 'organization', reason: 'x', pad: file }) });
    expect(elsewhere.statusCode).toBe(413);
  });
});

describe('POST /v1/import: whole files only, and a bounded answer for a bad one', () => {
  /** What an import could change: the change feed's position and every record (the export less its header). */
  const snapshot = async (ctx: Ctx) => ({
    seq: ctx.store.revisions.lastSeq(),
    records: records((await ctx.app.inject('/v1/export?records=all&includeRetracted=true')).body),
  });
  type Problem = { code: string; detail: string; errors: { in: string; pointer: string; detail: string }[] };
  async function expectRefused(ctx: Ctx, res: Awaited<ReturnType<typeof importFile>>, detail: RegExp, before: Awaited<ReturnType<typeof snapshot>>) {
    expect(res.statusCode, res.body.slice(0, 500)).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    const body = res.json() as Problem;
    expect(body.code).toBe('invalid-request');
    expect(body.detail).toMatch(/nothing was written/);
    expect(body.detail).toMatch(detail);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(await snapshot(ctx)).toEqual(before);
    return body;
  }

  /** A real export of three entities the seed does not hold, and a seeded database to import it into. */
  async function exportAndTarget() {
    const source = await createTestApp({ seed: false });
    source.store.write.batch(() => {
      for (const id of ['whole-a', 'whole-b', 'whole-c'])
        source.store.write.createEntity({ id, name: `Entity ${id}`, type: 'organization', aliases: [], description: null, wikidataId: null, homepage: null }, { author: 'test', reason: 'fixture' });
    });
    const file = (await source.app.inject('/v1/export?records=entities')).body;
    const target = await createTestApp();
    return { file, lines: file.split('\n').filter((l) => l !== ''), target, key: createKey(target.store, { name: 'desk' }) };
  }

  // Each file below is the good export of three entities, reframed: header line 1, records 2-4, trailer line 5.
  type Parts = { file: string; header: string; rest: string[]; trailer: string };
  const framing: [string, (p: Parts) => string, RegExp, string][] = [
    ['no trailer', (p) => [p.header, ...p.rest].join('\n'), /The file ends without its trailer line \{"type":"end","count":N\} after line 4: it was cut short/, ''],
    ['cut at a line break', (p) => `${[p.header, ...p.rest.slice(0, 2)].join('\n')}\n`, /ends without its trailer line .*: it was cut short/, ''],
    ['cut inside a line', (p) => p.file.slice(0, p.file.indexOf(p.rest[2]!) + 20), /ends without its trailer line .*: it was cut short/, ''],
    ['no header', (p) => [...p.rest, p.trailer].join('\n'), /Line 1: the file does not start with the export header/, '/1'],
    ['a record lost', (p) => [p.header, p.rest[0], p.rest[2], p.trailer].join('\n'), /Line 4: the trailer says 3 records, the file has 2/, '/4/count'],
    ['a record added', (p) => [p.header, ...p.rest, JSON.stringify({ type: 'entity', record: { id: 'whole-d', name: 'D', type: 'organization' } }), p.trailer].join('\n'), /the trailer says 3 records, the file has 4/, '/6/count'],
    ['a count that is not a number', (p) => [p.header, ...p.rest, '{"type":"end","count":"3"}'].join('\n'), /Line 5: /, '/5/count'],
    ['two files joined', (p) => `${p.file}${p.file}`, /Line 6: the file goes on after its trailer line \(line 5\)/, '/6'],
  ];
  it.each(framing)('refuses a file that is not whole (%s): 400, and nothing changes', async (_name, reframe, detail, pointer) => {
    const { file, lines: [header, ...rest], target, key } = await exportAndTarget();
    const trailer = rest.pop()!;
    expect(JSON.parse(trailer)).toEqual({ type: 'end', count: 3 });
    // The whole file is good: the refusal is for its framing alone.
    expect((await importFile(target, file, key, 'reason=Check&dryRun=true')).statusCode).toBe(200);
    const before = await snapshot(target);
    const problem = await expectRefused(target, await importFile(target, reframe({ file, header: header!, rest, trailer }), key), detail, before);
    expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
  });

  it('reads a file that starts with a byte order mark, as a Windows editor saves it; only one, only at the start', async () => {
    const { file, target, key } = await exportAndTarget();
    const withBom = await importFile(target, `\uFEFF${file}`, key, 'reason=Check&dryRun=true');
    expect(withBom.statusCode, withBom.body.slice(0, 500)).toBe(200);
    expect(withBom.json().created.entities).toBe(3);
    const before = await snapshot(target);
    await expectRefused(target, await importFile(target, '\uFEFF', key), /The file is empty/, before);
    // A second mark is text, not a mark: line 1 is then not the header.
    await expectRefused(target, await importFile(target, `\uFEFF\uFEFF${file}`, key), /Line 1: the file does not start with the export header/, before);
    expect((await importFile(target, `\uFEFF${file}`, key)).json().created.entities).toBe(3);
  });

  it('refuses an empty or blank body (400); nothing changes', async () => {
    const { target, key } = await exportAndTarget();
    const before = await snapshot(target);
    for (const body of ['', '\n', ' \r\n\t\n\n']) {
      const problem = await expectRefused(target, await importFile(target, body, key), /The file is empty/, before);
      expect(problem.errors).toEqual([{ in: 'body', pointer: '', detail: expect.stringMatching(/^The file is empty/) }]);
    }
  });

  it(`answers 200,000 bad lines with at most ${MAX_PROBLEMS} problems in a small body, saying the list was cut; nothing changes`, async () => {
    const ctx = await createTestApp();
    const key = createKey(ctx.store, { name: 'desk' });
    const before = await snapshot(ctx);
    const files = [
      'x\n'.repeat(200_000),
      // Valid JSON, each line with several shape problems: zod's issues are capped too.
      wholeFile(Array.from({ length: 200_000 }, () => '{"type":"entity","record":{"name":1,"type":"planet","extra":true}}')),
    ];
    for (const file of files) {
      const res = await importFile(ctx, file, key);
      expect(res.body.length).toBeLessThan(100_000);
      const problem = await expectRefused(ctx, res, new RegExp(`more than ${MAX_PROBLEMS} problems \\(the first ${MAX_PROBLEMS} are listed; checking stopped there\\)`), before);
      expect(problem.errors).toHaveLength(MAX_PROBLEMS);
      // The first problems of the file, in line order.
      const numbers = problem.errors.map((e) => Number(e.pointer.split('/')[1]));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(Math.max(...numbers)).toBeLessThanOrEqual(MAX_PROBLEMS + 1);
    }
  });

  it('caps the problems found after the shape checks too, and lists every one under the cap', async () => {
    const ctx = await createTestApp();
    const key = createKey(ctx.store, { name: 'desk' });
    const before = ctx.store.revisions.lastSeq();
    const claim = (i: number) =>
      JSON.stringify({ type: 'claim', record: { id: `orphan-${i}`, statement: `Claim ${i}`, kind: 'quote', subjects: [{ id: `nobody-${i}` }], citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states' }], assessment: { verdict: 'unassessed' } } });
    const many = await importFile(ctx, wholeFile(Array.from({ length: 5_000 }, (_, i) => claim(i))), key);
    expect(many.statusCode, many.body.slice(0, 300)).toBe(422);
    expect(many.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(many.body.length).toBeLessThan(100_000);
    const cut = many.json() as Problem;
    expect(cut.errors).toHaveLength(MAX_PROBLEMS);
    expect(cut.detail).toMatch(new RegExp(`^The import has more than ${MAX_PROBLEMS} problems`));

    const few = (await importFile(ctx, wholeFile(Array.from({ length: 5 }, (_, i) => claim(i))), key)).json() as Problem;
    expect(few.errors.map((e) => e.pointer)).toEqual([2, 3, 4, 5, 6].map((n) => `/${n}/record/subjects/0/id`));
    expect(few.detail).toMatch(/^5 lines of the import are invalid; nothing was written\. Line 2: no entity has id "nobody-0"/);
    expect(ctx.store.revisions.lastSeq()).toBe(before);
  });
});

describe('npm run export / npm run import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claims-api-exchange-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = (store: ReturnType<typeof createTestStore>['store']) => {
    const out: string[] = [];
    const err: string[] = [];
    let stdout = '';
    return {
      out,
      err,
      stdoutText: () => stdout,
      io: { store, out: (l: string) => out.push(l), err: (l: string) => err.push(l), stdout: new Writable({ write: (c: Buffer, _e, done) => ((stdout += c.toString()), done()) }) },
    };
  };

  it('exports to a file and imports it into an empty database, as the API does', async () => {
    const from = createTestStore();
    const file = join(dir, 'all.ndjson');
    const a = io(from.store);
    expect(await runExport(['--records', 'all', '--includeRetracted', 'true', '--out', file], a.io)).toBe(0);
    expect(a.err.join('\n')).toMatch(/change-feed cursor \S+/);
    // The same file with a byte order mark, as a Windows editor saves it, reads the same.
    const withBom = join(dir, 'all-bom.ndjson');
    writeFileSync(withBom, `\uFEFF${readFileSync(file, 'utf8')}`);
    const bom = io(createTestStore({ seed: false }).store);
    expect(runImport([withBom, '--reason', 'Restore', '--dry-run'], bom.io), bom.err.join('\n')).toBe(0);

    const to = createTestStore({ seed: false });
    const dry = io(to.store);
    expect(runImport([file, '--reason', 'Restore', '--dry-run'], dry.io)).toBe(0);
    expect(JSON.parse(dry.out[0]!)).toMatchObject({ dryRun: true });
    expect(to.store.isEmpty()).toBe(true);
    const b = io(to.store);
    expect(runImport([file, '--reason', 'Restore', '--author', 'ops'], b.io)).toBe(0);
    expect(JSON.parse(b.out[0]!).created.claims).toBeGreaterThan(10);

    const c = io(to.store);
    expect(await runExport(['--records=all', '--includeRetracted=true'], c.io)).toBe(0);
    expect(records(c.stdoutText())).toBe(records(readFileSync(file, 'utf8')));
  });

  it('filters and CSV on the command line; usage errors exit 2, bad files 1 with every line', async () => {
    const { store } = createTestStore();
    const a = io(store);
    expect(await runExport(['--format', 'csv', '--kind', 'market_value_change'], a.io)).toBe(0);
    expect(a.stdoutText().split('\r\n')[0]).toMatch(/^id,statement,/);
    expect(await runExport(['--valueMin', '5'], io(store).io)).toBe(2);
    expect(runImport(['nothing.ndjson'], io(store).io)).toBe(2);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"type":"entity","record":{}}\n{oops\n');
    const b = io(store);
    expect(runImport([bad, '--reason', 'x'], b.io)).toBe(1);
    expect(b.err.join('\n')).toMatch(/line 1 \/record\/name: /);
    expect(b.err.join('\n')).toMatch(/line 2: not JSON/);
    expect(b.err.join('\n')).not.toMatch(/Line \d+:/);
  });

  it('refuses a file cut short and bounds what a bad file prints, as the API does; nothing changes', async () => {
    const { store } = createTestStore();
    const whole = join(dir, 'entities.ndjson');
    expect(await runExport(['--records', 'entities', '--out', whole], io(store).io)).toBe(0);
    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, readFileSync(whole, 'utf8').split('\n').slice(0, 3).join('\n'));
    const to = createTestStore({ seed: false });
    const a = io(to.store);
    expect(runImport([cut, '--reason', 'x'], a.io)).toBe(1);
    // The summary, then each problem once (the API's detail repeats the first problem after the summary).
    expect(a.err[0]).toBe('invalid-request: The import is not a whole export file; nothing was written.');
    expect(a.err[1]).toMatch(/^ {2}file: The file ends without its trailer line .*: it was cut short/);

    const bad = join(dir, 'many-bad.ndjson');
    writeFileSync(bad, 'x\n'.repeat(200_000));
    const b = io(to.store);
    expect(runImport([bad, '--reason', 'x'], b.io)).toBe(1);
    expect(b.err[0]).toMatch(new RegExp(`more than ${MAX_PROBLEMS} problems`));
    expect(b.err).toHaveLength(1 + MAX_PROBLEMS);
    expect(b.err.join('\n').length).toBeLessThan(100_000);
    expect(to.store.isEmpty()).toBe(true);
    expect(to.store.revisions.lastSeq()).toBe(0);
  });
});

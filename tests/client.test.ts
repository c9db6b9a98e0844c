// The typed client an integrator would write: types generated from openapi/openapi.json by openapi-typescript
// (clients/typescript/schema.d.ts, `npm run client:types`), calls made with openapi-fetch, against the real server
// process (the production bundle) over HTTP. If the document and the server disagree, this fails to compile or
// fails here.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../clients/typescript/schema.js';
import { createApiKeysRepository } from '../src/auth/api-keys.repository.js';
import { generateKey, hashKey } from '../src/auth/api-keys.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-api-client-'));
// Its own bundle, so that it never reads one another test file is rewriting (scripts/build.mjs).
const BUNDLE = join('dist', 'client-test', 'server.mjs');
let child: ChildProcess;
let baseUrl: string;
let editorKey: string;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--outfile', BUNDLE], { stdio: 'inherit' });
  const databasePath = join(dir, 'claims.db');
  // The key is made against the database file before the server starts, as `npm run keys -- create` does.
  const db = openDatabase(databasePath);
  migrate(db);
  editorKey = generateKey();
  createApiKeysRepository(db).create({ name: 'integrator', scope: 'editor', keyHash: hashKey(editorKey), createdAt: new Date().toISOString(), expiresAt: null });
  db.close();

  child = spawn(process.execPath, [BUNDLE], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_PATH: databasePath, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${buffer}${output.join('')}`)));
  });
  baseUrl = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a client generated from the OpenAPI document', () => {
  it('lists, gets, creates, replaces with If-Match and follows the change feed', async () => {
    const reader = createClient<paths>({ baseUrl });
    const writer = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${editorKey}` } });

    // List: typed query parameters and a typed page.
    const list = await reader.GET('/v1/claims', { params: { query: { kind: 'market_value_change', limit: 5 } } });
    expect(list.response.status).toBe(200);
    expect(list.data!.items.length).toBeGreaterThan(0);
    for (const item of list.data!.items) expect(item.kind).toBe('market_value_change');

    // Get: one claim in full, with its ETag.
    const got = await reader.GET('/v1/claims/{id}', { params: { path: { id: 'deepseek-v3-training-cost' } } });
    // The operation also documents text/html and JSON-LD; without an Accept header the answer is JSON.
    if (typeof got.data !== 'object' || !('statement' in got.data)) throw new Error(`expected JSON, got ${got.response.headers.get('content-type')}`);
    expect(got.data.value).toMatchObject({ amount: '5576000', unit: 'USD' });
    expect(got.response.headers.get('etag')).toMatch(/^"/);

    // Where the feed stands before our writes: follow nextCursor until a page comes back empty.
    let cursor: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await reader.GET('/v1/changes', { params: { query: { limit: 100, ...(cursor ? { after: cursor } : {}) } } });
      expect(page.response.status, JSON.stringify(page.error)).toBe(200);
      cursor = page.data!.nextCursor ?? undefined;
      if (page.data!.items.length === 0) break;
    }

    // Create: the typed write body, with its required reason.
    const created = await writer.POST('/v1/claims', {
      body: {
        id: 'client-made-claim',
        statement: 'A claim made through the generated client.',
        kind: 'quote',
        subjects: [{ id: 'deepseek' }],
        citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states', quote: 'Quoted words.' }],
        assessment: { verdict: 'unassessed' },
        reason: 'Integration test of the typed client',
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    expect(created.data!.revision).toBe(1);
    const etag = created.response.headers.get('etag')!;

    // Replace: PUT the whole record with If-Match (ADR 0003: PUT, not PATCH).
    const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, retraction: _x, links: _l, supersedes: _s, ...rest } = created.data!;
    const body = {
      ...rest,
      statement: 'A claim made, then reworded, through the generated client.',
      subjects: rest.subjects.map((s) => ({ id: s.id })),
      claimant: null,
      citations: rest.citations.map((c) => ({ ...c, source: { id: c.source.id } })),
      relations: [],
      reason: 'Reworded',
    };
    const stale = await writer.PUT('/v1/claims/{id}', { params: { path: { id: 'client-made-claim' }, header: { 'if-match': '"stale"' } }, body });
    expect(stale.response.status).toBe(412);
    expect(stale.error).toMatchObject({ code: 'precondition-failed' });
    const replaced = await writer.PUT('/v1/claims/{id}', { params: { path: { id: 'client-made-claim' }, header: { 'if-match': etag } }, body });
    expect(replaced.response.status, JSON.stringify(replaced.error)).toBe(200);
    expect(replaced.data).toMatchObject({ revision: 2, statement: 'A claim made, then reworded, through the generated client.' });

    // The change feed: our two revisions, in order, after where it stood.
    const changes = await reader.GET('/v1/changes', { params: { query: { after: cursor! } } });
    expect(changes.data!.items.map((c) => [c.id, c.revision, c.action, c.author])).toEqual([
      ['client-made-claim', 1, 'create', 'integrator'],
      ['client-made-claim', 2, 'update', 'integrator'],
    ]);

    // Errors are typed problem details.
    const missing = await reader.GET('/v1/claims/{id}', { params: { path: { id: 'no-such-claim' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'claim-not-found' });
  });

  it('exports and imports through the same client (NDJSON as text)', async () => {
    const reader = createClient<paths>({ baseUrl });
    const writer = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${editorKey}` } });
    const exported = await reader.GET('/v1/export', { params: { query: { records: 'all' } }, parseAs: 'text' });
    expect(exported.response.status).toBe(200);
    expect(exported.response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = exported.data as unknown as string;
    expect(text.split('\n')[0]).toContain('"type":"export"');

    // Everything in the file is already there: the import checks every line and changes nothing.
    const imported = await writer.POST('/v1/import', {
      params: { query: { reason: 'Re-import of our own export', dryRun: 'true' } },
      body: text,
      bodySerializer: (b: string) => b,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(imported.response.status, JSON.stringify(imported.error)).toBe(200);
    expect(imported.data).toMatchObject({ dryRun: true, created: { entities: 0, sources: 0, claims: 0 } });
    expect(imported.data!.unchanged.claims).toBeGreaterThan(10);
  });
});

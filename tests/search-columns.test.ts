// Search filters and facet counts read kind, verdict, unit, year, claimant, subjects and retraction from columns kept
// in memory (src/search/doc-columns.ts). They must follow every write at once: the service's own, and another
// process's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/open.js';
import { migrate } from '../src/db/migrate.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';
import { bearer, createKey, createTestApp, newClaimBody, TEST_LIMITS, toReplaceBody } from './helpers.js';

type Page = { items: { id: string }[]; facets?: Record<string, { value: string; count: number }[]> };

describe('search columns', () => {
  it('follow a new claim and a change of kind at once', async () => {
    const { app, store } = await createTestApp();
    const key = createKey(store, { name: 'columns', scope: 'editor' });
    const search = async (qs: string) => (await app.inject(`/v1/claims?q=quokkaword&${qs}`)).json() as Page;
    // The first search loads the columns; the write after it must still be seen.
    expect((await search('kind=quote')).items).toEqual([]);
    const created = await app.inject({
      method: 'POST', url: '/v1/claims', headers: bearer(key),
      payload: newClaimBody({ id: 'quokka-claim', statement: 'A quokkaword claim.', kind: 'quote' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await search('kind=quote&facets=kind,verdict')).items.map((i) => i.id)).toEqual(['quokka-claim']);
    expect((await search('kind=quote&facets=kind,verdict')).facets).toEqual({
      kind: [{ value: 'quote', label: null, count: 1 }],
      verdict: [{ value: 'unassessed', label: null, count: 1 }],
    });

    const claim = (await app.inject('/v1/claims/quokka-claim')).json();
    const replaced = await app.inject({
      method: 'PUT', url: '/v1/claims/quokka-claim', headers: { ...bearer(key), 'if-match': created.headers.etag as string },
      payload: { ...toReplaceBody(claim, 'Reclassified in a test'), kind: 'forecast' },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect((await search('kind=quote')).items).toEqual([]);
    expect((await search('kind=forecast&facets=kind')).items.map((i) => i.id)).toEqual(['quokka-claim']);
    expect((await search('facets=kind')).facets).toEqual({ kind: [{ value: 'forecast', label: null, count: 1 }] });
    await app.close();
  });

  it('follow a change of subjects and a retraction at once, with and without a search', async () => {
    const { app, store } = await createTestApp();
    const editor = createKey(store, { name: 'subjects', scope: 'editor' });
    const admin = createKey(store, { name: 'subjects-admin', scope: 'admin' });
    const subjectCount = async (qs: string, subject: string) =>
      ((await app.inject(`/v1/claims?${qs}facets=subject&limit=1`)).json() as Page).facets!.subject!.find((f) => f.value === subject)?.count ?? 0;
    const listed = async (qs: string) => ((await app.inject(`/v1/claims?${qs}limit=100`)).json() as Page).items.map((i) => i.id);
    const before = { all: await subjectCount('', 'nvidia'), search: await subjectCount('q=numbatword&', 'nvidia') };

    const created = await app.inject({
      method: 'POST', url: '/v1/claims', headers: bearer(editor),
      payload: newClaimBody({ id: 'numbat-claim', statement: 'A numbatword claim.', subjects: [{ id: 'deepseek' }] }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const claim = (await app.inject('/v1/claims/numbat-claim')).json();
    const replaced = await app.inject({
      method: 'PUT', url: '/v1/claims/numbat-claim', headers: { ...bearer(editor), 'if-match': created.headers.etag as string },
      payload: { ...toReplaceBody(claim, 'About Nvidia, not DeepSeek'), subjects: [{ id: 'nvidia' }] },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await subjectCount('', 'nvidia')).toBe(before.all + 1);
    expect(await subjectCount('q=numbatword&', 'nvidia')).toBe(before.search + 1);
    expect(await subjectCount('q=numbatword&', 'deepseek')).toBe(0);
    expect(await listed('q=numbatword&subject=nvidia&')).toEqual(['numbat-claim']);
    expect(await listed('q=numbatword&subject=deepseek&')).toEqual([]);

    const retracted = await app.inject({
      method: 'POST', url: '/v1/claims/numbat-claim/retraction',
      headers: { ...bearer(admin), 'if-match': replaced.headers.etag as string },
      payload: { reason: 'Retracted in a test' },
    });
    expect(retracted.statusCode, retracted.body).toBeLessThan(300);
    expect(await subjectCount('', 'nvidia')).toBe(before.all);
    expect(await subjectCount('includeRetracted=true&', 'nvidia')).toBe(before.all + 1);
    expect(await subjectCount('subject=nvidia&includeRetracted=true&', 'nvidia')).toBe(before.all + 1);
    await app.close();
  });

  it('are read before the service says it is ready, and facets without a search wait for them (503)', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    // A database above the size read at once: its columns are read in the background, one batch per turn.
    const store = createStore(db, { searchColumns: { loadAtOnce: 10, sliceMs: 0 } });
    loadSeed(store);
    const app = await buildApp({ store, limits: TEST_LIMITS });
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.headers['retry-after']).toBe('5');
    const facets = await app.inject('/v1/claims?facets=kind');
    expect(facets.statusCode).toBe(503);
    expect(facets.headers['retry-after']).toBe('5');
    expect(facets.json()).toMatchObject({ code: 'service-unavailable', status: 503 });
    // Searches and lists are served meanwhile, through SQL.
    expect((await app.inject('/v1/claims?q=deepseek&kind=cost_figure&facets=kind')).statusCode).toBe(200);
    expect((await app.inject('/v1/claims?kind=cost_figure')).statusCode).toBe(200);

    for (let i = 0; i < 100 && (await app.inject('/readyz')).statusCode !== 200; i++) await new Promise((r) => setImmediate(r));
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    expect((await app.inject('/v1/claims?facets=kind')).statusCode).toBe(200);
    await app.close();
  });

  it('follow a claim written by another process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claims-columns-'));
    try {
      const path = join(dir, 'claims.db');
      const first = openDatabase(path);
      migrate(first);
      const reader = createStore(first);
      loadSeed(reader);
      const app = await buildApp({ store: reader, limits: TEST_LIMITS });
      const search = async () => ((await app.inject('/v1/claims?q=wallabyword&verdict=unassessed&facets=verdict')).json() as Page);
      expect((await search()).items).toEqual([]);
      // A sidebar without a search, counted (and kept) before the write.
      const unassessed = async () =>
        ((await app.inject('/v1/claims?facets=verdict&limit=1')).json() as Page).facets!.verdict!.find((f) => f.value === 'unassessed')?.count ?? 0;
      const before = await unassessed();
      expect(await unassessed()).toBe(before);

      // Another connection to the same file, as the import CLI would be.
      const second = openDatabase(path);
      const writer = createStore(second);
      const other = await buildApp({ store: writer, limits: TEST_LIMITS });
      const key = createKey(writer, { name: 'other', scope: 'editor' });
      const res = await other.inject({
        method: 'POST', url: '/v1/claims', headers: bearer(key),
        payload: newClaimBody({ id: 'wallaby-claim', statement: 'A wallabyword claim.' }),
      });
      expect(res.statusCode, res.body).toBe(201);

      const page = await search();
      expect(page.items.map((i) => i.id)).toEqual(['wallaby-claim']);
      expect(page.facets).toEqual({ verdict: [{ value: 'unassessed', label: null, count: 1 }] });
      expect(await unassessed()).toBe(before + 1);
      await other.close();
      await app.close();
      second.close();
      first.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


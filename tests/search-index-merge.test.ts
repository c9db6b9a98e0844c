// The full-text index is merged into one segment in short steps between requests (src/search/index-merge.ts). A
// merge must change no match and no score, must let writes in between its steps and keep them, and must never wait
// for another process's write lock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/open.js';
import { createIndexMerge, mergeInBackground, type MergeOutcome } from '../src/search/index-merge.js';
import { parseSearchQuery } from '../src/search/search-query.js';
import { growIndexByWrites } from './helpers.js';

describe('merging the search index', () => {
  const db = openDatabase(':memory:');
  const { store, index, ids } = growIndexByWrites(db);
  const merger = createIndexMerge(db);
  db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'claims_fts', 'row')");
  const vocab = db.prepare<[number, number], string>('SELECT term FROM temp.vocab WHERE doc BETWEEN ? AND ? ORDER BY doc DESC LIMIT 3').pluck();
  // Rare, middling and common words, a phrase and a prefix.
  const words = [...vocab.all(1, 3), ...vocab.all(20, 200), ...vocab.all(500, 1200)];
  const queries = [...words, `"${words[6]} ${words[7]}"`, `${words[3]!.slice(0, 3)}*`, `${words[0]} OR ${words[4]}`];
  const scores = db.prepare<[string], [number, number]>(
    'SELECT rowid, bm25(claims_fts, 10.0, 1.0, 0.0) FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid',
  ).raw();
  const match = (q: string) => parseSearchQuery(q).match;
  const answers = () => queries.map((q) => ({ q, scores: scores.all(match(q)), page: found(q) }));
  const found = (q: string) =>
    store.claims.find({ filters: {}, query: parseSearchQuery(q), sort: 'relevance', cursor: null, limit: 50 } as never).items.map((c: { id: string }) => c.id);

  it('finds an index grown by writes in several segments, and wants it merged', () => {
    expect(merger.segments().length).toBeGreaterThan(2);
    expect(merger.needed()).toBe(true);
  });

  it('merges it into one segment in small steps, with writes between them, changing no match and no score', () => {
    const before = answers();
    expect(words).toHaveLength(9);
    for (const { q, scores: hits } of before) expect(hits.length, q).toBeGreaterThan(0);
    // Claims rewritten between steps: each is found by its new words at once, and still is after the merge.
    const edit = db.prepare("UPDATE claims SET statement = statement || ' mergeword' || ? WHERE id = ?");
    const edited: string[] = [];
    let steps = 0;
    while (merger.step(4)) {
      if (++steps % 5 === 0 && edited.length < 10) {
        const id = ids[600 + edited.length]!;
        db.transaction(() => {
          edit.run(String(edited.length), id);
          index.indexClaim(id);
        })();
        expect(found(`mergeword${edited.length}`)).toEqual([id]);
        edited.push(id);
      }
    }
    expect(steps).toBeGreaterThan(10); // it did go step by step
    expect(edited).toHaveLength(10);
    expect(merger.segments()).toHaveLength(1);
    expect(merger.needed()).toBe(false);
    edited.forEach((id, n) => expect(found(`mergeword${n}`)).toEqual([id]));
    // FTS5's own check of the index against the documents it holds.
    expect(() => db.exec("INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    // The edits moved the scores (a claim's length, the average length), so they are undone before comparing.
    const undo = db.prepare("UPDATE claims SET statement = substr(statement, 1, length(statement) - length(' mergeword' || ?)) WHERE id = ?");
    edited.forEach((id, n) => db.transaction(() => (undo.run(String(n), id), index.indexClaim(id)))());
    while (merger.step()) {
      // the undo's own segments
    }
    expect(answers()).toEqual(before);
  });

  it('does nothing to an index already in one segment', () => {
    const structure = () => db.prepare('SELECT block FROM claims_fts_data WHERE id = 10').pluck().get();
    const was = structure();
    expect(merger.needed()).toBe(false);
    expect(merger.step()).toBe(false);
    expect(structure()).toEqual(was);
  });
});

describe('merging in the background', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claims-api-merge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (db: Db) =>
    new Promise<{ outcome: MergeOutcome | null; err: unknown; between: number }>((resolve) => {
      // Counts the turns of the event loop the merge left to others (requests) before it finished.
      let between = 0;
      const tick = () => {
        between++;
        timer = setImmediate(tick);
      };
      let timer = setImmediate(tick);
      mergeInBackground(db, createIndexMerge(db), (outcome, err) => {
        clearImmediate(timer);
        resolve({ outcome, err, between });
      }, { sliceMs: 0 });
    });

  it('merges in slices between other work, then finds nothing to do', async () => {
    const db = openDatabase(join(dir, 'slices.db'));
    growIndexByWrites(db);
    const first = await run(db);
    expect(first.err).toBeUndefined();
    expect(first.outcome).toMatchObject({ segmentsAfter: 1 });
    expect(first.outcome!.segmentsBefore).toBeGreaterThan(2);
    // One step per slice (sliceMs 0), each followed by a turn for others: a longer slice could finish this small
    // index in one go on a fast machine.
    expect(first.outcome!.steps).toBeGreaterThan(2);
    expect(first.between).toBeGreaterThanOrEqual(first.outcome!.steps - 1);
    expect(await run(db)).toEqual({ outcome: null, err: undefined, between: 0 });
    db.close();
  });

  it('stops at once when another process holds the write lock, and takes the merge up again later', async () => {
    const db = openDatabase(join(dir, 'busy.db'));
    growIndexByWrites(db);
    const other = new Database(join(dir, 'busy.db'));
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const blocked = await run(db);
    expect(performance.now() - started).toBeLessThan(1000); // not the 5 s busy_timeout
    expect((blocked.err as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.exec('ROLLBACK');
    other.close();
    expect((await run(db)).outcome).toMatchObject({ segmentsAfter: 1 });
    db.close();
  });
});

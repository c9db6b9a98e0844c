// The text a claim is indexed by is written twice: in migration 0013 (the last to index existing claims; 0003 and
// 0011 did before it), and in src/search/search-index.ts, on every write. The two must say the same; this test fails
// when one changes alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { createSearchIndex, FIELD_BREAK } from '../src/search/search-index.js';
import { displayText } from '../src/search/search-text.js';
import { migrate } from '../src/db/migrate.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';
import { createTestStore, databaseAsOf } from './helpers.js';

describe('the claim search document', () => {
  it('is the same whether the migration or a write indexed the claim', () => {
    const { db } = createTestStore();
    // The seed was indexed by the write path; one claim retracted too, for its flags.
    const id = db.prepare('SELECT id FROM claims ORDER BY id LIMIT 1').pluck().get() as string;
    db.prepare("UPDATE claims SET retracted_at = '2025-02-01T00:00:00Z', retraction_reason = 'A test' WHERE id = ?").run(id);
    createSearchIndex(db).indexClaim(id);
    const migration = readFileSync(join(MIGRATIONS_DIR, '0013_search_field_breaks.sql'), 'utf8');
    const select = /CREATE TEMP TABLE claims_fts_rows AS\s+(SELECT[\s\S]*?);\s*DROP TABLE claims_fts;/.exec(migration)?.[1];
    expect(select, 'the migration indexes existing claims').toBeDefined();
    db.exec(`CREATE TEMP TABLE from_migration AS ${select}`);
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw().all() as unknown[][];
    expect(rows('temp.from_migration').length).toBeGreaterThan(20);
    expect(rows('(SELECT rowid, statement, body, flags FROM main.claims_fts)')).toEqual(rows('temp.from_migration'));
    expect(rows('temp.from_migration').filter((r) => r[3] === 'retracted')).toHaveLength(1);
  });

  it('keeps the parts beyond the statement apart, with the words as spaces would leave them', () => {
    const { db } = createTestStore();
    const row = db
      .prepare<[], { body: string }>(
        "SELECT body FROM claims_fts WHERE rowid = (SELECT doc_id FROM claims WHERE id = 'broadcom-market-cap-loss-2025-01-27-cnbc')",
      )
      .get()!;
    const parts = row.body.split(FIELD_BREAK);
    const caveats = db.prepare("SELECT text FROM claim_caveats WHERE claim_id = 'broadcom-market-cap-loss-2025-01-27-cnbc'").pluck().all() as string[];
    expect(caveats.length).toBeGreaterThan(1);
    // Each caveat is a part of its own (numbers marked as the index holds them, which displayText undoes).
    for (const caveat of caveats) expect(parts.map(displayText)).toContain(caveat);
    // The break is no word character: the index reads the same words as with spaces between the parts.
    // The index reads the same words at the same positions as with spaces between the parts.
    db.exec("CREATE VIRTUAL TABLE temp.t USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2')");
    db.exec("CREATE VIRTUAL TABLE temp.t_words USING fts5vocab(temp, 't', 'instance')");
    db.prepare('INSERT INTO temp.t (rowid, body) VALUES (1, ?), (2, ?)').run(row.body, row.body.replaceAll(FIELD_BREAK, ' '));
    const words = (doc: number) => db.prepare('SELECT term, offset FROM temp.t_words WHERE doc = ? ORDER BY offset').raw().all(doc);
    expect(words(1).length).toBeGreaterThan(50);
    expect(words(1)).toEqual(words(2));
  });

  it('migration 0013 keeps the parts of claims indexed before apart, every word, rowid, flag and score as it was', () => {
    const db = databaseAsOf('0012_seed_check.sql');
    loadSeed(createStore(db));
    const retracted = db.prepare('SELECT id FROM claims ORDER BY id LIMIT 1').pluck().get() as string;
    db.prepare("UPDATE claims SET retracted_at = '2025-02-01T00:00:00Z', retraction_reason = 'A test' WHERE id = ?").run(retracted);
    createSearchIndex(db).indexClaim(retracted);
    // As the index held the claims before: the parts joined by spaces.
    db.prepare('UPDATE claims_fts SET body = replace(body, ?, ?)').run(FIELD_BREAK, ' ');
    const document = () => db.prepare('SELECT rowid, statement, body, flags FROM claims_fts ORDER BY rowid').raw().all() as unknown[][];
    const scores = (q: string) =>
      db.prepare('SELECT rowid, bm25(claims_fts, 10.0, 1.0, 0.0) FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid').raw().all(q);
    const queries = ['deepseek', 'market', 'nvidia OR broadcom', '"market capitalization"', 'sem*', '{flags} : retracted'];
    const before = { document: document(), scores: queries.map(scores) };
    expect(before.document.every((r) => !String(r[2]).includes(FIELD_BREAK))).toBe(true);

    expect(migrate(db)).toEqual(['0013_search_field_breaks.sql']);
    const after = document();
    expect(after.map((r) => [r[0], r[1], String(r[2]).replaceAll(FIELD_BREAK, ' '), r[3]])).toEqual(before.document);
    expect(after.filter((r) => String(r[2]).includes(FIELD_BREAK)).length).toBe(after.length);
    expect(queries.map(scores)).toEqual(before.scores);
    expect(before.scores[5]).toHaveLength(1);
    // The write path indexes a claim as the migration did.
    const id = 'broadcom-market-cap-loss-2025-01-27-cnbc';
    const row = () => db.prepare('SELECT body FROM claims_fts WHERE rowid = (SELECT doc_id FROM claims WHERE id = ?)').pluck().get(id);
    const migrated = row();
    createSearchIndex(db).indexClaim(id);
    expect(row()).toBe(migrated);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'claims_fts'").pluck().get()).toMatch(/prefix = '3'/);
    expect(db.prepare("SELECT count(*) FROM temp.sqlite_schema WHERE name = 'claims_fts_rows'").pluck().get()).toBe(0);
    db.exec("INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)");
  });
});

// The text a claim is indexed by is written twice: in migrations 0003 and 0011 (numbers marked), for the claims that
// existed then, and in src/search/search-index.ts, on every write. The two must say the same; this test fails when
// one changes alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { createSearchIndex } from '../src/search/search-index.js';
import { createTestStore } from './helpers.js';

describe('the claim search document', () => {
  it('is the same whether the migration or a write indexed the claim', () => {
    const { db } = createTestStore();
    // The seed was indexed by the write path; one claim retracted too, for its flags.
    const id = db.prepare('SELECT id FROM claims ORDER BY id LIMIT 1').pluck().get() as string;
    db.prepare("UPDATE claims SET retracted_at = '2025-02-01T00:00:00Z', retraction_reason = 'A test' WHERE id = ?").run(id);
    createSearchIndex(db).indexClaim(id);
    const migration = readFileSync(join(MIGRATIONS_DIR, '0003_search.sql'), 'utf8');
    const insert = /INSERT INTO claims_fts \(rowid, statement, body, flags\)\s+(SELECT[\s\S]*?FROM claims c);/.exec(migration)?.[1];
    expect(insert, 'the migration indexes existing claims').toBeDefined();
    db.exec("CREATE VIRTUAL TABLE temp.from_migration USING fts5 (statement, body, flags, tokenize = 'unicode61 remove_diacritics 2')");
    db.exec(`INSERT INTO temp.from_migration (rowid, statement, body, flags) ${insert}`);
    // Migration 0011 then marked the numbers of what 0003 indexed.
    const marking = readFileSync(join(MIGRATIONS_DIR, '0011_search_numbers.sql'), 'utf8').replace(/^--.*$/gm, '');
    expect(marking).toContain('UPDATE claims_fts');
    db.exec(marking.replace('UPDATE claims_fts', 'UPDATE temp.from_migration'));
    const rows = (table: string) => db.prepare(`SELECT rowid, statement, body, flags FROM ${table} ORDER BY rowid`).raw().all();
    expect(rows('temp.from_migration').length).toBeGreaterThan(20);
    expect(rows('main.claims_fts')).toEqual(rows('temp.from_migration'));
    expect(rows('main.claims_fts').filter((r) => (r as unknown[])[3] === 'retracted')).toHaveLength(1);
  });
});

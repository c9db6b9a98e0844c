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
    // Migration 0011 then indexed again what 0003 had, its numbers marked.
    const marking = /CREATE TEMP TABLE claims_fts_rows AS\s+(SELECT [\s\S]*?) FROM claims_fts;/.exec(
      readFileSync(join(MIGRATIONS_DIR, '0011_search_numbers.sql'), 'utf8'),
    )?.[1];
    expect(marking, 'migration 0011 marks the indexed text').toBeDefined();
    db.exec(`CREATE TEMP TABLE marked AS ${marking} FROM temp.from_migration`);
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw().all();
    expect(rows('temp.marked').length).toBeGreaterThan(20);
    expect(rows('(SELECT rowid, statement, body, flags FROM main.claims_fts)')).toEqual(rows('temp.marked'));
    expect(rows('temp.marked').filter((r) => (r as unknown[])[3] === 'retracted')).toHaveLength(1);
  });
});

// Migration 0009 rebuilds claims_fts with a prefix index (FTS5 prefix = '3'), so that a 3-character prefix is one
// posting list instead of a merge of every word it covers. Checked: every search row keeps its rowid (claims.doc_id)
// and content, prefix and word searches find what they found before, and the index is there.
import { describe, expect, it } from 'vitest';
import { databaseAsOf, migrateThrough } from './helpers.js';

describe('the prefix index of claims_fts (migration 0009)', () => {
  it('keeps every search row and answer of an existing database', () => {
    const db = databaseAsOf('0008_entities_doc_id.sql');
    const row = db.prepare('INSERT INTO claims_fts (rowid, statement, body, flags) VALUES (?, ?, ?, ?)');
    row.run(3, 'Zenith Labs trained its model for $5.576M', 'Zürich office; zenbex quota', '');
    row.run(17, 'Quantum revenue rose', 'zen garden, zenithal', 'retracted');
    row.run(40, 'Nvidia lost $589B', 'market value; zeno', '');
    const rows = () => db.prepare('SELECT rowid, statement, body, flags FROM claims_fts ORDER BY rowid').all();
    const searches = ['"zen"*', '"zeni"*', '"zenith"', '"zur"*', '"5" "576"*', '"qua"* NOT {flags} : "retracted"', '{statement} : "zen"*'];
    const answers = () => searches.map((q) => db.prepare('SELECT rowid FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid').pluck().all(q));
    const before = { rows: rows(), answers: answers() };
    expect(before.answers[0]).toEqual([3, 17, 40]);

    expect(migrateThrough(db, '0009_search_prefix_index.sql')).toEqual(['0009_search_prefix_index.sql']);
    expect({ rows: rows(), answers: answers() }).toEqual(before);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'claims_fts'").pluck().get()).toMatch(/prefix = '3'/);
    expect(db.prepare("SELECT count(*) FROM temp.sqlite_schema").pluck().get()).toBe(0);
  });
});

// Planner statistics: the service analyses a database that has none, and leaves fresh ones alone.
import { describe, expect, it } from 'vitest';
import { refreshStatistics } from '../src/db/statistics.js';
import { createTestStore } from './helpers.js';

describe('planner statistics', () => {
  it('are gathered for a database that never had any, then left alone while they hold', () => {
    const { db } = createTestStore();
    const stat1 = () => (db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").pluck().get() === 1
      ? (db.prepare('SELECT tbl, idx, stat FROM sqlite_stat1').all() as { tbl: string; idx: string | null; stat: string }[])
      : []);
    expect(stat1()).toEqual([]);
    const analysed = refreshStatistics(db, { allTables: true });
    expect(analysed).toContain('"main"."claims"');
    // Each claim index now has a row count for the planner; the seed's 28 claims among them.
    const claims = stat1().filter((r) => r.tbl === 'claims');
    expect(claims.map((r) => r.idx)).toEqual(expect.arrayContaining(['claims_kind', 'claims_doc_id', 'claims_updated_at']));
    // (A full index: a partial one, such as claims_superseded_by, counts only the rows it holds.)
    expect(Number(claims.find((r) => r.idx === 'claims_doc_id')!.stat.split(' ')[0])).toBe(db.prepare('SELECT count(*) FROM claims').pluck().get());
    expect(refreshStatistics(db, { allTables: true })).toEqual([]);
    expect(refreshStatistics(db, { allTables: false })).toEqual([]);
  });
});

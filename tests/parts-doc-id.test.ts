// Subjects, qualifiers and citations carry their claim's doc_id (migration 0007), so that the search columns read a
// filter's claims from one index. A wrong copy would make a filter silently keep or drop claims, so every way a part
// is written is checked: the migration of existing rows, the repository, and a writer that leaves doc_id out.
import { describe, expect, it } from 'vitest';
import { CLAIMS_OF_PART } from '../src/claims/claims.column-search.js';
import { ClaimWrite } from '../src/claims/claims.schemas.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { createTestStore, databaseAsOf } from './helpers.js';

const PARTS = ['claim_subjects', 'claim_qualifiers', 'claim_citations'] as const;

/** Per table: how many parts there are, and how many carry a doc_id other than their claim's. */
function audit(db: Db) {
  return Object.fromEntries(
    PARTS.map((t) => [
      t,
      db
        .prepare(`SELECT count(*) AS parts, sum(p.doc_id IS NOT c.doc_id) AS wrong FROM ${t} p JOIN claims c ON c.id = p.claim_id`)
        .get() as { parts: number; wrong: number | null },
    ]),
  );
}

function expectAllRight(db: Db) {
  for (const [table, { parts, wrong }] of Object.entries(audit(db))) {
    expect(parts, table).toBeGreaterThan(0);
    expect(wrong ?? 0, table).toBe(0);
  }
}

describe('doc ids on claim parts', () => {
  it('are copied to existing parts by the migration', () => {
    // A database as it stood before 0007, with parts whose claims' doc ids differ from their rowids.
    const db = databaseAsOf('0006_claims_unit_id.sql');
    db.pragma('foreign_keys = OFF'); // parts without their sources and entities: only doc ids are under test
    const claim = db.prepare(
      `INSERT INTO claims (id, statement, kind, verdict, revision, created_at, updated_at, doc_id)
       VALUES (?, 'A statement.', 'quote', 'unassessed', 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', ?)`,
    );
    for (const [id, doc] of [['a', 7], ['b', 3], ['c', 12]] as const) {
      claim.run(id, doc);
      db.prepare('INSERT INTO claim_subjects (claim_id, entity_id, position) VALUES (?, ?, 0)').run(id, `e-${id}`);
      db.prepare("INSERT INTO claim_qualifiers (claim_id, position, key, value) VALUES (?, 0, 'country', 'US')").run(id);
      db.prepare("INSERT INTO claim_citations (claim_id, position, source_id, role, stance) VALUES (?, 0, 's', 'primary', 'states')").run(id);
    }
    expect(migrate(db)).toContain('0007_parts_doc_id.sql');
    expectAllRight(db);
    expect(db.prepare("SELECT doc_id FROM claim_qualifiers WHERE key = 'country' AND value = 'US' ORDER BY doc_id").pluck().all()).toEqual([3, 7, 12]);
  });

  it('are written by the repository on create and replace, and filled in for a writer that leaves them out', () => {
    const { db, store } = createTestStore();
    expectAllRight(db); // the seed, through the repository
    const meta = { author: 'test', reason: 'test write' };
    const body = ClaimWrite.parse({
      id: 'doc-id-claim',
      statement: 'A test claim.',
      kind: 'quote',
      subjects: [{ id: 'deepseek' }],
      qualifiers: [{ key: 'country', value: 'US' }],
      citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states' }],
      assessment: { verdict: 'unassessed' },
    });
    store.write.createClaim(body, meta);
    const { id: _, ...rest } = body;
    store.write.replaceClaim('doc-id-claim', { ...rest, subjects: [{ id: 'deepseek' }, { id: 'nvidia' }] }, meta, () => {});
    expectAllRight(db);

    // Another writer, in plain SQL, without doc_id: the triggers fill it in.
    db.prepare("INSERT INTO claim_qualifiers (claim_id, position, key, value) VALUES ('doc-id-claim', 1, 'store', 'App Store')").run();
    db.prepare("INSERT INTO claim_subjects (claim_id, entity_id, position) VALUES ('doc-id-claim', 'broadcom', 2)").run();
    db.prepare(
      "INSERT INTO claim_citations (claim_id, position, source_id, role, stance) VALUES ('doc-id-claim', 1, 'semianalysis-deepseek-debates', 'secondary', 'reports')",
    ).run();
    expectAllRight(db);
    const doc = db.prepare("SELECT doc_id FROM claims WHERE id = 'doc-id-claim'").pluck().get();
    expect(db.prepare("SELECT doc_id FROM claim_qualifiers WHERE key = 'store' AND value = 'App Store'").pluck().all()).toEqual([doc]);
  });

  it("give a filter's doc ids from one index, without reading claims", () => {
    const { db } = createTestStore();
    const plans = [
      [CLAIMS_OF_PART.source, 's'],
      [CLAIMS_OF_PART.qualifier, 'country', 'US'],
      [CLAIMS_OF_PART.subject, 'e', 10],
    ] as const;
    for (const [sql, ...params] of plans) {
      const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      expect(detail, sql).toHaveLength(1);
      expect(detail[0], sql).toMatch(/USING COVERING INDEX/);
    }
  });
});

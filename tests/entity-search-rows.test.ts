// An entity's search row is keyed by the entity's doc_id (migration 0008), so a write finds it without scanning
// every row. Checked: the migration of existing entities, the repository's creates and replaces, a writer in plain
// SQL, and that autocomplete still finds an entity by its new name and no longer by its old one. And the claims that
// name an entity are indexed again when its names change, and only then.
import { describe, expect, it } from 'vitest';
import { EntityWrite } from '../src/entities/entities.schemas.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { createSearchIndex } from '../src/search/search-index.js';
import { parseSearchQuery } from '../src/search/search-query.js';
import { createTestStore, databaseAsOf } from './helpers.js';

/** Search rows that are not exactly one per entity at its doc_id, with its id. */
function strayRows(db: Db) {
  return db
    .prepare(
      `SELECT 'missing' AS problem, e.id FROM entities e LEFT JOIN entities_fts f ON f.rowid = e.doc_id WHERE f.rowid IS NULL OR f.id IS NOT e.id
       UNION ALL SELECT 'extra', f.id FROM entities_fts f LEFT JOIN entities e ON e.doc_id = f.rowid WHERE e.id IS NULL`,
    )
    .all();
}

describe('entity search rows', () => {
  it('are re-keyed by doc_id when an existing database migrates', () => {
    const db = databaseAsOf('0007_parts_doc_id.sql');
    const entity = db.prepare(
      "INSERT INTO entities (id, name, type, revision, created_at, updated_at) VALUES (?, ?, 'organization', 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
    );
    // As the service wrote them before: search rows numbered on their own, out of step with the entities' rowids.
    for (const [id, name] of [['acme', 'Acme Corp'], ['zenith', 'Zenith Labs'], ['borealis', 'Borealis AI']]) {
      entity.run(id, name);
      db.prepare('INSERT INTO entities_fts (rowid, id, names) VALUES (?, ?, ?)').run(100 - (db.prepare('SELECT count(*) FROM entities_fts').pluck().get() as number), id, name);
    }
    expect(migrate(db)).toContain('0008_entities_doc_id.sql');
    expect(strayRows(db)).toEqual([]);
    expect(db.prepare("SELECT id FROM entities_fts WHERE entities_fts MATCH 'zen*'").pluck().all()).toEqual(['zenith']);
  });

  it('stay one per entity through creates, renames and a writer in plain SQL', () => {
    const { db, store } = createTestStore();
    expect(strayRows(db)).toEqual([]);
    const meta = { author: 'test', reason: 'test write' };
    const created = store.write.createEntity(EntityWrite.parse({ id: 'quillfeather', name: 'Quillfeather Analytics', type: 'organization' }), meta);
    store.write.replaceEntity('quillfeather', { ...EntityWrite.parse({ name: 'Inkwell Analytics', type: 'organization', aliases: ['Inkwell'] }) }, meta, () => {});
    expect(created.id).toBe('quillfeather');
    db.prepare(
      "INSERT INTO entities (id, name, type, revision, created_at, updated_at) VALUES ('plain-sql', 'Plain', 'organization', 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
    ).run();
    expect(db.prepare("SELECT doc_id FROM entities WHERE id = 'plain-sql'").pluck().get()).toBe(db.prepare('SELECT max(doc_id) FROM entities').pluck().get());
    createSearchIndex(db).indexEntity('plain-sql');
    expect(strayRows(db)).toEqual([]);
    const suggest = (prefix: string) => store.entities.suggest(`${prefix}*`, undefined, 10).map((e) => e.id);
    expect(suggest('inkw')).toEqual(['quillfeather']);
    expect(suggest('quillf')).toEqual([]);
  });

  it('re-index the claims naming an entity when its name or aliases change, and not for any other edit', () => {
    const { db, store } = createTestStore();
    const meta = { author: 'test', reason: 'test write' };
    const naming = db.prepare("SELECT count(*) FROM (SELECT claim_id FROM claim_subjects WHERE entity_id = 'semianalysis' UNION SELECT id FROM claims WHERE claimant_id = 'semianalysis')").pluck().get() as number;
    expect(naming).toBeGreaterThan(0);
    // FTS5's structure record, which every write to claims_fts rewrites.
    const claimsIndex = () => db.prepare('SELECT block FROM claims_fts_data WHERE id = 10').pluck().get();
    const found = (q: string) => store.claims.find({ filters: {}, query: parseSearchQuery(q), sort: 'relevance', cursor: null, limit: 100 }).items.length;
    const current = store.entities.get('semianalysis')!;
    const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, links: _l, ...content } = current;
    const replace = (change: Partial<typeof content>) => store.write.replaceEntity('semianalysis', EntityWrite.parse({ ...content, ...change }), meta, () => {});

    let before = claimsIndex();
    replace({});
    replace({ description: 'A semiconductor research firm (edited).' });
    expect(claimsIndex()).toEqual(before);
    expect(store.entities.get('semianalysis')!.description).toBe('A semiconductor research firm (edited).');

    before = claimsIndex();
    expect(found('Quorvane')).toBe(0);
    replace({ aliases: [...content.aliases, 'Quorvane Research'] });
    expect(claimsIndex()).not.toEqual(before);
    expect(found('Quorvane')).toBeGreaterThanOrEqual(naming);
  });
});

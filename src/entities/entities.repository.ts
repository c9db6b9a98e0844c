// Entities storage: every SQL statement about entities, prepared once when the repository is built.
import type { Db } from '../db/open.js';
import { recordLinks } from '../http/links.js';
import { createIndexStateMemo } from '../search/index-state-memo.js';
import { createSearchIndex, type SearchIndex } from '../search/search-index.js';
import { type NamedEntity, nameWords, nearNames } from './entities.near-names.js';
import type { Entity, EntityView } from './entities.schemas.js';

interface EntityRow {
  id: string;
  name: string;
  type: Entity['type'];
  aliases: string;
  description: string | null;
  wikidata_id: string | null;
  homepage: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `e.id, e.name, e.type,
  (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases a WHERE a.entity_id = e.id ORDER BY position)) AS aliases,
  e.description, e.wikidata_id, e.homepage, e.revision, e.created_at, e.updated_at`;

function rowToEntity(r: EntityRow): EntityView {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    aliases: JSON.parse(r.aliases) as string[],
    description: r.description,
    wikidataId: r.wikidata_id,
    homepage: r.homepage,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    links: recordLinks('entity', r.id, r.revision),
  };
}

export function createEntitiesRepository(db: Db, search: SearchIndex = createSearchIndex(db)) {
  const byId = db.prepare<[string], EntityRow>(`SELECT ${COLUMNS} FROM entities e WHERE e.id = ?`);
  const exists = db.prepare<[string], number>('SELECT 1 FROM entities WHERE id = ?').pluck();
  // Best match first (bm25 favours short names where the words match), then by name for a stable order.
  // The type is tested before the limit: filtered after it, a page of other types' best matches came back short or empty.
  const suggestions = db.prepare<{ match: string; type: string | null; limit: number }, EntityRow>(
    `SELECT ${COLUMNS} FROM entities_fts f JOIN entities e ON e.id = f.id
     WHERE entities_fts MATCH @match AND (@type IS NULL OR e.type = @type) ORDER BY f.rank, e.name, e.id LIMIT @limit`,
  );
  // Every entity's names as words, for near names (entities.near-names.ts): read when first asked (about 10 ms for
  // 5,000 entities) and kept while the entities' index is unchanged (its FTS5 structure record, as for claims).
  const namesIndexState = db.prepare<[], Buffer | undefined>('SELECT block FROM entities_fts_data WHERE id = 10').pluck();
  const allNames = db.prepare<[], { id: string; name: string; type: string; names: string }>(
    'SELECT e.id, e.name, e.type, f.names FROM entities e JOIN entities_fts f ON f.rowid = e.doc_id ORDER BY e.id',
  );
  const named = createIndexStateMemo<NamedEntity[]>(() => namesIndexState.get(), 1);
  const namedEntities = (): NamedEntity[] => {
    named.follow();
    let list = named.get('');
    if (list === undefined) named.set('', (list = allNames.all().map((r) => ({ id: r.id, name: r.name, type: r.type, words: nameWords(r.names) }))));
    return list;
  };
  const page = db.prepare<{ after: string | null; type: string | null; limit: number }, EntityRow>(
    `SELECT ${COLUMNS} FROM entities e
     WHERE (@type IS NULL OR e.type = @type) AND (@after IS NULL OR e.id > @after)
     ORDER BY e.id LIMIT @limit`,
  );
  const insertEntity = db.prepare(
    `INSERT INTO entities (id, name, type, description, wikidata_id, homepage, revision, created_at, updated_at)
     VALUES (@id, @name, @type, @description, @wikidataId, @homepage, @revision, @createdAt, @updatedAt)`,
  );
  const insertAlias = db.prepare('INSERT INTO entity_aliases (entity_id, position, alias) VALUES (?, ?, ?)');
  const updateEntity = db.prepare(
    `UPDATE entities SET name = @name, type = @type, description = @description, wikidata_id = @wikidataId,
       homepage = @homepage, revision = @revision, updated_at = @updatedAt
     WHERE id = @id AND revision = @expectedRevision`,
  );
  const deleteAliases = db.prepare('DELETE FROM entity_aliases WHERE entity_id = ?');

  return {
    exists: (id: string): boolean => exists.get(id) !== undefined,
    get: (id: string): EntityView | null => {
      const row = byId.get(id);
      return row ? rowToEntity(row) : null;
    },
    /**
     * Entities whose name or an alias has a word starting with each word of `match` (an FTS5 prefix query), best
     * first, of one type when given.
     */
    suggest(match: string, type: string | undefined, limit: number): EntityView[] {
      return suggestions.all({ match, type: type ?? null, limit }).map(rowToEntity);
    },
    /**
     * For a `q` the prefix search found nothing for: entities whose names have, for each of its words, a word that
     * starts a slip away from it (entities.near-names.ts), nearest first, of one type when given.
     */
    near(q: string, type: string | undefined, limit: number): EntityView[] {
      return nearNames(nameWords(q), namedEntities(), type, limit).flatMap((e) => {
        const row = byId.get(e.id);
        return row === undefined ? [] : [rowToEntity(row)];
      });
    },
    list(filters: { type?: string | undefined }, after: string | null, limit: number) {
      const rows = page.all({ after, type: filters.type ?? null, limit: limit + 1 });
      const more = rows.length > limit;
      const items = (more ? rows.slice(0, limit) : rows).map(rowToEntity);
      return { items, lastId: more ? (items[items.length - 1]?.id ?? null) : null };
    },
    /** Runs inside the caller's transaction. */
    insert(entity: Entity): void {
      insertEntity.run(entity);
      entity.aliases.forEach((alias, i) => insertAlias.run(entity.id, i, alias));
      search.indexEntity(entity.id);
    },
    /**
     * Replaces the entity and its aliases if it is still at `expectedRevision`; false when another write got
     * there first. Runs inside the caller's transaction.
     */
    update(entity: Entity, expectedRevision: number): boolean {
      if (updateEntity.run({ ...entity, expectedRevision }).changes !== 1) return false;
      deleteAliases.run(entity.id);
      entity.aliases.forEach((alias, i) => insertAlias.run(entity.id, i, alias));
      // Claims carry their subjects' and claimant's names in their search documents.
      search.indexEntity(entity.id);
      return true;
    },
  };
}

export type EntitiesRepository = ReturnType<typeof createEntitiesRepository>;

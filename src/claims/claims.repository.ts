// Claims storage: every SQL statement about claims, prepared once when the repository is built.
import type { Db } from '../db/open.js';
import {
  CLAIM_COLUMNS,
  type CitationRow,
  type ClaimRow,
  type EntityRefRow,
  type RelationRow,
  rowToCitation,
  rowToClaim,
  rowToEntityRef,
  rowToRelation,
} from './claims.rows.js';
import type { Claim, ClaimSummary, ClaimWrite } from './claims.schemas.js';
import { claimColumns } from './claims.row-columns.js';
import { createSearchIndex, type SearchIndex } from '../search/search-index.js';
import { createDocColumns, type DocColumnsOptions } from '../search/doc-columns.js';
import type { LoadOptions } from '../search/doc-columns.runner.js';
import type { ClaimFilters } from './claims.list-query.js';
import { createClaimFinder } from './claims.find.js';
import { createColumnSearch } from './claims.column-search.js';
import { createTermScores } from './claims.term-scores.js';
import { createIndexedTermTest } from '../search/indexed-terms.js';
import { COUNT_UP_TO_SQL, createIndexStateMemo, INDEX_STATE_SQL } from '../search/index-state-memo.js';
import type { Lexicon } from '../search/spelling.js';

export type { FacetCount, FindOptions, FoundPage } from './claims.find.js';

export interface ClaimPage {
  items: ClaimSummary[];
  /** Id of the last item when another page follows. */
  lastId: string | null;
}

export interface StoredClaim extends ClaimWrite {
  id: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export function createClaimsRepository(db: Db, search: SearchIndex = createSearchIndex(db), columnOptions: DocColumnsOptions = {}) {
  const byId = db.prepare<[string], ClaimRow>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c WHERE c.id = ?`,
  );
  const exists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM claims WHERE id = ?').pluck();
  const subjectsOf = db.prepare<[string], EntityRefRow>(
    `SELECT s.claim_id, e.id, e.name, e.type FROM claim_subjects s JOIN entities e ON e.id = s.entity_id
     WHERE s.claim_id = ? ORDER BY s.position`,
  );
  const qualifiersOf = db.prepare<[string], Claim['qualifiers'][number]>(
    'SELECT key, value FROM claim_qualifiers WHERE claim_id = ? ORDER BY position',
  );
  const caveatsOf = db.prepare<[string], Claim['caveats'][number]>(
    'SELECT kind, text FROM claim_caveats WHERE claim_id = ? ORDER BY position',
  );
  const citationsOf = db.prepare<[string], CitationRow>(
    `SELECT ci.role, ci.stance, ci.quote, ci.locator, s.id AS source_id, s.type AS source_type, s.title AS source_title,
            s.publisher AS source_publisher, s.published_on AS source_published_on, s.url AS source_url
     FROM claim_citations ci JOIN sources s ON s.id = ci.source_id
     WHERE ci.claim_id = ? ORDER BY ci.position`,
  );
  const relationsOf = db.prepare<{ id: string }, RelationRow>(
    // Relations this claim holds, in the editor's order, then those other claims hold on it, by their id.
    `SELECT * FROM (
       SELECT 'out' AS direction, r.type, o.id AS other_id, o.statement AS other_statement,
              o.retracted_at IS NOT NULL AS other_retracted, r.note, r.position AS pos
         FROM claim_relations r JOIN claims o ON o.id = r.to_claim_id WHERE r.from_claim_id = @id
       UNION ALL
       SELECT 'in', r.type, o.id, o.statement, o.retracted_at IS NOT NULL, r.note, r.position
         FROM claim_relations r JOIN claims o ON o.id = r.from_claim_id WHERE r.to_claim_id = @id)
     ORDER BY direction DESC, CASE direction WHEN 'out' THEN pos END, other_id, pos`,
  );

  // Through the partial index claims_superseded_by (migration 0010).
  const supersededOf = db.prepare<[string], { id: string; statement: string }>(
    'SELECT id, statement FROM claims WHERE superseded_by = ? ORDER BY id',
  );

  const insertClaim = db.prepare(
    `INSERT INTO claims (id, statement, article_wording, kind, claimant_id, claimed_on, claimed_first_day, claimed_last_day,
       fact_start, fact_end, fact_first_day, fact_last_day, value_comparator, value_amount, value_lower, value_upper,
       value_unit, value_basis, value_sort, value_low, value_high, verdict, verdict_explanation, revision, created_at,
       updated_at, doc_id)
     VALUES (@id, @statement, @articleWording, @kind, @claimantId, @claimedOn, @claimedFirstDay, @claimedLastDay,
       @factStart, @factEnd, @factFirstDay, @factLastDay, @comparator, @amount, @lower, @upper,
       @unit, @basis, @sort, @low, @high, @verdict, @explanation, @revision, @createdAt, @updatedAt,
       (SELECT ifnull(max(doc_id), 0) + 1 FROM claims))`,
  );
  // Subjects, qualifiers and citations carry their claim's doc_id, so a filter reads doc ids from their index alone
  // (migration 0007).
  const docIdOf = '(SELECT doc_id FROM claims WHERE id = @claimId)';
  const insertSubject = db.prepare(
    `INSERT INTO claim_subjects (claim_id, entity_id, position, doc_id) VALUES (@claimId, @entityId, @position, ${docIdOf})`,
  );
  const insertQualifier = db.prepare(
    `INSERT INTO claim_qualifiers (claim_id, position, key, value, doc_id) VALUES (@claimId, @position, @key, @value, ${docIdOf})`,
  );
  const insertCitation = db.prepare(
    `INSERT INTO claim_citations (claim_id, position, source_id, role, stance, quote, locator, doc_id)
     VALUES (@claimId, @position, @sourceId, @role, @stance, @quote, @locator, ${docIdOf})`,
  );
  const insertCaveat = db.prepare('INSERT INTO claim_caveats (claim_id, position, kind, text) VALUES (?, ?, ?, ?)');
  const insertRelation = db.prepare(
    'INSERT INTO claim_relations (from_claim_id, position, type, to_claim_id, note) VALUES (?, ?, ?, ?, ?)',
  );

  const updateClaim = db.prepare(
    `UPDATE claims SET statement = @statement, article_wording = @articleWording, kind = @kind, claimant_id = @claimantId,
       claimed_on = @claimedOn, claimed_first_day = @claimedFirstDay, claimed_last_day = @claimedLastDay,
       fact_start = @factStart, fact_end = @factEnd, fact_first_day = @factFirstDay, fact_last_day = @factLastDay,
       value_comparator = @comparator, value_amount = @amount, value_lower = @lower, value_upper = @upper,
       value_unit = @unit, value_basis = @basis, value_sort = @sort, value_low = @low, value_high = @high,
       verdict = @verdict, verdict_explanation = @explanation,
       revision = @revision, updated_at = @updatedAt
     WHERE id = @id AND revision = @expectedRevision`,
  );
  const retractClaim = db.prepare(
    `UPDATE claims SET retraction_reason = @reason, retracted_at = @at, superseded_by = @supersededBy,
       revision = revision + 1, updated_at = @at
     WHERE id = @id AND revision = @expectedRevision AND retracted_at IS NULL`,
  );
  // A claim's parts are rewritten whole on every change; the revision log keeps every earlier version.
  const deleteParts = [
    'DELETE FROM claim_subjects WHERE claim_id = ?',
    'DELETE FROM claim_qualifiers WHERE claim_id = ?',
    'DELETE FROM claim_citations WHERE claim_id = ?',
    'DELETE FROM claim_caveats WHERE claim_id = ?',
    'DELETE FROM claim_relations WHERE from_claim_id = ?',
  ].map((sql) => db.prepare(sql));

  function insertParts(claim: StoredClaim): void {
    claim.subjects.forEach((s, i) => insertSubject.run({ claimId: claim.id, entityId: s.id, position: i }));
    claim.qualifiers.forEach((q, i) => insertQualifier.run({ claimId: claim.id, position: i, key: q.key, value: q.value }));
    claim.citations.forEach((c, i) =>
      insertCitation.run({
        claimId: claim.id,
        position: i,
        sourceId: c.source.id,
        role: c.role,
        stance: c.stance,
        quote: c.quote,
        locator: c.locator ? JSON.stringify(c.locator) : null,
      }),
    );
    claim.caveats.forEach((c, i) => insertCaveat.run(claim.id, i, c.kind, c.text));
    claim.relations.forEach((r, i) => insertRelation.run(claim.id, i, r.type, r.claim.id, r.note));
  }

  // Searches read the claims' filter and facet values from memory; see src/search/doc-columns.ts.
  const searchColumns = createDocColumns(db, columnOptions);
  const { find } = createClaimFinder(db, createColumnSearch(db, searchColumns), { termScores: createTermScores(db, searchColumns) });
  // The words of the claims index, for a search's "did you mean" (src/search/spelling.ts): one look-up each.
  const indexed = createIndexedTermTest(db);
  const countUpTo = db.prepare<{ word: string; n: number }, number>(COUNT_UP_TO_SQL).pluck();
  const names = db.prepare<[], string>('SELECT name FROM entities UNION SELECT alias FROM entity_aliases').pluck();
  // Read when first asked (5.5 ms for 5,000 entities) and kept while the claims index is unchanged: a name matters
  // only once a claim is indexed with it, and renaming an entity indexes its claims again.
  const indexState = db.prepare<[], Buffer | undefined>(INDEX_STATE_SQL).pluck();
  const nameWords = createIndexStateMemo<string[]>(() => indexState.get());
  // An entity named whole, by its name or an alias (case aside), for a search read as filters (src/search/query-filters.ts).
  // Two entities that answer to the name (an alias shared) name neither.
  const entitiesNamed = db
    .prepare<[string, string], string>(
      'SELECT id FROM entities WHERE name = ? COLLATE NOCASE UNION SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE LIMIT 2',
    )
    .pluck();
  const entityNamed = (name: string): string | null => {
    const ids = entitiesNamed.all(name, name);
    return ids.length === 1 ? ids[0]! : null;
  };
  const lexicon: Lexicon = {
    holds: (word) => indexed(`"${word}"`),
    claimsHolding: (word, upTo) => countUpTo.get({ word: `"${word}"`, n: upTo })!,
    nameWords() {
      nameWords.follow();
      let words = nameWords.get('');
      if (words === undefined) nameWords.set('', (words = [...new Set(names.all().flatMap((name) => name.toLowerCase().match(/[a-z]+/g) ?? []))]));
      return words;
    },
  };

  return {
    exists: (id: string): boolean => exists.get(id) !== undefined,

    get(id: string): Claim | null {
      const row = byId.get(id);
      if (!row) return null;
      return rowToClaim(row, {
        subjects: subjectsOf.all(id).map(rowToEntityRef),
        qualifiers: qualifiersOf.all(id),
        caveats: caveatsOf.all(id),
        citations: citationsOf.all(id).map(rowToCitation),
        relations: relationsOf.all({ id }).map(rowToRelation),
        supersedes: supersededOf.all(id).map((r) => ({ ...r, retracted: true })),
      });
    },

    /** One page in id order (the claims of a source or an entity): see `find` for everything else. */
    list(filters: ClaimFilters, after: string | null, limit: number): ClaimPage {
      const page = find({ filters, sort: 'id', cursor: after === null ? null : { sort: 'id', phase: 'id', id: after }, limit });
      return { items: page.items, lastId: page.next?.phase === 'id' ? page.next.id : null };
    },

    find,
    lexicon,
    entityNamed,
    /**
     * How the read of what searches keep in memory is to run (on a worker thread, whom to tell), whether warmSearch
     * or the first search that needs it begins it.
     */
    planSearch: (options: LoadOptions): void => searchColumns.plan(options),
    /** Starts reading what searches keep in memory, in the background (10-15 s at a million claims), as planned. */
    warmSearch: (): void => searchColumns.load(),
    /**
     * Whether what searches keep in memory has been read; starts reading it if not (at once for a small database).
     * Until then facets without a search are refused (503): in SQL they took up to 19 s at a million claims.
     */
    searchReady(): boolean {
      searchColumns.sync();
      return searchColumns.loaded();
    },
    /** Inserts a validated claim and its parts. Runs inside the caller's transaction. */
    insert(claim: StoredClaim): void {
      insertClaim.run(claimColumns(claim));
      insertParts(claim);
      search.indexClaim(claim.id);
    },

    /**
     * Replaces the claim and all its parts if it is still at `expectedRevision`; false when another write got
     * there first. Runs inside the caller's transaction.
     */
    update(claim: StoredClaim, expectedRevision: number): boolean {
      if (updateClaim.run({ ...claimColumns(claim), expectedRevision }).changes !== 1) return false;
      for (const stmt of deleteParts) stmt.run(claim.id);
      insertParts(claim);
      search.indexClaim(claim.id);
      return true;
    },

    /** Marks the claim retracted and moves it to the next revision; false if it changed or is already retracted. */
    retract(id: string, retraction: { reason: string; at: string; supersededBy: string | null }, expectedRevision: number): boolean {
      if (retractClaim.run({ id, ...retraction, expectedRevision }).changes !== 1) return false;
      search.indexClaim(id); // its flags now say retracted
      return true;
    },
  };
}

export type ClaimsRepository = ReturnType<typeof createClaimsRepository>;

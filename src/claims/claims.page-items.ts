// What a page of claims serves: its rows, read by doc id in the order the finder chose them, as summaries with their
// subjects, and for a search a highlighted snippet of each hit. claims.find.ts decides which claims a page holds.
import type { Db } from '../db/open.js';
import { FIELD_BREAK } from '../search/search-index.js';
import { indexText } from '../search/search-text.js';
import { createSnippets, type HighlightTerm } from '../search/snippet.js';
import { CLAIM_COLUMNS, type ClaimRow, type EntityRefRow, rowToClaimSummary, rowToEntityRef } from './claims.rows.js';
import type { ClaimSummary } from './claims.schemas.js';

export type PageItem = ClaimSummary & { snippet?: string };

export function createPageItems(db: Db) {
  const rowsByDoc = db.prepare<[string], ClaimRow>(`SELECT ${CLAIM_COLUMNS} FROM claims c WHERE c.doc_id IN (SELECT value FROM json_each(?))`);
  const subjectsOfMany = db.prepare<[string], EntityRefRow>(
    `SELECT s.claim_id, e.id, e.name, e.type FROM claim_subjects s JOIN entities e ON e.id = s.entity_id
     WHERE s.claim_id IN (SELECT value FROM json_each(?)) ORDER BY s.claim_id, s.position`,
  );
  // The indexed text beyond the statement of a page of hits, for their snippets.
  const bodiesOf = db.prepare<[string], { doc: number; body: string | null }>(
    'SELECT rowid AS doc, body FROM claims_fts WHERE rowid IN (SELECT value FROM json_each(?))',
  );

  /** Summaries for page rows, with their subjects fetched in one query for the whole page. */
  function summaries(page: ClaimRow[]): PageItem[] {
    const subjects = new Map<string, ClaimSummary['subjects']>();
    if (page.length > 0) {
      for (const s of subjectsOfMany.all(JSON.stringify(page.map((r) => r.id)))) {
        const list = subjects.get(s.claim_id) ?? [];
        list.push(rowToEntityRef(s));
        subjects.set(s.claim_id, list);
      }
    }
    return page.map((r) => rowToClaimSummary(r, subjects.get(r.id) ?? []));
  }

  return {
    /** Rows for a list of docs, in that order. */
    rowsInOrder(docs: number[]): ClaimRow[] {
      const byDoc = new Map(rowsByDoc.all(JSON.stringify(docs)).map((r) => [r.doc_id, r]));
      return docs.map((d) => byDoc.get(d)).filter((r) => r !== undefined);
    },

    /** The page's items; with `highlight` (a search's terms), each carries a snippet of its indexed text. */
    items(page: ClaimRow[], highlight?: HighlightTerm[]): PageItem[] {
      const items = summaries(page);
      if (highlight !== undefined && page.length > 0) {
        // From the statement, marked as the index holds it (indexText), alone when every term stands there; the rest
        // of the indexed document is read only for the others (its pages are scattered: 45-70 µs a claim when not
        // cached), which may show a term the statement lacks, or the most terms together.
        const snippets = createSnippets(highlight);
        const statements = page.map((r) => indexText(r.statement));
        const rest = page.flatMap((r, i) => (snippets.holdsEveryTerm(statements[i]!) ? [] : [r.doc_id]));
        // Each part of the rest (a caveat, a quote, a name) is a text of its own: an extract never runs from one into
        // the next, which would read as one sentence (search-index.ts, FIELD_BREAK).
        const bodies = new Map(rest.length === 0 ? [] : bodiesOf.all(JSON.stringify(rest)).map((d) => [d.doc, d.body?.split(FIELD_BREAK) ?? []]));
        items.forEach((item, i) => (item.snippet = snippets.snippet([statements[i]!, ...(bodies.get(page[i]!.doc_id) ?? [])])));
      }
      return items;
    },
  };
}

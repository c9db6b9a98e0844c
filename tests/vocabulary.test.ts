// The controlled vocabularies in zod and the CHECK constraints in the migrations must say the same thing.
import { describe, expect, it } from 'vitest';
import * as v from '../src/domain/vocabulary.js';
import { createTestStore } from './helpers.js';

const { db } = createTestStore({ seed: false });
const tableSql = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string) ?? '';

/** The values of `column IN (...)` in a table's CREATE statement. */
function checkValues(table: string, column: string): string[] {
  const m = new RegExp(`\\b${column}\\s+IN\\s*\\(([^)]*)\\)`).exec(tableSql(table));
  if (!m) throw new Error(`no CHECK (${column} IN ...) on ${table}`);
  return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!).sort();
}

describe('vocabularies', () => {
  it.each([
    ['claims', 'kind', v.CLAIM_KINDS],
    ['claims', 'value_comparator', v.COMPARATORS],
    ['claims', 'verdict', v.VERDICTS],
    ['claim_qualifiers', 'key', v.QUALIFIER_KEYS],
    ['claim_citations', 'role', v.CITATION_ROLES],
    ['claim_citations', 'stance', v.CITATION_STANCES],
    ['claim_caveats', 'kind', v.CAVEAT_KINDS],
    ['claim_relations', 'type', v.RELATION_TYPES],
    ['sources', 'type', v.SOURCE_TYPES],
    ['sources', 'evidence', v.SOURCE_EVIDENCE],
    ['entities', 'type', v.ENTITY_TYPES],
    ['api_keys', 'scope', v.KEY_SCOPES],
    ['revisions', 'action', v.REVISION_ACTIONS],
    ['revisions', 'resource_type', v.RESOURCE_TYPES],
  ] as const)('%s.%s matches the zod enum', (table, column, values) => {
    expect(checkValues(table, column)).toEqual([...values].sort());
  });

  it('non-money units match', () => {
    expect(checkValues('claims', 'value_unit')).toEqual([...v.NON_MONEY_UNITS].sort());
  });

  it('every table is STRICT', () => {
    // Full-text indexes are virtual tables (and FTS5's own shadow tables): STRICT does not apply to them.
    const fts = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[];
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).filter(
      (t) => !fts.some((v) => t === v || t.startsWith(`${v}_`)),
    );
    expect(tables).toContain('claims');
    for (const t of tables) expect(tableSql(t), t).toMatch(/\)\s*STRICT/);
  });

  it('has foreign keys switched on', () => {
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

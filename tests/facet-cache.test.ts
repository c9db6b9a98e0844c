// Facet counts without a search are remembered per change number (src/claims/claims.facet-cache.ts): a repeated
// sidebar is not counted again, and any write makes the next one count afresh.
import { describe, expect, it, vi } from 'vitest';
import { createColumnSearch } from '../src/claims/claims.column-search.js';
import { createFacetCache } from '../src/claims/claims.facet-cache.js';
import { createClaimFinder } from '../src/claims/claims.find.js';
import type { FindOptions } from '../src/claims/claims.find.js';
import { createDocColumns } from '../src/search/doc-columns.js';
import { createTestStore } from './helpers.js';

describe('facet cache', () => {
  it('answers at the change number it counted at, and evicts the least recently used', () => {
    const cache = createFacetCache(2);
    const tops = [[['quote', 3]]] as [string, number][][];
    cache.set({ kind: 'quote' }, ['kind'], 7, tops);
    expect(cache.get({ kind: 'quote' }, ['kind'], 7)).toBe(tops);
    expect(cache.get({ kind: 'quote' }, ['verdict'], 7)).toBeUndefined();
    expect(cache.get({ kind: 'forecast' }, ['kind'], 7)).toBeUndefined();
    // A later change number: the entry is stale and dropped.
    expect(cache.get({ kind: 'quote' }, ['kind'], 8)).toBeUndefined();
    expect(cache.get({ kind: 'quote' }, ['kind'], 7)).toBeUndefined();

    cache.set({}, ['kind'], 8, tops);
    cache.set({ kind: 'quote' }, ['kind'], 8, tops);
    cache.get({}, ['kind'], 8); // now the most recently used
    cache.set({ verdict: 'supported' }, ['kind'], 8, tops);
    expect(cache.get({}, ['kind'], 8)).toBe(tops);
    expect(cache.get({ kind: 'quote' }, ['kind'], 8)).toBeUndefined();
  });

  it('counts a sidebar once between writes, and again after any write', () => {
    const { db } = createTestStore();
    const columnSearch = createColumnSearch(db, createDocColumns(db));
    const tallyAll = vi.spyOn(columnSearch, 'tallyAll');
    const { find } = createClaimFinder(db, columnSearch, { facetCache: createFacetCache() });
    const sidebar = (filters: FindOptions['filters'] = {}) =>
      find({ filters, sort: '-updated', cursor: null, limit: 1, facets: ['kind', 'verdict', 'subject'] }).facets!;

    const first = sidebar();
    expect(sidebar()).toEqual(first);
    expect(tallyAll).toHaveBeenCalledTimes(1);
    // Other filters are other entries.
    const quotes = sidebar({ kind: 'quote' });
    expect(quotes.kind!.map((f) => f.value)).toEqual(['quote']);
    expect(tallyAll).toHaveBeenCalledTimes(2);

    // A write by anyone (here plain SQL) moves the change number: the next sidebar is counted again.
    const before = first.verdict!.find((f) => f.value === 'unassessed')?.count ?? 0;
    const id = db.prepare<[], string>("SELECT id FROM claims WHERE verdict <> 'unassessed' ORDER BY id LIMIT 1").pluck().get()!;
    db.prepare("UPDATE claims SET verdict = 'unassessed' WHERE id = ?").run(id);
    const after = sidebar();
    expect(tallyAll).toHaveBeenCalledTimes(3);
    expect(after.verdict!.find((f) => f.value === 'unassessed')!.count).toBe(before + 1);
    expect(after.kind).toEqual(first.kind);
  });
});

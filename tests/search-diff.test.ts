// The pages of a search from the in-memory columns and scores must be those SQL alone gives (bench/search-diff.ts):
// random searches under random filters, in every order, with facets, paged to the end, past the relevance window.
import { describe, expect, it } from 'vitest';
import { claimId, generate } from '../bench/generate.js';
import { searchDifferences } from '../bench/search-diff.js';
import { createTestStore } from './helpers.js';

describe('searches in memory and in SQL', () => {
  it('give the same pages, facets and cursors for random searches, filters and orders', { timeout: 60_000 }, () => {
    const { db, store } = createTestStore({ seed: false });
    generate(db, { claims: 3000 });
    // Some claims retracted, through the service as every retraction is (it re-indexes the claim), so that leaving
    // them out, or not, is compared too.
    for (let n = 7; n < 3000; n += 97) store.write.retractClaim(claimId(n), {}, { author: 'test', reason: 'differences' }, () => {});
    const differences: string[] = [];
    const result = searchDifferences(db, { queries: 120, pages: 40, seed: 5, onDifference: (report) => differences.push(report) });
    expect(differences).toEqual([]);
    // It compared real pages: most searches found claims, some had more matches than the relevance window holds, and
    // some were paged into the window's tail.
    expect(result.searches).toBeGreaterThan(110);
    expect(result.items).toBeGreaterThan(15_000);
    expect(result.fullWindows).toBeGreaterThan(5);
    expect(result.tailPages).toBeGreaterThan(0);
  });
});

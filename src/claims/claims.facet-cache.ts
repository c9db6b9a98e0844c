// Facet counts without a search, kept until the claims change. A filter sidebar opens with the same few requests
// for everyone (every claim, or one kind), and at a million claims each costs 30-80 ms of counting in memory, during
// which the process answers nothing else; between writes the answer cannot differ. With a search, counting is
// bounded by the hits and the text index can change without a claim's change number moving (an entity's new alias),
// so searches are not cached.
//
// An entry is valid only at the change number it was counted at (DocColumns: every insert, edit and retraction takes
// a new one, whoever writes). Values are stored without labels: an entity's name is read again on every answer.
import type { ClaimFilters, Facet } from './claims.list-query.js';

/** A facet's top values with their counts, most frequent first. */
export type TopValues = [value: string, count: number][];

const ENTRIES = 256;

export function createFacetCache(entries = ENTRIES) {
  // Insertion order is recency: a hit moves to the end, and the first entry is the least recently used.
  const cache = new Map<string, { version: number; tops: TopValues[] }>();
  const keyOf = (filters: ClaimFilters, facets: readonly Facet[]) => JSON.stringify([filters, facets]);

  return {
    /** The counts remembered for these filters and facets at this change number, if any. */
    get(filters: ClaimFilters, facets: readonly Facet[], version: number): TopValues[] | undefined {
      const key = keyOf(filters, facets);
      const hit = cache.get(key);
      if (hit === undefined) return undefined;
      cache.delete(key);
      if (hit.version !== version) return undefined;
      cache.set(key, hit);
      return hit.tops;
    },
    set(filters: ClaimFilters, facets: readonly Facet[], version: number, tops: TopValues[]): void {
      cache.set(keyOf(filters, facets), { version, tops });
      if (cache.size > entries) cache.delete(cache.keys().next().value!);
    },
  };
}

export type FacetCache = ReturnType<typeof createFacetCache>;

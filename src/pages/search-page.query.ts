// The search page's parameters (the claims list's, as it documents them) and the links that narrow a search by a
// facet's value or widen it again, each with its count. The links start from the first page: a narrower search is
// another list, which a cursor of this one cannot page.
import { z } from 'zod';
import type { FacetCount } from '../claims/claims.find.js';
import { ClaimListQuery, type Facet } from '../claims/claims.list-query.js';
import { CLAIM_KIND_LABELS, VERDICT_LABELS } from '../domain/labels.js';
import type { Refinement } from './search.page.js';

/** The filters the search page refines by, each with its facet counts: the claims list's, as that documents them. */
export const REFINE = ['kind', 'verdict', 'claimant', 'subject'] as const;
/** Each facet's name, and the link that lifts its filter. */
const REFINE_LABELS: Record<(typeof REFINE)[number], { name: string; any: string }> = {
  kind: { name: 'Kind', any: 'any kind' },
  verdict: { name: 'Verdict', any: 'any verdict' },
  claimant: { name: 'Claimed by', any: 'any claimant' },
  subject: { name: 'About', any: 'any subject' },
};
/** Values listed per facet: the most frequent, enough to choose from at a glance. */
const REFINE_VALUES = 8;
const { q, match, cursor, kind, verdict, claimant, subject } = ClaimListQuery.shape;
export const SearchPageQuery = z
  .strictObject({ q, match, kind, verdict, claimant, subject, cursor })
  .refine((p) => p.match === undefined || (p.q ?? '').trim() !== '', { path: ['match'], message: 'match says how the words of a search combine: it needs a search query q' });
export type SearchPageQuery = z.output<typeof SearchPageQuery>;

/** The search page's URL for this search with some parameters changed (undefined: left out), from its first page. */
function searchHref(query: SearchPageQuery, changes: Partial<Record<keyof SearchPageQuery, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, cursor: undefined, ...changes })) if (value !== undefined) params.set(name, String(value));
  return `/search?${params.toString()}`;
}

/** The search page for a respelled search (its "did you mean"), with the same filters. */
export const respelledHref = (query: SearchPageQuery, q: string): string => searchHref(query, { q });

/** Each refining facet: its active value with a link that removes it, or its top values with links that add one. */
export function refinements(query: SearchPageQuery, facets: Partial<Record<Facet, FacetCount[]>>): Refinement[] {
  const valueLabel = (facet: (typeof REFINE)[number], count: FacetCount | undefined, value: string) =>
    facet === 'kind' ? CLAIM_KIND_LABELS[value as keyof typeof CLAIM_KIND_LABELS] : facet === 'verdict' ? VERDICT_LABELS[value as keyof typeof VERDICT_LABELS] : (count?.label ?? value);
  return REFINE.map((facet) => {
    const counts = facets[facet] ?? [];
    const active = query[facet];
    return {
      facet: REFINE_LABELS[facet].name,
      active:
        active === undefined
          ? null
          : { label: valueLabel(facet, counts.find((c) => c.value === active), active), remove: searchHref(query, { [facet]: undefined }), removeLabel: REFINE_LABELS[facet].any },
      values: counts.slice(0, REFINE_VALUES).map((c) => ({ label: valueLabel(facet, c, c.value), count: c.count, href: searchHref(query, { [facet]: c.value }) })),
    };
  });
}

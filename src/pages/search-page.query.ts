// The search page's parameters (the claims list's, as it documents them) and the links that narrow a search by a
// facet's value or widen it again, each with its count; the value and date filters in force, and a search read as
// filters, in words. The links start from the first page: a narrower search is
// another list, which a cursor of this one cannot page.
import { z } from 'zod';
import type { FacetCount } from '../claims/claims.find.js';
import { checkListQuery, type ClaimFilters, ClaimListQuery, type Facet } from '../claims/claims.list-query.js';
import { firstDay, lastDay } from '../domain/partial-date.js';
import type { FilterReading } from '../search/query-filters.js';
import { partialDateInWords } from './dates.js';
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
const { q, match, cursor, kind, verdict, claimant, subject, unit, valueMin, valueMax, factFrom, factTo, claimedFrom, claimedTo } = ClaimListQuery.shape;
/** The value and date filters, which a search read as filters sets (asFilters) and the page shows in force. */
const BOUNDS = { unit, valueMin, valueMax, factFrom, factTo, claimedFrom, claimedTo };
/** Every filter the page takes, as named in its query. */
const FILTERS = ['kind', 'verdict', 'claimant', 'subject', ...(Object.keys(BOUNDS) as (keyof typeof BOUNDS)[])] as const;
export const SearchPageQuery = z
  .strictObject({ q, match, kind, verdict, claimant, subject, ...BOUNDS, cursor })
  .refine((p) => p.match === undefined || (p.q ?? '').trim() !== '', { path: ['match'], message: 'match says how the words of a search combine: it needs a search query q' })
  .superRefine((p, ctx) => checkListQuery({ ...p, match: undefined }, ctx));
export type SearchPageQuery = z.output<typeof SearchPageQuery>;

/** The filters of a search page's query, as the claims list takes them: dates widened to the days they cover. */
export function pageFilters(query: SearchPageQuery): ClaimFilters {
  const { kind, verdict, claimant, subject, unit, valueMin, valueMax, factFrom, factTo, claimedFrom, claimedTo } = query;
  return {
    kind,
    verdict,
    claimant,
    subject,
    unit,
    valueMin: valueMin === undefined ? undefined : Number(valueMin),
    valueMax: valueMax === undefined ? undefined : Number(valueMax),
    factFrom: factFrom && firstDay(factFrom),
    factTo: factTo && lastDay(factTo),
    claimedFrom: claimedFrom && firstDay(claimedFrom),
    claimedTo: claimedTo && lastDay(claimedTo),
  };
}

/** Whether the query sets any filter: then the page lists claims, with words to search or without. */
export const filtersSet = (query: SearchPageQuery): boolean => Object.values(pageFilters(query)).some((v) => v !== undefined);

/** The search page's URL for this search with some parameters changed (undefined: left out), from its first page. */
function searchHref(query: SearchPageQuery, changes: Partial<Record<keyof SearchPageQuery, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, cursor: undefined, ...changes })) if (value !== undefined) params.set(name, String(value));
  return `/search?${params.toString()}`;
}

/** The filters in force, as the page's parameters, in the order the form sends them: a new search keeps them. */
export const keptFilters = (query: SearchPageQuery): [string, string][] =>
  FILTERS.flatMap((name) => (query[name] === undefined ? [] : [[name, String(query[name])] as [string, string]]));

/** The search page for the same words with no filter, or the empty search page when there are no words. */
export const unfilteredHref = (query: SearchPageQuery): string =>
  query.q === undefined ? '/search' : searchHref(query, Object.fromEntries(FILTERS.map((name) => [name, undefined])));

/** The search page for a respelled search (its "did you mean"), with the same filters. */
export const respelledHref = (query: SearchPageQuery, q: string): string => searchHref(query, { q });

/** An exact decimal with its thousands grouped, as read: -100000000000 is -100,000,000,000. */
const grouped = (value: string) => value.replace(/^(-?)(\d+)/, (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+$)/g, ','));

/** Words for a value filter: "at most -100,000,000,000 USD", "0 to 6,000,000 USD", "No. 1", "in the top 10". */
function valueLabel(min: string | undefined, max: string | undefined, unit: string): string {
  if (unit === 'rank') return rankLabel(min, max);
  if (min !== undefined && max !== undefined) return `${grouped(min)} to ${grouped(max)} ${unit}`;
  if (min !== undefined) return `at least ${grouped(min)} ${unit}`;
  return max !== undefined ? `at most ${grouped(max)} ${unit}` : `in ${unit}`;
}
function rankLabel(min: string | undefined, max: string | undefined): string {
  if (min !== undefined && min === max) return `No. ${grouped(min)}`;
  if (min === '1' && max !== undefined) return `in the top ${grouped(max)}`;
  if (min !== undefined && max !== undefined) return `No. ${grouped(min)} to No. ${grouped(max)}`;
  return min !== undefined ? `No. ${grouped(min)} or below` : max !== undefined ? `No. ${grouped(max)} or better` : 'any rank';
}
const inWords = (date: string) => partialDateInWords({ date });
/** A date filter in words: "January 2025", "2021 to 2024", "from 2024" (open to later), "until 2025". */
const dateLabel = (from: string | undefined, to: string | undefined) =>
  from === to ? inWords(from!) : to === undefined ? `from ${inWords(from!)}` : from === undefined ? `until ${inWords(to)}` : `${inWords(from)} to ${inWords(to)}`;

/** A date filter as a phrase after a verb: "in January 2025", "between 2023 and 2025", "from 2024", "until 2024". */
const datePhrase = (from: string | undefined, to: string | undefined) =>
  from !== undefined && to !== undefined ? (from === to ? `in ${inWords(from)}` : `between ${inWords(from)} and ${inWords(to)}`) : dateLabel(from, to);

/** The value and date filters in force, each with a link that lifts it (the claims list's own, for the page). */
export function boundRefinements(query: SearchPageQuery): Refinement[] {
  const rows: Refinement[] = [];
  const { unit, valueMin, valueMax, factFrom, factTo, claimedFrom, claimedTo } = query;
  if (unit !== undefined)
    rows.push({ facet: 'Value', active: { label: valueLabel(valueMin, valueMax, unit), remove: searchHref(query, { unit: undefined, valueMin: undefined, valueMax: undefined }), removeLabel: 'any value' }, values: [] });
  if (factFrom !== undefined || factTo !== undefined)
    rows.push({ facet: 'When it holds', active: { label: dateLabel(factFrom, factTo), remove: searchHref(query, { factFrom: undefined, factTo: undefined }), removeLabel: 'any time' }, values: [] });
  if (claimedFrom !== undefined || claimedTo !== undefined)
    rows.push({ facet: 'Claimed', active: { label: dateLabel(claimedFrom, claimedTo), remove: searchHref(query, { claimedFrom: undefined, claimedTo: undefined }), removeLabel: 'any time' }, values: [] });
  return rows;
}

/**
 * A search read as filters (asFilters), for the page: what it reads, in words, and the search page that searches so
 * (the page's other filters kept; `match` only where words are left).
 */
export function readingLink(query: SearchPageQuery, reading: FilterReading): { label: string; href: string } {
  const f = reading.filters;
  const claimed = f.claimedFrom === undefined && f.claimedTo === undefined ? undefined : datePhrase(f.claimedFrom, f.claimedTo);
  const parts = [
    ...(reading.q === undefined ? [] : [`“${reading.q}”`]),
    // "claimed by SemiAnalysis from 2024", not "claimed by SemiAnalysis, claimed from 2024".
    ...(f.claimant === undefined ? [] : [`claimed by ${reading.claimantName ?? f.claimant}${claimed === undefined ? '' : ` ${claimed}`}`]),
    ...(f.subject === undefined ? [] : [`about ${reading.subjectName ?? f.subject}`]),
    ...(f.unit === undefined
      ? []
      : f.unit === 'rank'
        ? [`ranked ${valueLabel(f.valueMin, f.valueMax, f.unit)}`]
        : [`a value ${f.valueMin !== undefined && f.valueMax !== undefined ? `between ${grouped(f.valueMin)} and ${grouped(f.valueMax)} ${f.unit}` : valueLabel(f.valueMin, f.valueMax, f.unit)}`]),
    ...(f.factFrom === undefined && f.factTo === undefined ? [] : [`holding ${datePhrase(f.factFrom, f.factTo)}`]),
    ...(claimed === undefined || f.claimant !== undefined ? [] : [`claimed ${claimed}`]),
  ];
  const href = searchHref(query, { ...f, q: reading.q, ...(reading.q === undefined ? { match: undefined } : {}) });
  return { label: parts.join(', '), href };
}

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

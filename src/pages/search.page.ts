// The search page: the claims list's search for people, a page at a time, with the snippet showing where each claim
// matched. The same search as GET /v1/claims?q= (src/claims/claims.search.ts), relaxed reading included.
import type { SearchMatch } from '../search/search-query.js';
import { claimList, type ListedClaim, searchForm } from './claim-list.js';
import { html } from './html.js';
import { layout } from './layout.js';

export interface SearchResults {
  /** The search as typed; undefined before one is made, or when filters alone list claims. */
  q: string | undefined;
  /** Whether claims are listed: a search was made, or filters set. */
  listed: boolean;
  claims: readonly ListedClaim[];
  match: SearchMatch | undefined;
  /** The next page's URL, or null on the last. */
  next: string | null;
  /** Whether this is a later page (reached through a cursor). */
  later: boolean;
  /** Links that narrow the search by a facet's value, or widen it again. */
  refine: readonly Refinement[];
  /** How many claims match in all, when known. */
  total?: number | undefined;
  /** The search respelled, when it found nothing as written, and its page. */
  suggestion?: { q: string; href: string } | undefined;
  /** The search read as filters (an amount, a date, a claimant), in words, and its page. */
  reading?: { label: string; href: string } | undefined;
  /** The filters in force, which a new search from the page's box keeps, and the page without them. */
  kept?: { filters: readonly (readonly [string, string])[]; unfiltered: string } | undefined;
}

/** One facet to refine by: its value in force, with a link without it, or its values with counts and links. */
export interface Refinement {
  facet: string;
  active: { label: string; remove: string; removeLabel: string } | null;
  values: readonly { label: string; count: number; href: string }[];
}

const refineNav = (refine: readonly Refinement[]) => {
  const rows = refine
    .filter((r) => r.active !== null || r.values.length > 1)
    .map((r) =>
      r.active !== null
        ? html`<li><strong>${r.facet}:</strong> ${r.active.label} (<a href="${r.active.remove}">${r.active.removeLabel}</a>)</li>`
        : html`<li><strong>${r.facet}:</strong> ${r.values.map((v, i) => html`${i > 0 ? ' · ' : ''}<a href="${v.href}">${v.label}</a> (${v.count.toLocaleString('en')})`)}</li>`,
    );
  return rows.length === 0 ? '' : html`<nav aria-label="Narrow the search" class="refine"><ul>${rows}</ul></nav>`;
};

const SYNTAX = html`<p class="muted">Every word must be in a claim; where no claim holds them all, those holding some are shown. A word also finds its plural, $800B finds $800 billion, Jan finds January. "Quoted phrases" are searched as written; deeps* finds words starting so; OR and NOT in capitals between words, OR first: nvidia OR broadcom market cap is either company's market cap. The same search as <a href="/docs">the API's</a> <code>GET /v1/claims?q=</code>.</p>`;

const heading = (total: number | undefined, later: boolean, ranked: boolean) => {
  const count = total === undefined ? 'claims' : `${total.toLocaleString('en')} ${total === 1 ? 'claim' : 'claims'}`;
  return later ? `More of the ${count}` : `${count[0]!.toUpperCase()}${count.slice(1)}${ranked ? ', best match first' : ''}`;
};

export function renderSearchPage({ q, listed, claims, match, next, later, refine, total, suggestion, reading, kept }: SearchResults, { serviceName }: { serviceName: string }): string {
  const results = !listed
    ? SYNTAX
    : html`${suggestion === undefined ? '' : html`<p class="notice" role="status">Did you mean <a href="${suggestion.href}">${suggestion.q}</a>?</p>`}
${reading === undefined ? '' : html`<p class="notice" role="status">Read as filters: <a href="${reading.href}">${reading.label}</a></p>`}
${match === 'any' ? html`<p class="notice" role="status">No claim holds every word of this search. These claims hold some of them, best first.</p>` : ''}
${refineNav(refine)}
<h2 id="results">${claims.length === 0 ? 'No claim matches' : heading(total, later, q !== undefined)}</h2>
${claims.length === 0 ? SYNTAX : claimList(claims, 'results')}
${next === null ? '' : html`<p><a rel="next" href="${next}">Next page</a></p>`}`;
  return layout({
    title: q === undefined ? (listed ? `Claims · Search · ${serviceName}` : `Search · ${serviceName}`) : `${q} · Search · ${serviceName}`,
    description: 'Search the claims: their statements, wording, caveats, quotes, qualifiers, subjects and claimants.',
    // Results change with every write: not pages to index.
    head: html`<meta name="robots" content="noindex">`,
    serviceName,
    body: html`<h1>Search claims</h1>
${searchForm(q ?? '', kept?.filters)}
${kept === undefined || kept.filters.length === 0 ? '' : html`<p class="muted">A new search keeps the filters in force. <a href="${kept.unfiltered}">Lift every filter</a></p>`}
${results}`,
  });
}

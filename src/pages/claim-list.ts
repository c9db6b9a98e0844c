// What the front page and the search page share: a list of claims, each linking to its page with its value and
// verdict, and the search box.
import type { ClaimSummary } from '../claims/claims.schemas.js';
import { claimPagePath } from '../domain/claim-view.js';
import { VERDICT_LABELS } from '../domain/labels.js';
import { partialDateInWords, timestampInWords } from './dates.js';
import { html, type SafeHtml, unsafeRaw } from './html.js';
import { valueInWords } from './value-wording.js';

/** A list entry; the editorial fields are optional so that the list works with summaries before and after them. */
export type ListedClaim = Pick<ClaimSummary, 'id' | 'statement' | 'value' | 'verdict' | 'updatedAt'> & {
  /** Who claimed it, and when: what tells apart two claims of one figure (Bloomberg's $589 billion from CNBC's). */
  claimant?: { name: string } | null | undefined;
  claimedOn?: { date: string } | null | undefined;
  retraction?: { retractedAt: string } | null | undefined;
  /** A search hit's snippet: HTML the snippet builder escaped, with the matching words in <mark>. */
  snippet?: string | undefined;
  /** The statement with a search's words in <mark>, HTML the snippet builder escaped; shown in place of the statement. */
  markedStatement?: string | undefined;
};

const MARKED = /<mark>(.*?)<\/mark>/g;
const UNESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => UNESCAPES[e]!);

/**
 * A text fragment (`#:~:text=`, which browsers scroll to and highlight) for the first word the snippet marks beyond the
 * statement: the claim's page then opens where a caveat or a quote matched ("$6 million" in the V3 cost claim's
 * caveat on rounding), not at the statement the list shows already. Empty when every match is in the statement.
 */
export function matchFragment(statement: string, snippet: string | undefined): string {
  const lower = statement.toLowerCase();
  for (const [, marked] of (snippet ?? '').matchAll(MARKED)) {
    const text = unescapeHtml(marked!);
    // The directive's own separators (- , &) are percent-encoded within its text.
    if (!lower.includes(text.toLowerCase())) return `#:~:text=${encodeURIComponent(text).replace(/-/g, '%2D')}`;
  }
  return '';
}

/** "Claimed by Bloomberg, 27 January 2025 · ", "Claimed 2024 · ", or nothing when neither is known. */
function claimedBy(c: ListedClaim): string {
  const by = c.claimant ? ` by ${c.claimant.name}` : '';
  const on = c.claimedOn ? `${by === '' ? '' : ','} ${partialDateInWords(c.claimedOn)}` : '';
  return by === '' && on === '' ? '' : `Claimed${by}${on} · `;
}

/** The claims as a list labelled by the heading with id `labelledBy`. */
export function claimList(claims: readonly ListedClaim[], labelledBy: string): SafeHtml {
  const items = claims.map(
    (c) => html`<li><a href="${claimPagePath(c.id)}${matchFragment(c.statement, c.snippet)}">${c.markedStatement === undefined ? c.statement : unsafeRaw(c.markedStatement)}</a><br>
${c.snippet === undefined ? '' : html`<span class="snippet">${unsafeRaw(c.snippet)}</span><br>`}<span class="muted">${claimedBy(c)}${c.value ? html`${valueInWords(c.value)} · ` : ''}<span class="badge v-${c.verdict}">${VERDICT_LABELS[c.verdict]}</span>${c.retraction ? ' · retracted' : ''} · updated <time datetime="${c.updatedAt}">${timestampInWords(c.updatedAt)}</time></span></li>`,
  );
  return html`<ul class="list claims" aria-labelledby="${labelledBy}">${items}</ul>`;
}

/**
 * The search box: a plain GET form, so it works without scripts (the pages' CSP allows none). `kept` are the filters
 * in force, sent again as hidden fields so that a new search stays within them.
 */
export const searchForm = (q: string, kept: readonly (readonly [string, string])[] = []): SafeHtml =>
  html`<form class="search" role="search" action="/search" method="get"><label for="q">Search claims</label>
<input id="q" name="q" type="search" value="${q}" maxlength="500" placeholder="deepseek training cost">${kept.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}<button type="submit">Search</button></form>`;

// The front page: what the service is, links to the API docs, and a list of claims with their values and
// verdicts, each linking to its page.
import type { ClaimSummary } from '../claims/claims.schemas.js';
import { claimPagePath } from '../domain/claim-view.js';
import { VERDICT_LABELS } from '../domain/labels.js';
import { timestampInWords } from './dates.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { valueInWords } from './value-wording.js';

/** A list entry; the editorial fields are optional so that the page works with summaries before and after them. */
export type IndexClaim = Pick<ClaimSummary, 'id' | 'statement' | 'value' | 'verdict' | 'updatedAt'> & {
  retraction?: { retractedAt: string } | null | undefined;
};

export function renderIndexPage(claims: IndexClaim[], { serviceName }: { serviceName: string }): string {
  const items = claims.map(
    (c) => html`<li><a href="${claimPagePath(c.id)}">${c.statement}</a><br>
<span class="muted">${c.value ? html`${valueInWords(c.value)} · ` : ''}<span class="badge v-${c.verdict}">${VERDICT_LABELS[c.verdict]}</span>${c.retraction ? ' · retracted' : ''} · updated <time datetime="${c.updatedAt}">${timestampInWords(c.updatedAt)}</time></span></li>`,
  );
  return layout({
    title: `${serviceName}: structured, sourced claims`,
    description: 'Structured, sourced claims for fact-checkers: each with its exact value, sources and quotes, caveats and assessment.',
    serviceName,
    body: html`<h1>Structured, sourced claims</h1>
<p>Each claim is stored as data: its exact value and what it is compared with, when it holds, who makes it, the sources with their exact quotes, its caveats and our assessment. Programs read the same records through the <a href="/docs">REST API</a> (<a href="/openapi.json">OpenAPI document</a>).</p>
<h2 id="recent">Recently updated claims</h2>
${claims.length === 0 ? html`<p>No claims yet.</p>` : html`<ul class="list claims" aria-labelledby="recent">${items}</ul>`}`,
  });
}

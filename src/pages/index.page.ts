// The front page: what the service is, links to the API docs, a search box, and a list of claims with their values
// and verdicts, each linking to its page.
import { claimList, type ListedClaim, searchForm } from './claim-list.js';
import { html } from './html.js';
import { layout } from './layout.js';

export function renderIndexPage(claims: ListedClaim[], { serviceName }: { serviceName: string }): string {
  return layout({
    title: `${serviceName}: structured, sourced claims`,
    description: 'Structured, sourced claims for fact-checkers: each with its exact value, sources and quotes, caveats and assessment.',
    serviceName,
    body: html`<h1>Structured, sourced claims</h1>
<p>Each claim is stored as data: its exact value and what it is compared with, when it holds, who makes it, the sources with their exact quotes, its caveats and our assessment. Programs read the same records through the <a href="/docs">REST API</a> (<a href="/openapi.json">OpenAPI document</a>).</p>
${searchForm('')}
<h2 id="recent">Recently updated claims</h2>
${claims.length === 0 ? html`<p>No claims yet.</p>` : claimList(claims, 'recent')}`,
  });
}

// The page a person reads and cites for one claim. Order of prominence (issue 6): statement and value, the
// assessment, caveats, sources with quotes (primary first), related claims, subjects and claimant, the revision,
// and a "cite this" box. A retraction comes before everything. No JavaScript; every value is escaped by `html`.
import { citeClaim } from '../citation/citation.js';
import { toClaimReview } from '../claimreview/claimreview.js';
import { absolute, type ClaimView, claimPagePath, claimRevisionPath, claimSelfPath, type PublishContext } from '../domain/claim-view.js';
import {
  CAVEAT_LABELS,
  CLAIM_KIND_LABELS,
  ENTITY_TYPE_LABELS,
  EVIDENCE_LABELS,
  RELATION_LABELS,
  ROLE_LABELS,
  SOURCE_TYPE_LABELS,
  STANCE_LABELS,
  VERDICT_LABELS,
} from '../domain/labels.js';
import { partialDateInWords, periodInWords, timestampInWords } from './dates.js';
import { html, httpUrl, jsonForScript, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { valueInWords } from './value-wording.js';

export interface ClaimPageContext extends PublishContext {
  /** Today, for the "accessed" date of the ready-made citations. */
  now: Date;
  /** The page of a revision's permalink (claim-revision.page.ts): the claim as recorded then, names as they were. */
  asRevision?: boolean;
}

type Citation = ClaimView['citations'][number];

/** A link when the URL is http(s), otherwise the text alone: no javascript: or data: URL becomes clickable. */
const link = (url: string | null | undefined, text: SafeHtml | string) => {
  const safe = httpUrl(url);
  return safe ? html`<a href="${safe}">${text}</a>` : html`${text}`;
};

function retractionBanner(claim: ClaimView, asRevision: boolean): SafeHtml | '' {
  const r = claim.retraction;
  if (!r) return '';
  const kept = asRevision
    ? html`<p>The record below is kept as it was when it was retracted, with each entity and source as it was then.</p>`
    : html`<p>The record below is kept as it was when it was retracted; names of entities and sources are shown as they are
now. The <a href="${claimRevisionPath(claim)}">revision permalink</a> pins each to the revision it had.</p>`;
  return html`<section class="retraction" aria-labelledby="retracted">
<h2 id="retracted">This claim has been retracted</h2>
<p>Retracted on <time datetime="${r.retractedAt}">${timestampInWords(r.retractedAt)}</time>: ${r.reason}</p>
${r.supersededBy ? html`<p>It is superseded by <a href="${claimPagePath(r.supersededBy)}">claim ${r.supersededBy}</a>.</p>` : ''}
${kept}
</section>`;
}

/** On a revision's permalink: which version this is, and where the claim is now. */
function revisionNote(claim: ClaimView): SafeHtml {
  return html`<section class="revision-note" aria-labelledby="this-revision">
<h2 id="this-revision">Revision ${claim.revision} of this claim</h2>
<p>As recorded on <time datetime="${claim.updatedAt}">${timestampInWords(claim.updatedAt)}</time>, with every entity,
source and related claim as it was then. This page never changes. <a href="${claimPagePath(claim.id)}">The claim as it is
now</a> may have been corrected or retracted since; its <a href="${claimSelfPath(claim)}/revisions">history</a> lists every
revision.</p>
</section>`;
}

function headline(claim: ClaimView): SafeHtml {
  const facts: SafeHtml[] = [];
  if (claim.factPeriod) facts.push(html`<dt>When it holds</dt><dd>${periodInWords(claim.factPeriod)}</dd>`);
  if (claim.claimedOn) facts.push(html`<dt>Claimed on</dt><dd>${partialDateInWords(claim.claimedOn)}</dd>`);
  for (const q of claim.qualifiers) facts.push(html`<dt>${q.key}</dt><dd>${q.value}</dd>`);
  return html`<p class="kind">${CLAIM_KIND_LABELS[claim.kind]}</p>
<h1>${claim.statement}</h1>
${claim.value ? html`<p class="value">Value: <strong>${valueInWords(claim.value)}</strong></p>` : ''}
${claim.value?.basis ? html`<p class="muted">Basis: ${claim.value.basis}</p>` : ''}
${claim.articleWording ? html`<p>As worded in the article:</p><blockquote><p>${claim.articleWording}</p></blockquote>` : ''}
${facts.length > 0 ? html`<dl>${facts}</dl>` : ''}`;
}

function assessment(claim: ClaimView): SafeHtml {
  const { verdict, explanation } = claim.assessment;
  return html`<section aria-labelledby="assessment"><h2 id="assessment">Assessment</h2>
<p><span class="badge v-${verdict}">${VERDICT_LABELS[verdict]}</span></p>
${explanation ? html`<p>${explanation}</p>` : ''}
</section>`;
}

function caveats(claim: ClaimView): SafeHtml | '' {
  if (claim.caveats.length === 0) return '';
  return html`<section aria-labelledby="caveats"><h2 id="caveats">Caveats</h2>
<ol class="list">${claim.caveats.map((c) => html`<li><strong>${CAVEAT_LABELS[c.kind]}:</strong> ${c.text}</li>`)}</ol>
</section>`;
}

function locatorText(locator: Citation['locator']): string | null {
  if (!locator) return null;
  const parts = [
    locator.section && `section ${locator.section}`,
    locator.page && `page ${locator.page}`,
    locator.table && `table ${locator.table}`,
    locator.note,
  ].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join('; ') : null;
}

function source(c: Citation): SafeHtml {
  const s = c.source;
  const url = httpUrl(s.url);
  const where = locatorText(c.locator);
  const meta = [ROLE_LABELS[c.role], SOURCE_TYPE_LABELS[s.type], s.publisher, s.publishedOn && partialDateInWords(s.publishedOn)].filter(Boolean).join(' · ');
  // The source record may carry how it was read; the summarised SourceRef does not, so it is shown when present.
  const evidence = (s as { evidence?: keyof typeof EVIDENCE_LABELS }).evidence;
  return html`<li>
<h3>${link(url, s.title)}</h3>
<p class="muted">${meta}. The source ${STANCE_LABELS[c.stance]}${evidence ? html`; ${EVIDENCE_LABELS[evidence]}` : ''}.</p>
${c.quote ? html`<blockquote${url ? html` cite="${url}"` : ''}><p>${c.quote}</p></blockquote>` : ''}
${where ? html`<p class="muted">Where: ${where}</p>` : ''}
${url ? '' : html`<p class="muted">No confirmed web address for this source.</p>`}
</li>`;
}

function sources(claim: ClaimView): SafeHtml {
  const ordered = [...claim.citations].sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1));
  return html`<section aria-labelledby="sources"><h2 id="sources">Sources</h2>
<ol class="list">${ordered.map(source)}</ol>
</section>`;
}

/** The retracted claims this one replaces: a reader who arrives at the successor learns what it corrects. */
function replaces(claim: ClaimView): SafeHtml | '' {
  if (!claim.supersedes?.length) return '';
  return html`<section aria-labelledby="replaces"><h2 id="replaces">Replaces</h2>
<ul class="list">${claim.supersedes.map((r) => html`<li><strong>[Retracted]</strong> <a href="${claimPagePath(r.id)}">${r.statement}</a></li>`)}</ul>
</section>`;
}

function related(claim: ClaimView): SafeHtml | '' {
  if (claim.relations.length === 0) return '';
  return html`<section aria-labelledby="related"><h2 id="related">Related claims</h2>
<ul class="list">${claim.relations.map(
    (r) =>
      html`<li>${RELATION_LABELS[r.type]}: ${r.claim.retracted ? html`<strong>[Retracted]</strong> ` : ''}<a href="${claimPagePath(r.claim.id)}">${r.claim.statement}</a>${r.note ? html` <span class="muted">(${r.note})</span>` : ''}</li>`,
  )}</ul>
</section>`;
}

function about(claim: ClaimView): SafeHtml {
  const entity = (e: { name: string; type: keyof typeof ENTITY_TYPE_LABELS }) => html`${e.name} <span class="muted">(${ENTITY_TYPE_LABELS[e.type]})</span>`;
  return html`<section aria-labelledby="about"><h2 id="about">Who and what</h2>
<dl>
<dt>About</dt><dd>${claim.subjects.map((s, i) => html`${i > 0 ? ', ' : ''}${entity(s)}`)}</dd>
<dt>Claimant</dt><dd>${claim.claimant ? entity(claim.claimant) : 'Nobody can be named'}</dd>
</dl>
</section>`;
}

function revision(claim: ClaimView, ctx: ClaimPageContext): SafeHtml {
  return html`<section aria-labelledby="revision"><h2 id="revision">Revision</h2>
<dl>
<dt>Revision</dt><dd>${claim.revision}, of <time datetime="${claim.updatedAt}">${timestampInWords(claim.updatedAt)}</time></dd>
<dt>First published</dt><dd><time datetime="${claim.createdAt}">${timestampInWords(claim.createdAt)}</time></dd>
<dt>Data</dt><dd><a href="${claimSelfPath(claim)}">JSON</a> · <a href="${absolute(ctx, claimRevisionPath(claim))}">this revision</a> · <a href="${claimSelfPath(claim)}/revisions">history</a></dd>
</dl>
</section>`;
}

const CITE_STYLES = [
  ['apa', 'APA (7th edition)'],
  ['mla', 'MLA (9th edition)'],
  ['chicago', 'Chicago (17th edition)'],
  ['bibtex', 'BibTeX'],
] as const;

async function citeThis(claim: ClaimView, ctx: ClaimPageContext): Promise<SafeHtml> {
  const permalink = absolute(ctx, claimRevisionPath(claim));
  const cite = { ...ctx, accessed: ctx.now };
  const texts = await Promise.all(CITE_STYLES.map(async ([style]) => (await citeClaim(claim, style, cite)).trim()));
  return html`<section class="cite" aria-labelledby="cite"><h2 id="cite">Cite this claim</h2>
<p>Permalink to this revision (it will always show this version): <a href="${permalink}">${permalink}</a></p>
${CITE_STYLES.map(([style, label], i) => {
    const text = texts[i]!;
    const rows = Math.min(12, Math.max(3, Math.ceil(text.length / 70) + text.split('\n').length - 1));
    return html`<label for="cite-${style}">${label}</label><textarea id="cite-${style}" readonly rows="${rows}">${text}</textarea>`;
  })}
${
    // Those cite the claim as it is now, not the revision a revision's page shows.
    ctx.asRevision
      ? ''
      : html`<p class="muted">Also as <a href="${claimSelfPath(claim)}/citation?style=ris">RIS</a>, <a href="${claimSelfPath(claim)}/citation?style=csl-json">CSL-JSON</a> and <a href="${claimSelfPath(claim)}/citation?style=harvard">Harvard</a>.</p>`
  }
</section>`;
}

/** The whole HTML document for one claim, with its ClaimReview JSON-LD in the head. */
export async function renderClaimPage(claim: ClaimView, ctx: ClaimPageContext): Promise<string> {
  const citations = await citeThis(claim, ctx);
  const asRevision = ctx.asRevision === true;
  // A retracted review is not published to crawlers as one (its JSON-LD, asked for, says it was retracted); nor is
  // a past revision, whose review may have been corrected since.
  const jsonLd =
    claim.retraction || asRevision ? undefined : html`<script type="application/ld+json">${jsonForScript(toClaimReview(claim, ctx))}</script>`;
  const retracted = `${asRevision ? `Revision ${claim.revision}: ` : ''}${claim.retraction ? 'Retracted: ' : ''}`;
  const verdict = claim.retraction ? 'Retracted.' : `${VERDICT_LABELS[claim.assessment.verdict]}.`;
  return layout({
    title: `${retracted}${claim.statement} | ${ctx.serviceName}`,
    description: `${retracted}${claim.statement}${claim.value ? ` Value: ${valueInWords(claim.value)}.` : ''} ${verdict}`,
    canonical: absolute(ctx, asRevision ? claimRevisionPath(claim) : claimPagePath(claim.id)),
    ...(jsonLd ? { head: jsonLd } : {}),
    serviceName: ctx.serviceName,
    body: html`<article>
${asRevision ? revisionNote(claim) : ''}
${retractionBanner(claim, asRevision)}
${headline(claim)}
${assessment(claim)}
${caveats(claim)}
${sources(claim)}
${replaces(claim)}
${related(claim)}
${about(claim)}
${revision(claim, ctx)}
${citations}
</article>`,
  });
}

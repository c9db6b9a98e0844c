// schema.org ClaimReview (https://schema.org/ClaimReview) of one claim, as JSON-LD: what search engines and
// fact-check aggregators read. The review is ours (author = this service); the reviewed Claim's author is the
// claimant, and its appearances are the documents where the claim is made or relayed.
import { absolute, type ClaimView, claimPagePath, claimRevisionPath, type PublishContext } from '../domain/claim-view.js';
import { VERDICT_LABELS } from '../domain/labels.js';
import { firstDay } from '../domain/partial-date.js';
import { httpUrl } from '../pages/html.js';
import type { ENTITY_TYPES, SOURCE_TYPES, VERDICTS } from '../domain/vocabulary.js';

/**
 * Verdicts on a 1-5 scale of how far a reader can rely on the claim as worded (5 best). Ordinal, not a
 * measurement; `alternateName` carries the verdict itself and is what readers should show.
 *   accurate 5, accurate_with_caveats 4 (true, but needs its caveats),
 *   unsupported 3 (no evidence either way: cannot be relied on, yet not shown wrong, so above misleading),
 *   misleading 2 (grounded in something true but leaves a false impression), false 1.
 * `unassessed` gets no number at all: we have not reviewed it, and any position on the scale (even the middle)
 * would publish a judgement we have not made. Its Rating carries only alternateName "Not yet assessed".
 */
export const VERDICT_RATINGS: Record<(typeof VERDICTS)[number], number | null> = {
  accurate: 5,
  accurate_with_caveats: 4,
  unsupported: 3,
  misleading: 2,
  false: 1,
  unassessed: null,
};
export const BEST_RATING = 5;
export const WORST_RATING = 1;

/** Claimants are people or bodies; schema.org's author takes a Person or an Organization. */
const AUTHOR_TYPES: Record<(typeof ENTITY_TYPES)[number], 'Person' | 'Organization' | 'GovernmentOrganization'> = {
  person: 'Person',
  government_agency: 'GovernmentOrganization',
  organization: 'Organization',
  // A country, model, product or app cannot author anything; if one is recorded as claimant, the body behind it
  // is meant, so it is typed as an Organization rather than dropped.
  country: 'Organization',
  ai_model: 'Organization',
  product: 'Organization',
  app: 'Organization',
};

const WORK_TYPES: Record<(typeof SOURCE_TYPES)[number], string> = {
  paper: 'ScholarlyArticle',
  news_article: 'NewsArticle',
  analyst_report: 'Report',
  government_record: 'CreativeWork',
  press_release: 'CreativeWork',
  dataset: 'Dataset',
  web_page: 'WebPage',
  code_repository: 'SoftwareSourceCode',
};

type Citation = ClaimView['citations'][number];

function creativeWork({ source }: Citation) {
  return {
    '@type': WORK_TYPES[source.type],
    name: source.title,
    ...(httpUrl(source.url) ? { url: httpUrl(source.url) } : {}),
    ...(source.publisher ? { publisher: { '@type': 'Organization', name: source.publisher } } : {}),
    // ISO 8601 at the precision we know ("2025-01" stays a month), which schema.org's Date accepts.
    ...(source.publishedOn ? { datePublished: source.publishedOn.date } : {}),
  };
}

/**
 * Where the claim appears: the documents that make it (`states`) or relay it (`reports`), primary first, each once
 * (a source cited for two passages is one document). Sources that only support, contradict or contextualise it are
 * evidence, not appearances. If no citation states or reports the claim, every cited document is listed, so
 * appearance is never empty.
 */
function appearances(claim: ClaimView): Citation[] {
  const byRole = (a: Citation, b: Citation) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1);
  const making = claim.citations.filter((c) => c.stance === 'states' || c.stance === 'reports');
  const seen = new Set<string>();
  return [...(making.length > 0 ? making : claim.citations)].sort(byRole).filter((c) => !seen.has(c.source.id) && seen.add(c.source.id));
}

/** The earliest dated appearance (partial dates compare by their first day); null when none is dated. */
function firstAppearance(cited: Citation[]): Citation | null {
  const dated = cited.filter((c) => c.source.publishedOn !== null);
  const start = (c: Citation) => firstDay(c.source.publishedOn!.date);
  return dated.reduce<Citation | null>((best, c) => (best === null || start(c) < start(best) ? c : best), null);
}

/**
 * The rating: the verdict, or for a retracted claim no verdict at all. A consumer that shows `alternateName` (as
 * aggregators do) must not show a withdrawn review as a live one, so the retraction takes its place and the former
 * verdict is only told in the explanation.
 */
function reviewRating(claim: ClaimView) {
  const label = VERDICT_LABELS[claim.assessment.verdict];
  const r = claim.retraction;
  if (r) {
    const reason = /[.!?]$/.test(r.reason) ? r.reason : `${r.reason}.`;
    const explanation = `Retracted on ${r.retractedAt.slice(0, 10)}: ${reason} Before it was retracted, the verdict was "${label}".`;
    return { '@type': 'Rating', alternateName: 'Retracted', ratingExplanation: explanation };
  }
  const rating = VERDICT_RATINGS[claim.assessment.verdict];
  return {
    '@type': 'Rating',
    alternateName: label,
    ...(rating === null ? {} : { ratingValue: rating, bestRating: BEST_RATING, worstRating: WORST_RATING }),
    ...(claim.assessment.explanation ? { ratingExplanation: claim.assessment.explanation } : {}),
  };
}

/** A retracted review says so (creativeWorkStatus) and why (correction), naming the claim that replaces it. */
function retraction(claim: ClaimView, ctx: PublishContext) {
  const r = claim.retraction;
  if (!r) return {};
  return {
    creativeWorkStatus: 'Retracted',
    correction: {
      '@type': 'CorrectionComment',
      text: r.reason,
      datePublished: r.retractedAt.slice(0, 10),
      ...(r.supersededBy ? { url: absolute(ctx, claimPagePath(r.supersededBy)) } : {}),
    },
  };
}

export function toClaimReview(claim: ClaimView, ctx: PublishContext) {
  const cited = appearances(claim);
  const first = firstAppearance(cited);
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    // Identified by the revision's permalink, which never changes; found at the claim's page, which hosts it.
    '@id': absolute(ctx, claimRevisionPath(claim)),
    url: absolute(ctx, claimPagePath(claim.id)),
    claimReviewed: claim.statement,
    datePublished: claim.createdAt.slice(0, 10),
    dateModified: claim.updatedAt.slice(0, 10),
    author: { '@type': 'Organization', name: ctx.serviceName, url: `${ctx.baseUrl.replace(/\/+$/, '')}/` },
    itemReviewed: {
      '@type': 'Claim',
      ...(claim.claimant ? { author: { '@type': AUTHOR_TYPES[claim.claimant.type], name: claim.claimant.name } } : {}),
      ...(claim.claimedOn ? { datePublished: claim.claimedOn.date } : {}),
      appearance: cited.map(creativeWork),
      ...(first ? { firstAppearance: creativeWork(first) } : {}),
    },
    reviewRating: reviewRating(claim),
    ...retraction(claim, ctx),
  };
}
export type ClaimReview = ReturnType<typeof toClaimReview>;

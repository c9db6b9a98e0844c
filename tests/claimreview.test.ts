// The ClaimReview JSON-LD is valid linked data: expanded by the jsonld library with a document loader that
// refuses the network and serves the bundled schema.org context, it yields the expected types and values.
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { SCHEMA_ORG_CONTEXT, SCHEMA_ORG_CONTEXT_URLS } from '../src/claimreview/schemaorg-context.js';
import { toClaimReview, VERDICT_RATINGS } from '../src/claimreview/claimreview.js';
import { VERDICTS } from '../src/domain/vocabulary.js';
import { createTestStore } from './helpers.js';

const { store } = createTestStore();
const ctx = { baseUrl: 'https://claims.example.org', serviceName: 'Claims API' };
const S = 'http://schema.org/';

const requested: string[] = [];
const documentLoader = async (url: string) => {
  requested.push(url);
  if ((SCHEMA_ORG_CONTEXT_URLS as readonly string[]).includes(url)) return { contextUrl: undefined, documentUrl: url, document: SCHEMA_ORG_CONTEXT };
  throw new Error(`network refused in tests: ${url}`);
};

type Node = Record<string, unknown[]>;
const expand = async (doc: object) => (await jsonld.expand(doc as never, { documentLoader: documentLoader as never })) as unknown as Node[];
const one = (node: Node, prop: string) => (node[S + prop] ?? [])[0] as Record<string, unknown> & Node;
const value = (node: Node, prop: string) => one(node, prop)?.['@value'];

describe('ClaimReview JSON-LD', () => {
  it('expands offline to a ClaimReview of a Claim, with the claimant as author and a Rating', async () => {
    const claim = store.claims.get('semianalysis-deepseek-hardware-spend')!;
    const [review] = await expand(toClaimReview(claim, ctx));
    expect(requested.every((u) => (SCHEMA_ORG_CONTEXT_URLS as readonly string[]).includes(u))).toBe(true);
    expect(review!['@type']).toEqual([`${S}ClaimReview`]);
    expect(value(review!, 'claimReviewed')).toBe(claim.statement);
    // Identified by the revision's permalink; url (@id-typed) is the page that hosts it; dates are schema:Date.
    expect(review!['@id']).toBe(`https://claims.example.org/v1/claims/semianalysis-deepseek-hardware-spend/revisions/${claim.revision}`);
    expect(one(review!, 'url')['@id']).toBe('https://claims.example.org/c/semianalysis-deepseek-hardware-spend');
    expect(one(review!, 'datePublished')).toEqual({ '@value': claim.createdAt.slice(0, 10), '@type': `${S}Date` });
    expect(one(review!, 'author')['@type']).toEqual([`${S}Organization`]);
    expect(value(one(review!, 'author'), 'name')).toBe('Claims API');

    const item = one(review!, 'itemReviewed');
    expect(item['@type']).toEqual([`${S}Claim`]);
    expect(one(item, 'author')['@type']).toEqual([`${S}Organization`]);
    expect(value(one(item, 'author'), 'name')).toBe('SemiAnalysis');
    const appearances = item[`${S}appearance`] as Node[];
    expect(appearances.length).toBeGreaterThan(0);
    expect(one(item, 'firstAppearance')).toBeDefined();

    const rating = one(review!, 'reviewRating');
    expect(rating['@type']).toEqual([`${S}Rating`]);
    expect(value(rating, 'alternateName')).toBe('Accurate, with caveats');
    expect(value(rating, 'ratingValue')).toBe(4);
    expect(value(rating, 'bestRating')).toBe(5);
    expect(value(rating, 'worstRating')).toBe(1);
  });

  it('gives sources as typed creative works, the earliest dated one as first appearance', async () => {
    const claim = store.claims.get('nvidia-broadcom-combined-market-cap-loss-2025-01-27')!;
    const review = toClaimReview(claim, ctx);
    const dates = review.itemReviewed.appearance.map((a) => a.datePublished).filter((d): d is string => d !== undefined).sort();
    expect(review.itemReviewed.firstAppearance?.datePublished).toBe(dates[0]);
    const [expanded] = await expand(review);
    const first = one(one(expanded!, 'itemReviewed'), 'firstAppearance');
    expect(String((first['@type'] as string[])[0])).toMatch(/^http:\/\/schema\.org\/(NewsArticle|CreativeWork|Report|WebPage|ScholarlyArticle|Dataset)$/);
    expect(value(first, 'name')).toBeTruthy();
  });

  it('lists each document the claim appears in once, though it cites one for several passages', async () => {
    const claim = store.claims.get('semianalysis-deepseek-hardware-spend')!;
    const making = claim.citations.filter((c) => c.stance === 'states' || c.stance === 'reports').map((c) => c.source.id);
    expect(new Set(making).size, 'the seed cites one source for several passages here').toBeLessThan(making.length);
    const names = toClaimReview(claim, ctx).itemReviewed.appearance.map((a) => a.url ?? a.name);
    expect(names).toHaveLength(new Set(making).size);
    expect(new Set(names).size).toBe(names.length);
  });

  it('maps every verdict; unassessed gets a label and no number', async () => {
    expect(Object.keys(VERDICT_RATINGS).sort()).toEqual([...VERDICTS].sort());
    const claim = store.claims.get('semianalysis-r1-reasoning-edge-quote')!;
    expect(toClaimReview(claim, ctx).reviewRating).toMatchObject({ alternateName: 'Misleading', ratingValue: 2 });
    const unassessed = toClaimReview({ ...claim, assessment: { verdict: 'unassessed', explanation: null } }, ctx);
    expect(unassessed.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Not yet assessed' });
    const [expanded] = await expand(unassessed);
    expect(one(expanded!, 'reviewRating')[`${S}ratingValue`]).toBeUndefined();
  });

  it('says a retracted review was retracted, gives no verdict as its rating, and names the successor', async () => {
    const claim = {
      ...store.claims.get('semianalysis-deepseek-hardware-spend')!,
      retraction: { reason: 'Replaced by a corrected figure', retractedAt: '2026-02-01T09:00:00.000Z', supersededBy: 'deepseek-v3-training-cost' },
    };
    const review = toClaimReview(claim, ctx);
    expect(review.reviewRating).toEqual({
      '@type': 'Rating',
      alternateName: 'Retracted',
      ratingExplanation: 'Retracted on 2026-02-01: Replaced by a corrected figure. Before it was retracted, the verdict was "Accurate, with caveats".',
    });
    const [expanded] = await expand(review);
    expect(value(expanded!, 'creativeWorkStatus')).toBe('Retracted');
    const correction = one(expanded!, 'correction');
    expect(correction['@type']).toEqual([`${S}CorrectionComment`]);
    expect(value(correction, 'text')).toBe('Replaced by a corrected figure');
    expect(one(correction, 'url')['@id']).toBe('https://claims.example.org/c/deepseek-v3-training-cost');
    expect(one(expanded!, 'reviewRating')[`${S}ratingValue`]).toBeUndefined();
  });

  it('refuses any other remote document', async () => {
    await expect(expand({ '@context': 'https://example.org/ctx.jsonld', name: 'x' })).rejects.toThrow();
  });
});

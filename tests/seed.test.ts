// The seed says what the research says: exact figures with their comparators, caveats kept, sources traced.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../src/claims/claims.schemas.js';
import { collectIds, createTestApp } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
const claims = new Map<string, Claim>();
const claim = (id: string) => {
  const c = claims.get(id);
  if (!c) throw new Error(`seed has no claim ${id}`);
  return c;
};

// Typographic quotes and spacing vary between copies; words and figures must not.
const normalise = (s: string) => s.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim();
const article = normalise(readFileSync(new URL('../seed/article.txt', import.meta.url), 'utf8'));
// The research, plus the few documented additions the seed makes beyond it.
const research = ['seed-facts.md', 'seed-additions.md']
  .map((f) => normalise(readFileSync(new URL(`../docs/research/${f}`, import.meta.url), 'utf8')))
  .join('\n');

beforeAll(async () => {
  ctx = await createTestApp();
  for (const id of await collectIds(ctx.app, '/v1/claims?limit=100')) claims.set(id, (await ctx.app.inject(`/v1/claims/${id}`)).json());
});
afterAll(() => ctx.app.close());

describe('seed fidelity', () => {
  it('V3 training cost: exactly 5576000 USD, scoped to official training, the technical report as primary source', () => {
    const c = claim('deepseek-v3-training-cost');
    expect(c.kind).toBe('cost_figure');
    expect(c.value).toMatchObject({ comparator: 'eq', amount: '5576000', unit: 'USD' });
    expect(c.claimant?.id).toBe('deepseek');
    expect(c.claimedOn).toEqual({ date: '2024-12-26', precision: 'day' });
    expect(c.caveats.some((k) => k.kind === 'scope' && /prior research/i.test(k.text) && /ablation/i.test(k.text))).toBe(true);
    expect(c.caveats.some((k) => k.kind === 'assumption' && /\$2/.test(k.text))).toBe(true);
    const primary = c.citations.filter((x) => x.role === 'primary');
    expect(primary.map((x) => x.source.id)).toContain('deepseek-v3-technical-report');
    expect(primary.some((x) => x.quote?.includes('$5.576M') && x.locator?.table === 'Table 1')).toBe(true);
    expect(c.assessment.verdict).toBe('accurate_with_caveats');
    // The total aggregates its three stages, which add up exactly.
    const parts = c.relations.filter((r) => r.type === 'aggregates').map((r) => claim(r.claim.id).value!.amount);
    expect(parts.map(Number).reduce((a, b) => a + b, 0)).toBe(5576000);
  });

  it('SemiAnalysis hardware spend is a floor: gt 500000000 USD, an estimate', () => {
    const c = claim('semianalysis-deepseek-hardware-spend');
    expect(c.kind).toBe('spend_estimate');
    expect(c.value).toMatchObject({ comparator: 'gt', amount: '500000000', unit: 'USD' });
    expect(c.claimant?.id).toBe('semianalysis');
    expect(c.caveats.some((k) => k.kind === 'estimate')).toBe(true);
  });

  it('the combined $800B loss is approximate and aggregates the Nvidia and Broadcom losses', () => {
    const c = claim('nvidia-broadcom-combined-market-cap-loss-2025-01-27');
    expect(c.kind).toBe('market_value_change');
    expect(c.value).toMatchObject({ comparator: 'approx', amount: '-800000000000', unit: 'USD' });
    expect(c.factPeriod).toEqual({ start: { date: '2025-01-27', precision: 'day' }, end: { date: '2025-01-27', precision: 'day' } });
    const parts = c.relations.filter((r) => r.type === 'aggregates').map((r) => r.claim.id).sort();
    expect(parts).toEqual(['broadcom-market-cap-loss-2025-01-27-cnbc', 'nvidia-market-cap-loss-2025-01-27-cnbc']);
    for (const id of parts) {
      expect(claim(id).relations).toContainEqual(expect.objectContaining({ type: 'part_of', claim: expect.objectContaining({ id: c.id }) }));
    }
  });

  it('each Nvidia loss figure names its data vendor or says that none is named', () => {
    for (const c of claims.values()) {
      if (c.kind !== 'market_value_change' || !c.subjects.some((s) => s.id === 'nvidia') || c.subjects.length > 1) continue;
      const vendor = c.qualifiers.find((q) => q.key === 'dataVendor');
      expect(vendor !== undefined || c.caveats.some((k) => /vendor/i.test(k.text)), c.id).toBe(true);
    }
    expect(claim('nvidia-market-cap-loss-2025-01-27-lseg').qualifiers).toContainEqual({ key: 'dataVendor', value: 'LSEG' });
  });

  it('market losses rest on news reports of market data: no primary source, and every Nvidia figure notes the rebound', () => {
    const losses = [...claims.values()].filter((c) => c.kind === 'market_value_change');
    expect(losses.length).toBe(5);
    for (const c of losses) {
      // Research §3: "all secondary: news reports of market data"; its summary gives the primary source as none. So
      // citationRole=primary, a fact-checker's "has a primary source" filter, must not return these.
      expect(c.citations.filter((x) => x.role === 'primary'), c.id).toEqual([]);
      if (c.subjects.some((s) => s.id === 'nvidia')) {
        expect(c.caveats.some((k) => k.kind === 'timing' && /recovered some of the loss the next day/.test(k.text)), c.id).toBe(true);
        expect(c.caveats.some((k) => k.kind === 'unverified' && /rebound/.test(k.text)), c.id).toBe(true);
      }
    }
  });

  it('the "US chip industry to $1 trillion" wording is unsupported; the global forecast stands beside it', () => {
    const us = claim('us-chip-industry-1-trillion-within-decade');
    expect(us.assessment.verdict).toBe('unsupported');
    expect(us.claimant).toBeNull();
    // The research finds no primary source for the US framing: McKinsey's global forecast is cited against it, so a
    // client asking for claims with a primary source (citationRole=primary) must not get this one.
    expect(us.citations.filter((c) => c.role === 'primary')).toEqual([]);
    expect(us.citations.find((c) => c.source.id === 'mckinsey-2022-semiconductor-decade')?.stance).toBe('contradicts');
    const global = claim('semiconductor-sales-1-trillion-by-2030');
    expect(global.value).toMatchObject({ comparator: 'approx', amount: '1000000000000', unit: 'USD' });
    expect(global.relations).toContainEqual(expect.objectContaining({ type: 'contradicts', claim: expect.objectContaining({ id: us.id }) }));
  });

  it('the quote is attributed to SemiAnalysis, not unnamed experts, and marked misleading as the article used it', () => {
    const c = claim('semianalysis-r1-reasoning-edge-quote');
    expect(c.claimant?.id).toBe('semianalysis');
    expect(c.assessment.verdict).toBe('misleading');
    expect(c.citations[0]?.quote).toContain('catching up to the reasoning edge this quickly is objectively impressive');
  });

  it('R1 is MIT-licensed, separately from V3', () => {
    expect(claim('deepseek-r1-mit-licence').subjects.map((s) => s.id)).toContain('deepseek-r1');
    expect(claim('deepseek-r1-mit-licence').qualifiers).toContainEqual({ key: 'licence', value: 'MIT License' });
    expect(claim('deepseek-v3-training-cost').subjects.map((s) => s.id)).toContain('deepseek-v3');
    expect(claim('deepseek-v3-training-cost').subjects.map((s) => s.id)).not.toContain('deepseek-r1');
  });

  it('marks no self-reported, unaudited figure plain `accurate`: it is accurate with that caveat', () => {
    const unaudited = [...claims.values()].filter((c) => c.caveats.some((cv) => /not independently audited|no independent party has audited/i.test(cv.text)));
    expect(unaudited.length).toBeGreaterThan(3);
    for (const c of unaudited) expect(c.assessment.verdict, c.id).not.toBe('accurate');
  });

  it("names every subject entity the research gives SemiAnalysis's estimate and the combined loss", () => {
    const subjects = (id: string) => claim(id).subjects.map((s) => s.id);
    expect(subjects('semianalysis-deepseek-hardware-spend')).toEqual(
      expect.arrayContaining(['deepseek', 'high-flyer', 'nvidia-a100', 'nvidia-h100', 'nvidia-h800', 'nvidia-h20', 'anthropic']),
    );
    expect(subjects('nvidia-broadcom-combined-market-cap-loss-2025-01-27')).toEqual(expect.arrayContaining(['nvidia', 'broadcom', 'nasdaq']));
  });

  it('carries all eight claims of the article, each worded exactly as the article has it', () => {
    const fromArticle = [...claims.values()].filter((c) => c.articleWording !== null);
    expect(fromArticle).toHaveLength(8);
    for (const c of fromArticle) expect(article, c.id).toContain(normalise(c.articleWording!));
  });

  it('every claim cites a source with a URL, every URL is one the research recorded, every quote is in it word for word', () => {
    for (const c of claims.values()) {
      expect(c.citations.some((x) => x.source.url !== null), `${c.id} has a source a reader can open`).toBe(true);
      for (const x of c.citations) {
        // A plausible-looking URL nobody checked is an invented citation: leave it null instead.
        // A GitHub URL may be spelled out from the repository name the research gives (`deepseek-ai/DeepSeek-R1`).
        const url = x.source.url?.replace(/^https:\/\/github\.com\//, '');
        if (url) expect(research, `${x.source.id} URL`).toContain(url);
        if (x.quote === null) continue;
        // Quotes may join the research's excerpts with an ellipsis; each excerpt must appear in the research.
        for (const piece of normalise(x.quote).split(/\s*…\s*/).filter((p) => p.length > 3))
          expect(research, `${c.id} quotes ${x.source.id}`).toContain(piece);
      }
    }
  });
});

// A search read as filters (src/search/query-filters.ts, `asFilters`): the phrases it reads and those it leaves as
// words, the sign of a fall, dates at their precision, claimants by name; and over HTTP on the seed, that the reading
// is offered only when it finds claims, never over the request's own filters, only on a first page, and that its
// link finds exactly the claims its filters say.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDay, isValidPartialDate, lastDay } from '../src/domain/partial-date.js';
import { shifted } from '../src/search/query-dates.js';
import { readFilters } from '../src/search/query-filters.js';
import { createTestApp } from './helpers.js';

const ENTITIES: Record<string, string> = {
  semianalysis: 'semianalysis',
  bloomberg: 'bloomberg',
  'sensor tower': 'sensor-tower',
  nvidia: 'nvidia',
  'nvidia h800': 'nvidia-h800',
  'deepseek app': 'deepseek-app',
};
const named = (name: string) => ENTITIES[name.toLowerCase()] ?? null;
const read = (q: string) => readFilters(q, named);

describe('readFilters', () => {
  it('reads an amount after a comparison, in its currency, exactly', () => {
    expect(read('training cost over $5.576M')).toEqual({ q: 'training cost', filters: { unit: 'USD', valueMin: '5576000' } });
    expect(read('capex above US$1.6 billion')?.filters).toEqual({ unit: 'USD', valueMin: '1600000000' });
    expect(read('spend at least 2.5 billion dollars')?.filters).toEqual({ unit: 'USD', valueMin: '2500000000' });
    expect(read('fines under €5m')?.filters).toEqual({ unit: 'EUR', valueMin: '0', valueMax: '5000000' });
    expect(read('deals below £0.5bn')?.filters).toEqual({ unit: 'GBP', valueMin: '0', valueMax: '500000000' });
    expect(read('prices over $1,000')?.filters).toEqual({ unit: 'USD', valueMin: '1000' });
    expect(read('revenue more than 300 EUR')?.filters).toEqual({ unit: 'EUR', valueMin: '300' });
    expect(read('grants over $2.5k')?.filters).toEqual({ unit: 'USD', valueMin: '2500' });
    expect(read('cost under $0.25')?.filters).toEqual({ unit: 'USD', valueMin: '0', valueMax: '0.25' });
  });

  it('reads an amount in a unit values are stored in: GPUs, GPU hours, percent, tokens, parameters', () => {
    expect(read('DeepSeek chips over 10,000 GPUs')).toEqual({ q: 'DeepSeek chips', filters: { unit: 'GPUs', valueMin: '10000' } });
    expect(read('training under 3 million GPU hours')?.filters).toEqual({ unit: 'GPU-hours', valueMin: '0', valueMax: '3000000' });
    expect(read('training at most 2.8m GPU-hours')?.filters).toEqual({ unit: 'GPU-hours', valueMin: '0', valueMax: '2800000' });
    expect(read('growth above 5%')?.filters).toEqual({ unit: 'percent', valueMin: '5' });
    expect(read('shares fell more than 10 percent')?.filters).toEqual({ unit: 'percent', valueMax: '-10' });
    expect(read('models over 600 billion parameters')?.filters).toEqual({ unit: 'parameters', valueMin: '600000000000' });
    expect(read('data between 10 and 15 trillion tokens')?.filters).toEqual({ unit: 'tokens', valueMin: '10000000000000', valueMax: '15000000000000' });
    expect(read('clusters between 2,000 GPUs and 50,000 GPUs')?.filters).toEqual({ unit: 'GPUs', valueMin: '2000', valueMax: '50000' });
    // A unit that is not the next word, or one values are not stored in.
    expect(read('over 2,000 H800 GPUs')).toBeNull();
    expect(read('over 5 chips')).toBeNull();
    expect(read('between 5% and $6')).toBeNull();
  });

  it('reads a rank as a position, never a change: No. 1, number 1, #1, top 10', () => {
    expect(read('DeepSeek app No. 1')).toEqual({ q: 'DeepSeek app', filters: { unit: 'rank', valueMin: '1', valueMax: '1' } });
    expect(read('reached number 14 on Google Play')?.filters).toEqual({ unit: 'rank', valueMin: '14', valueMax: '14' });
    expect(read('which app hit #1')?.filters).toEqual({ unit: 'rank', valueMin: '1', valueMax: '1' });
    expect(read('apps in the top 10')?.filters).toEqual({ unit: 'rank', valueMin: '1', valueMax: '10' });
    expect(read('ChatGPT fell to No. 2')?.filters).toEqual({ unit: 'rank', valueMin: '2', valueMax: '2' });
    // Not a rank: no number, a number that goes on, rank 0, two ranks.
    expect(read('no claims')).toBeNull();
    expect(read('No. 1.5')).toBeNull();
    expect(read('No. 0')).toBeNull();
    expect(read('from No. 133 to No. 14')).toBeNull();
  });

  it('reads an amount beside a fall as a negative change', () => {
    expect(read('every market loss over $100 billion')).toEqual({ q: 'market loss', filters: { unit: 'USD', valueMax: '-100000000000' } });
    expect(read('Nvidia lost more than $590bn')?.filters).toEqual({ unit: 'USD', valueMax: '-590000000000' });
    expect(read('shares fell by less than $10 billion')?.filters).toEqual({ unit: 'USD', valueMin: '-10000000000', valueMax: '0' });
  });

  it('leaves as words what it cannot read for sure', () => {
    // No currency, two amounts, a number that goes on, quotes, operators, prefixes, plain words.
    expect(read('over 100 billion')).toBeNull();
    expect(read('chips weighing over 5 pounds')).toBeNull();
    expect(read('over $1 billion and under $2 billion')).toBeNull();
    expect(read('over $5.5.5')).toBeNull();
    expect(read('"over $100 billion"')).toBeNull();
    expect(read('loss OR gain over $100 billion')).toBeNull();
    expect(read('deeps* over $1 billion')).toBeNull();
    expect(read('DeepSeek training cost')).toBeNull();
  });

  it('reads a date at the precision written, when the fact holds or, after a verb of saying, when it was claimed', () => {
    expect(read('market loss in January 2025')?.filters).toEqual({ factFrom: '2025-01', factTo: '2025-01' });
    expect(read('app ranking in Sept. 2024')?.filters).toEqual({ factFrom: '2024-09', factTo: '2024-09' });
    expect(read('GPUs bought in 2021')?.filters).toEqual({ factFrom: '2021', factTo: '2021' });
    expect(read('Nvidia on 27 January 2025')?.filters).toEqual({ factFrom: '2025-01-27', factTo: '2025-01-27' });
    expect(read('Nvidia on January 27, 2025')?.filters).toEqual({ factFrom: '2025-01-27', factTo: '2025-01-27' });
    expect(read('Nvidia on 2025-01-27')?.filters).toEqual({ factFrom: '2025-01-27', factTo: '2025-01-27' });
    expect(read('what McKinsey said in 2024')?.filters).toEqual({ claimedFrom: '2024', claimedTo: '2024' });
    // Not a day; two dates; a year that goes on as a number.
    expect(read('Nvidia on 31 February 2025')).toBeNull();
    expect(read('losses in 2024 and in 2025')).toBeNull();
    expect(read('in 2025.5')).toBeNull();
  });

  it('reads who claimed it by a name an entity has, whole', () => {
    expect(read('what did SemiAnalysis claim')).toEqual({ q: undefined, filters: { claimant: 'semianalysis' }, claimantName: 'SemiAnalysis' });
    expect(read('according to Bloomberg, how much did Nvidia lose')).toEqual({ q: 'Nvidia lose', filters: { claimant: 'bloomberg' }, claimantName: 'Bloomberg' });
    expect(read('Sensor Tower says DeepSeek app')).toEqual({ q: 'DeepSeek app', filters: { claimant: 'sensor-tower' }, claimantName: 'Sensor Tower' });
    expect(read('what did the Economist claim')).toBeNull();
    expect(readFilters('what did The Economist claim', (n) => (n === 'The Economist' ? 'the-economist' : null))?.filters).toEqual({ claimant: 'the-economist' });
    expect(read('what SemiAnalysis says about DeepSeek')).toEqual({ q: 'DeepSeek', filters: { claimant: 'semianalysis' }, claimantName: 'SemiAnalysis' });
    // The verb of the claimant's phrase also makes the date the claim's.
    expect(read('what did SemiAnalysis claim in January 2025')).toEqual({ q: undefined, filters: { claimant: 'semianalysis', claimedFrom: '2025-01', claimedTo: '2025-01' }, claimantName: 'SemiAnalysis' });
  });

  it('reads an amount between two, in one currency, a scale written once being both’s, and a fall’s as negative', () => {
    expect(read('training cost between $5 million and $6 million')).toEqual({ q: 'training cost', filters: { unit: 'USD', valueMin: '5000000', valueMax: '6000000' } });
    expect(read('training cost between $5 and $6 million')?.filters).toEqual({ unit: 'USD', valueMin: '5000000', valueMax: '6000000' });
    expect(read('deals between 1 and 2.5 billion euros')?.filters).toEqual({ unit: 'EUR', valueMin: '1000000000', valueMax: '2500000000' });
    // Either way round; a scale that would put the first above the second is not shared.
    expect(read('cost between $6M and $5M')?.filters).toEqual({ unit: 'USD', valueMin: '5000000', valueMax: '6000000' });
    expect(read('cost between $500 and $2 thousand')?.filters).toEqual({ unit: 'USD', valueMin: '500', valueMax: '2000' });
    expect(read('cost between $5,000 and $6 million')?.filters).toEqual({ unit: 'USD', valueMin: '5000', valueMax: '6000000' });
    expect(read('Nvidia lost between $500 billion and $600 billion')).toEqual({ q: 'Nvidia lost', filters: { unit: 'USD', valueMin: '-600000000000', valueMax: '-500000000000' } });
    // Two currencies, none, or a range and a comparison: left as words (the years are a period, not an amount).
    expect(read('cost between $5 and €6 million')).toBeNull();
    expect(read('cost between 5 and 6 million')).toBeNull();
    expect(read('between $1 and $2 billion over $5 billion')).toBeNull();
    expect(read('losses between 2023 and 2025')?.filters).toEqual({ factFrom: '2023', factTo: '2025' });
  });

  it('reads a range of dates, either way round, and an open end, at the precision written', () => {
    expect(read('app ranking between 2024 and 2025')).toEqual({ q: 'app ranking', filters: { factFrom: '2024', factTo: '2025' } });
    expect(read('cost from December 2024 to January 2025')?.filters).toEqual({ factFrom: '2024-12', factTo: '2025-01' });
    expect(read('cost from 2023 until 2025')?.filters).toEqual({ factFrom: '2023', factTo: '2025' });
    expect(read('losses between 28 January 2025 and 2025-01-27')?.filters).toEqual({ factFrom: '2025-01-27', factTo: '2025-01-28' });
    expect(read('downloads since January 2025')?.filters).toEqual({ factFrom: '2025-01' });
    expect(read('downloads after 2024')?.filters).toEqual({ factFrom: '2025' });
    expect(read('downloads before 1 March 2024')?.filters).toEqual({ factTo: '2024-02-29' });
    expect(read('downloads before January 2025')?.filters).toEqual({ factTo: '2024-12' });
    expect(read('downloads until 2024')?.filters).toEqual({ factTo: '2024' });
    expect(read('what did SemiAnalysis claim since 2024')?.filters).toEqual({ claimant: 'semianalysis', claimedFrom: '2024' });
    // "from 2024" alone may mean made then; a range with a day that is none; two periods.
    expect(read('claims from 2024')).toBeNull();
    expect(read('losses between 30 February 2025 and 2026')).toBeNull();
    expect(read('losses since 2023 in 2025')).toBeNull();
    expect([shifted('2025-01-01', -1), shifted('2024-12-31', 1), shifted('2025-01', -1), shifted('2024-12', 1), shifted('2025', -1)]).toEqual([
      '2024-12-31',
      '2025-01-01',
      '2024-12',
      '2025-01',
      '2024',
    ]);
  });

  it('reads a period relative to today as the dates it is today', () => {
    const now = new Date('2026-01-15T12:00:00Z');
    const at = (q: string) => readFilters(q, named, now)?.filters;
    expect(at('market loss last year')).toEqual({ factFrom: '2025', factTo: '2025' });
    expect(at('forecasts for next year')).toEqual({ factFrom: '2027', factTo: '2027' });
    expect(at('app ranking last month')).toEqual({ factFrom: '2025-12', factTo: '2025-12' });
    expect(at('what did Bloomberg report this month')).toEqual({ claimant: 'bloomberg', claimedFrom: '2026-01', claimedTo: '2026-01' });
  });

  it('reads what the claims are about: the longest run of words that names an entity', () => {
    expect(read('claims about Nvidia')).toEqual({ q: undefined, filters: { subject: 'nvidia' }, subjectName: 'Nvidia' });
    expect(read('export rules regarding the Nvidia H800 chips')).toEqual({ q: 'export rules chips', filters: { subject: 'nvidia-h800' }, subjectName: 'Nvidia H800' });
    expect(read('downloads concerning the DeepSeek app.')).toEqual({ q: 'downloads', filters: { subject: 'deepseek-app' }, subjectName: 'DeepSeek app' });
    expect(read('what SemiAnalysis says about Nvidia')).toEqual({ q: undefined, filters: { claimant: 'semianalysis', subject: 'nvidia' }, claimantName: 'SemiAnalysis', subjectName: 'Nvidia' });
    // "by" a name is who claimed it; "by" a figure or a year is not.
    expect(read('GPU estimates by SemiAnalysis about Nvidia')).toEqual({ q: 'GPU estimates', filters: { claimant: 'semianalysis', subject: 'nvidia' }, claimantName: 'SemiAnalysis', subjectName: 'Nvidia' });
    expect(read('market cap down by 17% about Nvidia')).toEqual({ q: 'market cap down 17%', filters: { subject: 'nvidia' }, subjectName: 'Nvidia' });
    expect(read('chip sales by 2030')).toBeNull();
    expect(read('did SemiAnalysis say by Bloomberg')?.filters).toEqual({ claimant: 'semianalysis' });
    // A name no entity has, or two "about"s: words.
    expect(read('claims about Intel')).toBeNull();
    expect(read('about Nvidia and about Bloomberg')).toBeNull();
  });

  it('reads every phrase together, the question words left out of the words left', () => {
    expect(read('every market loss over $100 billion in January 2025')).toEqual({
      q: 'market loss',
      filters: { unit: 'USD', valueMax: '-100000000000', factFrom: '2025-01', factTo: '2025-01' },
    });
  });

  it('never throws, and reads only amounts that are decimals and dates that are dates (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('over', 'under', 'at least', '$', '€', '£', 'US$', '%', 'GPUs', 'GPU hours', 'percent', 'tokens', 'No.', 'top', '#', 'billion', 'bn', 'm', 'k', 'in', 'on', 'January', 'Sept.', '27', '2025', '2025-01-27', 'loss', 'did', 'SemiAnalysis', 'claim', 'according to', 'Bloomberg', ',', '.', '1,000', '5.576', 'said'),
      fc.constantFrom('between', 'and', 'from', 'to', 'since', 'after', 'before', 'until', 'last year', 'this month', 'about', 'by', 'Nvidia', 'H800', 'the', '2023', 'March', '31'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom(' ', ''), (pieces, gap) => {
        const reading = read(pieces.join(gap));
        if (reading === null) return;
        const f = reading.filters;
        for (const v of [f.valueMin, f.valueMax]) if (v !== undefined) expect(v).toMatch(/^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/);
        for (const d of [f.factFrom, f.factTo, f.claimedFrom, f.claimedTo]) if (d !== undefined) expect(isValidPartialDate(d), d).toBe(true);
        if (f.valueMin !== undefined && f.valueMax !== undefined) expect(Number(f.valueMin)).toBeLessThanOrEqual(Number(f.valueMax));
        // What the list would refuse as out of order (checkListQuery) is never read.
        if (f.factFrom !== undefined && f.factTo !== undefined) expect(firstDay(f.factFrom) <= lastDay(f.factTo)).toBe(true);
        if (f.claimedFrom !== undefined && f.claimedTo !== undefined) expect(firstDay(f.claimedFrom) <= lastDay(f.claimedTo)).toBe(true);
        expect(Object.keys(f).length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('asFilters over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.app.close());
  const get = async (url: string) => {
    const res = await ctx.app.inject(url);
    expect(res.statusCode, url).toBe(200);
    return res.json() as { items: { id: string; claimant: { id: string } | null }[]; asFilters?: Record<string, string>; links: { next: string | null } };
  };
  const search = (q: string, more = '') => get(`/v1/claims?q=${encodeURIComponent(q)}${more}`);

  it("reads the issue's question as filters whose link finds the market losses over $100 billion in January 2025", async () => {
    const page = await search('every market loss over $100 billion in January 2025');
    expect(page.asFilters).toEqual({
      q: 'market loss',
      unit: 'USD',
      valueMax: '-100000000000',
      factFrom: '2025-01',
      factTo: '2025-01',
      href: '/v1/claims?q=market+loss&unit=USD&valueMax=-100000000000&factFrom=2025-01&factTo=2025-01',
    });
    const filtered = await get(page.asFilters!.href!);
    const oracle = (await get('/v1/claims?unit=USD&valueMax=-100000000000&factFrom=2025-01&factTo=2025-01&limit=100')).items.map((c) => c.id);
    expect(filtered.items.map((c) => c.id).sort()).toEqual(oracle.sort());
    expect(oracle).toContain('nvidia-market-cap-loss-2025-01-27-bloomberg');
    expect(oracle.length).toBeGreaterThanOrEqual(5);
  });

  it('reads a claimant, keeping the request’s other parameters in its link', async () => {
    const page = await search('what did SemiAnalysis claim', '&limit=50&facets=kind');
    expect(page.asFilters).toEqual({ claimant: 'semianalysis', href: '/v1/claims?limit=50&facets=kind&claimant=semianalysis' });
    const listed = await get(page.asFilters!.href!);
    expect(listed.items.length).toBe(7);
    expect(listed.items.every((c) => c.claimant?.id === 'semianalysis')).toBe(true);
  });

  it('reads a subject and a claimant together, its link finding exactly the claims both filters give', async () => {
    const page = await search('what SemiAnalysis says about DeepSeek');
    expect(page.asFilters).toEqual({ claimant: 'semianalysis', subject: 'deepseek', href: '/v1/claims?claimant=semianalysis&subject=deepseek' });
    const listed = (await get(`${page.asFilters!.href!}&limit=100`)).items.map((c) => c.id);
    const oracle = (await get('/v1/claims?subject=deepseek&claimant=semianalysis&limit=100')).items.map((c) => c.id);
    expect(listed).toEqual(oracle);
    expect(listed.length).toBeGreaterThan(0);
    // A range of values beside a fall: Nvidia's reported losses between $500 and $600 billion (Bloomberg's $589B, $593B...).
    const range = await search('Nvidia lost between $500 and $600 billion');
    expect(range.asFilters).toMatchObject({ unit: 'USD', valueMin: '-600000000000', valueMax: '-500000000000' });
    const losses = await get(`${range.asFilters!.href!.replace(/q=[^&]*&?/, '')}&limit=100`);
    expect(losses.items.map((c) => c.id)).toContain('nvidia-market-cap-loss-2025-01-27-bloomberg');
  });

  it('never fails, and a link it offers always answers 200 with claims, whatever the question and filters (property)', async () => {
    const piece = fc.constantFrom(
      'over', 'under', 'between', 'and', '$5', '$600', 'billion', 'million', 'lost', 'loss', 'in', 'on', 'since', 'before', 'until', 'from', 'to',
      'January', '27', '2024', '2025', '2025-01-27', 'last year', 'this month', 'did', 'SemiAnalysis', 'claim', 'according to', 'Bloomberg',
      'by', 'about', 'Nvidia', 'DeepSeek', 'market', 'cap', 'cost', 'training', 'what', ',', 'No. 1', 'top 10', '10,000 GPUs', 'app',
    );
    const filter = fc.constantFrom('', '&unit=USD', '&unit=USD&valueMin=1', '&factFrom=2025', '&factTo=2024', '&claimedFrom=2025-02', '&claimant=cnbc', '&subject=nvidia', '&kind=quote', '&match=any');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 10 }), filter, async (pieces, more) => {
        const res = await ctx.app.inject(`/v1/claims?q=${encodeURIComponent(pieces.join(' '))}${more}`);
        expect(res.statusCode, res.body).toBeLessThan(500);
        const reading = res.statusCode === 200 ? (res.json() as { asFilters?: { href: string } }).asFilters : undefined;
        if (reading === undefined) return;
        const followed = await ctx.app.inject(reading.href);
        expect(followed.statusCode, `${reading.href}: ${followed.body}`).toBe(200);
        expect((followed.json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('is not offered when it finds nothing, over a filter the request sets, on a later page, or for plain words', async () => {
    expect((await search('market loss over $5 trillion')).asFilters).toBeUndefined();
    expect((await search('every market loss over $100 billion', '&unit=USD&valueMin=1')).asFilters).toBeUndefined();
    const first = await search('every market loss over $100 billion in January 2025', '&limit=1');
    expect(first.asFilters).toBeDefined();
    expect((await get(first.links.next!)).asFilters).toBeUndefined();
    expect((await search('DeepSeek training cost')).asFilters).toBeUndefined();
    // With no words left, the parameters that need them go from the link, which would be a 400 with them.
    const wordless = await search('what did SemiAnalysis claim', '&match=any&sort=relevance');
    expect(wordless.asFilters?.href).toBe('/v1/claims?claimant=semianalysis');
    expect((await get(wordless.asFilters!.href!)).items).toHaveLength(7);
    // One end of a period read beside the request's other, out of order: the list would refuse the link.
    expect((await search('before 2025 over', '&factFrom=2025')).asFilters).toBeUndefined();
    expect((await search('what did CNBC say before 2025', '&claimedFrom=2025-02')).asFilters).toBeUndefined();
    expect((await search('before 2026 over', '&factFrom=2025')).asFilters?.href).toBe('/v1/claims?q=over&factFrom=2025&factTo=2025');
    // A filter it does not read is kept: the claimant's claims of one kind.
    const kinded = await search('what did SemiAnalysis claim', '&kind=quantity');
    expect(kinded.asFilters?.href).toBe('/v1/claims?kind=quantity&claimant=semianalysis');
  });
});

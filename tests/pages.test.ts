// The HTML pages as pure functions: value wording, escaping of every piece of user data, the order and content
// of a claim page, the retraction banner, the embedded JSON-LD, and content negotiation.
import { describe, expect, it } from 'vitest';
import { negotiate } from '../src/http/accept.js';
import { renderClaimPage } from '../src/pages/claim.page.js';
import { escapeHtml, html, httpUrl, jsonForScript } from '../src/pages/html.js';
import { renderIndexPage } from '../src/pages/index.page.js';
import { matchFragment } from '../src/pages/claim-list.js';
import { partialDateInWords } from '../src/pages/dates.js';
import { renderClaimRepresentation } from '../src/pages/pages.routes.js';
import { amountInWords, compactParts, valueInWords } from '../src/pages/value-wording.js';
import { buildApp } from '../src/app.js';
import { createTestStore } from './helpers.js';

const { store } = createTestStore();
const seeded = (id: string) => {
  const claim = store.claims.get(id);
  if (!claim) throw new Error(`seed has no ${id}`);
  return claim;
};
const ctx = { baseUrl: 'https://claims.example.org', serviceName: 'Claims API', now: new Date('2026-11-30T12:00:00Z') };
const v = (comparator: string, amount: string | null, unit = 'USD', lower: string | null = null, upper: string | null = null) =>
  ({ comparator, amount, lower, upper, unit, basis: null }) as Parameters<typeof valueInWords>[0];

describe('value wording', () => {
  it('spells out every comparator', () => {
    expect(valueInWords(v('gt', '500000000'))).toBe('more than $500 million');
    expect(valueInWords(v('approx', '800000000000'))).toBe('about $800 billion');
    expect(valueInWords(v('approx', '-800000000000'))).toBe('about -$800 billion');
    expect(valueInWords(v('gte', '4', 'count'))).toBe('at least 4');
    expect(valueInWords(v('lt', '10', 'percent'))).toBe('less than 10%');
    expect(valueInWords(v('lte', '2000000', 'EUR'))).toBe('at most €2 million');
    expect(valueInWords(v('eq', '5576000'))).toBe('$5.576 million');
    expect(valueInWords(v('between', null, 'USD', '589000000000', '596000000000'))).toBe('between $589 billion and $596 billion');
  });

  it('uses million/billion/trillion only for round amounts, and the exact figure otherwise', () => {
    expect(amountInWords('1600000000', 'USD')).toBe('$1.6 billion');
    expect(amountInWords('1000000000000', 'USD')).toBe('$1 trillion');
    expect(amountInWords('294000', 'USD')).toBe('$294,000');
    expect(amountInWords('5576123', 'USD')).toBe('$5,576,123');
    expect(compactParts('5576123')).toBeNull();
    expect(compactParts('592700000000')).toEqual({ mantissa: '592.7', word: 'billion' });
  });

  it('never rounds an exact decimal through a float', () => {
    // 2^53 + 1 and a long fraction: both would change if passed through a JavaScript number.
    expect(amountInWords('9007199254740993', 'count')).toBe('9,007,199,254,740,993');
    expect(amountInWords('16.86', 'USD')).toBe('$16.86');
    expect(amountInWords('0.123456789012345678', 'USD')).toBe('$0.123456789012345678');
    expect(amountInWords('1234567.5', 'USD')).toBe('$1,234,567.50');
  });

  it('words non-money units', () => {
    expect(amountInWords('2788000', 'GPU-hours')).toBe('2.788 million GPU-hours');
    expect(amountInWords('2048', 'GPUs')).toBe('2,048 GPUs');
    expect(amountInWords('1', 'GPUs')).toBe('1 GPU');
    expect(amountInWords('1', 'rank')).toBe('No. 1');
    expect(amountInWords('671000000000', 'parameters')).toBe('671 billion parameters');
  });
});

describe('escaping', () => {
  it('escapes text and attribute values, and passes nested html through', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"><script>'}">${inner}${['<', html`<br>`]}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;"><b>&lt;i&gt;</b>&lt;<br></p>',
    );
  });

  it('links http(s) URLs only', () => {
    expect(httpUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(httpUrl('javascript:alert(1)')).toBeNull();
    expect(httpUrl('data:text/html,<script>')).toBeNull();
    expect(httpUrl('/relative')).toBeNull();
    expect(httpUrl(null)).toBeNull();
  });

  it('keeps JSON in a script block from closing it, and the JSON unchanged', () => {
    const value = { s: '</script><script>alert(1)</script><!--', t: 'a & b > c \u2028' };
    const out = jsonForScript(value).value;
    expect(out).not.toMatch(/[<>&]/);
    expect(JSON.parse(out)).toEqual(value);
  });

  it('renders a hostile claim as text everywhere', async () => {
    const base = seeded('deepseek-v3-training-cost');
    const evil = '<script>alert("x")</script>';
    const claim = {
      ...base,
      statement: `A statement ${evil}`,
      caveats: [{ kind: 'scope' as const, text: `caveat ${evil}` }],
      citations: base.citations.map((c) => ({ ...c, quote: `quote ${evil}`, source: { ...c.source, title: `title ${evil}`, url: 'javascript:alert(1)' } })),
      subjects: base.subjects.map((s) => ({ ...s, name: `"><img src=x onerror=alert(1)>` })),
    };
    const page = await renderClaimPage(claim, ctx);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('javascript:');
    expect(page).toContain('A statement &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // The only script element is the JSON-LD, and it holds no raw "<".
    const scripts = [...page.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![0]).toMatch(/^<script type="application\/ld\+json">/);
    expect(scripts[0]![1]).not.toContain('<');
    expect(JSON.parse(scripts[0]![1]!).claimReviewed).toBe(claim.statement);
  });
});

describe('claim page', () => {
  it('shows the parts in the order of prominence', async () => {
    const page = await renderClaimPage(seeded('semianalysis-deepseek-hardware-spend'), ctx);
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<a class="skip" href="#main">');
    expect(page).toContain('more than $500 million');
    const order = ['<h1>', 'id="assessment"', 'id="caveats"', 'id="sources"', 'id="about"', 'id="revision"', 'id="cite"'].map((m) => page.indexOf(m));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).not.toContain('<link rel="stylesheet"');
    expect(page).not.toMatch(/<script(?! type="application\/ld\+json")/);
  });

  it('lists caveats in order with their kinds, and primary sources first with quotes and links', async () => {
    const claim = seeded('nvidia-market-cap-loss-2025-01-27-cnbc');
    const page = await renderClaimPage(claim, ctx);
    expect(page.indexOf('<strong>Method:</strong>')).toBeLessThan(page.indexOf('<strong>Sources disagree:</strong>'));
    // A source without a confirmed URL is not linked and says so.
    expect(page).toContain('No confirmed web address for this source.');
    // Its news reports are all secondary (no primary source); a claim that cites a primary source after a secondary
    // one lists the primary first.
    expect(page).not.toContain('Primary source');
    const curbs = seeded('us-chip-export-curbs-china');
    expect(curbs.citations.findIndex((c) => c.role === 'secondary')).toBeLessThan(curbs.citations.findLastIndex((c) => c.role === 'primary'));
    const curbsPage = await renderClaimPage(curbs, ctx);
    expect(curbsPage.lastIndexOf('Primary source')).toBeGreaterThan(0);
    expect(curbsPage.lastIndexOf('Primary source')).toBeLessThan(curbsPage.indexOf('Secondary source'));
    const other = seeded('deepseek-v3-training-cost');
    const withUrl = other.citations.find((c) => c.source.url && c.quote)!;
    expect(await renderClaimPage(other, ctx)).toContain(`<blockquote cite="${escapeHtml(new URL(withUrl.source.url!).href)}">`);
  });

  it('gives the verdict and a cite box with the revision permalink and ready citations', async () => {
    const claim = seeded('semianalysis-r1-reasoning-edge-quote');
    const page = await renderClaimPage(claim, ctx);
    expect(page).toContain('<span class="badge v-misleading">Misleading</span>');
    const permalink = `https://claims.example.org/v1/claims/semianalysis-r1-reasoning-edge-quote/revisions/${claim.revision}`;
    expect(page).toContain(`<a href="${permalink}">${permalink}</a>`);
    for (const id of ['cite-apa', 'cite-mla', 'cite-chicago', 'cite-bibtex']) expect(page).toContain(`<label for="${id}">`);
    expect(page).toContain('@misc{');
  });

  it('links related claims to their pages', async () => {
    const claim = seeded('nvidia-broadcom-combined-market-cap-loss-2025-01-27');
    expect(claim.relations.length).toBeGreaterThan(0);
    const page = await renderClaimPage(claim, ctx);
    for (const r of claim.relations) expect(page).toContain(`<a href="/c/${r.claim.id}">`);
  });

  it('puts a retraction first, with a link to its successor', async () => {
    const claim = {
      ...seeded('deepseek-v3-training-cost'),
      retraction: { reason: 'Replaced by a corrected figure.', retractedAt: '2026-02-01T09:00:00.000Z', supersededBy: 'deepseek-v3-pretraining-cost' },
    };
    const page = await renderClaimPage(claim, ctx);
    expect(page).toContain('This claim has been retracted');
    expect(page.indexOf('class="retraction"')).toBeLessThan(page.indexOf('<h1>'));
    expect(page).toContain('<a href="/c/deepseek-v3-pretraining-cost">');
    expect(page).toContain('<title>Retracted: ');
    expect(page).toMatch(/<meta name="description" content="Retracted: [^"]* Retracted\.">/);
    // Crawlers are not handed a retracted review as a live one.
    expect(page).not.toContain('application/ld+json');
  });

  it('works on a claim without the editorial fields (links, retraction)', async () => {
    const { links: _l, retraction: _r, ...older } = seeded('deepseek-v3-training-cost') as Record<string, unknown> & ReturnType<typeof seeded>;
    const page = await renderClaimPage(older, ctx);
    expect(page).toContain('/v1/claims/deepseek-v3-training-cost/revisions/');
    expect(page).not.toContain('class="retraction"');
  });
});

describe('index page', () => {
  it('lists claims with links, values and verdicts, and links to the docs', () => {
    const claims = store.claims.list({}, null, 5).items;
    const page = renderIndexPage(claims, { serviceName: 'Claims API' });
    for (const c of claims) expect(page).toContain(`<a href="/c/${c.id}">`);
    expect(page).toContain('<a href="/docs">');
    expect(page).toContain('<a href="/openapi.json">');
  });

  it('says who made each claim and when, which tells apart two claims of one figure', () => {
    const bloomberg = store.claims.list({}, null, 100).items.find((c) => c.id === 'nvidia-market-cap-loss-2025-01-27-bloomberg')!;
    const page = renderIndexPage([bloomberg, { ...bloomberg, id: 'x', claimant: null }, { ...bloomberg, id: 'y', claimant: null, claimedOn: null }], { serviceName: 'Claims API' });
    expect(page).toContain(`Claimed by Bloomberg, ${partialDateInWords(bloomberg.claimedOn!)} · `);
    expect(page).toContain(`Claimed ${partialDateInWords(bloomberg.claimedOn!)} · `);
    expect(page.match(/Claimed /g)).toHaveLength(2);
    // A name is text: escaped once.
    expect(renderIndexPage([{ ...bloomberg, claimant: { ...bloomberg.claimant!, name: 'McKinsey & <Co>' } }], { serviceName: 'Claims API' })).toContain('Claimed by McKinsey &amp; &lt;Co&gt;, ');
  });
});

describe('the search page', () => {
  it('is the search box on every page, sent here by a plain GET form the pages\' policy allows', async () => {
    const app = await buildApp({ store });
    try {
      const front = await app.inject('/');
      expect(front.body).toMatch(/<form class="search" role="search" action="\/search" method="get">/);
      expect(front.body).toContain('<a href="/search">Search</a>');
      expect(front.headers['content-security-policy']).toContain("form-action 'self'");
      const empty = await app.inject('/search?q=');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('<input id="q" name="q" type="search" value=""');
      expect(empty.body).not.toContain('id="results"');
    } finally {
      await app.close();
    }
  });

  it('lists the API search\'s claims in its order, each linked with its words marked, and pages them', async () => {
    const app = await buildApp({ store });
    try {
      const api = (await app.inject('/v1/claims?q=training%20cost&limit=20')).json() as { items: { id: string; snippet: string }[] };
      const page = await app.inject('/search?q=training%20cost');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const linked = [...page.body.matchAll(/<li><a href="\/c\/([^"#]+)(?:#[^"]*)?">/g)].map((m) => m[1]);
      expect(linked).toEqual(api.items.map((i) => i.id));
      expect(linked[0]).toBe('deepseek-v3-training-cost');
      // The V3 cost claim's statement holds both words: it is shown whole, marked, with no snippet repeating it.
      expect(page.body).toContain('<li><a href="/c/deepseek-v3-training-cost">DeepSeek&#39;s technical report puts the <mark>cost</mark> of the official <mark>training</mark>');
      // A claim that matched beyond its statement shows the snippet that says where.
      const beyond = await app.inject(`/search?q=${encodeURIComponent('DeepSeek $6 million')}`);
      const v3 = (await app.inject(`/v1/claims?q=${encodeURIComponent('DeepSeek $6 million')}`)).json().items.find((i: { id: string }) => i.id === 'deepseek-v3-training-cost');
      expect(beyond.body).toContain(`<span class="snippet">${v3.snippet}</span>`);
      expect(beyond.body.match(/<span class="snippet">/g)).toHaveLength(1);
      expect(page.body).toContain('value="training cost"');
      expect(page.body).toContain('<meta name="robots" content="noindex">');
      // Twenty a page, the next linked (and in the Link header), every claim once.
      const seen: string[] = [];
      for (let url: string | null = '/search?q=deepseek', n = 0; url !== null && n < 20; n++) {
        const res: Awaited<ReturnType<typeof app.inject>> = await app.inject(url);
        expect(res.statusCode, url).toBe(200);
        seen.push(...[...res.body.matchAll(/<li><a href="\/c\/([^"#]+)(?:#[^"]*)?">/g)].map((m) => m[1]!));
        url = /<a rel="next" href="([^"]+)">/.exec(res.body)?.[1]?.replaceAll('&amp;', '&') ?? null;
        if (url !== null) expect(res.headers.link).toContain('rel="next"');
      }
      const all = await app.inject('/v1/claims?q=deepseek&limit=100');
      expect(seen).toEqual((all.json() as { items: { id: string }[] }).items.map((i) => i.id));
      expect(seen.length).toBeGreaterThan(20);
    } finally {
      await app.close();
    }
  });

  it('narrows a search by kind, verdict, claimant or subject with their counts, and widens it again', async () => {
    const app = await buildApp({ store });
    try {
      const api = async (query: string) => ((await app.inject(`/v1/claims?${query}&limit=100`)).json() as { items: { id: string }[] }).items.map((i) => i.id);
      const listed = (body: string) => [...body.matchAll(/<li><a href="\/c\/([^"#]+)(?:#[^"]*)?">/g)].map((m) => m[1]);
      const page = await app.inject('/search?q=deepseek');
      const link = /<a href="([^"]+)">SemiAnalysis<\/a> \((\d+)\)/.exec(page.body);
      expect(link, 'a claimant link with its count').not.toBeNull();
      const href = link![1]!.replaceAll('&amp;', '&');
      expect(href).toBe('/search?q=deepseek&claimant=semianalysis');
      const narrowed = await app.inject(href);
      const expected = await api('q=deepseek&claimant=semianalysis');
      expect(listed(narrowed.body)).toEqual(expected);
      expect(Number(link![2])).toBe(expected.length);
      expect(narrowed.body).toContain(`<h2 id="results">${expected.length} claims, best match first</h2>`);
      // The filter in force, with the way back; the kinds of those claims to narrow further.
      expect(narrowed.body).toContain('<strong>Claimed by:</strong> SemiAnalysis (<a href="/search?q=deepseek">any claimant</a>)');
      const kind = /<a href="([^"]+)">Spending estimate<\/a>/.exec(narrowed.body);
      expect(kind).not.toBeNull();
      const both = await app.inject(kind![1]!.replaceAll('&amp;', '&'));
      expect(listed(both.body)).toEqual(await api('q=deepseek&claimant=semianalysis&kind=spend_estimate'));
      expect(both.body).toContain('<strong>Kind:</strong> Spending estimate');
    } finally {
      await app.close();
    }
  });

  it('offers a question read as filters, shows the filters in force with links that lift them, and lists by filters alone', async () => {
    const app = await buildApp({ store });
    try {
      const api = async (query: string) => ((await app.inject(`/v1/claims?${query}&limit=100`)).json() as { items: { id: string }[] }).items.map((i) => i.id);
      const listed = (body: string) => [...body.matchAll(/<li><a href="\/c\/([^"#]+)(?:#[^"]*)?">/g)].map((m) => m[1]);
      const asked = await app.inject(`/search?q=${encodeURIComponent('every market loss over $100 billion in January 2025')}`);
      const reading = /Read as filters: <a href="([^"]+)">([^<]+)<\/a>/.exec(asked.body);
      expect(reading, 'a reading as filters').not.toBeNull();
      expect(reading![2]).toBe('“market loss”, a value at most -100,000,000,000 USD, holding in January 2025');
      const href = reading![1]!.replaceAll('&amp;', '&');
      expect(href).toBe('/search?q=market+loss&unit=USD&valueMax=-100000000000&factFrom=2025-01&factTo=2025-01');
      const filtered = await app.inject(href);
      expect(filtered.statusCode).toBe(200);
      const expected = await api('q=market+loss&unit=USD&valueMax=-100000000000&factFrom=2025-01&factTo=2025-01');
      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(listed(filtered.body)).toEqual(expected);
      expect(filtered.body).toContain(
        '<strong>Value:</strong> at most -100,000,000,000 USD (<a href="/search?q=market+loss&amp;factFrom=2025-01&amp;factTo=2025-01">any value</a>)',
      );
      expect(filtered.body).toContain('<strong>When it holds:</strong> January 2025 (<a href="/search?q=market+loss&amp;unit=USD&amp;valueMax=-100000000000">any time</a>)');
      // A reading with no words left lists the claimant's claims, in the list's order, without ranking.
      const claimant = await app.inject('/search?q=what%20did%20SemiAnalysis%20claim');
      expect(claimant.body).toContain('Read as filters: <a href="/search?claimant=semianalysis">claimed by SemiAnalysis</a>');
      const bare = await app.inject('/search?claimant=semianalysis');
      expect(listed(bare.body)).toEqual(await api('claimant=semianalysis'));
      expect(bare.body).toContain('<h2 id="results">7 claims</h2>');
      expect(bare.body).toContain('<title>Claims · Search · claims-api</title>');
      // A subject and a claimant with the date of their claims; a range of losses; what the subject's link lists.
      const about = await app.inject(`/search?q=${encodeURIComponent('what did SemiAnalysis claim since 2024 about DeepSeek')}`);
      expect(about.body).toContain('Read as filters: <a href="/search?claimedFrom=2024&amp;claimant=semianalysis&amp;subject=deepseek">claimed by SemiAnalysis from 2024, about DeepSeek</a>');
      const subject = await app.inject('/search?claimedFrom=2024&claimant=semianalysis&subject=deepseek');
      expect(listed(subject.body)).toEqual(await api('claimedFrom=2024&claimant=semianalysis&subject=deepseek'));
      expect(subject.body).toContain('<strong>About:</strong> DeepSeek (<a href="/search?claimant=semianalysis&amp;claimedFrom=2024">any subject</a>)');
      expect((await app.inject(`/search?q=${encodeURIComponent('Nvidia lost between $500 and $600 billion')}`)).body).toContain(
        '“Nvidia lost”, a value between -600,000,000,000 and -500,000,000,000 USD</a>',
      );
      // A rank in words, and the app that reached No. 1 found by it.
      const ranked = await app.inject(`/search?q=${encodeURIComponent('DeepSeek app No. 1')}`);
      expect(ranked.body).toContain('Read as filters: <a href="/search?q=DeepSeek+app&amp;unit=rank&amp;valueMin=1&amp;valueMax=1">“DeepSeek app”, ranked No. 1</a>');
      const top = await app.inject('/search?unit=rank&valueMin=1&valueMax=10');
      expect(top.body).toContain('<strong>Value:</strong> in the top 10 (');
      expect(listed(top.body)).toEqual(await api('unit=rank&valueMin=1&valueMax=10'));
      expect(listed(top.body).length).toBeGreaterThanOrEqual(2);
      // Open-ended dates in words.
      expect((await app.inject('/search?claimedFrom=2025-01')).body).toContain('<strong>Claimed:</strong> from January 2025 (');
      expect((await app.inject('/search?factTo=2024')).body).toContain('<strong>When it holds:</strong> until 2024 (');
    } finally {
      await app.close();
    }
  });

  it('keeps the filters in force when a new search is typed into the box, with a link that lifts them all', async () => {
    const app = await buildApp({ store });
    try {
      const api = async (query: string) => ((await app.inject(`/v1/claims?${query}&limit=100`)).json() as { items: { id: string }[] }).items.map((i) => i.id);
      const listed = (body: string) => [...body.matchAll(/<li><a href="\/c\/([^"#]+)(?:#[^"]*)?">/g)].map((m) => m[1]);
      const unescape = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
      /** What a browser sends when `words` are typed into the page's search box and the form submitted. */
      const submit = (body: string, words: string) => {
        const form = /<form class="search"[^>]*>([\s\S]*?)<\/form>/.exec(body)![1]!;
        const fields = [...form.matchAll(/<input ([^>]*)>/g)].map(([, attrs]): [string, string] => {
          const name = unescape(/name="([^"]*)"/.exec(attrs!)![1]!);
          return [name, name === 'q' ? words : unescape(/value="([^"]*)"/.exec(attrs!)?.[1] ?? '')];
        });
        return `/search?${new URLSearchParams(fields).toString()}`;
      };
      const filtered = await app.inject('/search?q=deepseek&claimant=semianalysis&unit=USD&valueMin=1000000&factFrom=2020');
      expect(filtered.statusCode).toBe(200);
      const next = submit(filtered.body, 'gpu');
      expect(next).toBe('/search?q=gpu&claimant=semianalysis&unit=USD&valueMin=1000000&factFrom=2020');
      const searched = await app.inject(next);
      const expected = await api('q=gpu&claimant=semianalysis&unit=USD&valueMin=1000000&factFrom=2020');
      expect(expected.length).toBeGreaterThan(0);
      expect(listed(searched.body)).toEqual(expected);
      // Every filter is still shown in force, and one link lifts them all, keeping the words.
      expect(searched.body).toContain('<strong>Claimed by:</strong> SemiAnalysis (');
      expect(searched.body).toContain('<strong>Value:</strong> at least 1,000,000 USD (');
      expect(searched.body).toContain('<a href="/search?q=gpu">Lift every filter</a>');
      // Without filters, the box sends the words alone, as the front page's does; filters alone lift to the empty page.
      const plain = await app.inject('/search?q=deepseek');
      expect(submit(plain.body, 'nvidia')).toBe('/search?q=nvidia');
      expect(plain.body).not.toContain('Lift every filter');
      expect((await app.inject('/search?claimant=semianalysis')).body).toContain('<a href="/search">Lift every filter</a>');
      expect(submit((await app.inject('/')).body, 'nvidia')).toBe('/search?q=nvidia');
    } finally {
      await app.close();
    }
  });

  it('says when no claim holds every word, and answers bad input with the API\'s problem, escaped text never run', async () => {
    const app = await buildApp({ store });
    try {
      const relaxed = await app.inject('/search?q=what%20did%20SemiAnalysis%20claim');
      expect(relaxed.body).toContain('No claim holds every word of this search');
      expect(relaxed.body).toContain('/c/semianalysis-deepseek-hardware-spend');
      const none = await app.inject('/search?q=zzyzx');
      expect(none.body).toContain('No claim matches');
      const hostile = await app.inject(`/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
      expect(hostile.statusCode).toBe(200);
      expect(hostile.body).not.toContain('<script>alert');
      expect(hostile.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      for (const url of ['/search?q=ab*', '/search?match=any', '/search?q=x&cursor=bm9wZQ', '/search?q=x&kind=rumour', '/search?q=x&valueMin=5', '/search?factFrom=2025-02&factTo=2025-01', '/search?q=x&sort=id']) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    } finally {
      await app.close();
    }
  });
});

describe('content negotiation', () => {
  it('prefers by quality and specificity, defaulting to the first offer', () => {
    const offers = ['application/json', 'text/html', 'application/ld+json'] as const;
    expect(negotiate(undefined, offers)).toBe('application/json');
    expect(negotiate('*/*', offers)).toBe('application/json');
    expect(negotiate('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', offers)).toBe('text/html');
    expect(negotiate('application/ld+json', offers)).toBe('application/ld+json');
    expect(negotiate('application/json;q=0.5, text/*', offers)).toBe('text/html');
    expect(negotiate('text/html;q=0, */*', offers)).toBe('application/json');
    expect(negotiate('image/png', offers)).toBeNull();
  });

  it('renders the representation the claim route will serve', async () => {
    const claim = seeded('deepseek-v3-training-cost');
    expect(await renderClaimRepresentation(claim, 'application/json', ctx)).toEqual({ kind: 'json' });
    const page = await renderClaimRepresentation(claim, 'text/html', ctx);
    expect(page.kind === 'html' && page.body).toContain('<h1>');
    const ld = await renderClaimRepresentation(claim, 'application/ld+json', ctx);
    expect(ld.kind === 'jsonld' && JSON.parse(ld.body)['@type']).toBe('ClaimReview');
    await expect(renderClaimRepresentation(claim, 'image/png', ctx)).rejects.toThrow(expect.objectContaining({ code: 'not-acceptable' }));
  });
});

describe('the configured public URL', () => {
  it('is used for permalinks, whatever Host the request carries', async () => {
    const { store } = createTestStore();
    const app = await buildApp({ store, publishing: { serviceName: 'Example Claims', baseUrl: 'https://claims.example.org' } });
    const res = await app.inject({
      url: '/v1/claims/deepseek-v3-training-cost',
      headers: { accept: 'application/ld+json', host: 'attacker.example' },
    });
    expect(res.body).toContain('https://claims.example.org/');
    expect(res.body).not.toContain('attacker.example');
    await app.close();
  });

  it('without it, links take the request origin only when it is one: a host that is not, or a scheme not http(s), is 400', async () => {
    const { store } = createTestStore();
    const app = await buildApp({ store, trustProxy: '127.0.0.1' });
    const page = (headers: Record<string, string>) => app.inject({ url: '/c/deepseek-v3-training-cost', headers: { accept: 'text/html', ...headers } });
    const good = await page({ host: 'claims.example.org:8080' });
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain('http://claims.example.org:8080/v1/claims/deepseek-v3-training-cost/revisions/');
    expect((await page({ host: '[::1]:3000' })).statusCode).toBe(200);
    expect((await page({ host: 'claims.example.org.', 'x-forwarded-proto': 'HTTPS' })).statusCode).toBe(200);
    const hostile: Record<string, string>[] = [{ host: 'evil.example/phish?' }, { 'x-forwarded-proto': 'javascript:alert(document.domain)//' }, { 'x-forwarded-host': 'a b' }];
    for (const headers of hostile) {
      const res = await page(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid-request', detail: expect.stringContaining('no valid host') });
      expect(res.body).not.toContain('javascript:');
    }
    await app.close();
  });
});

describe('the page cache', () => {
  it('serves a changed claim as a new page, never a stale one', async () => {
    const { renderClaimPageCached } = await import('../src/pages/pages.routes.js');
    const { store } = createTestStore();
    const claim = store.claims.get('deepseek-v3-training-cost')!;
    const ctx = { serviceName: 'claims-api', baseUrl: 'https://claims.example.org', now: new Date('2026-11-30T12:00:00Z') };
    const first = await renderClaimPageCached(claim, ctx);
    expect(await renderClaimPageCached(claim, ctx)).toBe(first);
    const changed = await renderClaimPageCached({ ...claim, statement: 'A corrected statement about the V3 training cost.' }, ctx);
    expect(changed).toContain('A corrected statement about the V3 training cost.');
    expect(await renderClaimPageCached(claim, { ...ctx, now: new Date('2026-12-01T12:00:00Z') })).not.toBe(first);
  });
});

describe('revalidation', () => {
  it('tags pages and the JSON-LD by their bytes, answers a current If-None-Match with 304, and a changed page anew', async () => {
    const { db, store } = createTestStore();
    const app = await buildApp({ store });
    try {
      const claim = '/v1/claims/deepseek-v3-training-cost';
      const cases: [string, Record<string, string>][] = [
        ['/', {}],
        ['/c/deepseek-v3-training-cost', {}],
        [claim, { accept: 'text/html' }],
        [claim, { accept: 'application/ld+json' }],
        [claim, { accept: 'application/json' }],
      ];
      const etags = new Map<string, string>();
      for (const [url, headers] of cases) {
        const first = await app.inject({ url, headers });
        const etag = first.headers.etag as string;
        expect(etag, url).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
        etags.set(`${url} ${headers.accept ?? ''}`, etag);
        const again = await app.inject({ url, headers: { ...headers, 'if-none-match': etag } });
        expect(again.statusCode, `${url} ${headers.accept ?? ''}`).toBe(304);
        expect(again.body).toBe('');
      }
      // One URL, three representations: three tags, so no cache mistakes one for another.
      expect(new Set(['text/html', 'application/ld+json', 'application/json'].map((a) => etags.get(`${claim} ${a}`))).size).toBe(3);
      // The short link serves the very page the claim's URL serves to browsers.
      expect(etags.get('/c/deepseek-v3-training-cost ')).toBe(etags.get(`${claim} text/html`));
      const page = await app.inject('/c/deepseek-v3-training-cost');
      db.prepare("UPDATE claims SET statement = 'Reworded for the test.' WHERE id = 'deepseek-v3-training-cost'").run();
      const changed = await app.inject({ url: '/c/deepseek-v3-training-cost', headers: { 'if-none-match': page.headers.etag as string } });
      expect(changed.statusCode).toBe(200);
      expect(changed.body).toContain('Reworded for the test.');
    } finally {
      await app.close();
    }
  });
});

describe("a revision's permalink, for people", () => {
  it('shows the claim as recorded then, each name as pinned, and never changes; programs still get the JSON', async () => {
    const { createTestApp, createKey, bearer, toReplaceBody } = await import('./helpers.js');
    const { app, store } = await createTestApp();
    try {
      const key = bearer(createKey(store, { name: 'permalink-pages' }));
      const url = '/v1/claims/deepseek-v3-training-cost/revisions/1';
      const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
      const before = await app.inject({ url, headers: browser });
      expect(before.statusCode).toBe(200);
      expect(before.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(before.headers.vary).toBe('Accept');
      const original = store.claims.get('deepseek-v3-training-cost')!;
      expect(before.body).toContain('Revision 1 of this claim');
      expect(before.body).toContain(`<link rel="canonical" href="http://localhost:80${url}">`);
      expect(before.body).not.toContain('application/ld+json');
      // Its links to more formats would cite the claim as it is now, not this revision: the revision page has none.
      expect(before.body).not.toContain('/citation?style=');
      expect((await app.inject('/c/deepseek-v3-training-cost')).body).toContain('/citation?style=ris');

      // Later: the claim is reworded and its claimant renamed. The current page shows both; revision 1 neither.
      const current = await app.inject('/v1/claims/deepseek-v3-training-cost');
      const put = await app.inject({
        method: 'PUT', url: '/v1/claims/deepseek-v3-training-cost',
        headers: { ...key, 'if-match': current.headers.etag as string },
        payload: { ...toReplaceBody(current.json(), 'test'), statement: 'A reworded statement, written later.' },
      });
      expect(put.statusCode, put.body).toBe(200);
      const claimant = original.claimant!.id;
      const entity = await app.inject(`/v1/entities/${claimant}`);
      const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, links: _l, ...entityBody } = entity.json();
      const renamed = await app.inject({
        method: 'PUT', url: `/v1/entities/${claimant}`,
        headers: { ...key, 'if-match': entity.headers.etag as string },
        payload: { ...entityBody, name: 'A Later Name Inc.', reason: 'test' },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect((await app.inject('/c/deepseek-v3-training-cost')).body).toContain('A Later Name Inc.');

      const after = await app.inject({ url, headers: browser });
      expect(after.body).toContain(original.statement.replaceAll("'", '&#39;').slice(0, 60));
      expect(after.body).not.toContain('A reworded statement');
      expect(after.body).toContain(original.claimant!.name);
      expect(after.body).not.toContain('A Later Name Inc.');
      expect(after.body).toContain('href="/c/deepseek-v3-training-cost"'); // the claim as it is now
      // Programs: the JSON, immutable, whatever else they accept.
      for (const accept of [undefined, '*/*', 'application/json', 'image/png']) {
        const res = await app.inject({ url, headers: accept ? { accept } : {} });
        expect(res.headers['content-type'], accept).toBe('application/json; charset=utf-8');
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      }
    } finally {
      await app.close();
    }
  });
});

describe('links from search results', () => {
  it('open the claim at the first word matched beyond its statement, as a text fragment', () => {
    const statement = "DeepSeek's report puts the cost at $5.576M.";
    expect(matchFragment(statement, '<mark>DeepSeek</mark>&#39;s report … outlets rounded it to $<mark>6 million</mark>.')).toBe('#:~:text=6%20million');
    // Every match in the statement: the page opens at its top, where the statement is.
    expect(matchFragment(statement, '<mark>DeepSeek</mark>&#39;s report puts the <mark>cost</mark>')).toBe('');
    expect(matchFragment(statement, undefined)).toBe('');
    // The directive's separators are escaped within its text, and the snippet's HTML escapes undone.
    expect(matchFragment(statement, 'the <mark>pre-training, R&amp;D</mark> costs')).toBe('#:~:text=pre%2Dtraining%2C%20R%26D');
  });
});

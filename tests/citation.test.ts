// Citations of a claim record: each style carries the statement, the service, the revision's date and its
// permalink; the route picks the style from `style` or Accept and answers errors as problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITATION_STYLES, citeClaim } from '../src/citation/citation.js';
import { createTestApp, PROBLEM_CONTENT_TYPE } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.app.close());

const cite = { baseUrl: 'https://claims.example.org', serviceName: 'Claims API', accessed: new Date('2026-11-30T12:00:00Z') };
const claim = () => {
  const c = ctx.store.claims.get('deepseek-v3-training-cost')!;
  return { ...c, statement: 'DeepSeek put V3 training at $5.576M.', updatedAt: '2025-01-31T08:00:00.000Z' };
};
const permalink = () => `https://claims.example.org/v1/claims/deepseek-v3-training-cost/revisions/${claim().revision}`;

describe('citeClaim', () => {
  it('formats APA, MLA, Chicago and Harvard from the official CSL styles', async () => {
    expect(await citeClaim(claim(), 'apa', cite)).toBe(`Claims API. (2025, January 31). DeepSeek put V3 training at $5.576M [Claim record]. Claims API. ${permalink()}\n`);
    expect(await citeClaim(claim(), 'mla', cite)).toBe(`Claims API. “DeepSeek Put V3 Training at $5.576M.” Claims API, revision ${claim().revision}, 31 Jan. 2025, ${permalink()}.\n`);
    expect(await citeClaim(claim(), 'chicago', cite)).toBe(`Claims API. “DeepSeek Put V3 Training at $5.576M.” Claim record. Claims API, January 31, 2025. ${permalink()}.\n`);
    expect(await citeClaim(claim(), 'harvard', cite)).toBe(`Claims API (2025) DeepSeek put V3 training at $5.576M, Claims API. Available at: ${permalink()} (Accessed: November 30, 2026).\n`);
  });

  it('keeps the website name as written, one full stop after the title, a BibTeX month and padded RIS dates', async () => {
    const lower = { ...cite, serviceName: 'claims-api' };
    for (const style of ['apa', 'mla', 'chicago', 'harvard'] as const) {
      const text = await citeClaim(claim(), style, lower);
      expect(text, style).not.toContain('Claims-Api');
      expect(text, style).not.toMatch(/\.\.|\.,/);
    }
    expect(await citeClaim(claim(), 'bibtex', cite)).toMatch(/^\s*month = jan,$/m);
    const ris = (await citeClaim(claim(), 'ris', cite)).split('\r\n');
    expect(ris).toContain('DA  - 2025/01/31/');
  });

  it('writes BibTeX, RIS (unwrapped URL) and CSL-JSON', async () => {
    const bib = await citeClaim(claim(), 'bibtex', cite);
    expect(bib).toMatch(/^@misc\{deepseekv3trainingcostr\d+,/);
    expect(bib).toContain(`url = {${permalink()}}`);
    expect(bib).toContain('author = {{Claims API}}');
    const ris = await citeClaim(claim(), 'ris', cite);
    expect(ris.split('\r\n')).toEqual(expect.arrayContaining(['TY  - ELEC', `UR  - ${permalink()}`, 'TI  - DeepSeek put V3 training at $5.576M.', 'ER  - ']));
    // No ID: cut to RIS's 20 characters, claims whose ids share a start shared one, and reference managers merged them.
    expect(ris.split('\r\n').filter((line) => line.startsWith('ID  -'))).toEqual([]);
    const [item] = JSON.parse(await citeClaim(claim(), 'csl-json', cite));
    expect(item).toMatchObject({ type: 'webpage', title: 'DeepSeek put V3 training at $5.576M.', URL: permalink(), issued: { 'date-parts': [[2025, 1, 31]] }, accessed: { 'date-parts': [[2026, 11, 30]] } });
  });

  it('marks a retracted claim as retracted in every style', async () => {
    const retracted = { ...claim(), retraction: { reason: 'Wrong figure.', retractedAt: '2026-02-01T09:00:00.000Z', supersededBy: null } };
    // BibTeX protects the capital with braces: [{Retracted}].
    for (const style of CITATION_STYLES) expect(await citeClaim(retracted, style, cite), style).toMatch(/\[\{?Retracted\}?\]/);
    expect(JSON.parse(await citeClaim(retracted, 'csl-json', cite))[0]).toMatchObject({ title: 'DeepSeek put V3 training at $5.576M. [Retracted]', status: 'retracted' });
  });

  it('keeps each RIS tag on its line, whatever line breaks a statement holds', async () => {
    const forged = { ...claim(), statement: 'Line one\r\nUR  - http://evil.example/\r\nER  - \r\nTY  - JOUR\nTI  - Injected' };
    const lines = (await citeClaim(forged, 'ris', cite)).split('\r\n');
    expect(lines.filter((l) => l.startsWith('UR  - '))).toEqual([`UR  - ${permalink()}`]);
    expect(lines.filter((l) => l.startsWith('TY  - ') || l.startsWith('ER  - '))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('TI  - '))).toContain('Line one UR  - http://evil.example/ ER  - TY  - JOUR TI  - Injected');
  });

  it('keeps every word of a statement with line breaks or tabs, in every style, on one line', async () => {
    // Chicago's and MLA's title case (citeproc-js) dropped the word after a line break: "Nvidia Lost Value Today."
    const breaks = { '\\n': '\n', '\\r\\n': '\r\n', 'U+2028': '\u2028', 'U+2029': '\u2029', 'U+0085': '\u0085', '\\t': '\t', 'space, \\n, tab': ' \n\t' };
    for (const [name, b] of Object.entries(breaks)) {
      const broken = { ...claim(), statement: `Nvidia lost${b}market value today${b}a${b}b` };
      for (const style of CITATION_STYLES) {
        const text = await citeClaim(broken, style, cite);
        for (const word of ['Nvidia', 'lost', 'market', 'value', 'today', 'a', 'b'])
          expect(text, `${style}, ${name}: ${word}`).toMatch(new RegExp(`\\b${word}\\b`, 'i'));
        // The title is one line: the words are joined by one space, in every format.
        expect(text, `${style}, ${name}`).toMatch(/Nvidia lost market value today a b/i);
        if (['apa', 'mla', 'chicago', 'harvard'].includes(style)) expect(text.trimEnd(), `${style}, ${name}`).not.toMatch(/[\t\n\r\u0085\u2028\u2029]/);
      }
      // Title case reaches the word after a tab or break as after a space.
      expect(await citeClaim(broken, 'chicago', cite), name).toContain('“Nvidia Lost Market Value Today a b.”');
      expect(JSON.parse(await citeClaim(broken, 'csl-json', cite))[0].title, name).toBe('Nvidia lost market value today a b');
    }
    // Only runs holding a break or a tab are joined: a no-break space stays as written.
    expect(JSON.parse(await citeClaim({ ...claim(), statement: 'Trained on 2,048\u00a0H800s' }, 'csl-json', cite))[0].title).toBe('Trained on 2,048\u00a0H800s');
  });

  it('keeps markup-like text literal, and BibTeX braces balanced', async () => {
    const odd = { ...claim(), statement: 'A <b>bold</b> claim with <script> and {braces} & 5%' };
    // Formatted styles must not read it as bold; CSL-JSON is data and carries the statement exactly.
    for (const style of CITATION_STYLES.filter((s) => s !== 'csl-json')) expect(await citeClaim(odd, style, cite), style).not.toContain('<b>bold</b>');
    expect(JSON.parse(await citeClaim(odd, 'csl-json', cite))[0].title).toBe(odd.statement);
    const bib = await citeClaim(odd, 'bibtex', cite);
    expect(bib).not.toContain('\\textbf');
    expect([...bib].filter((c) => c === '{').length).toBe([...bib].filter((c) => c === '}').length);
  });
});

describe('GET /v1/claims/{id}/citation', () => {
  const url = '/v1/claims/deepseek-v3-training-cost/citation';

  it('serves each style with its media type', async () => {
    const types = { apa: 'text/plain', mla: 'text/plain', chicago: 'text/plain', harvard: 'text/plain', bibtex: 'application/x-bibtex', ris: 'application/x-research-info-systems', 'csl-json': 'application/vnd.citationstyles.csl+json' };
    for (const [style, type] of Object.entries(types)) {
      const res = await ctx.app.inject(`${url}?style=${style}`);
      expect(res.statusCode, style).toBe(200);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(res.body).toContain('/v1/claims/deepseek-v3-training-cost/revisions/');
    }
  });

  it('carries an ETag per style that If-None-Match revalidates with a bodiless 304', async () => {
    const apa = await ctx.app.inject(`${url}?style=apa`);
    const bibtex = await ctx.app.inject(`${url}?style=bibtex`);
    expect(apa.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(bibtex.headers.etag).not.toBe(apa.headers.etag);
    const again = await ctx.app.inject({ url: `${url}?style=apa`, headers: { 'if-none-match': apa.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await ctx.app.inject({ url: `${url}?style=apa`, headers: { 'if-none-match': bibtex.headers.etag as string } })).statusCode).toBe(200);
  });

  it('documents CSL-JSON as the JSON it is: an array of CSL items, not a string', async () => {
    const doc = (await ctx.app.inject('/openapi.json')).json();
    const schema = doc.paths['/v1/claims/{id}/citation'].get.responses['200'].content['application/vnd.citationstyles.csl+json'].schema;
    expect(schema.type).toBe('array');
    const body = (await ctx.app.inject(`${url}?style=csl-json`)).json();
    expect(Array.isArray(body)).toBe(true);
    for (const field of schema.items.required as string[]) expect(typeof body[0][field], field).toBe(schema.items.properties[field].type);
  });

  it('negotiates on Accept when no style is given', async () => {
    const get = (accept: string) => ctx.app.inject({ url, headers: { accept } });
    expect((await get('application/x-bibtex')).body).toMatch(/^@misc\{/);
    expect((await get('application/x-research-info-systems')).body).toMatch(/^TY {2}- ELEC/);
    expect((await get('application/vnd.citationstyles.csl+json')).json()[0].type).toBe('webpage');
    const plain = await get('*/*');
    expect(plain.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(plain.headers.vary).toBe('Accept');
    expect((await ctx.app.inject(url)).headers['content-type']).toBe('text/plain; charset=utf-8');
    for (const accept of ['image/png', 'application/json']) {
      const refused = await get(accept);
      expect(refused.statusCode, accept).toBe(406);
      expect(refused.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(refused.json().code).toBe('not-acceptable');
    }
    // With `style`, Accept is not consulted (as the parameter says).
    expect((await ctx.app.inject({ url: `${url}?style=apa`, headers: { accept: 'application/json' } })).statusCode).toBe(200);
  });

  it('answers an unknown style with 400 and an unknown claim with 404, as problem+json', async () => {
    const bad = await ctx.app.inject(`${url}?style=vancouver`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(bad.json()).toMatchObject({ code: 'invalid-request', errors: [{ in: 'query', pointer: '/style' }] });
    const missing = await ctx.app.inject('/v1/claims/no-such-claim/citation?style=apa');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('claim-not-found');
  });
});

describe('pages', () => {
  it('serves the front page and claim pages as HTML', async () => {
    const home = await ctx.app.inject('/');
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('<a href="/c/semianalysis-deepseek-hardware-spend">');
    const page = await ctx.app.inject('/c/semianalysis-deepseek-hardware-spend');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('more than $500 million');
    expect(page.body).toContain('<script type="application/ld+json">');
  });

  it('answers an unknown claim page with a 404 problem', async () => {
    const res = await ctx.app.inject('/c/no-such-claim');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  });
});

// Search snippets (the extract that shows why a hit matched, escaped, with the matched words marked), and what a
// parsed query tells the ranking.
import { describe, expect, it } from 'vitest';
import { narrowSearchQuery, parseSearchQuery } from '../src/search/search-query.js';
import { ASCII_WORD, isAsciiWordCode } from '../src/search/ascii-words.js';
import { indexText } from '../src/search/search-text.js';
import { createSnippets, snippet, SNIPPET_TOKENS } from '../src/search/snippet.js';

const of = (q: string, ...texts: (string | null)[]) => snippet(texts, parseSearchQuery(q).highlight);

describe('snippet', () => {
  it('marks the words and phrases of the query in the statement', () => {
    expect(of('training cost', "DeepSeek's V3 training cost $5.576M.")).toBe("DeepSeek&#39;s V3 <mark>training cost</mark> $5.576M.");
    expect(of('"market value" nvidia', 'Nvidia lost market value; the value of the market fell.')).toBe(
      '<mark>Nvidia</mark> lost <mark>market value</mark>; the value of the market fell.',
    );
  });

  it('folds case and accents as the index does, and matches prefixes and numbers as written', () => {
    expect(of('zurich', 'Offices in ZÜRICH and Basel')).toBe('Offices in <mark>ZÜRICH</mark> and Basel');
    expect(of('deeps*', 'DeepSeek and deepseek-v3')).toBe('<mark>DeepSeek</mark> and <mark>deepseek</mark>-v3');
    // The index's text has its numbers marked (src/search/search-text.ts); the snippet shows them as written.
    expect(of('5.576', indexText('cost $5.576M in total'))).toBe('cost $<mark>5.576</mark>M in total');
    expect(of('$5.576M', indexText('cost $5.576M, not 5.6'))).toBe('cost $<mark>5.576M</mark>, not 5.6');
    expect(of('6', indexText('5.6 or 6–8% a year'))).toBe('5.6 or <mark>6</mark>–8% a year');
    // A number of 4 digits or more is either form, with thousands separators or without.
    expect(of('2,048', indexText('a cluster of 2,048 H800s, or 2048'))).toBe('a cluster of <mark>2,048</mark> H800s, or <mark>2048</mark>');
    expect(of('"2048 H800s"', indexText('2,048 H800s'))).toBe('<mark>2,048 H800s</mark>');
    expect(of('h800', indexText('2,048 H800s'))).toBe('2,048 <mark>H800</mark>s');
  });

  it('marks matches apart where punctuation stands between them, and adds no ellipsis to one the text has', () => {
    expect(of('million deepseek', 'says "$6 Million". DeepSeek is')).toBe('says &quot;$6 <mark>Million</mark>&quot;. <mark>DeepSeek</mark> is');
    expect(of('"market value" nvidia', 'Nvidia market value')).toBe('<mark>Nvidia market value</mark>');
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    words[2] = 'alpha';
    words[15] = 'w15…';
    expect(of('alpha', words.join(' '))).toBe(`w0 w1 <mark>alpha</mark> ${words.slice(3, 16).join(' ')}`);
  });

  it('does not mark the terms after NOT', () => {
    expect(of('deepseek NOT r1', 'DeepSeek V3, not R1')).toBe('<mark>DeepSeek</mark> V3, not R1');
  });

  it('falls back to the rest of the document when the statement does not match', () => {
    expect(of('semianalysis', 'Total spend exceeded $500M.', 'Estimate by SemiAnalysis, covering hardware.')).toBe(
      'Estimate by <mark>SemiAnalysis</mark>, covering hardware.',
    );
  });

  it('shows from beyond the statement a term it lacks, with the statement first where they show as many', () => {
    // The statement holds one term, the body the other: each shows its own, in the document's order.
    expect(of('deepseek "6 million"', "DeepSeek's V3 cost $5.576M.", 'Outlets rounded it to $6 million.')).toBe(
      '<mark>DeepSeek</mark>&#39;s V3 cost $5.576M. … Outlets rounded it to $<mark>6 million</mark>.',
    );
    // The body's words that show both terms come before the statement's one.
    expect(of('deepseek "6 million"', "DeepSeek's V3 cost $5.576M.", 'Outlets rounded DeepSeek to $6 million.')).toBe(
      'Outlets rounded <mark>DeepSeek</mark> to $<mark>6 million</mark>.',
    );
    // A statement that holds every term is the extract, whatever else the document says.
    expect(of('deepseek cost', 'DeepSeek put the cost.', 'DeepSeek cost DeepSeek cost.')).toBe('<mark>DeepSeek</mark> put the <mark>cost</mark>.');
  });

  it('adds a second extract where no window of the text shows every term it holds', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    words[5] = 'alpha';
    words[40] = 'beta';
    const out = of('alpha beta', words.join(' '));
    expect(out).toBe(`…w3 w4 <mark>alpha</mark> ${words.slice(6, 19).join(' ')}… w38 w39 <mark>beta</mark> ${words.slice(41, 48).join(' ')}…`);
    // The second extract stands before the first when its term comes first in the text.
    words[5] = 'w5';
    words[50] = 'alpha';
    const before = of('alpha beta', words.join(' '));
    expect(before.indexOf('<mark>beta</mark>')).toBeLessThan(before.indexOf('<mark>alpha</mark>'));
    // Two extracts a few words apart are one stretch of the text, with no ellipsis between.
    const near = Array.from({ length: 40 }, (_, i) => `w${i}`);
    near[2] = 'alpha';
    near[20] = 'beta';
    expect(of('alpha beta', near.join(' '))).toBe(
      `w0 w1 <mark>alpha</mark> ${near.slice(3, 20).join(' ')} <mark>beta</mark> ${near.slice(21, 26).join(' ')}…`,
    );
    near[20] = 'w20';
    near[24] = 'beta';
    expect(of('alpha beta', near.join(' '))).toContain('w15… w22 w23 <mark>beta</mark>');
  });

  it('cuts long texts to the window with the most different terms, with ellipses where the text goes on', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    words[30] = 'alpha';
    words[33] = 'beta';
    words[50] = 'alpha';
    const out = of('alpha beta', words.join(' '));
    expect(out.startsWith('…w28 w29 <mark>alpha</mark> w31 w32 <mark>beta</mark>')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out.replace(/<\/?mark>|…/g, '').split(' ')).toHaveLength(SNIPPET_TOKENS);
  });

  it('reads the word characters of ASCII text character by character exactly as ASCII_WORD does', () => {
    const word = new RegExp(`^${ASCII_WORD.source}$`);
    for (let c = 0; c <= 0xffff; c++) expect(isAsciiWordCode(c), `code ${c}`).toBe(word.test(String.fromCharCode(c)));
  });

  it('marks a whole text, escaped, for a statement shown as a result title', () => {
    const marked = (q: string, text: string) => createSnippets(parseSearchQuery(q).highlight).marked(text);
    const long = Array.from({ length: 40 }, (_, i) => (i === 35 ? 'alpha' : `w${i}`)).join(' ');
    expect(marked('alpha', long)).toBe(long.replace('alpha', '<mark>alpha</mark>'));
    expect(marked('script', '<script>alert("x")</script> & more')).toBe('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; more');
    // No match: the text, escaped, numbers as written.
    expect(marked('zzz', indexText('cost <b>$5.576M</b>'))).toBe('cost &lt;b&gt;$5.576M&lt;/b&gt;');
  });

  it('escapes the text around the marks, so the snippet is safe HTML', () => {
    expect(of('script', '<script>alert("x")</script> & more')).toBe(
      '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; more',
    );
  });
});

describe('parsed queries', () => {
  it('group the terms joined by OR before AND and NOT bind, and mark none after NOT', () => {
    const parsed = (q: string) => parseSearchQuery(q);
    expect(parsed('a OR b c').match).toBe('("a" OR "b") AND "c"');
    expect(parsed('a b OR c NOT d OR e').match).toBe('"a" AND ("b" OR "c") NOT ("d" OR "e")');
    expect(parsed('a OR b').match).toBe('("a" OR "b")');
    expect(parsed('a b').match).toBe('"a" AND "b"');
    expect(parsed('a NOT b OR c').highlight.map((t) => t.tokens[0])).toEqual(['a']);
    expect(parseSearchQuery('b c NOT d', 'any').match).toBe('("b" OR "c") NOT "d"');
  });

  it('say when holding any one term is holding the query, which lets ranking skip a statement-only search', () => {
    const anyTerm = (q: string) => parseSearchQuery(q).anyTerm;
    expect([anyTerm('deepseek'), anyTerm('"training cost"'), anyTerm('nvidia OR broadcom'), anyTerm('deepseek NOT r1 NOT v2')]).toEqual([true, true, true, true]);
    expect([anyTerm('training cost'), anyTerm('a AND b'), anyTerm('a NOT b OR c'), anyTerm('a OR b c')]).toEqual([false, false, false, false]);
  });

  it('name the words every match holds, which bound how many matches there can be', () => {
    // As the finder reads it, when the index holds none of the plurals and equivalents the query adds.
    const required = (q: string) => narrowSearchQuery(parseSearchQuery(q), () => false).required;
    expect(required('"the training" cost')).toEqual(['the', 'training', 'cost']);
    // Not a term after NOT, nor a prefix's last word; a number is one word.
    expect(required('deepseek NOT r1 "chip expor"* 5.576')).toEqual(['deepseek', 'chip', indexText('5.576')]);
    expect(required('cost cost')).toEqual(['cost']);
    // A word whose plural the index holds may stand in a match as that plural.
    expect(narrowSearchQuery(parseSearchQuery('training cost'), (t) => t === '"costs"').required).toEqual(['training']);
    // With OR no word is in every match.
    expect(required('nvidia OR broadcom')).toEqual([]);
    expect(required('nvidia AND chips OR broadcom')).toEqual([]);
  });
});

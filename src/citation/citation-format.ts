// citation-js, behind citation.ts: loaded on the first citation rather than at start-up (see citeClaim).
import core from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-ris';
import type { CitationStyle, toCslItem } from './citation.js';
import { CHICAGO_NOTE_BIBLIOGRAPHY_CSL } from './styles/chicago-note-bibliography.csl.js';
import { MODERN_LANGUAGE_ASSOCIATION_CSL } from './styles/modern-language-association.csl.js';

const { Cite, plugins } = core;

// citation-js keeps its style registry and options globally; registering here, once at import, is its API.
// APA 7 and Harvard (Cite Them Right) ship with plugin-csl; MLA 9 and Chicago 17 are the official styles, vendored.
const csl = plugins.config.get('@csl');
csl.styles.add('mla', MODERN_LANGUAGE_ASSOCIATION_CSL);
csl.styles.add('chicago', CHICAGO_NOTE_BIBLIOGRAPHY_CSL);
// Our ids are stable and readable, so BibTeX keys come from them rather than from author-year guesses.
plugins.config.get('@bibtex').format.useIdAsLabel = true;

/** citation-js template names; ours are the names people know. */
const TEMPLATES: Partial<Record<CitationStyle, string>> = { apa: 'apa', mla: 'mla', chicago: 'chicago', harvard: 'harvard1' };

/**
 * CSL processors and the BibTeX writer read `<i>`, `<b>`, `<sc>`, `<sup>`, `<sub>` and `<span>` in titles as
 * markup (the BibTeX writer even leaves a brace open for an unclosed `<b>`). A statement is plain text, so a
 * word joiner (U+2060, invisible) after the `<` of such a sequence keeps it literal. Other text is untouched.
 */
const literalTitle = (title: string) => title.replace(/<(?=\/?(?:i|b|sc|sup|sub|span)\b)/gi, '<\u2060');

/** RIS dates as the format writes them, YYYY/MM/DD/: citation-js leaves month and day unpadded (2026/12/1/). */
const risDate = (value: string) => value.replace(/^(\d{4})\/(\d{1,2})\/(\d{1,2})\/$/, (_, y: string, m: string, d: string) => `${y}/${m.padStart(2, '0')}/${d.padStart(2, '0')}/`);

/**
 * BibTeX's month is a three-letter macro (month = dec); citation-js writes the day into it as text
 * (month = {dec 1}), which BibTeX styles print as such. BibTeX has no day field; the URL's revision dates it.
 */
const bibtexMonth = (text: string) => text.replace(/^(\s*month = )\{([a-z]{3}) \d{1,2}\},$/m, '$1$2,');

/**
 * The CSL styles print the title and then their own punctuation: a statement's closing full stop came out doubled
 * ("experiments., claims-api"). And APA and MLA title-case the website's name ("Claims-Api"), which is a name.
 */
const forStyles = (item: ReturnType<typeof toCslItem>) => ({
  ...item,
  title: item.title.replace(/(?<!\.)\.$/, ''),
  'container-title': `<span class="nocase">${item['container-title']}</span>`,
});

/** RIS as citation-js maps it, one tag a line. Its own writer wraps values at 70 characters, which breaks URLs. */
function risText(cite: InstanceType<typeof Cite>): string {
  const [entry = {}] = cite.format('ris', { format: 'object', spec: 'new' });
  // ID is left out: citation-js cuts it to RIS's 20 characters, which gave deepseek-v3-training-cost,
  // -training-gpu-hours and -training-cluster one ID, and reference managers merge records by it.
  const { TY, ID: _id, ...tags } = entry;
  const lines = [`TY  - ${String(TY)}`];
  // One line a tag: a line break inside a value would end the tag there and start whatever the text says next (a
  // statement holding "\r\nUR  - http://elsewhere" gave the record a second URL and a second record).
  for (const [tag, value] of Object.entries(tags))
    for (const v of [value].flat()) lines.push(`${tag}  - ${risDate(String(v).replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '))}`);
  lines.push('ER  - ');
  return `${lines.join('\r\n')}\r\n`;
}

/** The CSL item in a style other than CSL-JSON, as the text to serve or show. */
export function formatCitation(item: ReturnType<typeof toCslItem>, style: Exclude<CitationStyle, 'csl-json'>): string {
  const cite = new Cite([{ ...item, title: literalTitle(item.title) }]);
  if (style === 'bibtex') return bibtexMonth(cite.format('bibtex', { format: 'text' }));
  if (style === 'ris') return risText(cite);
  const styled = new Cite([forStyles({ ...item, title: literalTitle(item.title) })]);
  return `${styled.format('bibliography', { format: 'text', template: TEMPLATES[style]!, lang: 'en-US' }).trim()}\n`;
}

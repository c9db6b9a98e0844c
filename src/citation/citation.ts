// Citations of a claim record itself, in the formats people paste into papers and reference managers. The
// record is cited as a web page: author and website = this service, title = the statement, date = the date of
// the revision shown, URL = the revision's permalink (it never changes meaning), accessed = today. Formatting
// is citation-js's: CSL styles through citeproc-js, and its BibTeX and RIS mappings. Nothing here hand-builds a
// citation string.
import core from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-ris';
import { z } from 'zod';
import { absolute, type ClaimView, claimRevisionPath, type PublishContext } from '../domain/claim-view.js';
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

export const CITATION_STYLES = ['apa', 'mla', 'chicago', 'harvard', 'bibtex', 'ris', 'csl-json'] as const;
export type CitationStyle = (typeof CITATION_STYLES)[number];
export const CitationStyle = z.enum(CITATION_STYLES).meta({
  id: 'CitationStyle',
  description:
    '`apa` (APA 7), `mla` (MLA 9), `chicago` (Chicago 17, notes and bibliography: the bibliography entry), `harvard` ' +
    '(Cite Them Right), all as plain text; `bibtex`, `ris` (RIS), `csl-json` (CSL-JSON, for Zotero and citeproc).',
});

/** The media type each style is served as. Text styles are one bibliography entry in UTF-8 plain text. */
export const CITATION_MEDIA_TYPES: Record<CitationStyle, string> = {
  apa: 'text/plain',
  mla: 'text/plain',
  chicago: 'text/plain',
  harvard: 'text/plain',
  bibtex: 'application/x-bibtex',
  ris: 'application/x-research-info-systems',
  'csl-json': 'application/vnd.citationstyles.csl+json',
};

/** citation-js template names; ours are the names people know. */
const TEMPLATES: Partial<Record<CitationStyle, string>> = { apa: 'apa', mla: 'mla', chicago: 'chicago', harvard: 'harvard1' };

const dateParts = (isoDate: string) => ({ 'date-parts': [isoDate.slice(0, 10).split('-').map(Number)] });

export interface CitationContext extends PublishContext {
  /** The day the record is cited on: "accessed" in the citation. */
  accessed: Date;
}

/** The claim record as one CSL-JSON item, the common input of every format. */
export function toCslItem(claim: ClaimView, ctx: CitationContext) {
  return {
    id: `${claim.id}-r${claim.revision}`,
    type: 'webpage',
    title: claim.statement,
    genre: 'Claim record',
    author: [{ literal: ctx.serviceName }],
    'container-title': ctx.serviceName,
    version: `revision ${claim.revision}`,
    issued: dateParts(claim.updatedAt),
    accessed: dateParts(ctx.accessed.toISOString()),
    URL: absolute(ctx, claimRevisionPath(claim)),
  };
}

/**
 * CSL processors and the BibTeX writer read `<i>`, `<b>`, `<sc>`, `<sup>`, `<sub>` and `<span>` in titles as
 * markup (the BibTeX writer even leaves a brace open for an unclosed `<b>`). A statement is plain text, so a
 * word joiner (U+2060, invisible) after the `<` of such a sequence keeps it literal. Other text is untouched.
 */
const literalTitle = (title: string) => title.replace(/<(?=\/?(?:i|b|sc|sup|sub|span)\b)/gi, '<\u2060');

/** RIS as citation-js maps it, one tag a line. Its own writer wraps values at 70 characters, which breaks URLs. */
function risText(cite: InstanceType<typeof Cite>): string {
  const [entry = {}] = cite.format('ris', { format: 'object', spec: 'new' });
  const { TY, ...tags } = entry;
  const lines = [`TY  - ${String(TY)}`];
  for (const [tag, value] of Object.entries(tags)) for (const v of [value].flat()) lines.push(`${tag}  - ${v}`);
  lines.push('ER  - ');
  return `${lines.join('\r\n')}\r\n`;
}

/** One citation of the claim record in the given style, as the text to serve or show. */
export function citeClaim(claim: ClaimView, style: CitationStyle, ctx: CitationContext): string {
  const item = toCslItem(claim, ctx);
  if (style === 'csl-json') return `${JSON.stringify([item], null, 2)}\n`;
  const cite = new Cite([{ ...item, title: literalTitle(item.title) }]);
  if (style === 'bibtex') return cite.format('bibtex', { format: 'text' });
  if (style === 'ris') return risText(cite);
  return `${cite.format('bibliography', { format: 'text', template: TEMPLATES[style]!, lang: 'en-US' }).trim()}\n`;
}

// Citations of a claim record itself, in the formats people paste into papers and reference managers. The
// record is cited as a web page: author and website = this service, title = the statement (on one line), date =
// the date of the revision shown, URL = the revision's permalink (it never changes meaning), accessed = today.
// Formatting is citation-js's (citation-format.ts): CSL styles through citeproc-js, and its BibTeX and RIS
// mappings. Nothing here hand-builds a citation string.
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { absolute, type ClaimView, claimRevisionPath, type PublishContext } from '../domain/claim-view.js';

export const CITATION_STYLES = ['apa', 'mla', 'chicago', 'harvard', 'bibtex', 'ris', 'csl-json'] as const;
export type CitationStyle = (typeof CITATION_STYLES)[number];
export const CitationStyle = z.enum(CITATION_STYLES).meta({
  id: 'CitationStyle',
  description:
    '`apa` (APA 7), `mla` (MLA 9), `chicago` (Chicago 17, notes and bibliography: the bibliography entry), `harvard` ' +
    '(Cite Them Right), all as plain text; `bibtex`, `ris` (RIS), `csl-json` (CSL-JSON, for Zotero and citeproc).',
  examples: ['apa'],
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

const dateParts = (isoDate: string) => ({ 'date-parts': [isoDate.slice(0, 10).split('-').map(Number)] });

// A run of whitespace is matched whole, then tested for a line break or tab (JS's \s lacks U+0085, NEL): one pass,
// where \s*\n\s* would backtrack through every long run of spaces that holds no break.
const WHITESPACE_RUN = /[\s\u0085]+/g;
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/;

/**
 * A bibliographic entry is one line, and a statement may hold line breaks and tabs (they are allowed in text).
 * citeproc-js's title case (2.4.63, under plugin-csl), which Chicago and MLA apply to the title, splits words only
 * at spaces, and capitalises a "word" with a pattern whose `.` stops at a line terminator: "lost\nmarket" came out
 * as "Lost", the word after the break gone; after a tab the next word was not capitalised. Zotero formats CSL-JSON
 * with the same engine, so the item itself carries the one-line text: each run of whitespace holding a break or a
 * tab becomes one space. Other spaces (a no-break space in "2,048\u00a0H800s") are kept as written.
 */
const oneLine = (text: string) => text.replace(WHITESPACE_RUN, (run) => (BREAKS.test(run) ? ' ' : run)).trim();

export interface CitationContext extends PublishContext {
  /** The day the record is cited on: "accessed" in the citation. */
  accessed: Date;
}

/** The claim record as one CSL-JSON item, the common input of every format. */
export function toCslItem(claim: ClaimView, ctx: CitationContext) {
  return {
    id: `${claim.id}-r${claim.revision}`,
    type: 'webpage',
    // APA's convention for a retracted work, which every style then shows; CSL's status says it to software.
    title: claim.retraction ? `${oneLine(claim.statement)} [Retracted]` : oneLine(claim.statement),
    ...(claim.retraction ? { status: 'retracted' } : {}),
    genre: 'Claim record',
    // The service's name is configuration, not title-cased by any style, but a line break in it would still split
    // the one-line entry.
    author: [{ literal: oneLine(ctx.serviceName) }],
    'container-title': oneLine(ctx.serviceName),
    version: `revision ${claim.revision}`,
    issued: dateParts(claim.updatedAt),
    accessed: dateParts(ctx.accessed.toISOString()),
    URL: absolute(ctx, claimRevisionPath(claim)),
  };
}

type FormattedStyle = Exclude<CitationStyle, 'csl-json'>;
type Format = (item: ReturnType<typeof toCslItem>, style: FormattedStyle) => Promise<string>;

// citation-js with its styles is a third of the bundle and tens of milliseconds of module evaluation, which every
// start-up paid before its first answer; it is loaded on the first citation instead (its own chunk in the build).
let inProcess: Promise<typeof import('./citation-format.js')> | undefined;
let format: Format = async (item, style) => (await (inProcess ??= import('./citation-format.js'))).formatCitation(item, style);

/** What the worker is sent, and what it answers. */
export interface CitationJob {
  id: number;
  item: ReturnType<typeof toCslItem>;
  style: FormattedStyle;
}
export type CitationOutcome = { id: number; text: string } | { id: number; error: string };

/** How long a citation may take on the worker before it is given up on (and the worker replaced). */
const WORKER_TIMEOUT_MS = 30_000;

/**
 * Formats citations on a worker thread from now on: the server's bundle has one (citation.worker.ts). The thread
 * starts with the first citation asked for, so a service nobody cites costs no memory for it; that first citation
 * waits for citation-js to load there (about a second), and no other request waits with it.
 */
export function formatCitationsOn(workerUrl: URL): void {
  type Job = { resolve: (text: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout };
  // Each thread answers for its own jobs: a dead one's late `exit` must not fail the jobs of the one that replaced it.
  let current: { worker: Worker; waiting: Map<number, Job> } | null = null;
  let next = 0;
  const start = () => {
    const worker = new Worker(workerUrl);
    const waiting = new Map<number, Job>();
    const self = { worker, waiting };
    worker.unref(); // never what keeps the process running
    const retire = (err: Error) => {
      if (current === self) current = null;
      for (const { reject, timer } of waiting.values()) {
        clearTimeout(timer);
        reject(err);
      }
      waiting.clear();
    };
    worker.on('message', (outcome: CitationOutcome) => {
      const job = waiting.get(outcome.id);
      if (job === undefined) return;
      waiting.delete(outcome.id);
      clearTimeout(job.timer);
      if ('text' in outcome) job.resolve(outcome.text);
      else job.reject(new Error(`citation failed: ${outcome.error}`));
    });
    worker.on('error', retire);
    worker.on('exit', (code) => retire(new Error(`the citation worker exited (code ${code})`)));
    return self;
  };
  format = (item, style) =>
    new Promise((resolve, reject) => {
      const thread = (current ??= start());
      const id = next++;
      const timer = setTimeout(() => {
        // Given up on: the next citation starts a new thread, and this one's other jobs fail as it stops.
        if (current === thread) current = null;
        thread.waiting.delete(id);
        reject(new Error(`no citation from the worker within ${WORKER_TIMEOUT_MS} ms`));
        void thread.worker.terminate();
      }, WORKER_TIMEOUT_MS);
      timer.unref();
      thread.waiting.set(id, { resolve, reject, timer });
      thread.worker.postMessage({ id, item, style } satisfies CitationJob);
    });
}

/** One citation of the claim record in the given style, as the text to serve or show. */
export async function citeClaim(claim: ClaimView, style: CitationStyle, ctx: CitationContext): Promise<string> {
  const item = toCslItem(claim, ctx);
  if (style === 'csl-json') return `${JSON.stringify([item], null, 2)}\n`;
  return format(item, style);
}

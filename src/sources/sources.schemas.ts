// The source's shapes: a document claims are cited from.
import { z } from 'zod';
import { optional, text } from '../domain/fields.js';
import { Slug } from '../domain/ids.js';
import { PartialDate } from '../domain/partial-date.js';
import { SourceEvidence, SourceType } from '../domain/vocabulary.js';
import { EditReason, HttpUrl, RecordLinks, Timestamp } from '../http/schemas.js';


export const SourceIdentifiers = z
  .strictObject({
    doi: optional(z.string().regex(/^10\.\d{4,9}\/\S+$/, 'Expected a DOI such as 10.1038/xyz')),
    arxivId: optional(z.string().regex(/^\d{4}\.\d{4,5}(v\d+)?$/, 'Expected an arXiv id such as 2412.19437')),
    gitCommit: optional(z.string().regex(/^[0-9a-f]{7,40}$/, 'Expected a git commit hash')),
    federalRegister: optional(text(100)).describe('Federal Register citation, e.g. "87 FR 62186".'),
  })
  .meta({ id: 'SourceIdentifiers' });

const sourceCore = {
  type: SourceType,
  title: text(500),
  publisher: optional(text(200)),
  authors: z.array(text(200)).max(50).default([]),
  publishedOn: optional(PartialDate),
  url: optional(HttpUrl).describe('Where the document was read; null when no confirmed address is known.'),
  archiveUrl: optional(HttpUrl),
  identifiers: SourceIdentifiers.default({ doi: null, arxivId: null, gitCommit: null, federalRegister: null }),
  evidence: SourceEvidence,
  note: optional(text(2000)).describe('What a reader should know about this copy of the document.'),
};

export const SourceWrite = z
  .object({ id: Slug.optional(), ...sourceCore })
  .strict()
  .meta({ id: 'SourceWrite', description: 'A source as an editor writes it.' });
export type SourceWrite = z.output<typeof SourceWrite>;

const serverOwned = { revision: z.int().min(1).describe('Increases by one with every change.'), createdAt: Timestamp, updatedAt: Timestamp };

export const SourceCreate = z
  .object({ id: Slug.optional().describe('Readable id; generated when absent. An existing id is refused (409).'), ...sourceCore, reason: EditReason })
  .strict()
  .meta({ id: 'SourceCreate', description: 'A new source: the read shape less the server-owned fields, plus the edit summary.' });

export const SourceReplace = z
  .object({ ...sourceCore, reason: EditReason })
  .strict()
  .meta({ id: 'SourceReplace', description: 'The whole source, replacing the current version (PUT); an omitted optional field is cleared.' });

/** The record as stored, and as each revision snapshot records it. */
export const SourceRecord = z
  .object({ id: Slug, ...sourceCore, ...serverOwned })
  .meta({ id: 'SourceRevision', description: 'A source exactly as it was recorded at one revision.' });
export type Source = z.output<typeof SourceRecord>;

/** What GET serves: the record plus its links. */
export const SourceView = SourceRecord.extend({ links: RecordLinks }).meta({ id: 'Source', description: 'A document that claims are cited from.' });
export type SourceView = z.output<typeof SourceView>;

// The source's shapes: a document claims are cited from.
import { z } from 'zod';
import { optional, text } from '../domain/fields.js';
import { Slug } from '../domain/ids.js';
import { PartialDate } from '../domain/partial-date.js';
import { SourceEvidence, SourceType } from '../domain/vocabulary.js';
import { HttpUrl, Timestamp } from '../http/schemas.js';


export const SourceIdentifiers = z
  .object({
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

export const Source = z
  .object({
    id: Slug,
    ...sourceCore,
    revision: z.int().min(1),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Source', description: 'A document that claims are cited from.' });
export type Source = z.output<typeof Source>;

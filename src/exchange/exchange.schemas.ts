// The shapes of bulk exchange: the export's query (the claims list's filters, reused), the NDJSON lines that
// export writes and import reads (one record per line, tagged with its type), and the import's answer.
import { z } from 'zod';
import { ClaimListQuery } from '../claims/claims.list-query.js';
import { ClaimWrite } from '../claims/claims.schemas.js';
import { Slug } from '../domain/ids.js';
import { EntityWrite } from '../entities/entities.schemas.js';
import { EditReason, Timestamp } from '../http/schemas.js';
import { SourceWrite } from '../sources/sources.schemas.js';

export const RECORD_SETS = ['claims', 'sources', 'entities', 'all'] as const;
export type RecordSet = (typeof RECORD_SETS)[number];
export const FORMATS = ['ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** The list's parameters that choose claims; paging, ordering and facets mean nothing to an export. */
const NOT_FILTERS = new Set(['sort', 'facets', 'limit', 'cursor']);
const filterShape = Object.fromEntries(Object.entries(ClaimListQuery.shape).filter(([k]) => !NOT_FILTERS.has(k))) as Omit<
  typeof ClaimListQuery.shape,
  'sort' | 'facets' | 'limit' | 'cursor'
>;
export const CLAIM_FILTER_NAMES = Object.keys(filterShape).filter((k) => k !== 'includeRetracted');

const ExportOptions = z.strictObject({
  records: z
    .enum(RECORD_SETS)
    .default('claims')
    .describe(
      'What to export: `claims` (the default), `sources`, `entities`, or `all` (entities, then sources, then claims: ' +
        'a file `POST /v1/import` takes as it is). The claim filters apply to `claims` and to the claims of `all`.',
    )
    .meta({ examples: ['all'] }),
  format: z
    .enum(FORMATS)
    .default('ndjson')
    .describe('`ndjson` (one JSON record per line, importable) or `csv` (one row per record; not with records=all).')
    .meta({ examples: ['csv'] }),
  ...filterShape,
  q: filterShape.q.describe('Only claims matching this search (the syntax of `GET /v1/claims?q=`); the export stays in id order, without snippets.'),
  match: filterShape.match.describe(
    'How the words of `q` with no operator between them combine: `all` (the default) must be in a claim, `any` may. ' +
      'Unlike `GET /v1/claims`, an export never turns to `any` on its own: it holds what was asked for, or nothing.',
  ),
  includeRetracted: z
    .enum(['true', 'false'])
    .meta({ examples: ['false'] })
    .optional()
    .describe(
      '`true` to export retracted claims too, `false` to leave them out. By default they are left out of `records=claims` ' +
        'and kept in `records=all`, so that a whole export is a complete copy `POST /v1/import` takes: live claims may ' +
        'relate to retracted ones, and a retraction names its successor. Only claims are retracted, so with ' +
        '`records=sources` or `entities` it is refused, as the claim filters are.',
    ),
});

/** The export's option names, for the command line. */
export const EXPORT_OPTION_NAMES = Object.keys(ExportOptions.shape);

export const ExportQuery = ExportOptions
  .superRefine((q, ctx) => {
    // The list's own rules (date ranges in order, value bounds need a unit...), checked by the list's own schema.
    const filters = Object.fromEntries(Object.entries(q).filter(([k]) => k in filterShape));
    const checked = ClaimListQuery.safeParse(filters);
    if (!checked.success)
      for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    if (q.format === 'csv' && q.records === 'all')
      ctx.addIssue({ code: 'custom', path: ['format'], message: 'CSV holds one kind of record per file: export claims, sources or entities separately' });
    if (q.records === 'sources' || q.records === 'entities') {
      for (const name of CLAIM_FILTER_NAMES)
        if (q[name as keyof typeof q] !== undefined)
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} filters claims; it does not apply to records=${q.records}` });
      // Only claims are ever retracted (sources and entities have no retraction): it was accepted and meant nothing.
      if (q.includeRetracted !== undefined)
        ctx.addIssue({ code: 'custom', path: ['includeRetracted'], message: `includeRetracted is about claims, the only records ever retracted; it does not apply to records=${q.records}` });
    }
  })
  .transform((q) => ({ ...q, includeRetracted: q.includeRetracted === undefined ? q.records === 'all' : q.includeRetracted === 'true' }));
export type ExportQuery = z.output<typeof ExportQuery>;

export const ExportHeader = z
  .object({
    type: z.literal('export'),
    exportedAt: Timestamp,
    cursor: z
      .string()
      .describe('The change-feed cursor (`GET /v1/changes?after=`) this export is consistent with; see the consistency rule in the operation.'),
    records: z.enum(RECORD_SETS),
    filters: z.record(z.string(), z.string()).describe('The query parameters the export was made with.'),
  })
  .meta({ id: 'ExportHeader', description: 'The first line of an NDJSON export. Import requires it, and imports nothing from it.' });

export const ExportTrailer = z
  .object({ type: z.literal('end'), count: z.int().describe('How many records the export holds: the lines between the header and the trailer.') })
  .meta({
    id: 'ExportTrailer',
    description: 'The last line of an NDJSON export; a file without it was cut short. Import refuses such a file, and one whose count is not its number of records.',
  });

export const ClaimRetractionLine = z
  .strictObject({
    reason: EditReason.describe('Why the claim was retracted.'),
    supersededBy: Slug.nullable().default(null).describe('The claim that replaces it, if any.'),
  })
  .meta({
    id: 'ExportRetraction',
    description:
      'Present only on a retracted claim. Import creates the claim and then retracts it (needs an admin key); the ' +
      'retraction time is the import\'s own, like every revision time.',
  });

export const ExchangeLine = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('entity'), record: EntityWrite }),
    z.strictObject({ type: z.literal('source'), record: SourceWrite }),
    z.strictObject({ type: z.literal('claim'), record: ClaimWrite, retraction: ClaimRetractionLine.optional() }),
  ])
  .meta({
    id: 'ExchangeLine',
    description:
      'One line of an NDJSON export or import: a record in the write shape (what POST accepts, less `reason`), ' +
      'tagged with its type. Server-owned fields (revision, timestamps, links) are not part of it.',
  });
export type ExchangeLine = z.output<typeof ExchangeLine>;

export const ImportQuery = z.strictObject({
  reason: EditReason.describe(
    'Required: the edit summary stored with every revision the import writes (URL-encoded UTF-8). A query parameter, ' +
      'not a header, for the reason ADR 0003 keeps it out of headers; the body is the NDJSON file as exported.',
  ).meta({ examples: ['Load the January 2025 market claims from the newsroom sheet'] }),
  dryRun: z
    .enum(['true', 'false'])
    .meta({ examples: ['true'] })
    .default('false')
    .transform((v) => v === 'true')
    .describe('`true` to validate every line (shapes, references, conflicts) and write nothing.'),
});

const Counts = z.object({ entities: z.int(), sources: z.int(), claims: z.int() });

export const ImportResult = z
  .object({
    dryRun: z.boolean(),
    created: Counts.describe('Records created (with dryRun: that would be created).'),
    unchanged: Counts.describe('Records that exist already with exactly this content: left alone, no revision.'),
    retracted: z.int().describe('Claims retracted after creation (lines with `retraction`).'),
    cursor: z.string().describe('The change-feed cursor after the import: its revisions are the changes before it.'),
  })
  .meta({ id: 'ImportResult', description: 'What an import wrote, in one transaction.' });
export type ImportResult = z.output<typeof ImportResult>;

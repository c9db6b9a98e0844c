// Bulk exchange over HTTP: GET /v1/export streams records as NDJSON or CSV; POST /v1/import (editor) takes the
// NDJSON back, all or nothing. The work is in export.ts and import.ts, shared with the command-line scripts.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponse } from '../http/responses.js';
import { parseSearchQuery } from '../search/search-query.js';
import type { Store } from '../store.js';
import { CSV_COLUMN_NAMES } from './csv.js';
import { ExportQuery, ImportQuery, ImportResult } from './exchange.schemas.js';
import { EXPORT_CONSISTENCY, exportChunks, exportStart, pullStream } from './export.js';
import { MAX_PROBLEMS } from './import.js';
import { inProcessImport, type ImportRunner } from './import.runner.js';
import { AppError } from '../http/problems.js';
import { utf8Text } from '../http/request-bodies.js';

export const NDJSON = 'application/x-ndjson';
/** The default largest import body: about 25,000 claims of the seed's size. */
export const DEFAULT_IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

export interface ExchangeRoutesOptions {
  store: Store;
  /** Largest import body in bytes; every other route keeps the app's limit. */
  importBodyLimitBytes?: number;
  /** Where imports run (import.runner.ts): in process unless the server gives a worker. */
  runImport?: ImportRunner;
}

const EXPORT_HEADERS = {
  'Export-Cursor': { type: 'string', description: 'The change-feed cursor the export is consistent with (as in the NDJSON header).' },
  'Export-Time': { type: 'string', description: 'When the export started (RFC 3339).' },
  'Content-Disposition': { type: 'string', description: 'attachment, with a file name naming the records and the time.' },
};

const csvColumns = Object.entries(CSV_COLUMN_NAMES)
  .map(([records, names]) => `\`${records}\`: ${names.join(', ')}`)
  .join('. ');

const lineFormat =
  'Each line is one JSON object: `{"type":"entity"|"source"|"claim","record":{...}}` where `record` is the write shape ' +
  '(what POST accepts, less `reason`) with its `id`; a retracted claim adds `"retraction":{"reason","supersededBy"}`. ' +
  'Revision numbers, timestamps and links are not part of a record: they belong to the database that holds it. ' +
  'The first line is a header `{"type":"export","exportedAt","cursor","records","filters"}` and the last a trailer ' +
  '`{"type":"end","count":N}` (N records; a file without it was cut short). Records come in id order, entities first, then sources, then claims.';

export const exchangeRoutes: FastifyPluginAsyncZod<ExchangeRoutesOptions> = async (
  app,
  { store, importBodyLimitBytes = DEFAULT_IMPORT_BODY_LIMIT, runImport = inProcessImport(store) },
) => {
  // One import at a time: a second would only wait for the first's write lock, holding its body in memory meanwhile.
  let importing = false;
  app.get(
    '/v1/export',
    {
      schema: {
        operationId: 'exportRecords',
        summary: 'Export records in bulk (NDJSON or CSV)',
        description:
          'Streams every record of a kind, in id order, at constant memory however many there are. Claims take the ' +
          'filters of `GET /v1/claims` (and `q`), but no paging: the whole result is one response.\n\n' +
          `**NDJSON** (\`application/x-ndjson\`, the default) is the exchange format, which \`POST /v1/import\` takes back unchanged. ${lineFormat}\n\n` +
          '**CSV** (`text/csv`, RFC 4180: a header row, CRLF, UTF-8, fields quoted when they hold a comma, quote or line ' +
          'break) is for spreadsheets and analysis and carries the revision and timestamps too. Lists and objects are JSON ' +
          `in one cell; claim subjects are ids separated by ";"; dates are their string (2025, 2025-01, 2025-01-31). Columns: ${csvColumns}.\n\n` +
          `**Consistency.** ${EXPORT_CONSISTENCY}\n\n` +
          'A complete copy of the data: `records=all`, which keeps retracted claims unless `includeRetracted=false`.',
        tags: ['exchange'],
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The records, streamed.',
            headers: EXPORT_HEADERS,
            content: {
              [NDJSON]: {
                schema: { type: 'string', description: 'Newline-delimited JSON: one ExchangeLine per line, between the header and the trailer.' },
                // OpenAPI 3.2's itemSchema, as an extension: what each line of the stream is.
                'x-itemSchema': {
                  oneOf: ['ExportHeader', 'ExchangeLine', 'ExportTrailer'].map((name) => ({ $ref: `#/components/schemas/${name}` })),
                },
              },
              'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header row.' } },
            },
          },
          400: problemResponse(400),
          500: problemResponse(500),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      // Checked before the first byte, so that a bad search is a 400 and not a cut-off stream.
      const search = query.q === undefined ? undefined : parseSearchQuery(query.q, query.match);
      const start = exportStart(store.revisions);
      const filters = Object.fromEntries(new URLSearchParams(request.url.split('?')[1] ?? ''));
      const ext = query.format === 'csv' ? 'csv' : 'ndjson';
      reply
        .header('export-cursor', start.cursor)
        .header('export-time', start.exportedAt)
        .header('content-disposition', `attachment; filename="claims-api-${query.records}-${start.exportedAt.replaceAll(':', '')}.${ext}"`)
        .type(query.format === 'csv' ? 'text/csv; charset=utf-8; header=present' : `${NDJSON}; charset=utf-8`);
      // HEAD gets the headers alone. Fastify answers HEAD through this handler and drains a stream body itself, which
      // made the whole export, with no client left to stop it: seconds to minutes of work for a 6 ms answer.
      if (request.method === 'HEAD') return reply.send(Readable.from([]));
      return reply.send(pullStream(exportChunks(store, query, start, { filters, search })));
    },
  );

  // The NDJSON parser and the large body limit belong to the import route alone.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    // NDJSON only: a JSON body here is a mistake of media type (415), not a malformed file.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(NDJSON, { parseAs: 'buffer', bodyLimit: importBodyLimitBytes }, (request, body, done) => {
      const text = utf8Text(request, body as Buffer);
      return text instanceof AppError ? done(text, undefined) : done(null, text);
    });
    scope.post(
      '/v1/import',
      {
        bodyLimit: importBodyLimitBytes,
        config: { scope: 'editor' },
        schema: {
          operationId: 'importRecords',
          summary: 'Import records in bulk (NDJSON), all or nothing',
          description:
            `Takes an NDJSON export (\`Content-Type: ${NDJSON}\`, up to ${Math.round(importBodyLimitBytes / 1024 / 1024)} MiB) and creates its records ` +
            'through the same write path as POST: each gets revision 1 with this key as author and `reason` as edit summary, ' +
            `and appears in the change feed. ${lineFormat}\n\n` +
            "The file must be a whole export: the header first, the trailer last, and the trailer's `count` equal to the " +
            'number of record lines between them. An empty file, a file without its header or its trailer (it was cut ' +
            'short), and a count that does not match are refused with 400. ' +
            'Every line is checked before anything is written: JSON, shape, references (to records in the file or in the ' +
            'database), ids repeated in the file, and ids that exist with other content. A line whose record exists with ' +
            'exactly this content is left alone, so a retried import changes nothing. Any problem rejects the whole file, ' +
            `and the problem lists each one, up to ${MAX_PROBLEMS}: checking stops at the next, and \`detail\` says the list was cut. ` +
            "Each `pointer` starts with the line number (from 1) and continues into that line's JSON, e.g. " +
            '`/3/record/citations/0/source/id`; a problem of the whole file (empty, cut short) has the pointer "". The status ' +
            'is 400 for malformed lines or files, else 403 for retracted claims without an admin key, else 422 for missing ' +
            'references, else 409 for conflicting ids.\n\n' +
            'Then all records are written in one transaction: entities, sources, claims (each after the claims it relates ' +
            'to; relations that form a cycle within the file are added as revision 2). A retracted claim is created and ' +
            'then retracted, which needs an admin key. `dryRun=true` runs the same checks and writes, then rolls back.\n\n' +
            'Reads go on while an import runs and see none of it until it commits. One import runs at a time: another ' +
            'sent meanwhile is refused with 503 and `Retry-After`, as are other writes while the import holds the write lock.',
          tags: ['exchange'],
          querystring: ImportQuery,
          body: z
            .string()
            .describe('NDJSON as export writes it: the header line, one ExchangeLine per record, the trailer line; blank lines, and a byte order mark at the start, are skipped.'),
          consumes: [NDJSON],
          response: {
            200: { description: 'What was (or, for a dry run, would be) written.', content: { 'application/json': { schema: ImportResult } } },
            400: problemResponse(400),
            403: problemResponse(403),
            409: problemResponse(409),
            413: { ...problemResponse(413), description: `The file is larger than the import limit, ${Math.round(importBodyLimitBytes / 1024 / 1024)} MiB (\`payload-too-large\`).` },
            415: problemResponse(415),
            422: problemResponse(422),
            500: problemResponse(500),
          },
        },
      },
      async (request) => {
        const caller = request.apiKey!;
        if (importing) throw new AppError('service-unavailable', 'Another import is running; nothing was written. Retry once it has finished.');
        importing = true;
        try {
          return await runImport(request.body, {
            meta: { author: caller.name, reason: request.query.reason },
            dryRun: request.query.dryRun,
            mayRetract: caller.scope === 'admin',
          });
        } finally {
          importing = false;
        }
      },
    );
  });
};

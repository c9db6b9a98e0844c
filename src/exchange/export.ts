// Bulk export as a stream: records are read in id order by keyset pages of PAGE_SIZE, one page per read of the
// stream, so memory stays at one page however many records there are, and a slow reader slows the reading
// (backpressure) instead of filling memory. No read transaction spans the export: each page is its own snapshot,
// and the header names the change-feed position taken before the first page (see EXPORT_CONSISTENCY).
import { Readable } from 'node:stream';
import { claimToRecord } from '../claims/claims.rows.js';
import type { Claim, ClaimWrite } from '../claims/claims.schemas.js';
import { toClaimFilters } from '../claims/claims.list-query.js';
import type { ClaimsRepository } from '../claims/claims.repository.js';
import type { ParsedQuery } from '../search/search-query.js';
import type { EntitiesRepository } from '../entities/entities.repository.js';
import type { EntityView, EntityWrite } from '../entities/entities.schemas.js';
import { encodeCursor } from '../http/pagination.js';
import type { RevisionsRepository } from '../revisions/revisions.repository.js';
import type { SourcesRepository } from '../sources/sources.repository.js';
import type { SourceView, SourceWrite } from '../sources/sources.schemas.js';
import { CLAIM_COLUMNS, csvHeader, csvRecord, ENTITY_COLUMNS, SOURCE_COLUMNS } from './csv.js';
import type { ExchangeLine, ExportQuery } from './exchange.schemas.js';

// About 0.2 ms a claim: a page of 250 holds the event loop for ~50 ms, short enough not to stall other requests.
export const PAGE_SIZE = 250;

export const EXPORT_CONSISTENCY =
  'The header (NDJSON) and the Export-Cursor and Export-Time response headers give the time of the export and the ' +
  'change-feed cursor taken before the first record is read. Every record in the export reflects at least every ' +
  'change up to that cursor. The export reads in pages without holding a snapshot, so changes committed while it ' +
  'runs may or may not appear. To mirror the data exactly, load the export and then apply `GET /v1/changes?after=<cursor>`: ' +
  'each change is a whole record, so applying one the export already holds changes nothing.';

export interface ExportSources {
  claims: ClaimsRepository;
  sources: SourcesRepository;
  entities: EntitiesRepository;
  revisions: RevisionsRepository;
}

// ---- The exchange shape: the write shape with the id, no server-owned fields -------------------------------------

export const entityRecord = ({ revision: _r, createdAt: _c, updatedAt: _u, links: _l, ...record }: EntityView): EntityWrite & { id: string } => record;
export const sourceRecord = ({ revision: _r, createdAt: _c, updatedAt: _u, links: _l, ...record }: SourceView): SourceWrite & { id: string } => record;
export function claimLine(claim: Claim): Extract<ExchangeLine, { type: 'claim' }> {
  const { revision: _r, createdAt: _c, updatedAt: _u, retraction, ...record } = claimToRecord(claim);
  const line: Extract<ExchangeLine, { type: 'claim' }> = { type: 'claim', record: record as ClaimWrite & { id: string } };
  if (retraction) line.retraction = { reason: retraction.reason, supersededBy: retraction.supersededBy };
  return line;
}
export const entityLine = (e: EntityView): ExchangeLine => ({ type: 'entity', record: entityRecord(e) });
export const sourceLine = (s: SourceView): ExchangeLine => ({ type: 'source', record: sourceRecord(s) });

// ---- Reading in pages ----------------------------------------------------------------------------------------------

/** Every page of records, in id order, each page read when the previous one has been consumed. */
function* pagesOf<T>(list: (after: string | null) => { items: T[]; lastId: string | null }): Generator<T[]> {
  let after: string | null = null;
  do {
    const page = list(after);
    if (page.items.length > 0) yield page.items;
    after = page.lastId;
  } while (after !== null);
}

function* claimPages(repo: ClaimsRepository, query: ExportQuery, search: ParsedQuery | undefined): Generator<Claim[]> {
  const filters = toClaimFilters({ ...query, sort: undefined, facets: undefined, limit: PAGE_SIZE, cursor: undefined });
  let cursor: Parameters<ClaimsRepository['find']>[0]['cursor'] = null;
  // A search is run once for the whole export, not once a page.
  const hitsHolder = {};
  do {
    const page = repo.find({ filters, query: search, snippets: false, sort: 'id', cursor, limit: PAGE_SIZE, hitsHolder });
    // The list gives summaries; the export writes each claim whole.
    const items = page.items.map((s) => repo.get(s.id)).filter((c): c is Claim => c !== null);
    if (items.length > 0) yield items;
    cursor = page.next;
  } while (cursor !== null);
}

const entityPages = (repo: EntitiesRepository) => pagesOf((after) => repo.list({}, after, PAGE_SIZE));
const sourcePages = (repo: SourcesRepository) => pagesOf((after) => repo.list({}, after, PAGE_SIZE));

// ---- The export ----------------------------------------------------------------------------------------------------

export interface ExportStart {
  exportedAt: string;
  cursor: string;
}

/** When the export starts and where the change feed then stands: one statement, so one consistent reading. */
export function exportStart(revisions: RevisionsRepository, now = new Date()): ExportStart {
  return { exportedAt: now.toISOString(), cursor: encodeCursor(revisions.lastSeq()) };
}

const ndjson = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * The export's text, one chunk per page of records: for NDJSON a header line first and a trailer with the count
 * last (a file without the trailer was cut short); for CSV the header row first. `search` is the parsed `q`, parsed
 * by the caller so that a bad query fails before the first byte.
 */
export function* exportChunks(
  repos: ExportSources,
  query: ExportQuery,
  start: ExportStart,
  { filters, search }: { filters: Record<string, string>; search: ParsedQuery | undefined },
): Generator<string> {
  const { records, format } = query;
  if (format === 'ndjson') {
    yield ndjson({ type: 'export', exportedAt: start.exportedAt, cursor: start.cursor, records, filters });
    let count = 0;
    const lines = <T>(page: T[], line: (r: T) => ExchangeLine) => {
      count += page.length;
      return page.map((r) => ndjson(line(r))).join('');
    };
    if (records === 'entities' || records === 'all') for (const page of entityPages(repos.entities)) yield lines(page, entityLine);
    if (records === 'sources' || records === 'all') for (const page of sourcePages(repos.sources)) yield lines(page, sourceLine);
    if (records === 'claims' || records === 'all') for (const page of claimPages(repos.claims, query, search)) yield lines(page, claimLine);
    yield ndjson({ type: 'end', count });
    return;
  }
  if (records === 'entities') {
    yield csvHeader(ENTITY_COLUMNS);
    for (const page of entityPages(repos.entities)) yield page.map((e) => csvRecord(ENTITY_COLUMNS, e)).join('');
  } else if (records === 'sources') {
    yield csvHeader(SOURCE_COLUMNS);
    for (const page of sourcePages(repos.sources)) yield page.map((s) => csvRecord(SOURCE_COLUMNS, s)).join('');
  } else {
    yield csvHeader(CLAIM_COLUMNS);
    for (const page of claimPages(repos.claims, query, search)) yield page.map((c) => csvRecord(CLAIM_COLUMNS, c)).join('');
  }
}

/**
 * A byte stream over chunks that are produced only when the reader asks for more: each `read` pulls one chunk (a
 * page), and a page is far above the stream's high-water mark, so the next page waits until the socket (or file)
 * has taken this one. Each page is made in a turn of the event loop of its own: when the reader keeps up (a local
 * client), Readable asks for the next page through process.nextTick, ahead of all other I/O, and an export of 40,000
 * claims held every other request, health checks included, for its whole 8-10 s.
 */
export function pullStream(chunks: Iterator<string>): Readable {
  return new Readable({
    read() {
      setImmediate(() => {
        if (this.destroyed) return; // the reader went away meanwhile
        try {
          const next = chunks.next();
          this.push(next.done ? null : next.value);
        } catch (err) {
          this.destroy(err as Error);
        }
      });
    },
  });
}

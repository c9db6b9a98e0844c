// CSV for spreadsheets and analysts (RFC 4180): one header row, one row per record, CRLF line ends, UTF-8 without
// a byte-order mark. A field is quoted when it holds a comma, a quote, CR or LF, with quotes doubled. Lists and
// objects (citations, caveats, qualifiers...) are JSON in one cell; partial dates are their date string, whose form
// is its precision (2025, 2025-01, 2025-01-31). Values are written as they are: a negative amount starts with "-"
// and is not escaped against spreadsheet formulas, because an export that altered the data could not be cited.
// CSV is for reading; NDJSON is the format import takes back.
import type { Claim } from '../claims/claims.schemas.js';
import type { EntityView } from '../entities/entities.schemas.js';
import type { SourceView } from '../sources/sources.schemas.js';

type Cell = string | number | boolean | null;
type Columns<T> = readonly (readonly [name: string, value: (record: T) => Cell])[];

const json = (value: unknown): string => JSON.stringify(value);

/** One RFC 4180 field: null is the empty field. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvRow = (cells: Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

export const CLAIM_COLUMNS: Columns<Claim> = [
  ['id', (c) => c.id],
  ['statement', (c) => c.statement],
  ['articleWording', (c) => c.articleWording],
  ['kind', (c) => c.kind],
  ['claimedOn', (c) => c.claimedOn?.date ?? null],
  ['factStart', (c) => c.factPeriod?.start.date ?? null],
  ['factEnd', (c) => c.factPeriod?.end.date ?? null],
  ['valueComparator', (c) => c.value?.comparator ?? null],
  ['valueAmount', (c) => c.value?.amount ?? null],
  ['valueLower', (c) => c.value?.lower ?? null],
  ['valueUpper', (c) => c.value?.upper ?? null],
  ['valueUnit', (c) => c.value?.unit ?? null],
  ['valueBasis', (c) => c.value?.basis ?? null],
  ['verdict', (c) => c.assessment.verdict],
  ['verdictExplanation', (c) => c.assessment.explanation],
  ['subjects', (c) => c.subjects.map((s) => s.id).join(';')],
  ['claimant', (c) => c.claimant?.id ?? null],
  ['qualifiers', (c) => json(c.qualifiers)],
  ['caveats', (c) => json(c.caveats)],
  ['citations', (c) => json(c.citations.map((x) => ({ source: x.source.id, role: x.role, stance: x.stance, quote: x.quote, locator: x.locator })))],
  ['relations', (c) => json(c.relations.map((r) => ({ type: r.type, claim: r.claim.id, note: r.note })))],
  ['revision', (c) => c.revision],
  ['createdAt', (c) => c.createdAt],
  ['updatedAt', (c) => c.updatedAt],
  ['retractedAt', (c) => c.retraction?.retractedAt ?? null],
  ['retractionReason', (c) => c.retraction?.reason ?? null],
  ['supersededBy', (c) => c.retraction?.supersededBy ?? null],
];

export const SOURCE_COLUMNS: Columns<SourceView> = [
  ['id', (s) => s.id],
  ['type', (s) => s.type],
  ['title', (s) => s.title],
  ['publisher', (s) => s.publisher],
  ['authors', (s) => json(s.authors)],
  ['publishedOn', (s) => s.publishedOn?.date ?? null],
  ['url', (s) => s.url],
  ['archiveUrl', (s) => s.archiveUrl],
  ['doi', (s) => s.identifiers.doi],
  ['arxivId', (s) => s.identifiers.arxivId],
  ['gitCommit', (s) => s.identifiers.gitCommit],
  ['federalRegister', (s) => s.identifiers.federalRegister],
  ['evidence', (s) => s.evidence],
  ['note', (s) => s.note],
  ['revision', (s) => s.revision],
  ['createdAt', (s) => s.createdAt],
  ['updatedAt', (s) => s.updatedAt],
];

export const ENTITY_COLUMNS: Columns<EntityView> = [
  ['id', (e) => e.id],
  ['name', (e) => e.name],
  ['type', (e) => e.type],
  ['aliases', (e) => json(e.aliases)],
  ['description', (e) => e.description],
  ['wikidataId', (e) => e.wikidataId],
  ['homepage', (e) => e.homepage],
  ['revision', (e) => e.revision],
  ['createdAt', (e) => e.createdAt],
  ['updatedAt', (e) => e.updatedAt],
];

export const csvHeader = <T>(columns: Columns<T>): string => csvRow(columns.map(([name]) => name));
export const csvRecord = <T>(columns: Columns<T>, record: T): string => csvRow(columns.map(([, value]) => value(record)));

/** The column names of each CSV export, for the documentation. */
export const CSV_COLUMN_NAMES = {
  claims: CLAIM_COLUMNS.map(([n]) => n),
  sources: SOURCE_COLUMNS.map(([n]) => n),
  entities: ENTITY_COLUMNS.map(([n]) => n),
};

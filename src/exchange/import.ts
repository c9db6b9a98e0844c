// Bulk import of NDJSON as export writes it: the file must be whole (its header first, its trailer last, with the
// count of the records between them), and every line is checked first (JSON, shape, references within the file or
// the database, conflicts with records that exist); the first MAX_PROBLEMS problems are reported with their lines.
// Then the whole file is written in ONE transaction through the write service, so each record gets its revision and
// its change-feed entry, and one failure leaves the database as it was. Used by POST /v1/import and `npm run import`.
//
// Order: entities, then sources, then claims, each claim after the claims it relates to. Relations that form a
// cycle within the file are written in a second step (the claim's revision 2). Retracted claims are created, then
// retracted (that needs an admin key, as the API's retraction does). A line whose record exists with exactly this
// content is left alone, so importing a file twice changes nothing; other content under an existing id is refused.
import type { ClaimWrite } from '../claims/claims.schemas.js';
import { newId } from '../domain/new-id.js';
import type { ResourceType } from '../domain/vocabulary.js';
import { encodeCursor } from '../http/pagination.js';
import { AppError, type IssueDetail, type ProblemCode } from '../http/problems.js';
import type { WriteMeta } from '../write/write.service.js';
import type { Store } from '../store.js';
import { claimLine, entityLine, sourceLine } from './export.js';
import { ExchangeLine, ExportTrailer, type ImportResult } from './exchange.schemas.js';
import { type ClaimLine, claimOrder, retractionOrder } from './import.order.js';

type Line = ExchangeLine & { line: number; id: string };

export interface ImportOptions {
  meta: WriteMeta;
  dryRun: boolean;
  /** Whether the caller may retract claims (an admin key, or the operator's command line). */
  mayRetract: boolean;
}

/** JSON pointer escaping (RFC 6901). */
const segment = (s: string | number) => String(s).replaceAll('~', '~0').replaceAll('/', '~1');
/** Pointers into an NDJSON body: the first segment is the line number (from 1), the rest points into that line. */
const pointer = (line: number, ...path: (string | number)[]) => `/${[line, ...path].map(segment).join('/')}`;

/**
 * JSON with its keys sorted: compares a line with a stored record whatever the order of their keys. Sorted by code
 * unit, not localeCompare: any fixed order does, and ICU's collation made this a fifth of the seed check every start.
 */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/**
 * The most problems one import lists. A bad file can hold millions of bad lines (50 MiB of `x` lines is 26 million),
 * and listing each made an answer some 60 times the size of the file, built while the event loop waited for minutes
 * (or until the heap ran out). The first hundred show what is wrong with a file; at the next one checking stops, so a
 * bad file costs no more than its first bad lines, and the answer stays a few tens of kB.
 */
export const MAX_PROBLEMS = 100;

/** Problem kinds, the most fundamental first: the first kind among the problems listed decides the status. */
const KIND_CODES = { shape: 'invalid-request', forbidden: 'forbidden', reference: 'invalid-reference', conflict: 'already-exists' } as const satisfies Record<string, ProblemCode>;
type ProblemKind = keyof typeof KIND_CODES;

class Problems {
  private readonly list: { kind: ProblemKind; line: number; issue: IssueDetail }[] = [];
  add(kind: ProblemKind, line: number, path: (string | number)[], detail: string): void {
    this.push(kind, line, { in: 'body', pointer: pointer(line, ...path), detail: `Line ${line}: ${detail}` });
  }
  /** A problem of the file as a whole (empty, cut short): its pointer is the whole body, and it is listed first. */
  addFile(detail: string): void {
    this.push('shape', 0, { in: 'body', pointer: '', detail: `${detail[0]!.toUpperCase()}${detail.slice(1)}` });
  }
  private push(kind: ProblemKind, line: number, issue: IssueDetail): void {
    // One past the cap: the list is full, and nothing more needs checking.
    if (this.list.length === MAX_PROBLEMS) this.fail(true);
    this.list.push({ kind, line, issue });
  }
  throwIfAny(): void {
    if (this.list.length > 0) this.fail(false);
  }
  private fail(cut: boolean): never {
    const all = [...this.list].sort((a, b) => a.line - b.line);
    const kind = (Object.keys(KIND_CODES) as ProblemKind[]).find((k) => all.some((p) => p.kind === k))!;
    const lines = new Set(all.filter((p) => p.line > 0).map((p) => p.line)).size;
    const summary = cut
      ? `The import has more than ${MAX_PROBLEMS} problems (the first ${MAX_PROBLEMS} are listed; checking stopped there)`
      : lines === 0
        ? 'The import is not a whole export file'
        : `${lines} line${lines === 1 ? '' : 's'} of the import ${lines === 1 ? 'is' : 'are'} invalid`;
    throw new AppError(KIND_CODES[kind], `${summary}; nothing was written. ${all[0]!.issue.detail}`, all.map((p) => p.issue));
  }
}

/**
 * The lines of a body with their numbers (from 1), one at a time, so that a check that stops reads no further. One
 * leading byte order mark is skipped: an export saved by a Windows editor gets one, and line 1 was then refused as
 * "not JSON", while JSON bodies elsewhere are read with theirs (Fastify's parser strips it).
 */
function* numberedLines(body: string): Generator<{ n: number; text: string }> {
  for (let n = 1, start = body.startsWith('\uFEFF') ? 1 : 0; ; n++) {
    const end = body.indexOf('\n', start);
    const raw = end === -1 ? body.slice(start) : body.slice(start, end);
    yield { n, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw };
    if (end === -1) return;
    start = end + 1;
  }
}

/**
 * Parses and validates every line, and checks that the file is a whole export: the header first, the trailer last,
 * and the trailer's count equal to the record lines between them. Those are what tell a file cut short (a failed
 * download, a full disk) from a complete one; without them such a file would import as if it were whole. The header
 * and trailer are checked, not imported; blank lines are skipped.
 */
export function parseLines(body: string, problems: Problems): Line[] {
  const lines: Line[] = [];
  let last = 0; // the last non-blank line
  let records = 0;
  let trailer: { n: number; count: number | undefined } | null = null;
  for (const { n, text } of numberedLines(body)) {
    if (text.trim() === '') continue;
    // Only the first line after a trailer is reported: the rest of a second file has its own header to say so.
    if (trailer?.n === last) problems.add('shape', n, [], `the file goes on after its trailer line (line ${trailer.n}); one import takes one export file`);
    const first = last === 0;
    last = n;
    let value: unknown;
    let error: string | undefined;
    try {
      value = JSON.parse(text);
    } catch (err) {
      error = `not JSON (${(err as Error).message})`;
    }
    const type = value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
    if (first && type !== 'export') problems.add('shape', n, [], 'the file does not start with the export header {"type":"export",...}: was its start cut off?');
    if (type === 'export') {
      if (!first) problems.add('shape', n, ['type'], 'a header line, which only the first line may be; are two files joined?');
      continue;
    }
    if (type === 'end') {
      const parsed = ExportTrailer.safeParse(value);
      if (!parsed.success) for (const issue of parsed.error.issues) problems.add('shape', n, issue.path.map(String), issue.message);
      trailer = { n, count: parsed.success ? parsed.data.count : undefined };
      continue;
    }
    records++;
    if (error !== undefined) {
      problems.add('shape', n, [], error);
      continue;
    }
    const parsed = ExchangeLine.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        // One problem per unknown field, pointing at it, as the API's other bodies report them.
        if (issue.code === 'unrecognized_keys') for (const k of issue.keys) problems.add('shape', n, [...path, k], `unknown or read-only field "${k}"`);
        else problems.add('shape', n, path, issue.message);
      }
      continue;
    }
    const r = parsed.data;
    const id = r.record.id ?? newId(r.type === 'entity' ? r.record.name : r.type === 'source' ? r.record.title : r.record.statement);
    lines.push({ ...r, record: { ...r.record, id }, line: n, id } as Line);
  }
  if (last === 0) problems.addFile('the file is empty (or only blank lines): an import takes an export file, from its header line to its trailer line');
  else if (trailer === null) problems.addFile(`the file ends without its trailer line {"type":"end","count":N} after line ${last}: it was cut short`);
  else if (trailer.count !== undefined && trailer.count !== records)
    problems.add('shape', trailer.n, ['count'], `the trailer says ${trailer.count} record${trailer.count === 1 ? '' : 's'}, the file has ${records}: lines were lost or added since the export`);
  return lines;
}

const plural: Record<ResourceType, 'entities' | 'sources' | 'claims'> = { entity: 'entities', source: 'sources', claim: 'claims' };

/** Validates the whole file, then writes it in one transaction (or, for a dry run, writes it and rolls back). */
export function importNdjson(store: Store, body: string, options: ImportOptions): ImportResult {
  const problems = new Problems();
  const lines = parseLines(body, problems);

  // Ids: unique within the file per type; an existing record must hold exactly this content.
  const seen = new Map<string, number>();
  const toCreate: Line[] = [];
  const result: ImportResult = {
    dryRun: options.dryRun,
    created: { entities: 0, sources: 0, claims: 0 },
    unchanged: { entities: 0, sources: 0, claims: 0 },
    retracted: 0,
    cursor: '',
  };
  for (const l of lines) {
    const key = `${l.type} ${l.id}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add('shape', l.line, ['record', 'id'], `the ${l.type} "${l.id}" is also on line ${first}`);
      continue;
    }
    seen.set(key, l.line);
    const current = l.type === 'entity' ? store.entities.get(l.id) : l.type === 'source' ? store.sources.get(l.id) : store.claims.get(l.id);
    if (current === null) {
      toCreate.push(l);
      continue;
    }
    const stored = l.type === 'entity' ? entityLine(current as never) : l.type === 'source' ? sourceLine(current as never) : claimLine(current as never);
    const { line: _n, id: _i, ...given } = l;
    if (canonical(stored) === canonical(given)) result.unchanged[plural[l.type]]++;
    else problems.add('conflict', l.line, ['record', 'id'], `a ${l.type} with id "${l.id}" exists with other content; ids are never reused (change it with PUT)`);
  }

  // References: to records in this file or in the database.
  const inFile = (type: ResourceType, id: string) => seen.has(`${type} ${id}`);
  const exists = { entity: store.entities.exists, source: store.sources.exists, claim: store.claims.exists };
  const known = (type: ResourceType, id: string) => inFile(type, id) || exists[type](id);
  const claims = toCreate.filter((l): l is ClaimLine => l.type === 'claim');
  for (const c of claims) {
    const missing = (path: (string | number)[], type: ResourceType, id: string) =>
      known(type, id) || problems.add('reference', c.line, path, `no ${type} has id "${id}", in this file or in the database`);
    c.record.subjects.forEach((s, i) => missing(['record', 'subjects', i, 'id'], 'entity', s.id));
    if (c.record.claimant) missing(['record', 'claimant', 'id'], 'entity', c.record.claimant.id);
    c.record.citations.forEach((x, i) => missing(['record', 'citations', i, 'source', 'id'], 'source', x.source.id));
    c.record.relations.forEach((r, i) => missing(['record', 'relations', i, 'claim', 'id'], 'claim', r.claim.id));
    const by = c.retraction?.supersededBy;
    if (by != null) missing(['retraction', 'supersededBy'], 'claim', by);
    if (by === c.id) problems.add('reference', c.line, ['retraction', 'supersededBy'], 'a claim cannot supersede itself');
    if (c.retraction && !options.mayRetract) problems.add('forbidden', c.line, ['retraction'], 'importing a retracted claim retracts it, which needs an admin key');
  }
  problems.throwIfAny();

  const { write } = store;
  const { meta } = options;
  const noPrecondition = () => {};
  const onLine = <T>(line: number, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const errors = (err.errors ?? [{ in: 'body' as const, pointer: '', detail: err.message }]).map((e) => ({
        in: 'body' as const,
        pointer: `/${line}${e.pointer.startsWith('/') ? `/record${e.pointer}` : ''}`,
        detail: `Line ${line}: ${e.detail}`,
      }));
      throw new AppError(err.code, `Line ${line}: ${err.message}; nothing was written`, errors);
    }
  };
  const rollback = new Error('dry run');
  const run = () => {
    for (const l of toCreate) if (l.type === 'entity') onLine(l.line, () => write.createEntity(l.record, meta));
    for (const l of toCreate) if (l.type === 'source') onLine(l.line, () => write.createSource(l.record, meta));
    const { order, deferred } = claimOrder(claims);
    for (const c of order) {
      const later = deferred.get(c.id);
      const record: ClaimWrite = later ? { ...c.record, relations: c.record.relations.filter((_r, i) => !later.has(i)) } : c.record;
      onLine(c.line, () => write.createClaim(record, meta));
    }
    for (const c of order)
      if (deferred.has(c.id)) {
        const { id: _id, ...whole } = c.record;
        onLine(c.line, () => write.replaceClaim(c.id, whole, meta, noPrecondition));
      }
    for (const c of retractionOrder(order.filter((l) => l.retraction)))
      if (c.retraction) {
        const retraction = c.retraction;
        onLine(c.line, () => write.retractClaim(c.id, { supersededBy: retraction.supersededBy ?? undefined }, { ...meta, reason: retraction.reason }, noPrecondition));
        result.retracted++;
      }
    for (const l of toCreate) result.created[plural[l.type]]++;
    result.cursor = encodeCursor(store.revisions.lastSeq());
    if (options.dryRun) throw rollback;
  };
  try {
    store.write.batch(run);
  } catch (err) {
    if (err !== rollback) throw err;
    result.cursor = encodeCursor(store.revisions.lastSeq());
  }
  return result;
}

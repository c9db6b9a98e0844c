// Bulk import of NDJSON as export writes it: every line is checked first (JSON, shape, references within the file
// or the database, conflicts with records that exist), and every problem is reported with its line; then the
// whole file is written in ONE transaction through the write service, so each record gets its revision and its
// change-feed entry, and one failure leaves the database as it was. Used by POST /v1/import and `npm run import`.
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
import { ExchangeLine, type ImportResult } from './exchange.schemas.js';

type Line = ExchangeLine & { line: number; id: string };
type ClaimLine = Extract<ExchangeLine, { type: 'claim' }> & { line: number; id: string };

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

/** JSON with its keys sorted: compares a line with a stored record whatever the order of their keys. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

class Problems {
  readonly shape: IssueDetail[] = [];
  readonly reference: IssueDetail[] = [];
  readonly conflict: IssueDetail[] = [];
  readonly forbidden: IssueDetail[] = [];
  add(kind: 'shape' | 'reference' | 'conflict' | 'forbidden', line: number, path: (string | number)[], detail: string) {
    this[kind].push({ in: 'body', pointer: pointer(line, ...path), detail: `Line ${line}: ${detail}` });
  }
  /** The most fundamental kind decides the status; every problem is listed whatever its kind. */
  throwIfAny(): void {
    const all = [...this.shape, ...this.forbidden, ...this.reference, ...this.conflict].sort((a, b) => lineOf(a) - lineOf(b));
    if (all.length === 0) return;
    const code: ProblemCode = this.shape.length
      ? 'invalid-request'
      : this.forbidden.length
        ? 'forbidden'
        : this.reference.length
          ? 'invalid-reference'
          : 'already-exists';
    const lines = new Set(all.map(lineOf)).size;
    throw new AppError(code, `${lines} line${lines === 1 ? '' : 's'} of the import ${lines === 1 ? 'is' : 'are'} invalid; nothing was written. ${all[0]!.detail}`, all);
  }
}
const lineOf = (issue: IssueDetail) => Number(issue.pointer.split('/')[1]);

/** Parses and validates the shape of every line; blank lines and export headers are skipped. */
export function parseLines(body: string, problems: Problems): Line[] {
  const lines: Line[] = [];
  body.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return problems.add('shape', n, [], `not JSON (${(err as Error).message})`);
    }
    // The export's header and trailer describe the file; they are not records.
    const type = value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
    if (type === 'export' || type === 'end') return;
    const parsed = ExchangeLine.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        // One problem per unknown field, pointing at it, as the API's other bodies report them.
        if (issue.code === 'unrecognized_keys') for (const k of issue.keys) problems.add('shape', n, [...path, k], `unknown or read-only field "${k}"`);
        else problems.add('shape', n, path, issue.message);
      }
      return;
    }
    const r = parsed.data;
    const id = r.record.id ?? newId(r.type === 'entity' ? r.record.name : r.type === 'source' ? r.record.title : r.record.statement);
    lines.push({ ...r, record: { ...r.record, id }, line: n, id } as Line);
  });
  return lines;
}

/** Claims in an order where each comes after the claims it relates to; relations closing a cycle are deferred. */
function claimOrder(claims: ClaimLine[]): { order: ClaimLine[]; deferred: Map<string, Set<number>> } {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: ClaimLine[] = [];
  const deferred = new Map<string, Set<number>>();
  // Iterative depth-first search: a file of a million chained claims must not overflow the stack.
  for (const root of claims) {
    if (state.has(root.id)) continue;
    const stack: { claim: ClaimLine; next: number }[] = [{ claim: root, next: 0 }];
    state.set(root.id, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const relations = top.claim.record.relations;
      if (top.next < relations.length) {
        const index = top.next++;
        const target = byId.get(relations[index]!.claim.id);
        if (target === undefined) continue; // in the database already
        const s = state.get(target.id);
        if (s === 'visiting') {
          const set = deferred.get(top.claim.id) ?? new Set<number>();
          set.add(index);
          deferred.set(top.claim.id, set);
        } else if (s === undefined) {
          state.set(target.id, 'visiting');
          stack.push({ claim: target, next: 0 });
        }
      } else {
        stack.pop();
        state.set(top.claim.id, 'done');
        order.push(top.claim);
      }
    }
  }
  return { order, deferred };
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
    for (const c of order)
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

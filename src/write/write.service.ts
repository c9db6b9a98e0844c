// Every change to the record: the one write path used by the seed loader and the API. Each write is one
// IMMEDIATE transaction that checks, writes the record with all its parts and appends the revision, so a failed
// write changes nothing and no other writer (another process on the same file) can slip in between the check
// and the write. Revisions snapshot the record read back after the write, so they hold exactly what is stored.
import type { ClaimsRepository, StoredClaim } from '../claims/claims.repository.js';
import { claimToRecord, pinReferences } from '../claims/claims.rows.js';
import type { Claim, ClaimWrite } from '../claims/claims.schemas.js';
import type { Db } from '../db/open.js';
import type { Immediate } from '../db/write-gate.js';
import { newId } from '../domain/new-id.js';
import { capitalized, withArticle } from '../domain/labels.js';
import type { ResourceType } from '../domain/vocabulary.js';
import type { EntitiesRepository } from '../entities/entities.repository.js';
import type { EntityView, EntityWrite } from '../entities/entities.schemas.js';
import { AppError, type IssueDetail, type ProblemCode } from '../http/problems.js';
import type { RevisionAction, RevisionsRepository } from '../revisions/revisions.repository.js';
import type { SourcesRepository } from '../sources/sources.repository.js';
import type { SourceView, SourceWrite } from '../sources/sources.schemas.js';

export interface WriteMeta {
  /** Who made the change: an API key's name, or "seed". */
  author: string;
  /** The edit summary stored with the revision. */
  reason: string;
}

/**
 * Runs inside a change's transaction with the record as it is now, before anything is written; throws to
 * refuse the change. The API uses it to compare If-Match with the current ETag.
 */
export type Precondition<T> = (current: T) => void;

export interface WriteDeps {
  db: Db;
  /** Begins each write's IMMEDIATE transaction (db/write-gate.ts). */
  immediate: Immediate;
  claims: ClaimsRepository;
  sources: SourcesRepository;
  entities: EntitiesRepository;
  revisions: RevisionsRepository;
  now?: () => Date;
}

type Versioned = { id: string; revision: number; createdAt: string; updatedAt: string };
type Stamp = { revision: number; createdAt: string; updatedAt: string };

/** Sources and entities are stored as they are served, less their links. */
const withoutLinks = <T extends { links: unknown }>({ links: _, ...record }: T) => record;

/**
 * Thrown inside a replacement's savepoint when it changed nothing. A PUT of the record as it is (a sync job sending
 * every record each night, a retried PUT) gave it a new revision, ETag, `updatedAt` and change-feed entry every time,
 * so readers' caches emptied, "sorted by last update" put unchanged claims first and the history filled with
 * revisions identical to the one before. Compared is what the write stored, read back, as a GET would serve it.
 */
const UNCHANGED = Symbol('unchanged');

/** Whether two snapshots of one record hold the same content, whatever their revision and times. */
function sameContent(a: unknown, b: unknown): boolean {
  const content = (s: unknown) => {
    const { revision: _r, createdAt: _c, updatedAt: _u, ...rest } = s as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  return content(a) === content(b);
}

const NOT_FOUND: Record<ResourceType, ProblemCode> = { claim: 'claim-not-found', source: 'source-not-found', entity: 'entity-not-found' };

export function createWriteService(deps: WriteDeps) {
  const now = deps.now ?? (() => new Date());
  const transaction = deps.immediate;

  function log<R extends Versioned>(type: ResourceType, action: RevisionAction, record: R, snapshot: unknown, meta: WriteMeta): R {
    deps.revisions.append({
      resourceType: type,
      resourceId: record.id,
      revision: record.revision,
      action,
      createdAt: record.updatedAt,
      author: meta.author,
      reason: meta.reason,
      snapshot,
    });
    return record;
  }

  /** Inserts a new record and its first revision; ids are never reused. */
  function create<R extends Versioned>(
    type: ResourceType,
    id: string,
    ops: { exists: (id: string) => boolean; insert: (stamp: Stamp) => void; get: (id: string) => R | null; snapshot: (r: R) => unknown },
    meta: WriteMeta,
    check?: () => IssueDetail[],
  ): R {
    return transaction(() => {
      if (ops.exists(id)) throw new AppError('already-exists', `${capitalized(withArticle(type))} with id "${id}" already exists; ids are never reused`);
      const problems = check?.() ?? [];
      if (problems.length > 0) throw new AppError('invalid-reference', problems[0]!.detail, problems);
      const at = now().toISOString();
      ops.insert({ revision: 1, createdAt: at, updatedAt: at });
      const record = ops.get(id)!;
      return log(type, 'create', record, ops.snapshot(record), meta);
    });
  }

  /**
   * Moves an existing record to its next revision. The repository's UPDATE is guarded by `WHERE revision = ?`,
   * so even a writer that bypassed the precondition could not overwrite a revision it did not read.
   */
  function change<R extends Versioned>(
    type: ResourceType,
    id: string,
    ops: {
      get: (id: string) => R | null;
      write: (current: R, stamp: Stamp) => boolean;
      snapshot: (r: R) => unknown;
      check?: (current: R) => void;
      /** Whether a new revision of the record would pin its references to other revisions than its current one. */
      repins?: (current: R) => boolean;
    },
    action: RevisionAction,
    meta: WriteMeta,
    precondition: Precondition<R>,
  ): R {
    return transaction(() => {
      const current = ops.get(id);
      if (current === null) throw new AppError(NOT_FOUND[type], `No ${type} has id "${id}"`);
      precondition(current);
      ops.check?.(current);
      const stamp = { revision: current.revision + 1, createdAt: current.createdAt, updatedAt: now().toISOString() };
      try {
        // A savepoint: a replacement that stores exactly what was there is undone and recorded nowhere.
        return deps.db.transaction(() => {
          if (!ops.write(current, stamp)) throw new AppError('precondition-failed', `The ${type} changed while this write was made; nothing was written`);
          const record = ops.get(id)!;
          const snapshot = ops.snapshot(record);
          if (action === 'update' && sameContent(snapshot, ops.snapshot(current)) && ops.repins?.(current) !== true) throw UNCHANGED;
          return log(type, action, record, snapshot, meta);
        })();
      } catch (error) {
        if (error === UNCHANGED) return current;
        throw error;
      }
    });
  }

  function claimReferenceProblems(id: string, claim: ClaimWrite): IssueDetail[] {
    const problems: IssueDetail[] = [];
    const missing = (pointer: string, what: string, ref: string) => problems.push({ in: 'body', pointer, detail: `No ${what} has id "${ref}"` });
    claim.subjects.forEach((s, i) => deps.entities.exists(s.id) || missing(`/subjects/${i}/id`, 'entity', s.id));
    if (claim.claimant && !deps.entities.exists(claim.claimant.id)) missing('/claimant/id', 'entity', claim.claimant.id);
    claim.citations.forEach((c, i) => deps.sources.exists(c.source.id) || missing(`/citations/${i}/source/id`, 'source', c.source.id));
    claim.relations.forEach((r, i) => {
      const pointer = `/relations/${i}/claim/id`;
      if (r.claim.id === id) problems.push({ in: 'body', pointer, detail: 'A claim cannot relate to itself' });
      else if (!deps.claims.exists(r.claim.id)) missing(pointer, 'claim', r.claim.id);
    });
    return problems;
  }

  const refuseRetracted = (claim: Claim) => {
    if (claim.retraction !== null) throw new AppError('claim-retracted', `The claim "${claim.id}" was retracted on ${claim.retraction.retractedAt} and is kept as it was`);
  };

  /**
   * A claim revision pins each entity, source and related claim to the revision it had then (pinReferences). When
   * one of them has been revised since the claim's current revision, replacing the claim with the same content
   * still records a revision: an editor confirming a claim after a source was corrected leaves a permalink to the
   * claim read against the corrected source.
   */
  const referencesRevised = (current: Claim): boolean => {
    const record = claimToRecord(current);
    const at = deps.revisions.snapshot('claim', current.id, current.revision)?.seq;
    if (at === undefined) return true;
    const pinned = (before: number) => JSON.stringify(pinReferences(record, (type, ref) => deps.revisions.revisionBefore(type, ref, before)));
    return pinned(at) !== pinned(Number.MAX_SAFE_INTEGER);
  };

  const claimOps = { exists: deps.claims.exists, get: deps.claims.get, snapshot: claimToRecord };
  const sourceOps = { exists: deps.sources.exists, get: deps.sources.get, snapshot: withoutLinks<SourceView> };
  const entityOps = { exists: deps.entities.exists, get: deps.entities.get, snapshot: withoutLinks<EntityView> };

  return {
    /**
     * Runs several writes as one transaction (each write's own becomes a savepoint within it): all of them commit,
     * or none does. Bulk import uses it.
     */
    batch<T>(fn: () => T): T {
      return transaction(fn);
    },

    createEntity(input: EntityWrite, meta: WriteMeta): EntityView {
      const id = input.id ?? newId(input.name);
      return create('entity', id, { ...entityOps, insert: (stamp) => deps.entities.insert({ ...input, id, ...stamp }) }, meta);
    },

    createSource(input: SourceWrite, meta: WriteMeta): SourceView {
      const id = input.id ?? newId(input.title);
      return create('source', id, { ...sourceOps, insert: (stamp) => deps.sources.insert({ ...input, id, ...stamp }) }, meta);
    },

    createClaim(input: ClaimWrite, meta: WriteMeta): Claim {
      const id = input.id ?? newId(input.statement);
      const insert = (stamp: Stamp) => deps.claims.insert({ ...input, id, ...stamp } satisfies StoredClaim);
      return create('claim', id, { ...claimOps, insert }, meta, () => claimReferenceProblems(id, input));
    },

    replaceEntity(id: string, input: Omit<EntityWrite, 'id'>, meta: WriteMeta, precondition: Precondition<EntityView>): EntityView {
      const write = (current: EntityView, stamp: Stamp) => deps.entities.update({ ...input, id, ...stamp }, current.revision);
      return change('entity', id, { ...entityOps, write }, 'update', meta, precondition);
    },

    replaceSource(id: string, input: Omit<SourceWrite, 'id'>, meta: WriteMeta, precondition: Precondition<SourceView>): SourceView {
      const write = (current: SourceView, stamp: Stamp) => deps.sources.update({ ...input, id, ...stamp }, current.revision);
      return change('source', id, { ...sourceOps, write }, 'update', meta, precondition);
    },

    /** Replaces the whole claim: its value, citations, caveats, qualifiers, subjects and relations. */
    replaceClaim(id: string, input: Omit<ClaimWrite, 'id'>, meta: WriteMeta, precondition: Precondition<Claim>): Claim {
      const check = (current: Claim) => {
        refuseRetracted(current);
        const problems = claimReferenceProblems(id, { ...input, id });
        if (problems.length > 0) throw new AppError('invalid-reference', problems[0]!.detail, problems);
      };
      const write = (current: Claim, stamp: Stamp) => deps.claims.update({ ...input, id, ...stamp }, current.revision);
      return change('claim', id, { ...claimOps, write, check, repins: referencesRevised }, 'update', meta, precondition);
    },

    /** Retracts a claim: it stays readable at its URL, marked with the reason, the time and its successor. */
    retractClaim(id: string, input: { supersededBy?: string | undefined }, meta: WriteMeta, precondition: Precondition<Claim>): Claim {
      const supersededBy = input.supersededBy ?? null;
      const check = (current: Claim) => {
        refuseRetracted(current);
        const pointer = '/supersededBy';
        if (supersededBy === id) throw new AppError('invalid-reference', 'A claim cannot supersede itself', [{ in: 'body', pointer, detail: 'A claim cannot supersede itself' }]);
        if (supersededBy === null) return;
        const successor = deps.claims.get(supersededBy);
        const refuse = (detail: string) => {
          throw new AppError('invalid-reference', detail, [{ in: 'body', pointer, detail }]);
        };
        if (successor === null) refuse(`No claim has id "${supersededBy}"`);
        // Readers follow "superseded by" to the claim that stands now: a retracted successor would send them on, or
        // round in a circle (A by B, then B by A).
        const next = successor!.retraction;
        if (next)
          refuse(`The claim "${supersededBy}" is itself retracted${next.supersededBy ? ` (superseded by "${next.supersededBy}")` : ''}: a claim can only be superseded by one that stands`);
      };
      const write = (current: Claim, stamp: Stamp) =>
        deps.claims.retract(id, { reason: meta.reason, at: stamp.updatedAt, supersededBy }, current.revision);
      return change('claim', id, { ...claimOps, write, check }, 'retract', meta, precondition);
    },
  };
}

export type WriteService = ReturnType<typeof createWriteService>;

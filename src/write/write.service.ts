// Creating records: the one write path used by the seed loader and the API. Each write is one transaction that
// checks references, inserts the record with all its parts and appends revision 1 to the log, so a failed
// write changes nothing.
import type { ClaimsRepository, StoredClaim } from '../claims/claims.repository.js';
import type { Claim, ClaimWrite } from '../claims/claims.schemas.js';
import type { Db } from '../db/open.js';
import { newId } from '../domain/new-id.js';
import type { EntitiesRepository } from '../entities/entities.repository.js';
import type { Entity, EntityWrite } from '../entities/entities.schemas.js';
import { AppError, type IssueDetail } from '../http/problems.js';
import type { ResourceType, RevisionsRepository } from '../revisions/revisions.repository.js';
import type { SourcesRepository } from '../sources/sources.repository.js';
import type { Source, SourceWrite } from '../sources/sources.schemas.js';

export interface WriteMeta {
  /** Who made the change: an API key's name, or "seed". */
  author: string;
  /** The edit summary stored with the revision. */
  reason: string;
}

export interface WriteDeps {
  db: Db;
  claims: ClaimsRepository;
  sources: SourcesRepository;
  entities: EntitiesRepository;
  revisions: RevisionsRepository;
  now?: () => Date;
}

export function createWriteService(deps: WriteDeps) {
  const now = deps.now ?? (() => new Date());

  /** Inserts a new record and its first revision in one transaction; ids are never reused. */
  function create<T extends { id: string; createdAt: string }>(
    type: ResourceType,
    exists: (id: string) => boolean,
    record: T,
    insert: (record: T) => void,
    meta: WriteMeta,
    check?: () => IssueDetail[],
  ): void {
    deps.db.transaction(() => {
      if (exists(record.id)) throw new AppError('already-exists', `A ${type} with id "${record.id}" already exists`);
      const problems = check?.() ?? [];
      if (problems.length > 0) throw new AppError('invalid-reference', problems[0]!.detail, problems);
      insert(record);
      deps.revisions.append({
        resourceType: type,
        resourceId: record.id,
        revision: 1,
        action: 'create',
        createdAt: record.createdAt,
        author: meta.author,
        reason: meta.reason,
        snapshot: record,
      });
    })();
  }

  const stamp = () => {
    const at = now().toISOString();
    return { revision: 1, createdAt: at, updatedAt: at };
  };

  function claimReferenceProblems(claim: ClaimWrite): IssueDetail[] {
    const problems: IssueDetail[] = [];
    const missing = (pointer: string, what: string, id: string) =>
      problems.push({ in: 'body', pointer, detail: `No ${what} has id "${id}"` });
    claim.subjects.forEach((s, i) => deps.entities.exists(s.id) || missing(`/subjects/${i}/id`, 'entity', s.id));
    if (claim.claimant && !deps.entities.exists(claim.claimant.id)) missing('/claimant/id', 'entity', claim.claimant.id);
    claim.citations.forEach((c, i) => deps.sources.exists(c.source.id) || missing(`/citations/${i}/source/id`, 'source', c.source.id));
    claim.relations.forEach((r, i) => deps.claims.exists(r.claim.id) || missing(`/relations/${i}/claim/id`, 'claim', r.claim.id));
    return problems;
  }

  return {
    createEntity(input: EntityWrite, meta: WriteMeta): Entity {
      const entity: Entity = { ...input, id: input.id ?? newId(input.name), ...stamp() };
      create('entity', deps.entities.exists, entity, deps.entities.insert, meta);
      return deps.entities.get(entity.id)!;
    },

    createSource(input: SourceWrite, meta: WriteMeta): Source {
      const source: Source = { ...input, id: input.id ?? newId(input.title), ...stamp() };
      create('source', deps.sources.exists, source, deps.sources.insert, meta);
      return deps.sources.get(source.id)!;
    },

    createClaim(input: ClaimWrite, meta: WriteMeta): Claim {
      const claim: StoredClaim = { ...input, id: input.id ?? newId(input.statement), ...stamp() };
      create('claim', deps.claims.exists, claim, deps.claims.insert, meta, () => claimReferenceProblems(claim));
      return deps.claims.get(claim.id)!;
    },
  };
}

export type WriteService = ReturnType<typeof createWriteService>;

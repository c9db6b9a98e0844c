// The append-only revision log: one row per change of any record, in commit order.
import type { Db } from '../db/open.js';

export type ResourceType = 'claim' | 'source' | 'entity';

export interface RevisionEntry {
  resourceType: ResourceType;
  resourceId: string;
  revision: number;
  action: 'create' | 'update' | 'retract';
  createdAt: string;
  author: string;
  reason: string;
  snapshot: unknown;
}

export function createRevisionsRepository(db: Db) {
  const append = db.prepare(
    `INSERT INTO revisions (resource_type, resource_id, revision, action, created_at, author, reason, snapshot)
     VALUES (@resourceType, @resourceId, @revision, @action, @createdAt, @author, @reason, @snapshot)`,
  );
  return {
    /** Runs inside the caller's transaction, so a record and its revision commit together. */
    append(entry: RevisionEntry): void {
      append.run({ ...entry, snapshot: JSON.stringify(entry.snapshot) });
    },
  };
}

export type RevisionsRepository = ReturnType<typeof createRevisionsRepository>;

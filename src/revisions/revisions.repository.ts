// The append-only revision log: one row per change of any record, in commit order (seq). The database refuses
// to update or delete a row (migration 0002), so a revision, once written, is what its permalink serves forever.
import type { Db } from '../db/open.js';
import type { ResourceType } from '../domain/vocabulary.js';

export type { ResourceType };
export type RevisionAction = 'create' | 'update' | 'retract';

export interface RevisionEntry {
  resourceType: ResourceType;
  resourceId: string;
  revision: number;
  action: RevisionAction;
  createdAt: string;
  author: string;
  reason: string;
  snapshot: unknown;
}

/** A revision without its snapshot, as histories and the change feed list it. */
export interface RevisionInfo {
  seq: number;
  resourceType: ResourceType;
  resourceId: string;
  revision: number;
  action: RevisionAction;
  time: string;
  author: string;
  reason: string;
}

interface InfoRow {
  seq: number;
  resource_type: ResourceType;
  resource_id: string;
  revision: number;
  action: RevisionAction;
  created_at: string;
  author: string;
  reason: string;
}

const INFO = 'seq, resource_type, resource_id, revision, action, created_at, author, reason';
const rowToInfo = (r: InfoRow): RevisionInfo => ({
  seq: r.seq,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  revision: r.revision,
  action: r.action,
  time: r.created_at,
  author: r.author,
  reason: r.reason,
});

/** One page plus whether another follows, from a query that asked for limit + 1 rows. */
function paged<T>(rows: T[], limit: number) {
  const more = rows.length > limit;
  return { items: more ? rows.slice(0, limit) : rows, more };
}

export function createRevisionsRepository(db: Db) {
  const append = db.prepare(
    `INSERT INTO revisions (resource_type, resource_id, revision, action, created_at, author, reason, snapshot)
     VALUES (@resourceType, @resourceId, @revision, @action, @createdAt, @author, @reason, @snapshot)`,
  );
  // Both use the UNIQUE (resource_type, resource_id, revision) index.
  const history = db.prepare<{ type: string; id: string; after: number; limit: number }, InfoRow>(
    `SELECT ${INFO} FROM revisions WHERE resource_type = @type AND resource_id = @id AND revision > @after
     ORDER BY revision LIMIT @limit`,
  );
  const snapshot = db.prepare<[string, string, number], { seq: number; snapshot: string }>(
    'SELECT seq, snapshot FROM revisions WHERE resource_type = ? AND resource_id = ? AND revision = ?',
  );
  // Walks one record's few revisions on the UNIQUE (resource_type, resource_id, revision) index.
  const revisionBefore = db
    .prepare<[string, string, number], number | null>('SELECT max(revision) FROM revisions WHERE resource_type = ? AND resource_id = ? AND seq < ?')
    .pluck();
  const otherAuthor = db
    .prepare<[string, string, string], number>('SELECT 1 FROM revisions WHERE resource_type = ? AND resource_id = ? AND author <> ? LIMIT 1')
    .pluck();
  const firstAuthor = db.prepare<[string, string], string>('SELECT author FROM revisions WHERE resource_type = ? AND resource_id = ? AND revision = 1').pluck();
  // seq is the rowid: the feed walks the table in commit order.
  const feed = db.prepare<{ after: number; limit: number }, InfoRow>(
    `SELECT ${INFO} FROM revisions WHERE seq > @after ORDER BY seq LIMIT @limit`,
  );
  const lastSeq = db.prepare<[], number>('SELECT ifnull(max(seq), 0) FROM revisions').pluck();

  return {
    /** Runs inside the caller's transaction, so a record and its revision commit together. */
    append(entry: RevisionEntry): void {
      append.run({ ...entry, snapshot: JSON.stringify(entry.snapshot) });
    },

    /** A record's revisions after revision number `after`, oldest first. */
    history(type: ResourceType, id: string, after: number, limit: number) {
      const page = paged(history.all({ type, id, after, limit: limit + 1 }), limit);
      return { items: page.items.map(rowToInfo), more: page.more };
    },

    /**
     * The stored JSON of one revision, byte for byte as it was written, and its commit sequence; null when there is
     * no such revision.
     */
    snapshot: (type: ResourceType, id: string, revision: number): { seq: number; json: string } | null => {
      const row = snapshot.get(type, id, revision);
      return row ? { seq: row.seq, json: row.snapshot } : null;
    },

    /**
     * The revision a record had just before commit sequence `seq` (null if it had none yet). Revisions are never
     * changed or removed and sequences only grow, so the answer for a past sequence never changes.
     */
    revisionBefore: (type: ResourceType, id: string, seq: number): number | null => revisionBefore.get(type, id, seq) ?? null,

    /** Who created the record (its first revision's author); null when there is no such record. Both on the unique index. */
    createdBy: (type: ResourceType, id: string): string | null => firstAuthor.get(type, id) ?? null,
    /** True when anyone but `author` made a revision of the record. */
    changedByOthers: (type: ResourceType, id: string, author: string): boolean => otherAuthor.get(type, id, author) !== undefined,

    /** The commit sequence of the latest revision (0 when there is none): where a feed that is up to date stands. */
    lastSeq: (): number => lastSeq.get()!,

    /** Every revision of every record after commit sequence `after`, in commit order. */
    changes(after: number, limit: number) {
      const page = paged(feed.all({ after, limit: limit + 1 }), limit);
      return { items: page.items.map(rowToInfo), more: page.more };
    },
  };
}

export type RevisionsRepository = ReturnType<typeof createRevisionsRepository>;

// Sources storage: every SQL statement about sources, prepared once when the repository is built.
import type { Db } from '../db/open.js';
import { toPartialDate } from '../domain/partial-date.js';
import type { Source } from './sources.schemas.js';

interface SourceRow {
  id: string;
  type: Source['type'];
  title: string;
  publisher: string | null;
  authors: string;
  published_on: string | null;
  url: string | null;
  archive_url: string | null;
  doi: string | null;
  arxiv_id: string | null;
  git_commit: string | null;
  federal_register: string | null;
  evidence: Source['evidence'];
  note: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

function rowToSource(r: SourceRow): Source {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    publisher: r.publisher,
    authors: JSON.parse(r.authors) as string[],
    publishedOn: toPartialDate(r.published_on),
    url: r.url,
    archiveUrl: r.archive_url,
    identifiers: { doi: r.doi, arxivId: r.arxiv_id, gitCommit: r.git_commit, federalRegister: r.federal_register },
    evidence: r.evidence,
    note: r.note,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createSourcesRepository(db: Db) {
  const byId = db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE id = ?');
  const exists = db.prepare<[string], number>('SELECT 1 FROM sources WHERE id = ?').pluck();
  const page = db.prepare<{ after: string | null; type: string | null; limit: number }, SourceRow>(
    `SELECT * FROM sources WHERE (@type IS NULL OR type = @type) AND (@after IS NULL OR id > @after)
     ORDER BY id LIMIT @limit`,
  );
  const insertSource = db.prepare(
    `INSERT INTO sources (id, type, title, publisher, authors, published_on, url, archive_url, doi, arxiv_id, git_commit,
       federal_register, evidence, note, revision, created_at, updated_at)
     VALUES (@id, @type, @title, @publisher, @authors, @publishedOn, @url, @archiveUrl, @doi, @arxivId, @gitCommit,
       @federalRegister, @evidence, @note, @revision, @createdAt, @updatedAt)`,
  );

  return {
    exists: (id: string): boolean => exists.get(id) !== undefined,
    get: (id: string): Source | null => {
      const row = byId.get(id);
      return row ? rowToSource(row) : null;
    },
    list(filters: { type?: string | undefined }, after: string | null, limit: number) {
      const rows = page.all({ after, type: filters.type ?? null, limit: limit + 1 });
      const more = rows.length > limit;
      const items = (more ? rows.slice(0, limit) : rows).map(rowToSource);
      return { items, lastId: more ? (items[items.length - 1]?.id ?? null) : null };
    },
    /** Runs inside the caller's transaction. */
    insert(source: Source): void {
      insertSource.run({
        ...source,
        ...source.identifiers,
        authors: JSON.stringify(source.authors),
        publishedOn: source.publishedOn?.date ?? null,
      });
    },
  };
}

export type SourcesRepository = ReturnType<typeof createSourcesRepository>;

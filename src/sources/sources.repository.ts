// Sources storage: every SQL statement about sources, prepared once when the repository is built.
import type { Db } from '../db/open.js';
import { toPartialDate } from '../domain/partial-date.js';
import { recordLinks } from '../http/links.js';
import type { Source, SourceView } from './sources.schemas.js';

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

function rowToSource(r: SourceRow): SourceView {
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
    links: recordLinks('source', r.id, r.revision),
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

  const updateSource = db.prepare(
    `UPDATE sources SET type = @type, title = @title, publisher = @publisher, authors = @authors, published_on = @publishedOn,
       url = @url, archive_url = @archiveUrl, doi = @doi, arxiv_id = @arxivId, git_commit = @gitCommit,
       federal_register = @federalRegister, evidence = @evidence, note = @note, revision = @revision, updated_at = @updatedAt
     WHERE id = @id AND revision = @expectedRevision`,
  );
  // Named parameters the statement does not use (identifiers, links) are ignored by better-sqlite3.
  const toParams = (source: Source) => ({
    ...source,
    ...source.identifiers,
    authors: JSON.stringify(source.authors),
    publishedOn: source.publishedOn?.date ?? null,
  });

  return {
    exists: (id: string): boolean => exists.get(id) !== undefined,
    get: (id: string): SourceView | null => {
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
      insertSource.run(toParams(source));
    },
    /**
     * Replaces the source if it is still at `expectedRevision`; false when another write got there first.
     * Runs inside the caller's transaction.
     */
    update(source: Source, expectedRevision: number): boolean {
      return updateSource.run({ ...toParams(source), expectedRevision }).changes === 1;
    },
  };
}

export type SourcesRepository = ReturnType<typeof createSourcesRepository>;

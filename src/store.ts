// The storage layer, built once per database: every repository plus the write service over them. A second
// engine (PostgreSQL) would provide the same shape from its own repositories.
import { statSync } from 'node:fs';
import { createApiKeysRepository } from './auth/api-keys.repository.js';
import { createClaimsRepository } from './claims/claims.repository.js';
import type { Db } from './db/open.js';
import { createSeedCheckRepository } from './db/seed-check.repository.js';
import { createWriteGate } from './db/write-gate.js';
import { createEntitiesRepository } from './entities/entities.repository.js';
import type { DocColumnsOptions } from './search/doc-columns.js';
import { createSearchIndex } from './search/search-index.js';
import { createRevisionsRepository } from './revisions/revisions.repository.js';
import { createSourcesRepository } from './sources/sources.repository.js';
import { createIdempotencyRepository } from './write/idempotency.repository.js';
import { createWriteService } from './write/write.service.js';

export function createStore(db: Db, options: { now?: () => Date; searchColumns?: DocColumnsOptions } = {}) {
  // One full-text index maintainer for both: entity changes re-index the claims that name them.
  const search = createSearchIndex(db);
  const claims = createClaimsRepository(db, search, options.searchColumns);
  const sources = createSourcesRepository(db);
  const entities = createEntitiesRepository(db, search);
  const revisions = createRevisionsRepository(db);
  // One gate for every request's write on this connection: it remembers that another process holds the lock.
  const immediate = createWriteGate(db);
  const write = createWriteService({ db, immediate, claims, sources, entities, revisions, ...(options.now ? { now: options.now } : {}) });
  const keys = createApiKeysRepository(db);
  const idempotency = createIdempotencyRepository(db, immediate, options.now);
  const seedCheck = createSeedCheckRepository(db, options.now);
  const ping = db.prepare('SELECT 1');
  const pageBytes = db.prepare('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()').pluck();
  const fileSize = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0; // no WAL file between a checkpoint-on-close and the next write
    }
  };
  return {
    claims,
    sources,
    entities,
    revisions,
    write,
    keys,
    idempotency,
    seedCheck,
    /** True when the database answers a query. */
    ready(): boolean {
      try {
        ping.get();
        return true;
      } catch {
        return false;
      }
    },
    /** Bytes of the database file and of its write-ahead log (an in-memory database: its pages, no WAL). */
    sizes(): { database: number; wal: number } {
      if (db.memory) return { database: pageBytes.get() as number, wal: 0 };
      return { database: fileSize(db.name), wal: fileSize(`${db.name}-wal`) };
    },
    isEmpty: () => db.prepare('SELECT NOT EXISTS (SELECT 1 FROM claims) AS empty').pluck().get() === 1,
  };
}

export type Store = ReturnType<typeof createStore>;

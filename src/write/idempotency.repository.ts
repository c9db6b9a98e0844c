// Idempotent POSTs: the first response to a request carrying an Idempotency-Key is stored, per key holder, in
// the same transaction as the record it created. A retry within 24 hours gets that response again and creates
// nothing; the same key on a different request is refused. Entries older than 24 hours are purged as new ones
// are written.
import type { Db } from '../db/open.js';
import type { Immediate } from '../db/write-gate.js';
import { AppError } from '../http/problems.js';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  location: string;
  etag: string;
  body: string;
}

interface Row extends StoredResponse {
  request_hash: string;
  created_at: string;
}

export function createIdempotencyRepository(db: Db, immediate: Immediate, now: () => Date = () => new Date()) {
  const find = db.prepare<[number, string], Row>(
    'SELECT request_hash, status, location, etag, body, created_at FROM idempotency_keys WHERE api_key_id = ? AND idempotency_key = ?',
  );
  const save = db.prepare(
    `INSERT OR REPLACE INTO idempotency_keys (api_key_id, idempotency_key, request_hash, status, location, etag, body, created_at)
     VALUES (@holder, @key, @requestHash, @status, @location, @etag, @body, @createdAt)`,
  );
  const purge = db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');

  return {
    /**
     * Answers a request from its stored first response, or runs `produce` (the write) and stores its response,
     * all in one IMMEDIATE transaction: two retries racing cannot both create.
     */
    run(
      request: { holder: number; key: string; requestHash: string },
      produce: () => StoredResponse,
    ): StoredResponse & { replayed: boolean } {
      return immediate(() => {
        const at = now();
        const cutoff = new Date(at.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString();
        const previous = find.get(request.holder, request.key);
        if (previous !== undefined && previous.created_at >= cutoff) {
          if (previous.request_hash !== request.requestHash)
            throw new AppError(
              'idempotency-key-reused',
              `Idempotency-Key "${request.key}" was used at ${previous.created_at} for a different request; nothing was written`,
            );
          const { status, location, etag, body } = previous;
          return { status, location, etag, body, replayed: true };
        }
        const response = produce();
        purge.run(cutoff);
        save.run({ ...request, ...response, createdAt: at.toISOString() });
        return { ...response, replayed: false };
      });
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

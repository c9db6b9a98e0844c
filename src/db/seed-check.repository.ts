// The seed_check row (migrations/0012_seed_check.sql): which seed and build last found the database in line with
// the seed, so that a start with both unchanged need not compare them again (src/db/seed.ts).
import type { Db } from './open.js';

export function createSeedCheckRepository(db: Db, now: () => Date = () => new Date()) {
  const read = db.prepare<[], string>('SELECT fingerprint FROM seed_check WHERE id = 1').pluck();
  const save = db.prepare<[string, string]>(
    'INSERT INTO seed_check (id, fingerprint, checked_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, checked_at = excluded.checked_at',
  );
  return {
    /** The fingerprint last recorded, if any. */
    last: (): string | null => read.get() ?? null,
    /**
     * Records a fingerprint, unless another connection holds the write lock (an import): then nothing is recorded
     * and the next start compares again. Never waits for the lock: this only saves a later start some work.
     */
    record(fingerprint: string): boolean {
      const timeout = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma('busy_timeout = 0');
      try {
        save.run(fingerprint, now().toISOString());
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
        throw err;
      } finally {
        db.pragma(`busy_timeout = ${timeout}`);
      }
    },
  };
}

// How a request's write begins its transaction when another process may hold the write lock for long.
//
// BEGIN IMMEDIATE waits for another connection's write lock up to busy_timeout (500 ms in the service), and the wait
// is synchronous: it holds the event loop, and every request with it. An import (the CLI's, or the HTTP import's
// worker thread) holds the lock for seconds. A probe (2026-12-03) had three editors saving during a 12 s import: each
// write held the loop for the whole timeout, the loop's delay passed the shedding threshold, and the service answered
// 130 of 498 reads 503 as well, where the README promises that reads go on.
//
// So once a write has waited out the timeout, the lock is known to be held for long: until a write gets it again,
// writes try for it without waiting, and the busy error (503 with Retry-After) comes at once. Each refusal keeps the
// gate shut for another `shutForMs`; the first write to find the lock free takes it and opens the gate. A write that
// arrives after a quiet spell waits again, so a brief lock held by another process (a key created by the CLI) is still
// waited out, as before.
import type { Db } from './open.js';

const BUSY = /^SQLITE_BUSY/;

export interface WriteGateOptions {
  /** How long after a write found the lock held writes do not wait for it. */
  shutForMs?: number;
  now?: () => number;
}

export type Immediate = <T>(fn: () => T) => T;

/** Runs `fn` in an IMMEDIATE transaction on `db`, waiting for the write lock only while the gate is open. */
export function createWriteGate(db: Db, { shutForMs = 1000, now = () => performance.now() }: WriteGateOptions = {}): Immediate {
  let shutUntil = -Infinity;
  return <T>(fn: () => T): T => {
    // Inside a transaction already, this is a savepoint: there is no lock to wait for.
    const waitless = !db.inTransaction && now() < shutUntil;
    const timeout = waitless ? (db.pragma('busy_timeout', { simple: true }) as number) : undefined;
    if (waitless) db.pragma('busy_timeout = 0');
    try {
      return db
        .transaction(() => {
          // The lock is ours: whatever fn does now, the other writer is done.
          shutUntil = -Infinity;
          return fn();
        })
        .immediate();
    } catch (err) {
      if (BUSY.test(String((err as { code?: unknown }).code))) shutUntil = now() + shutForMs;
      throw err;
    } finally {
      if (timeout !== undefined) db.pragma(`busy_timeout = ${timeout}`);
    }
  };
}

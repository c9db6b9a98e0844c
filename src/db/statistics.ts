// Planner statistics (sqlite_stat1). SQLite chooses between indexes by them: without any, it assumes every index is
// as selective as any other, and the query plans measured on the bench's analysed datasets are not the ones a database
// grown through the API would get. Nothing else ever analyses the service's database, so the service keeps them
// itself, as SQLite recommends for a long-lived connection: `PRAGMA optimize=0x10002` once after it opens (every
// table is checked; one whose statistics are missing or stale is analysed, under an automatic analysis limit), then
// `PRAGMA optimize` every few hours (only the tables this connection's queries used and that changed a lot since).
// Usually nothing needs doing and the check costs 1-40 ms. Analysing a million claims that never were took 3.2 s, once.
import type { Db } from './open.js';

/** The tables analysed, from SQLite's own account of what `optimize` would do (its debug bit, 0x00001). */
export function refreshStatistics(db: Db, { allTables }: { allTables: boolean }): string[] {
  const mask = allTables ? 0x10002 : 0x00002;
  const planned = (db.pragma(`optimize = ${mask | 0x00001}`) as { optimize: string }[]).map((r) => r.optimize);
  if (planned.length > 0) db.pragma(`optimize = ${mask}`);
  return planned.map((statement) => statement.replace(/^ANALYZE /, ''));
}

/** How often `PRAGMA optimize` runs on the service's connection after the first time. */
export const STATISTICS_EVERY_MS = 6 * 60 * 60 * 1000;

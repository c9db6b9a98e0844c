// How fast the machine is right now: the same fixed work, on the core the servers run on, timed. This machine's
// speed swung by a third and more between runs of the same code minutes apart (the same search 553 then 355 a
// second), which no figure in a report can tell from a change in the code. The bench runs this before each endpoint
// and reports it beside the figures; runs compare only where their probes agree.
//
// The work resembles a search's: an FTS5 index in memory, queried and ranked by bm25, rows made objects and
// serialised. Run as a script, it prints its time in ms (the median of five passes).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORDS = Array.from({ length: 2000 }, (_, i) => `w${(i * 7919) % 10007}x`);

/** The median time of five passes over the same searches, after the index is built. */
function work(): number {
  const db = new Database(':memory:');
  db.exec('CREATE VIRTUAL TABLE t USING fts5(body)');
  // A fixed pseudo-random sequence (an LCG), so every pass and every machine does the same work.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 20000; i++) insert.run(Array.from({ length: 12 }, () => WORDS[Math.floor(next() ** 2 * WORDS.length)]).join(' '));
  })();
  const search = db.prepare('SELECT rowid, body, bm25(t) AS score FROM t WHERE t MATCH ? ORDER BY rank LIMIT 20');
  const passes: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < 400; i++) bytes += JSON.stringify(search.all(`"${WORDS[i * 5]}"`)).length;
    passes.push(performance.now() - started);
    if (bytes === 0) throw new Error('probe: no results');
  }
  db.close();
  return passes.sort((a, b) => a - b)[2]!;
}

/** The probe's time in ms, run on core 0 when `pinned` (as the servers are), or null if it could not run. */
export function probeMachine(pinned: boolean): number | null {
  const self = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', self];
  const r = pinned ? spawnSync('taskset', ['-c', '0', process.execPath, ...args]) : spawnSync(process.execPath, args);
  const ms = Number(r.stdout?.toString().trim());
  return r.status === 0 && Number.isFinite(ms) ? ms : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(work().toFixed(1));
}

// The bench's datasets: generated once per scale into bench/.data and reused while the generator and the
// migrations are unchanged. `npx tsx bench/dataset.ts 1000000` prepares one ahead of a run.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../src/db/paths.js';
import { generate, type GenerateStats } from './generate.js';

export const DATA = join(PROJECT_ROOT, 'bench', '.data');
mkdirSync(DATA, { recursive: true });

/** Changes to the generator or the schema invalidate cached datasets. */
function datasetVersion(): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(PROJECT_ROOT, 'bench', 'generate.ts')));
  for (const f of readdirSync(join(PROJECT_ROOT, 'migrations')).sort()) h.update(readFileSync(join(PROJECT_ROOT, 'migrations', f)));
  return h.digest('hex').slice(0, 16);
}

export function dataset(claims: number): { path: string; stats: GenerateStats; cached: boolean } {
  const path = join(DATA, `claims-${claims}.db`);
  const metaPath = `${path}.json`;
  const version = datasetVersion();
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { version: string; stats: GenerateStats };
    if (meta.version === version) return { path, stats: meta.stats, cached: true };
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`, metaPath]) rmSync(f, { force: true });
  console.error('[bench]', `generating ${claims.toLocaleString('en')} claims`);
  const db = new Database(path);
  // Bulk-load settings: the data is disposable until the load completes, so no journal and no fsync per batch.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const stats = generate(db, {
    claims,
    onProgress: (done) => done % 200_000 === 0 && console.error('[bench]', `  ${done.toLocaleString('en')} claims`),
  });
  db.pragma('journal_mode = WAL');
  db.close();
  writeFileSync(metaPath, JSON.stringify({ version, stats }, null, 2));
  return { path, stats, cached: false };
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const claims of process.argv.slice(2).map(Number)) {
    const { path, cached } = dataset(claims);
    console.error('[bench]', cached ? `${path} is current` : `generated ${path}`);
  }
}

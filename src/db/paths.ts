// Where the migrations and the seed live: found from this file, so the same code works from src/ (tsx, tests)
// and from dist/src/ (the built server) without copying data files into dist.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('claims-api: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = projectRoot();
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'migrations');
export const SEED_DIR = join(PROJECT_ROOT, 'seed');

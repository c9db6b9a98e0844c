// Loads the reviewed seed files through the same validation and write service as the API's writes. Records
// that already exist are left alone, so loading twice changes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ClaimWrite } from '../claims/claims.schemas.js';
import { EntityWrite } from '../entities/entities.schemas.js';
import { SourceWrite } from '../sources/sources.schemas.js';
import type { Store } from '../store.js';
import { SEED_DIR } from './paths.js';

export interface SeedResult {
  created: number;
  unchanged: number;
}

const SEED_META = { author: 'seed', reason: 'Seed data: the claims of the seed article, as researched in shared/research/seed-facts.md' };

function readSeedFile<S extends z.ZodType>(dir: string, file: string, schema: S): z.output<S>[] {
  const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown[];
  return raw.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((x) => `/${x.path.join('/')}: ${x.message}`).join('; ');
      throw new Error(`seed/${file} record ${i}: ${issues}`);
    }
    return parsed.data;
  });
}

export function loadSeed(store: Store, dir = SEED_DIR): SeedResult {
  const { write } = store;
  // Parse everything first, so that a bad file is reported before anything is written.
  const entities = readSeedFile(dir, 'entities.json', EntityWrite);
  const sources = readSeedFile(dir, 'sources.json', SourceWrite);
  const claims = readSeedFile(dir, 'claims.json', ClaimWrite);
  const result: SeedResult = { created: 0, unchanged: 0 };
  const apply = <T extends { id?: string | undefined }>(records: T[], has: (id: string) => boolean, create: (r: T) => unknown) => {
    for (const r of records) {
      if (r.id !== undefined && has(r.id)) result.unchanged++;
      else {
        create(r);
        result.created++;
      }
    }
  };
  apply(entities, store.entities.exists, (e) => write.createEntity(e, SEED_META));
  apply(sources, store.sources.exists, (s) => write.createSource(s, SEED_META));
  apply(claims, store.claims.exists, (c) => write.createClaim(c, SEED_META));
  return result;
}

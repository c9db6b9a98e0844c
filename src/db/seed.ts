// Loads the reviewed seed files through the same validation and write service as the API's writes, and keeps a
// seeded database in step with them: the seed is corrected as its research is (seed-facts.md), and a database seeded
// before a correction went on serving the old figure. A seed record nobody else has changed is brought in line with
// the file by a new revision (its old revisions, and their permalinks, stay as they were); one an editor changed or
// retracted is theirs and is left alone. Loading twice changes nothing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { SEED_AUTHOR } from '../auth/api-keys.js';
import { ClaimWrite } from '../claims/claims.schemas.js';
import type { ResourceType } from '../domain/vocabulary.js';
import { EntityWrite } from '../entities/entities.schemas.js';
import { claimLine, entityLine, sourceLine } from '../exchange/export.js';
import { canonical } from '../exchange/import.js';
import { SourceWrite } from '../sources/sources.schemas.js';
import type { Store } from '../store.js';
import { BUILD_ID } from './build-id.js';
import { SEED_DIR } from './paths.js';

export interface SeedResult {
  created: number;
  /** Seed records brought in line with a corrected seed file. */
  corrected: number;
  unchanged: number;
  /** Seed records that differ from the file because an editor changed or retracted them: left as they are. */
  keptEdits: number;
}

const SEED_META = { author: SEED_AUTHOR, reason: 'Seed data: the claims of the seed article, as researched in shared/research/seed-facts.md' };
const CORRECTION_META = {
  author: SEED_AUTHOR,
  reason: 'Seed correction: brought in line with the reviewed seed (shared/research/seed-facts.md)',
};

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

export function loadSeed(store: Store, dir = SEED_DIR, entities = readSeedFile(dir, 'entities.json', EntityWrite)): SeedResult {
  const { write, revisions } = store;
  // Parse everything first, so that a bad file is reported before anything is written.
  const sources = readSeedFile(dir, 'sources.json', SourceWrite);
  const claims = readSeedFile(dir, 'claims.json', ClaimWrite);
  let result: SeedResult;
  let writing = false;
  const apply = <T extends { id?: string | undefined }, V>(
    type: ResourceType,
    records: T[],
    ops: { get: (id: string) => V | null; record: (view: V) => unknown; create: (r: T) => unknown; replace: (id: string, r: Omit<T, 'id'>) => unknown },
  ) => {
    for (const r of records) {
      const { id, ...input } = r;
      const current = id === undefined ? null : ops.get(id);
      if (current === null) {
        if (writing) ops.create(r);
        result.created++;
      } else if (canonical(ops.record(current)) === canonical(r)) result.unchanged++;
      else if (revisions.changedByOthers(type, id!, SEED_AUTHOR) || (current as { retraction?: unknown }).retraction) result.keptEdits++;
      else {
        if (writing) ops.replace(id!, input);
        result.corrected++;
      }
    }
  };
  const all = () => {
    result = { created: 0, corrected: 0, unchanged: 0, keptEdits: 0 };
    apply('entity', entities, {
      get: store.entities.get,
      record: (e) => entityLine(e).record,
      create: (e) => write.createEntity(e, SEED_META),
      replace: (id, e) => write.replaceEntity(id, e, CORRECTION_META, () => {}),
    });
    apply('source', sources, {
      get: store.sources.get,
      record: (s) => sourceLine(s).record,
      create: (s) => write.createSource(s, SEED_META),
      replace: (id, s) => write.replaceSource(id, s, CORRECTION_META, () => {}),
    });
    apply('claim', claims, {
      get: store.claims.get,
      record: (c) => claimLine(c).record,
      create: (c) => write.createClaim(c, SEED_META),
      replace: (id, c) => write.replaceClaim(id, c, CORRECTION_META, () => {}),
    });
  };
  // Looked over first without writing: usually the database already holds the seed as it is, and a start need not
  // take the write lock (which another process, an import, may hold) to find that out. Then written in one
  // transaction, looked over again inside it: the seed is loaded or corrected whole, never half.
  all();
  if (result!.created + result!.corrected > 0) {
    writing = true;
    write.batch(all);
  }
  return result!;
}

/**
 * A database the seed was loaded into follows the seed when the service starts: new seed records are added and
 * corrected ones updated (loadSeed). One it never was (a database started from an import) is left alone: null. Told
 * by whether the seed created any of the seed's entities, asked of the revisions' unique index record by record:
 * scanning revisions by author would read every snapshot of a large database.
 */
export function updateSeed(store: Store, dir = SEED_DIR): SeedResult | null {
  const entities = readSeedFile(dir, 'entities.json', EntityWrite);
  const seeded = entities.some((e) => e.id !== undefined && store.revisions.createdBy('entity', e.id) === SEED_AUTHOR);
  return seeded ? loadSeed(store, dir, entities) : null;
}

/** The files a seed is loaded from; their bytes and the build decide what a comparison with the seed finds. */
const SEED_FILES = ['entities.json', 'sources.json', 'claims.json'];

export function seedFingerprint(dir: string, build: string): string {
  const hash = createHash('sha256').update(build);
  for (const file of SEED_FILES) hash.update('\0').update(readFileSync(join(dir, file)));
  return hash.digest('hex');
}

/** What followSeed did: loaded or compared (SeedResult), skipped the comparison, or left an unseeded database alone. */
export type SeedStart = SeedResult | { unchangedSinceLastCheck: true } | null;

/**
 * The seed at a start: loaded into an empty database; compared with a seeded one and corrections applied
 * (updateSeed), unless the same seed files compared by the same build found it in line before. What the comparison
 * finds depends on nothing else: a seed record an editor changed or retracted is left alone either way, and no API
 * deletes one. Each comparison that leaves the database in line is recorded (seed_check), when the build is known:
 * run from source (`build` null), every start compares.
 */
export function followSeed(store: Store, { dir = SEED_DIR, build = BUILD_ID }: { dir?: string; build?: string | null } = {}): SeedStart {
  const fingerprint = build === null ? null : seedFingerprint(dir, build);
  let result: SeedResult | null;
  if (store.isEmpty()) result = loadSeed(store, dir);
  else if (fingerprint !== null && store.seedCheck.last() === fingerprint) return { unchangedSinceLastCheck: true };
  else result = updateSeed(store, dir);
  if (result !== null && fingerprint !== null) store.seedCheck.record(fingerprint);
  return result;
}

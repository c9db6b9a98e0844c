// The write path shared by the seed and the API: a failed write changes nothing, ids are never reused, and
// loading the seed twice changes nothing.
import { describe, expect, it } from 'vitest';
import { ClaimWrite } from '../src/claims/claims.schemas.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../src/db/migrate.js';
import { type Db, openDatabase } from '../src/db/open.js';
import { SEED_DIR } from '../src/db/paths.js';
import { createStore, type Store } from '../src/store.js';
import { EntityWrite } from '../src/entities/entities.schemas.js';
import { SourceWrite } from '../src/sources/sources.schemas.js';
import { followSeed, loadSeed, seedFingerprint, updateSeed } from '../src/db/seed.js';
import { claimLine } from '../src/exchange/export.js';
import { AppError } from '../src/http/problems.js';
import { createTestStore } from './helpers.js';

const TABLES = ['entities', 'entity_aliases', 'sources', 'claims', 'claim_subjects', 'claim_qualifiers', 'claim_citations', 'claim_caveats', 'claim_relations', 'revisions'];
const meta = { author: 'test', reason: 'test write' };

function snapshot(db: ReturnType<typeof createTestStore>['db']): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
}

const validClaim = (overrides: Record<string, unknown> = {}) =>
  ClaimWrite.parse({
    id: 'test-claim',
    statement: 'A test claim.',
    kind: 'quote',
    subjects: [{ id: 'deepseek' }],
    citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states' }],
    assessment: { verdict: 'unassessed' },
    ...overrides,
  });

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('write service', () => {
  it('creates a claim with revision 1 and a revision log entry', () => {
    const { store, db } = createTestStore();
    const claim = store.write.createClaim(validClaim(), meta);
    expect(claim).toMatchObject({ id: 'test-claim', revision: 1 });
    expect(claim.createdAt).toBe(claim.updatedAt);
    const rev = db.prepare("SELECT * FROM revisions WHERE resource_id = 'test-claim'").get() as Record<string, string>;
    expect(rev).toMatchObject({ resource_type: 'claim', revision: 1, action: 'create', author: 'test', reason: 'test write' });
    expect(JSON.parse(rev.snapshot as string)).toMatchObject({ id: 'test-claim', statement: 'A test claim.' });
  });

  it('rejects references to records that do not exist, with a pointer to each, and writes nothing', () => {
    const { store, db } = createTestStore();
    const before = snapshot(db);
    const err = thrown(() =>
      store.write.createClaim(
        validClaim({
          subjects: [{ id: 'deepseek' }, { id: 'no-such-entity' }],
          claimant: { id: 'nobody' },
          citations: [{ source: { id: 'no-such-source' }, role: 'primary', stance: 'states' }],
          relations: [{ type: 'supports', claim: { id: 'no-such-claim' } }],
        }),
        meta,
      ),
    );
    expect(err.code).toBe('invalid-reference');
    expect(err.errors?.map((e) => e.pointer)).toEqual(['/subjects/1/id', '/claimant/id', '/citations/0/source/id', '/relations/0/claim/id']);
    expect(snapshot(db)).toEqual(before);
  });

  it('never reuses an id', () => {
    const { store, db } = createTestStore();
    store.write.createClaim(validClaim(), meta);
    const before = snapshot(db);
    expect(thrown(() => store.write.createClaim(validClaim({ statement: 'Another meaning.' }), meta)).code).toBe('already-exists');
    expect(snapshot(db)).toEqual(before);
  });

  it('rolls back the whole claim when a part fails half-way through', () => {
    const { store, db } = createTestStore();
    const before = snapshot(db);
    // Bypass validation to make the database refuse the second caveat after the claim row is in.
    const bad = { ...validClaim(), caveats: [{ kind: 'scope', text: 'fine' }, { kind: 'gossip', text: 'refused by CHECK' }] } as ClaimWrite;
    expect(() => store.write.createClaim(bad, meta)).toThrow(/CHECK constraint failed/);
    expect(snapshot(db)).toEqual(before);
  });

  it('generates a readable, unique id when none is given', () => {
    const { store } = createTestStore();
    const { id: _omit, ...withoutId } = validClaim();
    const a = store.write.createClaim({ ...withoutId, statement: 'Zürich’s café: 5% growth!' }, meta);
    const b = store.write.createClaim({ ...withoutId, statement: 'Zürich’s café: 5% growth!' }, meta);
    expect(a.id).toMatch(/^zurich-s-cafe-5-growth-[0-9a-f]{8}$/);
    expect(b.id).not.toBe(a.id);
  });

  it('validates a claim as a whole: duplicate subjects, self relations, between without bounds, read-only fields', () => {
    const base = {
      id: 'x',
      statement: 's',
      kind: 'quote',
      subjects: [{ id: 'a' }, { id: 'a' }],
      value: { comparator: 'between', amount: '5', unit: 'USD' },
      citations: [{ source: { id: 's' }, role: 'primary', stance: 'states' }],
      relations: [{ type: 'supports', claim: { id: 'x' } }],
      assessment: { verdict: 'unassessed' },
    };
    const paths = (input: unknown) => ClaimWrite.safeParse(input).error!.issues.map((i) => i.path.join('/'));
    expect(paths(base)).toEqual(
      expect.arrayContaining(['subjects/1/id', 'relations/0/claim/id', 'value/lower', 'value/upper', 'value/amount']),
    );
    const massAssigned = ClaimWrite.safeParse({ ...base, revision: 3, createdAt: '2020-01-01' }).error!.issues;
    expect(massAssigned).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', keys: ['revision', 'createdAt'] }));
  });
});

/**
 * A seeded database in a file: `locked` runs while another connection (an import) holds its write lock, `after`
 * once it is released.
 */
function whileAnotherWrites(busyTimeoutMs: number, locked: (store: Store) => void, after: (store: Store, db: Db) => void = () => {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'claims-seed-lock-'));
  const path = join(dir, 'claims.db');
  try {
    const db = openDatabase(path, { busyTimeoutMs });
    migrate(db);
    const store = createStore(db);
    loadSeed(store);
    const importer = openDatabase(path);
    importer.exec('BEGIN IMMEDIATE');
    try {
      locked(store);
    } finally {
      importer.exec('ROLLBACK');
      importer.close();
    }
    after(store, db);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('seed loading', () => {
  it('loads every record once, and a second load changes nothing', () => {
    const { store, db } = createTestStore();
    const first = snapshot(db);
    const count = (t: string) => first[t]!.length;
    expect(count('claims')).toBeGreaterThan(20);
    expect(count('revisions')).toBe(count('claims') + count('sources') + count('entities'));
    const again = loadSeed(store);
    expect(again).toEqual({ created: 0, corrected: 0, unchanged: count('revisions'), keptEdits: 0 });
    expect(snapshot(db)).toEqual(first);
  });

  it("brings a database seeded from an older seed in line with the reviewed one, leaving editors' changes alone", () => {
    // An older seed: one figure worded differently, an entity's old name, one claim not yet there.
    const older = mkdtempSync(join(tmpdir(), 'claims-old-seed-'));
    cpSync(SEED_DIR, older, { recursive: true });
    const file = (name: string) => join(older, name);
    type Rec = { id: string; statement?: string; name?: string };
    const claims = JSON.parse(readFileSync(file('claims.json'), 'utf8')) as Rec[];
    const oldWording = 'DeepSeek trained V3 for about $6 million.';
    const edited = { 'deepseek-v3-training-cost': oldWording, 'deepseek-r1-mit-licence': 'Old R1 wording.', 'us-chip-industry-1-trillion-within-decade': 'Old wording.' };
    for (const c of claims) if (c.id in edited) c.statement = edited[c.id as keyof typeof edited];
    const added = claims.pop()!;
    writeFileSync(file('claims.json'), JSON.stringify(claims));
    const entities = JSON.parse(readFileSync(file('entities.json'), 'utf8')) as Rec[];
    entities.find((e) => e.id === 'broadcom')!.name = 'Broadcom (old name)';
    writeFileSync(file('entities.json'), JSON.stringify(entities));

    const { store } = createTestStore({ seed: false });
    try {
      loadSeed(store, older);
    } finally {
      rmSync(older, { recursive: true, force: true });
    }
    // Since then an editor reworded one claim and an admin retracted another: those are theirs.
    const r1 = store.claims.get('deepseek-r1-mit-licence')!;
    const { id: _id, ...reworded } = ClaimWrite.parse({ ...claimLine(r1).record, statement: 'Worded by the desk.' });
    store.write.replaceClaim(r1.id, reworded, { author: 'desk', reason: 'reword' }, () => {});
    store.write.retractClaim('us-chip-industry-1-trillion-within-decade', {}, { author: 'chief', reason: 'withdrawn' }, () => {});
    const cited = store.revisions.snapshot('claim', 'deepseek-v3-training-cost', 1)!;

    const result = updateSeed(store)!;
    expect(result).toMatchObject({ created: 1, corrected: 2, keptEdits: 2 });
    const corrected = store.claims.get('deepseek-v3-training-cost')!;
    expect(corrected.statement).not.toBe(oldWording);
    expect(corrected.revision).toBe(2);
    expect(store.revisions.history('claim', corrected.id, 1, 10).items).toEqual([
      expect.objectContaining({ revision: 2, action: 'update', author: 'seed', reason: expect.stringMatching(/^Seed correction/) }),
    ]);
    // The permalink a fact-checker cited still says what it said.
    expect(store.revisions.snapshot('claim', corrected.id, 1)).toEqual(cited);
    expect(store.entities.get('broadcom')!.name).not.toBe('Broadcom (old name)');
    expect(store.claims.get(added.id)).not.toBeNull();
    expect(store.claims.get('deepseek-r1-mit-licence')!.statement).toBe('Worded by the desk.');
    expect(store.claims.get('us-chip-industry-1-trillion-within-decade')!.statement).toBe('Old wording.');
    expect(loadSeed(store)).toMatchObject({ created: 0, corrected: 0, keptEdits: 2 });
  });

  it('checks a database that already holds the seed without taking the write lock another process may hold', () => {
    whileAnotherWrites(100, (store) => expect(updateSeed(store)).toMatchObject({ created: 0, corrected: 0, keptEdits: 0 }));
  });

  describe('at a start (followSeed)', () => {
    /** The seed files with one claim's statement changed, as a corrected seed would be. */
    function correctedSeed(statement: string): string {
      const dir = mkdtempSync(join(tmpdir(), 'claims-seed-fix-'));
      cpSync(SEED_DIR, dir, { recursive: true });
      const claims = JSON.parse(readFileSync(join(dir, 'claims.json'), 'utf8')) as { id: string; statement: string }[];
      claims.find((c) => c.id === 'deepseek-v3-training-cost')!.statement = statement;
      writeFileSync(join(dir, 'claims.json'), JSON.stringify(claims));
      return dir;
    }

    it('skips the comparison when the same seed and build found the database in line, and compares when either changed', () => {
      const { store, db } = createTestStore({ seed: false });
      const loaded = followSeed(store, { build: 'build-1' });
      expect(loaded).toMatchObject({ created: expect.any(Number), corrected: 0 });
      expect(store.seedCheck.last()).toBe(seedFingerprint(SEED_DIR, 'build-1'));
      const before = snapshot(db);
      expect(followSeed(store, { build: 'build-1' })).toEqual({ unchangedSinceLastCheck: true });
      // Another build compares again (its code might compare differently) and records itself.
      const records = (loaded as { created: number }).created;
      expect(followSeed(store, { build: 'build-2' })).toEqual({ created: 0, corrected: 0, unchanged: records, keptEdits: 0 });
      expect(store.seedCheck.last()).toBe(seedFingerprint(SEED_DIR, 'build-2'));
      expect(snapshot(db)).toEqual(before);
      // A corrected seed file is compared and applied, whatever the build.
      const fixed = correctedSeed('DeepSeek reported $5.576M for V3 training (corrected in a test).');
      try {
        expect(followSeed(store, { dir: fixed, build: 'build-2' })).toMatchObject({ corrected: 1 });
        expect(store.claims.get('deepseek-v3-training-cost')!.statement).toBe('DeepSeek reported $5.576M for V3 training (corrected in a test).');
        expect(store.seedCheck.last()).toBe(seedFingerprint(fixed, 'build-2'));
        expect(followSeed(store, { dir: fixed, build: 'build-2' })).toEqual({ unchangedSinceLastCheck: true });
      } finally {
        rmSync(fixed, { recursive: true, force: true });
      }
    });

    it('compares at every start when run from source (no build id), and records nothing', () => {
      const { store } = createTestStore({ seed: false });
      expect(followSeed(store, { build: null })).toMatchObject({ corrected: 0 });
      expect(followSeed(store, { build: null })).toMatchObject({ created: 0, corrected: 0 });
      expect(store.seedCheck.last()).toBeNull();
    });

    it('records nothing for a database the seed was never loaded into', () => {
      // The same records, written by an import rather than by the seed.
      const { store, db } = createTestStore({ seed: false });
      const records = (file: string) => JSON.parse(readFileSync(join(SEED_DIR, file), 'utf8')) as unknown[];
      const imported = { author: 'importer', reason: 'own data' };
      for (const e of records('entities.json')) store.write.createEntity(EntityWrite.parse(e), imported);
      for (const r of records('sources.json')) store.write.createSource(SourceWrite.parse(r), imported);
      for (const c of records('claims.json')) store.write.createClaim(ClaimWrite.parse(c), imported);
      const before = snapshot(db);
      expect(followSeed(store, { build: 'build-1' })).toBeNull();
      expect(store.seedCheck.last()).toBeNull();
      expect(snapshot(db)).toEqual(before);
    });

    it('neither waits for nor fails on a write lock another process holds: the check is recorded at a later start', () => {
      let started = 0;
      whileAnotherWrites(
        3000,
        (store) => {
          started = performance.now();
          expect(followSeed(store, { build: 'build-1' })).toMatchObject({ created: 0, corrected: 0 });
        },
        (store, db) => {
          // Far below the 3 s the connection would otherwise wait for the lock.
          expect(performance.now() - started).toBeLessThan(1500);
          expect(store.seedCheck.last()).toBeNull();
          expect(db.pragma('busy_timeout', { simple: true })).toBe(3000);
          expect(followSeed(store, { build: 'build-1' })).toMatchObject({ created: 0, corrected: 0 });
          expect(store.seedCheck.last()).toBe(seedFingerprint(SEED_DIR, 'build-1'));
        },
      );
    });
  });

  it('leaves a database the seed was never loaded into alone', () => {
    const { store, db } = createTestStore({ seed: false });
    store.write.createEntity(EntityWrite.parse({ id: 'acme', name: 'Acme', type: 'organization' }), { author: 'desk', reason: 'own data' });
    const before = snapshot(db);
    expect(updateSeed(store)).toBeNull();
    expect(snapshot(db)).toEqual(before);
  });
});

// Test fixtures: a fresh, migrated in-memory database per call, optionally seeded, and an app over it.
import { buildApp } from '../src/app.js';
import { generateKey, hashKey } from '../src/auth/api-keys.js';
import type { Claim } from '../src/claims/claims.schemas.js';
import { type KeyScope, RELATION_TYPES } from '../src/domain/vocabulary.js';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { migrate } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { type Db, openDatabase } from '../src/db/open.js';
import { loadSeed } from '../src/db/seed.js';
import type { Limits } from '../src/http/limits.js';
import { createIndexedTermTest } from '../src/search/indexed-terms.js';
import { createSearchIndex } from '../src/search/search-index.js';
import { narrowSearchQuery, parseSearchQuery } from '../src/search/search-query.js';
import { createStore } from '../src/store.js';
import { generate } from '../bench/generate.js';

/**
 * A fresh in-memory database migrated up to and including `last` (e.g. '0006_claims_unit_id.sql'): a database as it
 * stood before the migrations after it, for testing what those do to existing rows.
 */
/** Applies the migrations up to and including `last` (a file name); returns the names applied. */
export function migrateThrough(db: Db, last: string): string[] {
  if (!existsSync(join(MIGRATIONS_DIR, last))) throw new Error(`no migration ${last}`);
  const dir = mkdtempSync(join(tmpdir(), 'claims-migrations-'));
  try {
    cpSync(MIGRATIONS_DIR, dir, { recursive: true, filter: (f) => !f.endsWith('.sql') || basename(f) <= last });
    return migrate(db, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A database as the migrations up to `last` left it. */
export function databaseAsOf(last: string) {
  const db = openDatabase(':memory:');
  if (migrateThrough(db, last).at(-1) !== last) throw new Error(`no migration ${last}`);
  return db;
}

export function createTestStore({ seed = true, now }: { seed?: boolean; now?: () => Date } = {}) {
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db, now ? { now } : {});
  if (seed) loadSeed(store);
  return { db, store };
}

/**
 * Limits for tests: the production ones (ADR 0004), except budgets too large to spend and no load shedding, so a
 * suite that sends thousands of requests from one address, on a busy CI machine, is never refused for it. The
 * tests of those protections pass their own small limits.
 */
export const TEST_LIMITS: Partial<Limits> = {
  rateLimit: { reads: 1_000_000_000, writes: 1_000_000_000, windowMs: 60_000 },
  shedding: false,
};

export async function createTestApp(options: { seed?: boolean; now?: () => Date; limits?: Partial<Limits>; metrics?: boolean } = {}) {
  const { db, store } = createTestStore(options);
  const app = await buildApp({ store, limits: { ...TEST_LIMITS, ...options.limits }, metrics: options.metrics ?? false });
  await app.ready();
  return { app, db, store };
}

/** Follows `nextCursor` from the given first-page URL and returns every item id, in order. */
export async function collectIds(app: Awaited<ReturnType<typeof buildApp>>, firstUrl: string): Promise<string[]> {
  const ids: string[] = [];
  let url: string | null = firstUrl;
  for (let guard = 0; url !== null && guard < 10_000; guard++) {
    const res = await app.inject(url);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    const body = res.json() as { items: { id: string }[]; links: { next: string | null } };
    ids.push(...body.items.map((i) => i.id));
    url = body.links.next;
  }
  return ids;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Creates an API key the way the keys command does and returns the raw key (never stored). */
export function createKey(
  store: ReturnType<typeof createStore>,
  { name, scope = 'editor', expiresAt = null, revoked = false }: { name: string; scope?: KeyScope; expiresAt?: string | null; revoked?: boolean },
): string {
  const key = generateKey();
  store.keys.create({ name, scope, keyHash: hashKey(key), createdAt: new Date().toISOString(), expiresAt });
  if (revoked) store.keys.revoke(name, new Date().toISOString());
  return key;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A minimal valid claim body for POST /v1/claims against the seed. */
export function newClaimBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    statement: 'A claim written in a test.',
    kind: 'quote',
    subjects: [{ id: 'deepseek' }],
    citations: [{ source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states', quote: 'Quoted words.' }],
    assessment: { verdict: 'unassessed' },
    reason: 'Added in a test',
    ...overrides,
  };
}

/** A claim's references by id and only the relations it holds itself: the shape PUT takes and revisions store. */
export function ownReferences(claim: Claim) {
  return {
    subjects: claim.subjects.map((s) => ({ id: s.id })),
    claimant: claim.claimant && { id: claim.claimant.id },
    citations: claim.citations.map((c) => ({ ...c, source: { id: c.source.id } })),
    relations: claim.relations.filter((r) => (RELATION_TYPES as readonly string[]).includes(r.type)).map((r) => ({ type: r.type, claim: { id: r.claim.id }, note: r.note })),
  };
}

/** The body of a GET turned into a PUT body: server-owned fields dropped, references by id, own relations only. */
export function toReplaceBody(claim: Record<string, unknown> & Claim, reason: string) {
  const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, retraction: _x, links: _l, supersedes: _s, ...rest } = claim;
  return { ...rest, ...ownReferences(claim), reason };
}

/**
 * Generated claims (their index merged into one segment by the generator), then `rewritten` of them re-indexed one
 * transaction each, as the service's writes do: an index in several segments that wants merging
 * (src/search/index-merge.ts).
 */
export function growIndexByWrites(db: Db, { claims = 1200, rewritten = 300 } = {}) {
  migrate(db);
  const store = createStore(db);
  generate(db, { claims });
  const index = createSearchIndex(db);
  const ids = db.prepare<[], string>('SELECT id FROM claims ORDER BY id').pluck().all();
  for (const id of ids.slice(0, rewritten)) db.transaction(() => index.indexClaim(id))();
  return { store, index, ids };
}

/**
 * A search as the finder reads it: parsed, then without the plurals and equivalents the index does not hold. For
 * tests that hand a query to the parts below the finder (the planner, the in-memory scores).
 */
export const searchQuery = (db: Db, q: string) => narrowSearchQuery(parseSearchQuery(q), createIndexedTermTest(db));

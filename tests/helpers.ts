// Test fixtures: a fresh, migrated in-memory database per call, optionally seeded, and an app over it.
import { buildApp } from '../src/app.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';

export function createTestStore({ seed = true } = {}) {
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db);
  if (seed) loadSeed(store);
  return { db, store };
}

export async function createTestApp(options: { seed?: boolean } = {}) {
  const { db, store } = createTestStore(options);
  const app = await buildApp({ store });
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

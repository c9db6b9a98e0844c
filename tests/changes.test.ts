// The change feed: a consumer that starts from nothing, follows the feed and applies each change (by fetching
// its revision permalink) ends with exactly the current data, and can resume from its cursor later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../src/claims/claims.schemas.js';
import { bearer, collectIds, createKey, createTestApp, newClaimBody, ownReferences, toReplaceBody } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let editor: Record<string, string>;
let admin: Record<string, string>;

type Change = { resourceType: 'claim' | 'source' | 'entity'; id: string; revision: number; action: string; links: { revision: string; current: string } };

beforeAll(async () => {
  ctx = await createTestApp();
  editor = bearer(createKey(ctx.store, { name: 'desk' }));
  admin = bearer(createKey(ctx.store, { name: 'chief', scope: 'admin' }));
});
afterAll(() => ctx.app.close());

function inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string> = {}, payload?: unknown) {
  return ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

type Pinned = { id: string; revision: number };
/** A claim revision's references without their pins (each shown to `check` first): the shape the claim's own data has. */
function unpin(record: Record<string, unknown>, check: (type: Change['resourceType'], ref: Pinned) => void) {
  const bare = (type: Change['resourceType'], ref: Pinned) => {
    check(type, ref);
    return { id: ref.id };
  };
  const r = record as { subjects: Pinned[]; claimant: Pinned | null; citations: { source: Pinned }[]; relations: { claim: Pinned }[] };
  return {
    ...record,
    subjects: r.subjects.map((s) => bare('entity', s)),
    claimant: r.claimant && bare('entity', r.claimant),
    citations: r.citations.map((c) => ({ ...c, source: bare('source', c.source) })),
    relations: r.relations.map((x) => ({ ...x, claim: bare('claim', x.claim) })),
  };
}

/** Creates, updates and retracts a few records of every kind, on top of the seed. */
async function edit(): Promise<void> {
  expect((await inject('POST', '/v1/entities', editor, { id: 'feed-org', name: 'Feed Org', type: 'organization', reason: 'feed' })).statusCode).toBe(201);
  expect((await inject('POST', '/v1/sources', editor, { id: 'feed-src', type: 'web_page', title: 'Feed', evidence: 'original', reason: 'feed' })).statusCode).toBe(201);
  const created = await inject('POST', '/v1/claims', editor, newClaimBody({ id: 'feed-claim', subjects: [{ id: 'feed-org' }], relations: [{ type: 'supports', claim: { id: 'deepseek-v3-training-cost' } }] }));
  expect(created.statusCode).toBe(201);
  for (const url of ['/v1/claims/feed-claim', '/v1/claims/deepseek-v3-training-cost']) {
    const cur = await inject('GET', url);
    const res = await inject('PUT', url, { ...editor, 'if-match': cur.headers.etag as string }, { ...toReplaceBody(cur.json(), 'reword'), statement: `${cur.json().statement} (edited)` });
    expect(res.statusCode, res.body).toBe(200);
  }
  const src = await inject('GET', '/v1/sources/feed-src');
  const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, links: _l, ...source } = src.json();
  expect((await inject('PUT', '/v1/sources/feed-src', { ...editor, 'if-match': src.headers.etag as string }, { ...source, title: 'Feed, retitled', reason: 'retitle' })).statusCode).toBe(200);
  const victim = await inject('GET', '/v1/claims/deepseek-r1-mit-licence');
  expect((await inject('POST', '/v1/claims/deepseek-r1-mit-licence/retraction', { ...admin, 'if-match': victim.headers.etag as string }, { reason: 'test retraction' })).statusCode).toBe(200);
}

/** The record's own data as GET shows it, in the form a revision snapshot records it (what others say of it left out). */
function own(type: Change['resourceType'], body: Record<string, unknown>) {
  const { links: _l, supersedes: _s, ...rest } = body;
  if (type !== 'claim') return rest;
  return { ...rest, ...ownReferences(body as unknown as Claim) };
}

async function follow(from: string | null, limit: number) {
  const changes: Change[] = [];
  let cursor = from;
  for (;;) {
    const res = await inject('GET', `/v1/changes?limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: Change[]; nextCursor: string; links: { next: string } };
    expect(page.links.next).toContain(`after=${page.nextCursor}`);
    changes.push(...page.items);
    cursor = page.nextCursor;
    if (page.items.length === 0) return { changes, cursor };
  }
}

describe('GET /v1/changes', () => {
  it('replays, from the start, to exactly the current data', async () => {
    await edit();
    const { changes } = await follow(null, 7);
    expect(changes.length).toBe(ctx.db.prepare('SELECT count(*) FROM revisions').pluck().get());

    // Apply each change: fetch the revision permalink and keep it as the record's state.
    const replica = new Map<string, Record<string, unknown>>();
    const seen = new Map<string, number>();
    for (const c of changes) {
      const key = `${c.resourceType}/${c.id}`;
      expect(c.revision, key).toBe((seen.get(key) ?? 0) + 1); // every revision, in order, none skipped
      expect(c.action).toBe(c.revision === 1 ? 'create' : c.action === 'retract' ? 'retract' : 'update');
      seen.set(key, c.revision);
      const snapshot = await inject('GET', c.links.revision);
      expect(snapshot.statusCode).toBe(200);
      const record = snapshot.json();
      // A claim revision pins each reference to the revision that record had then: the one the replica holds now.
      if (c.resourceType === 'claim') replica.set(key, unpin(record, (type, ref) => expect(ref.revision, `${key} -> ${type}/${ref.id}`).toBe(seen.get(`${type}/${ref.id}`))));
      else replica.set(key, record);
    }

    // Every record the API serves, retracted claims included, equals its replica.
    const ids = {
      claim: await collectIds(ctx.app, '/v1/claims?limit=100&includeRetracted=true'),
      source: await collectIds(ctx.app, '/v1/sources?limit=100'),
      entity: await collectIds(ctx.app, '/v1/entities?limit=100'),
    };
    expect(replica.size).toBe(ids.claim.length + ids.source.length + ids.entity.length);
    for (const [type, list] of Object.entries(ids) as [Change['resourceType'], string[]][]) {
      for (const id of list) {
        const current = (await inject('GET', `/v1/${type === 'entity' ? 'entities' : `${type}s`}/${id}`)).json();
        const replayed = replica.get(`${type}/${id}`)!;
        // Snapshots written before retraction existed have no `retraction` field: it means "not retracted".
        if (type === 'claim') replayed.retraction ??= null;
        expect(replayed, `${type}/${id}`).toEqual(own(type, current));
      }
    }
    expect(replica.get('claim/deepseek-r1-mit-licence')!.retraction).toMatchObject({ reason: 'test retraction' });
  });

  it('resumes from a cursor: an empty page means up to date, and new changes appear after it', async () => {
    const { cursor } = await follow(null, 100);
    const idle = (await inject('GET', `/v1/changes?after=${cursor}`)).json();
    expect(idle.items).toEqual([]);
    expect(idle.nextCursor).toBe(cursor);
    expect((await inject('POST', '/v1/entities', editor, { id: 'late-org', name: 'Late', type: 'organization', reason: 'late' })).statusCode).toBe(201);
    const next = (await inject('GET', `/v1/changes?after=${cursor}`)).json();
    expect(next.items.map((c: Change) => [c.resourceType, c.id, c.revision, c.action])).toEqual([['entity', 'late-org', 1, 'create']]);
  });

  it('refuses a cursor it did not issue', async () => {
    // Past the last change: another database's cursor (an import numbers its changes anew). An empty page would tell
    // a mirror it is up to date until this feed caught up with that number.
    const last = (await follow(null, 100)).cursor;
    const ahead = Buffer.from(JSON.stringify({ after: JSON.parse(Buffer.from(last!, 'base64url').toString()).after + 1 })).toString('base64url');
    expect((await inject('GET', `/v1/changes?after=${last}`)).statusCode).toBe(200);
    for (const after of ['nonsense', ahead, Buffer.from('{"after":"x"}').toString('base64url'), Buffer.from('{"after":-1}').toString('base64url')]) {
      const res = await inject('GET', `/v1/changes?after=${after}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('invalid-cursor');
    }
  });
});

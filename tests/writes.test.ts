// Editors' writes over HTTP: create, replace with If-Match, conditional GETs, idempotent POSTs, retraction, and
// a history whose permalinks never change. Every error is problem+json and documented on its operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../src/claims/claims.schemas.js';
import { bearer, collectIds, createKey, createTestApp, newClaimBody, PROBLEM_CONTENT_TYPE, toReplaceBody } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let editor: Record<string, string>;
let admin: Record<string, string>;
let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
let clock = new Date('2026-06-01T12:00:00.000Z');

beforeAll(async () => {
  // A clock the test moves, so that idempotency keys can be aged past their 24 hours.
  ctx = await createTestApp({ now: () => clock });
  editor = bearer(createKey(ctx.store, { name: 'desk' }));
  admin = bearer(createKey(ctx.store, { name: 'chief', scope: 'admin' }));
  doc = (await ctx.app.inject('/openapi.json')).json();
});
afterAll(() => ctx.app.close());

const tick = () => (clock = new Date(clock.getTime() + 1000));
const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: unknown, headers: Record<string, string> = editor) => ctx.app.inject({ method: 'POST', url, headers, payload: payload as object });
const put = (url: string, payload: unknown, ifMatch?: string, headers: Record<string, string> = editor) =>
  ctx.app.inject({ method: 'PUT', url, headers: { ...headers, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) }, payload: payload as object });
const count = (table: string) => ctx.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/** Asserts a problem+json error, with its code, documented for the operation that answered it. */
function expectProblem(res: Awaited<ReturnType<typeof get>>, status: number, code: string, docPath: string, method: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  expect(res.json()).toMatchObject({ status, code, type: `/problems/${code}` });
  expect(Object.keys(doc.paths[docPath]![method]!.responses), `${method} ${docPath} documents ${status}`).toContain(String(status));
  return res.json() as { detail: string; errors?: { pointer: string; detail: string }[] };
}

const resources = [
  { collection: '/v1/entities', body: (id: string) => ({ id, name: `Entity ${id}`, type: 'organization', reason: 'new entity' }), edit: { name: 'Renamed' } },
  { collection: '/v1/sources', body: (id: string) => ({ id, type: 'web_page', title: `Source ${id}`, evidence: 'original', reason: 'new source' }), edit: { title: 'Retitled' } },
  { collection: '/v1/claims', body: (id: string) => newClaimBody({ id }), edit: { statement: 'Reworded.' } },
];

describe.each(resources)('$collection', ({ collection, body, edit }) => {
  const one = `${collection}/{id}`;

  it('POST creates: 201, Location, strong ETag, the body a GET returns, revision 1 with its permalink', async () => {
    const res = await post(collection, body('made-here'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.location).toBe(`${collection}/made-here`);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    const read = await get(`${collection}/made-here`);
    expect(read.body).toBe(res.body);
    expect(read.headers.etag).toBe(res.headers.etag);
    expect(res.json()).toMatchObject({ id: 'made-here', revision: 1, links: { self: `${collection}/made-here`, revision: `${collection}/made-here/revisions/1` } });
  });

  it('generates an id when none is given, and never lets a client take an existing one', async () => {
    const { id: _omit, ...noId } = body('x') as Record<string, unknown>;
    const res = await post(collection, noId);
    expect(res.statusCode).toBe(201);
    expect(res.json().id).toMatch(/-[0-9a-f]{8}$/);
    const before = count('revisions');
    const taken = expectProblem(await post(collection, body('made-here')), 409, 'already-exists', collection, 'post');
    const noun = collection.slice(4, -1).replace('entitie', 'entity');
    expect(taken.detail).toBe(`${noun === 'entity' ? 'An' : 'A'} ${noun} with id "made-here" already exists; ids are never reused`);
    expect(count('revisions')).toBe(before);
  });

  it('refuses server-owned and unknown fields, listing every one with its JSON pointer', async () => {
    const res = await post(collection, { ...body('mass'), revision: 7, createdAt: '2020-01-01T00:00:00.000Z', updatedAt: 'x', links: {}, retraction: null, owner: 'me' });
    const problem = expectProblem(res, 400, 'invalid-request', collection, 'post');
    expect(problem.errors!.map((e) => e.pointer).sort()).toEqual(['/createdAt', '/links', '/owner', '/retraction', '/revision', '/updatedAt']);
    const { reason: _r, ...noReason } = body('no-reason');
    const missing = expectProblem(await post(collection, noReason), 400, 'invalid-request', collection, 'post');
    expect(missing.errors!.map((e) => e.pointer)).toEqual(['/reason']);
    // Said plainly: not zod's "expected string, received undefined", which reads as if something had been sent.
    expect(missing.detail).toBe('body /reason: Required');
  });

  it('GET honours If-None-Match with 304, until the record changes', async () => {
    const first = await get(`${collection}/made-here`);
    const etag = first.headers.etag as string;
    const cached = await get(`${collection}/made-here`, { 'if-none-match': etag });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    expect(cached.headers.etag).toBe(etag);
    expect((await get(`${collection}/made-here`, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    expect((await get(`${collection}/made-here`, { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });

  it('PUT needs If-Match: 428 without it (or with *), 412 when stale, and a failed write changes nothing', async () => {
    const current = await get(`${collection}/made-here`);
    const replacement = { ...body('made-here'), ...edit, reason: 'edit' };
    delete (replacement as { id?: string }).id;
    const before = count('revisions');
    const noun = collection.slice(4, -1).replace('entitie', 'entity');
    const required = expectProblem(await put(`${collection}/made-here`, replacement), 428, 'precondition-required', one, 'put');
    expect(required.detail).toBe(`Changing ${noun === 'entity' ? 'an' : 'a'} ${noun} needs If-Match with the ETag from your last GET of it`);
    expectProblem(await put(`${collection}/made-here`, replacement, '*'), 428, 'precondition-required', one, 'put');
    expect(expectProblem(await put(`${collection}/made-here`, replacement, '"stale"'), 412, 'precondition-failed', one, 'put').detail).toMatch(/has changed since/);
    // The current version's tag, weak: it never matches (strong comparison), and the detail says why.
    const weak = expectProblem(await put(`${collection}/made-here`, replacement, `W/${current.headers.etag}`), 412, 'precondition-failed', one, 'put');
    expect(weak.detail).toMatch(/compares ETags strongly, so a weak one .* never matches; send the ETag as GET gave it, without W\//);
    expectProblem(await put(`${collection}/no-such-record`, replacement, current.headers.etag as string), 404, `${collection.slice(4, -1).replace('entitie', 'entity')}-not-found`, one, 'put');
    // Without If-Match too: a mistyped id is told so first, not to add If-Match and then that it does not exist.
    expectProblem(await put(`${collection}/no-such-record`, replacement), 404, `${noun}-not-found`, one, 'put');
    expect(count('revisions')).toBe(before);
    expect((await get(`${collection}/made-here`)).body).toBe(current.body);

    tick();
    const done = await put(`${collection}/made-here`, replacement, current.headers.etag as string);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ ...edit, revision: 2, links: { revision: `${collection}/made-here/revisions/2` } });
    expect(done.json().updatedAt > done.json().createdAt).toBe(true);
    expect(done.headers.etag).not.toBe(current.headers.etag);
    expect((await get(`${collection}/made-here`)).headers.etag).toBe(done.headers.etag);
    // The old ETag is now stale.
    expectProblem(await put(`${collection}/made-here`, replacement, current.headers.etag as string), 412, 'precondition-failed', one, 'put');
  });

  it('keeps every revision, complete and unchanged: history, and permalinks that never change', async () => {
    const history = (await get(`${collection}/made-here/revisions`)).json();
    expect(history.items.map((r: { revision: number; action: string; author: string }) => [r.revision, r.action, r.author])).toEqual([
      [1, 'create', 'desk'],
      [2, 'update', 'desk'],
    ]);
    expect(history.items[1].reason).toBe('edit');
    const r1 = await get(`${collection}/made-here/revisions/1`);
    const r2 = await get(`${collection}/made-here/revisions/2`);
    expect(r1.headers['cache-control']).toContain('immutable');
    expect(r1.json().revision).toBe(1);
    expect(r2.json()).toMatchObject({ revision: 2, ...edit });
    expect((await get(`${collection}/made-here/revisions/1`, { 'if-none-match': r1.headers.etag as string })).statusCode).toBe(304);
    expectProblem(await get(`${collection}/made-here/revisions/3`), 404, 'revision-not-found', `${one}/revisions/{revision}`, 'get');
    expectProblem(await get(`${collection}/made-here/revisions/0`), 400, 'invalid-request', `${one}/revisions/{revision}`, 'get');
    // A permalink has one spelling: "01" is not served (and cached for good) as a second URL of revision 1.
    for (const spelling of ['01', '001', '+1', '1.0']) {
      const res = await get(`${collection}/made-here/revisions/${spelling}`);
      expectProblem(res, 400, 'invalid-request', `${one}/revisions/{revision}`, 'get');
      expect(res.headers['cache-control'], spelling).toBeUndefined();
      expect(res.json().errors, spelling).toEqual([expect.objectContaining({ in: 'path', pointer: '/revision' })]);
    }
    expect((await get(`${collection}/made-here/revisions/01`)).json().errors[0].detail).toBe('revision is written without leading zeros: 1');
    expect((await get(`${collection}/made-here/revisions/00`)).json().errors[0].detail).toBe('revision is written without leading zeros');
    // The database itself refuses to rewrite history.
    expect(() => ctx.db.prepare("UPDATE revisions SET reason = 'rewritten' WHERE resource_id = 'made-here'").run()).toThrow(/immutable/);
    expect(() => ctx.db.prepare("DELETE FROM revisions WHERE resource_id = 'made-here'").run()).toThrow(/immutable/);
    expect((await get(`${collection}/made-here/revisions/1`)).body).toBe(r1.body);
  });

  it('a PUT that changes nothing records nothing: same revision, ETag and body, no history or feed entry', async () => {
    const current = await get(`${collection}/made-here`);
    const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, retraction: _x, links: _l, supersedes: _s, ...same } = current.json();
    const replacement =
      collection === '/v1/claims' ? toReplaceBody(current.json(), 'nightly sync') : { ...same, reason: 'nightly sync' };
    const revisions = count('revisions');
    // Where a sync job reading the change feed stands: at its end.
    let feed = (await get('/v1/changes?limit=100')).json();
    while (feed.items.length > 0) feed = (await get(`/v1/changes?limit=100&after=${feed.nextCursor}`)).json();
    tick();
    const res = await put(`${collection}/made-here`, replacement, current.headers.etag as string);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe(current.body);
    expect(res.headers.etag).toBe(current.headers.etag);
    expect(count('revisions')).toBe(revisions);
    expect((await get(`/v1/changes?after=${feed.nextCursor}`)).json().items).toEqual([]);
    // Nothing was half-written and undone visibly: the record reads as before, and still answers 304 to its tag.
    expect((await get(`${collection}/made-here`, { 'if-none-match': current.headers.etag as string })).statusCode).toBe(304);

    // One field changed is a revision again.
    tick();
    const changed = await put(`${collection}/made-here`, { ...replacement, ...edit, reason: 'second edit', ...(collection === '/v1/claims' ? { statement: 'Reworded twice.' } : collection === '/v1/sources' ? { title: 'Retitled twice' } : { name: 'Renamed twice' }) }, current.headers.etag as string);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().revision).toBe(current.json().revision + 1);
    expect(count('revisions')).toBe(revisions + 1);
  });
});

describe('claim revisions: references pinned to what they were', () => {
  it('pin each reference to the revision it had, so later edits of an entity or a source do not change an old revision', async () => {
    const relatedRevision = (await get('/v1/claims/deepseek-v3-training-cost')).json().revision as number;
    expect((await post('/v1/entities', { id: 'pin-entity', name: 'Acme AI', type: 'organization', reason: 'new' })).statusCode).toBe(201);
    expect((await post('/v1/sources', { id: 'pin-source', type: 'web_page', title: 'Acme annual report', evidence: 'original', reason: 'new' })).statusCode).toBe(201);
    const created = await post(
      '/v1/claims',
      newClaimBody({
        id: 'pin-claim',
        subjects: [{ id: 'pin-entity' }],
        claimant: { id: 'pin-entity' },
        citations: [{ source: { id: 'pin-source' }, role: 'primary', stance: 'states', quote: 'We made $10M.' }],
        relations: [{ type: 'contextualizes', claim: { id: 'deepseek-v3-training-cost' } }],
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const first = await get('/v1/claims/pin-claim/revisions/1');
    expect(first.json()).toMatchObject({
      subjects: [{ id: 'pin-entity', revision: 1 }],
      claimant: { id: 'pin-entity', revision: 1 },
      citations: [{ source: { id: 'pin-source', revision: 1 }, quote: 'We made $10M.' }],
      relations: [{ type: 'contextualizes', claim: { id: 'deepseek-v3-training-cost', revision: relatedRevision } }],
    });
    // It leads to the claim as it is now, and to its history.
    expect(first.headers.link).toBe('</v1/claims/pin-claim>; rel="latest-version", </v1/claims/pin-claim/revisions>; rel="version-history"');

    // The entity is renamed and the source retitled: the claim's revision 1 is the same, byte for byte, and its pins
    // lead to the name and title it was written against.
    const entity = await get('/v1/entities/pin-entity');
    expect((await put('/v1/entities/pin-entity', { name: 'Omega Bank', type: 'organization', reason: 'rename' }, entity.headers.etag as string)).statusCode).toBe(200);
    const source = await get('/v1/sources/pin-source');
    expect((await put('/v1/sources/pin-source', { type: 'web_page', title: 'Unrelated article', evidence: 'original', reason: 'retitle' }, source.headers.etag as string)).statusCode).toBe(200);
    const again = await get('/v1/claims/pin-claim/revisions/1');
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect((await get('/v1/entities/pin-entity/revisions/1')).json().name).toBe('Acme AI');
    expect((await get('/v1/sources/pin-source/revisions/1')).json().title).toBe('Acme annual report');

    // A later revision of the claim pins what the references are at its own time. Its content is the same, but what it
    // names was revised since, so the PUT is a revision (an editor confirming the claim against the corrected source).
    const claim = await get('/v1/claims/pin-claim');
    const edited = await put('/v1/claims/pin-claim', toReplaceBody(claim.json(), 'reworded'), claim.headers.etag as string);
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await get('/v1/claims/pin-claim/revisions/2')).json()).toMatchObject({
      subjects: [{ id: 'pin-entity', revision: 2 }],
      citations: [{ source: { id: 'pin-source', revision: 2 } }],
    });
    // The seed's revisions, written before pins existed, are pinned all the same.
    const seed = (await get('/v1/claims/deepseek-v3-training-cost/revisions/1')).json();
    expect(seed.subjects.every((s: { revision?: number }) => s.revision === 1)).toBe(true);
    expect(seed.citations.every((c: { source: { revision?: number } }) => c.source.revision === 1)).toBe(true);
  });
});

describe('claims: the whole claim is editable, references are checked', () => {
  it('replaces citations, caveats, qualifiers, subjects and relations as part of the claim', async () => {
    const current = await get('/v1/claims/deepseek-v3-training-cost');
    const claim = current.json() as Claim;
    const body = toReplaceBody(claim, 'Add a caveat and a secondary citation');
    body.caveats = [...claim.caveats, { kind: 'context', text: 'A caveat added by an editor.' }];
    body.qualifiers = [{ key: 'model', value: 'DeepSeek-V3' }];
    body.subjects = [{ id: 'deepseek' }, { id: 'nvidia' }];
    body.citations = [...body.citations, { source: { id: 'semianalysis-deepseek-debates' }, role: 'secondary', stance: 'reports', quote: null, locator: null }];
    body.relations = [...body.relations, { type: 'contextualizes', claim: { id: 'semianalysis-deepseek-hardware-spend' }, note: 'Hardware is not training cost.' }];
    tick();
    const res = await put('/v1/claims/deepseek-v3-training-cost', body, current.headers.etag as string);
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as Claim;
    expect(after.caveats.at(-1)).toEqual({ kind: 'context', text: 'A caveat added by an editor.' });
    expect(after.qualifiers).toEqual([{ key: 'model', value: 'DeepSeek-V3' }]);
    expect(after.subjects.map((s) => s.id)).toEqual(['deepseek', 'nvidia']);
    expect(after.citations).toHaveLength(claim.citations.length + 1);
    expect(after.relations).toContainEqual(expect.objectContaining({ type: 'contextualizes', claim: expect.objectContaining({ id: 'semianalysis-deepseek-hardware-spend' }) }));
    // Seen from the other end, as its inverse.
    const other = (await get('/v1/claims/semianalysis-deepseek-hardware-spend')).json() as Claim;
    expect(other.relations).toContainEqual(expect.objectContaining({ type: 'contextualized_by', claim: expect.objectContaining({ id: 'deepseek-v3-training-cost' }) }));
  });

  it('answers 422 with a pointer for each unknown or self reference, and writes nothing', async () => {
    const current = await get('/v1/claims/deepseek-v3-training-cost');
    const body = toReplaceBody(current.json(), 'bad references');
    body.citations = [{ source: { id: 'no-such-source' }, role: 'primary', stance: 'states', quote: null, locator: null }];
    body.relations = [{ type: 'supports', claim: { id: 'deepseek-v3-training-cost' }, note: null }];
    const problem = expectProblem(await put('/v1/claims/deepseek-v3-training-cost', body, current.headers.etag as string), 422, 'invalid-reference', '/v1/claims/{id}', 'put');
    expect(problem.errors!.map((e) => e.pointer)).toEqual(['/citations/0/source/id', '/relations/0/claim/id']);
    expect((await get('/v1/claims/deepseek-v3-training-cost')).body).toBe(current.body);
    expectProblem(await post('/v1/claims', newClaimBody({ claimant: { id: 'nobody' } })), 422, 'invalid-reference', '/v1/claims', 'post');
  });

  it('changes the ETag of a claim when a record it shows changes (the ETag is of the bytes served)', async () => {
    const claim = await get('/v1/claims/deepseek-v3-training-cost');
    const entity = await get('/v1/entities/deepseek');
    const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, links: _l, ...rest } = entity.json();
    tick();
    expect((await put('/v1/entities/deepseek', { ...rest, name: 'DeepSeek (renamed)', reason: 'rename' }, entity.headers.etag as string)).statusCode).toBe(200);
    const again = await get('/v1/claims/deepseek-v3-training-cost', { 'if-none-match': claim.headers.etag as string });
    expect(again.statusCode).toBe(200);
    expect(again.json().revision).toBe(claim.json().revision);
    expect(again.json().subjects[0].name).toBe('DeepSeek (renamed)');
  });

  it('answers errors on writes as documented problem+json', async () => {
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...editor, 'content-type': 'application/xml' }, payload: '<x/>' }), 415, 'unsupported-media-type', '/v1/claims', 'post');
    expectProblem(await post('/v1/claims', newClaimBody({ citations: [] })), 400, 'invalid-request', '/v1/claims', 'post');
    expectProblem(await post('/v1/claims', {}, {}), 401, 'unauthorized', '/v1/claims', 'post');
    expectProblem(await post('/v1/claims/deepseek-v3-training-cost/retraction', { reason: 'x' }), 403, 'forbidden', '/v1/claims/{id}/retraction', 'post');
  });

  it('refuses a `between` whose upper bound is below its lower one, and the same citation twice, changing nothing', async () => {
    const claims = count('claims');
    const range = (lower: string, upper: string) => ({ comparator: 'between', amount: null, lower, upper, unit: 'USD', basis: null });
    const reversed = expectProblem(await post('/v1/claims', newClaimBody({ id: 'reversed', kind: 'quantity', value: range('10', '5') })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(reversed.errors!.map((e) => e.pointer)).toEqual(['/value/upper']);
    // Compared as exact decimals: 0.30000000000000000001 and 0.3 are one float.
    expectProblem(await post('/v1/claims', newClaimBody({ id: 'reversed', kind: 'quantity', value: range('0.30000000000000000001', '0.3') })), 400, 'invalid-request', '/v1/claims', 'post');
    const citation = { source: { id: 'semianalysis-deepseek-debates' }, role: 'primary', stance: 'states', quote: 'Same words.', locator: { section: 'Intro' } };
    const twice = expectProblem(await post('/v1/claims', newClaimBody({ id: 'twice', citations: [citation, { ...citation }] })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(twice.errors!.map((e) => e.pointer)).toEqual(['/citations/1']);
    expect(count('claims')).toBe(claims);
    // A range of one value, and one source cited for two passages, are fine.
    expect((await post('/v1/claims', newClaimBody({ id: 'one-value-range', kind: 'quantity', value: range('5', '5.0') }))).statusCode).toBe(201);
    const two = [citation, { ...citation, quote: 'Other words.', locator: { section: 'Conclusion' } }];
    expect((await post('/v1/claims', newClaimBody({ id: 'two-passages', citations: two }))).statusCode).toBe(201);
  });

  it('refuses the same qualifier or caveat twice, as it does a subject, citation or relation, changing nothing', async () => {
    const claims = count('claims');
    const us = { key: 'country', value: 'US' };
    const qualifiers = expectProblem(await post('/v1/claims', newClaimBody({ id: 'qualifier-twice', qualifiers: [us, { key: 'store', value: 'App Store' }, { ...us }] })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(qualifiers.errors!.map((e) => e.pointer)).toEqual(['/qualifiers/2']);
    expect(qualifiers.detail).toBe('body /qualifiers/2: country "US" is listed twice');
    const caveat = { kind: 'scope', text: 'Same.' };
    const caveats = expectProblem(await post('/v1/claims', newClaimBody({ id: 'caveat-twice', caveats: [caveat, { ...caveat }] })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(caveats.errors!.map((e) => e.pointer)).toEqual(['/caveats/1']);
    expect(caveats.detail).toBe('body /caveats/1: This caveat is listed twice');
    const subjects = expectProblem(await post('/v1/claims', newClaimBody({ id: 'subject-twice', subjects: [{ id: 'deepseek' }, { id: 'nvidia' }, { id: 'deepseek' }] })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(subjects.errors!.map((e) => [e.pointer, e.detail])).toEqual([['/subjects/2/id', '"deepseek" is listed twice']]);
    const relation = { type: 'supports', claim: { id: 'deepseek-v3-training-cost' } };
    const relations = expectProblem(
      await post('/v1/claims', newClaimBody({ id: 'relation-twice', relations: [relation, { ...relation }, { type: 'supports', claim: { id: 'relation-twice' } }] })),
      400, 'invalid-request', '/v1/claims', 'post',
    );
    expect(relations.errors!.map((e) => [e.pointer, e.detail])).toEqual([
      ['/relations/1', 'This relation is listed twice'],
      ['/relations/2/claim/id', 'A claim cannot relate to itself'],
    ]);
    // On replace too: a PUT that repeats one changes nothing.
    const current = await get('/v1/claims/deepseek-v3-training-cost');
    const body = toReplaceBody(current.json() as Claim, 'Repeat a caveat');
    body.caveats = [...body.caveats, body.caveats[0]!];
    expectProblem(await put('/v1/claims/deepseek-v3-training-cost', body, current.headers.etag as string), 400, 'invalid-request', '/v1/claims/{id}', 'put');
    expect((await get('/v1/claims/deepseek-v3-training-cost')).headers.etag).toBe(current.headers.etag);
    expect(count('claims')).toBe(claims);
    // One key with two values, and one text under two kinds, are two qualifiers and two caveats.
    const fine = await post('/v1/claims', newClaimBody({
      id: 'two-countries',
      qualifiers: [us, { key: 'country', value: 'CN' }],
      caveats: [caveat, { kind: 'attribution', text: 'Same.' }],
    }));
    expect(fine.statusCode, fine.body).toBe(201);
    expect(fine.json()).toMatchObject({ qualifiers: [us, { key: 'country', value: 'CN' }], caveats: [caveat, { kind: 'attribution', text: 'Same.' }] });
  });

  it('refuses control characters in text, and keeps tabs and line breaks', async () => {
    const entities = count('entities');
    for (const name of ['Nul\u0000here', 'Bell\u0007', 'Escape\u001b[31m'])
      expectProblem(await post('/v1/entities', { name, type: 'organization', reason: 'new' }), 400, 'invalid-request', '/v1/entities', 'post');
    // C1 too: U+009B is CSI (a terminal escape in one character), U+0090 DCS, and NEL, which nothing that reads the
    // service's output takes for a line break.
    for (const name of ['Name \u009b31mRED', 'Name\u0090x', 'Next\u0085line', '\u0080', 'End\u009f'])
      expect(expectProblem(await post('/v1/entities', { name, type: 'organization', reason: 'new' }), 400, 'invalid-request', '/v1/entities', 'post').detail)
        .toBe('body /name: Control characters are not allowed (tab and line breaks are)');
    const nel = expectProblem(await post('/v1/claims', newClaimBody({ id: 'nel-line', statement: 'First line,\u0085second line.' })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(nel.errors!.map((e) => e.pointer)).toEqual(['/statement']);
    expect(count('entities')).toBe(entities);
    expect((await get('/v1/claims/nel-line')).statusCode).toBe(404);
    // Just outside the range: U+00A0 (no-break space) and U+00A9 are text.
    const latin1 = await post('/v1/entities', { id: 'latin-one', name: 'Acme\u00a0Co \u00a9', type: 'organization', reason: 'new' });
    expect(latin1.statusCode, latin1.body).toBe(201);
    expect(latin1.json().name).toBe('Acme\u00a0Co \u00a9');
    const res = await post('/v1/claims', newClaimBody({ id: 'two-lines', statement: 'First line,\nsecond\tline.' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().statement).toBe('First line,\nsecond\tline.');
  });

  it('refuses text with nothing visible, and an alias listed twice', async () => {
    const entities = count('entities');
    for (const name of ['\u200B', ' \u200B\u2060 ', '\u00AD'])
      expectProblem(await post('/v1/entities', { name, type: 'organization', reason: 'new' }), 400, 'invalid-request', '/v1/entities', 'post');
    // Default-ignorable characters beyond category Cf (Hangul fillers, variation selectors, the combining grapheme
    // joiner, a Mongolian variation selector, a Khmer inherent vowel), a combining mark with nothing to combine with,
    // and the blank Braille pattern: all draw nothing.
    for (const name of ['\u3164', '\uFFA0', '\u115F\u1160', '\uFE0F', '\uFE00', '\u034F', '\u180B', '\u17B4', '\u0301', ' \u0308 ', '\u2800', '\u3164 \uFE0F\u2800'])
      expect(expectProblem(await post('/v1/entities', { name, type: 'organization', reason: 'new' }), 400, 'invalid-request', '/v1/entities', 'post').detail)
        .toMatch(/^body \/name: Text must have a visible character/);
    const blank = expectProblem(await post('/v1/claims', newClaimBody({ id: 'blank-caveat', caveats: [{ kind: 'scope', text: '\u3164' }] })), 400, 'invalid-request', '/v1/claims', 'post');
    expect(blank.errors!.map((e) => e.pointer)).toEqual(['/caveats/0/text']);
    expect((await get('/v1/claims/blank-caveat')).statusCode).toBe(404);
    const twice = await post('/v1/entities', { name: 'Acme', type: 'organization', aliases: ['Acme AI', 'ACME', 'acme ai'], reason: 'new' });
    expect(expectProblem(twice, 400, 'invalid-request', '/v1/entities', 'post').errors!.map((e) => e.pointer)).toEqual(['/aliases/2']);
    // The same text in two Unicode normal forms (precomposed ü, then u and a combining diaeresis), and in another case too.
    const nfd = await post('/v1/entities', { name: 'Zurich Co', type: 'organization', aliases: ['Z\u00fcrich', 'Zu\u0308rich', 'Z\u00dcRICH'], reason: 'new' });
    const nfdProblem = expectProblem(nfd, 400, 'invalid-request', '/v1/entities', 'post');
    expect(nfdProblem.errors!.map((e) => e.pointer)).toEqual(['/aliases/1', '/aliases/2']);
    expect(nfdProblem.detail).toBe('body /aliases/1: "Zu\u0308rich" is listed twice');
    expect(count('entities')).toBe(entities);
    // Invisible characters inside visible text are the writer's business (a soft hyphen, a zero width joiner).
    expect((await post('/v1/entities', { id: 'soft-hyphen', name: 'Semi\u00ADAnalysis', type: 'organization', reason: 'new' })).statusCode).toBe(201);
    // So are an emoji's variation selector, a combining accent on its letter, and a Hangul filler inside a name.
    for (const [id, name] of [['hotline', '\u260E\uFE0F Hotline'], ['cafe-nfd', 'Cafe\u0301 Noir'], ['filler-inside', 'A\u3164B']]) {
      const res = await post('/v1/entities', { id, name, type: 'organization', reason: 'new' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().name).toBe(name);
    }
    // Aliases are compared normalised but stored as sent; two that differ in more than form (Zürich, Zurich) are two.
    const zurich = await post('/v1/entities', { id: 'zurich-co', name: 'Zurich Co', type: 'organization', aliases: ['Zu\u0308rich', 'Zurich'], reason: 'new' });
    expect(zurich.statusCode, zurich.body).toBe(201);
    expect(zurich.json().aliases).toEqual(['Zu\u0308rich', 'Zurich']);
  });

  it('refuses half a surrogate pair, which the database would store as U+FFFD, and keeps whole pairs', async () => {
    const entities = count('entities');
    for (const name of ['High \ud800 alone', 'Low \udfff alone', 'Reversed \udc00\ud800'])
      expectProblem(await post('/v1/entities', { name, type: 'organization', reason: 'new' }), 400, 'invalid-request', '/v1/entities', 'post');
    expect(count('entities')).toBe(entities);
    const res = await post('/v1/entities', { id: 'emoji-co', name: 'Emoji \ud83d\ude00 Co', type: 'organization', reason: 'new' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe('Emoji 😀 Co');
  });

  it('refuses a bidirectional control left open at the end of its line, and keeps closed and stray ones', async () => {
    const entities = count('entities');
    // RLO with no PDF: "Acme \u202Edeifirev" reads "Acme verified", and reorders whatever follows it on a page.
    for (const name of ['Acme \u202Edeifirev', 'Open isolate \u2067عربي', 'Closed on the next line \u202B\nonly\u202C', 'PDF inside an isolate \u2067\u202A\u202C'])
      expectProblem(await post('/v1/entities', { name, type: 'organization', reason: 'new' }), 400, 'invalid-request', '/v1/entities', 'post');
    const open = await post('/v1/claims', newClaimBody({ id: 'bidi-open', statement: 'Fine.\nThen \u2068open' }));
    expect(expectProblem(open, 400, 'invalid-request', '/v1/claims', 'post').errors!.map((e) => e.pointer)).toEqual(['/statement']);
    expect(count('entities')).toBe(entities);
    // Closed isolates and embeddings, an embedding closed by the PDI around it, and stray closers (which do nothing).
    for (const [id, name] of [
      ['bidi-isolate', 'قال \u2066DeepSeek\u2069 ذلك'],
      ['bidi-embedding', 'Name \u202Bعربي\u202C here'],
      ['bidi-inner', 'Outer \u2067inner \u202Eopen\u2069 done'],
      ['bidi-stray', 'Stray \u202C and \u2069 closers'],
    ]) {
      const res = await post('/v1/entities', { id, name, type: 'organization', reason: 'new' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().name).toBe(name);
    }
  });
});

describe('URLs', () => {
  it('are stored in their normal form, so that what is served is a URI and the database never refuses one (a 500)', async () => {
    const res = await post('/v1/sources', {
      id: 'shouting-url',
      type: 'web_page',
      title: 'A page',
      evidence: 'original',
      url: 'HTTPS://EXAMPLE.ORG/A b?q="x"<y>',
      archiveUrl: 'Http://Web.Archive.org/web/2025/https://example.org/',
      reason: 'new source',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      url: 'https://example.org/A%20b?q=%22x%22%3Cy%3E',
      archiveUrl: 'http://web.archive.org/web/2025/https://example.org/',
    });
    const entity = await post('/v1/entities', { id: 'shouting-home', name: 'Home', type: 'organization', homepage: 'HTTPS://Example.ORG', reason: 'new' });
    expect(entity.statusCode, entity.body).toBe(201);
    expect(entity.json().homepage).toBe('https://example.org/');
    for (const url of ['ftp://example.org/', 'https://exa mple.org/', 'example.org', 'javascript:alert(1)'])
      expectProblem(await post('/v1/sources', { type: 'web_page', title: 'Bad', evidence: 'original', url, reason: 'r' }), 400, 'invalid-request', '/v1/sources', 'post');
  });

  it('refuses what the normal form would drop or rewrite, rather than storing a different URL, and says why', async () => {
    const sources = count('sources');
    const entities = count('entities');
    const refused = async (url: string) =>
      expectProblem(await post('/v1/sources', { type: 'web_page', title: 'Bad', evidence: 'original', url, reason: 'r' }), 400, 'invalid-request', '/v1/sources', 'post').detail;
    // The parser deletes tabs and line breaks (a/b became ab), and reads a backslash as "/" (a\b became a/b).
    for (const url of ['https://example.org/a\nb', 'https://example.org/a\tb', 'https://example.org/a\r\nb', 'https://example.org/a\\b', 'https://example.org/\u0085', '\u0001https://example.org/'])
      expect(await refused(url)).toMatch(/^body \/url: A URL cannot contain a tab, line break or other control character, or a backslash/);
    const home = await post('/v1/entities', { name: 'Home', type: 'organization', homepage: 'https://example.org/a\nb', reason: 'new' });
    expect(expectProblem(home, 400, 'invalid-request', '/v1/entities', 'post').errors!.map((e) => e.pointer)).toEqual(['/homepage']);
    // Too long says so, not that it is no URL.
    expect(await refused(`https://example.org/${'a'.repeat(1990)}`)).toBe('body /url: Too long: a URL has at most 2000 characters');
    // Within the limit as sent but not once its spaces are percent-encoded, as it would be stored and served.
    expect(await refused(`https://example.org/${'a'.repeat(1970)}${' b'.repeat(5)}`)).toMatch(/at most 2000 characters in its normal form/);
    expect(await refused('http://localhost/')).toBe('body /url: Expected an absolute http(s) URL whose host is a domain name or an IP address');
    expect([count('sources'), count('entities')]).toEqual([sources, entities]);
    // Percent-encoded characters, IP literals (nothing here fetches a URL) and exactly 2000 characters are fine.
    const long = `https://example.org/${'a'.repeat(1980)}`;
    expect(long.length).toBe(2000);
    for (const [id, url, stored] of [
      ['percent-url', 'https://example.org/caf%C3%A9/a%0Ab%5Cc?q=%E2%82%AC', 'https://example.org/caf%C3%A9/a%0Ab%5Cc?q=%E2%82%AC'],
      ['ipv6-url', 'https://[2001:DB8::1]/x', 'https://[2001:db8::1]/x'],
      ['ipv4-url', 'http://192.0.2.1:8080/report.pdf', 'http://192.0.2.1:8080/report.pdf'],
      ['longest-url', long, long],
    ]) {
      const res = await post('/v1/sources', { id, type: 'web_page', title: 'Fine', evidence: 'original', url, reason: 'new' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().url).toBe(stored);
    }
  });
});

describe('idempotent POST', () => {
  const headers = (key: string, auth = editor) => ({ ...auth, 'idempotency-key': key });

  it('replays the first response for the same key and body, and creates nothing', async () => {
    const { id: _omit, ...body } = newClaimBody({ statement: 'Created once, however often it is retried.' });
    const first = await post('/v1/claims', body, headers('retry-1'));
    expect(first.statusCode).toBe(201);
    const claims = count('claims');
    const revisions = count('revisions');
    tick();
    const again = await post('/v1/claims', body, headers('retry-1'));
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect([count('claims'), count('revisions')]).toEqual([claims, revisions]);
  });

  it('refuses the same key with a different body (422), and keeps keys apart per API key', async () => {
    const body = newClaimBody({ id: 'idem-a' });
    expect((await post('/v1/claims', body, headers('retry-2'))).statusCode).toBe(201);
    const before = count('claims');
    expectProblem(await post('/v1/claims', { ...body, statement: 'Something else.' }, headers('retry-2')), 422, 'idempotency-key-reused', '/v1/claims', 'post');
    expectProblem(await post('/v1/sources', { type: 'web_page', title: 'T', evidence: 'original', reason: 'r' }, headers('retry-2')), 422, 'idempotency-key-reused', '/v1/sources', 'post');
    expect(count('claims')).toBe(before);
    // Another key holder's "retry-2" is a different key: a real create, which here meets the existing id.
    expectProblem(await post('/v1/claims', body, headers('retry-2', admin)), 409, 'already-exists', '/v1/claims', 'post');
  });

  it('forgets a key after 24 hours', async () => {
    const { id: _omit, ...body } = newClaimBody({ statement: 'Posted twice, a day apart.' });
    const first = await post('/v1/claims', body, headers('retry-3'));
    clock = new Date(clock.getTime() + 24 * 3600 * 1000 + 1);
    const later = await post('/v1/claims', body, headers('retry-3'));
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.headers.location).not.toBe(first.headers.location);
  });
});

describe('retraction', () => {
  const url = '/v1/claims/us-chip-industry-1-trillion-within-decade';
  const retract = (payload: unknown, ifMatch?: string, headers = admin) =>
    ctx.app.inject({ method: 'POST', url: `${url}/retraction`, headers: { ...headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) }, payload: payload as object });

  it('needs If-Match and an existing successor, and changes nothing until both hold', async () => {
    const current = await get(url);
    const doc = '/v1/claims/{id}/retraction';
    expectProblem(await retract({ reason: 'Withdrawn' }), 428, 'precondition-required', doc, 'post');
    expectProblem(await retract({ reason: 'Withdrawn' }, '"stale"'), 412, 'precondition-failed', doc, 'post');
    const bad = expectProblem(await retract({ reason: 'Withdrawn', supersededBy: 'no-such-claim' }, current.headers.etag as string), 422, 'invalid-reference', doc, 'post');
    expect(bad.errors![0]!.pointer).toBe('/supersededBy');
    expect(expectProblem(await retract({}, current.headers.etag as string), 400, 'invalid-request', doc, 'post').errors![0]!.pointer).toBe('/reason');
    expect((await get(url)).body).toBe(current.body);
  });

  it('keeps the claim at its URL, marked, as a revision; lists leave it out unless asked', async () => {
    const current = await get(url);
    const listed = (q = '') => collectIds(ctx.app, `/v1/claims?limit=100${q}`);
    expect(await listed()).toContain('us-chip-industry-1-trillion-within-decade');
    // The claim that contradicts it names it in its relations; a reader there must learn of the retraction too.
    const related = '/v1/claims/semiconductor-sales-1-trillion-by-2030';
    const relatedBefore = await get(related);
    const refTo = (c: Claim) => c.relations.find((r) => r.claim.id === 'us-chip-industry-1-trillion-within-decade')!.claim;
    expect(refTo(relatedBefore.json())).toMatchObject({ retracted: false });
    tick();
    const res = await retract({ reason: 'The article misread the forecast.', supersededBy: 'semiconductor-sales-1-trillion-by-2030' }, current.headers.etag as string);
    expect(res.statusCode, res.body).toBe(200);
    const claim = (await get(url)).json() as Claim;
    expect(claim.retraction).toEqual({ reason: 'The article misread the forecast.', retractedAt: clock.toISOString(), supersededBy: 'semiconductor-sales-1-trillion-by-2030' });
    expect(claim.revision).toBe(current.json().revision + 1);
    expect(res.body).toBe((await get(url)).body);
    // The successor names what it replaces.
    const successor = (await get('/v1/claims/semiconductor-sales-1-trillion-by-2030')).json() as Claim;
    expect(successor.supersedes).toEqual([{ id: 'us-chip-industry-1-trillion-within-decade', statement: claim.statement, retracted: true }]);
    expect((await get('/c/semiconductor-sales-1-trillion-by-2030')).body).toMatch(/<h2 id="replaces">Replaces<\/h2>\s*<ul class="list"><li><strong>\[Retracted\]<\/strong> <a href="\/c\/us-chip-industry-1-trillion-within-decade">/);
    const relatedAfter = await get(related);
    expect(refTo(relatedAfter.json())).toMatchObject({ retracted: true });
    expect(relatedAfter.headers.etag).not.toBe(relatedBefore.headers.etag);
    expect((await get(`/c/semiconductor-sales-1-trillion-by-2030`)).body).toMatch(/<strong>\[Retracted\]<\/strong> <a href="\/c\/us-chip-industry-1-trillion-within-decade">/);

    const history = (await get(`${url}/revisions`)).json().items;
    expect(history.at(-1)).toMatchObject({ action: 'retract', author: 'chief', reason: 'The article misread the forecast.' });
    // The permalink cited before the retraction still shows the claim as it was.
    const before = (await get(`${url}/revisions/${current.json().revision}`)).json();
    expect(before.statement).toBe(current.json().statement);
    expect(before.retraction ?? null).toBeNull();
    expect((await get(`${url}/revisions/${claim.revision}`)).json().retraction).toEqual(claim.retraction);

    expect(await listed()).not.toContain('us-chip-industry-1-trillion-within-decade');
    expect(await listed('&includeRetracted=true')).toContain('us-chip-industry-1-trillion-within-decade');
    const subject = claim.subjects[0]!.id;
    expect(await collectIds(ctx.app, `/v1/entities/${subject}/claims`)).not.toContain(claim.id);
    expect(await collectIds(ctx.app, `/v1/entities/${subject}/claims?includeRetracted=true`)).toContain(claim.id);
    const source = claim.citations[0]!.source.id;
    expect(await collectIds(ctx.app, `/v1/sources/${source}/claims`)).not.toContain(claim.id);
    expect(await collectIds(ctx.app, `/v1/sources/${source}/claims?includeRetracted=true`)).toContain(claim.id);
  });

  it('is final: a retracted claim cannot be retracted again or edited', async () => {
    const current = await get(url);
    const etag = current.headers.etag as string;
    expectProblem(await retract({ reason: 'Again' }, etag), 409, 'claim-retracted', '/v1/claims/{id}/retraction', 'post');
    expectProblem(await put(url, toReplaceBody(current.json(), 'edit'), etag), 409, 'claim-retracted', '/v1/claims/{id}', 'put');
  });

  it('names only a claim that stands as successor, so "superseded by" never leads to a retracted claim or round a circle', async () => {
    // The claim retracted above supersedes nothing; superseding by it is refused, which also rules out A by B, B by A.
    const other = '/v1/claims/semiconductor-sales-1-trillion-by-2030';
    const current = await get(other);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `${other}/retraction`,
      headers: { ...admin, 'if-match': current.headers.etag as string },
      payload: { reason: 'Circular', supersededBy: 'us-chip-industry-1-trillion-within-decade' },
    });
    const problem = expectProblem(res, 422, 'invalid-reference', '/v1/claims/{id}/retraction', 'post');
    expect(problem.errors![0]!.pointer).toBe('/supersededBy');
    expect(res.json().detail).toContain('"us-chip-industry-1-trillion-within-decade" is itself retracted (superseded by "semiconductor-sales-1-trillion-by-2030")');
    expect((await get(other)).body).toBe(current.body);
  });
});

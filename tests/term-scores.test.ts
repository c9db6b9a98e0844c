// One-term searches, a word or a phrase, are scored in memory (src/claims/claims.term-scores.ts) instead of by FTS5's
// bm25(): the scores must be bm25()'s to the last bit, for every claim of every term it takes, and stay so through every
// kind of write (a claim written, edited, retracted; an entity renamed, which re-indexes the claims naming it; another
// process's write). The pages a finder gives must be those it gives with bm25() alone, and every other query is left
// to bm25().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimId, entityId, generate, sourceId } from '../bench/generate.js';
import { createColumnSearch } from '../src/claims/claims.column-search.js';
import { ClaimWrite } from '../src/claims/claims.schemas.js';
import { createClaimFinder } from '../src/claims/claims.find.js';
import type { ClaimFilters, CursorPayload } from '../src/claims/claims.list-query.js';
import { RELEVANCE_WINDOW } from '../src/claims/claims.relevance-sql.js';
import { createTermScores, TERM_SCORES_MAX_TEXTS } from '../src/claims/claims.term-scores.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { EntityWrite } from '../src/entities/entities.schemas.js';
import { asciiWords } from '../src/search/ascii-words.js';
import { createDocColumns } from '../src/search/doc-columns.js';
import { parseSearchQuery } from '../src/search/search-query.js';
import { createStore } from '../src/store.js';
import { searchQuery } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-term-scores-'));
const path = join(dir, 'claims.db');
const db = openDatabase(path);
migrate(db);
generate(db, { claims: 3000 });
const store = createStore(db);
const columns = createDocColumns(db);
// Every word the generated text holds, up to 4,000 claims: past the window, so that a window and a tail are both taken.
const termScores = createTermScores(db, columns, 4000);
const columnSearch = createColumnSearch(db, columns);
// How many times the finder was given a term's scores from memory: the pages below must come from there.
let served = 0;
const count = (hits: ReturnType<typeof termScores.read>) => {
  if (hits !== null) served++;
  return hits;
};
const counted: typeof termScores = {
  read: (...args) => count(termScores.read(...args)),
  readTerm: (...args) => count(termScores.readTerm(...args)),
};
const finders = {
  memory: createClaimFinder(db, columnSearch, { termScores: counted }),
  bm25: createClaimFinder(db, columnSearch),
};
const meta = { author: 'test', reason: 'term scores' };
/** A claim about the generator's first entity, citing its first source. */
const claimBody = (id: string, statement: string) =>
  ClaimWrite.parse({
    id,
    statement,
    kind: 'quote',
    subjects: [{ id: entityId(0) }],
    citations: [{ source: { id: sourceId(0) }, role: 'primary', stance: 'states' }],
    assessment: { verdict: 'unassessed' },
  });
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'claims_fts', 'row')");
/** Words (letters only) held by between `from` and `to` claims, up to `n`, spread over the range. */
const words = (from: number, to: number, n = 40) => {
  const all = db
    .prepare("SELECT term FROM temp.vocab WHERE doc BETWEEN ? AND ? AND term NOT GLOB '*[^a-z]*' ORDER BY doc, term")
    .pluck()
    .all(from, to) as string[];
  return all.filter((_, i) => i % Math.max(1, Math.floor(all.length / n)) === 0).slice(0, n);
};

/** bm25() as the ranked window's SQL computes it (claims.relevance-sql.ts), for every claim the match finds. */
const bm25 = db.prepare<{ match: string }, [number, number]>(
  `SELECT rowid, bm25(claims_fts, 10.0, 1.0, 0.0) - CASE WHEN bm25(claims_fts, 1.0, 0.0, 0.0) < 0 THEN 1000.0 ELSE 0.0 END
   FROM claims_fts WHERE claims_fts MATCH @match ORDER BY rowid`,
).raw();

/** The term's scores from memory, with and without retracted claims, against bm25()'s, bit for bit. */
function expectExact(word: string, query = word, scores = termScores) {
  for (const includeRetracted of [true, false]) {
    const hits = scores.read(searchQuery(db, query), includeRetracted);
    expect(hits, word).not.toBeNull();
    const match = includeRetracted ? `"${word}"` : `"${word}" NOT {flags} : retracted`;
    const expected = bm25.all({ match });
    expect(Array.from(hits!.docs), word).toEqual(expected.map((r) => r[0]));
    // toEqual on numbers is Object.is: the same double, not a close one.
    expect(Array.from(hits!.scores), word).toEqual(expected.map((r) => r[1]));
  }
}

/**
 * Phrases of `length` consecutive words (letters only) from the indexed statements of claims, up to `n`, each with
 * its words in the order the claims hold them.
 */
const phrasesOf = (length: number, n: number) => {
  const out = new Set<string>();
  for (const statement of db.prepare('SELECT statement FROM claims_fts ORDER BY rowid LIMIT 600').pluck().all() as string[]) {
    const tokens = asciiWords(statement) ?? [];
    for (let i = 0; i + length <= tokens.length && out.size < n; i += 4) {
      const words = tokens.slice(i, i + length);
      if (words.every((w) => /^[a-z]+$/.test(w))) out.add(words.join(' '));
    }
  }
  return [...out];
};
/** How many claims hold the word. */
const heldBy = (word: string) => (db.prepare('SELECT doc FROM temp.vocab WHERE term = ?').pluck().get(word) as number | undefined) ?? 0;

/** Whether the phrase is scored in memory, and if so exactly as bm25() scores it. */
function scoredExactly(phrase: string): boolean {
  if (termScores.read(searchQuery(db, `"${phrase}"`), true) === null) return false;
  expectExact(phrase, `"${phrase}"`);
  return true;
}

/** Every page of a one-word search by relevance from a finder, `limit` at a time, and `between` run between pages. */
function pages(finder: keyof typeof finders, q: string, filters: ClaimFilters, limit: number, between = () => {}) {
  const seen: string[] = [];
  let cursor: CursorPayload | null = null;
  do {
    const page = finders[finder].find({ filters, query: parseSearchQuery(q), sort: 'relevance', cursor, limit });
    seen.push(...page.items.map((i) => i.id));
    cursor = page.next;
    between();
  } while (cursor !== null);
  return seen;
}

describe('one-word searches scored in memory', () => {
  it("give every claim of a word bm25()'s own score, retracted claims left out or not", () => {
    for (const n of [1, 5, 40, 200]) store.write.retractClaim(claimId(n), {}, meta, () => {});
    const sample = [...words(1, 30), ...words(31, 1000), ...words(1001, 4000, 10)];
    expect(sample.length).toBeGreaterThan(50);
    for (const word of sample) expectExact(word);
  });

  it('give the pages bm25() gives, a window and its tail, with filters, and with writes between pages', () => {
    const large = words(RELEVANCE_WINDOW + 1, 4000, 3);
    expect(large.length).toBeGreaterThan(0);
    const sample = [...words(2, 60, 4), ...words(100, 1000, 4), ...large];
    for (const word of sample) {
      for (const filters of [{}, { includeRetracted: true }, { kind: 'quote' }] as ClaimFilters[]) {
        served = 0;
        const memory = pages('memory', word, filters, 37);
        // From memory whenever a window had claims to rank.
        if (memory.length > 0) expect(served, `${word} ${JSON.stringify(filters)}`).toBeGreaterThan(0);
        expect(memory, `${word} ${JSON.stringify(filters)}`).toEqual(pages('bm25', word, filters, 37));
        expect(new Set(memory).size).toBe(memory.length);
      }
    }
    // Both page through the same search while claims holding the word are written and retracted between pages.
    const word = large[0]!;
    let n = 0;
    // A new claim holding the word, and one inside the first page's full window retracted: an older match must not
    // slide into the window (its bottom bound).
    const inWindow = db.prepare(
      `SELECT c.id FROM claims_fts f JOIN claims c ON c.doc_id = f.rowid
       WHERE claims_fts MATCH ? AND c.retracted_at IS NULL ORDER BY f.rowid DESC LIMIT 1 OFFSET ${RELEVANCE_WINDOW / 2}`,
    ).pluck();
    const write = () => {
      store.write.createClaim(claimBody(`between-${n++}`, `A ${word} written between pages.`), meta);
      store.write.retractClaim(inWindow.get(`"${word}"`) as string, {}, meta, () => {});
    };
    const seen = { memory: [] as string[], bm25: [] as string[] };
    let cursors: Record<keyof typeof finders, CursorPayload | null> = { memory: null, bm25: null };
    do {
      for (const finder of ['memory', 'bm25'] as const) {
        const page = finders[finder].find({ filters: {}, query: parseSearchQuery(word), sort: 'relevance', cursor: cursors[finder], limit: 50 });
        seen[finder].push(...page.items.map((i) => i.id));
        cursors = { ...cursors, [finder]: page.next };
      }
      write();
    } while (cursors.memory !== null || cursors.bm25 !== null);
    expect(seen.memory).toEqual(seen.bm25);
    expect(n).toBeGreaterThan(3);
  });

  it('stay exact through an edit, a retraction, an entity renamed and another connection writing', () => {
    const word = words(20, 200, 1)[0]!;
    const claim = db.prepare("SELECT c.id FROM claims_fts f JOIN claims c ON c.doc_id = f.rowid WHERE claims_fts MATCH ? LIMIT 1").pluck().get(`"${word}"`) as string;
    expectExact(word);
    // An edit that makes the claim much longer: its length, and the collection's average, move.
    const { id: _, ...longer } = claimBody(claim, `${store.claims.get(claim)!.statement} ${'and then some more words '.repeat(20)}`);
    store.write.replaceClaim(claim, longer, meta, () => {});
    expectExact(word);
    store.write.retractClaim(claim, {}, meta, () => {});
    expectExact(word);

    // A subject renamed, with aliases: every claim naming it is indexed again, longer, without a write of its own.
    const entity = db.prepare('SELECT entity_id FROM claim_subjects s JOIN claims c ON c.id = s.claim_id WHERE c.retracted_at IS NULL LIMIT 1').pluck().get() as string;
    const named = db.prepare("SELECT statement FROM claims c JOIN claim_subjects s ON s.claim_id = c.id WHERE s.entity_id = ? AND c.retracted_at IS NULL LIMIT 1").pluck().get(entity) as string;
    const before = columns.sync() && termScores.read(searchQuery(db, 'quokkaborealis'), true);
    expect(before).toBeNull();
    store.write.replaceEntity(entity, EntityWrite.parse({ name: 'Quokkaborealis Holdings', type: 'organization', aliases: ['Quokka Group', 'QBH Analytics Worldwide'] }), meta, () => {});
    expectExact('quokkaborealis');
    // A word of a renamed claim's statement: its score moved with the claim's length.
    const renamedWord = named.toLowerCase().match(/[a-z]+/g)!.find((w) => (db.prepare('SELECT doc FROM temp.vocab WHERE term = ?').pluck().get(w) as number) <= 4000)!;
    expectExact(renamedWord);

    // Another process writes: the next read follows it.
    const other = openDatabase(path);
    try {
      createStore(other).write.createClaim(claimBody('from-elsewhere', `Another process wrote ${word} here.`), meta);
    } finally {
      other.close();
    }
    expectExact(word);
    expect(Array.from(termScores.read(searchQuery(db, word), false)!.docs)).toContain(db.prepare("SELECT doc_id FROM claims WHERE id = 'from-elsewhere'").pluck().get());

    // Another process writes between the columns' catching up and the reads: the lengths in memory may not be those
    // of the index as read, so the word is left to bm25() that once.
    const prepare = db.prepare.bind(db);
    let race: (() => void) | null = null;
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (sql.includes('claims_fts_instances')) {
        const all = statement.all.bind(statement);
        statement.all = ((...args: unknown[]) => (race?.(), (race = null), all(...args))) as typeof statement.all;
      }
      return statement;
    }) as typeof db.prepare;
    const raced = createTermScores(db, columns);
    db.prepare = prepare;
    race = () => {
      const other = openDatabase(path);
      try {
        createStore(other).write.createClaim(claimBody('raced', `Written while ${word} was being read.`), meta);
      } finally {
        other.close();
      }
    };
    expect(raced.read(searchQuery(db, word), false)).toBeNull();
    expect(race).toBeNull();
    expectExact(word);
  });

  it('leave every other query to bm25(), and themselves to SQL inside a transaction', () => {
    const word = words(20, 200, 1)[0]!;
    expect(termScores.read(searchQuery(db, word), false)).not.toBeNull();
    for (const q of [`${word}*`, `"${word} ${word}"`, `${word} ${word}x`, `${word} OR ${word}x`, 'zürich', '2048', 'deep-seek']) {
      expect(termScores.read(searchQuery(db, q), false), q).toBeNull();
    }
    // A number as the index holds it: one word, and ASCII with its marks.
    store.write.createClaim(claimBody('numbered', 'It cost 5.576 units.'), meta);
    expectExact(parseSearchQuery('5.576').highlight[0]!.tokens[0]!, '5.576');
    // Above the limit: left to bm25().
    const common = db.prepare('SELECT term FROM temp.vocab ORDER BY doc DESC LIMIT 1').pluck().get() as string;
    expect(createTermScores(db, columns).read(searchQuery(db, common), false)).toBeNull();
    // Remembered as held by too many only while the index stays as it was: an edit can make a word rarer.
    const one = createTermScores(db, columns, 1);
    for (const id of ['zyzzo-1', 'zyzzo-2']) store.write.createClaim(claimBody(id, 'The zyzzogeton weevil.'), meta);
    expect(one.read(searchQuery(db, 'zyzzogeton'), false)).toBeNull();
    expect(one.read(searchQuery(db, 'zyzzogeton'), false)).toBeNull();
    const { id: _, ...edited } = claimBody('zyzzo-2', 'The boll weevil.');
    store.write.replaceClaim('zyzzo-2', edited, meta, () => {});
    expect(Array.from(one.read(searchQuery(db, 'zyzzogeton'), false)!.docs)).toEqual([
      db.prepare("SELECT doc_id FROM claims WHERE id = 'zyzzo-1'").pluck().get(),
    ]);
    db.transaction(() => expect(termScores.read(searchQuery(db, word), false)).toBeNull())();
    // Before the columns are read.
    const cold = createDocColumns(db, { loadAtOnce: 0 });
    expect(createTermScores(db, cold).read(searchQuery(db, word), false)).toBeNull();
  });
});

describe('one-phrase searches scored in memory', () => {
  it("give every claim of a phrase bm25()'s own score, placed by its rarest word or counted in the claim's text", () => {
    const sample = [...phrasesOf(2, 60), ...phrasesOf(3, 30)];
    expect(sample.length).toBe(90);
    // Any phrase here may be scored (its words are held by at most 4,000 claims), unless more than
    // TERM_SCORES_MAX_TEXTS claims hold the word it is read through more than once, as common words are held: then
    // bm25() scores it.
    expect(sample.filter((phrase) => scoredExactly(phrase)).length).toBeGreaterThan(60);
    // With a limit of 60 claims, only through a rare word of the phrase, wherever it stands in it; a phrase of common
    // words is left to bm25().
    const rareOnly = createTermScores(db, columns, 60);
    let served = 0;
    for (const phrase of sample) {
      const words = phrase.split(' ');
      if (words.some((w) => words.indexOf(w) === words.lastIndexOf(w) && heldBy(w) <= 60)) {
        expectExact(phrase, `"${phrase}"`, rareOnly);
        served++;
      } else expect(rareOnly.read(searchQuery(db, `"${phrase}"`), true), phrase).toBeNull();
    }
    expect(served).toBeGreaterThan(20);
    expect(served).toBeLessThan(sample.length);

    // Claims whose phrase's rare word stands in more than one column, or more than once in one: counted in the text,
    // overlapping occurrences each once, as FTS5 counts them.
    const texts = [
      ['kilo quaxibrant kilo', 'It said kilo quaxibrant kilo quaxibrant kilo.'],
      ['kilo quaxibrant kilo', 'Kilo quaxibrant there, and quaxibrant alone.'],
      ['', 'Only kilo quaxibrant kilo here.'],
      ['quaxibrant kilo quaxibrant', 'Not the phrase: kilo kilo quaxibrant.'],
    ];
    texts.forEach(([wording, statement], i) => {
      const { id: _, ...body } = claimBody('x', statement!);
      store.write.createClaim(ClaimWrite.parse({ ...body, id: `placed-${i}`, ...(wording ? { articleWording: wording } : {}) }), meta);
    });
    for (const phrase of ['kilo quaxibrant kilo', 'kilo quaxibrant', 'quaxibrant kilo']) {
      expectExact(phrase, `"${phrase}"`);
      expectExact(phrase, `"${phrase}"`, rareOnly);
    }
    expect(Array.from(termScores.read(searchQuery(db, '"kilo quaxibrant kilo"'), true)!.docs)).toHaveLength(3);
  });

  it("leave a phrase to bm25() when the claims' text cannot tell, or too many must be read", () => {
    // Beyond ASCII, where JavaScript's words may not be the index's: one such claim among those read leaves it.
    const { id: _, ...accented } = claimBody('x', 'Zürich said lima vextoran, then lima vextoran again.');
    store.write.createClaim(ClaimWrite.parse({ ...accented, id: 'accented' }), meta);
    expect(termScores.read(searchQuery(db, '"lima vextoran"'), true)).toBeNull();
    // Its rare word once in a column of its own: placed without reading the text, accents or not.
    const { id: __, ...once } = claimBody('x', 'Zürich said lima vextorin.');
    store.write.createClaim(ClaimWrite.parse({ ...once, id: 'accented-once' }), meta);
    expectExact('lima vextorin', '"lima vextorin"');

    // As many claims read as the limit are fine; one more claim holding the word twice is too many, even one the
    // phrase is not in (the phrase's claims are not listed then).
    for (let i = 0; i < TERM_SCORES_MAX_TEXTS; i++) {
      const { id: _id, ...body } = claimBody('x', `Mike yoctaphrase and mike yoctaphrase, number ${i}.`);
      store.write.createClaim(ClaimWrite.parse({ ...body, id: `twice-${i}` }), meta);
    }
    expectExact('mike yoctaphrase', '"mike yoctaphrase"');
    const { id: _other, ...other } = claimBody('x', 'Yoctaphrase twice, yoctaphrase, not the phrase.');
    store.write.createClaim(ClaimWrite.parse({ ...other, id: 'twice-elsewhere' }), meta);
    expect(termScores.read(searchQuery(db, '"mike yoctaphrase"'), true)).toBeNull();
    // The finder's pages are bm25()'s either way.
    expect(pages('memory', '"mike yoctaphrase"', {}, 10)).toEqual(pages('bm25', '"mike yoctaphrase"', {}, 10));
  });

  it('give the pages bm25() gives, with filters, and with writes between pages', () => {
    const sample = [...phrasesOf(2, 30), ...phrasesOf(3, 10)].filter(scoredExactly).slice(0, 18);
    expect(sample.length).toBe(18);
    for (const phrase of sample) {
      for (const filters of [{}, { includeRetracted: true }, { kind: 'quote' }] as ClaimFilters[]) {
        served = 0;
        const memory = pages('memory', `"${phrase}"`, filters, 3);
        if (memory.length > 0) expect(served, phrase).toBeGreaterThan(0);
        expect(memory, `${phrase} ${JSON.stringify(filters)}`).toEqual(pages('bm25', `"${phrase}"`, filters, 3));
      }
    }
    // Both page through one search while a claim holding the phrase is written and one retracted between pages.
    const phrase = sample.find((p) => pages('bm25', `"${p}"`, {}, 100).length >= 8)!;
    expect(phrase).toBeDefined();
    const holder = db.prepare(
      'SELECT c.id FROM claims_fts f JOIN claims c ON c.doc_id = f.rowid WHERE claims_fts MATCH ? AND c.retracted_at IS NULL LIMIT 1',
    ).pluck();
    let n = 0;
    const seen = { memory: [] as string[], bm25: [] as string[] };
    let cursors: Record<keyof typeof finders, CursorPayload | null> = { memory: null, bm25: null };
    served = 0;
    do {
      for (const finder of ['memory', 'bm25'] as const) {
        const page = finders[finder].find({ filters: {}, query: parseSearchQuery(`"${phrase}"`), sort: 'relevance', cursor: cursors[finder], limit: 2 });
        seen[finder].push(...page.items.map((i) => i.id));
        cursors = { ...cursors, [finder]: page.next };
      }
      store.write.createClaim(claimBody(`phrase-between-${n++}`, `Then ${phrase} again.`), meta);
      store.write.retractClaim(holder.get(`"${phrase}"`) as string, {}, meta, () => {});
    } while (cursors.memory !== null || cursors.bm25 !== null);
    expect(seen.memory).toEqual(seen.bm25);
    expect(new Set(seen.memory).size).toBe(seen.memory.length);
    expect(served).toBeGreaterThan(0);
    expect(n).toBeGreaterThan(3);
  });
});

describe('searches of several words scored in memory when one alone weighs', () => {
  it("give the pages bm25() gives, scores and tier included, when every other word is one most claims hold", () => {
    const claims = db.prepare('SELECT count(*) FROM claims').pluck().get() as number;
    // Words at least half the claims hold weigh nothing in bm25 (claims.relevance-plan.ts): left out of the scores.
    const everywhere = words(Math.ceil(claims / 2) + 50, claims, 3);
    const rare = [...words(3, 40, 4), ...words(200, 1500, 2)];
    expect(everywhere.length).toBeGreaterThan(1);
    const queries = [
      ...rare.flatMap((r) => everywhere.map((e) => `${e} ${r}`)),
      `${everywhere[0]} ${everywhere[1]} ${rare[0]}`,
      `${rare[1]} ${everywhere[0]} NOT ${rare[2]}`,
      // A phrase as the one term that weighs.
      ...phrasesOf(2, 40)
        .filter((p) => p.split(' ').every((w) => !everywhere.includes(w)))
        .slice(0, 3)
        .map((p) => `"${p}" ${everywhere[0]}`),
    ];
    let fromMemory = 0;
    for (const q of queries) {
      for (const filters of [{}, { kind: 'quote' }] as ClaimFilters[]) {
        const seen: Record<keyof typeof finders, unknown[]> = { memory: [], bm25: [] };
        served = 0;
        for (const finder of ['memory', 'bm25'] as const) {
          let cursor: CursorPayload | null = null;
          do {
            const page = finders[finder].find({ filters, query: parseSearchQuery(q), sort: 'relevance', cursor, limit: 7 });
            // The cursors carry each position's score: equal cursors are equal scores.
            seen[finder].push(page.items.map((i) => i.id), page.next);
            cursor = page.next;
          } while (cursor !== null);
        }
        expect(seen.memory, `${q} ${JSON.stringify(filters)}`).toEqual(seen.bm25);
        if (served > 0) fromMemory++;
      }
    }
    expect(fromMemory).toBeGreaterThan(queries.length);
  });
});
